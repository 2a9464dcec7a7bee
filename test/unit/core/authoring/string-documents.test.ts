import * as assert from 'node:assert/strict';
import { decodeStringLiteral } from '../../../../src/core/authoring/json';
import { applyFix, arn, CONNECT, only, policy, response, slice, text } from './helpers';

describe('authoring: policy documents given as JSON strings', () => {
  it('decodeStringLiteral maps every decoded character to its raw offset', () => {
    const raw = JSON.stringify('a"b\\c\nd\u00e9\u2028\ud83d\ude00');
    const lit = `x${raw.replace('\u00e9', '\\u00e9')}y`;
    const { value, map } = decodeStringLiteral(lit, 1, lit.length - 1);
    assert.equal(value, 'a"b\\c\nd\u00e9\u2028\ud83d\ude00');
    assert.equal(map.length, value.length + 1);
    assert.equal(lit[map[1]], '\\'); // the escaped quote starts at its backslash
    assert.equal(lit.slice(map[7], map[8]), '\\u00e9');
    assert.equal(map[value.length], lit.length - 2);
  });

  it('ranges inside a string document land on the exact characters despite escapes', () => {
    // Pretty-printed inner JSON: quotes become \" and newlines \n in the outer literal.
    const inner = JSON.stringify(policy(CONNECT, { Effect: 'Allow', Action: 'iot:Pubish', Resource: arn('topic/a/+') }), null, 2);
    const t = text(response([inner]));
    const [u] = only(t, 'response', 'IOT_ACTION_UNKNOWN', 1);
    assert.equal(slice(t, u), 'iot:Pubish');
    const [w] = only(t, 'response', 'IOT_MQTT_WILDCARD_IN_TOPIC', 1);
    assert.equal(slice(t, w), '+');
    const fixed = applyFix(t, u);
    assert.equal(JSON.parse(JSON.parse(fixed).policyDocuments[0]).Statement[1].Action, 'iot:Publish');
  });

  it('\\uXXXX escapes inside the inner document shift offsets correctly', () => {
    // Build the outer literal by hand: the inner "iot:Pubish" has its "P" written as \u0050.
    const inner = JSON.stringify(policy(CONNECT, { Effect: 'Allow', Action: 'iot:Pubish', Resource: arn('topic/\u00e9/+') }));
    const literal = JSON.stringify(inner).replace('iot:Pubish', 'iot:\\u0050ubish').replace('\u00e9', '\\u00e9');
    const t = `{"isAuthenticated": true, "principalId": "a1", "policyDocuments": [${literal}]}`;
    const [u] = only(t, 'response', 'IOT_ACTION_UNKNOWN', 1);
    assert.equal(slice(t, u), 'iot:\\u0050ubish');
    const [w] = only(t, 'response', 'IOT_MQTT_WILDCARD_IN_TOPIC', 1);
    assert.equal(slice(t, w), '+');
    const fixed = applyFix(t, u);
    assert.equal(JSON.parse(JSON.parse(fixed).policyDocuments[0]).Statement[1].Action, 'iot:Publish');
  });

  it('escapes inside inner strings (\\\\\\" in the raw text) are mapped too', () => {
    // The inner document itself contains an escaped quote in a Sid-less field value.
    const inner = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/a\\"b"},{"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:123456789012:topic/x/#"}]}';
    JSON.parse(inner);
    const t = JSON.stringify({ isAuthenticated: true, principalId: 'a', policyDocuments: [inner] });
    const [w] = only(t, 'response', 'IOT_MQTT_WILDCARD_IN_TOPIC', 1);
    assert.equal(slice(t, w), '#');
  });

  it('invalid JSON inside the string is reported at the inner error position', () => {
    const t = text(response(['{"Version": "2012-10-17" "Statement": []}']));
    const [f] = only(t, 'response', 'RESPONSE_DOCUMENT_INVALID_JSON', 1);
    assert.equal(slice(t, f), '\\"Statement\\"');
  });

  it('the version fix inside a string document writes an escaped literal', () => {
    const t = text(response([JSON.stringify({ ...policy(CONNECT), Version: '2008-10-17' })]));
    const [f] = only(t, 'response', 'POLICY_VERSION_INVALID', 1);
    assert.equal(slice(t, f), '\\"2008-10-17\\"');
    assert.equal(f.fixes![0].edits[0].newText, '\\"2012-10-17\\"');
    assert.equal(JSON.parse(JSON.parse(applyFix(t, f)).policyDocuments[0]).Version, '2012-10-17');
  });
});
