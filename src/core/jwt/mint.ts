import { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, JWTPayload, SignJWT } from 'jose';
import { AuthzError } from '../errors';
import { matchesAwsSignaturePattern } from '../tokens/signature';
import { parseLifetime } from './duration';
import { algorithmOf, JwtAlgorithm, JwtSigningKey } from './keys';

export interface MintOptions {
  /** Claims to sign (`sub`, `iss`, `aud`, custom claims). `iat` and `exp` are set here unless given. */
  claims?: Record<string, unknown>;
  /** Lifetime relative to now ('15m', '-1m' for an expired token); default 15 minutes. Null: no `exp`. */
  expiresIn?: string | number | null;
  /** The header's `kid`; default the key's JWK thumbprint (as the JWKS written here names it). Null: no `kid`. */
  kid?: string | null;
  /** Seconds since the epoch to treat as now (tests); default the clock. */
  now?: number;
}

export interface MintedJwt {
  jwt: string;
  header: { alg: JwtAlgorithm; typ: 'JWT'; kid?: string };
  claims: JWTPayload;
}

export const DEFAULT_LIFETIME = '15m';

/** The RFC 7638 JWK thumbprint of a key's public half: the default `kid` of minted JWTs and of JWKS entries. */
export async function defaultKid(key: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(key), 'sha256');
}

/** Claims must be a JSON object; a string is parsed as JSON. */
export function parseClaims(claims: unknown): Record<string, unknown> {
  let value = claims;
  if (typeof claims === 'string') {
    try {
      value = JSON.parse(claims);
    } catch (e) {
      throw new AuthzError('JWT_CLAIMS_INVALID', `The claims are not JSON (${(e as Error).message}).`, 'Give a JSON object such as {"sub":"device-1","iss":"https://idp.example.com"}.');
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AuthzError('JWT_CLAIMS_INVALID', 'The claims must be a JSON object.', 'Give a JSON object such as {"sub":"device-1"}.');
  }
  for (const k of ['exp', 'iat', 'nbf'] as const) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new AuthzError('JWT_CLAIMS_INVALID', `The claim "${k}" must be a number of seconds since 1970 (NumericDate), not ${JSON.stringify(v)}.`, 'Remove it to have it set from the lifetime, or give a number.');
    }
  }
  return value as Record<string, unknown>;
}

/** Signs a test JWT with jose: RS256 for RSA keys, ES256 for P-256 keys. */
export async function mintJwt(signer: JwtSigningKey | KeyObject, options: MintOptions = {}): Promise<MintedJwt> {
  const key = signer instanceof KeyObject ? signer : signer.key;
  if (key.type !== 'private') {
    throw new AuthzError('KEY_NOT_PRIVATE', 'A private key is needed to sign a JWT, but a public key was given.', 'Use the private key; the public key only verifies.');
  }
  const alg = algorithmOf(key);
  const claims = parseClaims(options.claims ?? {});
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const kid = options.kid === undefined ? await defaultKid(key) : options.kid;
  const header = { alg, typ: 'JWT' as const, ...(kid ? { kid } : {}) };
  const payload: JWTPayload = { ...claims };
  payload.iat ??= now;
  if (options.expiresIn !== null && claims.exp === undefined) payload.exp = now + parseLifetime(options.expiresIn ?? DEFAULT_LIFETIME);
  const jwt = await new SignJWT(payload).setProtectedHeader(header).sign(key);
  return { jwt, header, claims: payload };
}

/** The signed-JWT pair for an authorizer with signing enabled. */
export interface SignedJwtToken {
  /** The JWT's signing input, `header.payload`: what IoT Core verifies. */
  token: string;
  /** The JWT's signature in standard base64 with the padding its length needs. */
  signature: string;
}

/**
 * Splits an RS256 JWT into the token and signature IoT Core verifies: the
 * token is the signing input `header.payload`, the signature is the JWT's
 * third part converted from base64url to standard base64. The padding
 * follows from the signature's length (256 bytes: '==', 384: none, 512: '=').
 */
export function signedTokenFromJwt(jwt: string): SignedJwtToken {
  const parts = jwt.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => p === '' || !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new AuthzError('JWT_MALFORMED', 'A signed JWT has three non-empty base64url parts, header.payload.signature.', 'Give the whole JWT as the identity provider issued it.');
  }
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: unknown }).alg;
  } catch {
    throw new AuthzError('JWT_MALFORMED', "The JWT's header is not base64url JSON.", 'Give the whole JWT as the identity provider issued it.');
  }
  if (alg !== 'RS256') {
    throw new AuthzError(
      'JWT_NOT_RS256',
      `The JWT is signed with ${JSON.stringify(alg)}, and AWS IoT verifies token signatures only with RSA SHA-256 (RS256): it cannot be used as a signed token.`,
      'Sign the JWT with an RSA key (RS256) of 2048 bits or more, or use the JWT as an unsigned token (an authorizer with signing disabled whose Lambda verifies it).',
    );
  }
  const signature = Buffer.from(parts[2], 'base64url').toString('base64');
  if (!matchesAwsSignaturePattern(signature)) {
    throw new AuthzError('JWT_MALFORMED', "The JWT's signature part is not base64url.", 'Give the whole JWT as the identity provider issued it.');
  }
  return { token: `${parts[0]}.${parts[1]}`, signature };
}
