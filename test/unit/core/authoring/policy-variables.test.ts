import * as assert from 'node:assert/strict';
import { applyFix, arn, assertNone, CONNECT, only, policy, slice, text } from './helpers';

const stmt = (Resource: unknown, extra: Record<string, unknown> = {}) => policy(CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource, ...extra });

describe('authoring: policy variable rules', () => {
  it('POLICY_VARIABLE_UNKNOWN with a suggestion and fix; known variables pass', () => {
    const t = text(stmt(arn('topic/${iot:ClientID}/x')));
    const [f] = only(t, 'policy', 'POLICY_VARIABLE_UNKNOWN', 1);
    assert.equal(slice(t, f), '${iot:ClientID}');
    assert.equal(f.data?.suggestion, '${iot:ClientId}');
    assert.equal(JSON.parse(applyFix(t, f)).Statement[1].Resource, arn('topic/${iot:ClientId}/x'));
    assertNone(text(stmt(arn('topic/${iot:ClientId}/${aws:SourceIp}'))), 'policy', 'POLICY_VARIABLE_UNKNOWN');
  });

  it('POLICY_VARIABLE_UNTERMINATED', () => {
    only(text(stmt(arn('topic/${iot:ClientId'))), 'policy', 'POLICY_VARIABLE_UNTERMINATED', 1);
  });

  it('POLICY_VARIABLE_UNAVAILABLE for certificate variables and certificate condition keys', () => {
    const t = text(stmt(arn('topic/${iot:Certificate.Subject.CommonName}'), {
      Condition: { 'ForAllValues:StringEquals': { 'iot:Certificate.Subject.Organization.List': ['Example Corp'] } },
    }));
    only(t, 'policy', 'POLICY_VARIABLE_UNAVAILABLE', 2);
    assertNone(t, 'policy', 'POLICY_VARIABLE_UNAVAILABLE', { customAuthorizer: false });
  });

  it('POLICY_VARIABLE_THING is info for thing variables, including attributes', () => {
    const t = text(stmt([arn('topic/${iot:Connection.Thing.ThingName}'), arn('topic/${iot:Connection.Thing.Attributes[floor]}')]));
    const fs = only(t, 'policy', 'POLICY_VARIABLE_THING', 2);
    assert.ok(fs.every((f) => f.severity === 'info'));
    assertNone(t, 'policy', 'POLICY_VARIABLE_UNKNOWN');
  });

  it('IOT_CLIENTID_IN_TOPICFILTER for ${iot:ClientId} in a topic filter, not in a topic', () => {
    only(text(policy(CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter/my/${iot:ClientId}/topic') })), 'policy', 'IOT_CLIENTID_IN_TOPICFILTER', 1);
    assertNone(text(stmt(arn('topic/my/${iot:ClientId}'))), 'policy', 'IOT_CLIENTID_IN_TOPICFILTER');
  });
});
