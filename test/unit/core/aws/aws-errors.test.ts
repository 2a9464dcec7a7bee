import * as assert from 'node:assert/strict';
import { AwsCallContext, deniedActionFromMessage, mapAwsError } from '../../../../src/core/aws/aws-errors';
import { AuthzError } from '../../../../src/core/errors';

const ctx: AwsCallContext = { service: 'iot', operation: 'ListAuthorizers', profile: 'dev', region: 'us-east-1', endpoint: 'https://iot.us-east-1.amazonaws.com' };

function err(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('core/aws error mapping', () => {
  it('no credentials: says how to configure', () => {
    const e = mapAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), { ...ctx, profile: undefined });
    assert.equal(e.code, 'AWS_NO_CREDENTIALS');
    assert.match(e.display, /aws configure/);
    assert.match(e.display, /AWS_PROFILE/);
    const p = mapAwsError(err('CredentialsProviderError', 'Could not resolve credentials using profile: [dev]'), ctx);
    assert.match(p.display, /aws configure --profile dev/);
  });

  it('expired SSO session: the exact aws sso login command', () => {
    const e = mapAwsError(err('CredentialsProviderError', 'The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run \'aws sso login\' with the corresponding profile.'), ctx);
    assert.equal(e.code, 'AWS_SSO_EXPIRED');
    assert.match(e.hint ?? '', /`aws sso login --profile dev`/);
    const k = mapAwsError(err('ExpiredTokenException', 'The security token included in the request is expired'), { ...ctx, profileKind: 'sso' });
    assert.equal(k.code, 'AWS_SSO_EXPIRED');
    const s = mapAwsError(err('ExpiredTokenException', 'The security token included in the request is expired'), ctx);
    assert.equal(s.code, 'AWS_CREDENTIALS_EXPIRED');
  });

  it('access denied: names the action from the message, else infers it', () => {
    assert.equal(deniedActionFromMessage('User: arn:aws:iam::1:user/x is not authorized to perform: iot:ListAuthorizers on resource: *'), 'iot:ListAuthorizers');
    const a = mapAwsError(err('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: iot:DescribeAuthorizer on resource: arn'), ctx);
    assert.equal(a.code, 'AWS_ACCESS_DENIED');
    assert.match(a.display, /Allow `iot:DescribeAuthorizer`/);
    const b = mapAwsError(err('AccessDeniedException', ''), { ...ctx, service: 'lambda', operation: 'GetPolicy' });
    assert.match(b.display, /lambda:GetPolicy/);
    const c = mapAwsError(err('UnauthorizedException', 'Access Denied'), ctx);
    assert.match(c.display, /iot:ListAuthorizers/);
  });

  it('not found, throttled (notes the retries), invalid request, conflict, limit', () => {
    assert.equal(mapAwsError(err('ResourceNotFoundException', 'x'), { ...ctx, resource: "Authorizer 'a'" }).message.startsWith("Authorizer 'a' was not found in us-east-1"), true);
    const t = mapAwsError(err('ThrottlingException', 'Rate exceeded', { $metadata: { attempts: 3 } }), ctx);
    assert.equal(t.code, 'AWS_THROTTLED');
    assert.match(t.message, /after 3 attempts \(the SDK already retried with backoff\)/);
    assert.equal(mapAwsError(err('TooManyRequestsException', 'Rate exceeded'), ctx).code, 'AWS_THROTTLED');
    assert.equal(mapAwsError(err('InvalidRequestException', 'bad'), ctx).code, 'AWS_INVALID_REQUEST');
    assert.equal(mapAwsError(err('InvalidParameterValueException', 'bad'), ctx).code, 'AWS_INVALID_REQUEST');
    const c = mapAwsError(err('ResourceConflictException', 'The statement id (x) provided already exists.'), { ...ctx, service: 'lambda', operation: 'AddPermission' });
    assert.equal(c.code, 'AWS_CONFLICT');
    assert.match(c.display, /remove-permission/);
    assert.equal(mapAwsError(err('ResourceAlreadyExistsException', 'exists'), { ...ctx, operation: 'CreateAuthorizer' }).code, 'AWS_CONFLICT');
    assert.equal(mapAwsError(err('LimitExceededException', 'too many'), ctx).code, 'AWS_LIMIT_EXCEEDED');
  });

  it('network errors: offline or endpoint unreachable, naming the endpoint', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT']) {
      const e = mapAwsError(Object.assign(new Error(`connect ${code}`), { code }), ctx);
      assert.equal(e.code, 'AWS_UNREACHABLE');
      assert.match(e.message, /https:\/\/iot\.us-east-1\.amazonaws\.com/);
      assert.match(e.message, /offline or endpoint unreachable/);
    }
    assert.equal(mapAwsError(Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {}), ctx).code, 'AWS_UNREACHABLE');
    assert.equal(mapAwsError(err('TimeoutError', 'Connection timed out after 5000 ms'), ctx).code, 'AWS_UNREACHABLE');
  });

  it('bad signature / unknown key, cancellation, AuthzError passthrough, fallback', () => {
    assert.equal(mapAwsError(err('InvalidSignatureException', 'The request signature we calculated does not match'), ctx).code, 'AWS_BAD_CREDENTIALS');
    assert.equal(mapAwsError(err('UnrecognizedClientException', 'The security token included in the request is invalid.'), ctx).code, 'AWS_BAD_CREDENTIALS');
    assert.equal(mapAwsError(err('AbortError', 'Request aborted'), ctx).code, 'CANCELLED');
    const a = new AuthzError('X', 'y');
    assert.equal(mapAwsError(a, ctx), a);
    assert.equal(mapAwsError(err('WeirdException', 'odd'), ctx).code, 'AWS_ERROR');
    assert.equal(mapAwsError(err('InternalFailureException', 'boom', { $fault: 'server' }), ctx).code, 'AWS_SERVICE_ERROR');
  });
});
