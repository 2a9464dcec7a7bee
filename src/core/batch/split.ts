import { AuthzError } from '../errors';
import type { BatchFormat } from './rows';

/**
 * A run of whole records of the input, as bytes, cut out on the coordinating
 * thread and parsed, checked, signed and written out on a worker. The
 * coordinating thread never builds a row: over millions of rows, the objects
 * it made grew its young generation (V8 enlarges it while anything survives),
 * and the batch's peak memory grew with the input.
 */
export interface Piece {
  bytes: Buffer;
  /** 1-based line of the input where the piece starts. */
  line: number;
  /** 0-based index, among the data rows, of the piece's first record (what --shard K/N selects on). */
  index: number;
  /** Data records in the piece (empty lines excluded). */
  records: number;
}

export interface SplitOptions {
  /** A piece is cut after this many records... */
  chunkRows: number;
  /** ...or once it holds this many bytes. */
  chunkBytes: number;
  /** A record longer than this is refused (a quote left open, or no line breaks). */
  maxRecordBytes: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** ASCII whitespace: what makes a JSON Lines line blank (skipped, not a row). */
export function isBlankLine(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR && b !== 0x0b && b !== 0x0c) return false;
  }
  return true;
}

/**
 * Cuts a CSV or JSON Lines byte stream into pieces of whole records. CSV
 * records end at a line break outside double quotes (RFC 4180, csv-parse's
 * defaults: a doubled quote inside a quoted field toggles twice); the line
 * break is the first one of the input (`\r\n`, `\n`, or a lone `\r`). CSV's
 * first record is the header, kept apart (`header`). A UTF-8 byte order mark
 * at the start is dropped. Cuts fall on line-break bytes, never inside a
 * UTF-8 character.
 */
export class PieceSplitter {
  /** CSV: the header record's bytes (without its line break), once read. */
  header: Buffer | undefined;
  /** CSV: the record delimiter, as found at the end of the header. */
  delimiter: '\n' | '\r\n' | '\r' | undefined;
  /**
   * Why the input cannot be split further (a record too long), once found. The
   * pieces before it are still returned, so that their rows (and their errors,
   * earlier in the input) are dealt with first; nothing more is returned after.
   */
  error: AuthzError | undefined;

  private buf: Buffer = Buffer.alloc(0);
  /** Where the unscanned bytes of `buf` start. */
  private scanned = 0;
  /** Start, in `buf`, of the record being read. */
  private recordStart = 0;
  /** Start, in `buf`, of the piece being gathered. */
  private pieceStart = 0;
  private inQuotes = false;
  private started = false;
  private ended = false;
  /** Line breaks before `buf[pieceStart]`, and before `buf[scanned]`. */
  private pieceLine = 1;
  private line = 1;
  private pieceRecords = 0;
  private nextIndex = 0;
  private breakByte = LF;

  constructor(
    readonly format: BatchFormat,
    private readonly options: SplitOptions,
  ) {
    if (format === 'jsonl') this.delimiter = '\n';
  }

  /** The pieces completed by more input. */
  push(data: Buffer | string): Piece[] {
    if (this.error) return [];
    let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (!this.started) {
      // The byte order mark may straddle pushes: wait for three bytes (or the end).
      const head = this.buf.length ? Buffer.concat([this.buf, bytes]) : bytes;
      if (head.length < 3 && !this.ended) {
        this.buf = Buffer.from(head);
        return [];
      }
      this.started = true;
      this.buf = Buffer.alloc(0);
      bytes = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    }
    this.append(bytes);
    return this.scan();
  }

  /** The last piece (records without a final line break included). */
  end(): Piece[] {
    if (this.error) return [];
    this.ended = true;
    const pieces: Piece[] = [];
    if (!this.started) {
      const rest = this.buf;
      this.buf = Buffer.alloc(0);
      pieces.push(...this.push(rest));
    } else {
      pieces.push(...this.scan());
    }
    if (this.error) return pieces;
    if (this.recordStart < this.buf.length) {
      // The last record has no line break after it; a quote left open is the worker's parser's to report.
      if (this.format === 'csv' && !this.header) this.header = Buffer.from(this.buf.subarray(this.recordStart));
      else if (!this.isEmpty(this.recordStart, this.buf.length)) this.pieceRecords++;
      this.recordStart = this.buf.length;
    }
    const last = this.cut(this.buf.length);
    if (last) pieces.push(last);
    return pieces;
  }

  private append(bytes: Buffer): void {
    if (!bytes.length) return;
    // Bytes before the piece being gathered are gone: keep only the rest.
    const keep = this.buf.subarray(this.pieceStart);
    this.scanned -= this.pieceStart;
    this.recordStart -= this.pieceStart;
    this.pieceStart = 0;
    this.buf = keep.length ? Buffer.concat([keep, bytes]) : bytes;
  }

