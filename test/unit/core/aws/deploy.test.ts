import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aws from '../../../../src/core/aws';
import { AuthzError } from '../../../../src/core/errors';
import { AwsTestEndpoint } from '../../../aws-endpoint/server';
import { startEndpoint, testKeys } from './helpers';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:authz-fn';

describe('core/aws deploy planning', function () {
  this.timeout(20000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-deploy-'));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys', 'k1.pem'), testKeys()[0].publicPem);
    fs.writeFileSync(path.join(dir, 'keys', 'k2.pem'), testKeys()[1].publicPem);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const defText = (extra: object = {}) =>
    JSON.stringify({ authorizerName: 'my-authz', authorizerFunctionArn: FN, tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: 'keys/k1.pem' }, ...extra });

  it('loads a definition: key as path, {path}, {pem}, inline PEM; comments allowed', () => {
    const [k1, k2] = testKeys();
    const d = aws.loadDefinition(`// c\n${defText({ tokenSigningPublicKeys: { a: 'keys/k1.pem', b: { path: 'keys/k2.pem' }, c: { pem: k1.publicPem }, d: k2.publicPem } })}`, { baseDirs: [dir] });
    assert.deepEqual(d.tokenSigningPublicKeys, { a: k1.publicPem, b: k2.publicPem, c: k1.publicPem, d: k2.publicPem });
    assert.throws(() => aws.loadDefinition(defText({ tokenSigningPublicKeys: { a: 'keys/none.pem' } }), { baseDirs: [dir] }), (e: AuthzError) => e.code === 'DEFINITION_KEY_MISSING');
    assert.throws(() => aws.loadDefinition('{"authorizerName":"x"}'), (e: AuthzError) => e.code === 'DEFINITION_INVALID' && /authorizerFunctionArn/.test(e.message));
    assert.throws(() => aws.loadDefinition(defText({ tokenKeyName: undefined }), { baseDirs: [dir] }), (e: AuthzError) => /tokenKeyName/.test(e.message));
    assert.equal(aws.loadDefinition(JSON.stringify({ authorizerName: 'n', authorizerFunctionArn: FN, signingDisabled: true })).signingDisabled, true);
  });

  it('plans a create with every field; tags go with it', () => {
    const d = aws.loadDefinition(defText({ tags: [{ Key: 'team', Value: 'iot' }] }), { baseDirs: [dir] });
    const p = aws.planDeploy(d, undefined);
    assert.equal(p.action, 'create');
    assert.deepEqual(p.create, { authorizerName: 'my-authz', authorizerFunctionArn: FN, status: 'ACTIVE', signingDisabled: false, tokenKeyName: 'tok', tokenSigningPublicKeys: d.tokenSigningPublicKeys, tags: [{ Key: 'team', Value: 'iot' }] });
    const text = aws.formatPlan(p);
    assert.match(text, /^Create authorizer 'my-authz':/);
    assert.match(text, /\+ tokenSigningPublicKeys\.k1: RSA 2048 bits, SHA-256 /);
    assert.match(text, /\+ tags\.team: iot/);
  });

  it('plans an update field by field, leaves omitted fields, notes tags; nothing to do when equal', () => {
    const d = aws.loadDefinition(defText(), { baseDirs: [dir] });
    const current: aws.AuthorizerDescription = {
      authorizerName: 'my-authz',
      authorizerArn: 'arn:aws:iot:us-east-1:123456789012:authorizer/my-authz',
      authorizerFunctionArn: FN,
      tokenKeyName: 'tok',
      // Same key with different line wrapping: compared by fingerprint.
      tokenSigningPublicKeys: { k1: testKeys()[0].publicPem.replace(/\n/g, '\r\n') },
      status: 'ACTIVE',
      signingDisabled: false,
      enableCachingForHttp: false,
    };
    assert.equal(aws.planDeploy(d, current).action, 'none');
    const d2 = aws.loadDefinition(defText({ tokenKeyName: 'tok2', status: 'INACTIVE', enableCachingForHttp: true, tokenSigningPublicKeys: { k2: 'keys/k2.pem' }, tags: [{ Key: 'a', Value: 'b' }] }), { baseDirs: [dir] });
    const p = aws.planDeploy(d2, current);
    assert.equal(p.action, 'update');
    assert.deepEqual(p.update, { authorizerName: 'my-authz', status: 'INACTIVE', tokenKeyName: 'tok2', tokenSigningPublicKeys: d2.tokenSigningPublicKeys, enableCachingForHttp: true });
    assert.deepEqual(p.changes.map((c) => c.field), ['status', 'tokenKeyName', 'tokenSigningPublicKeys.k2', 'tokenSigningPublicKeys.k1', 'enableCachingForHttp']);
    const text = aws.formatPlan(p);
    assert.match(text, /~ status: ACTIVE -> INACTIVE/);
    assert.match(text, /- tokenSigningPublicKeys\.k1: RSA 2048/);
    assert.match(text, /note: Tags are only applied when the authorizer is created/);
    assert.match(text, /note: Removing a key rejects/);
  });

  it('refuses to change signingDisabled and says to recreate', () => {
    const d = aws.loadDefinition(JSON.stringify({ authorizerName: 'my-authz', authorizerFunctionArn: FN, signingDisabled: true }));
    assert.throws(
      () => aws.planDeploy(d, { authorizerName: 'my-authz', authorizerArn: 'arn:aws:iot:us-east-1:123456789012:authorizer/my-authz', signingDisabled: false }),
      (e: AuthzError) => e.code === 'SIGNING_DISABLED_IMMUTABLE' && /Recreate/.test(e.display),
    );
  });

  it('"download as definition file" round-trips to no change', () => {
    const desc: aws.AuthorizerDescription = {
      authorizerName: 'my-authz',
      authorizerArn: 'arn:aws:iot:us-east-1:123456789012:authorizer/my-authz',
      authorizerFunctionArn: FN,
      tokenKeyName: 'tok',
      tokenSigningPublicKeys: { k1: testKeys()[0].publicPem },
      status: 'ACTIVE',
      signingDisabled: false,
      enableCachingForHttp: true,
    };
    const json = aws.definitionFromDescription(desc);
    assert.equal(json.region, 'us-east-1');
    assert.equal(json.account, '123456789012');
    assert.equal(aws.planDeploy(aws.loadDefinition(JSON.stringify(json)), desc).action, 'none');
  });

  describe('against the local endpoint', () => {
    let ep: AwsTestEndpoint;
    let c: aws.AwsClients;
    before(async () => {
      ep = await startEndpoint();
      c = await aws.createAwsClients({ env: ep.env() });
    });
    after(async () => {
      c.destroy();
      await ep.stop();
    });

    it('create, then update, then nothing to do', async () => {
      const d = aws.loadDefinition(defText({ tags: [{ Key: 'team', Value: 'iot' }] }), { baseDirs: [dir] });
      const p1 = aws.planDeploy(d, await aws.findAuthorizer(c, 'my-authz'));
      assert.equal(p1.action, 'create');
      const created = await aws.applyDeploy(c, p1);
      assert.equal(created?.authorizerArn, ep.authorizerArn('my-authz'));
      assert.deepEqual(ep.authorizers.get('my-authz')?.tags, [{ Key: 'team', Value: 'iot' }]);
      const d2 = aws.loadDefinition(defText({ tokenSigningPublicKeys: { k1: 'keys/k1.pem', k2: 'keys/k2.pem' } }), { baseDirs: [dir] });
      const p2 = aws.planDeploy(d2, await aws.findAuthorizer(c, 'my-authz'));
      assert.equal(p2.action, 'update');
      assert.deepEqual(p2.changes.map((x) => x.field), ['tokenSigningPublicKeys.k2']);
      await aws.applyDeploy(c, p2);
      assert.deepEqual(Object.keys(ep.authorizers.get('my-authz')!.tokenSigningPublicKeys!), ['k1', 'k2']);
      assert.equal(aws.planDeploy(d2, await aws.findAuthorizer(c, 'my-authz')).action, 'none');
      assert.equal(await aws.applyDeploy(c, aws.planDeploy(d2, await aws.findAuthorizer(c, 'my-authz'))), undefined);
      assert.deepEqual(
        ep.requests.filter((r) => r.method !== 'GET').map((r) => r.operation),
        ['CreateAuthorizer', 'UpdateAuthorizer'],
      );
    });

    it('the Doctor end to end: finds the missing permission, the fix adds one statement, then it passes', async () => {
      ep.addFunction({ functionName: 'authz-fn', timeout: 3 });
      ep.defaultAuthorizerName = 'my-authz';
      const keys = [{ label: 'keys/k1.pem', fingerprint: aws.publicKeyInfo(testKeys()[0].publicPem).fingerprint! }, { label: 'keys/k2.pem', fingerprint: aws.publicKeyInfo(testKeys()[1].publicPem).fingerprint! }];
      const r1 = await aws.diagnoseAuthorizer(c, 'my-authz', { workspaceKeys: keys });
      const perm = r1.checks.find((x) => x.id === 'lambda.permission')!;
      assert.equal(perm.status, 'fail');
      assert.equal(perm.fix?.kind, 'add-permission');
      if (perm.fix?.kind === 'add-permission') await aws.addInvokePermission(c, perm.fix.request);
      assert.equal(ep.functions.get('authz-fn')!.statements.length, 1);
      const r2 = await aws.diagnoseAuthorizer(c, 'my-authz', { workspaceKeys: keys });
      assert.equal(aws.overallStatus(r2.checks), 'pass', JSON.stringify(r2.checks, null, 1));
      ep.deny('lambda:GetFunctionConfiguration');
      const r3 = await aws.diagnoseAuthorizer(c, 'my-authz');
      assert.equal(r3.checks.find((x) => x.id === 'lambda.exists')?.status, 'warn');
      ep.resetFaults();
    });
  });
});
