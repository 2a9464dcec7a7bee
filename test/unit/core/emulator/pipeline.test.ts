import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildEvent,
  loadDefinition,
  runConnection,
  runTestFile,
  validateTestText,
} from '../../../../src/core/emulator';
import { AuthzError } from '../../../../src/core/errors';
import { generateKeyPair } from '../../../../src/core/keys';
import { signToken } from '../../../../src/core/tokens';
import { loadPrivateKey } from '../../../../src/core/keys';
import { responseJs, tempWorkspace } from './helpers';

const ARN = 'arn:aws:iot:us-east-1:123456789012';

describe('core/emulator buildEvent', () => {
  const ctx = { authorizerName: 'auth', tokenKeyName: 'tok', region: 'eu-west-1', signatureVerified: true, connectionId: 'id-1' };
  it('HTTPS: tls + http, device credential headers added', () => {
    const e = buildEvent({ protocol: 'https', token: 'T', signature: 'S==', query: { a: '1' } }, ctx);
    assert.deepEqual(e.protocols, ['tls', 'http']);
    assert.deepEqual(e.protocolData.http, {
      headers: { 'x-amz-customauthorizer-name': 'auth', tok: 'T', 'x-amz-customauthorizer-signature': 'S==' },
      queryString: '?a=1',
    });
    assert.equal(e.protocolData.mqtt, undefined);
    assert.equal(e.protocolData.tls?.serverName, 'iot-authz-local-ats.iot.eu-west-1.amazonaws.com');
    assert.equal(e.token, 'T');
    assert.equal(e.connectionMetadata.id, 'id-1');
  });
  it('HTTPS: a token already in the query is not repeated in headers', () => {
    const e = buildEvent({ protocol: 'https', token: 'T', signature: 'S', query: '?tok=T', headers: { h: 'v' } }, ctx);
    assert.deepEqual(e.protocolData.http?.headers, { h: 'v' });
  });
  it('MQTT: base64 password, client id only when given, username built from the token', () => {
    const e = buildEvent({ protocol: 'mqtt', token: 'T', signature: 'a+b=', password: 'pw' }, ctx);
    assert.deepEqual(e.protocols, ['tls', 'mqtt']);
    assert.equal(e.protocolData.http, undefined);
    assert.equal(e.protocolData.mqtt?.password, Buffer.from('pw').toString('base64'));
    assert.equal('clientId' in (e.protocolData.mqtt ?? {}), false);
    assert.equal(e.protocolData.mqtt?.username, '?x-amz-customauthorizer-name=auth&tok=T&x-amz-customauthorizer-signature=a%2Bb%3D');
  });
  it('WebSockets: http and mqtt', () => {
    const e = buildEvent({ protocol: 'wss', clientId: 'c1', username: 'u', serverName: 'x.example' }, { ...ctx, signatureVerified: false });
    assert.deepEqual(e.protocols, ['tls', 'http', 'mqtt']);
    assert.deepEqual(e.protocolData.mqtt, { username: 'u', clientId: 'c1' });
    assert.equal(e.protocolData.tls?.serverName, 'x.example');
    assert.equal(e.signatureVerified, false);
    assert.equal('token' in e, false);
  });
  it('WebSockets: the upgrade request is in protocolData.http (headers, query, device credential headers)', () => {
    const e = buildEvent({ protocol: 'wss', token: 'T', signature: 'S==', clientId: 'c1', headers: { 'sec-websocket-protocol': 'mqtt' }, query: 'x=1' }, ctx);
    assert.deepEqual(e.protocolData.http, {
      headers: { 'sec-websocket-protocol': 'mqtt', 'x-amz-customauthorizer-name': 'auth', tok: 'T', 'x-amz-customauthorizer-signature': 'S==' },
      queryString: '?x=1',
    });
    assert.deepEqual(e.protocolData.mqtt, { clientId: 'c1' });
  });
  it('WebSockets: a token in the MQTT username is not repeated in the upgrade headers', () => {
    const e = buildEvent({ protocol: 'wss', token: 'T', signature: 'S==', username: '?tok=T&x-amz-customauthorizer-signature=S%3D%3D' }, ctx);
    assert.deepEqual(e.protocolData.http, { headers: {} });
  });
});

