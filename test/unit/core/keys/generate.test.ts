import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
// The module object itself (not the import helper's read-only view), so mkdirSync can be stubbed.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a writable view of node:fs is the point
import nodeFs = require('node:fs');
import * as os from 'node:os';
import * as path from 'node:path';
import { CliIo } from '../../../../src/cli/framework';
import { main } from '../../../../src/cli/main';
import { AuthzError } from '../../../../src/core/errors';
import { ensureKeyDir, keyTypePhrase, writeKeyPair } from '../../../../src/core/keys';

const PAIR = { privateKeyPem: 'private', publicKeyPem: 'public' };

function throwsCode(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AuthzError, `not an AuthzError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.display, message);
    assert.ok(!/^E[A-Z]+:/.test(e.message), `raw errno message: ${e.message}`);
    return true;
  });
}

describe('writeKeyPair: the --out folder', function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-keydir-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'existing.pem');
  fs.writeFileSync(file, 'x');

  it('an existing file as the folder: names it, says to give a folder (was raw EEXIST)', () => {
    throwsCode(() => writeKeyPair(file, 'k', PAIR), 'KEY_DIR_NOT_A_FOLDER', /existing\.pem is a file, not a folder\. Give a folder/);
  });

  it('a folder under a file: names the file in the path (was raw ENOTDIR)', () => {
    throwsCode(() => writeKeyPair(path.join(file, 'sub', 'deeper'), 'k', PAIR), 'KEY_DIR_NOT_A_FOLDER', new RegExp(`\\(at ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`));
  });

  it('creates missing parents one level at a time (near miss: a valid new path works)', () => {
    const p = writeKeyPair(path.join(dir, 'a', 'b', 'c'), 'k', PAIR);
    assert.equal(fs.readFileSync(p.publicKeyPath, 'utf8'), 'public');
    assert.equal(fs.statSync(p.privateKeyPath).mode & 0o777, 0o600);
  });

  describe('permission and file-system errors become AuthzErrors (mkdir stubbed)', () => {
    const realMkdir = nodeFs.mkdirSync;
    afterEach(() => {
      nodeFs.mkdirSync = realMkdir;
    });
    for (const [errno, code, message] of [
      ['EACCES', 'KEY_DIR_NOT_WRITABLE', /permission denied\. Choose a folder you can write to/],
      ['EPERM', 'KEY_DIR_NOT_WRITABLE', /permission denied/],
      ['EROFS', 'KEY_DIR_NOT_WRITABLE', /read-only\. Choose a folder on a writable disk/],
      ['ENOENT', 'KEY_DIR_NOT_CREATABLE', /does not allow new folders/],
    ] as const) {
      it(`${errno} → ${code}, naming the folder`, () => {
        (nodeFs as { mkdirSync: unknown }).mkdirSync = () => {
          throw Object.assign(new Error(`${errno}: stubbed, mkdir`), { code: errno });
        };
        const target = path.join(dir, `new-${errno}`);
        throwsCode(() => writeKeyPair(target, 'k', PAIR), code, message);
        throwsCode(() => writeKeyPair(target, 'k', PAIR), code, new RegExp(`new-${errno}`));
      });
    }
  });

  // /proc exists on Linux only (CI and the development machines): the test is defined there, not skipped elsewhere.
  if (process.platform === 'linux') it('/proc/nope fails at once instead of spinning (recursive mkdirSync loops there)', function () {
    this.timeout(10_000); // a hang fails the test through mocha's timeout
    throwsCode(() => ensureKeyDir('/proc/nope/sub'), 'KEY_DIR_NOT_CREATABLE', /\/proc\/nope/);
  });

  it('iot-authz keygen --out existing-file.pem: exit 2 with the message, no raw EEXIST', async function () {
    this.timeout(30_000);
    let err = '';
    const io: CliIo = { stdout: () => undefined, stderr: (t) => void (err += t), env: {}, cwd: dir };
    assert.equal(await main(['keygen', '--out', 'existing.pem'], io), 2);
    assert.match(err, /existing\.pem is a file, not a folder/);
    assert.doesNotMatch(err, /EEXIST|ENOTDIR/);
  });
});

describe('key type names in messages', () => {
  it('proper names with the right article', () => {
    assert.equal(keyTypePhrase('ed25519'), 'an Ed25519 key');
    assert.equal(keyTypePhrase('dsa'), 'a DSA key');
    assert.equal(keyTypePhrase('ec'), 'an EC key');
    assert.equal(keyTypePhrase('rsa-pss'), 'an RSA-PSS key');
    assert.equal(keyTypePhrase('dh'), 'a DH key');
    assert.equal(keyTypePhrase(undefined), 'a key of unknown type');
  });
});
