import { KeyObject } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, JWTPayload, ProtectedHeaderParameters } from 'jose';
import { AuthzError } from '../errors';
import { humanSpan } from './duration';
import { Jwks } from './jwks';
import { JWT_ALGORITHMS, JwtAlgorithm } from './keys';

export interface DecodedJwt {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
  /** 'jwt': header.payload.signature; 'signing-input': header.payload, the token of the signed-JWT pattern. */
  form: 'jwt' | 'signing-input';
}

export interface Expiry {
  exp?: number;
  /** ISO 8601 of `exp`. */
  expiresAt?: string;
  expired: boolean;
  /** Set when `nbf` is in the future. */
  notYetValid: boolean;
  /** "expires in 14 minutes", "expired 3 minutes ago", "has no expiry (no exp claim)". */
  text: string;
}

export interface JwtKeyCandidate {
  /** Shown in results: a file name or a JWKS kid. */
  name: string;
  key: KeyObject;
  kid?: string;
}

export interface JwtCheck extends DecodedJwt {
  expiry: Expiry;
  /** Undefined when no keys were given. */
  verified?: { ok: true; keyName: string } | { ok: false; reason: string };
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function malformed(message: string, hint = 'Copy the whole token again: a JWT is three base64url parts joined by dots, header.payload.signature.'): AuthzError {
  return new AuthzError('JWT_MALFORMED', message, hint);
}

/** True for text shaped like a JWT or its signing input: two or three base64url parts whose first decodes to a JSON header with `alg`. */
export function looksLikeJwt(token: string | undefined): boolean {
  if (!token || token.length > 16_384) return false;
  const parts = token.split('.');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => SEGMENT.test(p)) || !parts[0] || !parts[1]) return false;
  try {
    const h = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    return !!h && typeof h === 'object' && typeof (h as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Decodes a JWT (or the signed-JWT token `header.payload` when allowed)
 * without verifying it, with a clear error for each malformed shape.
 */
export function decodeJwtToken(token: string, options: { allowSigningInput?: boolean } = {}): DecodedJwt {
  const t = token.trim();
  if (t === '') throw malformed('The JWT is empty.');
  const parts = t.split('.');
  if (parts.length === 5) throw malformed('This is an encrypted JWT (JWE, five parts); only signed JWTs (JWS, three parts) can be decoded here.', 'Give the signed JWT.');
  const signingInput = parts.length === 2 && options.allowSigningInput;
  if (parts.length !== 3 && !signingInput) {
    throw malformed(
      parts.length === 2
        ? 'The JWT has two parts, not three: it is truncated, or it is the signed-JWT token header.payload whose signature is sent separately.'
        : `The JWT has ${parts.length} part${parts.length === 1 ? '' : 's'}, not three (header.payload.signature): it is truncated or not a JWT.`,
    );
  }
  const names = ['header', 'payload', 'signature'];
  parts.forEach((p, i) => {
    if (p === '' && i < 2) throw malformed(`The JWT's ${names[i]} part is empty.`);
    if (!SEGMENT.test(p)) throw malformed(`The JWT's ${names[i]} part is not base64url (it contains '${p.match(/[^A-Za-z0-9_-]/)![0]}').`);
  });
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(signingInput ? `${t}.` : t);
  } catch {
    throw malformed("The JWT's header is not base64url-encoded JSON: the token is damaged or not a JWT.");
  }
  if (typeof header.alg !== 'string') throw malformed('The JWT header has no "alg".');
  if (header.alg.toLowerCase() === 'none') {
    throw new AuthzError(
      'JWT_ALG_NONE',
      'The JWT says "alg": "none": it is unsigned, and anyone can write one. A verifier must refuse it.',
      'Sign the JWT (RS256 or ES256); never accept alg none in an authorizer.',
    );
  }
  let claims: JWTPayload;
  try {
    claims = decodeJwt(signingInput ? `${t}.` : t);
  } catch (e) {
    const m = (e as Error).message;
    throw malformed(
      /JSON/.test(m)
        ? "The JWT's claims (payload) are not JSON: the token is damaged, or it is not a JWT."
        : /Claims Set|object/i.test(m)
          ? "The JWT's claims (payload) are JSON but not an object."
          : "The JWT's claims (payload) are not base64url-encoded JSON.",
    );
  }
  return { header, claims, form: signingInput ? 'signing-input' : 'jwt' };
}

/** The token's expiry in human terms, at `now` (seconds). */
export function expiryOf(claims: JWTPayload, now = Math.floor(Date.now() / 1000)): Expiry {
  const notYetValid = typeof claims.nbf === 'number' && claims.nbf > now;
  if (typeof claims.exp !== 'number') {
    return { expired: false, notYetValid, text: `has no expiry (no exp claim)${notYetValid ? `; not valid for another ${humanSpan(claims.nbf! - now)} (nbf)` : ''}` };
  }
  const expiresAt = new Date(claims.exp * 1000).toISOString();
  const expired = claims.exp <= now;
  const text = expired ? `expired ${humanSpan(now - claims.exp)} ago (${expiresAt})` : `expires in ${humanSpan(claims.exp - now)} (${expiresAt})`;
  return {
    exp: claims.exp,
    expiresAt,
    expired,
    notYetValid,
    text: notYetValid ? `${text}; not valid for another ${humanSpan(claims.nbf! - now)} (nbf)` : text,
  };
}

/** The keys of a JWKS, imported, named by kid. Keys of other types (oct, OKP) are skipped. */
export async function jwksCandidates(jwks: Jwks): Promise<JwtKeyCandidate[]> {
  const out: JwtKeyCandidate[] = [];
  for (const [i, jwk] of jwks.keys.entries()) {
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
    const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : 'ES256');
    try {
      const imported = await importJWK({ ...jwk, alg }, alg);
      if (imported instanceof Uint8Array) continue;
      // jose's web build returns a WebCrypto key; node:crypto's KeyObject is what the rest of the core uses.
      const key = imported instanceof KeyObject ? imported : KeyObject.from(imported as Parameters<typeof KeyObject.from>[0]);
      out.push({ name: jwk.kid ? `kid '${jwk.kid}'` : `key #${i + 1}`, key, kid: jwk.kid });
    } catch {
      // An unusable entry cannot verify anything; the others still can.
    }
  }
  return out;
}

