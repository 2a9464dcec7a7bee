import * as assert from 'node:assert/strict';
import * as aws from '../../../../src/core/aws';
import { AuthzError } from '../../../../src/core/errors';
import { AwsTestEndpoint } from '../../../aws-endpoint/server';
import { endpointOnlyEnv, signTok, startEndpoint, tempAwsDir, testKeys, withProcessEnv } from './helpers';

const isCode = (code: string) => (e: unknown) => {
  assert.ok(e instanceof AuthzError, `expected AuthzError, got ${String(e)}`);
  assert.equal(e.code, code, e.display);
  return true;
};

describe('core/aws operations against the local endpoint', function () {
  this.timeout(20000);
  let ep: AwsTestEndpoint;
  let c: aws.AwsClients;

  before(async () => {
    ep = await startEndpoint({ maxPageSize: 3 });
    c = await aws.createAwsClients({ env: ep.env() });
  });
  after(async () => {
    c.destroy();
    await ep.stop();
  });
  beforeEach(() => {
    ep.resetFaults();
    ep.requests.length = 0;
    ep.authorizers.clear();
    ep.functions.clear();
    ep.defaultAuthorizerName = undefined;
    ep.addFunction({
      functionName: 'authz-fn',
      localHandler: (e) => ({
        isAuthenticated: e.token === 'allow',
        principalId: 'device1',
        policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }],
        refreshAfterInSeconds: 300,
        disconnectAfterInSeconds: 3600,
      }),
    });
  });

  it('pages through more authorizers than one page (marker / nextMarker)', async () => {
    for (let i = 0; i < 10; i++) ep.addAuthorizer({ authorizerName: `a${String(i).padStart(2, '0')}`, authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    const list = await aws.listAuthorizers(c);
    assert.equal(list.length, 10);
    assert.deepEqual(list.map((a) => a.authorizerName), [...Array(10).keys()].map((i) => `a${String(i).padStart(2, '0')}`));
    const calls = ep.requests.filter((r) => r.operation === 'ListAuthorizers');
    assert.equal(calls.length, 4);
    assert.equal(calls[0].query.marker, undefined);
    assert.ok(calls.slice(1).every((r) => typeof r.query.marker === 'string'));
    const inactive = await aws.listAuthorizers(c, { status: 'INACTIVE', pageSize: 2 });
    assert.equal(inactive.length, 0);
    assert.equal(ep.requests.at(-1)?.query.status, 'INACTIVE');
    assert.equal(ep.requests.at(-1)?.query.pageSize, '2');
  });

  it('builds the REST requests the SDK sends (paths, methods, bodies)', async () => {
    const [k] = testKeys();
    await aws.createAuthorizer(c, {
      authorizerName: 'my-authz',
      authorizerFunctionArn: ep.functionArn('authz-fn'),
      tokenKeyName: 'token',
      tokenSigningPublicKeys: { k1: k.publicPem },
      status: 'ACTIVE',
      signingDisabled: false,
      tags: [{ Key: 'team', Value: 'iot' }],
    });
    await aws.updateAuthorizer(c, { authorizerName: 'my-authz', status: 'INACTIVE' });
    await aws.setDefaultAuthorizer(c, 'my-authz');
    const def = await aws.describeDefaultAuthorizer(c);
    assert.equal(def?.authorizerName, 'my-authz');
    await aws.describeDataEndpoint(c);
    ep.defaultAuthorizerName = undefined;
    await aws.deleteAuthorizer(c, 'my-authz');
    const seen = ep.requests.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(seen, [
      'POST /authorizer/my-authz',
      'PUT /authorizer/my-authz',
      'POST /default-authorizer',
      'GET /default-authorizer',
      'GET /endpoint',
      'DELETE /authorizer/my-authz',
    ]);
    const create = JSON.parse(ep.requests[0].body);
    assert.equal(create.authorizerName, undefined, 'the name is in the path, not the body');
    assert.deepEqual(create.tags, [{ Key: 'team', Value: 'iot' }]);
    assert.equal(create.tokenKeyName, 'token');
    assert.deepEqual(JSON.parse(ep.requests[1].body), { status: 'INACTIVE' });
    assert.deepEqual(JSON.parse(ep.requests[2].body), { authorizerName: 'my-authz' });
    assert.equal(ep.requests[4].query.endpointType, 'iot:Data-ATS');
    // Every request carried a SigV4 signature for the right service.
    assert.ok(ep.requests.every((r) => /Credential=AKIAIOTAUTHZTEST0001\/\d{8}\/us-east-1\/iot\/aws4_request/.test(String(r.headers.authorization))));
  });

  it('describes an authorizer (dates as Date) and maps a missing one to AWS_NOT_FOUND', async () => {
    ep.addAuthorizer({ authorizerName: 'x', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    const d = await aws.describeAuthorizer(c, 'x');
    assert.equal(d.authorizerArn, ep.authorizerArn('x'));
    assert.ok(d.creationDate instanceof Date);
    assert.equal(d.signingDisabled, true);
    await assert.rejects(aws.describeAuthorizer(c, 'nope'), isCode('AWS_NOT_FOUND'));
    assert.equal(await aws.findAuthorizer(c, 'nope'), undefined);
    assert.equal(await aws.describeDefaultAuthorizer(c), undefined);
  });

  it('test-invokes with a signed token and protocol contexts; the MQTT password travels as base64', async () => {
    const [k] = testKeys();
    ep.addAuthorizer({ authorizerName: 'signed', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: k.publicPem } });
    let seen: unknown;
    ep.functions.get('authz-fn')!.localHandler = (e) => {
      seen = e;
      return { isAuthenticated: true, principalId: 'p1', policyDocuments: ['{"Version":"2012-10-17","Statement":[]}'], refreshAfterInSeconds: 600, disconnectAfterInSeconds: 3600 };
    };
    const input = aws.buildTestInvokeInput({ authorizerName: 'signed', protocol: 'mqtt', token: 'allow', tokenSignature: signTok(k.privateKey, 'allow'), tokenKeyName: 'tok', password: 'secret', dataEndpoint: ep.dataEndpoint });
    const r = await aws.testInvokeAuthorizer(c, input);
    assert.equal(r.isAuthenticated, true);
    assert.deepEqual(r.policyDocuments, ['{"Version":"2012-10-17","Statement":[]}']);
    assert.equal(JSON.parse(ep.requests.at(-1)!.body).mqttContext.password, Buffer.from('secret').toString('base64'));
    const ev = seen as { signatureVerified: boolean; protocols: string[]; protocolData: { mqtt: { password: string }; tls: { serverName: string } } };
    assert.equal(ev.signatureVerified, true);
    assert.deepEqual(ev.protocols, ['tls', 'mqtt']);
    assert.equal(ev.protocolData.tls.serverName, ep.dataEndpoint);
    assert.equal(Buffer.from(ev.protocolData.mqtt.password, 'base64').toString(), 'secret');
    await assert.rejects(aws.testInvokeAuthorizer(c, { ...input, tokenSignature: signTok(testKeys()[1].privateKey, 'allow') }), isCode('AWS_INVALID_REQUEST'));
  });

  it('reads the Lambda configuration and policy; no policy is undefined; a missing function is AWS_NOT_FOUND', async () => {
    const fn = ep.functionArn('authz-fn');
    const f = await aws.getFunction(c, fn);
    assert.equal(f.timeout, 3);
    assert.equal(await aws.getFunctionPolicy(c, fn), undefined);
    await assert.rejects(aws.getFunction(c, ep.functionArn('missing')), isCode('AWS_NOT_FOUND'));
    await assert.rejects(aws.getFunctionPolicy(c, ep.functionArn('missing')), isCode('AWS_NOT_FOUND'));
    const lambdaReq = ep.requests.find((r) => r.operation === 'GetFunctionConfiguration')!;
    assert.match(String(lambdaReq.headers.authorization), /\/lambda\/aws4_request/);
  });

  it('the permission fix adds exactly one statement, which the check then accepts; a second add conflicts', async () => {
    ep.addAuthorizer({ authorizerName: 'p', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    const req = aws.invokePermissionRequest(ep.functionArn('authz-fn'), ep.authorizerArn('p'));
    const before = aws.checkInvokePermission((await aws.getFunctionPolicy(c, req.FunctionName))?.policy, ep.authorizerArn('p'), req.FunctionName);
    assert.equal(before.allowed, false);
    const stmt = JSON.parse(await aws.addInvokePermission(c, req));
    assert.deepEqual(stmt, aws.statementForRequest(req, ep.functionArn('authz-fn')));
    assert.equal(ep.functions.get('authz-fn')!.statements.length, 1);
    const after = aws.checkInvokePermission((await aws.getFunctionPolicy(c, req.FunctionName))!.policy, ep.authorizerArn('p'), req.FunctionName);
    assert.equal(after.allowed, true);
    assert.deepEqual(after.warnings, []);
    await assert.rejects(aws.addInvokePermission(c, req), isCode('AWS_CONFLICT'));
    assert.equal(ep.functions.get('authz-fn')!.statements.length, 1);
    assert.deepEqual(JSON.parse(ep.requests.find((r) => r.operation === 'AddPermission')!.body), {
      StatementId: 'iot-authz-p',
      Action: 'lambda:InvokeFunction',
      Principal: 'iot.amazonaws.com',
      SourceArn: ep.authorizerArn('p'),
      SourceAccount: '123456789012',
    });
  });

  it('access denied names the missing action (IoT and Lambda)', async () => {
    ep.deny('iot:ListAuthorizers').deny('lambda:GetPolicy');
    await assert.rejects(aws.listAuthorizers(c), (e: AuthzError) => e.code === 'AWS_ACCESS_DENIED' && /`iot:ListAuthorizers`/.test(e.display));
    await assert.rejects(aws.getFunctionPolicy(c, ep.functionArn('authz-fn')), (e: AuthzError) => e.code === 'AWS_ACCESS_DENIED' && /`lambda:GetPolicy`/.test(e.display));
  });

  it('throttling: the SDK retries first; N < attempts succeeds, more fails saying it retried', async () => {
    ep.throttle('ListAuthorizers', 2);
    assert.deepEqual(await aws.listAuthorizers(c), []);
    assert.equal(ep.requests.filter((r) => r.operation === 'ListAuthorizers').length, 3);
    ep.throttle('ListAuthorizers', 5);
    await assert.rejects(aws.listAuthorizers(c), (e: AuthzError) => e.code === 'AWS_THROTTLED' && /after 3 attempts/.test(e.message));
    ep.resetFaults();
    ep.throttle('GetFunctionConfiguration', 1);
    const once = await aws.createAwsClients({ env: ep.env(), maxAttempts: 1 });
    await assert.rejects(aws.getFunction(once, ep.functionArn('authz-fn')), (e: AuthzError) => e.code === 'AWS_THROTTLED' && /AWS Lambda throttled GetFunctionConfiguration/.test(e.message));
    once.destroy();
  });

  it('invalid request and conflicts keep the service message', async () => {
    await assert.rejects(aws.createAuthorizer(c, { authorizerName: 'bad', authorizerFunctionArn: 'not-an-arn', signingDisabled: true }), isCode('AWS_INVALID_REQUEST'));
    ep.addAuthorizer({ authorizerName: 'dup', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    await assert.rejects(aws.createAuthorizer(c, { authorizerName: 'dup', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true }), (e: AuthzError) => e.code === 'AWS_CONFLICT' && /deploy again/.test(e.display));
  });

  it('rejects a wrong secret (SigV4 recomputed) and an unknown key id; expired credentials', async () => {
    const bad = await aws.createAwsClients({ env: { ...ep.env(), AWS_SECRET_ACCESS_KEY: 'wrong-secret' } });
    const rejectedBefore = ep.rejected.length;
    await assert.rejects(aws.listAuthorizers(bad), (e: AuthzError) => e.code === 'AWS_BAD_CREDENTIALS' && /InvalidSignatureException/.test(e.message));
    assert.equal(ep.rejected.at(-1)?.type, 'InvalidSignatureException');
    assert.ok(ep.rejected.length > rejectedBefore);
    const unknown = await aws.createAwsClients({ env: { ...ep.env(), AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN' } });
    await assert.rejects(aws.listAuthorizers(unknown), (e: AuthzError) => e.code === 'AWS_BAD_CREDENTIALS' && /UnrecognizedClientException/.test(e.message));
    ep.expireCredentials();
    await assert.rejects(aws.listAuthorizers(c), isCode('AWS_CREDENTIALS_EXPIRED'));
    bad.destroy();
    unknown.destroy();
  });

  it('uses a profile from a temp credentials file; no credentials and an expired SSO session say what to do', async () => {
    const t = tempAwsDir(
      '[profile good]\nregion = us-east-1\n[profile empty]\nregion = us-east-1\n[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
      `[good]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = ${ep.credentials.secretAccessKey}\n`,
    );
    // The SDK's SSO provider reads process.env for the files and the token cache.
    const restore = withProcessEnv(t.env());
    try {
      const env = t.env(endpointOnlyEnv(ep));
      const good = await aws.createAwsClients({ profile: 'good', env });
      assert.deepEqual(await aws.listAuthorizers(good), []);
      const empty = await aws.createAwsClients({ profile: 'empty', env });
      await assert.rejects(aws.listAuthorizers(empty), (e: AuthzError) => e.code === 'AWS_NO_CREDENTIALS' && /aws configure --profile empty/.test(e.display));
      const sso = await aws.createAwsClients({ profile: 'sso', env });
      await assert.rejects(aws.listAuthorizers(sso), (e: AuthzError) => e.code === 'AWS_SSO_EXPIRED' && /`aws sso login --profile sso`/.test(e.display));
      await assert.rejects(aws.createAwsClients({ profile: 'missing', env }), isCode('AWS_PROFILE_NOT_FOUND'));
    } finally {
      restore();
      t.remove();
    }
  });

  it('offline / unreachable endpoint names the endpoint; an aborted signal cancels', async () => {
    const down = await startEndpoint();
    const url = down.url;
    await down.stop();
    const off = await aws.createAwsClients({ env: { ...ep.env(), IOT_AUTHZ_ENDPOINT_IOT: url }, maxAttempts: 1 });
    await assert.rejects(aws.listAuthorizers(off), (e: AuthzError) => e.code === 'AWS_UNREACHABLE' && e.message.includes(url) && /offline or endpoint unreachable/.test(e.message));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(aws.listAuthorizers(c, { signal: ac.signal }), isCode('CANCELLED'));
    const ac2 = new AbortController();
    ep.functions.get('authz-fn')!.localHandler = () => new Promise((r) => setTimeout(() => r({ isAuthenticated: true, principalId: 'x', policyDocuments: [] }), 2000));
    ep.addAuthorizer({ authorizerName: 'slow', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
    setTimeout(() => ac2.abort(), 100);
    await assert.rejects(aws.testInvokeAuthorizer(c, { authorizerName: 'slow', token: 't' }, { signal: ac2.signal }), isCode('CANCELLED'));
    off.destroy();
  });

  it('lists domain configurations with their authorizer settings', async () => {
    ep.addDomainConfiguration({ domainConfigurationName: 'iot:Data-ATS', domainName: ep.dataEndpoint });
    ep.addDomainConfiguration({ domainConfigurationName: 'custom', domainName: 'iot.example.com', defaultAuthorizerName: 'x', allowAuthorizerOverride: false });
    ep.addDomainConfiguration({ domainConfigurationName: 'creds', serviceType: 'CREDENTIAL_PROVIDER' });
    const list = await aws.listDomainAuthorizerConfigs(c);
    assert.deepEqual(
      list.map((d) => [d.domainConfigurationName, d.defaultAuthorizerName, d.allowAuthorizerOverride]),
      [
        ['iot:Data-ATS', undefined, undefined],
        ['custom', 'x', false],
      ],
    );
    ep.domainConfigurations.clear();
  });
});
