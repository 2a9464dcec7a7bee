import * as assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { AuthzError } from '../../../../src/core/errors';
import {
  DiagnosisCode,
  expectedSignaturePadding,
  isCanonicalBase64,
  matchesAwsSignaturePattern,
  signatureLength,
  signToken,
  verifyToken,
  VerifyResult,
} from '../../../../src/core/tokens';

function rsa(bits: number): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

const codes = (r: VerifyResult): DiagnosisCode[] => r.diagnosis.map((d) => d.code);
const TOKEN = 'device-42';

describe('core/tokens verifyToken and its diagnosis', function () {
  this.timeout(60_000);
  let a: ReturnType<typeof rsa>;
  let b: ReturnType<typeof rsa>;
  let big: ReturnType<typeof rsa>;
  let mid: ReturnType<typeof rsa>;
  let keys: { name: string; key: KeyObject }[];
  let sig: string;

  before(() => {
    a = rsa(2048);
    b = rsa(2048);
    mid = rsa(3072);
    big = rsa(4096);
    keys = [{ name: 'prod', key: a.publicKey }];
    // Find a token whose signature has '+', '/' so encodings matter.
    for (let i = 0; ; i++) {
      sig = signToken(a.privateKey, `${TOKEN}`);
      if (/\+/.test(sig) && /\//.test(sig)) break;
      a = rsa(2048);
      keys = [{ name: 'prod', key: a.publicKey }];
      if (i > 20) throw new Error('no signature with + and /');
    }
  });

  it('valid: names the matched key among several; a private key works as a verify key', () => {
    const r = verifyToken([{ name: 'old', key: b.publicKey }, { name: 'prod', key: a.privateKey }], TOKEN, sig);
    assert.deepEqual(r, { valid: true, matchedKey: 'prod', diagnosis: [] });
  });

  it('URL-encoded signature: decoded and verified', () => {
    const r = verifyToken(keys, TOKEN, encodeURIComponent(sig));
    assert.equal(r.valid, false);
    assert.deepEqual(codes(r), ['SIGNATURE_URL_ENCODED']);
    assert.equal(r.diagnosis[0].correctedSignature, sig);
    assert.equal(r.correctedSignature, sig);
    assert.match(r.diagnosis[0].message, /verifies with key 'prod'/);
    // Twice encoded too.
    assert.equal(verifyToken(keys, TOKEN, encodeURIComponent(encodeURIComponent(sig))).correctedSignature, sig);
  });

  it('base64url (JWT style, no padding): converted and padded', () => {
    const url = sig.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const r = verifyToken(keys, TOKEN, url);
    assert.deepEqual(codes(r), ['SIGNATURE_BASE64URL', 'SIGNATURE_PADDING']);
    assert.equal(r.correctedSignature, sig);
  });

  it('padding: computed from the key size, never a fixed ==', () => {
    assert.equal(expectedSignaturePadding(2048), '==');
    assert.equal(expectedSignaturePadding(3072), '');
    assert.equal(expectedSignaturePadding(4096), '=');
    assert.deepEqual([2048, 3072, 4096].map(signatureLength), [256, 384, 512]);
    // 2048: missing padding.
    let r = verifyToken(keys, TOKEN, sig.replace(/=+$/, ''));
    assert.deepEqual(codes(r), ['SIGNATURE_PADDING']);
    assert.match(r.diagnosis[0].message, /needs 2 \('=='\).*2048-bit/);
    assert.equal(r.correctedSignature, sig);
    // 3072: someone appended '==' to a signature that needs none.
    const s3 = signToken(mid.privateKey, TOKEN);
    assert.ok(!s3.endsWith('='));
    r = verifyToken([{ name: 'mid', key: mid.publicKey }], TOKEN, `${s3}==`);
    assert.deepEqual(codes(r), ['SIGNATURE_PADDING']);
    assert.match(r.diagnosis[0].message, /needs 0/);
    assert.equal(r.correctedSignature, s3);
    // 4096: '==' where '=' is right.
    const s4 = signToken(big.privateKey, TOKEN);
    assert.match(s4, /[^=]=$/);
    r = verifyToken([{ name: 'big', key: big.publicKey }], TOKEN, `${s4}=`);
    assert.deepEqual(codes(r), ['SIGNATURE_PADDING']);
    assert.equal(r.correctedSignature, s4);
  });

  it('near miss: an unpadded 3072-bit signature is valid, no padding finding', () => {
    const s3 = signToken(mid.privateKey, TOKEN);
    assert.equal(verifyToken([{ name: 'mid', key: mid.publicKey }], TOKEN, s3).valid, true);
  });

  it('wrapped over lines (openssl base64 without -A), final newline included', () => {
    const wrapped = `${sig.match(/.{1,64}/g)!.join('\n')}\n`;
    const r = verifyToken(keys, TOKEN, wrapped);
    assert.deepEqual(codes(r), ['SIGNATURE_WRAPPED']);
    assert.equal(r.correctedSignature, sig);
  });

  it('surrounding whitespace (near miss for wrapped: one line)', () => {
    const r = verifyToken(keys, TOKEN, `  ${sig}\n`);
    assert.deepEqual(codes(r), ['SIGNATURE_WHITESPACE']);
    assert.equal(r.correctedSignature, sig);
  });

  it("'+' turned into spaces by form decoding", () => {
    const r = verifyToken(keys, TOKEN, sig.replace(/\+/g, ' '));
    assert.deepEqual(codes(r), ['SIGNATURE_SPACE_FOR_PLUS']);
    assert.equal(r.correctedSignature, sig);
  });

  it('signed over token + newline (LF and CRLF), with the key named', () => {
    for (const nl of ['\n', '\r\n']) {
      const r = verifyToken(keys, TOKEN, signToken(a.privateKey, TOKEN + nl));
      assert.deepEqual(codes(r), ['SIGNATURE_OVER_NEWLINE']);
      assert.equal(r.diagnosis[0].keyName, 'prod');
      assert.match(r.diagnosis[0].message, /printf '%s'/);
    }
  });

  it('near miss: signed over a different token (no newline involved) is a plain mismatch', () => {
    const r = verifyToken(keys, TOKEN, signToken(a.privateKey, `${TOKEN}x`));
    assert.deepEqual(codes(r), ['SIGNATURE_MISMATCH']);
    assert.equal(r.correctedSignature, undefined);
  });

  it('the token being checked has the newline the signature lacks', () => {
    const r = verifyToken(keys, Buffer.from(`${TOKEN}\n`), sig);
    assert.deepEqual(codes(r), ['SIGNATURE_OVER_TRIMMED_TOKEN']);
  });

  it('signature from a different key among those given (otherKeys), named', () => {
    const r = verifyToken(keys, TOKEN, signToken(b.privateKey, TOKEN), { otherKeys: [{ name: 'staging', key: b.publicKey }] });
    assert.deepEqual(codes(r), ['SIGNATURE_OTHER_KEY']);
    assert.match(r.diagnosis[0].message, /'staging'/);
    assert.equal(r.valid, false, 'other keys never make a signature valid');
    // Near miss: without otherKeys it is only a mismatch.
    assert.deepEqual(codes(verifyToken(keys, TOKEN, signToken(b.privateKey, TOKEN))), ['SIGNATURE_MISMATCH']);
  });

  it('signature length does not match the key size', () => {
    const r = verifyToken(keys, TOKEN, signToken(big.privateKey, TOKEN));
    assert.deepEqual(codes(r), ['SIGNATURE_LENGTH_MISMATCH']);
    assert.match(r.diagnosis[0].message, /512 bytes.*4096-bit.*256 bytes/);
    // ... unless an other key of that size made it.
    const o = verifyToken(keys, TOKEN, signToken(big.privateKey, TOKEN), { otherKeys: [{ name: 'big', key: big.publicKey }] });
    assert.deepEqual(codes(o), ['SIGNATURE_OTHER_KEY']);
  });

  it('not base64 at all (hex, binary), and impossible lengths', () => {
    assert.deepEqual(codes(verifyToken(keys, TOKEN, 'deadbeef:cafe')), ['SIGNATURE_NOT_BASE64']);
    assert.deepEqual(codes(verifyToken(keys, TOKEN, 'abcde')), ['SIGNATURE_NOT_BASE64']);
    assert.deepEqual(codes(verifyToken(keys, TOKEN, '')), ['SIGNATURE_EMPTY']);
    // Near miss: hex digits are valid base64 characters, so a hex dump is a length problem, not "not base64".
    const hex = Buffer.from(sig, 'base64').toString('hex');
    assert.deepEqual(codes(verifyToken(keys, TOKEN, hex)), ['SIGNATURE_LENGTH_MISMATCH']);
  });

  it('several mistakes at once are listed most useful first', () => {
    const messy = ` ${encodeURIComponent(sig.replace(/=+$/, ''))} `;
    const r = verifyToken(keys, TOKEN, messy);
    assert.deepEqual(codes(r), ['SIGNATURE_URL_ENCODED', 'SIGNATURE_PADDING', 'SIGNATURE_WHITESPACE']);
    assert.equal(r.correctedSignature, sig);
  });

  it('errors: no keys, empty token, EC verify key', () => {
    assert.throws(() => verifyToken([], TOKEN, sig), (e: AuthzError) => e.code === 'KEY_REQUIRED');
    assert.throws(() => verifyToken(keys, '', sig), (e: AuthzError) => e.code === 'TOKEN_EMPTY');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    assert.throws(() => verifyToken([{ name: 'ec', key: ec }], TOKEN, sig), (e: AuthzError) => e.code === 'KEY_NOT_RSA');
  });

  it('AWS tokenSignature pattern and canonical base64', () => {
    assert.equal(matchesAwsSignaturePattern(sig), true);
    assert.equal(matchesAwsSignaturePattern(sig.replace(/\+/g, '-')), false);
    assert.equal(matchesAwsSignaturePattern(`${sig}\n`), false);
    assert.equal(matchesAwsSignaturePattern('abc==='), false);
    assert.equal(matchesAwsSignaturePattern(''), false);
    assert.equal(isCanonicalBase64(sig), true);
    assert.equal(isCanonicalBase64(sig.replace(/=+$/, '')), false);
    assert.equal(isCanonicalBase64('QR=='), false, 'non-zero trailing bits');
  });
});
