import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDefinitionFile, normalizeTestFile, runConnection, runTestFile } from '../../../../src/core/emulator';
import { definitionKeyFingerprints, matchingSigningKeys } from '../../../../src/core/emulator/keymatch';
import { addCaseToTestFile, testCaseFromRun } from '../../../../src/core/emulator/testcases/fromResult';
import { locateCases } from '../../../../src/core/emulator/testcases/locate';
import { simulateDecision } from '../../../../src/core/emulator/simulate';
import { observedExpectations } from '../../../../src/core/emulator/testcases/observed';
import { generateKeyPair, loadPrivateKey, writeKeyPair } from '../../../../src/core/keys';
import { signToken } from '../../../../src/core/tokens';
import { responseJs, tempWorkspace } from './helpers';

const ARN = 'arn:aws:iot:us-east-1:123456789012';

describe('core/emulator test cases from runs', function () {
  this.timeout(20_000);
  let ws: ReturnType<typeof tempWorkspace>;
  let privatePem: string;
  let fingerprint: string;

  before(async () => {
    ws = tempWorkspace({
      'lambda/index.js': `exports.handler = async (event) => {
  if (event.token !== 'good') return { isAuthenticated: false, principalId: 'nobody', disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300, policyDocuments: [] };
  return ${responseJs([
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/dev/*` },
  ])};
};`,
      'auth/my.authorizer.json': JSON.stringify({
        authorizerName: 'my',
        authorizerFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:my`,
        tokenKeyName: 'tok',
        tokenSigningPublicKeys: { K1: { path: '../keys/k.public.pem' } },
        handler: { runtime: 'nodejs', file: '../lambda/index.js' },
      }),
    });
    const pair = await generateKeyPair({ bits: 2048 });
    writeKeyPair(ws.file('keys'), 'k', pair);
    privatePem = fs.readFileSync(ws.file('keys/k.private.pem'), 'utf8');
    fingerprint = loadPrivateKey(privatePem).fingerprint.hex;
  });
  after(() => ws.cleanup());

  it('matchingSigningKeys finds the workspace key whose fingerprint the definition lists', () => {
    const def = loadDefinitionFile(ws.file('auth/my.authorizer.json'));
    assert.deepEqual(definitionKeyFingerprints(def), [{ name: 'K1', fingerprint }]);
    const m = matchingSigningKeys(def, [{ fingerprint: 'AA:BB', file: 'x' }, { fingerprint, file: 'k' }, { file: 'no-fp' }]);
    assert.deepEqual(m, [{ fingerprint, file: 'k', keyName: 'K1' }]);
  });

  it('testCaseFromRun + addCaseToTestFile: the saved case reproduces an accepted MQTT run and passes', async () => {
    const input = { protocol: 'mqtt' as const, token: 'good', signature: signToken(loadPrivateKey(privatePem), 'good'), clientId: 'dev-1' };
    const operations = ['iot:Publish dev/telemetry', 'iot:Publish admin/x'];
    const result = await runConnection({ definition: ws.file('auth/my.authorizer.json'), input, operations, allowCodeExecution: true });
    assert.equal(result.outcome, 'accepted');
    const tc = testCaseFromRun({ result, input, operations, authorizer: 'auth/my.authorizer.json', signWithKey: 'keys/k.private.pem' });
    assert.deepEqual(tc, {
      name: 'mqtt accepted as device1',
      authorizer: 'auth/my.authorizer.json',
      protocol: 'mqtt',
      token: 'good',
      signature: { signWithKey: 'keys/k.private.pem' },
      clientId: 'dev-1',
      expect: {
        signatureValid: true,
        authenticated: true,
        principalId: 'device1',
        connected: true,
        allowed: ['iot:Publish dev/telemetry'],
        denied: ['iot:Publish admin/x'],
      },
    });
    const added = addCaseToTestFile(undefined, tc);
    assert.equal(added.index, 0);
    const file = ws.file('saved.authz-test.json');
    fs.writeFileSync(file, added.text);
    const parsed = JSON.parse(added.text);
    assert.equal(parsed.authorizer, 'auth/my.authorizer.json');
    assert.equal(parsed.cases[0].authorizer, undefined, 'the file names the authorizer once');
    const run = await runTestFile(file, { allowCodeExecution: true, workspaceRoot: ws.dir });
    assert.equal(run.error, undefined);
    assert.deepEqual(run.cases.map((c) => [c.passed, c.failures, c.error]), [[true, [], undefined]]);
  });

  it('a rejected run becomes a case expecting the failure, with the operations denied', async () => {
    const input = { protocol: 'https' as const, token: 'bad', signature: signToken(loadPrivateKey(privatePem), 'bad') };
    const operations = ['iot:Publish dev/telemetry'];
    const result = await runConnection({ definition: ws.file('auth/my.authorizer.json'), input, operations, allowCodeExecution: true });
    const tc = testCaseFromRun({ result, input, operations, authorizer: 'auth/my.authorizer.json' });
    assert.equal(tc.signature, input.signature, 'without a key the signature is kept as sent');
    assert.deepEqual(tc.expect, { signatureValid: true, authenticated: false, principalId: 'nobody', connected: false, failure: 'NOT_AUTHENTICATED', denied: operations });
    const file = ws.file('saved.authz-test.json');
    const added = addCaseToTestFile(fs.readFileSync(file, 'utf8'), tc);
    assert.equal(added.index, 1);
    fs.writeFileSync(file, added.text);
    const run = await runTestFile(file, { allowCodeExecution: true, workspaceRoot: ws.dir });
    assert.deepEqual(run.cases.map((c) => c.passed), [true, true], JSON.stringify(run.cases.map((c) => c.failures)));
  });

  it('addCaseToTestFile keeps formatting, makes names unique, handles arrays and one-case files', () => {
    const text = '{\n  "authorizer": "a.authorizer.json",\n  "cases": [\n    { "name": "x", "expect": {} }\n  ]\n}\n';
    const r = addCaseToTestFile(text, { name: 'x', authorizer: 'a.authorizer.json', expect: { authenticated: true } });
    assert.ok(r.text.startsWith('{\n  "authorizer": "a.authorizer.json",\n  "cases": [\n'), r.text);
    assert.equal(r.name, 'x (2)');
    const doc = JSON.parse(r.text);
    assert.deepEqual(doc.cases[1], { name: 'x (2)', expect: { authenticated: true } });

    const other = addCaseToTestFile(text, { name: 'y', authorizer: 'b.authorizer.json' });
    assert.equal(JSON.parse(other.text).cases[1].authorizer, 'b.authorizer.json', 'a different authorizer stays on the case');

    const arr = addCaseToTestFile('[{"name": "a", "authorizer": "a.json"}]', { name: 'a', authorizer: 'a.json' });
    assert.deepEqual(JSON.parse(arr.text).map((c: { name: string }) => c.name), ['a', 'a (2)']);

    const single = addCaseToTestFile('{"$schema": "s", "name": "one", "authorizer": "a.json"}', { name: 'two', authorizer: 'a.json' });
    assert.deepEqual(JSON.parse(single.text), { $schema: 's', cases: [{ name: 'one', authorizer: 'a.json' }, { name: 'two', authorizer: 'a.json' }] });
    assert.throws(() => addCaseToTestFile('{ bad', { name: 'z' }), /not valid JSON/);
  });

  it('locateCases gives each case its object range and a stable key, for all three shapes', () => {
    const text = '{\n  "authorizer": "a.json",\n  "defaults": {"protocol": "mqtt"},\n  "cases": [\n    {"name": "one"},\n    {"name": "dup"},\n    {"name": "dup"},\n    {}\n  ]\n}';
    const r = locateCases(text);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.cases.map((c) => [c.key, c.case.name, c.case.protocol, c.case.authorizer]), [
      ['one', 'one', 'mqtt', 'a.json'],
      ['#1', 'dup', 'mqtt', 'a.json'],
      ['#2', 'dup', 'mqtt', 'a.json'],
      ['case 4', 'case 4', 'mqtt', 'a.json'],
    ]);
    assert.equal(text.slice(r.cases[0].start, r.cases[0].end), '{"name": "one"}');
    assert.equal(text.slice(r.cases[3].start, r.cases[3].end), '{}');
    assert.equal(text.slice(r.cases[0].nameRange!.start, r.cases[0].nameRange!.end), '"one"');
    assert.deepEqual(normalizeTestFile(JSON.parse(text)).map((c) => c.name), r.cases.map((c) => c.case.name), 'same names as the runner');

    const arr = locateCases('[{"name": "a"}, {"name": "b"}]');
    assert.deepEqual(arr.cases.map((c) => [c.key, c.start]), [['a', 1], ['b', 16]]);
    const one = locateCases('{"name": "solo", "expect": {}}');
    assert.deepEqual(one.cases.map((c) => [c.key, c.start, c.end]), [['solo', 0, 30]]);
    assert.match(locateCases('{"cases": [').error ?? '', /JSON syntax/);
    assert.match(locateCases('42').error ?? '', /test file is an object/);
  });

  it('observedExpectations mirrors the expect object with what happened', async () => {
    const input = { protocol: 'mqtt' as const, token: 'good', signature: signToken(loadPrivateKey(privatePem), 'good'), clientId: 'dev-1' };
    const c = normalizeTestFile({
      authorizer: 'x',
      cases: [{ protocol: 'mqtt', expect: { principalId: 'someone', authenticated: true, allowed: ['iot:Publish dev/a', 'iot:Publish other/b'], denied: ['iot:Publish dev/c'] } }],
    })[0];
    const result = await runConnection({ definition: ws.file('auth/my.authorizer.json'), input, operations: [...c.expect!.allowed!, ...c.expect!.denied!], allowCodeExecution: true });
    assert.deepEqual(observedExpectations(c, result), { principalId: 'device1', authenticated: true, allowed: ['iot:Publish dev/a'], denied: [] });
    assert.deepEqual(Object.keys(observedExpectations(c, result)), Object.keys(c.expect!), 'same key order as expect');
    assert.ok(path.isAbsolute(ws.dir));
  });
});

