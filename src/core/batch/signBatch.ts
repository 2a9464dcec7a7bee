import { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { AuthzError } from '../errors';
import { assertSigningKey } from '../keys/keys';
import { csvHeader, FormatSpec, wireRow } from './format';
import { Sink } from './output';
import { SignerPool } from './pool';
import { BatchFormat, InputRow, readRowBatches } from './rows';

/** Tokens per worker message: large enough that message overhead is negligible next to RSA. */
export const DEFAULT_CHUNK_SIZE = 256;
/** A chunk is sent once its rows hold this many characters, even with fewer rows (long rows: a worker's heap is bounded). */
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

interface Chunk {
  rows: number;
  text: Promise<string>;
}

/**
 * Signs the token of every row of a CSV or JSON Lines stream on worker
 * threads and writes the rows, in input order, with the signature fields
 * added. Memory is bounded: at most two chunks per worker are in flight, and
 * the input is read only as fast as results are written.
 */
export async function signBatch(o: BatchOptions): Promise<BatchSummary> {
  assertSigningKey(o.key);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const workers = Math.max(1, Math.floor(o.workers ?? defaultWorkers()));
  const maxInFlight = workers * 2;
  const onError = o.onError ?? 'fail';
  let spec: FormatSpec = { format: o.format, mqtt: o.mqtt };
  let headerText = '';
  const progress: BatchProgress = { rows: 0, signed: 0, errors: 0, bytesRead: 0, totalBytes: o.totalBytes, seconds: 0 };
  let tokenName = o.tokenName ?? '';
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
  const pool = new SignerPool(o.key, workers);
  // An abort stops the workers (their pending chunks reject) and the input; whatever awaits them
  // then throws. (Not a race against an abort promise: each race would keep its chunk alive.)
  const onAbort = () => {
    void pool.close();
    o.input.destroy?.();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const inFlight: Chunk[] = [];
  let headerWritten = false;
  const writeHeader = async () => {
    if (headerWritten) return;
    headerWritten = true;
    if (headerText) await o.output.write(headerText, o.signal);
  };
  const flushHead = async () => {
    const chunk = inFlight.shift()!;
    const text = await chunk.text;
    await writeHeader();
    await o.output.write(text, o.signal);
    progress.signed += chunk.rows;
    report();
  };
  let pending: InputRow[] = [];
  let pendingChars = 0;
  const dispatch = async () => {
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    pendingChars = 0;
    const text = pool.sign(spec, rows.map(wireRow));
    text.catch(() => undefined); // a batch stopped early rejects the chunks it will not await
    inFlight.push({ rows: rows.length, text });
    while (inFlight.length >= maxInFlight) await flushHead();
  };

  try {
    const batches = readRowBatches(o.input, { format: o.format, tokenName: o.tokenName, onBytes: (n) => (progress.bytesRead += n) }, (h) => {
      tokenName = h.tokenName;
      if (o.format === 'csv') ({ spec, text: headerText } = csvHeader(h, o.mqtt));
    });
    for await (const batch of batches) {
      if (o.signal?.aborted) throw cancelled();
      for (const row of batch) {
        if (o.shard && row.index % o.shard.count !== o.shard.index) continue;
        progress.rows++;
        if (row.problem !== undefined) {
          progress.errors++;
          if (onError === 'fail') {
            throw new AuthzError('BATCH_BAD_ROW', `Line ${row.line}: ${row.problem}`, 'Fix that row, or choose to skip bad rows (iot-authz sign --on-error skip).');
          }
          o.onBadRow?.({ line: row.line, message: row.problem });
          continue;
        }
        pending.push(row);
        pendingChars += rowChars(row);
        if (pending.length >= chunkSize || pendingChars >= CHUNK_MAX_CHARS) {
          await dispatch();
          if (o.signal?.aborted) throw cancelled();
        }
      }
    }
    await dispatch();
    while (inFlight.length) await flushHead();
    await writeHeader();
    report(true);
    return { rows: progress.rows, signed: progress.signed, errors: progress.errors, seconds: seconds(), workers, format: o.format, tokenName };
  } catch (e) {
    throw o.signal?.aborted ? cancelled() : e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
    o.input.destroy?.();
  }
}

/** The characters a row carries to a worker (about what it costs there). */
function rowChars(r: InputRow): number {
  if (r.text !== undefined) return r.text.length;
  let n = 0;
  if (r.fields) for (const f of r.fields) n += f.length + 1;
  return n;
}

function cancelled(): AuthzError {
  return new AuthzError('BATCH_CANCELLED', 'The batch was cancelled.');
}
