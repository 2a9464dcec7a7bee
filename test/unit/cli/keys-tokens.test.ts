import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliIo } from '../../../src/cli/framework';
import { main } from '../../../src/cli/main';
import { openssl, opensslSign } from '../core/keys/opensslKeys';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('cli keygen / sign / verify', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: dir };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  let sig = '';

  it('keygen writes the pair, prints paths and fingerprint, never the key', async () => {
    const r = await run(['keygen', '--out', 'keys', '--name', 'dev']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(path.join(dir, 'keys', 'dev.private.pem')));
    assert.ok(r.stdout.includes(path.join(dir, 'keys', 'dev.public.pem')));
    assert.match(r.stdout, /([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.ok(!r.stdout.includes('PRIVATE KEY'));
    assert.equal(fs.statSync(path.join(dir, 'keys', 'dev.private.pem')).mode & 0o777, 0o600);
    const der = openssl(['pkey', '-in', path.join(dir, 'keys', 'dev.private.pem'), '-pubout', '-outform', 'DER']);
    const { createHash } = await import('node:crypto');
    assert.ok(r.stdout.includes(createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':')));
  });

  it('keygen refuses to overwrite (exit 2, names the file) unless --force; --json', async () => {
    const r = await run(['keygen', '--out', 'keys', '--name', 'dev']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dev\.private\.pem already exists/);
    const f = await run(['keygen', '--out', 'keys', '--name', 'dev', '--force', '--json']);
    assert.equal(f.code, 0, f.stderr);
    const j = JSON.parse(f.stdout);
    assert.equal(j.bits, 2048);
    assert.equal(j.encrypted, false);
    assert.match(j.fingerprint, /^[0-9A-F:]{95}$/);
  });

  it('keygen usage errors: bad bits, bad name, missing --out, unset passphrase variable', async () => {
    assert.equal((await run(['keygen', '--out', 'k', '--bits', '1024'])).code, 2);
    assert.match((await run(['keygen', '--out', 'k', '--bits', 'big'])).stderr, /--bits/);
    assert.match((await run(['keygen', '--out', 'k', '--name', '../x'])).stderr, /not a valid key name/);
    assert.match((await run(['keygen'])).stderr, /--out is required/);
    const p = await run(['keygen', '--out', 'k', '--passphrase-env', 'NOPE']);
    assert.equal(p.code, 2);
    assert.match(p.stderr, /NOPE .*not set/);
  });

  it('keygen --passphrase-env encrypts; sign reads it with the same variable', async () => {
    const env = { KEYPASS: 'pa55 phrase' };
    assert.equal((await run(['keygen', '--out', 'keys', '--name', 'enc', '--passphrase-env', 'KEYPASS'], env)).code, 0);
    assert.match(fs.readFileSync(path.join(dir, 'keys', 'enc.private.pem'), 'utf8'), /ENCRYPTED PRIVATE KEY/);
    const s = await run(['sign', '--key', 'keys/enc.private.pem', '--token', 't', '--passphrase-env', 'KEYPASS'], env);
    assert.equal(s.code, 0, s.stderr);
    const no = await run(['sign', '--key', 'keys/enc.private.pem', '--token', 't']);
    assert.equal(no.code, 2);
    assert.match(no.stderr, /encrypted and no passphrase/);
    // The CLI says how to give it (the core hint is front-end neutral).
    assert.match(no.stderr, /name it with --passphrase-env VAR/);
    const v = await run(['verify', '--key', 'keys/enc.private.pem', '--token', 't', '--signature', 'AAAA']);
    assert.equal(v.code, 2);
    assert.match(v.stderr, /encrypted and no passphrase.*--passphrase-env VAR/);
    const wrong = await run(['sign', '--key', 'keys/enc.private.pem', '--token', 't', '--passphrase-env', 'KEYPASS'], { KEYPASS: 'x' });
    assert.match(wrong.stderr, /does not decrypt/);
  });

  it('sign prints only the signature line, equal to openssl', async () => {
    const r = await run(['sign', '--key', 'keys/dev.private.pem', '--token', 'Zürich-設備-🔑']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${opensslSign(path.join(dir, 'keys', 'dev.private.pem'), Buffer.from('Zürich-設備-🔑'))}\n`);
    sig = r.stdout.trim();
  });

  it('sign --json', async () => {
    const r = await run(['sign', '--key', 'keys/dev.private.pem', '--token', 'Zürich-設備-🔑', '--json']);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['token', 'signature', 'signatureUrlEncoded', 'algorithm', 'keyFingerprint']);
    assert.equal(j.signature, sig);
    assert.equal(j.signatureUrlEncoded, encodeURIComponent(sig));
    assert.equal(j.algorithm, 'RSA-SHA256');
  });

  it('sign --token-file signs the bytes exactly and warns about the final newline', async () => {
    fs.writeFileSync(path.join(dir, 'token.txt'), 'abc\n');
    const r = await run(['sign', '--key', 'keys/dev.private.pem', '--token-file', 'token.txt']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), opensslSign(path.join(dir, 'keys', 'dev.private.pem'), Buffer.from('abc\n')));
    assert.match(r.stderr, /warning: The token ends with a newline/);
  });

  it('sign errors: empty token, both/neither token options, public key, EC key, huge file (exit 2)', async () => {
    assert.match((await run(['sign', '--key', 'keys/dev.private.pem', '--token', ''])).stderr, /token is empty/);
    assert.match((await run(['sign', '--key', 'keys/dev.private.pem'])).stderr, /exactly one of --token or --token-file/);
    assert.match((await run(['sign', '--key', 'keys/dev.private.pem', '--token', 'a', '--token-file', 'token.txt'])).stderr, /exactly one/);
    const pub = await run(['sign', '--key', 'keys/dev.public.pem', '--token', 'a']);
    assert.equal(pub.code, 2);
    assert.match(pub.stderr, /private key is needed/);
    const ec = path.join(dir, 'ec.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', ec]);
    assert.match((await run(['sign', '--key', 'ec.pem', '--token', 'a'])).stderr, /EC key/);
    fs.writeFileSync(path.join(dir, 'huge.pem'), Buffer.alloc(5 * 1024 * 1024, 0x41));
    // A hang would fail through the suite's mocha timeout: no timed assertion here.
    const huge = await run(['sign', '--key', 'huge.pem', '--token', 'a']);
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /is 5 MB, over the 1 MB limit/);
    assert.match((await run(['sign', '--key', 'missing.pem', '--token', 'a'])).stderr, /does not exist/);
  });

  it('verify: valid exits 0 and names the key; the private key may be given', async () => {
    const r = await run(['verify', '--key', 'keys/enc.public.pem', '--key', 'keys/dev.public.pem', '--token', 'Zürich-設備-🔑', '--signature', sig]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /verifies with key 'keys\/dev\.public\.pem'\.\n$/);
    const p = await run(['verify', '--key', 'keys/dev.private.pem', '--token', 'Zürich-設備-🔑', '--signature', sig, '--json']);
    assert.deepEqual(JSON.parse(p.stdout), { valid: true, matchedKey: 'keys/dev.private.pem', diagnosis: [], correctedSignature: null });
  });

  it('verify: invalid exits 1 with a diagnosis and the corrected signature', async () => {
    const r = await run(['verify', '--key', 'keys/dev.public.pem', '--token', 'Zürich-設備-🔑', '--signature', encodeURIComponent(sig)]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /SIGNATURE_URL_ENCODED/);
    assert.ok(r.stdout.includes(`Corrected signature: ${sig}`));
    // The diagnosis speaks to the user: no internal field name such as (correctedSignature).
    assert.match(r.stdout, /Corrected, it verifies with key 'keys\/dev\.public\.pem'/);
    assert.doesNotMatch(r.stdout, /\(correctedSignature\)/);
    const j = await run(['verify', '--key', 'keys/dev.public.pem', '--token', 'other', '--signature', sig, '--json']);
    assert.equal(j.code, 1);
    const out = JSON.parse(j.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.matchedKey, null);
    assert.equal(out.diagnosis[0].code, 'SIGNATURE_MISMATCH');
  });

  it('verify --other-key names the key that made the signature', async () => {
    const r = await run(['verify', '--key', 'keys/enc.public.pem', '--other-key', 'keys/dev.public.pem', '--token', 'Zürich-設備-🔑', '--signature', sig]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /SIGNATURE_OTHER_KEY.*'keys\/dev\.public\.pem'/);
  });

  it('verify usage errors exit 2', async () => {
    assert.equal((await run(['verify', '--token', 'a', '--signature', sig])).code, 2);
    assert.equal((await run(['verify', '--key', 'keys/dev.public.pem', '--token', 'a'])).code, 2);
    assert.equal((await run(['verify', '--key', 'keys/dev.public.pem', '--token', 'a', '--signature', sig, '--bogus'])).code, 2);
    assert.match((await run(['verify', '--key', 'ec.pem', '--token', 'a', '--signature', sig])).stderr, /EC key/);
  });

  it('verify --token-file warns about the final newline and finds a signature made without it', async () => {
    fs.writeFileSync(path.join(dir, 'token-nl.txt'), 'device-42\n');
    const withoutNewline = opensslSign(path.join(dir, 'keys', 'dev.private.pem'), Buffer.from('device-42'));
    const r = await run(['verify', '--key', 'keys/dev.public.pem', '--token-file', 'token-nl.txt', '--signature', withoutNewline]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /iot-authz verify: warning: The token ends with a newline.*token-nl\.txt is checked byte for byte/);
    assert.match(r.stdout, /SIGNATURE_OVER_TRIMMED_TOKEN: The signature matches the token without its surrounding whitespace/);
    assert.doesNotMatch(r.stdout, /SIGNATURE_MISMATCH/);
    // Near miss: a signature over the file's exact bytes is valid, with the warning still shown.
    const exact = opensslSign(path.join(dir, 'keys', 'dev.private.pem'), Buffer.from('device-42\n'));
    const ok = await run(['verify', '--key', 'keys/dev.public.pem', '--token-file', 'token-nl.txt', '--signature', exact]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stderr, /ends with a newline/);
  });

  it('the bundled CLI (esbuild, as scripts/build.mjs bundles it) signs like openssl', async () => {
    // Bundled into a temp dir with the build script's options: scripts/build.mjs empties the shared dist/.
    const esbuild = await import('esbuild');
    const outfile = path.join(dir, 'cli.js');
    const options = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../scripts/esbuild-options.json'), 'utf8'));
    await esbuild.build({ ...options, entryPoints: [path.resolve(__dirname, '../../../../src/cli/main.ts')], outfile, logLevel: 'silent' });
    const key = path.join(dir, 'keys', 'dev.private.pem');
    const out = execFileSync(process.execPath, [outfile, 'sign', '--key', key, '--token', 'a token with spaces']).toString();
    assert.equal(out, `${opensslSign(key, Buffer.from('a token with spaces'))}\n`);
  });

  it('the bundled CLI prints the version built in with define (as scripts/build.mjs sets it)', async () => {
    const esbuild = await import('esbuild');
    const outfile = path.join(dir, 'cli-version.js');
    const options = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../scripts/esbuild-options.json'), 'utf8'));
    await esbuild.build({ ...options, define: { IOT_AUTHZ_VERSION: '"9.8.7-test"' }, entryPoints: [path.resolve(__dirname, '../../../../src/cli/main.ts')], outfile, logLevel: 'silent' });
    assert.equal(execFileSync(process.execPath, [outfile, '--version']).toString(), '9.8.7-test\n');
    assert.match(fs.readFileSync(path.resolve(__dirname, '../../../../scripts/build.mjs'), 'utf8'), /define: \{ IOT_AUTHZ_VERSION: JSON\.stringify\(/);
  });
});
