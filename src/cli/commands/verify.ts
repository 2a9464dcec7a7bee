import { loadPublicKey } from '../../core/keys';
import { inspectToken, NamedKey, verifyToken } from '../../core/tokens';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, flag, list, ParsedArgs, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';
import { readKeyText, tokenFromArgs } from './sign';

function loadKeys(files: string[], args: ParsedArgs, io: CliIo): NamedKey[] {
  const passphrase = passphraseFromEnv(args, io);
  // Named by the path as given: the user recognises it, and it is unambiguous where a stem ("dev.public") is not.
  return files.map((f) => ({
    name: f,
    key: withPassphraseHint(() => loadPublicKey(readKeyText(f, io), { passphrase })),
  }));
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Verify a token signature as AWS IoT does, and diagnose why it fails.',
  usage: [
    '  iot-authz verify --key PUBLIC_OR_PRIVATE.pem [--key ...] (--token STRING | --token-file FILE)',
    '                   --signature BASE64 [--other-key PEM ...] [--passphrase-env VAR] [--json]',
    '',
    "  --key: the authorizer's token signing keys (public, certificate or private PEM).",
    "  --other-key: keys that are not the authorizer's, only used to explain a failure.",
    '  Exit 0 when valid, 1 when invalid (with a diagnosis), 2 on bad input.',
  ].join('\n'),
  options: {
    key: { type: 'string', multiple: true },
    'other-key': { type: 'string', multiple: true },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    signature: { type: 'string' },
    'passphrase-env': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const keyFiles = list(args, 'key');
    if (keyFiles.length === 0) throw new UsageError('--key is required.');
    const signature = str(args, 'signature');
    if (signature === undefined) throw new UsageError('--signature is required.');
    const { token, fromFile } = tokenFromArgs(args, io);
    // As sign does: whitespace around the token is signed too, and rarely sent by the device.
    for (const w of inspectToken(token)) {
      const where = fromFile ? ` (the file ${str(args, 'token-file')} is checked byte for byte)` : '';
      io.stderr(`iot-authz verify: warning: ${w.message}${where}\n`);
    }
    const keys = loadKeys(keyFiles, args, io);
    const otherKeys = loadKeys(list(args, 'other-key'), args, io);
    const result = verifyToken(keys, token, signature, { otherKeys });
    if (flag(args, 'json')) {
      const out = { valid: result.valid, matchedKey: result.matchedKey ?? null, diagnosis: result.diagnosis, correctedSignature: result.correctedSignature ?? null };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    } else if (result.valid) {
      io.stdout(`Valid: the signature verifies with key '${result.matchedKey}'.\n`);
    } else {
      const lines = ['Invalid signature.'];
      for (const d of result.diagnosis) {
        lines.push(`  ${d.code}: ${d.message}`);
      }
      if (result.correctedSignature) lines.push('', `Corrected signature: ${result.correctedSignature}`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    return result.valid ? EXIT_OK : EXIT_NEGATIVE;
  },
};
