import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { AuthzError, isAuthzError } from '../errors';
import { Fingerprint, fingerprintOf, keyTypePhrase, LoadOptions, loadPrivateKey, loadPublicKey, splitPem } from '../keys';

/** The JWS algorithms this module mints and checks: RSA for IoT's signed tokens, ES256 for identity providers that use it. */
export const JWT_ALGORITHMS = ['RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** A key that signs JWTs, with the algorithm its type implies. */
export interface JwtSigningKey {
  key: KeyObject;
  publicKey: KeyObject;
  alg: JwtAlgorithm;
  /** RSA modulus length; undefined for EC. */
  bits?: number;
  fingerprint: Fingerprint;
}

export interface JwtVerifyKey {
  key: KeyObject;
  alg: JwtAlgorithm;
  fingerprint: Fingerprint;
}

/** ES256 is ECDSA over P-256 only (RFC 7518 3.4). */
function ecAlgorithm(key: KeyObject, what: string): JwtAlgorithm {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') {
    throw new AuthzError(
      'JWT_KEY_UNSUPPORTED',
      `The ${what} is an EC key on curve ${curve ?? 'unknown'}; ES256 needs P-256 (prime256v1).`,
      'Use an RSA key (RS256) or a P-256 EC key: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256.',
    );
  }
  return 'ES256';
}

function unsupported(key: KeyObject, what: string): AuthzError {
  return new AuthzError(
    'JWT_KEY_UNSUPPORTED',
    `The ${what} is ${keyTypePhrase(key.asymmetricKeyType)}; test JWTs are signed with RSA (RS256) or P-256 EC (ES256) keys.`,
    'Use an RSA key of 2048 bits or more (iot-authz keygen), or a P-256 EC key.',
  );
}

/**
 * Loads a private key for JWT signing. RSA keys go through the token key
 * loader (2048 bits minimum, as AWS requires for signed tokens); EC P-256
 * keys, which that loader refuses for IoT token signing, are accepted here for
 * identity-provider style ES256 JWTs.
 */
export function loadJwtSigningKey(pem: string, options: LoadOptions = {}): JwtSigningKey {
  try {
    const rsa = loadPrivateKey(pem, options);
    return { key: rsa.key, publicKey: rsa.publicKey, alg: 'RS256', bits: rsa.bits, fingerprint: rsa.fingerprint };
  } catch (e) {
    if (!isAuthzError(e) || e.code !== 'KEY_NOT_RSA') throw e;
  }
  const block = splitPem(pem).find((b) => /PRIVATE KEY$/.test(b.label))!;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.text, format: 'pem', passphrase: options.passphrase });
  } catch (e) {
    throw new AuthzError(
      options.passphrase ? 'KEY_PASSPHRASE_WRONG' : 'KEY_PASSPHRASE_REQUIRED',
      `The private key (line ${block.line}) cannot be read${options.passphrase ? ' with this passphrase' : ''} (${(e as Error).message}).`,
      'Give the passphrase the key was encrypted with, or use an unencrypted key.',
    );
  }
  if (key.asymmetricKeyType !== 'ec') throw unsupported(key, 'private key');
  const alg = ecAlgorithm(key, 'private key');
  return { key, publicKey: createPublicKey(key), alg, fingerprint: fingerprintOf(key) };
}

/** Loads a key that verifies JWTs: an RSA or P-256 public key, certificate, or the public half of a private key. */
export function loadJwtVerifyKey(pem: string, options: LoadOptions = {}): JwtVerifyKey {
  try {
    const rsa = loadPublicKey(pem, options);
    return { key: rsa.key, alg: 'RS256', fingerprint: rsa.fingerprint };
  } catch (e) {
    if (!isAuthzError(e) || e.code !== 'KEY_NOT_RSA') throw e;
  }
  const blocks = splitPem(pem);
  const pub = blocks.find((b) => b.label === 'PUBLIC KEY' || b.label === 'CERTIFICATE');
  const key = pub
    ? pub.label === 'CERTIFICATE'
      ? new X509Certificate(pub.text).publicKey
      : createPublicKey(pub.text)
    : createPublicKey(loadJwtSigningKey(pem, options).key);
  if (key.asymmetricKeyType !== 'ec') throw unsupported(key, 'public key');
  return { key, alg: ecAlgorithm(key, 'public key'), fingerprint: fingerprintOf(key) };
}

/** The algorithm a KeyObject signs or verifies with. */
export function algorithmOf(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return ecAlgorithm(key, key.type === 'private' ? 'private key' : 'public key');
  throw unsupported(key, key.type === 'private' ? 'private key' : 'public key');
}
