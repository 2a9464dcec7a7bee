import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { AuthzError } from '../errors';

/**
 * A sink that accepts strings with backpressure: `write` resolves when the
 * underlying stream can take more, so memory stays bounded however slow it is.
 */
export class Sink {
  private error: Error | undefined;

  constructor(readonly stream: Writable) {
    stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  /**
   * Writes; when the stream is full, waits for it to drain (or for `signal` to abort the wait).
   * `written` is called once the stream is done with the bytes (written out, or failed).
   */
  async write(text: string | Uint8Array, signal?: AbortSignal, written?: () => void): Promise<void> {
    if (this.error) {
      written?.();
      throw this.error;
    }
    if (this.stream.write(text, written && (() => written()))) return;
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const done = (e?: Error) => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onError);
        this.stream.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      const onDrain = () => done();
      const onError = (e: Error) => done(e);
      const onClose = () => done(this.error ?? new Error('the output was closed'));
      const onAbort = () => done(new Error('aborted'));
      this.stream.on('drain', onDrain);
      this.stream.on('error', onError);
      this.stream.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * The output file written as a hidden temporary file in the target's folder and
 * renamed over the target at the end (same file system: an atomic rename), so an
 * interrupted or failed run never leaves a truncated file under the target name.
 * Mode 0600: signed tokens are device credentials.
 */
export class AtomicFile {
  readonly tempPath: string;
  readonly stream: fs.WriteStream;
  private done = false;

  constructor(readonly targetPath: string) {
    const dir = path.dirname(targetPath);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new AuthzError('BATCH_OUTPUT_DIR_MISSING', `The output folder ${dir} does not exist.`, 'Create it first, or choose another output path.');
    }
    if (fs.existsSync(targetPath) && fs.statSync(targetPath).isDirectory()) {
      throw new AuthzError('BATCH_OUTPUT_IS_DIR', `The output path ${targetPath} is a folder.`, 'Give a file path for the output.');
    }
    this.tempPath = path.join(dir, `.${path.basename(targetPath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    this.stream = fs.createWriteStream(this.tempPath, { flags: 'wx', mode: 0o600 });
  }

  private async closeStream(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
  }

  /** Flushes, closes and renames the temporary file to the target. */
  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    await this.closeStream();
    fs.renameSync(this.tempPath, this.targetPath);
    this.done = true;
  }

  /** Closes and deletes the temporary file (nothing appears at the target). Safe after commit. */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    await new Promise<void>((resolve) => (this.stream.closed ? resolve() : this.stream.once('close', () => resolve())));
    fs.rmSync(this.tempPath, { force: true });
  }

  /** Synchronous removal for a process about to exit (a signal handler cannot await). */
  discardSync(): void {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    fs.rmSync(this.tempPath, { force: true });
  }
}
