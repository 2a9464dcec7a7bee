import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { CliIo } from '../../../src/cli/framework';

interface Run { code: number; out: string; err: string }

async function run(cwd: string, ...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, env: {}, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

const goodPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}' }],
};

describe('cli: iot-authz validate', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-validate-'));
    fs.writeFileSync(path.join(dir, 'good.iot-policy.json'), JSON.stringify(goodPolicy, null, 2));
    fs.writeFileSync(path.join(dir, 'bad.authorizer-response.json'), '{\n  "isAuthenticated": true,\n  "principalId": "a-b",\n  "policyDocuments": []\n}\n');
    fs.writeFileSync(path.join(dir, 'unnamed.json'), JSON.stringify({ isAuthenticated: true, principalId: 'x', policyDocuments: [goodPolicy] }));
    fs.writeFileSync(path.join(dir, 'mystery.json'), '{"a": 1}');
    fs.writeFileSync(path.join(dir, 'warn.iot-policy.json'), JSON.stringify({ ...goodPolicy, Statement: [...goodPolicy.Statement, { Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }] }));
    fs.writeFileSync(path.join(dir, 'huge.iot-policy.json'), ' '.repeat(1024 * 1024 + 1));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys', 'dev.public.pem'), '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n');
    fs.writeFileSync(path.join(dir, 'a.authorizer.json'), JSON.stringify({
      authorizerName: 'A', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', tokenKeyName: 't',
      tokenSigningPublicKeys: { k1: { path: 'keys/dev.public.pem' }, k2: 'keys/missing.pem' },
    }, null, 2));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and no output lines for a clean file', async () => {
    const r = await run(dir, 'validate', 'good.iot-policy.json');
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /1 file\(s\) checked: 0 error/);
  });

  it('exit 1 with file:line:column: severity CODE message lines', async () => {
    const r = await run(dir, 'validate', 'bad.authorizer-response.json');
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.includes(lines.find((l) => l.startsWith('bad.authorizer-response.json:3:18: error RESPONSE_PRINCIPAL_ID_INVALID '))!), r.out);
    assert.ok(lines.some((l) => /^bad\.authorizer-response\.json:4:3: warning RESPONSE_NO_DOCUMENTS /.test(l)), r.out);
  });

  it('exit 0 when only warnings', async () => {
    const r = await run(dir, 'validate', 'warn.iot-policy.json');
    assert.equal(r.code, 0);
    assert.match(r.out, /warning IOT_ALLOW_ALL_RESOURCES/);
  });

  it('kind from --kind, then from content', async () => {
    assert.equal((await run(dir, 'validate', 'unnamed.json')).code, 0);
    const r = await run(dir, 'validate', '--kind', 'policy', 'unnamed.json');
    assert.equal(r.code, 1);
    assert.match(r.out, /POLICY_STATEMENT_MISSING/);
  });

  it('exit 2 when the kind cannot be told, for a missing file, a bad option or a file over 1 MB', async () => {
    assert.equal((await run(dir, 'validate', 'mystery.json')).code, 2);
    const missing = await run(dir, 'validate', 'nope.json');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /does not exist/);
    assert.equal((await run(dir, 'validate', '--kind', 'x', 'good.iot-policy.json')).code, 2);
    assert.equal((await run(dir, 'validate')).code, 2);
    const huge = await run(dir, 'validate', 'huge.iot-policy.json');
    assert.equal(huge.code, 2);
    assert.match(huge.err, /over the 1 MB limit/);
  });

  it('authorizer key paths resolve against the definition directory', async () => {
    const r = await run(os.tmpdir(), 'validate', path.join(dir, 'a.authorizer.json'));
    assert.equal(r.code, 1);
    assert.match(r.out, /AUTHORIZER_KEY_FILE_MISSING "keys\/missing\.pem"/);
    assert.doesNotMatch(r.out, /dev\.public\.pem/);
  });

  it('validates *.authz-test.json test-case files too: a missing authorizer file is reported, a clean file passes', async () => {
    fs.writeFileSync(path.join(dir, 'ok.authz-test.json'), JSON.stringify({ authorizer: 'a.authorizer.json', cases: [{ name: 'c1', token: 't', signature: 'c2ln', expect: { authenticated: true } }] }, null, 2));
    fs.writeFileSync(path.join(dir, 'broken.authz-test.json'), JSON.stringify({ authorizer: 'nowhere.authorizer.json', cases: [{ name: 'c1', expect: { authenticatd: true } }] }, null, 2));
    const ok = await run(dir, 'validate', 'ok.authz-test.json');
    assert.equal(ok.code, 0, ok.out + ok.err);
    const bad = await run(dir, 'validate', 'broken.authz-test.json');
    assert.equal(bad.code, 1, bad.out + bad.err);
    const lines = bad.out.trim().split('\n');
    assert.ok(lines.some((l) => /^broken\.authz-test\.json:\d+:\d+: error \w+ .*nowhere\.authorizer\.json/.test(l)), bad.out);
    assert.ok(lines.some((l) => /authenticatd/.test(l)), 'the misspelt expectation is reported');
  });

  it('--format json lists findings with 1-based positions; --json is the same', async () => {
    const r = await run(dir, 'validate', '--format', 'json', 'bad.authorizer-response.json');
    const out = JSON.parse(r.out);
    const f = out[0].findings.find((x: { code: string }) => x.code === 'RESPONSE_PRINCIPAL_ID_INVALID');
    assert.equal(out[0].kind, 'response');
    assert.deepEqual([f.line, f.column], [3, 18]);
    assert.deepEqual(JSON.parse((await run(dir, 'validate', '--json', 'bad.authorizer-response.json')).out), out);
  });

  it('--format sarif writes SARIF 2.1.0 with rules and results', async () => {
    const r = await run(dir, 'validate', '--format', 'sarif', 'bad.authorizer-response.json', 'good.iot-policy.json');
    assert.equal(r.code, 1);
    const log = JSON.parse(r.out);
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'iot-authz');
    assert.equal(run0.artifacts.length, 2);
    const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'RESPONSE_PRINCIPAL_ID_INVALID');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'bad.authorizer-response.json');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 3);
    assert.ok(run0.tool.driver.rules.every((rule: { helpUri: string }) => rule.helpUri.startsWith('https://')));
  });

  it('--disable drops a code', async () => {
    const r = await run(dir, 'validate', '--disable', 'RESPONSE_PRINCIPAL_ID_INVALID', 'bad.authorizer-response.json');
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /PRINCIPAL_ID/);
  });

  it('a folder is searched for documents by kind (subfolders too); one with none is bad usage', async () => {
    const sub = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-validate-dir-'));
    try {
      fs.mkdirSync(path.join(sub, 'policies', 'node_modules'), { recursive: true });
      fs.writeFileSync(path.join(sub, 'policies', 'p.iot-policy.json'), JSON.stringify(goodPolicy));
      fs.writeFileSync(path.join(sub, 'policies', 'node_modules', 'x.iot-policy.json'), '{');
      fs.writeFileSync(path.join(sub, 'bad.authorizer-response.json'), '{"isAuthenticated": true, "principalId": "a-b", "policyDocuments": []}');
      fs.writeFileSync(path.join(sub, 'package.json'), '{"name": "not a document"}');
      const r = await run(sub, 'validate', '.');
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, /^2 file\(s\) checked/m);
      assert.match(r.out, /^bad\.authorizer-response\.json:1:\d+: error RESPONSE_PRINCIPAL_ID_INVALID/m);
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-validate-empty-'));
      const e = await run(empty, 'validate', '.');
      fs.rmSync(empty, { recursive: true, force: true });
      assert.equal(e.code, 2);
      assert.match(e.err, /holds no \*\.authorizer-response\.json/);
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });

  it("a fresh clone's examples folder (no keys yet) validates clean: the generated-on-first-use key is a note", async () => {
    const repo = path.resolve(__dirname, '../../../..');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-examples-'));
    try {
      fs.cpSync(path.join(repo, 'examples'), path.join(copy, 'examples'), { recursive: true, filter: (src) => !src.endsWith(`${path.sep}keys`) });
      const r = await run(copy, 'validate', 'examples');
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.err, /^5 file\(s\) checked: 0 error\(s\)/m);
      assert.match(r.out, /walkthrough\.authorizer\.json:\d+:\d+: info AUTHORIZER_KEY_FILE_MISSING .*does not exist yet: the first local run that signs with keys\/walkthrough\.private\.pem generates both/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a key file marked generateOnFirstUse is still an error when its private half exists (a half-deleted pair)', async () => {
    const sub = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-validate-gen-'));
    try {
      fs.mkdirSync(path.join(sub, 'keys'));
      fs.writeFileSync(path.join(sub, 'keys', 'k.private.pem'), 'x');
      const def = { authorizerName: 'A', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', tokenKeyName: 't', tokenSigningPublicKeys: { k: { path: 'keys/k.public.pem', generateOnFirstUse: true } } };
      fs.writeFileSync(path.join(sub, 'a.authorizer.json'), JSON.stringify(def, null, 2));
      const r = await run(sub, 'validate', 'a.authorizer.json');
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /error AUTHORIZER_KEY_FILE_MISSING "keys\/k\.public\.pem" does not exist in the workspace/);
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });
});
