import * as assert from 'node:assert/strict';
import { runHandler, RunHandlerOptions } from '../../../../src/core/emulator';
import { MAX_RESULT_BYTES } from '../../../../src/core/emulator/handler';
import { AuthzError } from '../../../../src/core/errors';
import { tempWorkspace } from './helpers';

const ws = tempWorkspace({
  'async.js': `console.log('to stdout {"not":"the result"}'); console.error('to stderr');
exports.handler = async (event, context) => ({ got: event, fn: context.functionName, id: context.awsRequestId,
  left: context.getRemainingTimeInMillis(), arn: context.invokedFunctionArn, env: process.env.MY_VAR, leaked: process.env.IOT_AUTHZ_TEST_SECRET ?? null });`,
  'callback.js': `exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { style: 'callback' }), 10); };`,
  'promise.js': `exports.handler = (event) => Promise.resolve({ style: 'promise' });`,
  'custom.js': `exports.authorize = async () => ({ style: 'custom export' });`,
  'esm.mjs': `export const handler = async () => ({ style: 'esm' });`,
  'typed/package.json': '{"type": "module"}',
  'typed/index.js': `export async function handler() { return { style: 'package type module' }; }`,
  'forever.js': `exports.handler = async () => { for (;;) {} };`,
  'pid-forever.js': `exports.handler = async () => { process.stdout.write('pid=' + process.pid + '\\n'); await new Promise(() => setInterval(() => {}, 1000)); };`,
  'slowload.js': `const end = Date.now() + 5000; while (Date.now() < end) {} exports.handler = async () => 1;`,
  'crash.js': `exports.handler = async () => { process.exit(3); };`,
  'throws.js': `exports.handler = async () => { throw new TypeError('bad token'); };`,
  'syntax.js': `exports.handler = async () => { return {; };`,
  'noexport.js': `exports.other = () => 1; exports.another = () => 2;`,
  'bigint.js': `exports.handler = async () => ({ n: 10n });`,
  'plainreturn.js': `exports.handler = (event) => ({ ignored: true });`,
  'asyncthrow.js': `exports.handler = (e, c, cb) => { setTimeout(() => { throw new Error('late failure'); }, 5); };`,
  'handler.py': `import os
print("py stdout")
def lambda_handler(event, context):
    print("inside", context.function_name)
    return {"got": event, "id": context.aws_request_id, "left": context.get_remaining_time_in_millis(), "env": os.environ.get("MY_VAR")}
def other(event, context):
    return "other"
`,
  'slow.py': `import time
def lambda_handler(event, context):
    time.sleep(30)
`,
  'raises.py': `def lambda_handler(event, context):
    raise ValueError("no such user")
`,
  'syntax.py': `def lambda_handler(event, context)
    return 1
`,
  'nojson.py': `def lambda_handler(event, context):
    return {"s": {1, 2}}
`,
  'huge.js': `exports.handler = async () => ({ blob: 'x'.repeat(300 * 1024) });`,
  'nan.py': `def lambda_handler(event, context):
    return {"x": float("nan")}
`,
});

function run(file: string, extra: Partial<RunHandlerOptions> = {}) {
  return runHandler({ runtime: file.endsWith('.py') ? 'python' : 'nodejs', file: ws.file(file), event: { token: 't' }, allowCodeExecution: true, ...extra });
}

