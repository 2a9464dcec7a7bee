import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from '../errors';
import { killProcessTree, RUN_MARKER_VAR } from './processes';
import { NODE_RUNNER } from './runners/node';
import { PYTHON_RUNNER } from './runners/python';

export type HandlerRuntime = 'nodejs' | 'python';

/** AWS IoT Core gives the authorizer Lambda at most 5 seconds (config-custom-auth.md). */
export const AWS_AUTHORIZER_TIMEOUT_MS = 5000;
/** Lambda's init phase limit: loading the module may take this long before the invoke starts. */
export const INIT_TIMEOUT_MS = 10_000;
const MAX_LOG_BYTES = 1024 * 1024;
/** AWS Lambda's synchronous response payload limit (6 MB): a bigger result fails the invocation. */
export const MAX_RESULT_BYTES = 6 * 1024 * 1024;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

export interface HandlerSpec {
  runtime: HandlerRuntime;
  /** Absolute path of the handler source file. */
  file: string;
  /** Exported function name; default `handler` (Node.js) or `lambda_handler` (Python). */
  functionName?: string;
  /** At most 5000 (AWS's limit); lower values are honoured. */
  timeoutMs?: number;
  environment?: Record<string, string>;
}

export interface RunHandlerOptions extends HandlerSpec {
  event: unknown;
  /** Must be true: running the handler executes workspace code (the extension passes workspace trust). */
  allowCodeExecution: boolean;
  /** Identity used for the Lambda context and environment. */
  lambda?: { name?: string; region?: string; account?: string };
  /** Node.js executable; default: this process's (run as Node even inside Electron). */
  nodePath?: string;
  /** Python 3 executable; default `python3` (`python` on Windows). */
  pythonPath?: string;
  initTimeoutMs?: number;
  /** Cap of the result channel (fd 3); default MAX_RESULT_BYTES. Tests lower it. */
  maxResultBytes?: number;
  /** Stops the run: the handler's process group is killed and the run ends as 'cancelled'. */
  signal?: AbortSignal;
}

export type HandlerStatus =
  | 'ok'
  | 'timeout'
  | 'crash'
  | 'load-error'
  | 'missing-export'
  | 'handler-error'
  | 'invalid-result'
  | 'spawn-error'
  | 'cancelled';

export interface LogChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface HandlerRun {
  status: HandlerStatus;
  /** One sentence saying what happened. */
  message: string;
  /** The handler's return value (status ok), exactly as the runtime serialised it. */
  result?: unknown;
  /** The result as JSON text (status ok). */
  rawResult?: string;
  error?: { type: string; message: string; stack?: string[] };
  /** Time inside the handler call; for failures before the call, the whole run. */
  durationMs: number;
  /** Child process lifetime, including interpreter start and module load. */
  wallMs: number;
  timeoutMs: number;
  exitCode: number | null;
  signal: string | null;
  requestId: string;
  log: LogChunk[];
  logText: string;
  logTruncated: boolean;
  warning?: string;
}

