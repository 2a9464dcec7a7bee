import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError, isAuthzError } from '../../errors';
import { buildJwks, loadJwtSigningKey, mintJwt, signedTokenFromJwt } from '../../jwt';
import { generateKeyPair, readInputFile, writeKeyPair } from '../../keys';
import { resolveRelative } from '../definition';

/**
 * Credentials a test case generates at run time, so a committed test file
 * never holds a token that expires:
 *  - token `{"jwt": {"key": "keys/idp.private.pem", "claims": {...}, "expiresIn": "15m", "kid": "..."}}`
 *    is minted when the case runs ("-1m" for an already expired one);
 *  - signature `{"fromJwt": true}` makes the signed-JWT pair: the token becomes
 *    `header.payload` and the signature the JWT's, in standard base64;
 *  - password `{"base64": "..."}` is an MQTT password given as base64 (binary),
 *    and `{"jwt": {...}}` a JWT minted as the MQTT password.
 */
export interface JwtTokenSpec {
  jwt: {
    /** Private key (RSA: RS256, P-256 EC: ES256). Generated on first use when missing (see ensureJwtKey). */
    key: string;
    claims?: Record<string, unknown>;
    /** Relative lifetime: '15m' (default), '-1m' for an expired token. */
    expiresIn?: string | number;
    /** Default: the key's JWK thumbprint. */
    kid?: string;
  };
}

export interface FromJwtSignature {
  fromJwt: true;
}

/** Text, base64 (a binary password), or a JWT minted when the case runs (a JWT sent as the MQTT password). */
export type PasswordSpec = string | { base64: string } | JwtTokenSpec;

export function isJwtTokenSpec(v: unknown): v is JwtTokenSpec {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'jwt' in v;
}

export function isFromJwt(v: unknown): v is FromJwtSignature {
  return !!v && typeof v === 'object' && (v as { fromJwt?: unknown }).fromJwt === true;
}

export interface CredentialContext {
  /** Folder of the test file. */
  testDir: string;
  /** Folder of the authorizer definition. */
  definitionDir: string;
  workspaceRoot?: string;
  /** Generate missing JWT key pairs; default true. */
  generateMissingKeys?: boolean;
}

/**
 * Where a key path of a test case points: relative to the test file, then
 * the definition's folder, then the workspace root. The one place that
 * decides it for generated credentials.
 */
export function resolveCaseKeyPath(keyPath: string, ctx: CredentialContext): string {
  return resolveRelative(keyPath, [ctx.testDir, ctx.definitionDir, ctx.workspaceRoot]);
}

const PRIVATE_SUFFIX = '.private.pem';

/**
 * A missing `<dir>/<name>.private.pem` used by a JWT token is generated on
 * first use (2048-bit RSA, private key 0600), with `<name>.public.pem` and
 * `<name>.jwks.json` (the public key under `kid`, for handlers that read a
 * JWKS), when none of them exists. Existing files are never replaced.
 * Returns the files written.
 */
export async function ensureJwtKey(privateKeyPath: string, kid: string | undefined): Promise<string[]> {
  if (fs.existsSync(privateKeyPath) || !privateKeyPath.endsWith(PRIVATE_SUFFIX)) return [];
  const dir = path.dirname(privateKeyPath);
  const name = path.basename(privateKeyPath, PRIVATE_SUFFIX);
  const jwksPath = path.join(dir, `${name}.jwks.json`);
  if (fs.existsSync(path.join(dir, `${name}.public.pem`)) || fs.existsSync(jwksPath)) return [];
  const pair = await generateKeyPair({ bits: 2048 });
  const written = writeKeyPair(dir, name, pair);
  const jwks = await buildJwks([{ key: loadJwtSigningKey(pair.privateKeyPem).publicKey, kid }]);
  fs.writeFileSync(jwksPath, `${JSON.stringify(jwks, null, 2)}\n`, { flag: 'wx' });
  return [written.privateKeyPath, written.publicKeyPath, jwksPath];
}

