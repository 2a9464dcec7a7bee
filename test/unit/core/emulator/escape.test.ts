import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHandler } from '../../../../src/core/emulator';
import { gone, tempWorkspace } from './helpers';

const outRoot = path.resolve(__dirname, '../../../..');

// Issue 8 finding 7: a child the handler starts in its own session must not outlive the run.
const ws = tempWorkspace({
  'detached.js': `const { spawn } = require('child_process');
exports.handler = async (event) => {
  const c = spawn('sleep', ['60'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  require('fs').writeFileSync(event.pidFile, String(c.pid));
  return { isAuthenticated: true, principalId: 'escaper', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };
};`,
  'detached.py': `import subprocess
def lambda_handler(event, context):
    c = subprocess.Popen(["sleep", "60"], start_new_session=True)
    with open(event["pidFile"], "w") as f:
        f.write(str(c.pid))
    return {"isAuthenticated": True}
`,
  'escaper.authorizer.json': JSON.stringify({ authorizerName: 'escaper', signingDisabled: true, handler: { runtime: 'nodejs', file: 'detached-cli.js' } }),
  'detached-cli.js': `const { spawn } = require('child_process');
exports.handler = async () => {
  const c = spawn('sleep', ['60'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  require('fs').writeFileSync(__dirname + '/cli.pid', String(c.pid));
  return { isAuthenticated: true, principalId: 'escaper', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };
};`,
  'case.authz-test.json': JSON.stringify({ cases: [{ name: 'escape', protocol: 'https', token: 't' }] }),
});

describe('core/emulator: handler processes cannot escape the kill (issue 8 #7)', function () {
  this.timeout(30_000);
  after(() => ws.cleanup());

  for (const file of ['detached.js', 'detached.py']) {
    it(`${file}: a child started in its own session is gone after the run`, async () => {
      const pidFile = ws.file(`${file}.pid`);
      const run = await runHandler({ runtime: file.endsWith('.py') ? 'python' : 'nodejs', file: ws.file(file), event: { pidFile }, allowCodeExecution: true });
      assert.equal(run.status, 'ok', run.message);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      assert.ok(pid > 0);
      const ok = await gone(pid);
      if (!ok) process.kill(pid, 'SIGKILL');
      assert.ok(ok, `the handler's detached child ${pid} is still running after the run`);
    });
  }

  it('iot-authz invoke exits once the result is in although a detached grandchild holds its stdout', async () => {
    const child = spawn(process.execPath, [path.join(outRoot, 'src/cli/main.js'), 'invoke', '--authorizer', 'escaper.authorizer.json', '--case', 'case.authz-test.json'], {
      cwd: ws.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    const code = await new Promise<number | string>((resolve) => {
      const t = setTimeout(() => resolve('still running after 15 s'), 15_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c ?? -1);
      });
    });
    if (typeof code === 'string') child.kill('SIGKILL');
    const pidText = fs.existsSync(ws.file('cli.pid')) ? fs.readFileSync(ws.file('cli.pid'), 'utf8') : '';
    const pid = Number(pidText);
    const ok = pid > 0 ? await gone(pid) : false;
    if (pid > 0 && !ok) process.kill(pid, 'SIGKILL');
    assert.equal(code, 0, out);
    assert.match(out, /Accepted/);
    assert.ok(pid > 0, 'the handler wrote its child pid');
    assert.ok(ok, `the grandchild ${pid} is still running after invoke exited`);
  });
});
