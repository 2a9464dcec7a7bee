import * as path from 'node:path';
import { loadPrivateKey, readInputFile } from '../../core/keys';
import { inspectToken, SIGNATURE_ALGORITHM, signToken } from '../../core/tokens';
import { CliCommand, CliIo, EXIT_OK, flag, ParsedArgs, requireStr, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';
import { batchOptions, batchUsage, runSignBatch } from './signBatch';

/** The token from --token (UTF-8) or --token-file (bytes exactly); exactly one of them. */
export function tokenFromArgs(args: ParsedArgs, io: CliIo): { token: Buffer; fromFile: boolean } {
  const text = str(args, 'token');
  const file = str(args, 'token-file');
  if ((text === undefined) === (file === undefined)) throw new UsageError('Give exactly one of --token or --token-file.');
  if (file !== undefined) return { token: readInputFile(path.resolve(io.cwd, file), 'token'), fromFile: true };
  return { token: Buffer.from(text!, 'utf8'), fromFile: false };
}

export function readKeyText(file: string, io: CliIo): string {
  return readInputFile(path.resolve(io.cwd, file), 'key').toString('utf8');
}

export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'Sign a token, or a batch of device tokens, for a custom authorizer (RSA PKCS#1 v1.5 SHA-256, base64).',
  usage: [
    '  iot-authz sign --key PRIVATE.pem (--token STRING | --token-file FILE) [--passphrase-env VAR] [--json]',
    '',
    '  Prints the standard base64 signature on one line (same bytes as',
    '  `openssl dgst -sha256 -sign PRIVATE.pem | openssl base64 -A`). --token-file signs the file\'s',
    '  bytes exactly, a final newline included. --json prints token, signature, signatureUrlEncoded,',
    '  algorithm ("RSA-SHA256": RSASSA-PKCS1-v1_5 with SHA-256) and keyFingerprint.',
    '',
    ...batchUsage,
  ].join('\n'),
  options: {
    key: { type: 'string' },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    'passphrase-env': { type: 'string' },
    json: { type: 'boolean' },
    ...batchOptions,
  },
  async run(args, io) {
    if (str(args, 'batch') !== undefined) return runSignBatch(args, io);
    const batchOnly = Object.keys(batchOptions).find((o) => args.values[o] !== undefined);
    if (batchOnly) throw new UsageError(`--${batchOnly} is an option of --batch.`);
    const keyFile = requireStr(args, 'key');
    const { token, fromFile } = tokenFromArgs(args, io);
    const passphrase = passphraseFromEnv(args, io);
    const key = withPassphraseHint(() => loadPrivateKey(readKeyText(keyFile, io), { passphrase }));
    const signature = signToken(key, token);
    for (const w of inspectToken(token)) {
      const where = fromFile ? ` (the file ${str(args, 'token-file')} is signed byte for byte)` : '';
      io.stderr(`iot-authz sign: warning: ${w.message}${where}\n`);
    }
    if (flag(args, 'json')) {
      io.stdout(
        `${JSON.stringify(
          {
            token: token.toString('utf8'),
            signature,
            signatureUrlEncoded: encodeURIComponent(signature),
            algorithm: SIGNATURE_ALGORITHM,
            keyFingerprint: key.fingerprint.hex,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout(`${signature}\n`);
    }
    return EXIT_OK;
  },
};
