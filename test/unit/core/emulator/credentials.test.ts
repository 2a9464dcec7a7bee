import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthzError } from '../../../../src/core/errors';
import { normalizeTestFile, resolveCredentials, runCase, runTestFile, validateTestText } from '../../../../src/core/emulator';
import { decodeJwtToken, loadJwtSigningKey, mintJwt } from '../../../../src/core/jwt';
import { verifyToken } from '../../../../src/core/tokens';
import { loadPublicKey } from '../../../../src/core/keys';

const repo = path.resolve(__dirname, '../../../../..');

/** A fresh copy of examples/jwt (without keys), so first-use generation runs. */
function copyJwtExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-jwt-ex-'));
  for (const f of ['handler.js', 'jwt.authorizer.json', 'jwt.authz-test.json', 'signed-jwt.authorizer.json', 'signed-jwt.authz-test.json']) {
    fs.copyFileSync(path.join(repo, 'examples', 'jwt', f), path.join(dir, f));
  }
  return dir;
}

describe('test cases: credentials generated at run time', function () {
  this.timeout(120_000);
  const dir = copyJwtExample();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const opts = { allowCodeExecution: true, workspaceRoot: dir };

  it('examples/jwt passes from a clean folder: keys and the JWKS are generated on first use, under the kid the cases give', async () => {
    const jwt = await runTestFile(path.join(dir, 'jwt.authz-test.json'), opts);
    assert.equal(jwt.error, undefined);
    for (const c of jwt.cases) assert.ok(c.passed, `${c.name}: ${c.error ?? c.failures.join('; ')}`);
    assert.deepEqual(jwt.generatedKeys.map((f) => path.relative(dir, f)).sort(), [
      'keys/attacker.jwks.json', 'keys/attacker.private.pem', 'keys/attacker.public.pem',
      'keys/idp.jwks.json', 'keys/idp.private.pem', 'keys/idp.public.pem',
    ]);
    assert.equal(fs.statSync(path.join(dir, 'keys/idp.private.pem')).mode & 0o777, 0o600);
    const jwks = JSON.parse(fs.readFileSync(path.join(dir, 'keys/idp.jwks.json'), 'utf8'));
    assert.equal(jwks.keys[0].kid, 'example-idp');
    assert.equal(jwks.keys[0].d, undefined);
    const signed = await runTestFile(path.join(dir, 'signed-jwt.authz-test.json'), opts);
    for (const c of signed.cases) assert.ok(c.passed, `${c.name}: ${c.error ?? c.failures.join('; ')}`);
    assert.deepEqual(signed.generatedKeys, [], 'the second file reuses the keys');
  });

  it('the expired case fails because the handler says so: its log, not an accident', async () => {
    const cases = normalizeTestFile(JSON.parse(fs.readFileSync(path.join(dir, 'jwt.authz-test.json'), 'utf8')));
    const expired = cases.find((c) => c.name === 'an expired JWT is refused by the handler')!;
    const r = await runCase(expired, path.join(dir, 'jwt.authz-test.json'), opts, []);
    assert.ok(r.passed, r.failures.join('; '));
    assert.equal(r.result?.handler?.status, 'ok', 'the handler ran and answered');
    assert.match(r.result!.logText, /rejected: token expired/);
    // The same case claiming a different reason fails, naming what the handler logged.
    const wrongReason = await runCase({ ...expired, expect: { ...expired.expect, logIncludes: 'rejected: invalid signature' } }, path.join(dir, 'jwt.authz-test.json'), opts, []);
    assert.equal(wrongReason.passed, false);
    assert.match(wrongReason.failures.join('\n'), /expected the handler's log to include "rejected: invalid signature", but it reads: .*token expired/);
    // A fresh token with the same expectations fails: the expiry decides.
    const fresh = await runCase({ ...expired, token: { jwt: { ...(expired.token as { jwt: { key: string } }).jwt, expiresIn: '5m' } } }, path.join(dir, 'jwt.authz-test.json'), opts, []);
    assert.equal(fresh.passed, false);
  });

  it('signed-JWT pair: the token is header.payload and the padded base64 signature verifies with the public key', async () => {
    const r = await resolveCredentials(
      { token: { jwt: { key: 'keys/idp.private.pem', claims: { sub: 'a' } } }, signature: { fromJwt: true } },
      { testDir: dir, definitionDir: dir },
    );
    assert.equal(r.token!.split('.').length, 2);
    assert.match(r.signature!, /==$/);
    assert.equal(decodeJwtToken(r.token!, { allowSigningInput: true }).claims.sub, 'a');
    const pub = loadPublicKey(fs.readFileSync(path.join(dir, 'keys/idp.public.pem'), 'utf8'));
    assert.equal(verifyToken([{ name: 'idp', key: pub }], r.token!, r.signature!).valid, true);
    // A literal JWT string works with fromJwt too.
    const literal = (await mintJwt(loadJwtSigningKey(fs.readFileSync(path.join(dir, 'keys/idp.private.pem'), 'utf8')))).jwt;
    const l = await resolveCredentials({ token: literal, signature: { fromJwt: true } }, { testDir: dir, definitionDir: dir });
    assert.equal(`${l.token}.${Buffer.from(l.signature!, 'base64').toString('base64url')}`, literal);
  });

  it('passwords as text or {"base64"}; bad forms are clear errors', async () => {
    assert.deepEqual(await resolveCredentials({ password: 'pw' }, { testDir: dir, definitionDir: dir }), { generated: [], password: 'pw' });
    assert.deepEqual(await resolveCredentials({ password: { base64: 'AP8=' } }, { testDir: dir, definitionDir: dir }), { generated: [], passwordBase64: 'AP8=' });
    const bad = async (c: object, m: RegExp) =>
      assert.rejects(resolveCredentials(c, { testDir: dir, definitionDir: dir, generateMissingKeys: false }), (e: unknown) => e instanceof AuthzError && m.test(e.message));
    await bad({ password: 42 }, /"password" is text, \{"base64"/);
    const jwtPassword = await resolveCredentials({ password: { jwt: { key: 'keys/idp.private.pem', claims: { sub: 'p' } } } }, { testDir: dir, definitionDir: dir });
    assert.equal(decodeJwtToken(jwtPassword.password!).claims.sub, 'p');
    await bad({ token: 'plain', signature: { fromJwt: true } }, /JWT is|three non-empty/);
    await bad({ signature: { fromJwt: true } }, /needs a JWT "token"/);
    await bad({ token: { jwt: {} } }, /needs "key"/);
    await bad({ token: { jwt: { key: 'keys/none.private.pem' } } }, /does not exist/);
    await bad({ token: 7 }, /"token" is a string, \{"jwt"/);
    assert.deepEqual(await resolveCredentials({ token: null }, { testDir: dir, definitionDir: dir }), { generated: [] });
  });

  it('diagnostics accept the new forms and flag their mistakes', () => {
    const ok = JSON.stringify({
      authorizer: 'a.authorizer.json',
      cases: [
        { name: 'a', token: { jwt: { key: 'k.private.pem', claims: { sub: 'x' }, expiresIn: '-1m', kid: 'k' } }, signature: { fromJwt: true }, expect: { authenticated: false, logIncludes: 'expired' } },
        { name: 'b', protocol: 'mqtt', password: { base64: 'AP8=' }, expect: { authenticated: true } },
        { name: 'c', protocol: 'mqtt', password: { jwt: { key: 'k.private.pem' } }, expect: { authenticated: true } },
      ],
    });
    assert.deepEqual(validateTestText(ok).map((f) => f.code), []);
    const bad = JSON.stringify({
      authorizer: 'a.authorizer.json',
      cases: [
        { name: 'a', token: { jwt: { key: 'k.txt', expiresIn: 'soon', claims: [], extra: 1 } }, expect: {} },
        { name: 'b', token: 'plain', signature: { fromJwt: true }, expect: {} },
        { name: 'c', password: { base64: '***' }, expect: { logIncludes: 3 } },
        { name: 'd', password: { jwt: { key: 'k.txt' } }, expect: {} },
      ],
    });
    const codes = validateTestText(bad).map((f) => `${f.code}`);
    assert.deepEqual(codes.sort(), ['TEST_FIELD_TYPE', 'TEST_JWT_INVALID', 'TEST_JWT_INVALID', 'TEST_JWT_INVALID', 'TEST_JWT_INVALID', 'TEST_PASSWORD_INVALID', 'TEST_SIGNATURE_INVALID', 'TEST_UNKNOWN_PROPERTY'].sort());
    const missing = validateTestText(JSON.stringify({ authorizer: 'a', token: { jwt: { key: 'keys/new.private.pem' } }, expect: {} }), { fileExists: () => false });
    assert.ok(missing.some((f) => f.code === 'TEST_SIGNING_KEY_NOT_FOUND' && /generates it on first use/.test(f.message)));
  });
});
