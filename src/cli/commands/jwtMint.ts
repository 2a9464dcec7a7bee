import * as path from 'node:path';
import { loadJwtSigningKey, mintJwt, parseClaims, signedTokenFromJwt } from '../../core/jwt';
import { readInputFile } from '../../core/keys';
import { connectionSnippets } from '../../core/tokens';
import { CliCommand, CliIo, EXIT_OK, flag, ParsedArgs, requireStr, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';
import { readKeyText } from './sign';

/** --claims '{"sub":"x"}' or --claims @claims.json. */
export function claimsFromArgs(args: ParsedArgs, io: CliIo): Record<string, unknown> {
  const v = str(args, 'claims');
  if (v === undefined) return {};
  const text = v.startsWith('@') ? readInputFile(path.resolve(io.cwd, v.slice(1)), 'claims').toString('utf8') : v;
  return parseClaims(text);
}

export const jwtMintCommand: CliCommand = {
  name: 'jwt mint',
  summary: 'Mint a test JWT (RS256 or ES256), or the signed-JWT token and signature for a signing authorizer.',
  usage: [
    '  iot-authz jwt mint --key PRIVATE.pem [--claims JSON|@FILE] [--expires-in 15m] [--kid ID]',
    '                     [--as jwt|signed-token] [--passphrase-env VAR] [--json]',
    '                     [--authorizer-name NAME --token-key-name KEY [--endpoint HOST]]',
    '',
    "  --key: RSA (RS256) or P-256 EC (ES256) private key. --expires-in: relative lifetime ('15m', '2h';",
    "  --expires-in=-1m for an already expired token; default 15m). --kid: default the key's JWK thumbprint, as",
    '  `iot-authz jwt jwks` names the key.',
    '  --as jwt (default): prints the JWT. --as signed-token: prints two lines, the token header.payload',
    '  and its signature in standard base64 (RS256 only: AWS IoT verifies RSA SHA-256 signatures).',
    '  --json adds header, claims and, with --authorizer-name and --token-key-name, connection snippets.',
  ].join('\n'),
  options: {
    key: { type: 'string' },
    claims: { type: 'string' },
    'expires-in': { type: 'string' },
    kid: { type: 'string' },
    as: { type: 'string' },
    'passphrase-env': { type: 'string' },
    json: { type: 'boolean' },
    'authorizer-name': { type: 'string' },
    'token-key-name': { type: 'string' },
    endpoint: { type: 'string' },
  },
  async run(args, io) {
    const keyFile = requireStr(args, 'key');
    const as = str(args, 'as') ?? 'jwt';
    if (as !== 'jwt' && as !== 'signed-token') throw new UsageError('--as is jwt or signed-token.');
    const authorizerName = str(args, 'authorizer-name');
    const tokenKeyName = str(args, 'token-key-name');
    if ((authorizerName === undefined) !== (tokenKeyName === undefined)) throw new UsageError('Give both --authorizer-name and --token-key-name, or neither.');
    const claims = claimsFromArgs(args, io);
    const passphrase = passphraseFromEnv(args, io);
    const key = withPassphraseHint(() => loadJwtSigningKey(readKeyText(keyFile, io), { passphrase }));
    const minted = await mintJwt(key, { claims, expiresIn: str(args, 'expires-in'), kid: str(args, 'kid') });
    const pair = as === 'signed-token' ? signedTokenFromJwt(minted.jwt) : undefined;
    if (flag(args, 'json')) {
      const snippets =
        authorizerName && tokenKeyName
          ? connectionSnippets({
              endpoint: str(args, 'endpoint'),
              authorizerName,
              tokenKeyName,
              token: pair?.token ?? minted.jwt,
              signature: pair?.signature,
              topic: 'customAuthTestTopic',
              clientId: 'myClientId',
            })
          : undefined;
      const out = {
        jwt: minted.jwt,
        header: minted.header,
        claims: minted.claims,
        ...(pair ? { token: pair.token, signature: pair.signature, signatureUrlEncoded: encodeURIComponent(pair.signature) } : {}),
        keyFingerprint: key.fingerprint.hex,
        ...(snippets ? { snippets } : {}),
      };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    } else if (pair) {
      io.stdout(`${pair.token}\n${pair.signature}\n`);
    } else {
      io.stdout(`${minted.jwt}\n`);
    }
    return EXIT_OK;
  },
};
