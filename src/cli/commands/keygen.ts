import * as path from 'node:path';
import { AuthzError } from '../../core/errors';
import { DEFAULT_KEY_SIZE, generateKeyPair, keyPairPaths, writeKeyPair } from '../../core/keys';
import { CliCommand, CliIo, EXIT_OK, flag, ParsedArgs, requireStr, str, UsageError } from '../framework';

/** Reads a passphrase from the environment variable named by --passphrase-env (never from argv: it would show in ps and shell history). */
export function passphraseFromEnv(args: ParsedArgs, io: CliIo): string | undefined {
  const name = str(args, 'passphrase-env');
  if (name === undefined) return undefined;
  const value = io.env[name];
  if (!value) {
    throw new AuthzError(
      'PASSPHRASE_ENV_UNSET',
      `The environment variable ${name} named by --passphrase-env is ${value === undefined ? 'not set' : 'empty'}.`,
      `Set it first, e.g. read -rs ${name} && export ${name}.`,
    );
  }
  return value;
}

/**
 * Runs a key load, turning "the key is encrypted" into the CLI's way of giving a
 * passphrase (the core hint does not know the front end).
 */
export function withPassphraseHint<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof AuthzError && e.code === 'KEY_PASSPHRASE_REQUIRED') {
      throw new AuthzError(
        e.code,
        e.message,
        'Put the passphrase in an environment variable and name it with --passphrase-env VAR (e.g. read -rs VAR && export VAR); never on the command line.',
      );
    }
    throw e;
  }
}

export const keygenCommand: CliCommand = {
  name: 'keygen',
  summary: 'Generate an RSA token signing key pair (PKCS#8 private 0600, SPKI public).',
  usage: [
    '  iot-authz keygen --out DIR [--name NAME] [--bits 2048|3072|4096] [--passphrase-env VAR] [--force] [--json]',
    '',
    '  Writes DIR/NAME.private.pem (mode 0600; encrypted with aes-256-cbc when --passphrase-env names',
    '  a variable holding the passphrase) and DIR/NAME.public.pem (the tokenSigningPublicKeys value).',
    "  NAME defaults to 'token-signing'. Existing files are kept unless --force.",
  ].join('\n'),
  options: {
    out: { type: 'string' },
    name: { type: 'string' },
    bits: { type: 'string' },
    'passphrase-env': { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const dir = path.resolve(io.cwd, requireStr(args, 'out'));
    const name = str(args, 'name') ?? 'token-signing';
    const bitsText = str(args, 'bits') ?? String(DEFAULT_KEY_SIZE);
    if (!/^\d+$/.test(bitsText)) throw new UsageError(`--bits must be 2048, 3072 or 4096, not '${bitsText}'.`);
    const passphrase = passphraseFromEnv(args, io);
    const force = flag(args, 'force');
    keyPairPaths(dir, name); // Validate the name before spending seconds on generation.
    const pair = await generateKeyPair({ bits: Number(bitsText), passphrase });
    const paths = writeKeyPair(dir, name, pair, { overwrite: force });
    if (flag(args, 'json')) {
      io.stdout(
        `${JSON.stringify(
          {
            privateKeyPath: paths.privateKeyPath,
            publicKeyPath: paths.publicKeyPath,
            bits: pair.bits,
            encrypted: pair.encrypted,
            fingerprint: pair.fingerprint.hex,
            fingerprintBase64: pair.fingerprint.base64,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout(
        [
          `Private key: ${paths.privateKeyPath} (mode 0600${pair.encrypted ? ', encrypted' : ''}; keep it secret)`,
          `Public key:  ${paths.publicKeyPath}`,
          `RSA ${pair.bits} bits, SHA-256 fingerprint ${pair.fingerprint.hex}`,
          '',
        ].join('\n'),
      );
    }
    return EXIT_OK;
  },
};
