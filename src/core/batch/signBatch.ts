import { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { AuthzError } from '../errors';
import { assertSigningKey } from '../keys/keys';
import { parse } from 'csv-parse/sync';
import { csvHeader } from './format';
import { Sink } from './output';
import { firstField, PieceJob } from './piece';
import { SignedPiece, SignerPool } from './pool';
import { BatchFormat, csvInputHeader, MAX_ROW_BYTES } from './rows';
import { Piece, PieceSplitter } from './split';

/** Rows per piece sent to a worker: large enough that message overhead is negligible next to RSA. */
export const DEFAULT_CHUNK_SIZE = 256;
/** A piece is cut once it holds this many bytes, even with fewer rows (long rows: a worker's heap is bounded). */
export const CHUNK_MAX_CHARS = 1024 * 1024;

export interface Shard {
  /** 0-based: this run signs the data rows whose index modulo `count` is `index`. */
  index: number;
  count: number;
}

export interface BadRow {
  line: number;
  message: string;
}

export interface BatchProgress {
  /** Data rows read (of this shard). */
  rows: number;
  signed: number;
  errors: number;
  bytesRead: number;
  /** Input size when known (a file), for the ETA. */
  totalBytes?: number;
  seconds: number;
}

export interface BatchSummary {
  /** Data rows of this shard read. */
  rows: number;
  signed: number;
  /** Bad rows (reported through onBadRow; skipped). */
  errors: number;
  seconds: number;
  workers: number;
  format: BatchFormat;
  /** The CSV column or JSONL field the tokens came from. */
  tokenName: string;
}

export interface BatchOptions {
  /** The CSV or JSON Lines input; destroyed when the batch stops early. */
  input: AsyncIterable<Buffer | string> & { destroy?: (e?: Error) => void };
  output: Sink;
  format: BatchFormat;
  key: KeyObject;
  /** CSV column or JSONL field of the token (default: the first column / first field). */
  tokenName?: string;
  /** Worker threads (default: the number of cores). */
  workers?: number;
  onError?: 'skip' | 'fail';
  shard?: Shard;
  /** Adds the ready MQTT username for this authorizer and token key name. */
  mqtt?: { authorizerName: string; tokenKeyName: string };
  signal?: AbortSignal;
  onBadRow?: (bad: BadRow) => void;
  onProgress?: (p: BatchProgress) => void;
  /** Input size in bytes, when known, for the ETA. */
  totalBytes?: number;
  progressIntervalMs?: number;
  chunkSize?: number;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Parses "K/N" (0 <= K < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new AuthzError('BATCH_SHARD_INVALID', `'${text}' is not a shard K/N with 0 <= K < N.`, 'Give e.g. 0/4 for the first of four shards (a Kubernetes Indexed Job\'s JOB_COMPLETION_INDEX is 0-based).');
  }
  return { index, count };
}

/**
 * Signs the token of every row of a CSV or JSON Lines stream on worker
 * threads and writes the rows, in input order, with the signature fields
 * added. This thread only cuts the input into pieces of whole records
 * (split.ts) and writes the workers' output bytes; the workers parse, check,
 * sign and format. Memory is bounded: at most two pieces per worker are in
 * flight, and the input is read only as fast as results are written.
 */
export async function signBatch(o: BatchOptions): Promise<BatchSummary> {
  assertSigningKey(o.key);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const workers = Math.max(1, Math.floor(o.workers ?? defaultWorkers()));
  const maxInFlight = workers * 2;
  const onError = o.onError ?? 'fail';
  const progress: BatchProgress = { rows: 0, signed: 0, errors: 0, bytesRead: 0, totalBytes: o.totalBytes, seconds: 0 };
  let lastProgress = 0;
  const interval = o.progressIntervalMs ?? 250;
  const report = (force = false) => {
    if (!o.onProgress) return;
    const now = seconds();
    if (!force && (now - lastProgress) * 1000 < interval) return;
    lastProgress = now;
    o.onProgress({ ...progress, seconds: now });
  };

  o.signal?.throwIfAborted();
  const splitter = new PieceSplitter(o.format, { chunkRows: o.chunkSize ?? DEFAULT_CHUNK_SIZE, chunkBytes: CHUNK_MAX_CHARS, maxRecordBytes: MAX_ROW_BYTES });
  const pool = new SignerPool(o.key, workers);
  // An abort stops the workers (their pending pieces reject) and the input; whatever awaits them
  // then throws. (Not a race against an abort promise: each race would keep its piece alive.)
  const onAbort = () => {
    void pool.close();
    o.input.destroy?.();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let job: PieceJob | undefined = o.format === 'jsonl' ? { format: 'jsonl', spec: { format: 'jsonl', mqtt: o.mqtt }, field: o.tokenName, shard: o.shard } : undefined;
  let headerText = '';
  let tokenName = o.tokenName ?? '';
  const inFlight: Promise<SignedPiece>[] = [];
  let headerWritten = false;
  const writeHeader = async () => {
    if (headerWritten) return;
    headerWritten = true;
    if (headerText) await o.output.write(headerText, o.signal);
  };
  const flushHead = async () => {
    const piece = await inFlight.shift()!;
    progress.rows += piece.rows;
    progress.errors += piece.bad.length;
    if (piece.bad.length && onError === 'fail') {
      const first = piece.bad[0];
      throw new AuthzError('BATCH_BAD_ROW', `Line ${first.line}: ${first.message}`, 'Fix that row, or choose to skip bad rows (iot-authz sign --on-error skip).');
    }
    for (const bad of piece.bad) o.onBadRow?.(bad);
    await writeHeader();
    if (piece.out.length) await o.output.write(piece.out, o.signal, piece.release);
    progress.signed += piece.signed;
    report();
  };
  const dispatch = async (pieces: Piece[]) => {
    for (const piece of pieces) {
      const sent = pool.sign(job!, piece);
      sent.catch(() => undefined); // a batch stopped early rejects the pieces it will not await
      inFlight.push(sent);
      if (job!.format === 'jsonl' && job!.field === undefined) {
        // The token field defaults to the first field of the first object with fields: the pieces after
        // this one get it; this one's worker finds it the same way.
        const field = firstField(piece.bytes);
        if (field !== undefined) job = { ...job!, field };
      }
      while (inFlight.length >= maxInFlight) await flushHead();
      if (o.signal?.aborted) throw cancelled();
    }
  };
  /** The CSV header, once the splitter has it: the token column, the output header, the job. */
  const takeHeader = () => {
    if (job || !splitter.header) return;
    const header = csvInputHeader(parseHeader(splitter.header, splitter.delimiter), o.tokenName);
    tokenName = header.tokenName;
    const h = csvHeader(header, o.mqtt);
    headerText = h.text;
    job = { format: 'csv', spec: h.spec, width: header.columns!.length, tokenIndex: header.tokenIndex, delimiter: splitter.delimiter, shard: o.shard };
  };
  /** Splits and signs; an input error found ahead (a record too long) is thrown after the pieces before it (their bad rows come first). */
  const split = async (pieces: Piece[]) => {
    takeHeader();
    if (pieces.length) await dispatch(pieces);
    if (splitter.error) {
      while (inFlight.length) await flushHead();
      throw splitter.error;
    }
  };

  try {
    for await (const data of o.input) {
      if (o.signal?.aborted) throw cancelled();
      progress.bytesRead += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      await split(splitter.push(data));
    }
    if (o.signal?.aborted) throw cancelled();
    await split(splitter.end());
    if (!job) throw new AuthzError('BATCH_EMPTY', 'The CSV input is empty: it has no header row.', 'Give a CSV file whose first row names the columns.');
    while (inFlight.length) await flushHead();
    await writeHeader();
    report(true);
    if (job.format === 'jsonl') tokenName = job.field ?? '';
    return { rows: progress.rows, signed: progress.signed, errors: progress.errors, seconds: seconds(), workers, format: o.format, tokenName };
  } catch (e) {
    throw o.signal?.aborted ? cancelled() : e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
    o.input.destroy?.();
  }
}

/** The CSV header record's column names. */
function parseHeader(bytes: Buffer, delimiter: string | undefined): string[] {
  try {
    const records = parse(bytes.toString('utf8'), { relax_column_count: true, record_delimiter: delimiter ? [delimiter] : undefined }) as string[][];
    return records[0] ?? [''];
  } catch (e) {
    throw new AuthzError('BATCH_CSV_INVALID', `The CSV header is not valid: ${(e as Error).message}`, 'Fix the header row (a quote left open is the usual cause) and run again.');
  }
}

function cancelled(): AuthzError {
  return new AuthzError('BATCH_CANCELLED', 'The batch was cancelled.');
}