  /** A line that is no record: blank (JSON Lines), or nothing between two line breaks (csv-parse's skip_empty_lines). */
  private isEmpty(start: number, end: number): boolean {
    return this.format === 'jsonl' ? isBlankLine(this.buf, start, end) : end === start;
  }

  private scan(): Piece[] {
    const pieces: Piece[] = [];
    const buf = this.buf;
    if (this.format === 'csv' && this.delimiter === undefined && !this.findDelimiter()) {
      this.checkRecordLength();
      return pieces;
    }
    let pos = this.scanned;
    // The next quote at or after pos (-1: none in the buffer), found with indexOf rather than byte by byte.
    let quote = this.format === 'csv' ? buf.indexOf(QUOTE, pos) : -1;
    for (;;) {
      const br = buf.indexOf(this.breakByte, pos);
      if (br < 0) break;
      while (quote >= 0 && quote < br) {
        this.inQuotes = !this.inQuotes;
        quote = buf.indexOf(QUOTE, quote + 1);
      }
      pos = br + 1;
      this.line++;
      // Inside quotes, or a bare \n in a \r\n file: part of a field (as csv-parse reads it), not a record's end.
      if (this.inQuotes || (this.delimiter === '\r\n' && !(br > 0 && buf[br - 1] === CR))) continue;
      // The record's own bytes: without its line break (\r\n's \r included).
      const end = this.delimiter === '\r\n' ? br - 1 : br;
      const empty = this.isEmpty(this.recordStart, end);
      if (this.format === 'csv' && !this.header) {
        if (!empty) {
          this.header = Buffer.from(buf.subarray(this.recordStart, end));
          // The header's line is not part of any piece.
          this.pieceStart = pos;
          this.pieceLine = this.line;
        }
      } else if (!empty) {
        this.pieceRecords++;
      }
      this.recordStart = pos;
      if (this.pieceRecords >= this.options.chunkRows || pos - this.pieceStart >= this.options.chunkBytes) {
        const piece = this.cut(pos);
        if (piece) pieces.push(piece);
      }
    }
    // Quotes between the last line break and the end of the buffer are counted when the next break is found.
    this.scanned = pos;
    this.checkRecordLength();
    if (this.error) {
      // The whole records before the long one are still signed (and their errors reported) first.
      const before = this.cut(this.recordStart);
      if (before) pieces.push(before);
    }
    return pieces;
  }

  /** CSV: the line break is the first of \r\n, \n or a lone \r outside quotes (csv-parse's detection). */
  private findDelimiter(): boolean {
    const buf = this.buf;
    let inQuotes = false;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE) inQuotes = !inQuotes;
      else if (!inQuotes && b === LF) {
        this.delimiter = '\n';
        break;
      } else if (!inQuotes && b === CR) {
        if (i + 1 === buf.length && !this.ended) return false; // \r or \r\n: the next byte decides
        this.delimiter = buf[i + 1] === LF ? '\r\n' : '\r';
        break;
      }
    }
    if (this.delimiter === undefined) return false;
    this.breakByte = this.delimiter === '\r' ? CR : LF;
    return true;
  }

  private checkRecordLength(): void {
    if (this.error || this.buf.length - this.recordStart <= this.options.maxRecordBytes) return;
    // The record's first line: the lines counted so far, less those inside the record.
    let line = this.line;
    for (let i = this.recordStart; i < this.scanned; i++) if (this.buf[i] === this.breakByte) line--;
    if (this.format === 'jsonl') {
      this.error = new AuthzError('BATCH_ROW_TOO_LONG', `Line ${line} is longer than ${this.options.maxRecordBytes} bytes.`, 'JSON Lines needs one object per line; check that the file has line breaks.');
      return;
    }
    this.error = new AuthzError(
      'BATCH_CSV_INVALID',
      `The CSV input is not valid at line ${line}: its record is longer than ${this.options.maxRecordBytes} bytes.`,
      'A quote left open is the usual cause (or a file with no line breaks); fix the CSV and run again.',
    );
  }

  /** The records gathered since the last cut, up to `end`, as a piece (none when it holds no record). */
  private cut(end: number): Piece | undefined {
    const records = this.pieceRecords;
    const piece: Piece = { bytes: this.buf.subarray(this.pieceStart, end), line: this.pieceLine, index: this.nextIndex, records };
    this.pieceStart = end;
    this.pieceLine = this.line;
    this.pieceRecords = 0;
    this.nextIndex += records;
    return records > 0 ? piece : undefined;
  }
}
