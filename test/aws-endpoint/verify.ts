import { createPublicKey, verify } from 'node:crypto';

/** What IoT Core does before invoking the Lambda: RSA-SHA256 PKCS#1 v1.5 over the token's bytes, any key. */
export function verifyTokenSignature(token: string, signatureBase64: string, publicKeysPem: string[]): boolean {
  const sig = Buffer.from(signatureBase64, 'base64');
  for (const pem of publicKeysPem) {
    try {
      if (verify('RSA-SHA256', Buffer.from(token, 'utf8'), createPublicKey(pem), sig)) return true;
    } catch {
      // unreadable key: try the next
    }
  }
  return false;
}
