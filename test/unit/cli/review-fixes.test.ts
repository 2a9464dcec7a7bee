import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliVersion } from '../../../src/cli/main';
import { cli } from './simulate.test';

const repo = path.resolve(__dirname, '../../../..');
const SIX_MB = 6 * 1024 * 1024;

describe('cli: bad input files and empty runs', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-review-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  const def = path.join(repo, 'examples', 'walkthrough.authorizer.json');

  it('invoke --case with an authorizer response: exit 2, says it is not a test case (was run with no token, exit 1)', async () => {
    write('resp.json', JSON.stringify({ isAuthenticated: true, principalId: 'd1', policyDocuments: [] }));
    const r = await cli(['invoke', '--authorizer', def, '--case', 'resp.json'], dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /resp\.json:1:1: error TEST_SHAPE .*looks like an authorizer response/);
    assert.match(r.err, /is not a valid test case file/);
  });

  it('invoke --case with a folder or a missing file: exit 2 with a clear message, no raw EISDIR / ENOENT', async () => {
    const d = await cli(['invoke', '--authorizer', def, '--case', '.'], dir);
    assert.equal(d.code, 2);
    assert.match(d.err, /is a directory, not a test case file/);
    const m = await cli(['invoke', '--authorizer', def, '--case', 'nope.authz-test.json'], dir);
    assert.equal(m.code, 2);
    assert.match(m.err, /nope\.authz-test\.json does not exist/);
    assert.doesNotMatch(d.err + m.err, /EISDIR|ENOENT/);
  });

  it('invoke --case: a JSON syntax error is reported with line:column, exit 2', async () => {
    write('broken.authz-test.json', '{\n  "cases": [\n');
    const r = await cli(['invoke', '--authorizer', def, '--case', 'broken.authz-test.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.authz-test\.json:\d+:\d+: error TEST_JSON_SYNTAX/);
  });

  it('a 6 MB file is refused unread by simulate and invoke (exit 2)', async () => {
    const big = write('big.json', Buffer.alloc(SIX_MB, 0x20));
    const s = await cli(['simulate', '--policies', big, '--action', 'iot:Publish', '--resource', 't'], dir);
    assert.equal(s.code, 2);
    assert.match(s.err, /The policies file .*big\.json is 6 MB, over the 1 MB limit/);
    const i = await cli(['invoke', '--authorizer', def, '--case', big], dir);
    assert.equal(i.code, 2);
    assert.match(i.err, /The test case file .*big\.json is 6 MB, over the 1 MB limit/);
  });

  it('simulate: invalid policies JSON gives line and column', async () => {
    write('bad-policy.json', '{"Version": "2012-10-17",\n "Statement": [,]}');
    const r = await cli(['simulate', '--policies', 'bad-policy.json', '--action', 'iot:Publish', '--resource', 't'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /bad-policy\.json is not valid JSON: .* at line 2, column 16/);
  });

  it('simulate --action iot:Publsh suggests iot:Publish; a known non-device action says so', async () => {
    write('p.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }));
    const r = await cli(['simulate', '--policies', 'p.json', '--action', 'iot:Publsh', '--resource', 'a/b'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /it is not an AWS IoT action; did you mean iot:Publish\? Use iot:Publish, or give the full resource ARN/);
    const c = await cli(['simulate', '--policies', 'p.json', '--action', 'iot:CreateThing', '--resource', 'x'], dir);
    assert.equal(c.code, 2);
    assert.doesNotMatch(c.err, /did you mean/);
  });

  it('test on a file with "cases": [] exits 1 with a clear message (was PASSED, exit 0)', async () => {
    write('empty.authz-test.json', JSON.stringify({ authorizer: def, cases: [] }));
    const r = await cli(['test', 'empty.authz-test.json'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /no test case ran: empty\.authz-test\.json holds no case/);
    assert.match(r.out, /NO CASES RAN: 0 passed, 0 failed, 0 total/);
    assert.doesNotMatch(r.out, /PASSED/);
  });

  it('test with a glob matching no file, next to a real file: exit 2 naming the glob', async () => {
    write('one/a.authz-test.json', JSON.stringify({ authorizer: def, cases: [] }));
    const r = await cli(['test', 'one/a.authz-test.json', 'none/*.authz-test.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /none\/\*\.authz-test\.json matches no \*\.authz-test\.json file/);
  });

  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    assert.equal(cliVersion(), pkg.version);
    assert.equal((await cli(['--version'], dir)).out, `${pkg.version}\n`);
  });
});
