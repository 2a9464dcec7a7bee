import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildJwks, loadJwtVerifyKey } from '../../core/jwt';
import { CliCommand, EXIT_OK, list, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';
import { readKeyText } from './sign';

export const jwtJwksCommand: CliCommand = {
  name: 'jwt jwks',
  summary: 'Write the JWKS (JSON Web Key Set) of public keys, for a handler that verifies JWTs.',
  usage: [
    '  iot-authz jwt jwks --key PUBLIC.pem [--key ...] [--kid ID ...] [--out jwks.json] [--passphrase-env VAR]',
    '',
    '  --key: RSA or P-256 EC public keys (or certificates, or private keys whose public half is used:',
    "  only public parts are written). --kid: one per --key, in order; default each key's JWK thumbprint,",
    '  the default kid of `iot-authz jwt mint`. Prints the JWKS, or writes it to --out.',
  ].join('\n'),
  options: {
    key: { type: 'string', multiple: true },
    kid: { type: 'string', multiple: true },
    out: { type: 'string' },
    'passphrase-env': { type: 'string' },
  },
  async run(args, io) {
    const files = list(args, 'key');
    if (files.length === 0) throw new UsageError('--key is required.');
    const kids = list(args, 'kid');
    if (kids.length > files.length) throw new UsageError(`${kids.length} --kid for ${files.length} --key: give at most one --kid per --key, in the same order.`);
    const passphrase = passphraseFromEnv(args, io);
    const entries = files.map((f, i) => ({ key: withPassphraseHint(() => loadJwtVerifyKey(readKeyText(f, io), { passphrase })).key, kid: kids[i] }));
    const text = `${JSON.stringify(await buildJwks(entries), null, 2)}\n`;
    const out = str(args, 'out');
    if (out === undefined) {
      io.stdout(text);
    } else {
      const file = path.resolve(io.cwd, out);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      io.stdout(`Wrote ${file} (${entries.length} key${entries.length === 1 ? '' : 's'}).\n`);
    }
    return EXIT_OK;
  },
};
