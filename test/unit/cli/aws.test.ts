import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { AwsTestEndpoint } from '../../aws-endpoint/server';
import { signTok, startEndpoint, tempAwsDir, TempAwsDir, testKeys } from '../core/aws/helpers';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('cli: iot-authz aws *', function () {
  this.timeout(30000);
  let ep: AwsTestEndpoint;
  let aws: TempAwsDir;
  let env: NodeJS.ProcessEnv;

  async function run(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { ...env, ...extraEnv }, cwd: aws.dir });
    return { code, out, err };
  }

  before(async () => {
    ep = await startEndpoint();
    aws = tempAwsDir(
      '[profile test]\nregion = us-east-1\n[profile nocreds]\nregion = us-east-1\n',
      `[test]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = ${ep.credentials.secretAccessKey}\n[badsecret]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = wrong\nregion = us-east-1\n`,
    );
    // Only the temp files and the endpoint: no env keys, never the real ~/.aws.
    env = aws.env({ AWS_PROFILE: 'test', IOT_AUTHZ_ENDPOINT_IOT: ep.url, IOT_AUTHZ_ENDPOINT_LAMBDA: ep.url });
    const [k1] = testKeys();
    fs.mkdirSync(path.join(aws.dir, 'keys'));
    fs.writeFileSync(path.join(aws.dir, 'keys', 'dev.public.pem'), k1.publicPem);
    fs.writeFileSync(path.join(aws.dir, 'keys', 'dev.private.pem'), k1.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  });
  after(async () => {
    await ep.stop();
    aws.remove();
  });
  beforeEach(() => {
    ep.resetFaults();
    ep.authorizers.clear();
    ep.functions.clear();
    ep.defaultAuthorizerName = undefined;
    ep.addFunction({
      functionName: 'authz-fn',
      timeout: 3,
      localHandler: (e) => ({
        isAuthenticated: e.token === 'allow',
        principalId: 'device1',
        policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }] }],
        refreshAfterInSeconds: 300,
        disconnectAfterInSeconds: 3600,
      }),
    });
  });

  function writeDef(extra: object = {}): string {
    const file = path.join(aws.dir, 'dev.authorizer.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ authorizerName: 'dev-authz', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/dev.public.pem' } }, status: 'ACTIVE', ...extra }, null, 2),
    );
    return 'dev.authorizer.json';
  }

  it('aws profiles lists the temp files\' profiles', async () => {
    const r = await run(['aws', 'profiles']);
    assert.equal(r.code, 0);
    assert.match(r.out, /\*\s+test\s+static\s+us-east-1/);
    assert.match(r.out, /nocreds/);
    assert.match(r.out, /badsecret/);
  });

  it('aws list: table with the default marked, --json, --status', async () => {
    ep.addAuthorizer({ authorizerName: 'a1', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    ep.addAuthorizer({ authorizerName: 'a2', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true, status: 'INACTIVE' });
    ep.defaultAuthorizerName = 'a2';
    const r = await run(['aws', 'list']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\s+a1\s+ACTIVE\s+arn:aws:iot:us-east-1:123456789012:authorizer\/a1$/m);
    assert.match(r.out, /^\*\s+a2\s+/m);
    const j = await run(['aws', 'list', '--json', '--status', 'ACTIVE']);
    const parsed = JSON.parse(j.out);
    assert.deepEqual(parsed.authorizers.map((a: { authorizerName: string }) => a.authorizerName), ['a1']);
    assert.equal(parsed.defaultAuthorizerName, 'a2');
    assert.equal((await run(['aws', 'list', '--status', 'maybe'])).code, 2);
  });

  it('setup problems exit 2 with what to do; AWS refusals exit 1 naming the action', async () => {
    const p = await run(['aws', 'list', '--profile', 'nope']);
    assert.equal(p.code, 2);
    assert.match(p.err, /profile 'nope' is not defined/);
    assert.match(p.err, /test/);
    const n = await run(['aws', 'list', '--profile', 'nocreds']);
    assert.equal(n.code, 2);
    assert.match(n.err, /aws configure --profile nocreds/);
    const s = await run(['aws', 'list', '--profile', 'badsecret']);
    assert.equal(s.code, 2);
    assert.match(s.err, /InvalidSignatureException/);
    ep.deny('iot:ListAuthorizers');
    const d = await run(['aws', 'list']);
    assert.equal(d.code, 1);
    assert.match(d.err, /`iot:ListAuthorizers`/);
    const off = await run(['aws', 'list', '--endpoint', 'http://127.0.0.1:9']);
    assert.equal(off.code, 2);
    assert.match(off.err, /http:\/\/127\.0\.0\.1:9.*offline or endpoint unreachable/);
  });

  it('aws describe: text, --json, --definition, --out; a missing one exits 1', async () => {
    ep.addAuthorizer({ authorizerName: 'd1', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: testKeys()[0].publicPem } });
    const t = await run(['aws', 'describe', 'd1']);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /Key k1: RSA 2048 bits, SHA-256 [0-9A-F:]{95}/);
    assert.equal(JSON.parse((await run(['aws', 'describe', 'd1', '--json'])).out).tokenKeyName, 'tok');
    const def = JSON.parse((await run(['aws', 'describe', 'd1', '--definition'])).out);
    assert.equal(def.authorizerName, 'd1');
    assert.equal(def.region, 'us-east-1');
    const o = await run(['aws', 'describe', 'd1', '--out', 'd1.authorizer.json']);
    assert.equal(o.code, 0);
    assert.ok(fs.existsSync(path.join(aws.dir, 'd1.authorizer.json')));
    assert.equal((await run(['aws', 'describe', 'd1', '--out', 'd1.authorizer.json'])).code, 2);
    const m = await run(['aws', 'describe', 'missing']);
    assert.equal(m.code, 1);
    assert.match(m.err, /Authorizer 'missing' was not found/);
    assert.equal((await run(['aws', 'describe'])).code, 2);
  });

  it('aws deploy: shows the plan; without --yes and no terminal it applies nothing (exit 1); --yes creates, then updates', async () => {
    const file = writeDef({ tags: [{ Key: 'team', Value: 'iot' }] });
    const dry = await run(['aws', 'deploy', file]);
    assert.equal(dry.code, 1);
    assert.match(dry.out, /Create authorizer 'dev-authz'/);
    assert.match(dry.err, /Not applied/);
    assert.equal(ep.authorizers.size, 0);
    const c = await run(['aws', 'deploy', file, '--yes']);
    assert.equal(c.code, 0, c.err);
    assert.match(c.out, /Created arn:aws:iot:us-east-1:123456789012:authorizer\/dev-authz/);
    assert.match(c.err, /aws lambda add-permission --function-name .* --statement-id iot-authz-dev-authz/);
    assert.equal(ep.authorizers.get('dev-authz')?.status, 'ACTIVE');
    writeDef({ status: 'INACTIVE', enableCachingForHttp: true });
    const u = await run(['aws', 'deploy', file, '--yes', '--add-permission']);
    assert.equal(u.code, 0, u.err);
    assert.match(u.out, /~ status: ACTIVE -> INACTIVE/);
    assert.match(u.out, /~ enableCachingForHttp: false -> true/);
    assert.match(u.out, /Added permission iot-authz-dev-authz/);
    assert.equal(ep.functions.get('authz-fn')!.statements.length, 1);
    const same = await run(['aws', 'deploy', file, '--json']);
    assert.equal(same.code, 0);
    const report = JSON.parse(same.out);
    assert.equal(report.action, 'none');
    assert.equal(report.permission.allowed, true);
    writeDef({ signingDisabled: true, tokenKeyName: undefined, tokenSigningPublicKeys: undefined });
    const imm = await run(['aws', 'deploy', file, '--yes']);
    assert.equal(imm.code, 1);
    assert.match(imm.err, /cannot change it after creation/);
    assert.match(imm.err, /Recreate/);
    fs.writeFileSync(path.join(aws.dir, 'bad.authorizer.json'), '{"authorizerName": "x"}');
    assert.equal((await run(['aws', 'deploy', 'bad.authorizer.json', '--yes'])).code, 2);
  });

  it('aws test-invoke: token and signature per protocol; not authenticated exits 1; --case runs test files', async () => {
    const [k1] = testKeys();
    ep.addAuthorizer({ authorizerName: 'ti', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: k1.publicPem } });
    const ok = await run(['aws', 'test-invoke', 'ti', '--token', 'allow', '--signature', signTok(k1.privateKey, 'allow'), '--protocol', 'mqtt']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /isAuthenticated: true/);
    const body = JSON.parse(ep.requests.at(-1)!.body);
    assert.match(body.mqttContext.username, /^\?x-amz-customauthorizer-name=ti&tok=allow&x-amz-customauthorizer-signature=/);
    assert.equal(body.tlsContext.serverName, ep.dataEndpoint);
    const no = await run(['aws', 'test-invoke', 'ti', '--token', 'nope', '--signature', signTok(k1.privateKey, 'nope')]);
    assert.equal(no.code, 1);
    assert.match(no.out, /isAuthenticated: false/);
    const bare = await run(['aws', 'test-invoke', 'ti', '--token', 'allow', '--signature', signTok(k1.privateKey, 'allow'), '--no-contexts']);
    assert.match(bare.err, /no protocolData/);
    assert.equal((await run(['aws', 'test-invoke', 'ti', '--token', 'allow'])).code, 2, 'a signing authorizer needs --signature');
    assert.equal((await run(['aws', 'test-invoke', 'ti'])).code, 2);
    fs.writeFileSync(
      path.join(aws.dir, 'ti.authz-test.json'),
      JSON.stringify({
        defaults: { protocol: 'mqtt', clientId: 'c1', token: 'allow', signature: { signWithKey: 'keys/dev.private.pem' } },
        cases: [
          { name: 'allowed', expect: { authenticated: true, connected: true, principalId: 'device1', allowed: ['iot:Publish a/b'], denied: ['iot:Subscribe a/b'] } },
          { name: 'bad signature', signature: 'bm90IGEgc2lnbmF0dXJl', expect: { signatureValid: false, failure: 'SIGNATURE_INVALID' } },
          { name: 'wrong expectation', token: 'nope', signature: { signWithKey: 'keys/dev.private.pem' }, expect: { authenticated: true } },
        ],
      }),
    );
    const cases = await run(['aws', 'test-invoke', 'ti', '--case', 'ti.authz-test.json']);
    assert.equal(cases.code, 1);
    assert.match(cases.out, /PASS {2}allowed/);
    assert.match(cases.out, /PASS {2}bad signature/);
    assert.match(cases.out, /FAIL {2}wrong expectation\n\s+expected authenticated true, got false/);
    const one = await run(['aws', 'test-invoke', 'ti', '--case', 'ti.authz-test.json', '--case-name', 'allowed', '--json']);
    assert.equal(one.code, 0, one.out + one.err);
    assert.equal(JSON.parse(one.out).passed, 1);
  });

  it('aws doctor: finds the missing permission (exit 1), matches workspace keys, --fix adds one statement', async () => {
    ep.addAuthorizer({ authorizerName: 'doc', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: testKeys()[0].publicPem } });
    ep.defaultAuthorizerName = 'doc';
    const r = await run(['aws', 'doctor', 'doc']);
    assert.equal(r.code, 1);
    assert.match(r.out, /FAIL {2}The function has no resource policy/);
    assert.match(r.out, /ok {4}Key 'k1' matches the workspace key keys[/\\]dev\.p(ublic|rivate)\.pem/);
    const f = await run(['aws', 'doctor', 'doc', '--fix', '--json']);
    assert.equal(f.code, 0, f.out);
    const j = JSON.parse(f.out);
    assert.equal(j.status, 'pass');
    assert.deepEqual(j.fixed, ['lambda.permission: added statement iot-authz-doc']);
    assert.equal(ep.functions.get('authz-fn')!.statements.length, 1);
    const other = await run(['aws', 'doctor', 'doc', '--no-scan', '--key', 'keys/dev.public.pem']);
    assert.equal(other.code, 0, other.out);
  });
  describe('issue 15 item 12: CLI details', () => {
    it('aws doctor --no-scan without --key does not claim a key matches nothing in the workspace', async () => {
      ep.addAuthorizer({ authorizerName: 'ns', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k9: testKeys()[1].publicPem } });
      const r = await run(['aws', 'doctor', 'ns', '--no-scan']);
      assert.doesNotMatch(r.out, /matches no public key/);
      const scanned = await run(['aws', 'doctor', 'ns']);
      assert.match(scanned.out, /WARN {2}Key 'k9' matches no public key in the workspace/, 'with the scan the warning stays');
    });

    it('aws test-invoke --protocol mqtt --username U --password P works without --token when signing is disabled', async () => {
      ep.addAuthorizer({ authorizerName: 'nosign', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
      const r = await run(['aws', 'test-invoke', 'nosign', '--protocol', 'mqtt', '--username', 'U', '--password', 'P']);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /isAuthenticated: false/);
      const body = JSON.parse(ep.requests.at(-1)!.body);
      assert.equal(body.mqttContext.username, 'U');
      assert.equal(body.token, undefined);
      ep.addAuthorizer({ authorizerName: 'signs', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: testKeys()[0].publicPem } });
      const signing = await run(['aws', 'test-invoke', 'signs', '--protocol', 'mqtt', '--username', 'U']);
      assert.equal(signing.code, 2);
      assert.match(signing.err, /--token/);
    });

    it('aws list shows each authorizer\'s status, in the table and in --json', async () => {
      ep.addAuthorizer({ authorizerName: 's1', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true, status: 'ACTIVE' });
      ep.addAuthorizer({ authorizerName: 's2', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true, status: 'INACTIVE' });
      const r = await run(['aws', 'list']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^\s+NAME\s+STATUS\s+ARN$/m);
      assert.match(r.out, /^\s+s1\s+ACTIVE\s+arn:/m);
      assert.match(r.out, /^\s+s2\s+INACTIVE\s+arn:/m);
      const j = JSON.parse((await run(['aws', 'list', '--json'])).out);
      assert.deepEqual(j.authorizers.map((a: { authorizerName: string; status: string }) => [a.authorizerName, a.status]), [['s1', 'ACTIVE'], ['s2', 'INACTIVE']]);
    });

    it('aws deploy --help lists --region once', async () => {
      const r = await run(['aws', 'deploy', '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.out.split('\n').filter((l) => /^\s+--region\b/.test(l)).length, 1, r.out);
      assert.match(r.out, /--region R .*definition/);
    });
  });
});
