import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { AuthzError } from '../errors';
import { inspectToken } from '../tokens/inspect';

export type BatchFormat = 'csv' | 'jsonl';

/** One data row of the input, in input order. */
export interface InputRow {
  /** 0-based index among the data rows (the header excluded): what --shard K/N selects on. */
  index: number;
  /** 1-based line where the row starts in the input. */
  line: number;
  /** The token to sign, when the row has a usable one. */
  token?: string;
  /** Why the row cannot be signed (empty token, surrounding whitespace, not text, ...). */
  problem?: string;
  /** CSV: the row's fields. */
  fields?: string[];
  /** JSONL: the line as read (written back unchanged, with the new fields appended). */
  text?: string;
  /** JSONL: the parsed object. */
  object?: Record<string, unknown>;
}

/** What the reader found before the first data row. */
export interface InputHeader {
  /** CSV: the header's column names. */
  columns?: string[];
  /** The token's column index (CSV). */
  tokenIndex?: number;
  /** The token's field name (CSV column name or JSONL field). */
  tokenName: string;
}

export interface ReadOptions {
  format: BatchFormat;
  /** CSV column / JSONL field holding the token; default the first column / first field of the first object. */
  tokenName?: string;
  /** Counts the bytes consumed (for progress and ETA). */
  onBytes?: (n: number) => void;
}

/** Longest row accepted: a larger one is a broken file (an unclosed quote, no line breaks), not a device. */
export const MAX_ROW_BYTES = 1024 * 1024;

/** Why a token cannot be signed as is, or undefined when it can. */
export function tokenProblem(token: string): string | undefined {
  if (token.length === 0) return 'the token is empty';
  // The common case, decided without inspectToken's copy of the token into a Buffer.
  if (!/^\s|\s$|[\r\n]/.test(token)) return undefined;
  const warnings = inspectToken(token);
  return warnings.length ? warnings.map((w) => w.message).join(' ') : undefined;
}

/** The CSV header's columns and the token's column (the first unless named; an unknown name is an error). */
export function csvInputHeader(columns: string[], tokenName: string | undefined): InputHeader {
  const tokenIndex = tokenName === undefined ? 0 : columns.indexOf(tokenName);
  if (tokenIndex < 0) {
    throw new AuthzError(
      'BATCH_COLUMN_NOT_FOUND',
      `The CSV header has no column '${tokenName}' (it has ${columns.map((c) => `'${c}'`).join(', ')}).`,
      'Name one of the header\'s columns as the token column.',
    );
  }
  return { columns, tokenIndex, tokenName: columns[tokenIndex] };
}

/** A CSV data record as a row: its token and, when it cannot be signed, why. */
export function csvRow(record: string[], width: number, tokenIndex: number, index: number, line: number): InputRow {
  const row: InputRow = { index, line, fields: record };
  if (record.length !== width) row.problem = `the row has ${record.length} field${record.length === 1 ? '' : 's'} and the header ${width}`;
  else {
    row.token = record[tokenIndex];
    row.problem = tokenProblem(row.token);
  }
  return row;
}

/** A JSON Lines line that holds no row: ASCII whitespace only (the splitter's test too). */
export const BLANK_LINE = /^[ \t\r\v\f]*$/;

/**
 * A JSON Lines line (BOM and \r removed, not blank) as a row. `field` is the
 * token's field, or undefined while no object has named one: the first field
 * of the first object with fields becomes it (returned).
 */
export function jsonlRow(text: string, line: number, index: number, field: string | undefined): { row: InputRow; field: string | undefined } {
  const row: InputRow = { index, line, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    row.problem = `the line is not valid JSON (${(e as Error).message})`;
    return { row, field };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    row.problem = `the line is ${describeJson(value)}, not a JSON object`;
    return { row, field };
  }
  row.object = value as Record<string, unknown>;
  if (field === undefined) {
    field = Object.keys(row.object)[0];
    if (field === undefined) {
      row.problem = 'the first object has no fields to take the token from';
      return { row, field };
    }
  }
  const token = row.object[field];
  if (token === undefined) row.problem = `the object has no '${field}' field`;
  else if (typeof token !== 'string') row.problem = `the '${field}' field is ${describeJson(token)}, not text`;
  else {
    row.token = token;
    row.problem = tokenProblem(token);
  }
  return { row, field };
}

