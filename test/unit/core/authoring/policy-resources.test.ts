import * as assert from 'node:assert/strict';
import { applyFix, arn, assertNone, CONNECT, only, policy, slice, text } from './helpers';

const stmt = (Action: unknown, Resource: unknown, Effect = 'Allow') => policy(CONNECT, { Effect, Action, Resource });

describe('authoring: resource rules', () => {
  it('IOT_RESOURCE_TYPE_MISMATCH: Subscribe on topic/ → fix to topicfilter/; plus the statement never matches', () => {
    const t = text(stmt('iot:Subscribe', arn('topic/a/b')));
    const [f] = only(t, 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
    assert.equal(slice(t, f), 'topic');
    assert.equal(f.severity, 'error', 'nothing in the statement can match: an error on the resource type');
    assert.equal(f.fixes![0].isPreferred, true);
    assert.equal(JSON.parse(applyFix(t, f)).Statement[1].Resource, arn('topicfilter/a/b'));
    only(t, 'policy', 'IOT_STATEMENT_NEVER_MATCHES', 1);
    assertNone(text(stmt('iot:Subscribe', arn('topicfilter/a/b'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH');
  });

  it('Publish on topicfilter/ → fix to topic/', () => {
    const t = text(stmt(['iot:Publish', 'iot:Receive'], arn('topicfilter/a')));
    const [f] = only(t, 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
    assert.equal(JSON.parse(applyFix(t, f)).Statement[1].Resource, arn('topic/a'));
  });

  it('Connect on topic/, shadow on client/: mismatches', () => {
    only(text(stmt('iot:Connect', arn('topic/a'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
    const [f] = only(text(stmt('iot:UpdateThingShadow', arn('client/a'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
    assert.equal(f.data?.suggestion, 'thing');
  });

  it('mixed statements: one matching resource per action is fine; an extra stray one is flagged alone', () => {
    const t = text(stmt(['iot:Publish', 'iot:Subscribe'], [arn('topic/a'), arn('topicfilter/a'), arn('thing/x')]));
    const [stray] = only(t, 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
    assert.equal(stray.severity, 'warning', 'a stray resource beside working ones is a warning');
    assertNone(t, 'policy', 'IOT_STATEMENT_NEVER_MATCHES');
  });

  it('wildcard resource types and actions are matched as patterns', () => {
    assertNone(text(stmt('iot:Subscribe', 'arn:aws:iot:us-east-1:123456789012:topic*')), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH');
    assertNone(text(stmt('iot:*', arn('topic/a'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH');
    only(text(stmt('iot:*Shadow', arn('topic/a'))), 'policy', 'IOT_RESOURCE_TYPE_MISMATCH', 1);
  });

  it('ListRetainedMessages needs *: a topic ARN never matches, and * is not an allow-all warning', () => {
    only(text(stmt('iot:ListRetainedMessages', arn('topic/a'))), 'policy', 'IOT_STATEMENT_NEVER_MATCHES', 1);
    assertNone(text(stmt('iot:ListRetainedMessages', '*')), 'policy', 'IOT_ALLOW_ALL_RESOURCES');
  });

  it('IOT_ALLOW_ALL_RESOURCES for * and arn:aws:iot:*:*:* on Allow; not on Deny or a named resource', () => {
    only(text(stmt('iot:Publish', ['*', 'arn:aws:iot:*:*:*'])), 'policy', 'IOT_ALLOW_ALL_RESOURCES', 2);
    assertNone(text(stmt('iot:Publish', '*', 'Deny')), 'policy', 'IOT_ALLOW_ALL_RESOURCES');
    assertNone(text(stmt('iot:Publish', 'arn:aws:iot:*:*:topic/*')), 'policy', 'IOT_ALLOW_ALL_RESOURCES');
  });

  it('IOT_MQTT_WILDCARD_IN_TOPIC on each + and #, fix to *', () => {
    const t = text(stmt('iot:Publish', arn('topic/a/+/b/#')));
    const fs = only(t, 'policy', 'IOT_MQTT_WILDCARD_IN_TOPIC', 2);
    assert.deepEqual(fs.map((f) => slice(t, f)), ['+', '#']);
    assert.equal(JSON.parse(applyFix(t, fs[0])).Statement[1].Resource, arn('topic/a/*/b/#'));
    assertNone(text(stmt('iot:Publish', arn('topic/a/*'))), 'policy', 'IOT_MQTT_WILDCARD_IN_TOPIC');
  });

  it('IOT_MQTT_WILDCARD_IN_TOPICFILTER is info (literal filter match is legitimate)', () => {
    const t = text(stmt('iot:Subscribe', arn('topicfilter/a/+')));
    const [f] = only(t, 'policy', 'IOT_MQTT_WILDCARD_IN_TOPICFILTER', 1);
    assert.equal(f.severity, 'info');
    assert.equal(slice(t, f), 'a/+');
    assertNone(t, 'policy', 'IOT_MQTT_WILDCARD_IN_TOPIC');
  });

  it('IOT_POLICY_WILDCARD_IN_TOPICFILTER for a middle * or a ?; a trailing * is fine', () => {
    const t = text(stmt('iot:Subscribe', [arn('topicfilter/a/*/b'), arn('topicfilter/c/?/d')]));
    const fs = only(t, 'policy', 'IOT_POLICY_WILDCARD_IN_TOPICFILTER', 2);
    assert.deepEqual(fs.map((f) => slice(t, f)), ['*', '?']);
    assertNone(text(stmt('iot:Subscribe', arn('topicfilter/a/*'))), 'policy', 'IOT_POLICY_WILDCARD_IN_TOPICFILTER');
  });
});
