import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { DoctorInput, invokePermissionRequest, overallStatus, publicKeyInfo, runDoctor, statementForRequest } from '../../../../src/core/aws';
import { testKeys } from './helpers';

const AUTHZ = 'arn:aws:iot:us-east-1:123456789012:authorizer/my-authz';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:authz-fn';

function healthy(): DoctorInput {
  const [k] = testKeys();
  const req = invokePermissionRequest(FN, AUTHZ);
  return {
    authorizer: { authorizerName: 'my-authz', authorizerArn: AUTHZ, authorizerFunctionArn: FN, tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: k.publicPem }, status: 'ACTIVE', signingDisabled: false },
    lambda: { functionName: 'authz-fn', functionArn: FN, timeout: 3, state: 'Active', runtime: 'nodejs20.x' },
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [statementForRequest(req)] }),
    defaultAuthorizerName: 'my-authz',
    domainConfigurations: [],
    workspaceKeys: [{ label: 'keys/dev.public.pem', fingerprint: publicKeyInfo(k.publicPem).fingerprint! }],
  };
}

const byId = (checks: ReturnType<typeof runDoctor>) => Object.fromEntries(checks.map((c) => [c.id, c]));

describe('core/aws Doctor (pure)', () => {
  it('a healthy authorizer passes every check', () => {
    const checks = runDoctor(healthy());
    assert.deepEqual(
      checks.map((c) => [c.id, c.status]),
      [
        ['authorizer.active', 'pass'],
        ['authorizer.tokenKeyName', 'pass'],
        ['authorizer.signing', 'pass'],
        ['key.k1.size', 'pass'],
        ['key.k1.workspace', 'pass'],
        ['lambda.exists', 'pass'],
        ['lambda.timeout', 'pass'],
        ['lambda.permission', 'pass'],
        ['authorizer.default', 'pass'],
      ],
    );
    assert.equal(overallStatus(checks), 'pass');
  });

  it('inactive, no permission (with the exact fix), slow Lambda, key mismatch, not default', () => {
    const i = healthy();
    i.authorizer.status = 'INACTIVE';
    i.policy = null;
    i.lambda!.timeout = 10;
    i.workspaceKeys = [{ label: 'other.pem', fingerprint: 'AB:CD' }];
    i.defaultAuthorizerName = null;
    const c = byId(runDoctor(i));
    assert.equal(c['authorizer.active'].status, 'fail');
    assert.equal(c['authorizer.active'].fix?.kind, 'activate');
    assert.equal(c['lambda.permission'].status, 'fail');
    assert.deepEqual(c['lambda.permission'].fix, { kind: 'add-permission', description: c['lambda.permission'].fix!.description, request: invokePermissionRequest(FN, AUTHZ) });
    assert.equal(c['lambda.timeout'].status, 'warn');
    assert.match(c['lambda.timeout'].message, /at most 5 s/);
    assert.equal(c['key.k1.workspace'].status, 'warn');
    assert.equal(c['authorizer.default'].status, 'warn');
    assert.equal(c['authorizer.default'].fix?.kind, 'set-default');
  });

  it('missing Lambda; a permission for another authorizer; access errors degrade to warnings', () => {
    const i = healthy();
    i.lambda = null;
    let c = byId(runDoctor(i));
    assert.equal(c['lambda.exists'].status, 'fail');
    assert.equal(c['lambda.permission'], undefined);
    const j = healthy();
    j.policy = JSON.stringify({ Statement: [statementForRequest(invokePermissionRequest(FN, AUTHZ.replace('my-authz', 'other')))] });
    c = byId(runDoctor(j));
    assert.equal(c['lambda.permission'].status, 'fail');
    assert.match(c['lambda.permission'].message, /does not match/);
    const k = healthy();
    k.lambda = undefined;
    k.lambdaError = 'Access denied';
    k.policy = undefined;
    k.policyError = 'Access denied';
    c = byId(runDoctor(k));
    assert.equal(c['lambda.exists'].status, 'warn');
    assert.equal(c['lambda.permission'].status, 'warn');
  });

  it('small keys fail; signing disabled warns; no keys / no token key name fail', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const i = healthy();
    i.authorizer.tokenSigningPublicKeys = { small, ec, junk: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' };
    const c = byId(runDoctor(i));
    assert.equal(c['key.small.size'].status, 'fail');
    assert.match(c['key.small.size'].message, /1024 bits; AWS IoT needs at least 2048/);
    assert.equal(c['key.ec.size'].status, 'fail');
    assert.equal(c['key.junk.size'].status, 'fail');
    const d = healthy();
    d.authorizer.signingDisabled = true;
    d.authorizer.tokenSigningPublicKeys = undefined;
    assert.equal(byId(runDoctor(d))['authorizer.signing'].status, 'warn');
    const e = healthy();
    e.authorizer.tokenKeyName = undefined;
    e.authorizer.tokenSigningPublicKeys = {};
    const ce = byId(runDoctor(e));
    assert.equal(ce['authorizer.tokenKeyName'].status, 'fail');
    assert.equal(ce['authorizer.signing'].status, 'fail');
    assert.equal(overallStatus(runDoctor(e)), 'fail');
  });

  it('domain configurations: used as their default, or forcing another authorizer', () => {
    const i = healthy();
    i.defaultAuthorizerName = 'someone-else';
    i.domainConfigurations = [
      { domainConfigurationName: 'mine', defaultAuthorizerName: 'my-authz', status: 'ENABLED' },
      { domainConfigurationName: 'locked', domainName: 'iot.example.com', defaultAuthorizerName: 'other', allowAuthorizerOverride: false },
      { domainConfigurationName: 'open', defaultAuthorizerName: 'other', allowAuthorizerOverride: true },
    ];
    const c = byId(runDoctor(i));
    assert.equal(c['authorizer.default'].status, 'pass');
    assert.equal(c['domain.mine'].status, 'pass');
    assert.equal(c['domain.locked'].status, 'warn');
    assert.match(c['domain.locked'].message, /iot\.example\.com/);
    assert.equal(c['domain.open'], undefined);
  });
});
