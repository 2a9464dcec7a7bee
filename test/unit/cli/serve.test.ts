import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_MARKER_VAR } from '../../../src/core/emulator/processes';
import { gone } from '../core/emulator/helpers';
import { connect, end, endpointWorkspace, within } from '../core/endpoint/helpers';
import { mqttUsername } from '../../../src/core/tokens/snippets';
import { cli } from './simulate.test';

const cliMain = path.resolve(__dirname, '../../../src/cli/main.js');

/** Pids of handler processes (they carry the run marker) whose parent is `parent`. */
function handlerChildren(parent: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = fs.readFileSync(`/proc/${name}/environ`, 'utf8');
      const ppid = Number(fs.readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      if (ppid === parent && env.includes(`${RUN_MARKER_VAR}=`)) out.push(Number(name));
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

describe('cli serve', function () {
  this.timeout(60_000);
  let ws: Awaited<ReturnType<typeof endpointWorkspace>>;
  before(async () => {
    ws = await endpointWorkspace();
  });
  after(() => ws.cleanup());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints decisions as JSON lines; ${signal} stops it cleanly (exit 0) leaving no handler process`, async () => {
      const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [cliMain, 'serve', '--port', '0', '--json', '--authorizers', 'signed.authorizer.json'], { cwd: ws.dir });
      let out = '';
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      const lines: Array<Record<string, unknown>> = [];
      const next = (pred: (l: Record<string, unknown>) => boolean, what: string) =>
        within<Record<string, unknown>>(20_000, `${what}; stdout so far: ${out} stderr: ${err}`, (done) => {
          const check = () => {
            const hit = lines.find(pred);
            if (hit) done(hit);
          };
          child.stdout.on('data', check);
          check();
          return () => child.stdout.off('data', check);
        });
      child.stdout.on('data', (b) => {
        out += b;
        const parts = out.split('\n');
        lines.length = 0;
        for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
      });
      try {
        const started = await next((l) => l.type === 'started', 'the started line');
        const token = 'device';
        const c = await connect(`mqtts://localhost:${started.port}`, {
          ca: fs.readFileSync(String(started.caPath)),
          servername: 'localhost',
          ALPNProtocols: ['mqtt'],
          clientId: `cli-${signal}`,
          username: mqttUsername({ authorizerName: 'fixture-signed', tokenKeyName: 'token', token, signature: ws.sign('fixture', token) }),
        });
        assert.equal(c.code, 0);
        const d = await next((l) => l.type === 'decision' && l.kind === 'connect', 'the connect decision');
        assert.equal(d.allowed, true);
        assert.equal(d.clientId, `cli-${signal}`);
        assert.ok(!JSON.stringify(d).includes(ws.sign('fixture', token)), 'no signature in the output');
        const handlers = handlerChildren(child.pid!);
        assert.ok(handlers.length > 0, 'a warm handler process runs');
        await end(c.client);
        child.kill(signal);
        const code = await within<number | null>(15_000, 'serve to exit', (done) => {
          child.on('exit', (c2) => done(c2));
        });
        assert.equal(code, 0, err);
        for (const pid of handlers) assert.ok(await gone(pid), `handler ${pid} still runs`);
        assert.match(err, new RegExp(`${signal}: stopping`));
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }

  it('bad usage exits 2 with a clear message', async () => {
    const r = await cli(['serve', '--time-scale', '0'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /--time-scale must be a positive number/);
    const p = await cli(['serve', '--port', '70000'], ws.dir);
    assert.equal(p.code, 2);
    assert.match(p.err, /--port must be a port number/);
  });

  it('no authorizer definition: exit 2 saying so', async () => {
    const r = await cli(['serve', '--port', '0', '--authorizers', 'nothing/*.authorizer.json'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /No authorizer definition matches nothing\/\*\.authorizer\.json/);
  });
});

