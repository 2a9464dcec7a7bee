import * as fs from 'node:fs';
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { AuthzError } from './errors';
import { jsonTooDeepAt, MAX_JSON_DEPTH } from './jsonDepth';

/** Key and token files are small; anything bigger is a wrong file, not a key. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;
/**
 * JSON inputs (definitions, test cases, policies, responses) are kilobytes; AWS
 * caps a whole authorizer response far below this. Bigger files are refused unread.
 */
export const MAX_JSON_FILE_BYTES = 1024 * 1024;

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/**
 * Reads a key or token file, refusing files over maxBytes before reading
 * them, so a wrong multi-megabyte file (or a device) cannot hang anything.
 */
export function readInputFile(file: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Buffer {
  let fd: number;
  try {
    // A FIFO or device would block the open or the reads: refuse anything but a regular file first.
    const st = fs.statSync(file);
    if (st.isDirectory()) throw isDirectory(file, what);
    if (!st.isFile()) throw notRegular(file, what, st);
    // O_NONBLOCK: should the path be swapped for a FIFO after the check, the open still returns.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof AuthzError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw isDirectory(file, what);
    throw new AuthzError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      code === 'ENOENT' ? `The ${what} file ${file} does not exist.` : `The ${what} file ${file} cannot be read (${code}).`,
      'Check the path (relative paths start from the current directory).',
    );
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw isDirectory(file, what);
    if (!stat.isFile()) throw notRegular(file, what, stat);
    const tooLarge = (size?: number) =>
      new AuthzError(
        'FILE_TOO_LARGE',
        `The ${what} file ${file} is ${size !== undefined ? `${sizeText(size)}, over the ${sizeText(maxBytes)} limit` : `larger than ${sizeText(maxBytes)}`}: it is not a ${what} file.`,
        `Check the path: ${what} files are a few kilobytes.`,
      );
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(stat.size);
    // Read at most maxBytes + 1 so a file that grows while being read is capped too.
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

function notRegular(file: string, what: string, st: fs.Stats): AuthzError {
  const kind = st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
  return new AuthzError('FILE_NOT_REGULAR', `${file} is ${kind}, not a ${what} file; it was not read.`, 'Give the path of a regular file.');
}

function isDirectory(file: string, what: string): AuthzError {
  return new AuthzError('FILE_UNREADABLE', `${file} is a directory, not a ${what} file.`, 'Give the path of the file itself.');
}

/**
 * Where bytes stop being valid UTF-8, as an offset in their lenient decoding
 * (byte order mark removed); undefined for valid UTF-8.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  // Streaming decode: a prefix cut inside a character is not an error, so validity is monotone in the length.
  const decodePrefix = (n: number) => {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, n), { stream: n < bytes.length });
    } catch {
      return undefined;
    }
  };
  if (decodePrefix(bytes.length) !== undefined) return undefined;
  let lo = 0;
  let hi = bytes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (decodePrefix(mid) !== undefined) lo = mid;
    else hi = mid - 1;
  }
  return decodePrefix(lo)!.length;
}

/** A size-capped text file (UTF-8, byte order mark removed). */
export function readTextFile(file: string, what: string, maxBytes = MAX_JSON_FILE_BYTES): string {
  return readInputFile(file, what, maxBytes).toString('utf8').replace(/^\uFEFF/, '');
}

/** Line and column (1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

export interface ReadJsonOptions {
  maxBytes?: number;
  /** Accept comments and trailing commas (JSONC), as the editor does for definitions. */
  jsonc?: boolean;
}

/**
 * Reads and parses a JSON file with clear errors: missing, a directory, too
 * large (refused before reading), or invalid JSON with line:column.
 */
export function readJsonFile(file: string, what: string, options: ReadJsonOptions = {}): unknown {
  const text = readTextFile(file, what, options.maxBytes ?? MAX_JSON_FILE_BYTES);
  return parseJsonText(text, `The ${what} file ${file}`, options.jsonc ?? false);
}

/** Parses JSON text; `shown` names it in the error ("The test case file x.json"). */
export function parseJsonText(text: string, shown: string, jsonc = false): unknown {
  assertJsonDepth(text, shown);
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { disallowComments: !jsonc, allowTrailingComma: jsonc, allowEmptyContent: false });
  if (errors.length) {
    const e = errors[0];
    const at = lineColumn(text, e.offset);
    const empty = text.trim() === '';
    throw new AuthzError(
      'FILE_INVALID_JSON',
      empty ? `${shown} is empty: it holds no JSON.` : `${shown} is not valid JSON: ${describeParseError(printParseErrorCode(e.error))} at line ${at.line}, column ${at.column}.`,
      empty ? 'Check the path, or write the JSON document into the file.' : 'Fix the JSON syntax there (an editor with JSON support shows the problem).',
    );
  }
  // jsonc-parser and JSON.parse agree on valid JSON; JSON.parse gives plain objects as every caller expects.
  if (jsonc) return value;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AuthzError('FILE_INVALID_JSON', `${shown} is not valid JSON: ${(e as Error).message}.`, 'Fix the JSON syntax.');
  }
}

/** Refuses JSON nested deeper than MAX_JSON_DEPTH before any recursive parser or walker sees it. */
export function assertJsonDepth(text: string, shown: string): void {
  const at = jsonTooDeepAt(text);
  if (at === undefined) return;
  const { line, column } = lineColumn(text, at);
  throw new AuthzError(
    'FILE_JSON_TOO_DEEP',
    `${shown} nests more than ${MAX_JSON_DEPTH} levels deep (at line ${line}, column ${column}): no policy, response, definition or test case does.`,
    'Check the file: AWS policy documents nest a few levels at most.',
  );
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'an unexpected character',
    InvalidNumberFormat: 'a malformed number',
    PropertyNameExpected: 'a property name is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: "':' is expected",
    CommaExpected: "',' is expected",
    CloseBraceExpected: "'}' is expected",
    CloseBracketExpected: "']' is expected",
    EndOfFileExpected: 'the document should end',
    InvalidCommentToken: 'a comment (not allowed in JSON)',
    UnexpectedEndOfComment: 'an unfinished comment',
    UnexpectedEndOfString: 'an unfinished string',
    UnexpectedEndOfNumber: 'an unfinished number',
    InvalidUnicode: 'an invalid \\u escape',
    InvalidEscapeCharacter: 'an invalid escape character',
    InvalidCharacter: 'an invalid character in a string',
  };
  return words[code] ?? code;
}
