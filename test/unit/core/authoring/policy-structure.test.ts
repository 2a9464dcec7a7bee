import * as assert from 'node:assert/strict';
import { applyFix, assertNone, CONNECT, only, policy, slice, text } from './helpers';

describe('authoring: policy structure rules', () => {
  it('POLICY_VERSION_INVALID on 2008-10-17 with a fix; 2012-10-17 passes', () => {
    const t = text({ ...policy(CONNECT), Version: '2008-10-17' });
    const [f] = only(t, 'policy', 'POLICY_VERSION_INVALID', 1);
    assert.equal(slice(t, f), '"2008-10-17"');
    assert.equal(JSON.parse(applyFix(t, f)).Version, '2012-10-17');
    assertNone(text(policy(CONNECT)), 'policy', 'POLICY_VERSION_INVALID');
  });

  it('POLICY_VERSION_MISSING', () => {
    only(text({ Statement: [CONNECT] }), 'policy', 'POLICY_VERSION_MISSING', 1);
    assertNone(text(policy(CONNECT)), 'policy', 'POLICY_VERSION_MISSING');
  });

  it('POLICY_STATEMENT_EMPTY on the Statement key; POLICY_STATEMENT_MISSING', () => {
    const t = text(policy());
    const [f] = only(t, 'policy', 'POLICY_STATEMENT_EMPTY', 1);
    assert.equal(slice(t, f), '"Statement"');
    only(text({ Version: '2012-10-17' }), 'policy', 'POLICY_STATEMENT_MISSING', 1);
    assertNone(text(policy(CONNECT)), 'policy', 'POLICY_STATEMENT_EMPTY');
  });

  it('POLICY_STATEMENT_TYPE for a string statement', () => {
    only(text({ Version: '2012-10-17', Statement: ['x'] }), 'policy', 'POLICY_STATEMENT_TYPE', 1);
  });

  it('POLICY_EFFECT_INVALID: "allow" gets a case fix; missing Effect reported', () => {
    const t = text(policy({ ...CONNECT, Effect: 'allow' }));
    const [f] = only(t, 'policy', 'POLICY_EFFECT_INVALID', 1);
    assert.equal(slice(t, f), '"allow"');
    assert.equal(JSON.parse(applyFix(t, f)).Statement[0].Effect, 'Allow');
    only(text(policy({ Action: 'iot:Connect', Resource: '*' })), 'policy', 'POLICY_EFFECT_INVALID', 1);
    assertNone(text(policy({ ...CONNECT, Effect: 'Deny' })), 'policy', 'POLICY_EFFECT_INVALID');
  });

  it('POLICY_ACTION_MISSING and POLICY_RESOURCE_MISSING, and both forms at once', () => {
    only(text(policy({ Effect: 'Allow', Resource: '*' })), 'policy', 'POLICY_ACTION_MISSING', 1);
    only(text(policy({ Effect: 'Allow', Action: 'iot:Connect' })), 'policy', 'POLICY_RESOURCE_MISSING', 1);
    only(text(policy({ ...CONNECT, NotResource: 'x' })), 'policy', 'POLICY_RESOURCE_MISSING', 1);
    assertNone(text(policy({ Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' })), 'policy', 'POLICY_ACTION_MISSING');
  });

  it('POLICY_ELEMENT_TYPE for a number action and an empty resource list', () => {
    only(text(policy({ ...CONNECT, Action: [1] })), 'policy', 'POLICY_ELEMENT_TYPE', 1);
    only(text(policy({ ...CONNECT, Resource: [] })), 'policy', 'POLICY_ELEMENT_TYPE', 1);
    assertNone(text(policy(CONNECT)), 'policy', 'POLICY_ELEMENT_TYPE');
  });

  it('POLICY_UNKNOWN_FIELD for Principal and a typo with fix', () => {
    const t = text(policy({ ...CONNECT, Principal: '*', Actions: 'iot:Publish' }));
    const fs = only(t, 'policy', 'POLICY_UNKNOWN_FIELD', 2);
    const typo = fs.find((f) => slice(t, f) === '"Actions"')!;
    assert.equal(typo.data?.suggestion, 'Action');
    applyFix(t, typo);
    assertNone(text(policy({ ...CONNECT, Sid: 'a1', Condition: {} })), 'policy', 'POLICY_UNKNOWN_FIELD');
  });
});