/** Minimal environment, as a Lambda has, plus what the definition declares. */
export function childEnv(o: HandlerSpec, name: string, region: string, functionName: string, runId: string): NodeJS.ProcessEnv {
  const keep = ['PATH', 'Path', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'SystemRoot', 'SYSTEMROOT', 'ComSpec', 'PATHEXT', 'WINDIR'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    LAMBDA_TASK_ROOT: path.dirname(o.file),
    _HANDLER: `${path.basename(o.file, path.extname(o.file))}.${functionName}`,
    TZ: 'UTC',
    IOT_AUTHZ_LOCAL: '1',
  });
  if (o.runtime === 'nodejs') env.ELECTRON_RUN_AS_NODE = '1';
  else Object.assign(env, { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' });
  Object.assign(env, o.environment ?? {});
  // Set last: the definition's environment cannot remove the marker the kill relies on.
  env[RUN_MARKER_VAR] = runId;
  return env;
}

/** What every HandlerRun carries besides its status. */
export type RunBase = Pick<HandlerRun, 'timeoutMs' | 'exitCode' | 'signal' | 'requestId' | 'log' | 'logText' | 'logTruncated' | 'wallMs'>;

/** The run for a runner's outcome line (ok, or an error the runner caught): shared by one-shot and warm runs. */
export function runFromOutcome(outcome: Record<string, unknown>, base: RunBase, durationMs: number): HandlerRun {
  if (outcome.ok === true) {
    const rawResult = JSON.stringify(outcome.result ?? null);
    return {
      ...base,
      status: 'ok',
      durationMs,
      result: outcome.result ?? null,
      rawResult,
      message: `The handler returned in ${durationMs.toFixed(1)} ms.`,
      ...(typeof outcome.warning === 'string' ? { warning: outcome.warning } : {}),
    };
  }
  const kind = String(outcome.kind);
  const error = {
    type: String(outcome.errorType ?? 'Error'),
    message: String(outcome.errorMessage ?? ''),
    ...(Array.isArray(outcome.stack) ? { stack: outcome.stack.map(String) } : {}),
  };
  const status: HandlerStatus =
    kind === 'load' ? 'load-error' : kind === 'missing-export' ? 'missing-export' : kind === 'invalid-result' ? 'invalid-result' : 'handler-error';
  const messages: Record<string, string> = {
    'load-error': `The handler module failed to load (${error.type}: ${error.message}).`,
    'missing-export': error.message,
    'invalid-result': `The handler's result is not JSON: ${error.message}`,
    'handler-error': `The handler failed with ${error.type}: ${error.message}`,
  };
  return { ...base, status, durationMs, error, message: messages[status] };
}

export function handlerCommand(o: { runtime: HandlerRuntime; nodePath?: string; pythonPath?: string }): string {
  return o.runtime === 'nodejs' ? o.nodePath || process.execPath : o.pythonPath || (process.platform === 'win32' ? 'python' : 'python3');
}

export function spawnErrorMessage(command: string, runtime: HandlerRuntime, e: Error): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT'
    ? `Cannot start ${command}: it was not found. ${runtime === 'nodejs' ? 'Install Node.js' : 'Install Python 3 or set its path'} to run this handler.`
    : `Cannot start ${command}: ${e.message}`;
}

export function defaultFunctionName(runtime: HandlerRuntime): string {
  return runtime === 'python' ? 'lambda_handler' : 'handler';
}

/**
 * Runs an authorizer handler once in a child process, as Lambda would:
 * a Lambda-like context, the declared environment, AWS's 5-second limit
 * (the process group is killed when it passes), stdout/stderr captured as the
 * log, and the result passed back on a separate channel (fd 3). Never hangs:
 * every path ends within init + invoke timeouts plus a short grace.
 */
