import * as assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliIo } from '../../../src/cli/framework';
import { main } from '../../../src/cli/main';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const b64u = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

describe('cli jwt mint / jwks / decode', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-jwt-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: dir };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  before(async () => {
    assert.equal((await run(['keygen', '--out', 'keys', '--name', 'idp'])).code, 0);
    assert.equal((await run(['keygen', '--out', 'keys', '--name', 'other'])).code, 0);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(dir, 'keys', 'ec.private.pem'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'claims.json'), '{"sub": "sensor7", "iss": "https://idp.example"}');
  });

  it('mint prints a JWT that decode verifies with the key and with a JWKS written by jwt jwks', async () => {
    const m = await run(['jwt', 'mint', '--key', 'keys/idp.private.pem', '--claims', '@claims.json', '--expires-in', '10m']);
    assert.equal(m.code, 0, m.stderr);
    const jwt = m.stdout.trim();
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const d = await run(['jwt', 'decode', jwt, '--key', 'keys/idp.public.pem']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /"sub": "sensor7"/);
    assert.match(d.stdout, /Expiry: expires in (10 minutes|9 minutes \d+ seconds)/);
    assert.match(d.stdout, /Signature: verifies with idp\.public\.pem/);
    const w = await run(['jwt', 'jwks', '--key', 'keys/other.public.pem', '--key', 'keys/idp.public.pem', '--out', 'out/jwks.json']);
    assert.equal(w.code, 0, w.stderr);
    const jwks = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'jwks.json'), 'utf8'));
    assert.equal(jwks.keys.length, 2);
    assert.ok(!JSON.stringify(jwks).includes('"d"'));
    const kid = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid;
    assert.equal(jwks.keys[1].kid, kid);
    const dj = await run(['jwt', 'decode', jwt, '--jwks', 'out/jwks.json', '--json']);
    assert.equal(dj.code, 0, dj.stderr);
    assert.deepEqual(JSON.parse(dj.stdout).verified, { ok: true, keyName: `kid '${kid}'` });
  });

  it('decode: a wrong key or an expired token is a negative result (exit 1); decoding without keys says so', async () => {
    const jwt = (await run(['jwt', 'mint', '--key', 'keys/idp.private.pem'])).stdout.trim();
    const wrong = await run(['jwt', 'decode', jwt, '--key', 'keys/other.public.pem']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /does not verify/);
    const expired = (await run(['jwt', 'mint', '--key', 'keys/idp.private.pem', '--expires-in=-5m'])).stdout.trim();
    const e = await run(['jwt', 'decode', expired, '--key', 'keys/idp.public.pem']);
    assert.equal(e.code, 1);
    assert.match(e.stdout, /Expiry: expired 5 minutes/);
    const plain = await run(['jwt', 'decode', jwt]);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /not checked \(give --key or --jwks\)/);
  });

  it('mint --as signed-token prints the token and a standard base64 signature that iot-authz verify accepts', async () => {
    const m = await run(['jwt', 'mint', '--key', 'keys/idp.private.pem', '--claims', '{"sub":"d1"}', '--as', 'signed-token']);
    assert.equal(m.code, 0, m.stderr);
    const [token, signature] = m.stdout.trim().split('\n');
    assert.equal(token.split('.').length, 2);
    assert.match(signature, /^[A-Za-z0-9+/]+==$/);
    const v = await run(['verify', '--key', 'keys/idp.public.pem', '--token', token, '--signature', signature]);
    assert.equal(v.code, 0, v.stdout);
    const d = await run(['jwt', 'decode', token]);
    assert.equal(d.code, 0);
    assert.match(d.stdout, /^Signed-JWT token/);
    const j = await run(['jwt', 'mint', '--key', 'keys/idp.private.pem', '--as', 'signed-token', '--json', '--authorizer-name', 'jwt-auth', '--token-key-name', 'token']);
    const out = JSON.parse(j.stdout);
    assert.equal(out.signatureUrlEncoded, encodeURIComponent(out.signature));
    assert.ok(out.snippets.mqttUsername.includes(`x-amz-customauthorizer-signature=${encodeURIComponent(out.signature)}`));
    assert.ok(!JSON.stringify(out).includes('PRIVATE KEY'));
  });

  it('mint ES256 with an EC key; its signed-token output is refused (AWS verifies RSA only), exit 2', async () => {
    const m = await run(['jwt', 'mint', '--key', 'keys/ec.private.pem', '--kid', 'ec-1']);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(JSON.parse(Buffer.from(m.stdout.split('.')[0], 'base64url').toString()).alg, 'ES256');
    const s = await run(['jwt', 'mint', '--key', 'keys/ec.private.pem', '--as', 'signed-token']);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /ES256.*only with RSA SHA-256/);
  });

  it('bad input: alg none, truncated, claims that are not JSON, HS256 where RS256 is expected: a clear message, exit 2', async () => {
    const h = b64u({ alg: 'RS256', typ: 'JWT' });
    const p = b64u({ sub: 'x' });
    const hs = b64u({ alg: 'HS256', typ: 'JWT' });
    const mac = createHmac('sha256', 'k').update(`${hs}.${p}`).digest('base64url');
    const cases: Array<[string[], RegExp]> = [
      [['jwt', 'decode', `${b64u({ alg: 'none' })}.${p}.`], /"alg": "none": it is unsigned/],
      [['jwt', 'decode', h], /1 part, not three.*truncated/],
      [['jwt', 'decode', `${h}.${p}.abc`.slice(0, -40)], /(not three|empty|truncated)/],
      [['jwt', 'decode', `${h}.${b64u('sub=x')}.c2ln`], /claims \(payload\) are not JSON/],
      [['jwt', 'decode', `${hs}.${p}.${mac}`, '--key', 'keys/idp.public.pem'], /HS256, a shared secret/],
      [['jwt', 'decode'], /exactly one TOKEN/],
      [['jwt', 'decode', `${h}.${p}.c2ln`, '--key', 'keys/idp.public.pem', '--jwks', 'x.json'], /not both/],
      [['jwt', 'decode', `${h}.${p}.c2ln`, '--jwks', 'claims.json'], /no "keys" array/],
      [['jwt', 'mint', '--key', 'keys/idp.private.pem', '--claims', '{"sub":'], /claims are not JSON/],
      [['jwt', 'mint', '--key', 'keys/idp.private.pem', '--claims', '@missing.json'], /does not exist/],
      [['jwt', 'mint', '--key', 'keys/idp.private.pem', '--expires-in', 'soon'], /not a lifetime/],
      [['jwt', 'mint', '--key', 'keys/idp.private.pem', '--as', 'cookie'], /--as is jwt or signed-token/],
      [['jwt', 'mint', '--key', 'keys/idp.public.pem'], /private key is needed/],
      [['jwt', 'mint'], /--key is required/],
      [['jwt', 'mint', '--key', 'keys/idp.private.pem', '--authorizer-name', 'a'], /both --authorizer-name and --token-key-name/],
      [['jwt', 'jwks'], /--key is required/],
      [['jwt', 'jwks', '--key', 'keys/idp.public.pem', '--kid', 'a', '--kid', 'b'], /at most one --kid per --key/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message, argv.join(' '));
      assert.ok(!r.stderr.includes('    at '), 'no stack trace');
    }
  });
});
