import * as assert from 'node:assert/strict';
import { evaluate, PolicyContext, PolicyDocument, resourceArn } from '../../../../src/core/policy';
import { AuthzError } from '../../../../src/core/errors';

const ARN = 'arn:aws:iot:us-east-1:123456789012';

function policy(...statements: object[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements as PolicyDocument['Statement'] };
}

interface Row {
  name: string;
  docs: Array<PolicyDocument | string>;
  action: string;
  resource: string;
  context?: PolicyContext;
  expect: 'allow' | 'deny';
}

// Policies from AWS's IoT developer guide (pub-sub-policy.md, basic-policy-variables.md,
// thing-policy-variables.md, config-custom-auth.md), paraphrased into a table.
const unregistered5 = policy(
  { Effect: 'Allow', Action: ['iot:Connect'], Resource: [`${ARN}:client/client1`, `${ARN}:client/client2`, `${ARN}:client/client3`] },
  { Effect: 'Allow', Action: ['iot:Publish'], Resource: [`${ARN}:topic/\${iot:ClientId}/*`] },
);
const registered5 = policy(
  { Effect: 'Allow', Action: ['iot:Connect'], Resource: [`${ARN}:client/\${iot:Connection.Thing.ThingName}`] },
  { Effect: 'Allow', Action: ['iot:Publish'], Resource: [`${ARN}:topic/\${iot:Connection.Thing.ThingName}/*`] },
);
const plusLiteral = policy({ Effect: 'Allow', Action: ['iot:Subscribe'], Resource: [`${ARN}:topicfilter/some/+/topic`] });
const starLevel = policy({ Effect: 'Allow', Action: ['iot:Subscribe'], Resource: [`${ARN}:topicfilter/some/*/topic`] });
const questionMarks = policy({ Effect: 'Allow', Action: ['iot:Publish'], Resource: [`${ARN}:topic/some/?????/topic`] });
const exceptBar = policy(
  { Effect: 'Allow', Action: ['iot:Publish'], Resource: [`${ARN}:topic/\${iot:ClientId}/*`] },
  { Effect: 'Deny', Action: ['iot:Publish'], Resource: [`${ARN}:topic/\${iot:ClientId}/bar`] },
);
const restricted = policy(
  { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/*` },
  { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/restricted/*` },
  { Effect: 'Allow', Action: 'iot:Receive', NotResource: `${ARN}:topic/a/restricted/*` },
);
const roomStar = policy({ Effect: 'Allow', Action: ['iot:Subscribe'], Resource: [`${ARN}:topicfilter/\${iot:ClientId}/room*`] });
const certVariable = policy({
  Effect: 'Allow',
  Action: ['iot:Publish'],
  Resource: [`${ARN}:topic/\${iot:Certificate.Subject.CommonName}/*`],
});
const iotStar = policy({ Action: 'iot:*', Effect: 'Allow', Resource: 'arn:aws:iot:us-east-1:123456789012:*' });

const rows: Row[] = [
  { name: 'client1 may connect', docs: [unregistered5], action: 'iot:Connect', resource: `${ARN}:client/client1`, expect: 'allow' },
  { name: 'client4 may not connect', docs: [unregistered5], action: 'iot:Connect', resource: `${ARN}:client/client4`, expect: 'deny' },
  {
    name: '${iot:ClientId} prefix allows publishing below it',
    docs: [unregistered5],
    action: 'iot:Publish',
    resource: `${ARN}:topic/client1/a/b`,
    context: { clientId: 'client1' },
    expect: 'allow',
  },
  {
    name: '${iot:ClientId} does not allow another client prefix',
    docs: [unregistered5],
    action: 'iot:Publish',
    resource: `${ARN}:topic/client2/a`,
    context: { clientId: 'client1' },
    expect: 'deny',
  },
  {
    name: 'thing name variable resolves with registry context',
    docs: [registered5],
    action: 'iot:Publish',
    resource: `${ARN}:topic/thing1/x`,
    context: { clientId: 'thing1', thing: { thingName: 'thing1' } },
    expect: 'allow',
  },
  {
    name: 'thing name variable stays unresolved without registry context',
    docs: [registered5],
    action: 'iot:Connect',
    resource: `${ARN}:client/thing1`,
    context: { clientId: 'thing1' },
    expect: 'deny',
  },
  { name: '+ is literal: some/+/topic matches itself', docs: [plusLiteral], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/some/+/topic`, expect: 'allow' },
  { name: '+ is literal: not some/x/topic', docs: [plusLiteral], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/some/x/topic`, expect: 'deny' },
  { name: '* covers one level', docs: [starLevel], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/some/string1/topic`, expect: 'allow' },
  { name: '* also spans levels (not confined like +)', docs: [starLevel], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/some/a/b/topic`, expect: 'allow' },
  { name: '* covers the MQTT filter some/+/topic', docs: [starLevel], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/some/+/topic`, expect: 'allow' },
  { name: '????? is exactly five characters', docs: [questionMarks], action: 'iot:Publish', resource: `${ARN}:topic/some/abcde/topic`, expect: 'allow' },
  { name: '????? is not four characters', docs: [questionMarks], action: 'iot:Publish', resource: `${ARN}:topic/some/abcd/topic`, expect: 'deny' },
  {
    name: 'Deny overrides Allow: client1/bar',
    docs: [exceptBar],
    action: 'iot:Publish',
    resource: `${ARN}:topic/client1/bar`,
    context: { clientId: 'client1' },
    expect: 'deny',
  },
  {
    name: 'Allow still applies next to the Deny: client1/foo',
    docs: [exceptBar],
    action: 'iot:Publish',
    resource: `${ARN}:topic/client1/foo`,
    context: { clientId: 'client1' },
    expect: 'allow',
  },
  {
    name: 'Deny in another document wins',
    docs: [iotStar, policy({ Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/secret` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/secret`,
    expect: 'deny',
  },
  { name: 'caveat: a/# is not stopped by the Deny on a/restricted/*', docs: [restricted], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/a/#`, expect: 'allow' },
  { name: 'the Deny stops a/restricted/x', docs: [restricted], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/a/restricted/x`, expect: 'deny' },
  { name: 'NotResource: Receive outside a/restricted', docs: [restricted], action: 'iot:Receive', resource: `${ARN}:topic/a/open/1`, expect: 'allow' },
  { name: 'NotResource: no Receive inside a/restricted', docs: [restricted], action: 'iot:Receive', resource: `${ARN}:topic/a/restricted/1`, expect: 'deny' },
  {
    name: 'room* with client id',
    docs: [roomStar],
    action: 'iot:Subscribe',
    resource: `${ARN}:topicfilter/client1/room1`,
    context: { clientId: 'client1' },
    expect: 'allow',
  },
  {
    name: 'certificate variables never resolve for custom auth',
    docs: [certVariable],
    action: 'iot:Publish',
    resource: `${ARN}:topic/dev1/x`,
    context: { clientId: 'dev1' },
    expect: 'deny',
  },
  { name: 'iot:* with account-wide resource (tutorial)', docs: [iotStar], action: 'iot:Connect', resource: `${ARN}:client/anything`, expect: 'allow' },
  { name: 'iot:* does not reach another account', docs: [iotStar], action: 'iot:Connect', resource: 'arn:aws:iot:us-east-1:999999999999:client/x', expect: 'deny' },
  {
    name: 'action names are case-insensitive',
    docs: [policy({ Effect: 'Allow', Action: 'IOT:publish', Resource: '*' })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/t`,
    expect: 'allow',
  },
  {
    name: 'resources are case-sensitive',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/Temp` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/temp`,
    expect: 'deny',
  },
  {
    name: 'iot:Get* covers GetThingShadow',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Get*', Resource: `${ARN}:thing/*` })],
    action: 'iot:GetThingShadow',
    resource: `${ARN}:thing/t1`,
    expect: 'allow',
  },
  {
    name: 'NotAction: everything but Connect',
    docs: [policy({ Effect: 'Allow', NotAction: 'iot:Connect', Resource: '*' })],
    action: 'iot:Connect',
    resource: `${ARN}:client/c`,
    expect: 'deny',
  },
  {
    name: 'NotAction: Publish allowed',
    docs: [policy({ Effect: 'Allow', NotAction: 'iot:Connect', Resource: '*' })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/t`,
    expect: 'allow',
  },
  {
    name: 'documents as JSON strings (TestInvokeAuthorizer form)',
    docs: [JSON.stringify(policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/customauthtesting` }))],
    action: 'iot:Publish',
    resource: `${ARN}:topic/customauthtesting`,
    expect: 'allow',
  },
  {
    name: 'a single Statement object is accepted',
    docs: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' } }],
    action: 'iot:Connect',
    resource: `${ARN}:client/c`,
    expect: 'allow',
  },
  { name: 'no documents: deny', docs: [], action: 'iot:Connect', resource: `${ARN}:client/c`, expect: 'deny' },
  {
    name: 'substituted client id * is literal, not a wildcard',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/anything`,
    context: { clientId: '*' },
    expect: 'deny',
  },
  // A substituted value is matched character for character: its regex-special characters are literal.
  {
    name: 'substituted client id dev.1: the dot is literal (topic/devX1 is not allowed)',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/devX1`,
    context: { clientId: 'dev.1' },
    expect: 'deny',
  },
  {
    name: 'substituted client id dev.1 allows its own topic',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/dev.1`,
    context: { clientId: 'dev.1' },
    expect: 'allow',
  },
  {
    name: 'substituted client id .* is literal (topic/anything is not allowed)',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/anything`,
    context: { clientId: '.*' },
    expect: 'deny',
  },
  {
    name: 'substituted client id a+ is literal (topic/aaa is not allowed)',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/aaa`,
    context: { clientId: 'a+' },
    expect: 'deny',
  },
  // NotResource patterns get the connection's variables too.
  {
    name: 'Allow with NotResource ${iot:ClientId}/private: the own private topic is not allowed',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}:topic/\${iot:ClientId}/private` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/c1/private`,
    context: { clientId: 'c1' },
    expect: 'deny',
  },
  {
    name: "Allow with NotResource ${iot:ClientId}/private: another client's private topic is allowed",
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}:topic/\${iot:ClientId}/private` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/c2/private`,
    context: { clientId: 'c1' },
    expect: 'allow',
  },
  {
    name: 'Deny with NotResource ${iot:ClientId}/*: the own topics stay allowed, others are denied',
    docs: [policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Publish', NotResource: `${ARN}:topic/\${iot:ClientId}/*` })],
    action: 'iot:Publish',
    resource: `${ARN}:topic/c1/data`,
    context: { clientId: 'c1' },
    expect: 'allow',
  },
];

describe('core/policy evaluate: AWS documentation examples', () => {
  for (const r of rows) {
    it(`${r.expect}: ${r.name}`, () => {
      const res = evaluate({ policies: r.docs, action: r.action, resource: r.resource, context: r.context });
      assert.equal(res.decision, r.expect, res.reason);
    });
  }
});

describe('core/policy evaluate: result details', () => {
  it('names the deciding Deny statement and its Sid', () => {
    const res = evaluate({
      policies: [exceptBar, policy({ Sid: 'NoSecrets', Effect: 'Deny', Action: 'iot:*', Resource: `${ARN}:topic/client1/*` })],
      action: 'iot:Publish',
      resource: `${ARN}:topic/client1/bar`,
      context: { clientId: 'client1' },
    });
    assert.equal(res.decision, 'deny');
    assert.deepEqual(res.decidedBy, { document: 0, statement: 1, effect: 'Deny' });
    assert.equal(res.matchedStatements.length, 3);
    assert.match(res.reason, /denied explicitly by statement #2 of policy document #1/);
  });

  it('says no statement allows when nothing matches', () => {
    const res = evaluate({ policies: [unregistered5], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/x` });
    assert.equal(res.decision, 'deny');
    assert.equal(res.decidedBy, undefined);
    assert.match(res.reason, /^No statement allows iot:Subscribe on /);
  });

  it('notes unresolved certificate variables', () => {
    const res = evaluate({ policies: [certVariable], action: 'iot:Publish', resource: `${ARN}:topic/x/y` });
    assert.ok(res.notes.some((n) => n.includes('${iot:Certificate.Subject.CommonName}') && n.includes('never resolve')));
  });

  it('warns about the topic-filter Deny caveat', () => {
    const res = evaluate({ policies: [restricted], action: 'iot:Subscribe', resource: `${ARN}:topicfilter/a/#` });
    assert.ok(res.notes.some((n) => n.includes('iot:Receive')), res.notes.join('\n'));
  });

  it('rejects a document that is not JSON', () => {
    assert.throws(
      () => evaluate({ policies: ['{nope'], action: 'iot:Connect', resource: '*' }),
      (e: unknown) => e instanceof AuthzError && e.code === 'POLICY_INVALID_JSON',
    );
  });
});

describe('core/policy conditions', () => {
  const withCondition = (cond: object, effect = 'Allow') =>
    policy({ Effect: effect, Action: 'iot:Connect', Resource: '*', Condition: cond });
  const connect = (docs: PolicyDocument[], context: PolicyContext = {}) =>
    evaluate({ policies: docs, action: 'iot:Connect', resource: `${ARN}:client/c1`, context });

  it('StringEquals on iot:ClientId', () => {
    const d = withCondition({ StringEquals: { 'iot:ClientId': ['c1', 'c2'] } });
    assert.equal(connect([d], { clientId: 'c1' }).decision, 'allow');
    assert.equal(connect([d], { clientId: 'c3' }).decision, 'deny');
  });

  it('StringLike and StringNotEquals', () => {
    assert.equal(connect([withCondition({ StringLike: { 'iot:ClientId': 'dev-*' } })], { clientId: 'dev-7' }).decision, 'allow');
    assert.equal(connect([withCondition({ StringNotEquals: { 'iot:ClientId': 'admin' } })], { clientId: 'admin' }).decision, 'deny');
    // A missing key satisfies a negated operator (IAM).
    assert.equal(connect([withCondition({ StringNotEquals: { 'iot:ClientId': 'admin' } })], {}).decision, 'allow');
  });

  it('IpAddress and NotIpAddress with aws:SourceIp', () => {
    const d = withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } });
    assert.equal(connect([d], { sourceIp: '10.1.2.3' }).decision, 'allow');
    assert.equal(connect([d], { sourceIp: '192.168.0.1' }).decision, 'deny');
    assert.equal(connect([d], { sourceIp: '2001:db8::1' }).decision, 'allow');
  });

  it('Null and Bool and Numeric', () => {
    assert.equal(connect([withCondition({ Null: { 'iot:ClientId': 'true' } })], {}).decision, 'allow');
    assert.equal(connect([withCondition({ Null: { 'iot:ClientId': 'false' } })], {}).decision, 'deny');
    assert.equal(connect([withCondition({ Bool: { 'iot:Connection.Thing.IsAttached': 'true' } })], { thing: { thingName: 'c1', isAttached: true } }).decision, 'allow');
    assert.equal(connect([withCondition({ NumericLessThan: { 'custom:n': '5' } })], { conditionKeys: { 'custom:n': '3' } }).decision, 'allow');
  });

  it('ArnLike with a variable in the value', () => {
    const d = withCondition({ ArnLike: { 'custom:arn': `${ARN}:client/\${iot:ClientId}` } });
    assert.equal(connect([d], { clientId: 'c1', conditionKeys: { 'custom:arn': `${ARN}:client/c1` } }).decision, 'allow');
  });

  it('an unknown key is not evaluated: Allow not counted, result uncertain', () => {
    const res = connect([withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], { clientId: 'c1' });
    assert.equal(res.decision, 'deny');
    assert.equal(res.uncertain, true);
    assert.ok(res.notes.some((n) => n.includes('not evaluated locally')));
  });

  it('an unknown key on a Deny: counted (fail-closed) and marked assumed', () => {
    const res = connect([iotStar, withCondition({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, 'Deny')]);
    assert.equal(res.decision, 'deny');
    assert.equal(res.uncertain, true);
    assert.equal(res.matchedStatements.find((m) => m.effect === 'Deny')?.assumed, true);
  });
});

describe('core/policy resourceArn', () => {
  it('builds ARNs per action type', () => {
    assert.equal(resourceArn('iot:Publish', 'a/b'), `${ARN}:topic/a/b`);
    assert.equal(resourceArn('iot:Receive', 'a/b', { region: 'eu-west-1', account: '111122223333' }), 'arn:aws:iot:eu-west-1:111122223333:topic/a/b');
    assert.equal(resourceArn('iot:Subscribe', 'a/#'), `${ARN}:topicfilter/a/#`);
    assert.equal(resourceArn('Connect', 'c1'), `${ARN}:client/c1`);
    assert.equal(resourceArn('iot:UpdateThingShadow', 't1/s1'), `${ARN}:thing/t1/s1`);
    assert.equal(resourceArn('iot:RetainPublish', 'r'), `${ARN}:topic/r`);
  });
  it('keeps full ARNs', () => {
    assert.equal(resourceArn('iot:Publish', `${ARN}:topic/x`), `${ARN}:topic/x`);
  });
  it('refuses a bare name for an unknown action', () => {
    assert.throws(() => resourceArn('s3:GetObject', 'x'), (e: unknown) => e instanceof AuthzError && e.code === 'UNKNOWN_ACTION_RESOURCE');
  });
});

describe('core/policy evaluate: an internal failure is never a decision', () => {
  const allowAll = policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' });

  it('an unexpected exception becomes POLICY_EVALUATION_FAILED, not an allow or a deny', () => {
    // A context whose client id cannot be read stands in for a bug in the evaluator.
    const context = {
      get clientId(): string {
        throw new TypeError('clientId exploded');
      },
    };
    assert.throws(
      () => evaluate({ policies: [policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` })], action: 'iot:Connect', resource: `${ARN}:client/c1`, context }),
      (e: unknown) => e instanceof AuthzError && e.code === 'POLICY_EVALUATION_FAILED' && /clientId exploded/.test(e.message) && /neither allow nor deny/.test(e.message) && !!e.hint,
    );
  });

  it('an expected failure (not a policy) keeps its own code', () => {
    assert.throws(
      () => evaluate({ policies: [{ Version: '2012-10-17' } as unknown as PolicyDocument], action: 'iot:Connect', resource: '*' }),
      (e: unknown) => e instanceof AuthzError && e.code === 'POLICY_NO_STATEMENT',
    );
  });

  it('near miss: the same request with a readable context is decided', () => {
    assert.equal(evaluate({ policies: [allowAll], action: 'iot:Connect', resource: `${ARN}:client/c1`, context: { clientId: 'c1' } }).decision, 'allow');
  });
});
