import { createPublicKey, X509Certificate } from 'node:crypto';
import { fingerprintOf } from '../keys/keys';

export interface PublicKeyInfo {
  /** RSA modulus length; undefined when the key is not RSA or unreadable. */
  bits?: number;
  /** 'rsa', 'ec', ... */
  type?: string;
  /** SHA-256 of the DER SPKI, upper-case hex pairs with colons (the keys core's format). */
  fingerprint?: string;
  /** Why the key could not be read. */
  problem?: string;
}

/** Reads an authorizer's PEM public key without rejecting weak keys (the Doctor reports those). */
export function publicKeyInfo(pem: string): PublicKeyInfo {
  try {
    const key = /BEGIN CERTIFICATE/.test(pem) ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    return {
      type: key.asymmetricKeyType,
      bits: key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined,
      fingerprint: fingerprintOf(key).hex,
    };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/** Fingerprints compare case- and colon-insensitively ("AB:CD..." == "abcd..."). */
export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const n = (s: string) => s.replace(/^sha256:/i, '').replace(/:/g, '').toLowerCase();
  return n(a) === n(b);
}
