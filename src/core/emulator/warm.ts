import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AWS_AUTHORIZER_TIMEOUT_MS,
  childEnv,
  defaultFunctionName,
  handlerCommand,
  HandlerRun,
  HandlerSpec,
  INIT_TIMEOUT_MS,
  LogChunk,
  RunBase,
  runFromOutcome,
  runHandler,
  spawnErrorMessage,
} from './handler';
import { killProcessTree } from './processes';
import { WARM_NODE_RUNNER } from './runners/warmNode';
import { WARM_PYTHON_RUNNER } from './runners/warmPython';

const MAX_LOG_BYTES_PER_INVOCATION = 256 * 1024;

export interface WarmHandlerOptions extends HandlerSpec {
  lambda?: { name?: string; region?: string; account?: string };
  nodePath?: string;
  pythonPath?: string;
  initTimeoutMs?: number;
  /** Restart the process when a file under the handler's folder changes (default true). */
  watch?: boolean;
  /** What the process prints outside any invocation, and lifecycle notes (start, restart). */
  onLog?: (text: string, level: 'info' | 'warn' | 'error') => void;
}

interface Pending {
  id: string;
  event: unknown;
  timeoutMs: number;
  started: number;
  log: LogChunk[];
  logBytes: number;
  logTruncated: boolean;
  timer?: NodeJS.Timeout;
  retried: boolean;
  resolve: (run: HandlerRun) => void;
}

interface Proc {
  child: ChildProcess;
  runId: string;
  ready: boolean;
  dead: boolean;
  /** Replaced (file change): finish what is in flight, take nothing new. */
  retiring: boolean;
  pending: Map<string, Pending>;
  queued: Pending[];
  /** Invocation lines not yet written: those sent in one turn of the event loop go in one write. */
  outbox: string[];
  initTimer?: NodeJS.Timeout;
}

/**
 * One kept-alive handler process serving invocation after invocation, as a
 * warm Lambda execution environment: the module loads once, module-level state
 * persists, several invocations are in flight at once (request ids over fd 3),
 * each bounded by AWS's 5 s. A timed-out invocation kills the process (and all
 * it started); the other invocations in flight are sent once more to the new
 * process. A file change under the handler's folder retires the process.
 */
export class WarmHandler {
  private proc?: Proc;
  private watcher?: fs.FSWatcher;
  private stopped = false;
  private readonly retired = new Set<Proc>();
  invocations = 0;
  starts = 0;
  private readonly functionName: string;
  private readonly timeoutMs: number;

  constructor(private readonly o: WarmHandlerOptions) {
    this.functionName = o.functionName || defaultFunctionName(o.runtime);
    this.timeoutMs = Math.min(Math.max(1, o.timeoutMs ?? AWS_AUTHORIZER_TIMEOUT_MS), AWS_AUTHORIZER_TIMEOUT_MS);
    if (o.watch !== false) {
      try {
        this.watcher = fs.watch(path.dirname(o.file), { recursive: true }, (_e, name) => {
          if (name && /(^|[\\/])(node_modules|__pycache__|\.git)([\\/]|$)/.test(String(name))) return;
          if (this.proc && !this.proc.retiring) {
            this.retire(this.proc);
            this.o.onLog?.(`${path.basename(o.file)}: ${name ?? 'a file'} changed; the next invocation starts a fresh handler process.`, 'info');
          }
        });
        this.watcher.on('error', () => undefined);
      } catch {
        // No watching (folder gone, platform without recursive watch): the process just stays.
      }
    }
  }

  get inFlight(): number {
    let n = 0;
    for (const p of [this.proc, ...this.retired]) if (p) n += p.pending.size + p.queued.length;
    return n;
  }

  get pid(): number | undefined {
    return this.proc && !this.proc.dead ? this.proc.child.pid : undefined;
  }

  /** Runs the handler for one event; never rejects, never hangs (init + invocation limits). */
  invoke(event: unknown): Promise<HandlerRun> {
    this.invocations++;
    return new Promise<HandlerRun>((resolve) => {
      const p: Pending = { id: randomUUID(), event, timeoutMs: this.timeoutMs, started: performance.now(), log: [], logBytes: 0, logTruncated: false, retried: false, resolve };
      if (this.stopped) {
        resolve(this.failed(p, 'cancelled', 'The local endpoint is stopping; the handler was not invoked.'));
        return;
      }
      this.dispatch(p);
    });
  }

