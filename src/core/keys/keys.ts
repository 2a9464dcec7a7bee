import { createHash, createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { AuthzError } from '../errors';
import { PemBlock, splitPem } from './pem';

/** AWS IoT rejects token signing keys under 2048 bits. */
export const MIN_RSA_BITS = 2048;

export type PemKind = 'private' | 'encrypted-private' | 'public' | 'certificate' | 'other';
export type PemFormat = 'pkcs1' | 'pkcs8' | 'spki' | 'x509' | 'sec1' | 'other';

/** What one PEM block is, found without a passphrase. */
export interface PemBlockInfo {
  label: string;
  line: number;
  kind: PemKind;
  format: PemFormat;
  /** node's asymmetricKeyType ('rsa', 'ec', 'ed25519', ...); undefined when encrypted or unknown. */
  algorithm?: string;
  /** Modulus length for RSA keys. */
  bits?: number;
  /** SHA-256 of the public key, for keys whose public part is readable without a passphrase. */
  fingerprint?: Fingerprint;
  /** Why this block cannot be used as an AWS token signing key (EC, too small, unreadable), if so. */
  problem?: string;
}

/** SHA-256 of the DER SubjectPublicKeyInfo. */
export interface Fingerprint {
  /** Upper-case hex pairs separated by colons, as `openssl x509 -fingerprint` shows them. */
  hex: string;
  base64: string;
}

export interface RsaPrivateKey {
  key: KeyObject;
  publicKey: KeyObject;
  bits: number;
  fingerprint: Fingerprint;
  /** How the PEM stored it. */
  format: 'pkcs1' | 'pkcs8';
  encrypted: boolean;
}

export interface RsaPublicKey {
  key: KeyObject;
  bits: number;
  fingerprint: Fingerprint;
  /** Where the public key came from: a public key, a certificate, or derived from a private key. */
  source: 'spki' | 'pkcs1' | 'certificate' | 'private';
}

export interface LoadOptions {
  passphrase?: string;
}

export function fingerprintOf(key: KeyObject): Fingerprint {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const digest = createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest();
  return {
    hex: digest.toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1:'),
    base64: digest.toString('base64'),
  };
}

function labelInfo(b: PemBlock): { kind: PemKind; format: PemFormat } {
  switch (b.label) {
    case 'RSA PRIVATE KEY':
      return { kind: isLegacyEncrypted(b) ? 'encrypted-private' : 'private', format: 'pkcs1' };
    case 'PRIVATE KEY':
      return { kind: 'private', format: 'pkcs8' };
    case 'ENCRYPTED PRIVATE KEY':
      return { kind: 'encrypted-private', format: 'pkcs8' };
    case 'EC PRIVATE KEY':
      return { kind: isLegacyEncrypted(b) ? 'encrypted-private' : 'private', format: 'sec1' };
    case 'PUBLIC KEY':
      return { kind: 'public', format: 'spki' };
    case 'RSA PUBLIC KEY':
      return { kind: 'public', format: 'pkcs1' };
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return { kind: 'certificate', format: 'x509' };
    default:
      return { kind: 'other', format: 'other' };
  }
}

function isLegacyEncrypted(b: PemBlock): boolean {
  return /ENCRYPTED/i.test(b.headers['Proc-Type'] ?? '');
}

/** Proper names of node's asymmetricKeyType values, for messages. */
const KEY_TYPE_NAMES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  dsa: 'DSA',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dh: 'DH',
};

/** "an EC key", "a DSA key", "an Ed25519 key", "a key of unknown type". */
export function keyTypePhrase(type: string | undefined): string {
  if (!type) return 'a key of unknown type';
  const name = KEY_TYPE_NAMES[type] ?? type.toUpperCase();
  // The article follows the spoken name: "an EC" (ee-see), "an RSA-PSS" (ar-), "an Ed25519", "an X25519"; "a DSA", "a DH".
  const an = /^(?:[AEIOUFHLMNRSX](?:[A-Z0-9-]|$)|[AEIOU])/.test(name);
  return `${an ? 'an' : 'a'} ${name} key`;
}

