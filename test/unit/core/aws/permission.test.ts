import * as assert from 'node:assert/strict';
import { arnLike, checkInvokePermission, invokePermissionRequest, invokeStatementId, statementForRequest } from '../../../../src/core/aws';

const AUTHZ = 'arn:aws:iot:us-east-1:123456789012:authorizer/my-authz';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:authz-fn';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

const base = {
  Sid: 's1',
  Effect: 'Allow',
  Principal: { Service: 'iot.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: FN,
};

describe('core/aws Lambda resource-policy check', () => {
  it('the exact AddPermission request and the statement Lambda stores', () => {
    const req = invokePermissionRequest(FN, AUTHZ);
    assert.deepEqual(req, {
      FunctionName: FN,
      StatementId: 'iot-authz-my-authz',
      Action: 'lambda:InvokeFunction',
      Principal: 'iot.amazonaws.com',
      SourceArn: AUTHZ,
      SourceAccount: '123456789012',
    });
    const st = statementForRequest(req);
    assert.equal(checkInvokePermission(policy(st), AUTHZ, FN).allowed, true);
    assert.equal(invokeStatementId('a=b,c@d'), 'iot-authz-a-b-c-d');
    assert.equal(invokeStatementId('x'.repeat(128)).length, 100);
    assert.throws(() => invokePermissionRequest(FN, FN), /Not an IoT authorizer ARN/);
  });

  it('no policy, unparsable policy, other principal or action: not allowed', () => {
    assert.equal(checkInvokePermission(undefined, AUTHZ).allowed, false);
    assert.equal(checkInvokePermission('{', AUTHZ).allowed, false);
    assert.equal(checkInvokePermission(policy({ ...base, Principal: { Service: 's3.amazonaws.com' } }), AUTHZ).allowed, false);
    assert.equal(checkInvokePermission(policy({ ...base, Action: 'lambda:GetFunction' }), AUTHZ).allowed, false);
    assert.equal(checkInvokePermission(policy({ ...base, Effect: 'Deny' }), AUTHZ).allowed, false);
  });

  it('SourceArn: exact, ArnLike wildcards, another authorizer', () => {
    const withArn = (op: string, v: string | string[]) => policy({ ...base, Condition: { [op]: { 'AWS:SourceArn': v }, StringEquals: { 'AWS:SourceAccount': '123456789012' } } });
    assert.equal(checkInvokePermission(withArn('ArnLike', AUTHZ), AUTHZ, FN).allowed, true);
    assert.equal(checkInvokePermission(withArn('ArnLike', 'arn:aws:iot:us-east-1:123456789012:authorizer/*'), AUTHZ, FN).allowed, true);
    assert.equal(checkInvokePermission(withArn('ArnLike', 'arn:aws:iot:*:123456789012:authorizer/my-*'), AUTHZ, FN).allowed, true);
    assert.equal(checkInvokePermission(withArn('ArnEquals', AUTHZ), AUTHZ, FN).allowed, true);
    const other = checkInvokePermission(withArn('ArnLike', 'arn:aws:iot:us-east-1:123456789012:authorizer/other'), AUTHZ, FN);
    assert.equal(other.allowed, false);
    assert.match(other.reason, /s1: ArnLike AWS:SourceArn/);
    assert.equal(checkInvokePermission(withArn('ArnLike', ['arn:aws:iot:us-east-1:123456789012:authorizer/other', AUTHZ]), AUTHZ, FN).allowed, true);
    // Condition keys are case-insensitive.
    assert.equal(checkInvokePermission(policy({ ...base, Condition: { ArnLike: { 'aws:SourceArn': AUTHZ } } }), AUTHZ).allowed, true);
    // ArnLike's * does not cross the colon-separated parts.
    assert.equal(arnLike('arn:aws:iot:*:authorizer/my-authz', AUTHZ), false);
  });

  it('SourceAccount must match; a missing SourceArn or SourceAccount is allowed with a warning', () => {
    const wrongAccount = policy({ ...base, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:iot:us-east-1:*:authorizer/*' }, StringEquals: { 'AWS:SourceAccount': '999999999999' } } });
    assert.equal(checkInvokePermission(wrongAccount, AUTHZ).allowed, false);
    const open = checkInvokePermission(policy(base), AUTHZ, FN);
    assert.equal(open.allowed, true);
    assert.match(open.warnings.join(' '), /no AWS:SourceArn condition/);
    const noAccount = checkInvokePermission(policy({ ...base, Condition: { ArnLike: { 'AWS:SourceArn': AUTHZ } } }), AUTHZ, FN);
    assert.match(noAccount.warnings.join(' '), /no AWS:SourceAccount/);
  });

  it('principal as a string or "*", action wildcards and lists, a Deny wins', () => {
    assert.equal(checkInvokePermission(policy({ ...base, Principal: 'iot.amazonaws.com' }), AUTHZ).allowed, true);
    const star = checkInvokePermission(policy({ ...base, Principal: '*', Condition: { ArnLike: { 'AWS:SourceArn': AUTHZ }, StringEquals: { 'AWS:SourceAccount': '123456789012' } } }), AUTHZ);
    assert.equal(star.allowed, true);
    assert.match(star.warnings.join(' '), /principal "\*"/);
    assert.equal(checkInvokePermission(policy({ ...base, Action: ['lambda:GetFunction', 'lambda:*'] }), AUTHZ).allowed, true);
    assert.equal(checkInvokePermission(policy({ ...base, Action: 'lambda:invokefunction' }), AUTHZ).allowed, true);
    const denied = checkInvokePermission(policy(base, { ...base, Sid: 'no', Effect: 'Deny' }), AUTHZ);
    assert.equal(denied.allowed, false);
    assert.equal(denied.statementId, 'no');
  });

  it('resource must be this function (qualified ARNs count as the function)', () => {
    assert.equal(checkInvokePermission(policy({ ...base, Resource: `${FN}:live` }), AUTHZ, `${FN}:live`).allowed, true);
    assert.equal(checkInvokePermission(policy({ ...base, Resource: FN.replace('authz-fn', 'other') }), AUTHZ, FN).allowed, false);
  });
});
