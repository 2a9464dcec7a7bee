import * as assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from '../../../../src/core/errors';
import {
  classifyPem,
  fingerprintOf,
  generateKeyPair,
  loadPrivateKey,
  loadPublicKey,
  MAX_INPUT_FILE_BYTES,
  publicKeyPem,
  readInputFile,
  splitPem,
  validateKeyName,
  writeKeyPair,
} from '../../../../src/core/keys';
import { openssl, opensslKey, read, tmpFile, tmpRoot } from './opensslKeys';

function throwsCode(fn: () => unknown, code: string, messagePart?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AuthzError, `expected AuthzError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(e.hint && e.hint.length > 0, 'an AuthzError carries a hint');
    if (messagePart) assert.match(e.message, messagePart);
    return true;
  });
}

function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

describe('core/keys', function () {
  this.timeout(60_000);
  let k2048: ReturnType<typeof opensslKey>;
  let encPkcs8: string;
  let encPkcs1: string;
  let pkcs1Public: string;
  let cert: string;
  let ecKey: string;
  let edKey: string;
  let rsa1024: string;

  before(() => {
    k2048 = opensslKey(2048);
    encPkcs8 = path.join(tmpRoot, 'enc8.pem');
    openssl(['pkcs8', '-topk8', '-in', k2048.pkcs1Path, '-v2', 'aes-256-cbc', '-passout', 'pass:s3cret', '-out', encPkcs8]);
    encPkcs1 = path.join(tmpRoot, 'enc1.pem');
    openssl(['rsa', '-in', k2048.pkcs1Path, '-aes256', '-traditional', '-passout', 'pass:s3cret', '-out', encPkcs1]);
    pkcs1Public = path.join(tmpRoot, 'pub1.pem');
    openssl(['rsa', '-in', k2048.pkcs1Path, '-RSAPublicKey_out', '-out', pkcs1Public]);
    cert = path.join(tmpRoot, 'cert.pem');
    openssl(['req', '-x509', '-key', k2048.pkcs1Path, '-subj', '/CN=test', '-days', '1', '-out', cert]);
    ecKey = path.join(tmpRoot, 'ec.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', ecKey]);
    edKey = path.join(tmpRoot, 'ed.pem');
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', edKey]);
    rsa1024 = path.join(tmpRoot, 'rsa1024.pem');
    openssl(['genrsa', '-traditional', '-out', rsa1024, '1024']);
  });

  describe('loading every PEM flavour', () => {
    it('reads PKCS#1 and PKCS#8 private keys to the same key', () => {
      const a = loadPrivateKey(read(k2048.pkcs1Path));
      const b = loadPrivateKey(read(k2048.pkcs8Path));
      assert.equal(a.format, 'pkcs1');
      assert.equal(b.format, 'pkcs8');
      assert.equal(a.bits, 2048);
      assert.deepEqual(a.fingerprint, b.fingerprint);
      assert.equal(a.encrypted, false);
    });

    it('reads encrypted PKCS#8 and legacy encrypted PKCS#1 with the passphrase', () => {
      assert.match(read(encPkcs1), /Proc-Type: 4,ENCRYPTED/);
      const plain = loadPrivateKey(read(k2048.pkcs1Path));
      for (const f of [encPkcs8, encPkcs1]) {
        const k = loadPrivateKey(read(f), { passphrase: 's3cret' });
        assert.equal(k.encrypted, true);
        assert.deepEqual(k.fingerprint, plain.fingerprint);
      }
    });

    it('reads SPKI, PKCS#1 public, a certificate, and derives the public key from a private one', () => {
      const expected = loadPrivateKey(read(k2048.pkcs1Path)).fingerprint;
      assert.equal(loadPublicKey(read(k2048.spkiPath)).source, 'spki');
      assert.equal(loadPublicKey(read(pkcs1Public)).source, 'pkcs1');
      assert.equal(loadPublicKey(read(cert)).source, 'certificate');
      assert.equal(loadPublicKey(read(k2048.pkcs8Path)).source, 'private');
      assert.equal(loadPublicKey(read(encPkcs8), { passphrase: 's3cret' }).source, 'private');
      for (const f of [k2048.spkiPath, pkcs1Public, cert, k2048.pkcs1Path]) {
        assert.deepEqual(loadPublicKey(read(f)).fingerprint, expected, f);
      }
      assert.equal(publicKeyPem(loadPrivateKey(read(k2048.pkcs1Path))), read(k2048.spkiPath));
    });

    it('tolerates CRLF line endings and text around the block', () => {
      const text = `Bag Attributes\r\n${read(k2048.pkcs8Path).replace(/\n/g, '\r\n')}trailing notes\r\n`;
      assert.equal(loadPrivateKey(text).bits, 2048);
    });

    it('fingerprint equals sha256 of openssl\'s DER SPKI output', () => {
      const der = openssl(['pkey', '-pubin', '-in', k2048.spkiPath, '-outform', 'DER']);
      const fp = loadPublicKey(read(k2048.spkiPath)).fingerprint;
      assert.equal(fp.hex.replace(/:/g, '').toLowerCase(), sha256Hex(der));
      assert.match(fp.hex, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.equal(Buffer.from(fp.base64, 'base64').toString('hex'), sha256Hex(der));
    });
  });

  describe('classifyPem', () => {
    it('lists every block of a multi-block text without a passphrase', () => {
      const text = [read(k2048.pkcs1Path), read(encPkcs8), read(encPkcs1), read(k2048.spkiPath), read(pkcs1Public), read(cert), read(ecKey)].join('\n');
      const info = classifyPem(text);
      assert.deepEqual(
        info.map((i) => [i.kind, i.format, i.algorithm, i.bits]),
        [
          ['private', 'pkcs1', 'rsa', 2048],
          ['encrypted-private', 'pkcs8', undefined, undefined],
          ['encrypted-private', 'pkcs1', 'rsa', undefined],
          ['public', 'spki', 'rsa', 2048],
          ['public', 'pkcs1', 'rsa', 2048],
          ['certificate', 'x509', 'rsa', 2048],
          ['private', 'pkcs8', 'ec', undefined],
        ],
      );
      assert.equal(info[0].fingerprint?.hex, info[3].fingerprint?.hex);
      assert.equal(info[0].problem, undefined);
      assert.match(info[6].problem ?? '', /EC key/);
      assert.equal(info[0].line, 1);
    });

    it('flags a 1024-bit key as a problem, not an error', () => {
      const [i] = classifyPem(read(rsa1024));
      assert.equal(i.bits, 1024);
      assert.match(i.problem ?? '', /at least 2048/);
    });
  });

  describe('errors', () => {
    it('not PEM at all', () => throwsCode(() => loadPrivateKey('hello world'), 'PEM_MALFORMED', /not PEM/));
    it('no END line (truncated)', () => {
      const text = read(k2048.pkcs8Path).split('\n').slice(0, 10).join('\n');
      throwsCode(() => loadPrivateKey(text), 'PEM_MALFORMED', /truncated/);
    });
    it('truncated base64 body', () => {
      const lines = read(k2048.pkcs8Path).split('\n');
      lines[5] = lines[5].slice(0, 61);
      throwsCode(() => loadPrivateKey(lines.join('\n')), 'PEM_MALFORMED', /damaged base64/);
    });
    it('mismatched BEGIN/END labels', () => {
      const text = read(k2048.pkcs8Path).replace('END PRIVATE KEY', 'END PUBLIC KEY');
      throwsCode(() => loadPrivateKey(text), 'PEM_MALFORMED', /ends with/);
    });
    it('wrong header for the content (SPKI body labelled PRIVATE KEY)', () => {
      const text = read(k2048.spkiPath).replace(/PUBLIC KEY/g, 'PRIVATE KEY');
      throwsCode(() => loadPrivateKey(text), 'PEM_MALFORMED', /could not be read/);
    });
    it('EC (prime256v1) and Ed25519 keys are refused', () => {
      throwsCode(() => loadPrivateKey(read(ecKey)), 'KEY_NOT_RSA', /EC key/);
      throwsCode(() => loadPrivateKey(read(edKey)), 'KEY_NOT_RSA', /it is an Ed25519 key, and AWS IoT/);
      const ecPub = openssl(['pkey', '-in', ecKey, '-pubout']).toString();
      throwsCode(() => loadPublicKey(ecPub), 'KEY_NOT_RSA');
    });
    it('1024-bit RSA is refused', () => {
      throwsCode(() => loadPrivateKey(read(rsa1024)), 'KEY_TOO_SMALL', /1024-bit/);
    });
    it('encrypted key without and with a wrong passphrase', () => {
      for (const f of [encPkcs8, encPkcs1]) {
        throwsCode(() => loadPrivateKey(read(f)), 'KEY_PASSPHRASE_REQUIRED');
        throwsCode(() => loadPrivateKey(read(f), { passphrase: 'wrong' }), 'KEY_PASSPHRASE_WRONG');
      }
      throwsCode(() => loadPublicKey(read(encPkcs8)), 'KEY_PASSPHRASE_REQUIRED');
    });
    it('a public key where a private one is needed', () => {
      throwsCode(() => loadPrivateKey(read(k2048.spkiPath)), 'KEY_NOT_PRIVATE', /PUBLIC KEY/);
      throwsCode(() => loadPrivateKey(read(cert)), 'KEY_NOT_PRIVATE', /CERTIFICATE/);
    });
    it('splitPem reports the line of a damaged block among several', () => {
      const text = `${read(k2048.spkiPath)}\n-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n`;
      throwsCode(() => splitPem(text), 'PEM_MALFORMED', /line 11/);
    });
  });

  describe('generation and writing', () => {
    it('generates 2048 (default) and 3072-bit keys that openssl reads', async () => {
      for (const bits of [undefined, 3072] as const) {
        const pair = await generateKeyPair({ bits });
        assert.equal(pair.bits, bits ?? 2048);
        assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
        assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
        const f = tmpFile(`gen-${pair.bits}.pem`, pair.privateKeyPem);
        openssl(['pkey', '-in', f, '-noout']);
        const der = openssl(['pkey', '-in', f, '-pubout', '-outform', 'DER']);
        assert.equal(pair.fingerprint.hex.replace(/:/g, '').toLowerCase(), sha256Hex(der));
      }
    });

    it('encrypts with aes-256-cbc when a passphrase is given; openssl reads it with -passin env:', async () => {
      const pair = await generateKeyPair({ passphrase: 'correct horse' });
      assert.equal(pair.encrypted, true);
      assert.match(pair.privateKeyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      const f = tmpFile('gen-enc.pem', pair.privateKeyPem);
      openssl(['pkey', '-in', f, '-noout', '-passin', 'env:KEYPASS'], { env: { ...process.env, KEYPASS: 'correct horse' } });
      assert.throws(() => openssl(['pkey', '-in', f, '-noout', '-passin', 'pass:nope']));
      assert.equal(loadPrivateKey(pair.privateKeyPem, { passphrase: 'correct horse' }).fingerprint.hex, pair.fingerprint.hex);
      const asn1 = openssl(['asn1parse', '-in', f]).toString();
      assert.match(asn1, /aes-256-cbc/);
    });

    it('an empty passphrase means no passphrase: an unencrypted key, reported as unencrypted', async () => {
      const pair = await generateKeyPair({ bits: 2048, passphrase: '' });
      assert.equal(pair.encrypted, false);
      assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
      assert.equal(loadPrivateKey(pair.privateKeyPem).fingerprint.hex, pair.fingerprint.hex);
    });

    it('rejects unsupported sizes', async () => {
      await assert.rejects(generateKeyPair({ bits: 1024 }), (e: AuthzError) => e.code === 'KEY_SIZE_UNSUPPORTED');
    });

    const pem = (() => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    })();

    it('writes 0600 private and 0644 public, creating the directory, whatever the umask', () => {
      const dir = path.join(tmpRoot, 'write', 'nested');
      const old = process.umask(0o077); // would make the public key 0600 without the explicit chmod
      try {
        const paths = writeKeyPair(dir, 'dev', pem);
        assert.equal(paths.privateKeyPath, path.join(dir, 'dev.private.pem'));
        assert.equal(fs.statSync(paths.privateKeyPath).mode & 0o777, 0o600);
        assert.equal(fs.statSync(paths.publicKeyPath).mode & 0o777, 0o644);
        assert.equal(fs.readFileSync(paths.privateKeyPath, 'utf8'), pem.privateKeyPem);
      } finally {
        process.umask(old);
      }
    });

    it('refuses to overwrite, naming the file, unless overwrite: true (which also resets modes)', () => {
      const dir = path.join(tmpRoot, 'write2');
      const paths = writeKeyPair(dir, 'dev', pem);
      fs.writeFileSync(paths.publicKeyPath, 'old');
      throwsCode(() => writeKeyPair(dir, 'dev', pem), 'KEY_FILE_EXISTS', /dev\.private\.pem/);
      assert.equal(fs.readFileSync(paths.publicKeyPath, 'utf8'), 'old');
      fs.rmSync(paths.privateKeyPath);
      throwsCode(() => writeKeyPair(dir, 'dev', pem), 'KEY_FILE_EXISTS', /dev\.public\.pem/);
      assert.equal(fs.existsSync(paths.privateKeyPath), false, 'nothing written when the public file exists');
      fs.writeFileSync(paths.privateKeyPath, 'old', { mode: 0o644 });
      fs.chmodSync(paths.privateKeyPath, 0o644);
      writeKeyPair(dir, 'dev', pem, { overwrite: true });
      assert.equal(fs.readFileSync(paths.publicKeyPath, 'utf8'), pem.publicKeyPem);
      assert.equal(fs.statSync(paths.privateKeyPath).mode & 0o777, 0o600);
    });

    it('never leaves a half-written pair when the second write fails', () => {
      const dir = path.join(tmpRoot, 'write3');
      // A directory where the public file should go makes its write fail after the private one succeeded.
      fs.mkdirSync(path.join(dir, 'dev.public.pem'), { recursive: true });
      assert.throws(() => writeKeyPair(dir, 'dev', pem, { overwrite: true }));
      assert.equal(fs.existsSync(path.join(dir, 'dev.private.pem')), false);
    });

    it('validates key names', () => {
      for (const ok of ['dev', 'token-signing', 'fleet_2025.v2', 'A1']) validateKeyName(ok);
      for (const bad of ['', '../x', 'a/b', 'a\\b', '.hidden', 'a..b', 'sp ace', 'x'.repeat(101), 'é']) {
        throwsCode(() => validateKeyName(bad), 'KEY_NAME_INVALID');
      }
      throwsCode(() => writeKeyPair(tmpRoot, '../escape', pem), 'KEY_NAME_INVALID');
    });
  });

  describe('readInputFile', () => {
    it('refuses a 5 MB file before reading it, and reads small ones', () => {
      const big = path.join(tmpRoot, 'big.bin');
      fs.writeFileSync(big, Buffer.alloc(5 * 1024 * 1024, 0x41));
      throwsCode(() => readInputFile(big, 'key'), 'FILE_TOO_LARGE', /is 5 MB, over the 1 MB limit/);
      assert.equal(MAX_INPUT_FILE_BYTES, 1024 * 1024);
      assert.equal(readInputFile(tmpFile('small.txt', 'abc\n'), 'token').toString(), 'abc\n');
      throwsCode(() => readInputFile(path.join(tmpRoot, 'missing.pem'), 'key'), 'FILE_NOT_FOUND');
      throwsCode(() => readInputFile(tmpRoot, 'key'), 'FILE_UNREADABLE', /directory/);
    });
  });

  it('fingerprintOf a private KeyObject equals that of its public key', () => {
    const k = loadPrivateKey(read(k2048.pkcs8Path));
    assert.deepEqual(fingerprintOf(k.key), fingerprintOf(k.publicKey));
  });
});
