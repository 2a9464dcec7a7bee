import { generateKeyPair as nodeGenerateKeyPair, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { AuthzError } from '../errors';
import { Fingerprint, fingerprintOf } from './keys';

export const KEY_SIZES = [2048, 3072, 4096] as const;
export type KeySize = (typeof KEY_SIZES)[number];
export const DEFAULT_KEY_SIZE: KeySize = 2048;
/** Cipher of encrypted PKCS#8 private keys (PBES2); openssl and every SDK read it. */
export const PRIVATE_KEY_CIPHER = 'aes-256-cbc';

export interface GeneratedKeyPair {
  /** PKCS#8 PEM, encrypted when a passphrase was given. */
  privateKeyPem: string;
  /** SPKI PEM: the value for the authorizer's tokenSigningPublicKeys. */
  publicKeyPem: string;
  bits: KeySize;
  encrypted: boolean;
  fingerprint: Fingerprint;
}

export interface GenerateOptions {
  bits?: number;
  passphrase?: string;
}

const generate = promisify(nodeGenerateKeyPair);

export function assertKeySize(bits: number): asserts bits is KeySize {
  if (!(KEY_SIZES as readonly number[]).includes(bits)) {
    throw new AuthzError(
      'KEY_SIZE_UNSUPPORTED',
      `${bits} is not a supported RSA key size.`,
      `Use one of ${KEY_SIZES.join(', ')} bits (AWS IoT requires at least 2048).`,
    );
  }
}

/** Generates an RSA key pair off the main thread (4096 bits can take seconds). */
export async function generateKeyPair(options: GenerateOptions = {}): Promise<GeneratedKeyPair> {
  const bits = options.bits ?? DEFAULT_KEY_SIZE;
  assertKeySize(bits);
  const passphrase = options.passphrase || undefined;
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
  });
  return {
    privateKeyPem: privateKey
      .export(
        passphrase
          ? { type: 'pkcs8', format: 'pem', cipher: PRIVATE_KEY_CIPHER, passphrase }
          : { type: 'pkcs8', format: 'pem' },
      )
      .toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    bits,
    encrypted: passphrase !== undefined,
    fingerprint: fingerprintOf(publicKey),
  };
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A key name becomes a file name: letters, digits, '.', '_', '-', not starting with a dot. */
export function validateKeyName(name: string): void {
  if (!KEY_NAME.test(name) || name.includes('..')) {
    throw new AuthzError(
      'KEY_NAME_INVALID',
      `'${name}' is not a valid key name: it becomes a file name, so it must be 1 to 100 letters, digits, '.', '_' or '-', start with a letter or digit, and contain no path separators.`,
      "Choose a name such as 'token-signing' or 'device-fleet-2025'.",
    );
  }
}

export interface KeyPairPaths {
  privateKeyPath: string;
  publicKeyPath: string;
}

export function keyPairPaths(dir: string, name: string): KeyPairPaths {
  validateKeyName(name);
  return {
    privateKeyPath: path.join(dir, `${name}.private.pem`),
    publicKeyPath: path.join(dir, `${name}.public.pem`),
  };
}

export interface WriteOptions {
  overwrite?: boolean;
  /** Test seam: the file operations, to inject ENOSPC or a failed rename. */
  fsOps?: Partial<KeyFileOps>;
}

/** The few file operations writeKeyPair performs on files it has opened or created. */
export interface KeyFileOps {
  write(fd: number, text: string): void;
  rename(from: string, to: string): void;
}

const REAL_OPS: KeyFileOps = {
  write: (fd, text) => {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  },
  rename: (from, to) => fs.renameSync(from, to),
};

function dirError(dir: string, code: string | undefined, blocker?: string): AuthzError {
  const shown = blocker && blocker !== dir ? `${dir} (at ${blocker})` : dir;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new AuthzError(
        'KEY_DIR_NOT_A_FOLDER',
        `Cannot write the key pair into ${shown}: ${blocker ?? dir} is a file, not a folder.`,
        'Give a folder for --out (an existing one, or a new name that is created).',
      );
    case 'EACCES':
    case 'EPERM':
      return new AuthzError(
        'KEY_DIR_NOT_WRITABLE',
        `Cannot write the key pair into ${shown}: permission denied.`,
        'Choose a folder you can write to, or change its permissions.',
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new AuthzError('KEY_DISK_FULL', `Cannot write the key pair into ${shown}: the disk is full${code === 'EDQUOT' ? ' (quota exceeded)' : ''}. Nothing was changed.`, 'Free some disk space, or choose a folder on another disk.');
    case 'EROFS':
      return new AuthzError('KEY_DIR_NOT_WRITABLE', `Cannot write the key pair into ${shown}: the file system is read-only.`, 'Choose a folder on a writable disk.');
    case 'ENOENT':
      return new AuthzError(
        'KEY_DIR_NOT_CREATABLE',
        `Cannot create the folder ${shown}: the file system there does not allow new folders (ENOENT).`,
        'Give a folder on an ordinary disk, e.g. inside your project or home folder.',
      );
    default:
      return new AuthzError('KEY_DIR_UNUSABLE', `Cannot write the key pair into ${shown} (${code ?? 'unknown error'}).`, 'Choose another folder for the key pair.');
  }
}

