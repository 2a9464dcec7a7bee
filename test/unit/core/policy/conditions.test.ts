import * as assert from 'node:assert/strict';
import { PolicyContext, PolicyStatement } from '../../../../src/core/policy';
import { conditionKeyValue, evaluateConditions, ipInCidr, Tri } from '../../../../src/core/policy/conditions';

type Condition = NonNullable<PolicyStatement['Condition']>;

const thing = { thingName: 'Sensor1', thingTypeName: 'TempSensor', attributes: { floor: '3' }, isAttached: true };

// [condition, context, expected]: IAM condition semantics for the keys a custom-authorizer connection has.
const rows: Array<[string, Condition, PolicyContext, Tri]> = [
  ['StringEquals matches exactly', { StringEquals: { 'iot:ClientId': 'abc' } }, { clientId: 'abc' }, true],
  ['StringEquals is case-sensitive', { StringEquals: { 'iot:ClientId': 'abc' } }, { clientId: 'ABC' }, false],
  ['StringEqualsIgnoreCase ignores case', { StringEqualsIgnoreCase: { 'iot:ClientId': 'abc' } }, { clientId: 'ABC' }, true],
  ['StringEqualsIgnoreCase still compares', { StringEqualsIgnoreCase: { 'iot:ClientId': 'abc' } }, { clientId: 'abd' }, false],
  ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'iot:ClientId': 'abc' } }, { clientId: 'ABC' }, false],
  ['StringLike with * and ?', { StringLike: { 'iot:ClientId': 'dev-?-*' } }, { clientId: 'dev-1-x/y' }, true],
  ['StringLike anchored at both ends', { StringLike: { 'iot:ClientId': 'dev-*' } }, { clientId: 'my-dev-1' }, false],
  ['StringNotLike', { StringNotLike: { 'iot:ClientId': 'dev-*' } }, { clientId: 'dev-1' }, false],
  ['StringLike is case-sensitive', { StringLike: { 'iot:ClientId': 'dev-*' } }, { clientId: 'DEV-1' }, false],
  ['ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:iot:*:123456789012:*' } }, { conditionKeys: { 'aws:SourceArn': 'arn:aws:iot:eu-west-1:123456789012:client/x' } }, true],
  ['ArnNotEquals', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:iot:eu-west-1:1:x' } }, { conditionKeys: { 'aws:SourceArn': 'arn:aws:iot:eu-west-1:1:x' } }, false],
  ['any of several policy values', { StringEquals: { 'iot:ClientId': ['a', 'b'] } }, { clientId: 'b' }, true],
  ['NumericEquals', { NumericEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '10.0' } }, true],
  ['NumericEquals, other number', { NumericEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '11' } }, false],
  ['NumericNotEquals', { NumericNotEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '11' } }, true],
  ['NumericLessThan: equal is not less', { NumericLessThan: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '10' } }, false],
  ['NumericLessThan', { NumericLessThan: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '9' } }, true],
  ['NumericLessThanEquals: equal', { NumericLessThanEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '10' } }, true],
  ['NumericLessThanEquals: greater', { NumericLessThanEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '11' } }, false],
  ['NumericGreaterThan: equal is not greater', { NumericGreaterThan: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '10' } }, false],
  ['NumericGreaterThan', { NumericGreaterThan: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '11' } }, true],
  ['NumericGreaterThanEquals: equal', { NumericGreaterThanEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '10' } }, true],
  ['NumericGreaterThanEquals: less', { NumericGreaterThanEquals: { 'k:n': '10' } }, { conditionKeys: { 'k:n': '9' } }, false],
  ['a value that is not a number never matches', { NumericLessThan: { 'k:n': '10' } }, { conditionKeys: { 'k:n': 'ten' } }, false],
  ['a policy number that is not a number never matches', { NumericGreaterThan: { 'k:n': 'x' } }, { conditionKeys: { 'k:n': '5' } }, false],
  ['Bool ignores case', { Bool: { 'k:b': 'TRUE' } }, { conditionKeys: { 'k:b': 'true' } }, true],
  ['Bool false vs true', { Bool: { 'k:b': 'false' } }, { conditionKeys: { 'k:b': 'true' } }, false],
  ['IpAddress in a /24', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { sourceIp: '203.0.113.77' }, true],
  ['IpAddress outside a /24', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { sourceIp: '203.0.114.1' }, false],
  ['NotIpAddress outside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { sourceIp: '198.51.100.1' }, true],
  ['aws:SourceIp not given: unknown', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, {}, 'unknown'],
  ['key names are case-insensitive', { StringEquals: { 'IOT:CLIENTID': 'abc' } }, { clientId: 'abc' }, true],
  ['extra keys are looked up case-insensitively', { StringEquals: { 'My:Key': 'v' } }, { conditionKeys: { 'my:key': 'v' } }, true],
  ['extra keys with several values', { StringEquals: { 'my:key': 'v2' } }, { conditionKeys: { 'my:key': ['v1', 'v2'] } }, true],
  ['an unknown key: unknown', { StringEquals: { 'aws:CurrentTime': 'x' } }, {}, 'unknown'],
  ['an unsupported operator: unknown', { DateGreaterThan: { 'my:key': '2020-01-01' } }, { conditionKeys: { 'my:key': '2024-01-01' } }, 'unknown'],
  ['missing key fails a positive operator', { StringEquals: { 'iot:ClientId': 'abc' } }, {}, false],
  ['missing key satisfies a negated operator', { StringNotEquals: { 'iot:ClientId': 'abc' } }, {}, true],
  ['missing key satisfies ...IfExists', { StringEqualsIfExists: { 'iot:ClientId': 'abc' } }, {}, true],
  ['...IfExists still checks a present key', { StringEqualsIfExists: { 'iot:ClientId': 'abc' } }, { clientId: 'x' }, false],
  ['...IfExists present and equal', { StringEqualsIfExists: { 'iot:ClientId': 'abc' } }, { clientId: 'abc' }, true],
  ['missing key satisfies ForAllValues', { 'ForAllValues:StringEquals': { 'iot:ClientId': 'abc' } }, {}, true],
  ['missing key fails ForAnyValue', { 'ForAnyValue:StringEquals': { 'iot:ClientId': 'abc' } }, {}, false],
  ['ForAllValues: every value must match', { 'ForAllValues:StringEquals': { 'my:k': ['a', 'b'] } }, { conditionKeys: { 'my:k': ['a', 'c'] } }, false],
  ['ForAllValues: all match', { 'ForAllValues:StringEquals': { 'my:k': ['a', 'b'] } }, { conditionKeys: { 'my:k': ['a', 'b'] } }, true],
  ['ForAnyValue: one match is enough', { 'ForAnyValue:StringEquals': { 'my:k': ['b'] } }, { conditionKeys: { 'my:k': ['a', 'b'] } }, true],
  ['ForAnyValue: no match', { 'ForAnyValue:StringEquals': { 'my:k': ['z'] } }, { conditionKeys: { 'my:k': ['a', 'b'] } }, false],
  ['Null true: the key is absent', { Null: { 'iot:ClientId': 'true' } }, {}, true],
  ['Null true: the key is present', { Null: { 'iot:ClientId': 'true' } }, { clientId: 'c' }, false],
  ['Null false: the key is present', { Null: { 'iot:ClientId': 'false' } }, { clientId: 'c' }, true],
  ['Null on an unknown key: unknown', { Null: { 'aws:SourceIp': 'true' } }, {}, 'unknown'],
  ['certificate keys never exist on a custom-authorizer connection', { Null: { 'iot:Certificate.Subject.CommonName': 'true' } }, {}, true],
  ['thing name', { StringEquals: { 'iot:Connection.Thing.ThingName': 'Sensor1' } }, { thing }, true],
  ['thing name differs', { StringEquals: { 'iot:Connection.Thing.ThingName': 'Sensor2' } }, { thing }, false],
  ['thing type name', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'TempSensor' } }, { thing }, true],
  ['thing type name is not the thing name', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Sensor1' } }, { thing }, false],
  ['thing without a type: the key is absent', { Null: { 'iot:Connection.Thing.ThingTypeName': 'true' } }, { thing: { thingName: 'S' } }, true],
  ['thing attached', { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, { thing }, true],
  ['thing attachment not given: the key is absent', { Null: { 'iot:Connection.Thing.IsAttached': 'true' } }, { thing: { thingName: 'S' } }, true],
  ['thing keys without registry facts: unknown', { StringEquals: { 'iot:Connection.Thing.ThingName': 'Sensor1' } }, {}, 'unknown'],
  ['thing attribute', { StringEquals: { 'iot:Connection.Thing.Attributes[floor]': '3' } }, { thing }, true],
  ['thing attribute differs', { StringEquals: { 'iot:Connection.Thing.Attributes[floor]': '4' } }, { thing }, false],
  ['thing attribute absent', { Null: { 'iot:Connection.Thing.Attributes[room]': 'true' } }, { thing }, true],
  ['thing attribute without registry facts: unknown', { StringEquals: { 'iot:Connection.Thing.Attributes[floor]': '3' } }, {}, 'unknown'],
  ['policy values take variables', { StringEquals: { 'my:k': '${iot:ClientId}' } }, { clientId: 'c1', conditionKeys: { 'my:k': 'c1' } }, true],
  ['operators AND: one false makes it false', { StringEquals: { 'iot:ClientId': 'c1' }, StringLike: { 'my:k': 'z*' } }, { clientId: 'c1', conditionKeys: { 'my:k': 'a' } }, false],
  ['keys AND: one unknown makes it unknown', { StringEquals: { 'iot:ClientId': 'c1', 'aws:SourceIp': '1.2.3.4' } }, { clientId: 'c1' }, 'unknown'],
  ['false wins over unknown', { StringEquals: { 'aws:SourceIp': '1.2.3.4', 'iot:ClientId': 'c2' } }, { clientId: 'c1' }, false],
  ['a block that is not an object is skipped', { StringEquals: null as unknown as Record<string, string> }, {}, true],
];

describe('core/policy conditions: IAM operators and keys', () => {
  for (const [name, condition, context, expected] of rows) {
    it(`${String(expected)}: ${name}`, () => {
      assert.equal(evaluateConditions(condition, context).result, expected);
    });
  }

  it('no Condition is true', () => {
    assert.deepEqual(evaluateConditions(undefined, {}), { result: true, notes: [] });
  });

  it('notes say why: the key is absent, not met, not evaluated', () => {
    assert.match(evaluateConditions({ StringEquals: { 'iot:ClientId': 'a' } }, {}).notes.join(), /StringEquals on iot:ClientId: the key is absent/);
    assert.match(evaluateConditions({ StringEquals: { 'iot:ClientId': 'a' } }, { clientId: 'b' }).notes.join(), /is not met \(value "b"\)/);
    assert.match(evaluateConditions({ IpAddress: { 'aws:SourceIp': '1.2.3.4' } }, {}).notes.join(), /not evaluated locally: the client IP \(aws:SourceIp\) was not given/);
    assert.match(evaluateConditions({ DateLessThan: { 'k:k': 'x' } }, { conditionKeys: { 'k:k': 'y' } }).notes.join(), /the operator DateLessThan is not supported here/);
    assert.match(evaluateConditions({ StringEquals: { 'iot:Connection.Thing.ThingName': 'x' } }, {}).notes.join(), /iot:Connection.Thing.ThingName needs registry facts/);
  });

  it('conditionKeyValue: what a connection says about a key', () => {
    assert.deepEqual(conditionKeyValue('iot:ClientId', { clientId: 'c' }), { state: 'present', values: ['c'] });
    assert.deepEqual(conditionKeyValue('iot:ClientId', {}), { state: 'missing' });
    assert.deepEqual(conditionKeyValue('aws:SourceIp', { sourceIp: '1.2.3.4' }), { state: 'present', values: ['1.2.3.4'] });
    assert.deepEqual(conditionKeyValue('iot:Connection.Thing.IsAttached', { thing }), { state: 'present', values: ['true'] });
    assert.deepEqual(conditionKeyValue('iot:Certificate.Subject.CommonName', {}), { state: 'missing' });
    assert.equal(conditionKeyValue('aws:CurrentTime', {}).state, 'unknown');
  });
});

describe('core/policy ipInCidr', () => {
  const rows: Array<[string, string, boolean]> = [
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.2', '10.0.0.1', false],
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.1.1', '0.0.0.0/0', true],
    ['10.0.0.1', '10.0.0.0/33', false],
    ['10.0.0.1', '10.0.0.0/-1', false],
    ['10.0.0', '10.0.0.0/8', false],
    ['10.0.0.256', '10.0.0.0/8', false],
    ['10.0.0.1.5', '10.0.0.0/8', false],
    ['1x.0.0.1', '10.0.0.0/8', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1', true],
    ['2001:db8::2', '2001:db8::1', false],
    ['::1', '::1/128', true],
    ['2001:db8::1', '2001:db8::/129', false],
    ['2001:db8::1', '::/0', true],
    ['2001:db8:1:2:3:4:5:6:7', '2001:db8::/32', false],
    ['2001:db8::1::2', '2001:db8::/32', false],
    ['2001:db8::g', '2001:db8::/32', false],
    ['2001:db8:1:2:3:4:5', '2001:db8::/32', false],
    ['10.0.0.1', '2001:db8::/32', false],
  ];
  for (const [ip, cidr, expected] of rows) {
    it(`${ip} ${expected ? 'in' : 'not in'} ${cidr}`, () => assert.equal(ipInCidr(ip, cidr), expected));
  }
});
