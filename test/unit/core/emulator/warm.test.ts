import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { WarmHandler } from '../../../../src/core/emulator/warm';
import { gone, tempWorkspace } from './helpers';

const ws = tempWorkspace({
  'counter/index.js': `let n = 0; let inFlight = 0; let most = 0;
exports.handler = async (event) => {
  n++; inFlight++; most = Math.max(most, inFlight);
  console.log('call ' + n + ' for ' + event.who);
  if (event.waitFor) await new Promise((r) => { const t = setInterval(() => { if (most >= event.waitFor) { clearInterval(t); r(); } }, 5); });
  inFlight--;
  return { n, most, pid: process.pid, version: 1 };
};`,
  'hang/index.js': `let n = 0; exports.handler = async (event) => { n++; if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return { n }; };`,
  'crash/index.js': `exports.handler = async (event) => { if (event.crash) process.exit(3); return { ok: true }; };`,
  'py/handler.py': `import threading, time
n = 0
in_flight = 0
most = 0
lock = threading.Lock()
def lambda_handler(event, context):
    global n, in_flight, most
    with lock:
        n += 1
        in_flight += 1
        most = max(most, in_flight)
    print("py call", n, event.get("who"))
    end = time.time() + 3
    while event.get("waitFor") and most < event["waitFor"] and time.time() < end:
        time.sleep(0.005)
    with lock:
        in_flight -= 1
    return {"n": n, "most": most}
`,
});

describe('core/emulator WarmHandler', function () {
  this.timeout(30_000);
  const handlers: WarmHandler[] = [];
  const warm = (file: string, extra: Partial<ConstructorParameters<typeof WarmHandler>[0]> = {}) => {
    const h = new WarmHandler({ runtime: file.endsWith('.py') ? 'python' : 'nodejs', file: ws.file(file), ...extra });
    handlers.push(h);
    return h;
  };
  after(async () => {
    for (const h of handlers) await h.stop();
    ws.cleanup();
  });

  it('keeps module state between invocations, in one process, and attributes each log to its invocation', async () => {
    const h = warm('counter/index.js', { watch: false });
    const a = await h.invoke({ who: 'a' });
    const b = await h.invoke({ who: 'b' });
    assert.equal(a.status, 'ok', a.message);
    assert.deepEqual([(a.result as { n: number }).n, (b.result as { n: number }).n], [1, 2]);
    assert.equal((a.result as { pid: number }).pid, (b.result as { pid: number }).pid);
    assert.equal(a.logText, 'call 1 for a\n');
    assert.equal(b.logText, 'call 2 for b\n');
    assert.equal(h.starts, 1);
  });

  it('serves several invocations at once (Node.js)', async () => {
    const h = warm('counter/index.js', { watch: false });
    const runs = await Promise.all([1, 2, 3].map((i) => h.invoke({ who: String(i), waitFor: 3 })));
    for (const r of runs) assert.equal(r.status, 'ok', r.message);
    assert.equal(Math.max(...runs.map((r) => (r.result as { most: number }).most)), 3);
  });

  it('serves several invocations at once and keeps state (Python)', async () => {
    const h = warm('py/handler.py', { watch: false });
    const runs = await Promise.all([1, 2].map((i) => h.invoke({ who: String(i), waitFor: 2 })));
    for (const r of runs) assert.equal(r.status, 'ok', r.message);
    assert.equal(Math.max(...runs.map((r) => (r.result as { most: number }).most)), 2);
    const third = await h.invoke({ who: '3' });
    assert.equal((third.result as { n: number }).n, 3);
    assert.match(third.logText, /py call 3 3/);
  });

  it('a hung invocation times out alone: the process is restarted, the others are served', async () => {
    const h = warm('hang/index.js', { watch: false, timeoutMs: 500 });
    const pid1 = (await h.invoke({}), h.pid);
    const [hung, other] = await Promise.all([h.invoke({ hang: true }), h.invoke({})]);
    assert.equal(hung.status, 'timeout');
    assert.match(hung.message, /did not answer within 500 ms/);
    assert.equal(other.status, 'ok', other.message);
    assert.ok(await gone(pid1!), 'the hung process is gone');
    const next = await h.invoke({});
    assert.equal(next.status, 'ok');
    assert.equal((next.result as { n: number }).n, 1, 'a fresh process after the timeout');
  });

  it('a crash fails the invocation and the next one gets a fresh process', async () => {
    const h = warm('crash/index.js', { watch: false });
    const c = await h.invoke({ crash: true });
    assert.equal(c.status, 'crash');
    const ok = await h.invoke({});
    assert.equal(ok.status, 'ok');
    assert.equal(h.starts, 2);
  });

  it('restarts when a file of the handler changes', async () => {
    const h = warm('counter/index.js');
    await h.invoke({ who: 'x' });
    await h.invoke({ who: 'y' });
    fs.writeFileSync(ws.file('counter/index.js'), fs.readFileSync(ws.file('counter/index.js'), 'utf8').replace('version: 1', 'version: 2'));
    let r;
    for (let i = 0; i < 40; i++) {
      r = await h.invoke({ who: 'z' });
      if ((r.result as { version: number }).version === 2) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal((r!.result as { version: number }).version, 2);
    assert.equal((r!.result as { n: number }).n, 1, 'module state starts over in the new process');
  });

  it('stop() ends the process', async () => {
    const h = warm('counter/index.js', { watch: false });
    await h.invoke({ who: 's' });
    const pid = h.pid!;
    await h.stop();
    assert.ok(await gone(pid));
    assert.equal((await h.invoke({})).status, 'cancelled');
  });
});