describe('core/emulator simulateDecision', () => {
  const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:eu-west-1:111122223333:client/\${iot:ClientId}" },
    { "Sid": "Pub", "Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:eu-west-1:111122223333:topic/dev/*" },
    { "Sid": "NoAdmin", "Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:eu-west-1:111122223333:topic/dev/admin" }
  ]
}`;
  it('a policy: bare topic completed with the document ARN parts, deciding statement located', () => {
    const r = simulateDecision({ text: policy, action: 'iot:Publish', resource: 'dev/telemetry' });
    assert.equal(r.kind, 'policy');
    assert.equal(r.decision, 'allow');
    assert.equal(r.resource, 'arn:aws:iot:eu-west-1:111122223333:topic/dev/telemetry');
    assert.match(policy.slice(r.decidingRange!.start, r.decidingRange!.end), /^\{ "Sid": "Pub"/);
    const d = simulateDecision({ text: policy, action: 'publish', resource: 'dev/admin' });
    assert.equal(d.decision, 'deny');
    assert.match(policy.slice(d.decidingRange!.start, d.decidingRange!.end), /"NoAdmin"/);
    const none = simulateDecision({ text: policy, action: 'iot:Subscribe', resource: 'dev/#' });
    assert.equal(none.decision, 'deny');
    assert.equal(none.decidingRange, undefined);
    const c = simulateDecision({ text: policy, action: 'iot:Connect', resource: 'thing-1', clientId: 'thing-1' });
    assert.equal(c.decision, 'allow');
  });
  it('a response: policy documents as objects and JSON strings', () => {
    const text = JSON.stringify({ isAuthenticated: true, principalId: 'p', policyDocuments: [JSON.stringify(JSON.parse(policy)), JSON.parse(policy)] }, null, 2);
    const r = simulateDecision({ text, action: 'iot:Publish', resource: 'dev/admin' });
    assert.equal(r.kind, 'response');
    assert.equal(r.decision, 'deny');
    assert.equal(r.decidedBy?.document, 0);
    assert.ok(text.slice(r.decidingRange!.start, r.decidingRange!.end).startsWith('"{'), 'a string document: the string is the range');
    assert.throws(() => simulateDecision({ text: '{"a": 1}', action: 'iot:Publish', resource: 'x' }), /neither an IoT policy/);
  });
});