describe('core/emulator runConnection', function () {
  this.timeout(30_000);
  let ws: ReturnType<typeof tempWorkspace>;
  let privatePem: string;
  let publicPem: string;
  before(async () => {
    const pair = await generateKeyPair({ bits: 2048 });
    privatePem = pair.privateKeyPem;
    publicPem = pair.publicKeyPem;
    ws = tempWorkspace({
      'allow.js': `exports.handler = async (event) => { console.log('event', JSON.stringify(event)); return ${responseJs([
        { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` },
        { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}/*` },
      ])}; };`,
      'noconnect.js': `exports.handler = async () => (${responseJs([{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }])});`,
      'badprincipal.js': `exports.handler = async () => (${responseJs([], { principalId: 'not-alphanumeric!' })});`,
      'marker.js': `require('fs').writeFileSync(__dirname + '/invoked', '1'); exports.handler = async () => ({});`,
      'thing.js': `exports.handler = async () => { console.log('handler ran'); return ${responseJs([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` }])}; };`,
    });
  });
  after(() => ws.cleanup());
  const sign = (token: string) => signToken(loadPrivateKey(privatePem), token);
  const def = (file: string, extra: Record<string, unknown> = {}) =>
    loadDefinition(
      {
        authorizerName: 'a1',
        authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:a1',
        tokenKeyName: 'tok',
        tokenSigningPublicKeys: { other: { pem: publicPem.replace(/A/, 'B') }, main: publicPem },
        handler: { runtime: 'nodejs', file },
        ...extra,
      },
      { workspaceRoot: ws.dir },
    );

  it('runs signature, event, handler, response, connect and decisions', async () => {
    const r = await runConnection({
      definition: def('allow.js'),
      input: { protocol: 'mqtt', token: 'tkn', signature: sign('tkn'), clientId: 'dev1' },
      operations: [{ action: 'iot:Publish', resource: 'dev1/temp' }, 'iot:Publish dev2/temp'],
      allowCodeExecution: true,
    });
    assert.equal(r.outcome, 'accepted', r.summary);
    assert.equal(r.signature.keyName, 'main');
    assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ['signature:passed', 'event:passed', 'handler:passed', 'response:passed', 'connect:passed', 'decisions:passed']);
    assert.equal(r.event?.signatureVerified, true);
    assert.match(r.logText, /^event \{/);
    assert.equal(r.principalId, 'device1');
    assert.deepEqual(r.decisions.map((d) => d.decision), ['allow', 'deny']);
    assert.equal(r.decisions[0].resource, `${ARN}:topic/dev1/temp`);
  });

  describe('an unexpected exception in a step is a failed step (INTERNAL_ERROR), never a pass', () => {
    it('in connect: the step fails, later steps are skipped, the handler log and response are kept', async () => {
      // Registry facts that cannot be read stand in for a bug in the policy evaluation.
      const thing = {
        get thingName(): string {
          throw new TypeError('thing exploded');
        },
      };
      const r = await runConnection({ definition: def('thing.js', { signingDisabled: true }), input: { protocol: 'mqtt', clientId: 'c1' }, operations: ['iot:Publish c1/t'], thing, allowCodeExecution: true });
      assert.equal(r.outcome, 'rejected');
      assert.equal(r.connected, false);
      assert.equal(r.failure?.code, 'INTERNAL_ERROR');
      assert.equal(r.failure?.step, 'connect');
      assert.match(r.failure?.message ?? '', /thing exploded/);
      assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ['signature:skipped', 'event:passed', 'handler:passed', 'response:passed', 'connect:failed', 'decisions:skipped']);
      assert.match(r.logText, /handler ran/);
      assert.equal((r.response as { principalId?: string }).principalId, 'device1');
      assert.deepEqual(r.decisions, []);
    });

    it('in event: the step fails and the handler is not run', async () => {
      fs.rmSync(path.join(ws.dir, 'invoked'), { force: true });
      const input = {
        protocol: 'https' as const,
        get headers(): Record<string, string> {
          throw new TypeError('headers exploded');
        },
      };
      const r = await runConnection({ definition: def('marker.js', { signingDisabled: true }), input, allowCodeExecution: true });
      assert.equal(r.outcome, 'rejected');
      assert.deepEqual(r.failure && { step: r.failure.step, code: r.failure.code }, { step: 'event', code: 'INTERNAL_ERROR' });
      assert.match(r.summary, /headers exploded/);
      assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ['signature:skipped', 'event:failed', 'handler:skipped', 'response:skipped', 'connect:skipped', 'decisions:skipped']);
      assert.equal(fs.existsSync(path.join(ws.dir, 'invoked')), false, 'the handler was not run');
    });
  });

  it('a bad signature stops before the handler', async () => {
    const r = await runConnection({
      definition: def('marker.js'),
      input: { protocol: 'https', token: 'tkn', signature: sign('other') },
      allowCodeExecution: true,
    });
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.failure?.code, 'SIGNATURE_INVALID');
    assert.equal(r.handler, undefined);
    assert.equal(fs.existsSync(path.join(ws.dir, 'invoked')), false, 'the handler was not run');
    assert.deepEqual(r.steps.map((s) => s.status), ['failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('signing disabled: no signature check, signatureVerified false', async () => {
    const r = await runConnection({ definition: def('allow.js', { signingDisabled: true }), input: { protocol: 'https' }, allowCodeExecution: true });
    assert.equal(r.steps[0].status, 'skipped');
    assert.equal(r.event?.signatureVerified, false);
    assert.equal(r.outcome, 'accepted');
  });

  it('MQTT without iot:Connect is rejected at connect', async () => {
    const r = await runConnection({
      definition: def('noconnect.js', { signingDisabled: true }),
      input: { protocol: 'mqtt', clientId: 'c1' },
      allowCodeExecution: true,
    });
    assert.equal(r.authenticated, true);
    assert.equal(r.connected, false);
    assert.equal(r.failure?.code, 'CONNECT_DENIED');
  });

  it('an invalid response fails the connection with the validator findings', async () => {
    const r = await runConnection({ definition: def('badprincipal.js', { signingDisabled: true }), input: { protocol: 'https' }, allowCodeExecution: true });
    assert.equal(r.failure?.code, 'RESPONSE_INVALID');
    assert.ok(r.responseFindings.some((f) => f.severity === 'error'));
  });

  it('refuses without allowCodeExecution', async () => {
    await assert.rejects(
      runConnection({ definition: def('allow.js'), input: { protocol: 'https' }, allowCodeExecution: false }),
      (e: unknown) => e instanceof AuthzError && e.code === 'CODE_EXECUTION_NOT_ALLOWED',
    );
  });
});

describe('core/emulator test cases', function () {
  this.timeout(30_000);
  const ws = tempWorkspace({
    'h.js': `exports.handler = async () => (${responseJs([{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/ok` }])});`,
    'a.authorizer.json': JSON.stringify({
      authorizerName: 'a',
      authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:a',
      tokenKeyName: 'tok',
      tokenSigningPublicKeys: { k: { path: 'keys/k.public.pem' } },
      handler: { runtime: 'nodejs', file: 'h.js' },
    }),
    't.authz-test.json': JSON.stringify({
      authorizer: 'a.authorizer.json',
      defaults: { token: 'x', signature: { signWithKey: 'keys/k.private.pem' } },
      cases: [
        { name: 'passes', expect: { signatureValid: true, authenticated: true, principalId: 'device1', allowed: ['iot:Publish ok'], denied: ['iot:Publish no'] } },
        { name: 'fails', expect: { authenticated: false, principalId: 'other', allowed: ['iot:Publish no'], denied: ['iot:Publish ok'] } },
        { name: 'bad input', expect: { allowed: ['nonsense'] } },
      ],
    }),
  });
  after(() => ws.cleanup());

  it('generates the missing key pair, runs the cases and says which expectation failed', async () => {
    const r = await runTestFile(ws.file('t.authz-test.json'), { allowCodeExecution: true, workspaceRoot: ws.dir });
    assert.deepEqual(r.generatedKeys.map((k) => path.basename(k)), ['k.private.pem', 'k.public.pem']);
    assert.equal((fs.statSync(ws.file('keys/k.private.pem')).mode & 0o777).toString(8), '600');
    assert.deepEqual(r.cases.map((c) => c.passed), [true, false, false]);
    const f = r.cases[1].failures;
    assert.equal(f.length, 4, f.join('\n'));
    assert.match(f[0], /^expected authenticated false, got true/);
    assert.match(f[1], /^expected principalId "other", got "device1"/);
    assert.match(f[2], /^expected iot:Publish no to be allowed, but it is denied: No statement allows/);
    assert.match(f[3], /^expected iot:Publish ok to be denied, but it is allowed/);
    assert.match(r.cases[2].error ?? '', /"nonsense" is not an operation/);
    // A second run reuses the keys.
    const again = await runTestFile(ws.file('t.authz-test.json'), { allowCodeExecution: true, workspaceRoot: ws.dir, only: ['passes'] });
    assert.deepEqual(again.generatedKeys, []);
    assert.equal(again.cases[0].passed, true);
  });

  it('validates test files with codes and ranges', () => {
    const text = `{"authorizer": "a.authorizer.json", "cases": [{"name": "x", "protocol": "ftp", "expect": {"allowed": ["bad"], "failure": "NOPE", "extra": 1}}, {"name": "x"}]}`;
    const f = validateTestText(text);
    const codes = f.map((x) => x.code);
    assert.deepEqual(codes, ['TEST_PROTOCOL_INVALID', 'TEST_OPERATION_INVALID', 'TEST_FAILURE_CODE_UNKNOWN', 'TEST_UNKNOWN_PROPERTY', 'TEST_EXPECT_MISSING', 'TEST_CASE_NAME_DUPLICATE']);
    assert.equal(text.slice(f[0].range.start, f[0].range.end), '"ftp"');
    assert.deepEqual(validateTestText(fs.readFileSync(path.join(__dirname, '../../../../../examples/walkthrough.authz-test.json'), 'utf8')), []);
    assert.equal(validateTestText('{').length > 0, true);
  });
});
