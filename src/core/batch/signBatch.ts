import { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { stringify } from 'csv-stringify/sync';
import { AuthzError } from '../errors';
import { assertSigningKey } from '../keys/keys';
import { urlEncodeSignature } from '../tokens/signature';
import { mqttUsername } from '../tokens/snippets';
import { Sink } from './output';
import { SignerPool } from './pool';
import { BatchFormat, InputHeader, InputRow, readRows } from './rows';

/** Names of the fields a batch adds to each row (replaced in place when the input already has them). */
export const SIGNATURE_FIELD = 'signature';
export const SIGNATURE_URL_FIELD = 'signatureUrlEncoded';
export const MQTT_USERNAME_FIELD = 'mqttUsername';

/** Tokens per worker message: large enough that message overhead is negligible next to RSA. */
export const DEFAULT_CHUNK_SIZE = 256;

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

/** Formats signed rows into output text, CSV or JSON Lines. */
class RowFormatter {
  private columns: { sig: number; url: number; user: number } | undefined;
  headerText = '';

  constructor(
    private readonly format: BatchFormat,
    private readonly mqtt: BatchOptions['mqtt'],
  ) {}

  private added(token: string, signature: string): [string, string][] {
    const fields: [string, string][] = [
      [SIGNATURE_FIELD, signature],
      [SIGNATURE_URL_FIELD, urlEncodeSignature(signature)],
    ];
    if (this.mqtt) fields.push([MQTT_USERNAME_FIELD, mqttUsername({ ...this.mqtt, token, signature })]);
    return fields;
  }

  /** CSV: the header with the added columns (existing columns of those names are reused). */
  setHeader(h: InputHeader): void {
    if (this.format !== 'csv') return;
    const out = [...h.columns!];
    const at = (name: string) => {
      const i = out.indexOf(name);
      if (i >= 0) return i;
      out.push(name);
      return out.length - 1;
    };
    this.columns = { sig: at(SIGNATURE_FIELD), url: at(SIGNATURE_URL_FIELD), user: this.mqtt ? at(MQTT_USERNAME_FIELD) : -1 };
    this.headerText = stringify([out]);
  }

  format_(rows: InputRow[], signatures: string[]): string {
    if (this.format === 'csv') {
      const c = this.columns!;
      const records = rows.map((r, i) => {
        const rec = [...r.fields!];
        const [[, sig], [, url], user] = this.added(r.token!, signatures[i]);
        while (rec.length <= Math.max(c.sig, c.url, c.user)) rec.push('');
        rec[c.sig] = sig;
        rec[c.url] = url;
        if (user) rec[c.user] = user[1];
        return rec;
      });
      return stringify(records);
    }
    let text = '';
    rows.forEach((r, i) => {
      const added = this.added(r.token!, signatures[i]);
      const obj = r.object!;
      if (added.some(([k]) => Object.prototype.hasOwnProperty.call(obj, k))) {
        // Re-signing an earlier output: replace the fields in place.
        text += `${JSON.stringify({ ...obj, ...Object.fromEntries(added) })}\n`;
      } else {
        // Appended to the line as read, so other fields (big numbers, key order, escapes) are kept byte for byte.
        const body = r.text!.trimEnd().slice(0, -1).trimEnd();
        const extra = added.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
        text += `${body}${Object.keys(obj).length ? ',' : ''}${extra}}\n`;
      }
    });
    return text;
  }
}

interface Chunk {
  rows: InputRow[];
  signatures: Promise<string[]>;
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
  const formatter = new RowFormatter(o.format, o.mqtt);
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
  let aborted: (e: unknown) => void = () => undefined;
  const abortion = new Promise<never>((_, reject) => (aborted = reject));
  abortion.catch(() => undefined);
  const onAbort = () => aborted(cancelled());
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const pool = new SignerPool(o.key, workers);
  const inFlight: Chunk[] = [];
  let headerWritten = false;
  const writeHeader = async () => {
    if (headerWritten) return;
    headerWritten = true;
    if (formatter.headerText) await o.output.write(formatter.headerText);
  };
  const flushHead = async () => {
    const chunk = inFlight.shift()!;
    const signatures = await Promise.race([chunk.signatures, abortion]);
    await writeHeader();
    const written = o.output.write(formatter.format_(chunk.rows, signatures));
    written.catch(() => undefined); // awaited below unless the abort wins the race
    await Promise.race([written, abortion]);
    progress.signed += chunk.rows.length;
    report();
  };
  let pending: InputRow[] = [];
  const dispatch = async () => {
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    const signatures = pool.sign(rows.map((r) => r.token!));
    signatures.catch(() => undefined); // a batch stopped early rejects the chunks it will not await
    inFlight.push({ rows, signatures });
    while (inFlight.length >= maxInFlight) await flushHead();
  };

  try {
    const rows = readRows(o.input, { format: o.format, tokenName: o.tokenName, onBytes: (n) => (progress.bytesRead += n) }, (h) => {
      tokenName = h.tokenName;
      formatter.setHeader(h);
    });
    for await (const row of rows) {
      if (o.signal?.aborted) throw cancelled();
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
      if (pending.length >= chunkSize) await dispatch();
    }
    await dispatch();
    while (inFlight.length) await flushHead();
    await writeHeader();
    report(true);
    return { rows: progress.rows, signed: progress.signed, errors: progress.errors, seconds: seconds(), workers, format: o.format, tokenName };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
    o.input.destroy?.();
  }
}

function cancelled(): AuthzError {
  return new AuthzError('BATCH_CANCELLED', 'The batch was cancelled.');
}