function countingInput(input: AsyncIterable<Buffer | string>, onBytes?: (n: number) => void): AsyncIterable<Buffer | string> {
  if (!onBytes) return input;
  return (async function* () {
    for await (const chunk of input) {
      onBytes(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
      yield chunk;
    }
  })();
}

/**
 * Reads the rows of a CSV (with a header) or JSON Lines input as a stream:
 * the header first (through `onHeader`), then each data row. Memory stays
 * bounded: the caller pulls rows, and the parser reads only as fast as that.
 * For looking into a file (readInputFields); the batch signer itself cuts
 * bytes here (split.ts) and reads rows on its workers (piece.ts).
 */
export async function* readRows(input: AsyncIterable<Buffer | string>, options: ReadOptions, onHeader: (h: InputHeader) => void): AsyncGenerator<InputRow> {
  for await (const batch of readRowBatches(input, options, onHeader)) yield* batch;
}

/** As readRows, in batches: the rows parsed from each piece of the input. */
export async function* readRowBatches(input: AsyncIterable<Buffer | string>, options: ReadOptions, onHeader: (h: InputHeader) => void): AsyncGenerator<InputRow[]> {
  const source = countingInput(input, options.onBytes);
  if (options.format === 'csv') yield* readCsv(source, options, onHeader);
  else yield* readJsonl(source, options, onHeader);
}

/** What an object-mode stream has buffered, in batches, until it ends; its error is thrown. */
async function* available<T>(s: NodeJS.ReadableStream & { destroyed?: boolean }): AsyncGenerator<T[]> {
  let error: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const onReadable = () => wake?.();
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (e: Error) => {
    error = e;
    wake?.();
  };
  s.on('readable', onReadable);
  s.on('end', onEnd);
  s.on('close', onEnd);
  s.on('error', onError);
  try {
    for (;;) {
      if (error) throw error;
      const batch: T[] = [];
      let r: T | null;
      while ((r = s.read() as T | null) !== null) batch.push(r);
      if (batch.length) {
        yield batch;
        continue;
      }
      if (error) throw error;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    s.off('readable', onReadable);
    s.off('end', onEnd);
    s.off('close', onEnd);
    s.off('error', onError);
  }
}

async function* readCsv(input: AsyncIterable<Buffer | string>, options: ReadOptions, onHeader: (h: InputHeader) => void): AsyncGenerator<InputRow[]> {
  // Field-count mismatches are reported per row (relax_column_count) instead of failing the parse.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_ROW_BYTES });
  const feeding = (async () => {
    try {
      for await (const chunk of input) {
        if (parser.destroyed) return; // the reader stopped early (a fatal row, a cancel)
        if (!parser.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off('drain', done);
              parser.off('close', done);
              resolve();
            };
            parser.on('drain', done);
            parser.on('close', done);
          });
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let header: InputHeader | undefined;
  let width = 0;
  let index = 0;
  let prevEnd = 0;
  let prevEmpty = 0;
  try {
    for await (const records of available<{ record: string[]; info: { lines: number; empty_lines: number } }>(parser)) {
      const rows: InputRow[] = [];
      for (const { record, info } of records) {
        const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
        prevEnd = info.lines;
        prevEmpty = info.empty_lines;
        if (!header) {
          width = record.length;
          header = csvInputHeader(record, options.tokenName);
          onHeader(header);
          continue;
        }
        rows.push(csvRow(record, width, header.tokenIndex!, index++, line));
      }
      if (rows.length) yield rows;
    }
  } catch (e) {
    if (e instanceof AuthzError) throw e;
    const err = e as Error & { lines?: number };
    throw new AuthzError('BATCH_CSV_INVALID', `The CSV input is not valid${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`, 'Fix the CSV (a quote left open is the usual cause) and run again.');
  } finally {
    parser.destroy();
    await feeding;
  }
  if (!header) throw new AuthzError('BATCH_EMPTY', 'The CSV input is empty: it has no header row.', 'Give a CSV file whose first row names the columns.');
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

async function* readJsonl(input: AsyncIterable<Buffer | string>, options: ReadOptions, onHeader: (h: InputHeader) => void): AsyncGenerator<InputRow[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  let index = 0;
  let field = options.tokenName;
  const rowOf = (text: string): InputRow | undefined => {
    lineNo++;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (BLANK_LINE.test(text)) return undefined;
    const r = jsonlRow(text, lineNo, index++, field);
    field = r.field;
    return r.row;
  };
  let announced = false;
  const announce = () => {
    if (!announced && field !== undefined) {
      announced = true;
      onHeader({ tokenName: field });
    }
  };
  for await (const chunk of input) {
    // Lines are searched for in the new piece only: a long line arriving in many pieces stays linear.
    const piece = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl: number;
    const rows: InputRow[] = [];
    while ((nl = piece.indexOf('\n', start)) >= 0) {
      const row = rowOf(rest + piece.slice(start, nl));
      rest = '';
      start = nl + 1;
      announce();
      if (row) rows.push(row);
    }
    if (rows.length) yield rows;
    rest += piece.slice(start);
    if (rest.length > MAX_ROW_BYTES) {
      throw new AuthzError('BATCH_ROW_TOO_LONG', `Line ${lineNo + 1} is longer than ${MAX_ROW_BYTES} bytes.`, 'JSON Lines needs one object per line; check that the file has line breaks.');
    }
  }
  rest += decoder.end();
  if (rest.length) {
    const row = rowOf(rest);
    announce();
    if (row) yield [row];
  }
  if (!announced) onHeader({ tokenName: field ?? '' });
}