/**
 * Makes sure dir is a folder, creating missing parents one level at a time.
 * (Not mkdirSync recursive: it loops forever on some paths such as /proc/x, and
 * its raw EEXIST/ENOTDIR errors do not say which part of the path is wrong.)
 */
export function ensureKeyDir(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        // A path component above p is a file; keep walking up to name it.
      } else if (code !== 'ENOENT') {
        throw dirError(abs, code, p);
      }
    }
    if (st) {
      if (!st.isDirectory()) throw dirError(abs, 'ENOTDIR', p);
      break;
    }
    const parent = path.dirname(p);
    if (parent === p) throw dirError(abs, 'ENOENT');
    missing.push(p);
    p = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d, { mode: 0o700 });
      // New key folders are private whatever the umask (mkdir applies it, chmod does not).
      fs.chmodSync(d, 0o700);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Created meanwhile (another process): fine when it is a folder.
      if (code === 'EEXIST' && fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw dirError(abs, code, d);
    }
  }
}

/** Whether something (a file, a folder, a symbolic link, even a dangling one) is at p. */
function occupied(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR and the like: ensureKeyDir names the problem.
  }
}

/**
 * Creates a new temporary file next to `target` (O_EXCL, O_NOFOLLOW, the final
 * mode from the first byte) holding text; returns its path.
 */
function writeTemp(target: string, text: string, mode: number, ops: KeyFileOps): string {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
  } catch (e) {
    throw dirError(dir, (e as NodeJS.ErrnoException).code);
  }
  try {
    // The umask can only narrow the open mode; set it exactly.
    fs.fchmodSync(fd, mode);
    ops.write(fd, text);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw dirError(dir, (e as NodeJS.ErrnoException).code);
  }
  fs.closeSync(fd);
  return tmp;
}

/**
 * Writes `<name>.private.pem` (0600) and `<name>.public.pem` (0644) into dir,
 * creating it (new folders 0700). Refuses existing files unless overwrite. All
 * or nothing: both files are written to temporary files first and renamed over
 * the targets only when both are complete, so any failure leaves the old pair
 * (or nothing) in place, no partial file behind; a symbolic link at a target is
 * replaced, never followed.
 */
export function writeKeyPair(
  dir: string,
  name: string,
  pair: Pick<GeneratedKeyPair, 'privateKeyPem' | 'publicKeyPem'>,
  options: WriteOptions = {},
): KeyPairPaths {
  const paths = keyPairPaths(dir, name);
  const overwrite = options.overwrite ?? false;
  const ops: KeyFileOps = { ...REAL_OPS, ...options.fsOps };
  const targets = [paths.privateKeyPath, paths.publicKeyPath];
  if (!overwrite) {
    for (const p of targets) {
      if (occupied(p)) {
        throw new AuthzError(
          'KEY_FILE_EXISTS',
          `${p} already exists; nothing was written.`,
          'Choose another name or directory, or overwrite it deliberately (--force).',
        );
      }
    }
  }
  ensureKeyDir(dir);
  for (const p of targets) {
    if (occupied(p) && fs.lstatSync(p).isDirectory()) throw new AuthzError('KEY_FILE_EXISTS', `${p} is a folder; nothing was written.`, 'Choose another name or directory.');
  }
  const temps: string[] = [];
  const backups: Array<{ target: string; backup: string }> = [];
  let renamed = 0;
  try {
    temps.push(writeTemp(paths.privateKeyPath, pair.privateKeyPem, 0o600, ops));
    temps.push(writeTemp(paths.publicKeyPath, pair.publicKeyPem, 0o644, ops));
    // Hard links keep the old pair (links themselves, not what they point to) until both renames are done.
    for (const target of targets) {
      if (!occupied(target)) continue;
      const backup = `${temps[0]}.old${backups.length}`;
      fs.linkSync(target, backup);
      backups.push({ target, backup });
    }
    if (!overwrite && targets.some(occupied)) {
      throw new AuthzError('KEY_FILE_EXISTS', 'A key file appeared meanwhile; nothing was written.', 'Run the command again.');
    }
    for (let i = 0; i < targets.length; i++) {
      try {
        ops.rename(temps[i], targets[i]);
      } catch (e) {
        throw dirError(dir, (e as NodeJS.ErrnoException).code);
      }
      renamed++;
    }
  } catch (e) {
    // Put back what was replaced; remove what was created.
    for (let i = 0; i < renamed; i++) {
      const b = backups.find((x) => x.target === targets[i]);
      if (b) fs.renameSync(b.backup, b.target);
      else fs.rmSync(targets[i], { force: true });
    }
    for (const t of temps) fs.rmSync(t, { force: true });
    for (const b of backups) fs.rmSync(b.backup, { force: true });
    throw e;
  }
  for (const b of backups) fs.rmSync(b.backup, { force: true });
  return paths;
}
