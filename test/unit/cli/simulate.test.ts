import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { CliIo } from '../../../src/cli/framework';

export async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('cli simulate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-sim-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const doc = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-west-1:111122223333:topic/${iot:ClientId}/*' },
      { Effect: 'Deny', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-west-1:111122223333:topic/*/secret' },
    ],
  };
  fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(doc));
  fs.writeFileSync(path.join(dir, 'response.json'), JSON.stringify({ isAuthenticated: true, policyDocuments: [JSON.stringify(doc)] }));
  const base = ['simulate', '--policies', 'policy.json', '--action', 'iot:Publish', '--region', 'eu-west-1', '--account', '111122223333'];

  it('exit 0 and ALLOW for an allowed bare topic', async () => {
    const r = await cli([...base, '--resource', 'd1/temp', '--client-id', 'd1'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ALLOW {2}iot:Publish on arn:aws:iot:eu-west-1:111122223333:topic\/d1\/temp/);
  });

  it('exit 1 and the deciding Deny with --json', async () => {
    const r = await cli([...base, '--resource', 'd1/secret', '--client-id', 'd1', '--json'], dir);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.decision, 'deny');
    assert.deepEqual(j.decidedBy, { document: 0, statement: 1, effect: 'Deny' });
    assert.match(j.reason, /denied explicitly/);
  });

  it('reads a whole authorizer response with string documents', async () => {
    const r = await cli(['simulate', '--policies', 'response.json', '--action', 'publish', '--resource', 'arn:aws:iot:eu-west-1:111122223333:topic/d1/x', '--client-id', 'd1'], dir);
    assert.equal(r.code, 0, r.out + r.err);
  });

  it('takes region and account from a definition in the folder', async () => {
    fs.writeFileSync(path.join(dir, 'x.authorizer.json'), JSON.stringify({ authorizerName: 'x', authorizerFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:x' }));
    const r = await cli(['simulate', '--policies', 'policy.json', '--action', 'iot:Publish', '--resource', 'd1/temp', '--client-id', 'd1', '--json'], dir);
    assert.equal(JSON.parse(r.out).resource, 'arn:aws:iot:eu-west-1:111122223333:topic/d1/temp');
    fs.rmSync(path.join(dir, 'x.authorizer.json'));
  });

  it('exit 2 on bad input', async () => {
    assert.equal((await cli(['simulate', '--policies', 'missing.json', '--action', 'iot:Publish', '--resource', 't'], dir)).code, 2);
    assert.equal((await cli(['simulate', '--policies', 'policy.json', '--resource', 't'], dir)).code, 2);
  });
});