export interface ResolvedCredentials {
  token?: string;
  /** Set when the case's signature is `{"fromJwt": true}`. */
  signature?: string;
  password?: string;
  passwordBase64?: string;
  /** Key files generated for this case. */
  generated: string[];
}

function invalid(message: string, hint: string): AuthzError {
  return new AuthzError('TEST_CREDENTIALS_INVALID', message, hint);
}

/** Mints the JWT a `{"jwt": {...}}` value describes (a token, or an MQTT password). */
async function mintFromSpec(value: JwtTokenSpec, ctx: CredentialContext, generated: string[]): Promise<string> {
  const spec = value.jwt;
  if (!spec || typeof spec !== 'object' || typeof spec.key !== 'string') {
    throw invalid('{"jwt": …} needs "key", the private key file that signs the JWT.', 'Write {"jwt": {"key": "keys/idp.private.pem", "claims": {"sub": "device1"}, "expiresIn": "15m"}}.');
  }
  const keyPath = resolveCaseKeyPath(spec.key, ctx);
  if (ctx.generateMissingKeys !== false) generated.push(...(await ensureJwtKey(keyPath, spec.kid)));
  let key;
  try {
    key = loadJwtSigningKey(readInputFile(keyPath, 'JWT signing key').toString('utf8'));
  } catch (e) {
    if (isAuthzError(e) && e.code === 'KEY_PASSPHRASE_REQUIRED') {
      throw new AuthzError('TEST_SIGNING_KEY_ENCRYPTED', `The JWT key ${keyPath} is encrypted, and test cases have no way to give a passphrase.`, 'Use an unencrypted test-only key.');
    }
    throw e;
  }
  return (await mintJwt(key, { claims: spec.claims, expiresIn: spec.expiresIn, kid: spec.kid })).jwt;
}

/** Mints the case's JWT (and the signed-JWT pair) and reads its password form. */
export async function resolveCredentials(
  c: { token?: unknown; signature?: unknown; password?: unknown; passwordBase64?: unknown },
  ctx: CredentialContext,
): Promise<ResolvedCredentials> {
  const out: ResolvedCredentials = { generated: [] };
  if (typeof c.token === 'string') out.token = c.token;
  else if (isJwtTokenSpec(c.token)) {
    out.token = await mintFromSpec(c.token, ctx, out.generated);
  } else if (c.token !== undefined && c.token !== null) {
    // null: no token, overriding the file's defaults.
    throw invalid('"token" is a string, {"jwt": {...}}, or null for none.', 'See schemas/authz-test.schema.json.');
  }
  if (isFromJwt(c.signature)) {
    if (out.token === undefined) throw invalid('"signature": {"fromJwt": true} needs a JWT "token".', 'Give "token": {"jwt": {...}} or a JWT string.');
    const pair = signedTokenFromJwt(out.token);
    out.token = pair.token;
    out.signature = pair.signature;
  }
  if (typeof c.password === 'string') out.password = c.password;
  else if (isJwtTokenSpec(c.password)) out.password = await mintFromSpec(c.password, ctx, out.generated);
  else if (c.password && typeof c.password === 'object' && typeof (c.password as { base64?: unknown }).base64 === 'string') {
    out.passwordBase64 = (c.password as { base64: string }).base64;
  } else if (c.password !== undefined) {
    throw invalid('"password" is text, {"base64": "..."} or {"jwt": {...}}.', 'IoT Core gives the handler the password base64-encoded either way.');
  }
  if (typeof c.passwordBase64 === 'string') out.passwordBase64 = c.passwordBase64;
  return out;
}

/**
 * The case with its generated credentials in place (plain token, signature
 * and password strings), for runners that take the case as it is, such as
 * TestInvokeAuthorizer's.
 */
export async function withResolvedCredentials<T extends { token?: unknown; signature?: unknown; password?: unknown; passwordBase64?: unknown }>(
  c: T,
  ctx: CredentialContext,
): Promise<T> {
  const r = await resolveCredentials(c, ctx);
  return { ...c, token: r.token, ...(r.signature !== undefined ? { signature: r.signature } : {}), password: r.password, passwordBase64: r.passwordBase64 };
}
