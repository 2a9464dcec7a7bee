// keygen's writes (issue 8, findings 5, 6, 8, 9): never through a link, all or nothing, disk full, 0700 folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../src/cli/main';
import { AuthzError } from '../../../../src/core/errors';
import { writeKeyPair } from '../../../../src/core/keys';

const OLD = { privateKeyPem: 'old private', publicKeyPem: 'old public' };
const NEW = { privateKeyPem: 'new private', publicKeyPem: 'new public' };

describe('writeKeyPair and keygen --force: atomic, never through a link', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const priv = () => path.join(dir, 'k.private.pem');
  const pub = () => path.join(dir, 'k.public.pem');
  const read = (p: string) => fs.readFileSync(p, 'utf8');
  const leftovers = () => fs.readdirSync(dir).filter((f) => !['k.private.pem', 'k.public.pem', 'victim.txt'].includes(f));

  async function keygen(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(['keygen', '--out', dir, '--name', 'k', ...extra], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir });
    return { code, out, err };
  }

  it('finding 5: keygen --force replaces a symlink planted at the target and leaves the file it points to untouched', async () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious', { mode: 0o644 });
    fs.symlinkSync(victim, priv());
    fs.symlinkSync(victim, pub());
    const r = await keygen('--force');
    assert.equal(r.code, 0, r.err);
    assert.equal(read(victim), 'precious');
    assert.equal(fs.statSync(victim).mode & 0o777, 0o644);
    for (const p of [priv(), pub()]) assert.ok(fs.lstatSync(p).isFile(), `${p} is now a regular file, not the link`);
    assert.match(read(priv()), /PRIVATE KEY/);
    assert.equal(fs.statSync(priv()).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(), []);
  });

  it('finding 5: without --force, a link at the target (even a dangling one) counts as existing', async () => {
    fs.symlinkSync(path.join(dir, 'nowhere'), priv());
    const r = await keygen();
    assert.equal(r.code, 2);
    assert.match(r.err, /already exists/);
    assert.equal(fs.existsSync(path.join(dir, 'nowhere')), false);
  });

  it('finding 6: a failure between the two renames leaves the old pair byte-identical and nothing else', () => {
    writeKeyPair(dir, 'k', OLD);
    let n = 0;
    assert.throws(
      () => writeKeyPair(dir, 'k', NEW, { overwrite: true, fsOps: { rename: (a, b) => { if (++n === 2) throw Object.assign(new Error('EPERM: stubbed'), { code: 'EPERM' }); fs.renameSync(a, b); } } }),
      (e: unknown) => e instanceof AuthzError && e.code === 'KEY_DIR_NOT_WRITABLE',
    );
    assert.equal(read(priv()), 'old private');
    assert.equal(read(pub()), 'old public');
    assert.equal(fs.statSync(priv()).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(), []);
  });

  it('finding 6: a failure creating a new pair leaves no file of it', () => {
    let n = 0;
    assert.throws(() => writeKeyPair(dir, 'k', NEW, { fsOps: { rename: (a, b) => { if (++n === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' }); fs.renameSync(a, b); } } }));
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('finding 8: ENOSPC while writing says the disk is full and leaves the old pair and no partial file', () => {
    writeKeyPair(dir, 'k', OLD);
    for (const which of [1, 2]) {
      let n = 0;
      const write = (fd: number, text: string) => {
        if (++n === which) {
          fs.writeSync(fd, text.slice(0, 3)); // a partial write, then the disk is full
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        fs.writeFileSync(fd, text);
      };
      assert.throws(
        () => writeKeyPair(dir, 'k', NEW, { overwrite: true, fsOps: { write } }),
        (e: unknown) => e instanceof AuthzError && e.code === 'KEY_DISK_FULL' && /disk is full/.test(e.message),
      );
      assert.equal(read(priv()), 'old private');
      assert.equal(read(pub()), 'old public');
      assert.deepEqual(leftovers(), [], `write #${which}`);
    }
    // Nothing left behind: the next attempt works without --force trouble.
    fs.rmSync(priv());
    fs.rmSync(pub());
    assert.doesNotThrow(() => writeKeyPair(dir, 'k', NEW));
  });

  it('finding 9: folders keygen creates are 0700 even under umask 000', () => {
    const old = process.umask(0);
    try {
      const p = writeKeyPair(path.join(dir, 'a', 'b'), 'k', NEW);
      assert.equal(fs.statSync(path.join(dir, 'a')).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777, 0o700);
      assert.equal(fs.statSync(p.privateKeyPath).mode & 0o777, 0o600);
      assert.equal(fs.statSync(p.publicKeyPath).mode & 0o777, 0o644);
    } finally {
      process.umask(old);
    }
  });
});
