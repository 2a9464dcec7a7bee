import * as fs from 'node:fs';
import { AuthzError } from '../errors';

/** Key and token files are small; anything bigger is a wrong file, not a key. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a key or token file, refusing files over maxBytes before reading
 * them, so a wrong multi-megabyte file (or a device) cannot hang anything.
 */
export function readInputFile(file: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AuthzError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      code === 'ENOENT' ? `The ${what} file ${file} does not exist.` : `The ${what} file ${file} cannot be read (${code}).`,
      'Check the path (relative paths start from the current directory).',
    );
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) {
      throw new AuthzError('FILE_UNREADABLE', `${file} is a directory, not a ${what} file.`, 'Give the path of the file itself.');
    }
    const tooLarge = () =>
      new AuthzError(
        'FILE_TOO_LARGE',
        `The ${what} file ${file} is larger than ${maxBytes} bytes; it is not a ${what}.`,
        `Check the path: ${what} files are a few kilobytes at most.`,
      );
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge();
    // Read at most maxBytes + 1 so a pipe or device that reports no size is capped too.
    const buf = Buffer.alloc(maxBytes + 1);
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge();
    }
    return buf.subarray(0, total);
  } finally {
    fs.closeSync(fd);
  }
}
