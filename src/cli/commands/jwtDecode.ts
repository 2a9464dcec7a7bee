import * as path from 'node:path';
import { checkJwt, JwtKeyCandidate, jwksCandidates, loadJwtVerifyKey, parseJwks } from '../../core/jwt';
import { readInputFile } from '../../core/keys';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, flag, list, ParsedArgs, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';
import { readKeyText } from './sign';

async function keysFromArgs(args: ParsedArgs, io: CliIo): Promise<JwtKeyCandidate[] | undefined> {
  const files = list(args, 'key');
  const jwksFile = str(args, 'jwks');
  if (files.length && jwksFile) throw new UsageError('Give --key or --jwks, not both.');
  if (jwksFile) {
    const file = path.resolve(io.cwd, jwksFile);
    return jwksCandidates(parseJwks(readInputFile(file, 'JWKS').toString('utf8'), `JWKS ${jwksFile}`));
  }
  if (!files.length) return undefined;
  const passphrase = passphraseFromEnv(args, io);
  return files.map((f) => ({ name: path.basename(f), key: withPassphraseHint(() => loadJwtVerifyKey(readKeyText(f, io), { passphrase })).key }));
}

export const jwtDecodeCommand: CliCommand = {
  name: 'jwt decode',
  summary: "Decode a JWT: header, claims, expiry, and which key verifies its signature.",
  usage: [
    '  iot-authz jwt decode TOKEN [--key PUBLIC.pem ... | --jwks FILE] [--json]',
    '',
    '  TOKEN: a JWT, or the signed-JWT token header.payload. With --key or --jwks the signature is',
    '  checked (RS256 or ES256 only). Exit 0: decoded (and verified, when keys are given) and not',
    '  expired; 1: expired, not yet valid, or no key verifies it; 2: not a usable JWT (truncated,',
    "  claims that are not JSON, alg none, HS256 where a public key is given).",
  ].join('\n'),
  options: {
    key: { type: 'string', multiple: true },
    jwks: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('Give exactly one TOKEN.');
    const keys = await keysFromArgs(args, io);
    const r = await checkJwt(args.positionals[0], { keys, allowSigningInput: true });
    const negative = r.expiry.expired || r.expiry.notYetValid || r.verified?.ok === false;
    if (flag(args, 'json')) {
      io.stdout(`${JSON.stringify({ form: r.form, header: r.header, claims: r.claims, expiry: r.expiry, verified: r.verified ?? null }, null, 2)}\n`);
      return negative ? EXIT_NEGATIVE : EXIT_OK;
    }
    const lines = [
      r.form === 'signing-input' ? 'Signed-JWT token (header.payload; the signature is sent separately)' : 'JWT',
      `Header: ${JSON.stringify(r.header)}`,
      'Claims:',
      ...JSON.stringify(r.claims, null, 2).split('\n').map((l) => `  ${l}`),
      `Expiry: ${r.expiry.text}`,
      `Signature: ${
        !r.verified ? 'not checked (give --key or --jwks)' : r.verified.ok ? `verifies with ${r.verified.keyName}` : `does not verify. ${r.verified.reason}`
      }`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return negative ? EXIT_NEGATIVE : EXIT_OK;
  },
};