/** The problem that makes a key unusable for AWS token signing, or undefined. */
function rsaProblem(key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  if (type !== 'rsa') {
    return `it is ${keyTypePhrase(type)}, and AWS IoT token signing keys are RSA (PKCS#1 v1.5, SHA-256)`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return `it is a ${bits}-bit RSA key, and AWS IoT requires at least ${MIN_RSA_BITS} bits`;
  return undefined;
}

function requireRsa(key: KeyObject, what: string): number {
  const problem = rsaProblem(key);
  if (problem) {
    const small = key.asymmetricKeyType === 'rsa';
    throw new AuthzError(
      small ? 'KEY_TOO_SMALL' : 'KEY_NOT_RSA',
      `The ${what} cannot sign AWS IoT tokens: ${problem}.`,
      small
        ? 'Generate a new RSA key of 2048 bits or more (iot-authz keygen --bits 2048).'
        : 'Generate an RSA key pair (iot-authz keygen, or openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048).',
    );
  }
  return key.asymmetricKeyDetails!.modulusLength!;
}

function unreadable(b: PemBlock, e: unknown): AuthzError {
  return new AuthzError(
    'PEM_MALFORMED',
    `The PEM block '${b.label}' at line ${b.line} could not be read as a key (${(e as Error).message}).`,
    'The base64 content is damaged or the label does not match the content; export the key again.',
  );
}

/**
 * Classifies every PEM block of a text without a passphrase, so a scanner can
 * list key files by content. Damaged blocks make the whole text PEM_MALFORMED;
 * keys that are readable but unusable (EC, 1024-bit) carry a `problem`.
 */
export function classifyPem(text: string): PemBlockInfo[] {
  return splitPem(text).map((b) => {
    const { kind, format } = labelInfo(b);
    const info: PemBlockInfo = { label: b.label, line: b.line, kind, format };
    if (kind === 'encrypted-private') {
      if (b.label === 'RSA PRIVATE KEY') info.algorithm = 'rsa';
      if (b.label === 'EC PRIVATE KEY') info.algorithm = 'ec';
      return info;
    }
    if (kind === 'other') return info;
    try {
      const key =
        kind === 'private'
          ? createPrivateKey(b.text)
          : kind === 'certificate'
            ? new X509Certificate(b.text).publicKey
            : createPublicKey(b.text);
      info.algorithm = key.asymmetricKeyType;
      if (key.asymmetricKeyDetails?.modulusLength) info.bits = key.asymmetricKeyDetails.modulusLength;
      info.fingerprint = fingerprintOf(key);
      info.problem = rsaProblem(key);
    } catch (e) {
      info.problem = `unreadable: ${(e as Error).message}`;
    }
    return info;
  });
}

function readPrivate(b: PemBlock, options: LoadOptions): KeyObject {
  const encrypted = labelInfo(b).kind === 'encrypted-private';
  if (encrypted && !options.passphrase) {
    throw new AuthzError(
      'KEY_PASSPHRASE_REQUIRED',
      `The private key (line ${b.line}) is encrypted and no passphrase was given.`,
      'Give the passphrase the key was encrypted with, or use an unencrypted key.',
    );
  }
  try {
    // A passphrase for an unencrypted key is ignored by node, which is what users expect.
    return createPrivateKey({ key: b.text, format: 'pem', passphrase: encrypted ? options.passphrase : undefined });
  } catch (e) {
    if (encrypted) {
      throw new AuthzError(
        'KEY_PASSPHRASE_WRONG',
        `The passphrase does not decrypt the private key (line ${b.line}).`,
        'Check the passphrase; it is case-sensitive and must not include a trailing newline.',
      );
    }
    throw unreadable(b, e);
  }
}

/**
 * Loads the first private key of a PEM text (PKCS#1, PKCS#8, encrypted
 * PKCS#8, legacy encrypted PKCS#1) as an RSA signing key. Throws
 * KEY_NOT_PRIVATE when the text holds only public keys or certificates.
 */
export function loadPrivateKey(pem: string, options: LoadOptions = {}): RsaPrivateKey {
  const blocks = splitPem(pem);
  const b = blocks.find((x) => ['private', 'encrypted-private'].includes(labelInfo(x).kind));
  if (!b) {
    const found = blocks.map((x) => x.label).join(', ');
    throw new AuthzError(
      'KEY_NOT_PRIVATE',
      `A private key is needed to sign, but the text holds only: ${found}.`,
      'Use the private key file (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY); the public key only verifies.',
    );
  }
  const key = readPrivate(b, options);
  const bits = requireRsa(key, 'private key');
  const format = labelInfo(b).format === 'pkcs1' ? 'pkcs1' : 'pkcs8';
  return {
    key,
    publicKey: createPublicKey(key),
    bits,
    fingerprint: fingerprintOf(key),
    format,
    encrypted: labelInfo(b).kind === 'encrypted-private',
  };
}

/**
 * Loads the first usable public key of a PEM text: SPKI, PKCS#1 public, an
 * X.509 certificate's key, or the public half of a private key.
 */
export function loadPublicKey(pem: string, options: LoadOptions = {}): RsaPublicKey {
  const blocks = splitPem(pem);
  const pub = blocks.find((x) => ['public', 'certificate'].includes(labelInfo(x).kind));
  if (pub) {
    let key: KeyObject;
    try {
      key = labelInfo(pub).kind === 'certificate' ? new X509Certificate(pub.text).publicKey : createPublicKey(pub.text);
    } catch (e) {
      throw unreadable(pub, e);
    }
    const bits = requireRsa(key, labelInfo(pub).kind === 'certificate' ? "certificate's public key" : 'public key');
    const f = labelInfo(pub).format;
    return { key, bits, fingerprint: fingerprintOf(key), source: f === 'x509' ? 'certificate' : f === 'pkcs1' ? 'pkcs1' : 'spki' };
  }
  const priv = blocks.find((x) => ['private', 'encrypted-private'].includes(labelInfo(x).kind));
  if (!priv) {
    throw new AuthzError(
      'KEY_NOT_FOUND',
      `The PEM text holds no key (found: ${blocks.map((x) => x.label).join(', ')}).`,
      'Use a file with BEGIN PUBLIC KEY, BEGIN RSA PUBLIC KEY, BEGIN CERTIFICATE or a private key.',
    );
  }
  const loaded = loadPrivateKey(priv.text, options);
  return { key: loaded.publicKey, bits: loaded.bits, fingerprint: loaded.fingerprint, source: 'private' };
}

/** The SPKI PEM of a key's public half: what goes into the authorizer's tokenSigningPublicKeys. */
export function publicKeyPem(key: KeyObject | RsaPrivateKey | RsaPublicKey): string {
  const k = key instanceof KeyObject ? key : key.key;
  const pub = k.type === 'private' ? createPublicKey(k) : k;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** Checks a KeyObject given directly by code (not PEM) is an RSA private key fit for signing. */
export function assertSigningKey(key: KeyObject): number {
  if (key.type !== 'private') {
    throw new AuthzError(
      'KEY_NOT_PRIVATE',
      'A private key is needed to sign, but a public key was given.',
      'Use the private key; the public key only verifies.',
    );
  }
  return requireRsa(key, 'private key');
}

/** Checks a KeyObject is a usable RSA verification key; returns its size in bits. */
export function assertVerifyKey(key: KeyObject): number {
  return requireRsa(key, key.type === 'private' ? 'private key' : 'public key');
}
