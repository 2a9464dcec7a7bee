import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { AuthzError } from '../errors';
import type { FormatSpec, WireRow } from './format';

/** One message to a worker: a chunk of rows to sign and write out. */
export interface ChunkRequest {
  id: number;
  spec: FormatSpec;
  rows: WireRow[];
}

/** A worker's answer: the chunk's output text (rows in order), or why it failed. */
export interface ChunkReply {
  id: number;
  text?: string;
  error?: string;
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
  resolve(text: string): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that each hold the parsed key and sign chunks of tokens.
 * A chunk goes to the worker with the fewest chunks outstanding; the caller
 * keeps the input order (it awaits chunks in the order it submitted them).
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
      // (the peak RSS of a batch kept rising with its length); chunks are at most
      // about CHUNK_MAX_CHARS, so a worker never needs more than a few megabytes.
      const worker = new Worker(file, { workerData: { key }, resourceLimits: WORKER_HEAP_LIMITS });
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (reply: ChunkReply) => {
        const p = slot.pending.get(reply.id);
        if (!p) return;
        slot.pending.delete(reply.id);
        if (reply.text !== undefined) p.resolve(reply.text);
        else p.reject(new AuthzError('BATCH_SIGN_FAILED', `A signing worker failed: ${reply.error}`));
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

  /** Signs and formats the rows on the least busy worker; resolves to their output text. */
  sign(spec: FormatSpec, rows: WireRow[]): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('SignerPool is closed'));
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const req: ChunkRequest = { id, spec, rows };
      slot.worker.postMessage(req);
    });
  }

  /** Stops every worker (pending chunks are rejected); safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new AuthzError('BATCH_CANCELLED', 'The batch was stopped.');
    for (const s of this.slots) this.fail(s, stopped);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
