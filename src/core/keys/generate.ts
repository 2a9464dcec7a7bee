import { generateKeyPair as nodeGenerateKeyPair } from 'node:crypto';
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
}

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
      fs.mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Created meanwhile (another process): fine when it is a folder.
      if (code === 'EEXIST' && fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw dirError(abs, code, d);
    }
  }
}

function writeNew(file: string, content: string, mode: number, overwrite: boolean): void {
  // 'wx' with the final mode: the file never exists with wider permissions.
  let fd: number;
  try {
    fd = fs.openSync(file, overwrite ? 'w' : 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AuthzError(
        'KEY_FILE_EXISTS',
        `${file} already exists; it was not overwritten.`,
        'Choose another name or directory, or overwrite it deliberately (--force).',
      );
    }
    throw dirError(path.dirname(file), (e as NodeJS.ErrnoException).code);
  }
  try {
    // The umask can narrow the open mode, and an existing file keeps its old mode: set it explicitly.
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `<name>.private.pem` (0600) and `<name>.public.pem` (0644) into dir,
 * creating it. Refuses existing files unless overwrite; never leaves one
 * file of a pair behind when the other cannot be written.
 */
export function writeKeyPair(
  dir: string,
  name: string,
  pair: Pick<GeneratedKeyPair, 'privateKeyPem' | 'publicKeyPem'>,
  options: WriteOptions = {},
): KeyPairPaths {
  const paths = keyPairPaths(dir, name);
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    for (const p of [paths.privateKeyPath, paths.publicKeyPath]) {
      if (fs.existsSync(p)) {
        throw new AuthzError(
          'KEY_FILE_EXISTS',
          `${p} already exists; nothing was written.`,
          'Choose another name or directory, or overwrite it deliberately (--force).',
        );
      }
    }
  }
  ensureKeyDir(dir);
  writeNew(paths.privateKeyPath, pair.privateKeyPem, 0o600, overwrite);
  try {
    writeNew(paths.publicKeyPath, pair.publicKeyPem, 0o644, overwrite);
  } catch (e) {
    fs.rmSync(paths.privateKeyPath, { force: true });
    throw e;
  }
  return paths;
}
