import * as assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { AuthzError } from '../../../../src/core/errors';
import { inspectToken, signToken, verifyToken } from '../../../../src/core/tokens';

// What each finding says, not only its code: the message is what the user acts on
// (issue 14: the mutation run showed every one of these messages could be emptied
// without a test noticing).

const codesOf = (ws: { code: string }[]) => ws.map((w) => w.code);

describe('core/tokens: token warnings say what is wrong and what to do', () => {
  it('bytes that are not UTF-8: TOKEN_NOT_UTF8 only (no replacement-character warning for the decoded text)', () => {
    const w = inspectToken(Buffer.from([0x64, 0x65, 0x76, 0xff, 0x31]));
    assert.deepEqual(codesOf(w), ['TOKEN_NOT_UTF8']);
    assert.match(w[0].message, /not valid UTF-8.*cannot send these bytes/);
  });

  it('text holding U+FFFD (an argument that was not UTF-8): TOKEN_REPLACEMENT_CHARACTER, pointing at --token-file', () => {
    for (const token of ['dev\uFFFDice', Buffer.from('dev\uFFFDice', 'utf8')]) {
      const w = inspectToken(token);
      assert.deepEqual(codesOf(w), ['TOKEN_REPLACEMENT_CHARACTER']);
      assert.match(w[0].message, /U\+FFFD.*EF BF BD.*--token-file/);
    }
    assert.deepEqual(inspectToken('device-42'), [], 'an ordinary token has no warning');
  });

  it('CRLF at the end: one TOKEN_TRAILING_CRLF that names Windows line endings; a CRLF inside is an inner line break only', () => {
    const end = inspectToken('device-42\r\n');
    assert.deepEqual(codesOf(end), ['TOKEN_TRAILING_CRLF']);
    assert.match(end[0].message, /CRLF.*Windows line endings/);
    assert.deepEqual(codesOf(inspectToken('device\r\n42')), ['TOKEN_INNER_NEWLINE']);
  });

  it('any trailing whitespace character, vertical tab and form feed included', () => {
    for (const ch of [' ', '\t', '\v', '\f', '\r']) {
      const w = inspectToken(`device-42${ch}`);
      assert.deepEqual(codesOf(w), ch === '\r' ? ['TOKEN_TRAILING_WHITESPACE', 'TOKEN_INNER_NEWLINE'] : ['TOKEN_TRAILING_WHITESPACE'], JSON.stringify(ch));
      assert.match(w[0].message, /ends with whitespace, which is signed too/);
    }
  });

  it('an empty token is refused with the reason and what to give instead', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(
      () => signToken(privateKey, ''),
      (e: unknown) => e instanceof AuthzError && e.code === 'TOKEN_EMPTY' && /token is empty/.test(e.message) && /token value your device sends/.test(e.hint ?? ''),
    );
  });
});

describe('core/tokens: signature diagnosis messages', function () {
  this.timeout(60_000);
  const TOKEN = 'device-42';
  let privateKey: KeyObject;
  let keys: { name: string; key: KeyObject }[];
  let sig: string;

  before(() => {
    // A signature with '+' and '/', so that URL encoding changes it.
    for (let i = 0; ; i++) {
      ({ privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
      sig = signToken(privateKey, TOKEN);
      if (/\+/.test(sig) && /\//.test(sig)) break;
      if (i > 20) throw new Error('no signature with + and /');
    }
    keys = [{ name: 'prod', key: privateKey }];
  });

  const only = (signature: string) => {
    const r = verifyToken(keys, TOKEN, signature);
    assert.equal(r.valid, false);
    return r;
  };

  it('no key: KEY_REQUIRED says so and asks for the authorizer key', () => {
    assert.throws(
      () => verifyToken([], TOKEN, sig),
      (e: unknown) => e instanceof AuthzError && e.code === 'KEY_REQUIRED' && /No public key/.test(e.message) && /token signing public key/.test(e.hint ?? ''),
    );
  });

  it('empty, wrapped, padded with whitespace: each message says how to fix it', () => {
    assert.match(only('  ').diagnosis[0].message, /signature is empty.*base64 signature/);
    assert.match(only(`${sig.match(/.{1,64}/g)!.join('\n')}\n`).diagnosis[0].message, /wrapped over several lines.*openssl base64 -A/);
    assert.match(only(` ${sig}\n`).diagnosis[0].message, /whitespace or a newline around it.*exact string/);
  });

  it('URL-encoded up to three times is decoded; a fourth encoding is left (the loop is bounded)', () => {
    let s = sig;
    for (let i = 1; i <= 4; i++) {
      s = encodeURIComponent(s);
      const r = only(s);
      assert.equal(r.diagnosis[0].code, 'SIGNATURE_URL_ENCODED', `${i} times`);
      assert.match(r.diagnosis[0].message, /URL-encoded \(%2B, %2F, %3D\).*plain base64/);
      assert.equal(r.correctedSignature, i <= 3 ? sig : undefined, `${i} times`);
    }
  });

  it("spaces for '+', base64url, other characters, impossible length: each message names the cause", () => {
    assert.match(only(sig.replace(/\+/g, ' ')).diagnosis.find((d) => d.code === 'SIGNATURE_SPACE_FOR_PLUS')!.message, /spaces where base64 has '\+'.*encodeURIComponent/);
    assert.match(only(sig.replace(/\+/g, '-').replace(/\//g, '_')).diagnosis.find((d) => d.code === 'SIGNATURE_BASE64URL')!.message, /base64url.*standard base64/);
    const notB64 = only(`${sig.slice(0, 10)}*${sig.slice(11)}`);
    assert.match(notB64.diagnosis.find((d) => d.code === 'SIGNATURE_NOT_BASE64')!.message, /contains '\*'.*openssl base64 -A/);
    const short = sig.replace(/=+$/, '').slice(0, 341);
    assert.equal(short.length % 4, 1);
    assert.match(only(short).diagnosis.find((d) => d.code === 'SIGNATURE_NOT_BASE64')!.message, /has 341 base64 characters.*truncated/);
  });
});
