import * as assert from 'node:assert/strict';
import { decide, parseOperation } from '../../../../src/core/emulator/operations';
import { shortReason, shortResource } from '../../../../src/core/emulator/display';
import { PolicyDocument } from '../../../../src/core/policy';

// The results panel's short texts, from the evaluator's real reasons.
describe('core/emulator display: short resources and reasons for the decisions table', () => {
  const A = 'arn:aws:iot:us-east-1:123456789012';
  const policies: PolicyDocument[] = [
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/devices/*` },
        { Sid: 'NoAdmin', Effect: 'Deny', Action: 'iot:Publish', Resource: `${A}:topic/devices/admin` },
        { Effect: 'Allow', Action: 'iot:Receive', NotResource: `${A}:topic/secret/*` },
        { Effect: 'Deny', Action: 'iot:Subscribe', NotResource: `${A}:topicfilter/ok/*` },
      ],
    } as PolicyDocument,
  ];
  const decision = (action: string, resource: string, docs: PolicyDocument[] = policies) => decide(parseOperation({ action, resource }, 'us-east-1', '123456789012'), docs, {});
  const both = (action: string, resource: string, docs?: PolicyDocument[]) => {
    const d = decision(action, resource, docs);
    return [shortResource(d), shortReason(d)];
  };

  it('allowed by a Resource or outside a NotResource, the account and region prefix dropped', () => {
    assert.deepEqual(both('iot:Publish', 'devices/d1'), ['topic/devices/d1', 'Allowed: matches Resource topic/devices/*.']);
    assert.deepEqual(both('iot:Receive', 'open/x'), ['topic/open/x', 'Allowed: outside NotResource topic/secret/*.']);
  });

  it('an explicit Deny, with a Sid or by a NotResource, says it overrides any Allow', () => {
    assert.deepEqual(both('iot:Publish', 'devices/admin'), ['topic/devices/admin', 'Explicit Deny: matches Resource topic/devices/admin; it overrides any Allow.']);
    assert.deepEqual(both('iot:Subscribe', 'bad/x'), ['topicfilter/bad/x', 'Explicit Deny: outside NotResource topicfilter/ok/*; it overrides any Allow.']);
  });

  it('no statement allows it, with and without policy documents', () => {
    assert.deepEqual(both('iot:Connect', 'd1'), ['client/d1', 'No statement allows it.']);
    assert.deepEqual(both('iot:Publish', 'devices/d1', []), ['topic/devices/d1', 'No statement allows it (no policy documents).']);
  });

  it('an operation written as an ARN keeps its whole resource; topics with regular-expression characters still match', () => {
    assert.deepEqual(both('iot:Publish', `${A}:topic/devices/d1`), [`${A}:topic/devices/d1`, 'Allowed: matches Resource topic/devices/*.']);
    assert.deepEqual(both('iot:Publish', 'devices/a+b(c)[1]$'), ['topic/devices/a+b(c)[1]$', 'Allowed: matches Resource topic/devices/*.']);
  });

  it('reasons without the matching element, and of another form (only the prefix is dropped)', () => {
    const resource = `${A}:topic/x`;
    const base = { action: 'iot:Publish', input: 'x', resource };
    assert.equal(shortReason({ ...base, reason: `iot:Publish on ${resource} is allowed by statement #1 of policy document #2.` }), 'Allowed.');
    assert.equal(shortReason({ ...base, reason: `iot:Publish on ${resource} is denied explicitly by statement #3 (Sid S) of policy document #1; an explicit Deny overrides any Allow.` }), 'Explicit Deny: it overrides any Allow.');
    assert.equal(shortReason({ ...base, reason: `A condition on ${resource} cannot be checked here.` }), 'A condition on topic/x cannot be checked here.');
    assert.equal(shortReason({ ...base, resource: 'topic/x', reason: 'Kept as is: topic/x.' }), 'Kept as is: topic/x.');
    assert.equal(shortResource({ input: 'x', resource: 'arn:aws-cn:iot:cn-north-1:123456789012:topic/x' }), 'topic/x');
  });
});
