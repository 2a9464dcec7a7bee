import * as assert from 'node:assert/strict';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AuthzError } from '../../../../src/core/errors';
import {
  buildJwks,
  checkJwt,
  decodeJwtToken,
  defaultKid,
  expiryOf,
  jwksCandidates,
  loadJwtSigningKey,
  loadJwtVerifyKey,
  looksLikeJwt,
  mintJwt,
  parseJwks,
  parseLifetime,
  signedTokenFromJwt,
} from '../../../../src/core/jwt';
import { expectedSignaturePadding } from '../../../../src/core/tokens';
import { openssl, opensslKey, read, tmpFile } from '../keys/opensslKeys';

const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const NOW = 1_900_000_000;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AuthzError, String(e));
    return e.code;
  }
  return undefined;
}

async function rejects(p: Promise<unknown>, expected: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof AuthzError && e.code === expected && message.test(e.message));
}

describe('core/jwt', function () {
  this.timeout(120_000);
  const rsa = loadJwtSigningKey(read(opensslKey(2048).pkcs8Path));
  const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecPem = ecPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('an RS256 JWT minted here verifies with jose (through a JWKS written here) and with node:crypto by hand', async () => {
    const m = await mintJwt(rsa, { claims: { sub: 'device1', iss: 'https://idp.example', aud: 'iot', scope: 'telemetry' }, expiresIn: '15m', now: NOW });
    assert.equal(m.header.alg, 'RS256');
    assert.equal(m.claims.exp, NOW + 900);
    assert.equal(m.claims.iat, NOW);
    const jwks = await buildJwks([{ key: rsa.publicKey }]);
    assert.equal(jwks.keys[0].kid, m.header.kid, 'the default kid of the JWT and the JWKS agree');
    const { payload, protectedHeader } = await jwtVerify(m.jwt, createLocalJWKSet(jwks), { currentDate: new Date((NOW + 60) * 1000), issuer: 'https://idp.example', audience: 'iot' });
    assert.equal(payload.sub, 'device1');
    assert.equal(payload.scope, 'telemetry');
    assert.equal(protectedHeader.kid, jwks.keys[0].kid);
    const [h, p, s] = m.jwt.split('.');
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(read(opensslKey(2048).spkiPath)), Buffer.from(s, 'base64url')));
    assert.ok(!verify('sha256', Buffer.from(`${h}.${p}x`), rsa.publicKey, Buffer.from(s, 'base64url')));
    assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { alg: 'RS256', typ: 'JWT', kid: m.header.kid });
  });

  it('an ES256 JWT from a P-256 key verifies with node:crypto (IEEE P1363 signature) and jose', async () => {
    const ec = loadJwtSigningKey(ecPem);
    assert.equal(ec.alg, 'ES256');
    const m = await mintJwt(ec, { claims: { sub: 'd' }, kid: 'idp-ec-1', now: NOW });
    const [h, p, s] = m.jwt.split('.');
    assert.equal(Buffer.from(s, 'base64url').length, 64);
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: ecPair.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
    const jwks = await buildJwks([{ key: ecPair.publicKey, kid: 'idp-ec-1' }]);
    assert.equal(jwks.keys[0].alg, 'ES256');
    await jwtVerify(m.jwt, createLocalJWKSet(jwks), { currentDate: new Date(NOW * 1000) });
    assert.equal(loadJwtVerifyKey(ecPair.publicKey.export({ type: 'spki', format: 'pem' }).toString()).alg, 'ES256');
  });

  it('refuses keys that cannot sign test JWTs: P-384 EC, Ed25519, a 1024-bit RSA key, a public key', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(code(() => loadJwtSigningKey(p384)), 'JWT_KEY_UNSUPPORTED');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(code(() => loadJwtSigningKey(ed)), 'JWT_KEY_UNSUPPORTED');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(code(() => loadJwtSigningKey(small)), 'KEY_TOO_SMALL');
    await rejects(mintJwt(rsa.publicKey), 'KEY_NOT_PRIVATE', /private key is needed/);
  });

  for (const bits of [2048, 3072, 4096] as const) {
    it(`the signed-JWT pair of a ${bits}-bit key verifies with openssl dgst -sha256 -verify over header.payload; padding '${expectedSignaturePadding(bits)}'`, async () => {
      const k = opensslKey(bits);
      const m = await mintJwt(loadJwtSigningKey(read(k.pkcs1Path)), { claims: { sub: 'thing1' } });
      const pair = signedTokenFromJwt(m.jwt);
      assert.equal(pair.token, m.jwt.split('.').slice(0, 2).join('.'));
      assert.match(pair.signature, /^[A-Za-z0-9+/]+={0,2}$/);
      const pad = pair.signature.match(/=*$/)![0];
      assert.equal(pad, { 2048: '==', 3072: '', 4096: '=' }[bits]);
      assert.equal(pair.signature.length % 4, 0);
      const sigFile = tmpFile(`jwt-sig-${bits}.bin`, Buffer.from(pair.signature, 'base64'));
      const out = openssl(['dgst', '-sha256', '-verify', k.spkiPath, '-signature', sigFile], { input: Buffer.from(pair.token, 'utf8') });
      assert.match(out.toString(), /Verified OK/);
    });
  }

  it('the signed-token output refuses a non-RSA JWT and malformed JWTs clearly', async () => {
    const ec = await mintJwt(loadJwtSigningKey(ecPem));
    assert.throws(() => signedTokenFromJwt(ec.jwt), (e: AuthzError) => e.code === 'JWT_NOT_RS256' && /ES256/.test(e.message) && /RSA SHA-256/.test(e.message));
    assert.equal(code(() => signedTokenFromJwt('a.b')), 'JWT_MALFORMED');
    assert.equal(code(() => signedTokenFromJwt('a.b.c+d')), 'JWT_MALFORMED');
  });

  it('lifetimes: relative, negative for an expired token, none; bad lifetimes are refused', async () => {
    assert.equal(parseLifetime('15m'), 900);
    assert.equal(parseLifetime('-1m'), -60);
    assert.equal(parseLifetime('2h'), 7200);
    assert.equal(parseLifetime('1d'), 86400);
    assert.equal(parseLifetime(30), 30);
    for (const bad of ['15', 'm', '1.5h', '15 minutes', '', '1w']) assert.equal(code(() => parseLifetime(bad)), 'JWT_LIFETIME_INVALID', bad);
    const expired = await mintJwt(rsa, { expiresIn: '-1m', now: NOW });
    assert.equal(expired.claims.exp, NOW - 60);
    const e = expiryOf(expired.claims, NOW);
    assert.equal(e.expired, true);
    assert.match(e.text, /^expired 1 minute ago \(20\d\d-/);
    assert.match(expiryOf({ exp: NOW + 3 * 3600 + 120 }, NOW).text, /^expires in 3 hours 2 minutes/);
    const none = await mintJwt(rsa, { expiresIn: null, kid: null, now: NOW });
    assert.equal(none.claims.exp, undefined);
    assert.equal(none.header.kid, undefined);
    assert.match(expiryOf(none.claims, NOW).text, /no expiry/);
    await rejects(mintJwt(rsa, { claims: '{"sub": ' as never }), 'JWT_CLAIMS_INVALID', /not JSON/);
    await rejects(mintJwt(rsa, { claims: [] as never }), 'JWT_CLAIMS_INVALID', /object/);
    await rejects(mintJwt(rsa, { claims: { exp: 'tomorrow' } }), 'JWT_CLAIMS_INVALID', /NumericDate/);
  });

  it('decode rejects malformed JWTs, each with its own clear message', () => {
    const header = b64u({ alg: 'RS256', typ: 'JWT' });
    const claims = b64u({ sub: 'x' });
    const cases: Array<[string, string, RegExp]> = [
      ['', 'JWT_MALFORMED', /empty/],
      [`${header}.${claims}`, 'JWT_MALFORMED', /two parts.*truncated/],
      [header, 'JWT_MALFORMED', /1 part, not three/],
      [`${header}.${claims}.sig.x`, 'JWT_MALFORMED', /4 parts/],
      [`${header}.${Buffer.from('not json').toString('base64url')}.c2ln`, 'JWT_MALFORMED', /claims \(payload\) are not JSON/],
      [`${header}.${b64u([1, 2])}.c2ln`, 'JWT_MALFORMED', /not an object/],
      [`${Buffer.from('{"alg":').toString('base64url')}.${claims}.c2ln`, 'JWT_MALFORMED', /header is not base64url-encoded JSON/],
      [`${b64u({ alg: 'none' })}.${claims}.`, 'JWT_ALG_NONE', /unsigned/],
      [`${b64u({ alg: 'None' })}.${claims}.`, 'JWT_ALG_NONE', /unsigned/],
      [`${header}.${claims}.ab+c`, 'JWT_MALFORMED', /signature part is not base64url/],
      [`${header}..c2ln`, 'JWT_MALFORMED', /payload part is empty/],
    ];
    for (const [token, c, m] of cases) {
      assert.throws(() => decodeJwtToken(token), (e: AuthzError) => e.code === c && m.test(e.message), token);
    }
    const ok = decodeJwtToken(`${header}.${claims}`, { allowSigningInput: true });
    assert.equal(ok.form, 'signing-input');
    assert.equal(ok.claims.sub, 'x');
  });

  it('check: which key verifies, a wrong key, a tampered payload, HS256 where RS256 is expected', async () => {
    const other = loadJwtSigningKey(read(opensslKey(3072).pkcs8Path));
    const m = await mintJwt(rsa, { claims: { sub: 'a' }, kid: 'idp-1' });
    const jwks = await buildJwks([{ key: other.publicKey, kid: 'old' }, { key: rsa.publicKey, kid: 'idp-1' }]);
    const good = await checkJwt(m.jwt, { keys: await jwksCandidates(jwks) });
    assert.deepEqual(good.verified, { ok: true, keyName: "kid 'idp-1'" });
    assert.equal(good.expiry.expired, false);
    const wrong = await checkJwt(m.jwt, { keys: [{ name: 'other.public.pem', key: other.publicKey }] });
    assert.equal(wrong.verified?.ok, false);
    assert.match((wrong.verified as { reason: string }).reason, /does not verify with other\.public\.pem/);
    const [h, , s] = m.jwt.split('.');
    const tampered = await checkJwt(`${h}.${b64u({ sub: 'admin' })}.${s}`, { keys: [{ name: 'idp', key: rsa.publicKey }] });
    assert.equal(tampered.verified?.ok, false);
    const hh = b64u({ alg: 'HS256', typ: 'JWT' });
    const pp = b64u({ sub: 'a' });
    const mac = createHmac('sha256', 'secret').update(`${hh}.${pp}`).digest('base64url');
    await rejects(checkJwt(`${hh}.${pp}.${mac}`, { keys: [{ name: 'idp', key: rsa.publicKey }] }), 'JWT_ALG_UNEXPECTED', /HS256, a shared secret.*RS256 or ES256 is expected/);
    const noKeys = await checkJwt(`${hh}.${pp}.${mac}`);
    assert.equal(noKeys.verified, undefined, 'decoding alone does not judge the algorithm');
  });

  it('JWKS: public parts only, given or thumbprint kids, duplicate kids refused; parse refuses private keys and non-JWKS', async () => {
    const jwks = await buildJwks([{ key: rsa.key }, { key: createPrivateKey(ecPem), kid: 'ec' }]);
    assert.equal(jwks.keys.length, 2);
    for (const k of jwks.keys) {
      assert.equal(k.d, undefined);
      assert.equal(k.use, 'sig');
    }
    assert.equal(jwks.keys[0].kid, await defaultKid(rsa.publicKey));
    assert.match(jwks.keys[0].kid!, /^[A-Za-z0-9_-]{43}$/);
    await rejects(buildJwks([{ key: rsa.key, kid: 'a' }, { key: rsa.publicKey, kid: 'a' }]), 'JWKS_KID_DUPLICATE', /kid 'a'/);
    assert.deepEqual(parseJwks(JSON.stringify(jwks)), jwks);
    assert.equal(code(() => parseJwks('{"keys": [{"kty":"RSA","d":"x"}]}')), 'JWKS_HAS_PRIVATE_KEY');
    assert.equal(code(() => parseJwks('{"kty":"RSA"}')), 'JWKS_INVALID');
    assert.equal(code(() => parseJwks('nope')), 'JWKS_INVALID');
  });

  it('looksLikeJwt: JWTs and signing inputs, not other dotted tokens', async () => {
    const m = await mintJwt(rsa);
    assert.ok(looksLikeJwt(m.jwt));
    assert.ok(looksLikeJwt(signedTokenFromJwt(m.jwt).token));
    for (const t of [undefined, '', 'MyStringThatNeedsToBeSigned', 'a.b.c', 'device.1', `${b64u({ x: 1 })}.e30.sig`]) assert.equal(looksLikeJwt(t), false, String(t));
  });
});
