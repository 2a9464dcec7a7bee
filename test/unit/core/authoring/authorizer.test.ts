import * as assert from 'node:assert/strict';
import { templateFor } from '../../../../src/core/authoring';
import { applyFix, assertNone, codes, only, slice, text } from './helpers';

const base = () => JSON.parse(templateFor('authorizer'));
const exists = (p: string) => p === 'keys/dev.public.pem' || p === 'lambda/index.js';

describe('authoring: authorizer definition rules', () => {
  it('the template has no findings', () => {
    assert.deepEqual(codes(templateFor('authorizer'), 'authorizer', { fileExists: exists }), []);
  });

  it('AUTHORIZER_FIELD_MISSING for name and function ARN', () => {
    only(text({}), 'authorizer', 'AUTHORIZER_FIELD_MISSING', 2);
  });

  it('AUTHORIZER_NAME_INVALID for a space; [\\w=,@-] passes', () => {
    only(text({ ...base(), authorizerName: 'my authorizer' }), 'authorizer', 'AUTHORIZER_NAME_INVALID', 1);
    only(text({ ...base(), authorizerName: 'a'.repeat(129) }), 'authorizer', 'AUTHORIZER_NAME_INVALID', 1);
    assertNone(text({ ...base(), authorizerName: 'My_Auth=1,a@b-c' }), 'authorizer', 'AUTHORIZER_NAME_INVALID');
  });

  it('AUTHORIZER_FUNCTION_ARN_INVALID; an alias is fine', () => {
    only(text({ ...base(), authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123:function:f' }), 'authorizer', 'AUTHORIZER_FUNCTION_ARN_INVALID', 1);
    assertNone(text({ ...base(), authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:live' }), 'authorizer', 'AUTHORIZER_FUNCTION_ARN_INVALID');
  });

  it('AUTHORIZER_TOKEN_KEY_NAME_INVALID for a dot', () => {
    only(text({ ...base(), tokenKeyName: 'x.token' }), 'authorizer', 'AUTHORIZER_TOKEN_KEY_NAME_INVALID', 1);
  });

  it('AUTHORIZER_SIGNING_FIELDS_REQUIRED unless signingDisabled; UNUSED info when disabled with keys', () => {
    const { tokenKeyName: _t, tokenSigningPublicKeys: _k, ...rest } = base();
    only(text(rest), 'authorizer', 'AUTHORIZER_SIGNING_FIELDS_REQUIRED', 2);
    assertNone(text({ ...rest, signingDisabled: true }), 'authorizer', 'AUTHORIZER_SIGNING_FIELDS_REQUIRED');
    only(text({ ...base(), signingDisabled: true }), 'authorizer', 'AUTHORIZER_SIGNING_FIELDS_UNUSED', 1);
  });

  it('keys: names, inline PEM, path, {path}, {pem}; private keys and missing files', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n';
    const ok = { ...base(), tokenSigningPublicKeys: { a: pem, b: 'keys/dev.public.pem', c: { path: 'keys/dev.public.pem' }, d: { pem } } };
    assert.deepEqual(codes(text(ok), 'authorizer', { fileExists: exists }), []);
    only(text({ ...base(), tokenSigningPublicKeys: { 'bad key': pem } }), 'authorizer', 'AUTHORIZER_KEY_NAME_INVALID', 1);
    only(text({ ...base(), tokenSigningPublicKeys: { k: 'not a key' } }), 'authorizer', 'AUTHORIZER_KEY_VALUE_INVALID', 1);
    only(text({ ...base(), tokenSigningPublicKeys: { k: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' } }), 'authorizer', 'AUTHORIZER_KEY_PRIVATE', 1);
    const t = text({ ...base(), tokenSigningPublicKeys: { k: { path: 'keys/missing.pem' } } });
    const [f] = only(t, 'authorizer', 'AUTHORIZER_KEY_FILE_MISSING', 1, { fileExists: exists });
    assert.equal(slice(t, f), '"keys/missing.pem"');
    assertNone(t, 'authorizer', 'AUTHORIZER_KEY_FILE_MISSING');
  });

  it('AUTHORIZER_STATUS_INVALID with a case fix', () => {
    const t = text({ ...base(), status: 'active' });
    const [f] = only(t, 'authorizer', 'AUTHORIZER_STATUS_INVALID', 1);
    assert.equal(JSON.parse(applyFix(t, f)).status, 'ACTIVE');
  });

  it('region/account checks and mismatch with the function ARN', () => {
    only(text({ ...base(), region: 'useast1' }), 'authorizer', 'AUTHORIZER_REGION_INVALID', 1);
    only(text({ ...base(), account: '12' }), 'authorizer', 'AUTHORIZER_ACCOUNT_INVALID', 1);
    only(text({ ...base(), region: 'eu-west-1' }), 'authorizer', 'AUTHORIZER_REGION_MISMATCH', 1);
  });

  it('handler: runtime, file, function, timeout ≤ 5 with a clamp fix, environment', () => {
    const h = (handler: unknown) => text({ ...base(), handler });
    only(h({ runtime: 'java', file: 'a.js' }), 'authorizer', 'AUTHORIZER_HANDLER_INVALID', 1);
    only(h({ runtime: 'nodejs' }), 'authorizer', 'AUTHORIZER_HANDLER_INVALID', 1);
    only(h({ runtime: 'nodejs', file: 'a.js', function: 'my-handler' }), 'authorizer', 'AUTHORIZER_HANDLER_INVALID', 1);
    only(h({ runtime: 'nodejs', file: 'a.js', environment: { A: 1 } }), 'authorizer', 'AUTHORIZER_HANDLER_INVALID', 1);
    const t = h({ runtime: 'python', file: 'a.py', timeoutSeconds: 30 });
    const [f] = only(t, 'authorizer', 'AUTHORIZER_HANDLER_TIMEOUT', 1);
    assert.equal(JSON.parse(applyFix(t, f)).handler.timeoutSeconds, 5);
    only(h({ runtime: 'nodejs', file: 'nope.js' }), 'authorizer', 'AUTHORIZER_HANDLER_FILE_MISSING', 1, { fileExists: exists });
  });

  it('AUTHORIZER_UNKNOWN_FIELD with a rename for a typo', () => {
    const t = text({ ...base(), tokenKeyNam: 'x' });
    const [f] = only(t, 'authorizer', 'AUTHORIZER_UNKNOWN_FIELD', 1);
    assert.equal(f.data?.suggestion, 'tokenKeyName');
  });

  it('AUTHORIZER_FIELD_TYPE for a string boolean', () => {
    only(text({ ...base(), signingDisabled: 'false' }), 'authorizer', 'AUTHORIZER_FIELD_TYPE', 1);
  });
});
