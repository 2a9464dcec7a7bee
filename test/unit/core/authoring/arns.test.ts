import * as assert from 'node:assert/strict';
import { applyFix, arn, assertNone, CONNECT, only, policy, slice, text } from './helpers';

const stmt = (Resource: unknown, Action: unknown = 'iot:Publish') => policy(CONNECT, { Effect: 'Allow', Action, Resource });

describe('authoring: ARN rules', () => {
  it('ARN_MALFORMED for a non-ARN and a 5-part ARN (AWS doc example) with an "iot:" fix', () => {
    only(text(stmt('topic/a')), 'policy', 'ARN_MALFORMED', 1);
    const t = text(stmt('arn:aws:us-east-1:123456789012:topic/telemetry/${iot:ClientId}'));
    const [f] = only(t, 'policy', 'ARN_MALFORMED', 1);
    assert.equal(JSON.parse(applyFix(t, f)).Statement[1].Resource, 'arn:aws:iot:us-east-1:123456789012:topic/telemetry/${iot:ClientId}');
    only(text(stmt('arn:aws:iot:us-east-1:123456789012:topic')), 'policy', 'ARN_MALFORMED', 1);
    assertNone(text(stmt(arn('topic/a'))), 'policy', 'ARN_MALFORMED');
  });

  it('a policy variable with a colon does not split the ARN', () => {
    assertNone(text(stmt(arn('topic/${iot:ClientId}/x'))), 'policy', 'ARN_MALFORMED');
  });

  it('ARN_PARTITION_INVALID, ARN_SERVICE_NOT_IOT, ARN_REGION_INVALID, ARN_ACCOUNT_INVALID with part ranges', () => {
    const t = text(stmt(['arn:awz:iot:us-east-1:123456789012:topic/a', 'arn:aws:s3:us-east-1:123456789012:topic/a', 'arn:aws:iot:useast1:123456789012:topic/a', 'arn:aws:iot:us-east-1:12345:topic/a']));
    assert.equal(slice(t, only(t, 'policy', 'ARN_PARTITION_INVALID', 1)[0]), 'awz');
    assert.equal(slice(t, only(t, 'policy', 'ARN_SERVICE_NOT_IOT', 1)[0]), 's3');
    assert.equal(slice(t, only(t, 'policy', 'ARN_REGION_INVALID', 1)[0]), 'useast1');
    assert.equal(slice(t, only(t, 'policy', 'ARN_ACCOUNT_INVALID', 1)[0]), '12345');
  });

  it('wildcards and variables in region/account are accepted; aws-cn and aws-us-gov too', () => {
    const t = text(stmt(['arn:aws:iot:*:*:topic/a', 'arn:aws-cn:iot:cn-north-1:123456789012:topic/a', 'arn:aws-us-gov:iot:us-gov-west-1:123456789012:topic/b']));
    for (const c of ['ARN_PARTITION_INVALID', 'ARN_REGION_INVALID', 'ARN_ACCOUNT_INVALID']) assertNone(t, 'policy', c);
  });

  it('ARN_RESOURCE_TYPE_UNKNOWN suggests topicfilter for topicfliter', () => {
    const t = text(stmt(arn('topicfliter/a'), 'iot:Subscribe'));
    const [f] = only(t, 'policy', 'ARN_RESOURCE_TYPE_UNKNOWN', 1);
    assert.equal(f.data?.suggestion, 'topicfilter');
    applyFix(t, f);
  });

  it('ARN_REGION_INCONSISTENT and ARN_ACCOUNT_INCONSISTENT flag the minority', () => {
    const t = text(policy(CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: [arn('topic/a'), arn('topic/b', 'eu-west-1', '999999999999')] }));
    const [r] = only(t, 'policy', 'ARN_REGION_INCONSISTENT', 1);
    assert.equal(slice(t, r), 'eu-west-1');
    const [a] = only(t, 'policy', 'ARN_ACCOUNT_INCONSISTENT', 1);
    assert.equal(slice(t, a), '999999999999');
    assert.deepEqual(JSON.parse(applyFix(t, a)).Statement[1].Resource[1], arn('topic/b', 'eu-west-1'));
    assertNone(text(policy(CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/a', '*') })), 'policy', 'ARN_REGION_INCONSISTENT');
  });
});
