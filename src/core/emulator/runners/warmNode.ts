import { NODE_RUNNER_COMMON } from './shared';

/**
 * The warm Node.js runner (`node -e WARM_NODE_RUNNER`): loads the handler once
 * and serves invocation after invocation, several at once, as a warm Lambda
 * execution environment does (module-level state persists).
 *
 * Protocol, one JSON object per line. stdin: first the config
 * { file, functionName, lambda: { name, region, account } }, then requests
 * { id, event, timeoutMs }. fd 3: { ready: true } or { ready: false, outcome },
 * then per request { id, log: { stream, text } } for what it prints and
 * { id, outcome } (the one-shot runner's outcome shape). Output outside any
 * invocation stays on stdout/stderr. An uncaught exception ends the process
 * (reported to the invocation when it is the only one in flight).
 * Keep this source free of backticks and dollar-brace sequences.
 */
export const WARM_NODE_RUNNER = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const url = require('url');
const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
const inflight = new Map();
function line(o) {
  let text;
  try { text = JSON.stringify(o); }
  catch (e) { text = JSON.stringify({ id: o.id, outcome: { ok: false, kind: 'invalid-result', errorType: 'TypeError', errorMessage: 'The handler result cannot be serialised to JSON: ' + e.message } }); }
  try { fs.writeSync(3, text + '\n'); } catch (e) { process.exit(1); }
}
for (const stream of ['stdout', 'stderr']) {
  const s = process[stream];
  const orig = s.write.bind(s);
  s.write = function (chunk, enc, cb) {
    const id = als.getStore();
    if (id === undefined || !inflight.has(id)) return orig(chunk, enc, cb);
    line({ id: id, log: { stream: stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') } });
    if (typeof enc === 'function') enc(); else if (typeof cb === 'function') cb();
    return true;
  };
}
${NODE_RUNNER_COMMON}function fail(e) {
  // With several invocations in flight the culprit is unknown: exit unreported, the parent re-runs each alone.
  if (inflight.size === 1) for (const [id, inv] of inflight) { const o = errorOf('handler-error', e); o.durationMs = inv.ms(); line({ id: id, outcome: o }); }
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
let cfg, fn;
function invoke(req) {
  const l = cfg.lambda;
  const deadline = Date.now() + req.timeoutMs;
  const started = process.hrtime.bigint();
  const ms = function () { return Number(process.hrtime.bigint() - started) / 1e6; };
  const inv = { ms: ms };
  inflight.set(req.id, inv);
  function finish(err, res) {
    if (!inflight.has(req.id)) return;
    inflight.delete(req.id);
    if (err !== null && err !== undefined) { const o = errorOf('handler-error', err); o.durationMs = ms(); return line({ id: req.id, outcome: o }); }
    line({ id: req.id, outcome: { ok: true, result: res === undefined ? null : res, durationMs: ms() } });
  }
  const context = {
    functionName: l.name, functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:' + l.region + ':' + l.account + ':function:' + l.name,
    memoryLimitInMB: '128', awsRequestId: req.id, logGroupName: '/aws/lambda/' + l.name, logStreamName: 'local/iot-authz',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: function () { return Math.max(0, deadline - Date.now()); },
    done: function (err, res) { finish(err, res); },
    succeed: function (res) { finish(null, res); },
    fail: function (err) { finish(err || new Error('fail')); },
  };
  als.run(req.id, function () {
    let ret;
    try { ret = fn(req.event, context, finish); } catch (e) { return finish(e); }
    if (ret && typeof ret.then === 'function') {
      ret.then(function (v) { finish(null, v); }, function (e) { finish(e || new Error('The handler promise was rejected without a reason.')); });
    } else if (fn.length < 3) {
      // No promise and no callback parameter: Lambda answers null (a warm process cannot wait for an empty event loop).
      if (!inflight.has(req.id)) return;
      inflight.delete(req.id);
      line({ id: req.id, outcome: { ok: true, result: null, durationMs: ms(),
        warning: 'The handler returned without a promise or a callback call; Lambda ignores the value and returns null. Make the handler async or call the callback.' } });
    }
  });
}
async function load() {
  let mod;
  try { mod = isEsm(cfg.file) ? await import(url.pathToFileURL(cfg.file).href) : require(cfg.file); }
  catch (e) { line({ ready: false, outcome: errorOf('load', e) }); return process.exit(0); }
  fn = mod && mod[cfg.functionName];
  if (typeof fn !== 'function' && mod && mod.default && typeof mod.default[cfg.functionName] === 'function') fn = mod.default[cfg.functionName];
  if (typeof fn !== 'function') {
    const names = mod ? Object.keys(mod).filter(function (k) { return typeof mod[k] === 'function'; }) : [];
    line({ ready: false, outcome: { ok: false, kind: 'missing-export', errorType: 'Runtime.HandlerNotFound',
      errorMessage: path.basename(cfg.file) + ' does not export a function named "' + cfg.functionName + '"' + (names.length ? ' (it exports: ' + names.join(', ') + ')' : '') + '.' } });
    return process.exit(0);
  }
  line({ ready: true });
}
let buf = '';
let loading;
const queue = [];
process.stdin.setEncoding('utf8');
process.stdin.on('data', function (d) {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const text = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (!text.trim()) continue;
    const msg = JSON.parse(text);
    if (!cfg) { cfg = msg; loading = load(); continue; }
    if (fn) invoke(msg); else queue.push(msg);
  }
  if (loading) loading.then(function () { while (fn && queue.length) invoke(queue.shift()); });
});
process.stdin.on('end', function () { process.exit(0); });
`;