  /** Stops the process and everything it started; invocations in flight end as cancelled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    for (const p of [this.proc, ...this.retired]) if (p) this.kill(p, 'cancelled', 'The local endpoint stopped; the handler process was stopped.');
    this.proc = undefined;
    this.retired.clear();
  }

  private dispatch(p: Pending): void {
    if (!this.proc || this.proc.dead || this.proc.retiring) this.proc = this.start();
    const proc = this.proc;
    if (proc.dead) {
      return;
    }
    if (proc.ready) this.send(proc, p);
    else proc.queued.push(p);
  }

  private send(proc: Proc, p: Pending): void {
    proc.pending.set(p.id, p);
    p.timer = setTimeout(() => {
      const run = this.failed(
        p,
        'timeout',
        `The handler did not answer within ${p.timeoutMs} ms (AWS IoT Core allows the authorizer Lambda 5 seconds); its warm process was killed and the connection fails.`,
        Math.max(p.timeoutMs, performance.now() - p.started),
      );
      proc.pending.delete(p.id);
      p.resolve(run);
      this.o.onLog?.(`${path.basename(this.o.file)}: an invocation timed out after ${p.timeoutMs} ms; restarting the handler process.`, 'warn');
      this.kill(proc);
    }, p.timeoutMs + 50);
    // One write per turn of the event loop, not one per invocation: each write to
    // the pipe is a system call that wakes the handler process, and a burst of
    // connections (a fleet reconnecting) sends many invocations at once.
    if (proc.outbox.push(`${JSON.stringify({ id: p.id, event: p.event, timeoutMs: p.timeoutMs })}\n`) === 1) {
      setImmediate(() => {
        const lines = proc.outbox.splice(0).join('');
        if (proc.dead) return;
        try {
          proc.child.stdin?.write(lines);
        } catch {
          /* the exit handler settles it */
        }
      });
    }
  }

  private start(): Proc {
    this.starts++;
    const o = this.o;
    const runId = randomUUID();
    const name = o.lambda?.name || 'local-authorizer';
    const region = o.lambda?.region || 'us-east-1';
    const account = o.lambda?.account || '123456789012';
    const command = handlerCommand(o);
    const child = spawn(command, o.runtime === 'nodejs' ? ['-e', WARM_NODE_RUNNER] : ['-c', WARM_PYTHON_RUNNER], {
      cwd: path.dirname(o.file),
      env: childEnv(o, name, region, this.functionName, runId),
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const proc: Proc = { child, runId, ready: false, dead: false, retiring: false, pending: new Map(), queued: [], outbox: [] };
    proc.initTimer = setTimeout(() => {
      this.kill(proc, 'timeout', `The handler module did not finish loading within ${o.initTimeoutMs ?? INIT_TIMEOUT_MS} ms; the process was killed.`);
    }, o.initTimeoutMs ?? INIT_TIMEOUT_MS);
    const outside = (level: 'info' | 'warn') => (b: Buffer) => {
      const text = b.toString('utf8').trimEnd();
      if (text) o.onLog?.(text, level);
    };
    child.stdout?.on('data', outside('info'));
    child.stderr?.on('data', outside('warn'));
    let buf = '';
    const fd3 = child.stdio[3] as NodeJS.ReadableStream | null;
    fd3?.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(text);
        } catch {
          continue;
        }
        this.onMessage(proc, msg);
      }
    });
    fd3?.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.on('error', (e) => {
      this.kill(proc, 'spawn-error', spawnErrorMessage(command, o.runtime, e));
    });
    child.on('exit', (code, signal) => {
      this.kill(proc, 'crash', `The handler process ended (${signal ? `signal ${signal}` : `exit code ${code}`}) without answering.`);
    });
    child.stdin?.write(`${JSON.stringify({ file: path.resolve(o.file), functionName: this.functionName, lambda: { name, region, account } })}\n`);
    return proc;
  }

  private onMessage(proc: Proc, msg: Record<string, unknown>): void {
    if ('ready' in msg) {
      if (proc.initTimer) clearTimeout(proc.initTimer);
      if (msg.ready === true) {
        proc.ready = true;
        for (const p of proc.queued.splice(0)) this.send(proc, p);
      } else {
        // Load error or missing export: every waiting invocation fails with it; the next one tries again.
        const outcome = (msg.outcome ?? {}) as Record<string, unknown>;
        for (const p of proc.queued.splice(0)) p.resolve(runFromOutcome(outcome, this.base(p), performance.now() - p.started));
        this.kill(proc);
      }
      return;
    }
    const p = proc.pending.get(String(msg.id));
    if (!p) return;
    if (msg.log && typeof msg.log === 'object') {
      const { stream, text } = msg.log as { stream: 'stdout' | 'stderr'; text: string };
      if (p.logBytes >= MAX_LOG_BYTES_PER_INVOCATION) {
        p.logTruncated = true;
        return;
      }
      p.logBytes += text.length;
      const last = p.log[p.log.length - 1];
      if (last && last.stream === stream) last.text += text;
      else p.log.push({ stream, text });
      return;
    }
    if (msg.outcome && typeof msg.outcome === 'object') {
      proc.pending.delete(p.id);
      if (p.timer) clearTimeout(p.timer);
      const outcome = msg.outcome as Record<string, unknown>;
      const durationMs = typeof outcome.durationMs === 'number' ? outcome.durationMs : performance.now() - p.started;
      p.resolve(runFromOutcome(outcome, this.base(p), durationMs));
      if (proc.retiring && proc.pending.size === 0) this.kill(proc);
    }
  }

  private async alone(p: Pending): Promise<void> {
    const o = this.o;
    const run = await runHandler({
      runtime: o.runtime,
      file: o.file,
      functionName: this.functionName,
      timeoutMs: p.timeoutMs,
      ...(o.environment ? { environment: o.environment } : {}),
      event: p.event,
      allowCodeExecution: true,
      ...(o.lambda ? { lambda: o.lambda } : {}),
      ...(o.nodePath ? { nodePath: o.nodePath } : {}),
      ...(o.pythonPath ? { pythonPath: o.pythonPath } : {}),
    }).catch((e: Error) => this.failed(p, 'spawn-error', e.message));
    p.resolve({ ...run, log: [...p.log, ...run.log], logText: p.log.map((c) => c.text).join('') + run.logText });
  }

  private base(p: Pending): RunBase {
    return {
      timeoutMs: p.timeoutMs,
      exitCode: null,
      signal: null,
      requestId: p.id,
      log: p.log,
      logText: p.log.map((c) => c.text).join(''),
      logTruncated: p.logTruncated,
      wallMs: performance.now() - p.started,
    };
  }

  private failed(p: Pending, status: HandlerRun['status'], message: string, durationMs = performance.now() - p.started): HandlerRun {
    return { ...this.base(p), status, message, durationMs };
  }

  private retire(proc: Proc): void {
    proc.retiring = true;
    this.retired.add(proc);
    if (this.proc === proc) this.proc = undefined;
    if (proc.pending.size === 0 && proc.queued.length === 0) this.kill(proc);
  }

  /**
   * Ends a process and everything it started. Its invocations: with a status,
   * they fail with it; without one, those not yet retried go to a new process.
   */
  private kill(proc: Proc, status?: HandlerRun['status'], message?: string): void {
    if (!proc.dead) {
      proc.dead = true;
      if (proc.initTimer) clearTimeout(proc.initTimer);
      killProcessTree(proc.child.pid, proc.runId);
      for (const s of proc.child.stdio) (s as (NodeJS.ReadableStream & { destroy?: () => void }) | null)?.destroy?.();
      proc.child.unref();
    }
    this.retired.delete(proc);
    if (this.proc === proc) this.proc = undefined;
    const left = [...proc.pending.values(), ...proc.queued.splice(0)];
    proc.pending.clear();
    if (status === 'crash' && left.length > 1 && !this.stopped) {
      // Which invocation crashed the process is unknown: each runs again alone, as it would in its own Lambda environment.
      for (const p of left) {
        if (p.timer) clearTimeout(p.timer);
        void this.alone(p);
      }
      return;
    }
    for (const p of left) {
      if (p.timer) clearTimeout(p.timer);
      if (!this.stopped && !p.retried && status === undefined) {
        p.retried = true;
        this.dispatch(p);
      } else {
        p.resolve(this.failed(p, status ?? 'crash', message ?? 'The handler process was restarted while this invocation was in flight.'));
      }
    }
  }
}
