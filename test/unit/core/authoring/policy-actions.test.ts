import * as assert from 'node:assert/strict';
import { applyFix, arn, assertNone, CONNECT, only, policy, slice, text } from './helpers';

const stmt = (Action: unknown, Resource: unknown = arn('topic/a')) => policy(CONNECT, { Effect: 'Allow', Action, Resource });

describe('authoring: action rules', () => {
  it('IOT_ACTION_UNKNOWN suggests the closest action; the fix applies', () => {
    const t = text(stmt('iot:Pubish'));
    const [f] = only(t, 'policy', 'IOT_ACTION_UNKNOWN', 1);
    assert.equal(slice(t, f), 'iot:Pubish');
    assert.equal(f.data?.suggestion, 'iot:Publish');
    assert.equal(JSON.parse(applyFix(t, f)).Statement[1].Action, 'iot:Publish');
    assertNone(text(stmt('iot:Publish')), 'policy', 'IOT_ACTION_UNKNOWN');
  });

  it('IOT_ACTION_UNKNOWN without a prefix suggests the iot: action', () => {
    const [f] = only(text(stmt('Publish')), 'policy', 'IOT_ACTION_UNKNOWN', 1);
    assert.equal(f.data?.suggestion, 'iot:Publish');
  });

  it('IOT_ACTION_UNKNOWN with no close match has no fix', () => {
    const [f] = only(text(stmt('iot:Xyzzyplughfoo')), 'policy', 'IOT_ACTION_UNKNOWN', 1);
    assert.equal(f.fixes, undefined);
  });

  it('IOT_ACTION_CASE for iot:publish and IoT:Publish', () => {
    const t = text(stmt(['iot:publish', 'IoT:Receive']));
    const fs = only(t, 'policy', 'IOT_ACTION_CASE', 2);
    assert.deepEqual(fs.map((f) => f.data?.suggestion), ['iot:Publish', 'iot:Receive']);
    applyFix(t, fs[0]);
  });

  it('wildcard patterns: iot:* and iot:Get* are valid; iot:Zz* matches nothing', () => {
    assertNone(text(stmt(['iot:Get*', 'iot:*Shadow'], '*')), 'policy', 'IOT_ACTION_UNKNOWN');
    assertNone(text(stmt(['iot:Get*'], '*')), 'policy', 'IOT_ACTION_PATTERN_MATCHES_NOTHING');
    only(text(stmt('iot:Zz*')), 'policy', 'IOT_ACTION_PATTERN_MATCHES_NOTHING', 1);
  });

  it('IOT_ACTION_FOREIGN_SERVICE for s3:, not greengrass:', () => {
    only(text(stmt('s3:GetObject')), 'policy', 'IOT_ACTION_FOREIGN_SERVICE', 1);
    assertNone(text(stmt('greengrass:*')), 'policy', 'IOT_ACTION_FOREIGN_SERVICE');
  });

  it('IOT_ALLOW_ALL_ACTIONS for Allow iot:* and *, not Deny', () => {
    only(text(stmt(['iot:*', '*'])), 'policy', 'IOT_ALLOW_ALL_ACTIONS', 2);
    assertNone(text(policy(CONNECT, { Effect: 'Deny', Action: 'iot:*', Resource: '*' })), 'policy', 'IOT_ALLOW_ALL_ACTIONS');
  });

  it('data-plane actions from the developer guide are known', () => {
    for (const a of ['iot:GetPendingJobExecutions', 'iot:UpdateJobExecution', 'iot:StartNextPendingJobExecution', 'iot:DescribeJobExecution']) {
      assertNone(text(stmt(a, arn('thing/t1'))), 'policy', 'IOT_ACTION_UNKNOWN');
      assertNone(text(stmt(a, arn('thing/t1'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH');
    }
  });
});
