import { AWS_TOKEN_SIGNATURE_PATTERN } from './constants';

/** True when a signature string matches AWS's tokenSignature pattern `[A-Za-z0-9+/]+={0,2}`. */
export function matchesAwsSignaturePattern(signature: string): boolean {
  return AWS_TOKEN_SIGNATURE_PATTERN.test(signature);
}

/** True when the string is canonical, padded, single-line standard base64 (what `openssl base64 -A` writes). */
export function isCanonicalBase64(s: string): boolean {
  return s.length % 4 === 0 && AWS_TOKEN_SIGNATURE_PATTERN.test(s) && Buffer.from(s, 'base64').toString('base64') === s;
}

/** Bytes of an RSA signature: the modulus length. */
export function signatureLength(bits: number): number {
  return Math.ceil(bits / 8);
}

/**
 * The `=` padding of a base64 signature from a key of this size: 2048 bits
 * (256 bytes) gives '==', 3072 (384) none, 4096 (512) '='. Never a fixed '=='.
 */
export function expectedSignaturePadding(bits: number): '' | '=' | '==' {
  return (['', '==', '='] as const)[signatureLength(bits) % 3];
}

/** The base64 signature percent-encoded for an MQTT username or query string. */
export function urlEncodeSignature(signature: string): string {
  return encodeURIComponent(signature);
}
