import * as assert from 'node:assert/strict';
import { AuthzError } from '../../../../src/core/errors';
import { normalizeAction, parseIotArn, resourceArn } from '../../../../src/core/policy';

describe('core/policy resources', () => {
  it('normalizeAction: prefix, canonical case, trimmed; unknown actions kept', () => {
    assert.equal(normalizeAction(' publish '), 'iot:Publish');
    assert.equal(normalizeAction('IOT:GETTHINGSHADOW'), 'iot:GetThingShadow');
    assert.equal(normalizeAction(' iot:NoSuchThing '), 'iot:NoSuchThing');
    assert.equal(normalizeAction('s3:GetObject'), 's3:GetObject');
  });

  it('resourceArn: bare names become ARNs of the action\'s resource type', () => {
    const p = { region: 'eu-west-1', account: '111122223333' };
    assert.equal(resourceArn('iot:Publish', 'a/b', p), 'arn:aws:iot:eu-west-1:111122223333:topic/a/b');
    assert.equal(resourceArn('Subscribe', 'a/#', p), 'arn:aws:iot:eu-west-1:111122223333:topicfilter/a/#');
    assert.equal(resourceArn('iot:CONNECT', 'c1', p), 'arn:aws:iot:eu-west-1:111122223333:client/c1');
    assert.equal(resourceArn('iot:GetThingShadow', 'T1'), 'arn:aws:iot:us-east-1:123456789012:thing/T1');
    assert.equal(resourceArn('iot:Publish', 'x', { region: '', account: '' }), 'arn:aws:iot:us-east-1:123456789012:topic/x');
  });

  it('resourceArn: ARNs and * are kept; an action without a resource type gives *', () => {
    assert.equal(resourceArn('iot:Publish', 'arn:aws:iot:r:1:topic/x'), 'arn:aws:iot:r:1:topic/x');
    assert.equal(resourceArn('iot:Publish', '*'), '*');
    assert.equal(resourceArn('iot:ListRetainedMessages', 'anything'), '*');
    assert.equal(resourceArn('iot:Publish', 'xarn:'), 'arn:aws:iot:us-east-1:123456789012:topic/xarn:');
  });

  it('resourceArn: a known non-device action and an unknown one are clear errors', () => {
    assert.throws(
      () => resourceArn('iot:CreateThing', 'x'),
      (e: unknown) => e instanceof AuthzError && e.code === 'UNKNOWN_ACTION_RESOURCE' && /^Cannot build a resource ARN for iot:CreateThing: it is not an action a device connection uses/.test(e.message) && e.hint === 'Give the full resource ARN instead of a bare name.',
    );
    assert.throws(
      () => resourceArn('iot:Publsh', 'x'),
      (e: unknown) => e instanceof AuthzError && /^Cannot build a resource ARN for iot:Publsh: it is not an AWS IoT action; did you mean iot:Publish\?$/.test(e.message) && e.hint === 'Use iot:Publish, or give the full resource ARN instead of a bare name.',
    );
    assert.throws(
      () => resourceArn('iot:Zzzzzzzzzzzz', 'x'),
      (e: unknown) => e instanceof AuthzError && /it is not an AWS IoT action\.$/.test(e.message),
    );
  });

  it('parseIotArn: the parts of an IoT ARN; anything else is undefined', () => {
    assert.deepEqual(parseIotArn('arn:aws-cn:iot:cn-north-1:123:topicfilter/a/+/#'), { partition: 'aws-cn', region: 'cn-north-1', account: '123', type: 'topicfilter', name: 'a/+/#' });
    assert.deepEqual(parseIotArn('arn:aws:iot:::topic/x\ny'), { partition: 'aws', region: '', account: '', type: 'topic', name: 'x\ny' });
    assert.equal(parseIotArn('xarn:aws:iot:r:1:topic/x'), undefined);
    assert.equal(parseIotArn('arn:aws:s3:r:1:topic/x'), undefined);
    assert.equal(parseIotArn('arn:aws:iot:r:1:topic'), undefined);
    assert.equal(parseIotArn('*'), undefined);
  });
});
