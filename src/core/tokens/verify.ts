import { constants, createPublicKey, KeyObject, verify } from 'node:crypto';
import { AuthzError } from '../errors';
import { assertVerifyKey, RsaPrivateKey, RsaPublicKey } from '../keys/keys';
import { expectedSignaturePadding, isCanonicalBase64, signatureLength } from './signature';
import { assertTokenNotEmpty, tokenBytes } from './sign';

export interface NamedKey {
  /** Shown in results: the tokenSigningPublicKeys entry name or the file name. */
  name: string;
  /** A public key, or a private key whose public half is used. */
  key: KeyObject | RsaPublicKey | RsaPrivateKey;
}

export type DiagnosisCode =
  | 'SIGNATURE_URL_ENCODED'
  | 'SIGNATURE_BASE64URL'
  | 'SIGNATURE_PADDING'
  | 'SIGNATURE_WRAPPED'
  | 'SIGNATURE_WHITESPACE'
  | 'SIGNATURE_SPACE_FOR_PLUS'
  | 'SIGNATURE_OVER_NEWLINE'
  | 'SIGNATURE_OVER_TRIMMED_TOKEN'
  | 'SIGNATURE_OTHER_KEY'
  | 'SIGNATURE_LENGTH_MISMATCH'
  | 'SIGNATURE_NOT_BASE64'
  | 'SIGNATURE_EMPTY'
  | 'SIGNATURE_MISMATCH';

export interface DiagnosisItem {
  code: DiagnosisCode;
  /** What is wrong and what to do. */
  message: string;
  /** The signature with the format mistakes repaired, when one could be computed. */
  correctedSignature?: string;
  /** The key the (corrected) signature verifies with, when one does. */
  keyName?: string;
}

export interface VerifyResult {
  /** True only when the signature exactly as given would be accepted by AWS IoT. */
  valid: boolean;
  /** The key it verified with (valid only). */
  matchedKey?: string;
  /** Why it is invalid, most useful first; empty when valid. */
  diagnosis: DiagnosisItem[];
  /** A repaired signature that verifies, when the only problems were format mistakes. */
  correctedSignature?: string;
}

export interface VerifyOptions {
  /**
   * Keys that are not the authorizer's (other workspace keys): never make a
   * signature valid, only explain a failure ("made with key X").
   */
  otherKeys?: NamedKey[];
}

interface Candidate {
  name: string;
  key: KeyObject;
  bits: number;
}

const ORDER: DiagnosisCode[] = [
  'SIGNATURE_URL_ENCODED',
  'SIGNATURE_BASE64URL',
  'SIGNATURE_PADDING',
  'SIGNATURE_WRAPPED',
  'SIGNATURE_WHITESPACE',
  'SIGNATURE_SPACE_FOR_PLUS',
  'SIGNATURE_OVER_NEWLINE',
  'SIGNATURE_OVER_TRIMMED_TOKEN',
  'SIGNATURE_OTHER_KEY',
  'SIGNATURE_LENGTH_MISMATCH',
  'SIGNATURE_NOT_BASE64',
  'SIGNATURE_EMPTY',
  'SIGNATURE_MISMATCH',
];

function toCandidate(k: NamedKey): Candidate {
  const obj = k.key instanceof KeyObject ? k.key : k.key.key;
  const key = obj.type === 'private' ? createPublicKey(obj) : obj;
  return { name: k.name, key, bits: assertVerifyKey(key) };
}

function matching(sig: Buffer, data: Buffer, keys: Candidate[]): Candidate | undefined {
  return keys.find(
    (k) => signatureLength(k.bits) === sig.length && verify('sha256', data, { key: k.key, padding: constants.RSA_PKCS1_PADDING }, sig),
  );
}

function sizes(keys: Candidate[]): string {
  return keys.map((k) => `'${k.name}' ${k.bits}-bit: ${signatureLength(k.bits)} bytes, padding '${expectedSignaturePadding(k.bits)}'`).join('; ');
}

/**
 * Verifies a token signature as AWS IoT does (standard base64, RSA PKCS#1
 * v1.5 SHA-256 over the token bytes) against the authorizer's keys. When it
 * fails, diagnoses the usual mistakes and, where it can, returns the
 * corrected signature.
 */