export function runHandler(o: RunHandlerOptions): Promise<HandlerRun> {
  if (!o.allowCodeExecution) {
    throw new AuthzError(
      'CODE_EXECUTION_NOT_ALLOWED',
      'Running the authorizer handler executes code from the workspace, and this workspace is not trusted.',
      'Trust the workspace (Manage Workspace Trust) to run handlers locally; signing, verification and validation work without it.',
    );
  }
  if (!fs.existsSync(o.file)) {
    throw new AuthzError('HANDLER_FILE_NOT_FOUND', `The handler file ${o.file} does not exist.`, "Check the definition's handler.file path.");
  }
  const functionName = o.functionName || defaultFunctionName(o.runtime);
  const timeoutMs = Math.min(Math.max(1, o.timeoutMs ?? AWS_AUTHORIZER_TIMEOUT_MS), AWS_AUTHORIZER_TIMEOUT_MS);
  const initTimeoutMs = o.initTimeoutMs ?? INIT_TIMEOUT_MS;
  const name = o.lambda?.name || 'local-authorizer';
  const region = o.lambda?.region || 'us-east-1';
  const account = o.lambda?.account || '123456789012';
  const requestId = randomUUID();
  const config = JSON.stringify({
    file: path.resolve(o.file),
    functionName,
    event: o.event,
    timeoutMs,
    lambda: { name, region, account, requestId },
  });
  const isNode = o.runtime === 'nodejs';
  const command = handlerCommand(o);
  const args = isNode ? ['-e', NODE_RUNNER] : ['-c', PYTHON_RUNNER];

  return new Promise<HandlerRun>((resolve) => {
    const started = performance.now();
    const log: LogChunk[] = [];
    let logBytes = 0;
    let logTruncated = false;
    let channel = '';
    let channelBytes = 0;
    let resultTooLarge = false;
    const maxResultBytes = o.maxResultBytes ?? MAX_RESULT_BYTES;
    let invoked = false;
    let timedOut: 'init' | 'invoke' | undefined;
    let spawnError: Error | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const child = spawn(command, args, {
      cwd: path.dirname(o.file),
      env: childEnv(o, name, region, functionName, requestId),
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    const kill = () => {
      if (process.platform !== 'win32') killProcessTree(child.pid, requestId);
      else {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    const arm = (ms: number, phase: 'init' | 'invoke') => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = phase;
        kill();
        // The 'close' event normally follows the kill; do not depend on it.
        setTimeout(() => finish(null, 'SIGKILL'), 1000).unref();
      }, ms);
    };
    arm(initTimeoutMs, 'init');

    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      kill();
      setTimeout(() => finish(null, 'SIGKILL'), 1000).unref();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });

    const capture = (stream: 'stdout' | 'stderr') => (b: Buffer) => {
      if (logBytes >= MAX_LOG_BYTES) {
        logTruncated = true;
        return;
      }
      const text = b.subarray(0, MAX_LOG_BYTES - logBytes).toString('utf8');
      logBytes += b.length;
      const last = log[log.length - 1];
      if (last && last.stream === stream) last.text += text;
      else log.push({ stream, text });
    };
    child.stdout?.on('data', capture('stdout'));
    child.stderr?.on('data', capture('stderr'));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream | null;
    fd3?.on('data', (b: Buffer) => {
      if (resultTooLarge) return;
      channelBytes += b.length;
      if (channelBytes > maxResultBytes) {
        // Lambda refuses a response over its payload limit; do not buffer without end either.
        resultTooLarge = true;
        channel = '';
        kill();
        setTimeout(() => finish(null, 'SIGKILL'), 1000).unref();
        return;
      }
      channel += b.toString('utf8');
      if (!invoked && channel.includes('{"phase":"invoke"}\n')) {
        invoked = true;
        arm(timeoutMs + 50, 'invoke');
      }
    });
    fd3?.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(config);
    child.on('error', (e) => {
      spawnError = e;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
    // A grandchild can keep the pipes open after the handler's process exits.
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 500).unref());

    function finish(exitCode: number | null, signal: NodeJS.Signals | string | null) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // Also ends anything the handler left running, in its process group or not.
      if (!spawnError) kill();
      // A grandchild may still hold the pipes: stop reading them, so nothing keeps this process alive.
      for (const s of child.stdio) (s as NodeJS.ReadableStream & { destroy?: () => void } | null)?.destroy?.();
      child.unref();
      const wallMs = performance.now() - started;
      const logText = log.map((c) => c.text).join('');
      const base = { timeoutMs, exitCode, signal: signal ?? null, requestId, log, logText, logTruncated, wallMs };
      const outcomeLine = channel
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('{"phase"'))
        .pop();
      let outcome: Record<string, unknown> | undefined;
      try {
        outcome = outcomeLine ? JSON.parse(outcomeLine) : undefined;
      } catch {
        outcome = undefined;
      }
      const durationMs = typeof outcome?.durationMs === 'number' ? outcome.durationMs : wallMs;

      if (cancelled) {
        resolve({ ...base, status: 'cancelled', durationMs: wallMs, message: 'The run was cancelled; the handler process was stopped.' });
        return;
      }
      if (resultTooLarge) {
        resolve({
          ...base,
          status: 'invalid-result',
          durationMs: wallMs,
          error: { type: 'ResultTooLarge', message: `over ${maxResultBytes} bytes` },
          message: `The handler's result is larger than ${formatBytes(maxResultBytes)}, AWS Lambda's response payload limit: AWS would fail the invocation, so the process was stopped. Return only isAuthenticated, principalId, policyDocuments and the TTLs.`,
        });
        return;
      }
      if (spawnError) {
        resolve({ ...base, status: 'spawn-error', durationMs: wallMs, message: spawnErrorMessage(command, o.runtime, spawnError) });
        return;
      }
      if (timedOut || (outcome?.ok === true && durationMs > timeoutMs)) {
        const phase = timedOut === 'init' ? 'init' : 'invoke';
        resolve({
          ...base,
          status: 'timeout',
          durationMs: phase === 'init' ? wallMs : Math.max(typeof outcome?.durationMs === 'number' ? outcome.durationMs : 0, timeoutMs),
          message:
            phase === 'init'
              ? `The handler module did not finish loading within ${initTimeoutMs} ms; the process was killed.`
              : `The handler did not answer within ${timeoutMs} ms (AWS IoT Core allows the authorizer Lambda 5 seconds); the process was killed and the connection fails.`,
        });
        return;
      }
      if (!outcome) {
        const tail = logText.trim().split('\n').slice(-3).join(' | ');
        resolve({
          ...base,
          status: 'crash',
          durationMs: wallMs,
          message: `The handler process ended (${signal ? `signal ${signal}` : `exit code ${exitCode}`}) without returning a result${tail ? `: ${tail}` : '.'}`,
        });
        return;
      }
      resolve(runFromOutcome(outcome, base, durationMs));
    }
  });
}
