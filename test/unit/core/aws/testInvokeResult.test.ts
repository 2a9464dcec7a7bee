import * as assert from 'node:assert/strict';
import { testInvokeToConnectionResult, TestInvokeResult } from '../../../../src/core/aws';
import { AuthzError } from '../../../../src/core/errors';

const ARN = 'arn:aws:iot:eu-west-1:111122223333:authorizer/my-authz';
const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowed: TestInvokeResult = {
  isAuthenticated: true,
  principalId: 'device1',
  policyDocuments: [
    policy([
      { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:111122223333:client/${iot:ClientId}' },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-west-1:111122223333:topic/devices/d1/*' },
    ]),
  ],
  refreshAfterInSeconds: 300,
  disconnectAfterInSeconds: 3600,
};

describe('core/aws testInvokeToConnectionResult', () => {
  it('evaluates the returned policies for each operation with the authorizer ARN\'s region and account', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'my-authz', authorizerArn: ARN, protocol: 'mqtt', clientId: 'c1', result: allowed, operations: ['iot:Publish devices/d1/t', { action: 'iot:Publish', resource: 'other/t' }] });
    assert.equal(r.outcome, 'accepted');
    assert.equal(r.authenticated, true);
    assert.equal(r.connected, true);
    assert.equal(r.principalId, 'device1');
    assert.equal(r.connect?.decision, 'allow');
    assert.equal(r.connect?.resource, 'arn:aws:iot:eu-west-1:111122223333:client/c1');
    assert.deepEqual(r.decisions.map((d) => [d.resource, d.decision]), [
      ['arn:aws:iot:eu-west-1:111122223333:topic/devices/d1/t', 'allow'],
      ['arn:aws:iot:eu-west-1:111122223333:topic/other/t', 'deny'],
    ]);
    assert.equal(r.refreshAfterInSeconds, 300);
    assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ['signature:passed', 'event:skipped', 'handler:passed', 'response:passed', 'connect:passed', 'decisions:passed']);
    assert.match(r.summary, /Accepted by AWS: authenticated as device1; 1\/2 operation\(s\) allowed/);
    assert.deepEqual(r.responseFindings.filter((f) => f.severity === 'error'), []);
    assert.ok(r.responseText?.includes('"policyDocuments"'));
  });

  it('MQTT: a client id the policies do not allow to connect is rejected at connect', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'mqtt', clientId: 'c1', result: { ...allowed, policyDocuments: [policy([{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }])] } });
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.authenticated, true);
    assert.equal(r.failure?.code, 'CONNECT_DENIED');
  });

  it('HTTPS has no CONNECT; no operations: decisions skipped', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', result: allowed });
    assert.equal(r.outcome, 'accepted');
    assert.equal(r.connect, undefined);
    assert.equal(r.steps.find((s) => s.name === 'decisions')?.status, 'skipped');
  });

  it('isAuthenticated false is a rejection at the response step', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', result: { isAuthenticated: false, principalId: 'x', policyDocuments: [] }, operations: ['iot:Publish t'] });
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.failure?.code, 'NOT_AUTHENTICATED');
    assert.deepEqual(r.decisions, []);
  });

  it('runs the response validator: a refreshAfterInSeconds out of range is an invalid response', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', result: { ...allowed, refreshAfterInSeconds: 10 } });
    assert.equal(r.failure?.code, 'RESPONSE_INVALID');
    assert.ok(r.responseFindings.some((f) => f.code === 'RESPONSE_TIME_OUT_OF_RANGE'));
  });

  it('signing disabled: the signature step is skipped; a missing ARN falls back to the given region and account', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', region: 'us-east-2', account: '444455556666', protocol: 'https', signingDisabled: true, result: allowed, operations: ['iot:Publish x'] });
    assert.equal(r.signature.checked, false);
    assert.equal(r.steps[0].status, 'skipped');
    assert.equal(r.decisions[0].resource, 'arn:aws:iot:us-east-2:444455556666:topic/x');
  });

  it('a bad operation throws OPERATION_INVALID', () => {
    assert.throws(() => testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', result: allowed, operations: ['nonsense'] }), /OPERATION_INVALID|not an operation/);
  });
  it('a refused signature is a rejection at the signature step (as the CLI scores it), the Lambda not reached', () => {
    const error = new AuthzError('AWS_INVALID_REQUEST', "IoT rejected TestInvokeAuthorizer: InvalidRequestException: The token signature could not be verified with the authorizer's public keys.");
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', error, operations: ['iot:Publish t'], elapsedMs: 12 });
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.failure?.code, 'SIGNATURE_INVALID');
    assert.equal(r.failure?.step, 'signature');
    assert.equal(r.signature.valid, false);
    assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ['signature:failed', 'event:skipped', 'handler:skipped', 'response:skipped', 'connect:skipped', 'decisions:skipped']);
    assert.match(r.summary, /^Rejected at signature: AWS IoT rejected the token signature/);
    assert.equal(r.totalMs, 12);
  });

  it('another refusal (the Lambda failed) is INVOKE_FAILED at the handler step', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'mqtt', clientId: 'c', error: new AuthzError('AWS_INVALID_REQUEST', 'IoT rejected TestInvokeAuthorizer: InvalidResponseException: The Lambda function failed.') });
    assert.equal(r.failure?.code, 'INVOKE_FAILED');
    assert.equal(r.steps.find((s) => s.name === 'handler')?.status, 'failed');
  });

  it('steps carry no made-up per-step duration (only the whole call is timed)', () => {
    const r = testInvokeToConnectionResult({ authorizerName: 'a', authorizerArn: ARN, protocol: 'https', result: allowed, elapsedMs: 825 });
    assert.deepEqual(r.steps.filter((s) => s.durationMs !== undefined).map((s) => s.name), []);
    assert.equal(r.totalMs, 825);
  });
});