describe('core/emulator runHandler', function () {
  this.timeout(20_000);
  after(() => ws.cleanup());

  it('refuses without allowCodeExecution', () => {
    assert.throws(
      () => runHandler({ runtime: 'nodejs', file: ws.file('async.js'), event: {}, allowCodeExecution: false }),
      (e: unknown) => e instanceof AuthzError && e.code === 'CODE_EXECUTION_NOT_ALLOWED',
    );
  });

  it('a result over the cap fails as invalid-result with a clear message; just under it is fine', async () => {
    // The real cap is 6 MB (MAX_RESULT_BYTES, Lambda's response payload limit); a lower one keeps the test light.
    const over = await run('huge.js', { maxResultBytes: 256 * 1024 });
    assert.equal(over.status, 'invalid-result', over.message);
    assert.match(over.message, /result is larger than 256 KB, AWS Lambda's response payload limit/);
    assert.equal(over.result, undefined);
    const under = await run('huge.js', { maxResultBytes: 512 * 1024 });
    assert.equal(under.status, 'ok', under.message);
    assert.equal(MAX_RESULT_BYTES, 6 * 1024 * 1024);
  });

  it('runs an async Node.js handler; prints go to the log, not the result', async () => {
    process.env.IOT_AUTHZ_TEST_SECRET = 'must-not-leak';
    try {
      const r = await run('async.js', { environment: { MY_VAR: 'declared' }, lambda: { name: 'fn1', region: 'eu-west-1', account: '111122223333' } });
      assert.equal(r.status, 'ok', r.message);
      const res = r.result as Record<string, unknown>;
      assert.deepEqual(res.got, { token: 't' });
      assert.equal(res.fn, 'fn1');
      assert.equal(res.arn, 'arn:aws:lambda:eu-west-1:111122223333:function:fn1');
      assert.equal(res.id, r.requestId);
      assert.ok((res.left as number) > 4000 && (res.left as number) <= 5000);
      assert.equal(res.env, 'declared');
      assert.equal(res.leaked, null, 'the parent environment is not passed to the handler');
      assert.match(r.logText, /to stdout \{"not":"the result"\}/);
      assert.deepEqual(r.log.map((c) => c.stream), ['stdout', 'stderr']);
    } finally {
      delete process.env.IOT_AUTHZ_TEST_SECRET;
    }
  });

  for (const [file, style, extra] of [
    ['callback.js', 'callback', {}],
    ['promise.js', 'promise', {}],
    ['custom.js', 'custom export', { functionName: 'authorize' }],
    ['esm.mjs', 'esm', {}],
    ['typed/index.js', 'package type module', {}],
  ] as const) {
    it(`supports ${style} handlers`, async () => {
      const r = await run(file, extra);
      assert.equal(r.status, 'ok', r.message);
      assert.deepEqual(r.result, { style });
    });
  }

  it('kills a handler that runs past the timeout', async () => {
    const r = await run('forever.js', { timeoutMs: 300 });
    assert.equal(r.status, 'timeout');
    assert.match(r.message, /did not answer within 300 ms/);
    assert.equal(r.signal, 'SIGKILL', 'the process was killed, not left running');
  });

  it('the invoke limit applies once loaded, however long the init limit is', async function () {
    // With the kill timer left at the init limit (60 s), this would outlast the test's own timeout.
    this.timeout(15_000);
    const r = await run('forever.js', { timeoutMs: 300, initTimeoutMs: 60_000 });
    assert.equal(r.status, 'timeout');
    assert.match(r.message, /did not answer within 300 ms/);
    assert.equal(r.signal, 'SIGKILL');
  });

  it('stops a running handler when its signal aborts: status cancelled and the process is gone', async () => {
    const controller = new AbortController();
    const pending = run('pid-forever.js', { timeoutMs: 5000, signal: controller.signal });
    // Abort once the handler has started (it prints its pid first).
    await new Promise((r) => setTimeout(r, 600));
    controller.abort();
    const r = await pending;
    assert.equal(r.status, 'cancelled', r.message);
    const pid = Number(/pid=(\d+)/.exec(r.logText)?.[1]);
    assert.ok(pid > 0, `the handler printed its pid: ${JSON.stringify(r.logText)}`);
    assert.throws(() => process.kill(pid, 0), (e: NodeJS.ErrnoException) => e.code === 'ESRCH', 'the handler process was killed');
  });

  it('a signal aborted before the start runs nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run('pid-forever.js', { signal: controller.signal });
    assert.equal(r.status, 'cancelled');
    assert.equal(r.result, undefined);
  });

  it('caps the timeout at AWS 5 seconds', async () => {
    const r = await run('promise.js', { timeoutMs: 60_000 });
    assert.equal(r.timeoutMs, 5000);
  });

  it('limits the init phase separately', async () => {
    const r = await run('slowload.js', { initTimeoutMs: 300 });
    assert.equal(r.status, 'timeout');
    assert.match(r.message, /did not finish loading within 300 ms/);
  });

  it('reports a crash with the exit code', async () => {
    const r = await run('crash.js');
    assert.equal(r.status, 'crash');
    assert.equal(r.exitCode, 3);
    assert.match(r.message, /exit code 3/);
  });

  it('reports a thrown error', async () => {
    const r = await run('throws.js');
    assert.equal(r.status, 'handler-error');
    assert.equal(r.error?.type, 'TypeError');
    assert.match(r.message, /bad token/);
  });

  it('reports an uncaught asynchronous error', async () => {
    const r = await run('asyncthrow.js');
    assert.equal(r.status, 'handler-error');
    assert.match(r.message, /late failure/);
  });

  it('reports a syntax error as a load error', async () => {
    const r = await run('syntax.js');
    assert.equal(r.status, 'load-error');
    assert.equal(r.error?.type, 'SyntaxError');
  });

  it('reports a missing export and lists the exports', async () => {
    const r = await run('noexport.js');
    assert.equal(r.status, 'missing-export');
    assert.match(r.message, /does not export a function named "handler" \(it exports: other, another\)/);
  });

  it('reports a result that is not JSON', async () => {
    const r = await run('bigint.js');
    assert.equal(r.status, 'invalid-result');
  });

  it('returns null for a plain return value, as Lambda does, with a warning', async () => {
    const r = await run('plainreturn.js');
    assert.equal(r.status, 'ok');
    assert.equal(r.result, null);
    assert.match(r.warning ?? '', /Lambda ignores it/);
  });

  describe('Python', () => {
    it('runs lambda_handler with a Lambda context and separates prints from the result', async () => {
      const r = await run('handler.py', { environment: { MY_VAR: 'py' } });
      assert.equal(r.status, 'ok', r.message);
      const res = r.result as Record<string, unknown>;
      assert.deepEqual(res.got, { token: 't' });
      assert.equal(res.id, r.requestId);
      assert.equal(res.env, 'py');
      assert.ok((res.left as number) > 4000);
      assert.match(r.logText, /py stdout\ninside local-authorizer\n/);
    });
    it('runs a configured function name', async () => {
      const r = await run('handler.py', { functionName: 'other' });
      assert.equal(r.result, 'other');
    });
    it('kills a slow handler', async () => {
      const r = await run('slow.py', { timeoutMs: 300 });
      assert.equal(r.status, 'timeout');
    });
    it('reports an exception', async () => {
      const r = await run('raises.py');
      assert.equal(r.status, 'handler-error');
      assert.equal(r.error?.type, 'ValueError');
      assert.ok(r.error?.stack?.some((l) => l.includes('raises.py')));
    });
    it('reports a syntax error', async () => {
      const r = await run('syntax.py');
      assert.equal(r.status, 'load-error');
      assert.equal(r.error?.type, 'SyntaxError');
    });
    it('reports a missing function and lists the defined ones', async () => {
      const r = await run('handler.py', { functionName: 'nope' });
      assert.equal(r.status, 'missing-export');
      assert.match(r.message, /lambda_handler, other/);
    });
    it('reports a result that is not JSON (set, NaN)', async () => {
      assert.equal((await run('nojson.py')).status, 'invalid-result');
      assert.equal((await run('nan.py')).status, 'invalid-result');
    });
    it('reports a missing interpreter clearly', async () => {
      const r = await run('handler.py', { pythonPath: '/nonexistent/python3' });
      assert.equal(r.status, 'spawn-error');
      assert.match(r.message, /not found/);
    });
  });
});
