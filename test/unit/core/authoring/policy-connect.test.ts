import * as assert from 'node:assert/strict';
import { validateText } from '../../../../src/core/authoring';
import { applyFix, arn, assertNone, CONNECT, only, policy, response, slice, text } from './helpers';

const publish = { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/a', 'eu-west-1', '111122223333') };

describe('authoring: iot:Connect hint', () => {
  it('POLICY_NO_CONNECT on a policy; the fix adds a statement using the document region/account', () => {
    const t = text(policy(publish));
    const [f] = only(t, 'policy', 'POLICY_NO_CONNECT', 1);
    assert.equal(f.severity, 'info');
    assert.equal(slice(t, f), '"Statement"');
    const fixed = JSON.parse(applyFix(t, f));
    assert.deepEqual(fixed.Statement[1], { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:111122223333:client/${iot:ClientId}' });
    assertNone(applyFix(t, f), 'policy', 'POLICY_NO_CONNECT');
  });

  it('is not reported when Connect is allowed directly, by a wildcard or by NotAction', () => {
    assertNone(text(policy(CONNECT)), 'policy', 'POLICY_NO_CONNECT');
    assertNone(text(policy({ Effect: 'Allow', Action: 'iot:Conn*', Resource: '*' })), 'policy', 'POLICY_NO_CONNECT');
    assertNone(text(policy({ Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' })), 'policy', 'POLICY_NO_CONNECT');
  });

  it('a Deny on Connect does not count as allowing it', () => {
    only(text(policy({ ...CONNECT, Effect: 'Deny' })), 'policy', 'POLICY_NO_CONNECT', 1);
  });

  it('in a response, across documents: anchored on policyDocuments; fix into a string document stays valid', () => {
    const t = text(response([JSON.stringify(policy(publish))]));
    const [f] = only(t, 'response', 'POLICY_NO_CONNECT', 1);
    assert.equal(slice(t, f), '"policyDocuments"');
    const fixed = applyFix(t, f);
    const inner = JSON.parse(JSON.parse(fixed).policyDocuments[0]);
    assert.equal(inner.Statement[1].Action, 'iot:Connect');
    assertNone(fixed, 'response', 'POLICY_NO_CONNECT');
    assertNone(text(response([policy(publish), policy(CONNECT)])), 'response', 'POLICY_NO_CONNECT');
  });

  it('the fix into an empty multi-line Statement array is valid', () => {
    const t = '{\n  "Version": "2012-10-17",\n  "Statement": [\n  ]\n}';
    // An empty Statement gets POLICY_STATEMENT_EMPTY, not the connect hint.
    assertNone(t, 'policy', 'POLICY_NO_CONNECT');
    assert.ok(validateText(t, 'policy').some((f) => f.code === 'POLICY_STATEMENT_EMPTY'));
  });

  it('not reported for an unauthenticated response', () => {
    assertNone(text({ isAuthenticated: false, policyDocuments: [policy(publish)] }), 'response', 'POLICY_NO_CONNECT');
  });
});
