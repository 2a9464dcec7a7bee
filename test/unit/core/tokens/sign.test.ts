import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { AuthzError } from '../../../../src/core/errors';
import { loadPrivateKey, loadPublicKey } from '../../../../src/core/keys';
import { inspectToken, signToken, tokenBytes, verifyToken } from '../../../../src/core/tokens';
import { openssl, opensslKey, opensslSign, read, tmpFile } from '../keys/opensslKeys';

const TOKENS = ['allow', 'device-42:2025-01-01T00:00:00Z', 'Zürich-設備-🔑', 'a token with spaces', '{"sub":"thing-1","exp":1893456000}'];

describe('core/tokens sign', function () {
  this.timeout(120_000);

  for (const bits of [2048, 3072, 4096] as const) {
    it(`is byte-identical to openssl dgst -sha256 -sign for ${bits}-bit PKCS#1 and PKCS#8 keys`, () => {
      const k = opensslKey(bits);
      const pkcs1 = loadPrivateKey(read(k.pkcs1Path));
      const pkcs8 = loadPrivateKey(read(k.pkcs8Path));
      for (const token of TOKENS) {
        const expected = opensslSign(k.pkcs1Path, Buffer.from(token, 'utf8'));
        assert.equal(signToken(pkcs1, token), expected, token);
        assert.equal(signToken(pkcs8.key, token), expected, token);
        assert.ok(!expected.includes('\n'));
      }
    });

    it(`openssl verifies our ${bits}-bit signatures`, () => {
      const k = opensslKey(bits);
      const key = loadPrivateKey(read(k.pkcs8Path));
      for (const token of TOKENS) {
        const sigFile = tmpFile(`sig-${bits}.bin`, Buffer.from(signToken(key, token), 'base64'));
        const out = openssl(['dgst', '-sha256', '-verify', k.spkiPath, '-signature', sigFile], { input: Buffer.from(token, 'utf8') });
        assert.match(out.toString(), /Verified OK/);
        assert.equal(verifyToken([{ name: 'k', key: loadPublicKey(read(k.spkiPath)) }], token, signToken(key, token)).valid, true);
      }
    });
  }

  it('signs Buffer tokens byte for byte (a trailing newline included)', () => {
    const k = opensslKey(2048);
    const key = loadPrivateKey(read(k.pkcs1Path));
    const bytes = Buffer.from('token\n');
    assert.equal(signToken(key, bytes), opensslSign(k.pkcs1Path, bytes));
    assert.notEqual(signToken(key, bytes), signToken(key, 'token'));
    const latin1 = Buffer.from([0x74, 0xe9]); // not UTF-8: signed as is
    assert.equal(signToken(key, latin1), opensslSign(k.pkcs1Path, latin1));
    assert.deepEqual(tokenBytes('é'), Buffer.from([0xc3, 0xa9]));
  });

  it('rejects an empty token and a public key', () => {
    const k = opensslKey(2048);
    const key = loadPrivateKey(read(k.pkcs1Path));
    for (const t of ['', Buffer.alloc(0)]) {
      assert.throws(() => signToken(key, t), (e: AuthzError) => e.code === 'TOKEN_EMPTY' && !!e.hint);
    }
    assert.throws(() => signToken(loadPublicKey(read(k.spkiPath)).key, 'x'), (e: AuthzError) => e.code === 'KEY_NOT_PRIVATE');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    assert.throws(() => signToken(ec, 'x'), (e: AuthzError) => e.code === 'KEY_NOT_RSA');
  });
});

describe('core/tokens inspectToken', () => {
  const codes = (t: string | Buffer) => inspectToken(t).map((w) => w.code);

  it('a clean token, with inner spaces and non-ASCII text, has no warnings', () => {
    assert.deepEqual(codes('Zürich-設備-🔑 with spaces'), []);
  });
  it('trailing newline, CRLF, whitespace', () => {
    assert.deepEqual(codes('abc\n'), ['TOKEN_TRAILING_NEWLINE']);
    assert.deepEqual(codes(Buffer.from('abc\r\n')), ['TOKEN_TRAILING_CRLF']);
    assert.deepEqual(codes('abc '), ['TOKEN_TRAILING_WHITESPACE']);
    assert.deepEqual(codes('abc\t'), ['TOKEN_TRAILING_WHITESPACE']);
  });
  it('leading whitespace and inner newlines', () => {
    assert.deepEqual(codes(' abc'), ['TOKEN_LEADING_WHITESPACE']);
    assert.deepEqual(codes('{\n"a":1}'), ['TOKEN_INNER_NEWLINE']);
    assert.deepEqual(codes('a\nb\n'), ['TOKEN_TRAILING_NEWLINE', 'TOKEN_INNER_NEWLINE']);
  });
  it('non-UTF-8 bytes from a file', () => {
    assert.deepEqual(codes(Buffer.from([0x74, 0xe9])), ['TOKEN_NOT_UTF8']);
  });
  it('every warning has a message', () => {
    for (const w of inspectToken(' a\nb \n')) assert.ok(w.message.length > 20);
  });
});
