import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { AuthzError } from '../errors';
import type { PieceBadRow, PieceInput, PieceJob } from './piece';

/** One message to a worker: a piece of input to sign and write out. */
export interface PieceRequest extends PieceInput {
  id: number;
  job: PieceJob;
}

/** A worker's answer: the piece's output bytes and counts, or why it failed. */
export interface PieceReply {
  id: number;
  out?: Uint8Array;
  rows?: number;
  signed?: number;
  bad?: PieceBadRow[];
  error?: { code?: string; message: string; hint?: string };
}

/** The coordinating thread giving an output buffer back once written (the worker reuses it). */
export interface RecycleMessage {
  recycle: Uint8Array;
}

/** A signed piece, as the batch writes it. */
export interface SignedPiece {
  out: Uint8Array;
  rows: number;
  signed: number;
  bad: PieceBadRow[];
  /**
   * Gives `out` back to its worker, once written: call it then, and touch `out` no more.
   * (Left to the garbage collector, output buffers piled up as external memory
   * between this thread's rare collections: tens of megabytes over a long batch.)
   */
  release(): void;
}

/**
 * Where the worker entry lives:
 * - in the bundles (dist/cli.js, dist/extension.js), `dist/sign-worker.js` next to them
 *   (its own entry point in scripts/build.mjs);
 * - in the tsc output (out/src/core/batch/), the compiled `signWorker.js` next to this file.
 */
export function signWorkerCandidates(dir: string = __dirname): string[] {
  return [path.join(dir, 'sign-worker.js'), path.join(dir, 'signWorker.js')];
}

function signWorkerFile(): string {
  const file = signWorkerCandidates().find((f) => fs.existsSync(f));
  if (!file) {
    throw new AuthzError(
      'BATCH_WORKER_MISSING',
      `The signing worker was not found next to ${__dirname} (looked for sign-worker.js and signWorker.js).`,
      'Rebuild with `npm run build` (it writes dist/sign-worker.js) or reinstall.',
    );
  }
  return file;
}

/** Heap limits of a signing worker (megabytes). */
export const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

interface Pending {
  resolve(piece: SignedPiece): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that each hold the parsed key and sign pieces of input.
 * A piece goes to the worker with the fewest pieces outstanding; the caller
 * keeps the input order (it awaits pieces in the order it submitted them).
 */
export class SignerPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(key: KeyObject, workers: number) {
    const file = signWorkerFile();
    for (let i = 0; i < workers; i++) {
      // Bounded heaps: left to itself, V8 grows a busy worker's heap for minutes
      // (the peak RSS of a batch kept rising with its length); pieces are at most
      // about CHUNK_MAX_CHARS, so a worker never needs more than a few megabytes.
      const worker = new Worker(file, { workerData: { key }, resourceLimits: WORKER_HEAP_LIMITS });
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (reply: PieceReply) => {
        const p = slot.pending.get(reply.id);
        if (!p) return;
        slot.pending.delete(reply.id);
        const out = reply.out;
        if (out) p.resolve({ out, rows: reply.rows!, signed: reply.signed!, bad: reply.bad!, release: () => this.recycle(slot, out) });
        else if (reply.error?.code) p.reject(new AuthzError(reply.error.code, reply.error.message, reply.error.hint));
        else p.reject(new AuthzError('BATCH_SIGN_FAILED', `A signing worker failed: ${reply.error?.message}`));
      });
      worker.on('error', (e) => this.fail(slot, new AuthzError('BATCH_WORKER_FAILED', `A signing worker stopped: ${e.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(slot, new AuthzError('BATCH_WORKER_FAILED', `A signing worker exited (code ${code}) before the batch ended.`));
      });
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  private fail(slot: Slot, e: Error): void {
    this.failure ??= e;
    for (const p of slot.pending.values()) p.reject(e);
    slot.pending.clear();
  }

  private recycle(slot: Slot, out: Uint8Array): void {
    if (this.closed || out.byteLength === 0) return;
    const msg: RecycleMessage = { recycle: out };
    slot.worker.postMessage(msg, [out.buffer as ArrayBuffer]);
  }

  /** Reads, signs and formats a piece on the least busy worker. */
  sign(job: PieceJob, piece: PieceInput): Promise<SignedPiece> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('SignerPool is closed'));
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise<SignedPiece>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const req: PieceRequest = { id, job, bytes: piece.bytes, line: piece.line, index: piece.index, records: piece.records };
      slot.worker.postMessage(req);
    });
  }

  /** Stops every worker (pending pieces are rejected); safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new AuthzError('BATCH_CANCELLED', 'The batch was stopped.');
    for (const s of this.slots) this.fail(s, stopped);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
