import * as assert from 'node:assert/strict';
import { evaluate, PolicyContext, resolveVariable, substitute } from '../../../../src/core/policy';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const thing = { thingName: 'Sensor1', thingTypeName: 'TempSensor', attributes: { floor: '3' }, isAttached: false };

describe('core/policy variables: resolveVariable', () => {
  const rows: Array<[string, PolicyContext, string | undefined]> = [
    ['*', {}, '*'],
    ['?', {}, '?'],
    ['$', {}, '$'],
    [' iot:ClientId ', { clientId: 'c1' }, 'c1'],
    ['iot:ClientId', {}, undefined],
    ['aws:SourceIp', { sourceIp: '1.2.3.4' }, '1.2.3.4'],
    ['aws:SourceIp', {}, undefined],
    ['iot:Connection.Thing.ThingName', { thing }, 'Sensor1'],
    ['iot:Connection.Thing.ThingName', {}, undefined],
    ['iot:Connection.Thing.ThingTypeName', { thing }, 'TempSensor'],
    ['iot:Connection.Thing.ThingTypeName', { thing: { thingName: 'S' } }, undefined],
    ['iot:Connection.Thing.ThingTypeName', {}, undefined],
    ['iot:Connection.Thing.IsAttached', { thing }, 'false'],
    ['iot:Connection.Thing.IsAttached', { thing: { thingName: 'S' } }, undefined],
    ['iot:Connection.Thing.IsAttached', {}, undefined],
    ['iot:Connection.Thing.Attributes[floor]', { thing }, '3'],
    ['iot:Connection.Thing.Attributes[room]', { thing }, undefined],
    ['iot:Connection.Thing.Attributes[floor]', {}, undefined],
    ['iot:Connection.Thing.Attributes[floor]', { thing: { thingName: 'S' } }, undefined],
    ['iot:Certificate.Subject.CommonName', { conditionKeys: { 'iot:Certificate.Subject.CommonName': 'x' } }, undefined],
    ['my:Key', { conditionKeys: { 'my:key': 'v' } }, 'v'],
    ['my:key', { conditionKeys: { 'my:key': 'v' } }, 'v'],
    ['my:key', { conditionKeys: { 'my:key': ['a', 'b'] } }, undefined],
    ['my:other', { conditionKeys: { 'my:key': 'v' } }, undefined],
  ];
  for (const [name, ctx, value] of rows) {
    it(`\${${name}} ${value === undefined ? 'stays unresolved' : `is ${value}`} (${JSON.stringify(ctx)})`, () => {
      const r = resolveVariable(name, ctx);
      if (value === undefined) assert.ok('unresolved' in r && r.unresolved.length > 10, JSON.stringify(r));
      else assert.deepEqual(r, { value });
    });
  }

  it('says why a variable is unresolved', () => {
    const why = (name: string, ctx: PolicyContext = {}) => (resolveVariable(name, ctx) as { unresolved: string }).unresolved;
    assert.match(why('iot:ClientId'), /no client id/);
    assert.match(why('aws:SourceIp'), /no source IP/);
    assert.match(why('iot:Connection.Thing.ThingName'), /no registry thing/);
    assert.match(why('iot:Connection.Thing.ThingTypeName'), /no thing type/);
    assert.match(why('iot:Connection.Thing.IsAttached'), /attached was not given/);
    assert.match(why('iot:Connection.Thing.Attributes[room]', { thing }), /no attribute "room"/);
    assert.match(why('iot:Certificate.Subject.CommonName'), /never resolve/);
    assert.match(why('nope:x'), /not a variable this evaluator knows/);
  });
});

describe('core/policy variables: substitute', () => {
  it('text, *, ? and variables: display and unresolved list', () => {
    const s = substitute('a/${iot:ClientId}/*/?/${iot:Certificate.Subject.CommonName}', { clientId: 'c.1' });
    assert.equal(s.display, 'a/c.1/*/?/${iot:Certificate.Subject.CommonName}');
    assert.deepEqual(s.unresolved.map((u) => u.variable), ['${iot:Certificate.Subject.CommonName}']);
  });

  it('an unclosed ${ is literal text', () => {
    assert.equal(substitute('a/${iot:ClientId', { clientId: 'c' }).display, 'a/${iot:ClientId');
    assert.deepEqual(substitute('a/${iot:ClientId', { clientId: 'c' }).unresolved, []);
  });

  it('a lone $ and a lone { are literal text', () => {
    assert.equal(substitute('$a{b}$', {}).display, '$a{b}$');
  });
});

describe('core/policy variables: matching through evaluate', () => {
  const allow = (resource: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: resource }] });
  const decide = (pattern: string, topic: string, context: PolicyContext = {}) =>
    evaluate({ policies: [allow(`${ARN}:topic/${pattern}`)], action: 'iot:Publish', resource: `${ARN}:topic/${topic}`, context }).decision;

  const rows: Array<[string, string, PolicyContext, 'allow' | 'deny']> = [
    ['a/*', 'a/b/c', {}, 'allow'],
    ['a/*', 'b/a/c', {}, 'deny'],
    ['a/?', 'a/b', {}, 'allow'],
    ['a/?', 'a/bc', {}, 'deny'],
    ['a/?', 'a/', {}, 'deny'],
    ['a/b', 'a/bc', {}, 'deny'],
    ['a/b', 'xa/b', {}, 'deny'],
    ['a.b', 'aXb', {}, 'deny'],
    ['a/*/c', 'a/b/x/c', {}, 'allow'],
    ['a/${*}', 'a/*', {}, 'allow'],
    ['a/${*}', 'a/b', {}, 'deny'],
    ['a/${?}', 'a/?', {}, 'allow'],
    ['a/${?}', 'a/b', {}, 'deny'],
    ['a/${$}', 'a/$', {}, 'allow'],
    ['${iot:ClientId}/*', 'c1/x', { clientId: 'c1' }, 'allow'],
    ['${iot:ClientId}/*', 'c2/x', { clientId: 'c1' }, 'deny'],
    ['${iot:ClientId}/*', '${iot:ClientId}/x', {}, 'allow'],
    ['${iot:Connection.Thing.ThingName}', 'Sensor1', { thing }, 'allow'],
    ['${iot:Connection.Thing.Attributes[floor]}/t', '3/t', { thing }, 'allow'],
    ['${aws:SourceIp}', '1.2.3.4', { sourceIp: '1.2.3.4' }, 'allow'],
    ['${aws:SourceIp}', '1x2.3.4', { sourceIp: '1.2.3.4' }, 'deny'],
    ['x', 'x\ny', {}, 'deny'],
    ['*', 'line1\nline2', {}, 'allow'],
  ];
  for (const [pattern, topic, ctx, expected] of rows) {
    it(`topic/${pattern} ${expected === 'allow' ? 'matches' : 'does not match'} topic/${JSON.stringify(topic)}`, () => {
      assert.equal(decide(pattern, topic, ctx), expected);
    });
  }

  it('the same pattern is matched case-sensitively as a resource and case-insensitively as an action', () => {
    assert.equal(decide('Room/*', 'room/x'), 'deny');
    const r = evaluate({ policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'IOT:PUB*', Resource: '*' }] }], action: 'iot:Publish', resource: `${ARN}:topic/x` });
    assert.equal(r.decision, 'allow');
    // The resource check right after must not reuse the case-insensitive matcher.
    assert.equal(decide('IOT:PUB*', 'iot:publish'), 'deny');
  });
});
