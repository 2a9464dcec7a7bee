import { parse } from 'csv-parse/sync';
import { AuthzError } from '../errors';
import { FormatSpec, formatRows, wireRow } from './format';
import { BatchFormat, BLANK_LINE, csvRow, InputRow, jsonlRow, MAX_ROW_BYTES } from './rows';

/** What every piece of one batch is read with (small, plain data: it travels with each piece). */
export interface PieceJob {
  format: BatchFormat;
  spec: FormatSpec;
  /** CSV: the header's width and the token's column. */
  width?: number;
  tokenIndex?: number;
  /** CSV: the record delimiter found by the splitter. */
  delimiter?: string;
  /** JSON Lines: the token's field (undefined while no object has named one). */
  field?: string;
  /** Only the rows whose index modulo `count` is `index`. */
  shard?: { index: number; count: number };
}

/** A piece as a worker gets it (see split.ts). */
export interface PieceInput {
  bytes: Uint8Array;
  line: number;
  index: number;
  records: number;
}

/** A bad row: its 1-based line and what is wrong with it. */
export interface PieceBadRow {
  line: number;
  message: string;
}

export interface PieceResult {
  /** The output text of the signed rows, in order. */
  out: string;
  /** Rows of this shard in the piece. */
  rows: number;
  signed: number;
  bad: PieceBadRow[];
}

const decoder = new TextDecoder('utf-8');

/**
 * The rows of a piece (of this shard), indexed as in the whole input. CSV rows
 * get their line numbers when one of them is bad (they are only reported then),
 * or when `lines` asks for them.
 */
export function pieceRows(job: PieceJob, piece: PieceInput, lines = false): InputRow[] {
  const rows = job.format === 'csv' ? csvPieceRows(job, piece, lines) : jsonlPieceRows(job, piece, decoder.decode(piece.bytes));
  if (rows.length !== piece.records) {
    // The splitter and the parser disagree on where records end: never for well-formed input; refused rather than mis-numbered.
    throw new AuthzError(
      'BATCH_SPLIT_MISMATCH',
      `Lines ${piece.line} onwards: ${rows.length} rows were parsed where ${piece.records} were expected.`,
      'Check the quoting of those lines; if the file is valid, please report this with the lines in question.',
    );
  }
  return job.shard ? rows.filter((r) => r.index % job.shard!.count === job.shard!.index) : rows;
}

function csvPieceRows(job: PieceJob, piece: PieceInput, lines: boolean): InputRow[] {
  const bytes = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength);
  // Line numbers are needed only for bad rows: the piece is read again for them (csv-parse's `info` costs a little on every row).
  const rows = csvRecords(job, piece, bytes, false).map((record, i) => csvRow(record, job.width!, job.tokenIndex!, piece.index + i, 0));
  if (!lines && rows.every((r) => r.problem === undefined)) return rows;
  // Lines are the input's line breaks counted here, as an editor numbers them (csv-parse's own count
  // takes a \r\n inside quotes for two lines): a record starts after the last one's bytes and any empty lines.
  const brk = job.delimiter === '\r' ? 0x0d : 0x0a;
  const breaks = (from: number, to: number) => {
    let n = 0;
    for (let i = bytes.indexOf(brk, from); i >= 0 && i < to; i = bytes.indexOf(brk, i + 1)) n++;
    return n;
  };
  let line = piece.line;
  let pos = 0;
  csvRecords(job, piece, bytes, true).forEach(({ info }, i) => {
    let start = pos;
    while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
    line += breaks(pos, start);
    rows[i].line = line;
    line += breaks(start, info.bytes);
    pos = info.bytes;
  });
  return rows;
}

function csvRecords(job: PieceJob, piece: PieceInput, bytes: Buffer, info: false): string[][];
function csvRecords(job: PieceJob, piece: PieceInput, bytes: Buffer, info: true): { record: string[]; info: { bytes: number } }[];
function csvRecords(job: PieceJob, piece: PieceInput, bytes: Buffer, info: boolean): unknown[] {
  try {
    return parse(bytes, {
      info,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_ROW_BYTES,
      record_delimiter: job.delimiter ? [job.delimiter] : undefined,
    }) as unknown[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    const shift = (n: number) => n + piece.line - 1;
    // csv-parse numbers lines from the start of the piece.
    const message = err.message.replace(/\bline (\d+)/g, (_m, n: string) => `line ${shift(Number(n))}`);
    throw new AuthzError('BATCH_CSV_INVALID', `The CSV input is not valid${err.lines ? ` at line ${shift(err.lines)}` : ''}: ${message}`, 'Fix the CSV (a quote left open is the usual cause) and run again.');
  }
}

function jsonlPieceRows(job: PieceJob, piece: PieceInput, text: string): InputRow[] {
  const rows: InputRow[] = [];
  let field = job.field;
  let index = piece.index;
  let line = piece.line;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    let lineText = text.slice(start, nl);
    if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
    if (!BLANK_LINE.test(lineText)) {
      const r = jsonlRow(lineText, line, index++, field);
      field = r.field;
      rows.push(r.row);
    }
    line++;
    start = nl + 1;
  }
  return rows;
}

/** JSON Lines: the first field of the first object with fields in the piece, if any (how the token field defaults). */
export function firstField(bytes: Uint8Array): string | undefined {
  for (const line of decoder.decode(bytes).split('\n')) {
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const k = Object.keys(v)[0];
        if (k !== undefined) return k;
      }
    } catch {
      // not JSON: the worker reports it
    }
  }
  return undefined;
}

/** Reads, signs (with `sign`) and writes out a piece: what a signing worker does with each. */
export function processPiece(job: PieceJob, piece: PieceInput, sign: (token: string) => string): PieceResult {
  const rows = pieceRows(job, piece);
  const good = rows.filter((r) => r.problem === undefined);
  const bad = rows.filter((r) => r.problem !== undefined).map((r) => ({ line: r.line, message: r.problem! }));
  const out = good.length ? formatRows(job.spec, good.map(wireRow), good.map((r) => sign(r.token!))) : '';
  return { out, rows: rows.length, signed: good.length, bad };
}
