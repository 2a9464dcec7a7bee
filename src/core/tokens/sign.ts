import { constants, KeyObject, sign } from 'node:crypto';
import { AuthzError } from '../errors';
import { assertSigningKey, RsaPrivateKey } from '../keys/keys';

/** The bytes AWS verifies: a string token's UTF-8 encoding, or a Buffer exactly as given. */
export function tokenBytes(token: string | Uint8Array): Buffer {
  return typeof token === 'string' ? Buffer.from(token, 'utf8') : Buffer.from(token);
}

function assertNotEmpty(bytes: Buffer): void {
  if (bytes.length === 0) {
    throw new AuthzError('TOKEN_EMPTY', 'The token is empty; AWS IoT needs a token to verify.', 'Give the token value your device sends.');
  }
}

/**
 * Signs a token as AWS IoT verifies it: RSASSA-PKCS1-v1_5 with SHA-256 over
 * the token's bytes, as one line of standard base64. Byte-identical to
 * `printf %s TOKEN | openssl dgst -sha256 -sign key.pem | openssl base64 -A`.
 */
export function signToken(privateKey: KeyObject | RsaPrivateKey, token: string | Uint8Array): string {
  const key = privateKey instanceof KeyObject ? privateKey : privateKey.key;
  assertSigningKey(key);
  const bytes = tokenBytes(token);
  assertNotEmpty(bytes);
  return sign('sha256', bytes, { key, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

export { assertNotEmpty as assertTokenNotEmpty };
