import * as assert from 'node:assert/strict';
import { AuthzError } from '../../../../src/core/errors';
import { evaluate, parsePolicyDocument, PolicyDocument } from '../../../../src/core/policy';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const doc = (...Statement: object[]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement as PolicyDocument['Statement'] });
const publish = (policies: Array<PolicyDocument | string>, topic = 'a/b', context = {}) =>
  evaluate({ policies, action: 'iot:Publish', resource: `${ARN}:topic/${topic}`, context });

describe('core/policy evaluate: what the result says', () => {
  it('an allow names the statement, its Sid, the pattern and how it matched', () => {
    const r = publish([doc({ Effect: 'Deny', Action: 'iot:Connect', Resource: '*' }), doc({ Sid: 'Pub', Effect: 'Allow', Action: ['iot:Receive', 'iot:Pub*'], Resource: [`${ARN}:topic/x`, `${ARN}:topic/\${iot:ClientId}/*`] })], 'c1/t', { clientId: 'c1' });
    assert.equal(r.decision, 'allow');
    assert.deepEqual(r.decidedBy, { document: 1, statement: 0, sid: 'Pub', effect: 'Allow' });
    assert.deepEqual(r.matchedStatements, [
      { document: 1, statement: 0, sid: 'Pub', effect: 'Allow', actionPattern: 'iot:Pub*', resourcePattern: `${ARN}:topic/c1/*`, via: { action: 'Action', resource: 'Resource' } },
    ]);
    assert.equal(r.reason, `iot:Publish on ${ARN}:topic/c1/t is allowed by statement #1 (Sid Pub) of policy document #2 (Resource ${ARN}:topic/c1/*).`);
    assert.equal(r.uncertain, false);
    assert.deepEqual(r.notes, []);
  });

  it('a deny by statement names it; a statement without Sid has no sid', () => {
    const r = publish([doc({ Effect: 'Allow', Action: 'iot:*', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/a/*` })]);
    assert.deepEqual(r.decidedBy, { document: 0, statement: 1, effect: 'Deny' });
    assert.equal(r.reason, `iot:Publish on ${ARN}:topic/a/b is denied explicitly by statement #2 of policy document #1 (Resource ${ARN}:topic/a/*); an explicit Deny overrides any Allow.`);
    assert.equal(r.matchedStatements.length, 2);
    assert.deepEqual(r.matchedStatements.map((m) => m.effect), ['Allow', 'Deny']);
  });

  it('NotAction and NotResource are named in the match', () => {
    const r = publish([doc({ Effect: 'Allow', NotAction: ['iot:Connect', 'iot:Receive'], NotResource: [`${ARN}:topic/x`, `${ARN}:topic/y`] })]);
    assert.equal(r.decision, 'allow');
    assert.deepEqual(r.matchedStatements[0].via, { action: 'NotAction', resource: 'NotResource' });
    assert.equal(r.matchedStatements[0].actionPattern, 'NotAction iot:Connect, iot:Receive');
    assert.equal(r.matchedStatements[0].resourcePattern, `${ARN}:topic/x, ${ARN}:topic/y`);
  });

  it('NotAction excludes a listed action (any of them)', () => {
    assert.equal(publish([doc({ Effect: 'Allow', NotAction: ['iot:Connect', 'iot:Publish'], Resource: '*' })]).decision, 'deny');
  });

  it('a statement without Action or NotAction, or without Resource or NotResource, applies to nothing', () => {
    assert.equal(publish([doc({ Effect: 'Allow', Resource: '*' })]).decision, 'deny');
    assert.equal(publish([doc({ Effect: 'Allow', Action: 'iot:Publish' })]).decision, 'deny');
    assert.equal(publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: null })]).decision, 'deny');
  });

  it('an Effect other than Allow or Deny is ignored with a note', () => {
    const r = publish([doc({ Effect: 'allow', Action: 'iot:Publish', Resource: '*' })]);
    assert.equal(r.decision, 'deny');
    assert.deepEqual(r.notes, ['statement #1 of policy document #1: Effect "allow" is neither Allow nor Deny; the statement is ignored.']);
  });

  it('statements that are not objects are skipped; a single Statement object counts', () => {
    assert.equal(publish([{ Version: '2012-10-17', Statement: [null, 'x', { Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }] } as unknown as PolicyDocument]).decision, 'allow');
    assert.equal(publish([{ Version: '2012-10-17', Statement: 'Allow everything' } as unknown as PolicyDocument]).decision, 'deny');
    assert.equal(publish([{ Version: '2012-10-17', Statement: null } as unknown as PolicyDocument]).decision, 'deny');
  });

  it('a policy given as a JSON string is parsed', () => {
    assert.equal(publish([JSON.stringify(doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }))]).decision, 'allow');
  });

  it('no documents: the reason says so; documents that allow nothing: it does not', () => {
    assert.equal(publish([]).reason, `No statement allows iot:Publish on ${ARN}:topic/a/b (no policy documents).`);
    assert.equal(publish([doc({ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' })]).reason, `No statement allows iot:Publish on ${ARN}:topic/a/b.`);
  });

  it('an Allow whose condition cannot be checked is not counted (fail-closed), with notes', () => {
    const r = publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]);
    assert.equal(r.decision, 'deny');
    assert.equal(r.uncertain, true);
    assert.deepEqual(r.matchedStatements, []);
    assert.ok(r.notes.some((n) => n.startsWith('statement #1 of policy document #1: Condition IpAddress on aws:SourceIp not evaluated locally')), r.notes.join('\n'));
    assert.ok(r.notes.includes('statement #1 of policy document #1: this Allow is not counted because its condition could not be checked locally (fail-closed).'));
  });

  it('a Deny whose condition cannot be checked is counted (fail-closed) and marked assumed', () => {
    const r = publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Publish', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]);
    assert.equal(r.decision, 'deny');
    assert.equal(r.uncertain, true);
    assert.equal(r.matchedStatements[1].assumed, true);
    assert.equal('assumed' in r.matchedStatements[0], false);
    assert.ok(r.notes.includes('statement #2 of policy document #1: this Deny is counted although its condition could not be checked locally (fail-closed).'));
  });

  it('a condition that is false makes the statement not apply; a true one lets it apply', () => {
    const cond = (clientId: string) => publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*', Condition: { StringEquals: { 'iot:ClientId': 'c1' } } })], 'a/b', { clientId });
    assert.equal(cond('c2').decision, 'deny');
    assert.equal(cond('c1').decision, 'allow');
    assert.equal(cond('c1').uncertain, false);
  });

  it('an unresolved variable in a resource is noted', () => {
    const r = publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}/*` })]);
    assert.deepEqual(r.notes, ['statement #1 of policy document #1: ${iot:ClientId} is not resolved (the connection has no client id); it stays as literal text, so the resource matches only a name containing it.']);
    const n = publish([doc({ Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}:topic/\${iot:ClientId}/*` })]);
    assert.equal(n.notes.length, 1);
  });

  it('parsePolicyDocument: errors name the document by its 1-based number', () => {
    const code = (p: unknown, index: number, c: string, m: RegExp) =>
      assert.throws(() => parsePolicyDocument(p as string, index), (e: unknown) => e instanceof AuthzError && e.code === c && m.test(e.message) && !!e.hint && e.hint.length > 10);
    code('{nope', 2, 'POLICY_INVALID_JSON', /^Policy document #3 is not valid JSON: /);
    code('null', 0, 'POLICY_NO_STATEMENT', /^Policy document #1 has no Statement\.$/);
    code('[]', 1, 'POLICY_NO_STATEMENT', /#2 has no Statement/);
    code('"text"', 0, 'POLICY_NO_STATEMENT', /#1/);
    code({ Version: '2012-10-17' }, 4, 'POLICY_NO_STATEMENT', /#5/);
    assert.throws(() => publish([doc({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }), '{}']), /Policy document #2 has no Statement/);
  });
});

describe('core/policy evaluate: the topic-filter Deny caveat', () => {
  const subscribe = (policies: PolicyDocument[], filter: string) => evaluate({ policies, action: 'iot:Subscribe', resource: `${ARN}:topicfilter/${filter}` });
  const restricted = (action = 'iot:Subscribe', resource = `${ARN}:topicfilter/a/restricted/*`, effect = 'Deny') =>
    doc({ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/*` }, { Effect: effect, Action: action, Resource: resource });
  const caveat = (r: { notes: string[] }) => r.notes.some((n) => /matched literally against the Deny on topicfilter\/a\/restricted\/\*/.test(n));

  it('a wildcard filter over a denied filter gets the note', () => {
    assert.ok(caveat(subscribe([restricted()], 'a/#')));
    assert.ok(caveat(subscribe([restricted('iot:*')], 'a/+')));
    assert.ok(caveat(subscribe([restricted('*')], 'a/#')));
  });
  it('no note without a wildcard, for another prefix, for an Allow, for another action, or a non-filter resource', () => {
    assert.ok(!caveat(subscribe([restricted()], 'a/b')));
    assert.ok(!caveat(subscribe([restricted()], 'b/#')));
    assert.ok(!subscribe([restricted('iot:Subscribe', `${ARN}:topicfilter/a/restricted/*`, 'Allow')], 'a/#').notes.some((n) => n.includes('matched literally')));
    assert.ok(!subscribe([restricted('iot:Publish')], 'a/#').notes.some((n) => n.includes('matched literally')));
    assert.ok(!subscribe([restricted('iot:Subscribe', `${ARN}:topic/a/restricted/*`)], 'a/#').notes.some((n) => n.includes('matched literally')));
    const r = evaluate({ policies: [restricted()], action: 'iot:Publish', resource: `${ARN}:topic/a/#` });
    assert.ok(!r.notes.some((n) => n.includes('matched literally')));
  });
  it('a filter that is its own Deny pattern gets no note', () => {
    assert.ok(!subscribe([restricted('iot:Subscribe', `${ARN}:topicfilter/a/#`)], 'a/#').notes.some((n) => n.includes('matched literally')));
  });
});