export function verifyToken(
  publicKeys: NamedKey[],
  token: string | Uint8Array,
  signature: string,
  options: VerifyOptions = {},
): VerifyResult {
  if (publicKeys.length === 0) {
    throw new AuthzError('KEY_REQUIRED', 'No public key was given to verify the signature with.', "Give the authorizer's token signing public key.");
  }
  const keys = publicKeys.map(toCandidate);
  const others = (options.otherKeys ?? []).map(toCandidate);
  const data = tokenBytes(token);
  assertTokenNotEmpty(data);

  if (isCanonicalBase64(signature)) {
    const m = matching(Buffer.from(signature, 'base64'), data, keys);
    if (m) return { valid: true, matchedKey: m.name, diagnosis: [] };
  }

  const diagnosis: DiagnosisItem[] = [];
  const done = (): VerifyResult => {
    diagnosis.sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code));
    const fixed = diagnosis.find((d) => d.correctedSignature && d.keyName);
    return { valid: false, diagnosis, ...(fixed ? { correctedSignature: fixed.correctedSignature } : {}) };
  };
  if (signature.trim() === '') {
    diagnosis.push({ code: 'SIGNATURE_EMPTY', message: 'The signature is empty. Give the base64 signature of the token.' });
    return done();
  }

  // Repair format mistakes one by one; each repair becomes a diagnosis item.
  const repairs: DiagnosisItem[] = [];
  let s = signature;
  if (/[\r\n]/.test(s.trim())) {
    // Wrapping explains a final newline too: one finding, not two.
    s = s.replace(/\s+/g, '');
    repairs.push({
      code: 'SIGNATURE_WRAPPED',
      message: 'The signature is wrapped over several lines (openssl base64 without -A wraps at 64 columns). Join it into one line: use `openssl base64 -A`.',
    });
  } else if (s.trim() !== s) {
    s = s.trim();
    repairs.push({ code: 'SIGNATURE_WHITESPACE', message: 'The signature has whitespace or a newline around it. Remove it: AWS compares the exact string.' });
  }
  if (/%[0-9A-Fa-f]{2}/.test(s)) {
    for (let i = 0; i < 3 && /%[0-9A-Fa-f]{2}/.test(s); i++) {
      try {
        s = decodeURIComponent(s);
      } catch {
        break;
      }
    }
    repairs.push({
      code: 'SIGNATURE_URL_ENCODED',
      message:
        'The signature is URL-encoded (%2B, %2F, %3D). URL-encode it only inside an MQTT username or query string; the signature value itself (HTTP header, TestInvokeAuthorizer, Device SDK argument) is plain base64. Decode it.',
    });
  }
  if (/ /.test(s)) {
    s = s.replace(/ /g, '+');
    repairs.push({
      code: 'SIGNATURE_SPACE_FOR_PLUS',
      message: "The signature contains spaces where base64 has '+': it was put in a query string or username without URL-encoding and decoded as a form. URL-encode it (encodeURIComponent) where it is sent.",
    });
  }
  if (/[-_]/.test(s)) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    repairs.push({
      code: 'SIGNATURE_BASE64URL',
      message: "The signature is base64url (with '-' and '_', as in a JWT); AWS needs standard base64. Replace '-' with '+', '_' with '/', and add the '=' padding.",
    });
  }
  diagnosis.push(...repairs);
  const bad = s.replace(/=+$/, '').match(/[^A-Za-z0-9+/]/);
  if (bad) {
    diagnosis.push({
      code: 'SIGNATURE_NOT_BASE64',
      message: `The signature is not base64: it contains '${bad[0]}'. Give the base64 output of the signing step (openssl dgst -sha256 -sign key.pem | openssl base64 -A), not the raw binary or a hex dump.`,
    });
    return done();
  }
  const body = s.replace(/=+$/, '');
  if (body.length % 4 === 1) {
    diagnosis.push({
      code: 'SIGNATURE_NOT_BASE64',
      message: `The signature has ${body.length} base64 characters, a length no base64 text can have: it is truncated or has extra characters. Copy it again.`,
    });
    return done();
  }
  const pad = '='.repeat((4 - (body.length % 4)) % 4);
  if (s !== body + pad) {
    const sigBytes = Math.floor((body.length * 3) / 4);
    const owner = keys.find((k) => signatureLength(k.bits) === sigBytes);
    diagnosis.push({
      code: 'SIGNATURE_PADDING',
      message: `The signature's '=' padding is wrong: it has ${s.length - body.length} '=' and needs ${pad.length} ('${pad}'). ${
        owner ? `A ${owner.bits}-bit key's ${sigBytes}-byte signature ends in '${pad}'` : `${sigBytes} bytes of signature end in '${pad}'`
      }; padding follows from the key size, so never append a fixed '=='.`,
    });
    s = body + pad;
  }

  const sig = Buffer.from(s, 'base64');
  const fixedMessage = (name: string) => ` Corrected, it verifies with key '${name}'.`;
  const corrected = s !== signature ? s : undefined;
  const m = matching(sig, data, keys);
  if (m) {
    for (const d of diagnosis) {
      d.message += fixedMessage(m.name);
      d.correctedSignature = s;
      d.keyName = m.name;
    }
    return done();
  }
  if (corrected) for (const d of diagnosis) d.correctedSignature = corrected;

  if (!keys.some((k) => signatureLength(k.bits) === sig.length)) {
    const other = matching(sig, data, others);
    if (other) {
      diagnosis.push({
        code: 'SIGNATURE_OTHER_KEY',
        keyName: other.name,
        message: `The signature was made with the private key of '${other.name}' (${other.bits}-bit), which is not among the authorizer's keys (${keys.map((k) => `'${k.name}'`).join(', ')}). Sign with the authorizer's private key, or add '${other.name}' to tokenSigningPublicKeys.`,
      });
      return done();
    }
    diagnosis.push({
      code: 'SIGNATURE_LENGTH_MISMATCH',
      message: `The signature is ${sig.length} bytes, as made by a ${sig.length * 8}-bit key, but the given keys produce other lengths (${sizes(keys)}). It was made with a key of another size: sign with the authorizer's private key.`,
    });
    return done();
  }

  for (const [suffix, label] of [
    ['\n', 'a newline (\\n)'],
    ['\r\n', 'CRLF (\\r\\n)'],
  ] as const) {
    const n = matching(sig, Buffer.concat([data, Buffer.from(suffix)]), keys);
    if (n) {
      diagnosis.push({
        code: 'SIGNATURE_OVER_NEWLINE',
        keyName: n.name,
        message: `The signature was made over the token plus ${label}: the echo mistake. Sign the exact token bytes: printf '%s' "$TOKEN" | openssl dgst -sha256 -sign key.pem | openssl base64 -A (or echo -n, or iot-authz sign).`,
      });
      return done();
    }
  }
  const text = data.toString('utf8');
  if (text.trim() !== text && text.trim() !== '') {
    const t = matching(sig, Buffer.from(text.trim(), 'utf8'), keys);
    if (t) {
      diagnosis.push({
        code: 'SIGNATURE_OVER_TRIMMED_TOKEN',
        keyName: t.name,
        message: `The signature matches the token without its surrounding whitespace or newline, with key '${t.name}': the token being checked has extra characters (a token file ending in a newline?). Remove them from the token.`,
      });
      return done();
    }
  }
  const other = matching(sig, data, others);
  if (other) {
    diagnosis.push({
      code: 'SIGNATURE_OTHER_KEY',
      keyName: other.name,
      message: `The signature was made with the private key of '${other.name}', which is not among the authorizer's keys (${keys.map((k) => `'${k.name}'`).join(', ')}). Sign with the authorizer's private key, or add '${other.name}' to tokenSigningPublicKeys.`,
    });
    return done();
  }
  diagnosis.push({
    code: 'SIGNATURE_MISMATCH',
    message: `The signature does not verify with ${keys.length === 1 ? `key '${keys[0].name}'` : `any of the keys ${keys.map((k) => `'${k.name}'`).join(', ')}`}: it was made over a different token or with a private key whose public key was not given. Sign this exact token with the private key matching the authorizer's public key.`,
  });
  return done();
}