/**
 * Decodes a JWT and, when keys are given, checks its signature with jose
 * (only RS256 and ES256, the algorithms the keys imply). A JWT signed with a
 * shared secret (HS256) where a public-key algorithm is expected is an
 * error, not a failed check: it is the key-confusion attack.
 */
export async function checkJwt(
  token: string,
  options: { keys?: JwtKeyCandidate[]; now?: number; allowSigningInput?: boolean; signature?: string } = {},
): Promise<JwtCheck> {
  const decoded = decodeJwtToken(token, { allowSigningInput: options.allowSigningInput });
  const expiry = expiryOf(decoded.claims, options.now);
  const result: JwtCheck = { ...decoded, expiry };
  if (!options.keys) return result;
  const alg = decoded.header.alg!;
  if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new AuthzError(
      'JWT_ALG_UNEXPECTED',
      /^HS/.test(alg)
        ? `The JWT is signed with ${alg}, a shared secret (HMAC), but a public key was given: ${JWT_ALGORITHMS.join(' or ')} is expected. Accepting it would let anyone who knows the public key forge tokens.`
        : `The JWT is signed with ${alg}; ${JWT_ALGORITHMS.join(' or ')} is expected.`,
      'Have the identity provider sign with RS256 (RSA) or ES256 (P-256), and verify with its public key.',
    );
  }
  if (decoded.form === 'signing-input') {
    result.verified = { ok: false, reason: 'This is the signed-JWT token header.payload; its signature travels separately (x-amz-customauthorizer-signature).' };
    return result;
  }
  const fitting = options.keys.filter((k) => keyAlgorithm(k.key) === alg);
  if (fitting.length === 0) {
    result.verified = { ok: false, reason: `The JWT is ${alg}, and none of the ${options.keys.length} key(s) given is ${alg === 'RS256' ? 'an RSA' : 'a P-256 EC'} key.` };
    return result;
  }
  // The kid the token names first, as a JWKS client picks it; then every key, to say which one really signed.
  const ordered = [...fitting.filter((k) => decoded.header.kid && k.kid === decoded.header.kid), ...fitting.filter((k) => !decoded.header.kid || k.kid !== decoded.header.kid)];
  for (const k of ordered) {
    try {
      await compactVerify(token.trim(), k.key, { algorithms: [alg] });
      result.verified = { ok: true, keyName: k.name };
      if (decoded.header.kid && k.kid !== undefined && k.kid !== decoded.header.kid) {
        result.verified = { ok: true, keyName: `${k.name} (the header names kid '${decoded.header.kid}')` };
      }
      return result;
    } catch {
      // try the next key
    }
  }
  const kidNote = decoded.header.kid && !fitting.some((k) => k.kid === decoded.header.kid) && fitting.some((k) => k.kid) ? ` The header's kid '${decoded.header.kid}' is not among the keys.` : '';
  result.verified = { ok: false, reason: `The signature does not verify with ${fitting.length === 1 ? fitting[0].name : `any of ${fitting.map((k) => k.name).join(', ')}`}: the JWT was signed with another key, or altered after signing.${kidNote}` };
  return result;
}

function keyAlgorithm(key: KeyObject): JwtAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}
