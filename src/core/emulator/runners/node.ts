import { NODE_RUNNER_COMMON } from './shared';

/**
 * The Node.js runner, run as `node -e NODE_RUNNER` in a child process (no file
 * on disk, so it works the same from out/, dist/extension.js and dist/cli.js).
 *
 * Protocol: the parent writes one JSON config to stdin; the runner writes
 * `{"phase":"invoke"}` and then one JSON outcome, one per line, to fd 3, so the handler's stdout/stderr stay the Lambda's log.
 * Config: { file, functionName, event, timeoutMs, lambda: { name, region, account, requestId } }.
 * Outcome: { ok: true, result, durationMs, warning? }
 *        | { ok: false, kind: 'load'|'missing-export'|'handler-error'|'invalid-result', errorType, errorMessage, stack? , durationMs? }.
 * Keep this source free of backticks and dollar-brace sequences.
 */
export const NODE_RUNNER = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const url = require('url');
let done = false;
function send(outcome) {
  if (done) return;
  done = true;
  let text;
  try { text = JSON.stringify(outcome); }
  catch (e) { text = JSON.stringify({ ok: false, kind: 'invalid-result', errorType: 'TypeError', errorMessage: 'The handler result cannot be serialised to JSON: ' + (e instanceof RangeError ? 'it nests too deeply (no authorizer response nests more than a few levels)' : e.message) }); }
  try { fs.writeSync(3, text + '\n'); } catch (e) { process.stderr.write('iot-authz runner: cannot report the result: ' + e.message + '\n'); }
  try { fs.closeSync(3); } catch (e) {}
  setImmediate(function () { process.exit(0); });
}
${NODE_RUNNER_COMMON}async function main() {
  const cfg = JSON.parse(fs.readFileSync(0, 'utf8'));
  let mod;
  try {
    mod = isEsm(cfg.file) ? await import(url.pathToFileURL(cfg.file).href) : require(cfg.file);
  } catch (e) {
    return send(errorOf('load', e));
  }
  let fn = mod && mod[cfg.functionName];
  if (typeof fn !== 'function' && mod && mod.default && typeof mod.default[cfg.functionName] === 'function') fn = mod.default[cfg.functionName];
  if (typeof fn !== 'function') {
    const names = mod ? Object.keys(mod).filter(function (k) { return typeof mod[k] === 'function'; }) : [];
    return send({ ok: false, kind: 'missing-export', errorType: 'Runtime.HandlerNotFound',
      errorMessage: path.basename(cfg.file) + ' does not export a function named "' + cfg.functionName + '"' +
        (names.length ? ' (it exports: ' + names.join(', ') + ')' : '') + '.' });
  }
  const l = cfg.lambda;
  const deadline = Date.now() + cfg.timeoutMs;
  const context = {
    functionName: l.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:' + l.region + ':' + l.account + ':function:' + l.name,
    memoryLimitInMB: '128',
    awsRequestId: l.requestId,
    logGroupName: '/aws/lambda/' + l.name,
    logStreamName: 'local/iot-authz',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: function () { return Math.max(0, deadline - Date.now()); },
    done: function (err, res) { finish(err, res); },
    succeed: function (res) { finish(null, res); },
    fail: function (err) { finish(err || new Error('fail')); },
  };
  const started = process.hrtime.bigint();
  const ms = function () { return Number(process.hrtime.bigint() - started) / 1e6; };
  function finish(err, res) {
    if (done) return;
    if (err !== null && err !== undefined) {
      const o = errorOf('handler-error', err);
      o.durationMs = ms();
      return send(o);
    }
    send({ ok: true, result: res === undefined ? null : res, durationMs: ms() });
  }
  process.on('uncaughtException', function (e) { const o = errorOf('handler-error', e); o.durationMs = ms(); send(o); });
  process.on('unhandledRejection', function (e) { const o = errorOf('handler-error', e); o.durationMs = ms(); send(o); });
  try { fs.writeSync(3, '{"phase":"invoke"}\n'); } catch (e) {}
  let ret;
  try {
    ret = fn(cfg.event, context, finish);
  } catch (e) {
    return finish(e);
  }
  if (ret && typeof ret.then === 'function') {
    ret.then(function (v) { finish(null, v); }, function (e) { finish(e || new Error('The handler promise was rejected without a reason.')); });
  } else {
    // Lambda's Node.js runtime ignores a plain return value of a non-async handler:
    // the result comes from the callback, or is null once the event loop is empty.
    process.on('beforeExit', function () {
      if (done) return;
      send({ ok: true, result: null, durationMs: ms(),
        warning: ret !== undefined
          ? 'The handler returned a value without a promise or a callback call; Lambda ignores it and returns null. Make the handler async or call the callback.'
          : 'The handler finished without calling the callback or returning a promise; Lambda returns null.' });
    });
  }
}
main().catch(function (e) { send(errorOf('load', e)); });
`;
