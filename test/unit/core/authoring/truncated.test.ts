import * as assert from 'node:assert/strict';
import { codes } from './helpers';

describe('authoring: a syntax error suppresses structural findings on the nodes it cut off', () => {
  it('truncated inside "Statement": JSON_SYNTAX only, no POLICY_STATEMENT_EMPTY / POLICY_NO_CONNECT', () => {
    assert.deepEqual(codes('{"Version": "2012-10-17", "Statement": [', 'policy'), ['JSON_SYNTAX']);
  });

  it('truncated inside a statement: no ACTION/RESOURCE missing for the statement being typed', () => {
    assert.deepEqual(codes('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",', 'policy'), ['JSON_SYNTAX']);
  });

  it('findings on complete nodes before the error are kept (IOT_ACTION_UNKNOWN)', () => {
    const c = codes('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publsh", "Resource": "*"}', 'policy');
    assert.ok(c.includes('IOT_ACTION_UNKNOWN'), c.join());
    assert.ok(c.includes('JSON_SYNTAX'));
    assert.ok(!c.includes('POLICY_NO_CONNECT'), c.join());
  });

  it('near miss: the same empty Statement in a complete document is still reported', () => {
    assert.ok(codes('{"Version": "2012-10-17", "Statement": []}', 'policy').includes('POLICY_STATEMENT_EMPTY'));
  });

  it('near miss: a complete statement missing Resource, with an error only after it, is still reported', () => {
    const c = codes('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect"}, ', 'policy');
    assert.ok(c.includes('POLICY_RESOURCE_MISSING'), c.join());
  });

  it('a truncated response and definition: no "missing field" guesses', () => {
    assert.deepEqual(codes('{"principalId": "d1", ', 'response'), ['JSON_SYNTAX']);
    assert.ok(!codes('{"authorizerName": "A", ', 'authorizer').includes('AUTHORIZER_FIELD_MISSING'));
    assert.ok(codes('{"authorizerName": "A"}', 'authorizer').includes('AUTHORIZER_FIELD_MISSING'));
  });
});
