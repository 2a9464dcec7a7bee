import * as assert from 'node:assert/strict';
import { parseIni, profilesFromIni, resolveTarget, sharedFilePaths, listProfiles } from '../../../../src/core/aws/profiles';
import { AuthzError } from '../../../../src/core/errors';
import { tempAwsDir } from './helpers';

const CONFIG = `# comment
[default]
region = us-east-1

[profile dev]
region = eu-west-1
role_arn = arn:aws:iam::123456789012:role/Dev
source_profile = default
s3 =
  max_concurrent_requests = 10

[profile sso-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile proc]
credential_process = /usr/bin/get-creds
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret

[static-only]
aws_access_key_id = AKIDSTATIC
aws_secret_access_key = secret2
`;

describe('core/aws profiles', () => {
  it('parses sections, skips comments and nested sub-properties', () => {
    const ini = parseIni(CONFIG);
    assert.equal(ini['profile dev'].region, 'eu-west-1');
    assert.equal(ini['profile dev'].max_concurrent_requests, undefined);
    assert.equal(ini['profile dev'].s3, '');
    assert.equal(ini['sso-session corp'].sso_region, 'us-east-1');
  });

  it('lists profiles from both files with their kind, default first, sso-session not a profile', () => {
    const p = profilesFromIni(parseIni(CONFIG), parseIni(CREDENTIALS));
    assert.deepEqual(
      p.map((x) => [x.name, x.kind]),
      [
        ['default', 'static'],
        ['dev', 'assume-role'],
        ['proc', 'process'],
        ['sso-dev', 'sso'],
        ['static-only', 'static'],
      ],
    );
    assert.deepEqual(p[0].sources, ['config', 'credentials']);
    assert.equal(p.find((x) => x.name === 'sso-dev')?.ssoSession, 'corp');
    assert.equal(p.find((x) => x.name === 'dev')?.sourceProfile, 'default');
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
    const t = tempAwsDir(CONFIG, CREDENTIALS);
    try {
      assert.deepEqual(sharedFilePaths(t.env()), { configFile: t.config, credentialsFile: t.credentials });
      assert.equal(listProfiles(t.env()).length, 5);
      assert.deepEqual(listProfiles({ HOME: '/nonexistent-home' }), []);
    } finally {
      t.remove();
    }
  });

  it('resolves profile, region and endpoints like the CLI', () => {
    const t = tempAwsDir(CONFIG, CREDENTIALS);
    try {
      const a = resolveTarget({ env: t.env({ AWS_PROFILE: 'dev' }) });
      assert.equal(a.profile, 'dev');
      assert.equal(a.region, 'eu-west-1');
      assert.equal(a.profileInfo?.kind, 'assume-role');
      const b = resolveTarget({ profile: 'dev', region: 'ap-south-1', env: t.env({ AWS_REGION: 'us-west-2' }) });
      assert.equal(b.region, 'ap-south-1');
      const c = resolveTarget({ env: t.env({ AWS_REGION: 'us-west-2', IOT_AUTHZ_ENDPOINT_IOT: 'http://127.0.0.1:1' }) });
      assert.equal(c.profile, 'default');
      assert.equal(c.region, 'us-west-2');
      assert.deepEqual(c.endpoints, { iot: 'http://127.0.0.1:1', lambda: undefined });
      const d = resolveTarget({ env: t.env({ AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_REGION: 'us-east-2' }) });
      assert.equal(d.profile, undefined);
      assert.deepEqual(d.envCredentials, { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: undefined });
      // An explicit profile wins over env keys.
      assert.equal(resolveTarget({ profile: 'dev', env: t.env({ AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK' }) }).envCredentials, undefined);
    } finally {
      t.remove();
    }
  });

  it('refuses an unknown profile, a missing region and a bad endpoint with what to do', () => {
    const t = tempAwsDir(CONFIG, CREDENTIALS);
    try {
      assert.throws(
        () => resolveTarget({ profile: 'nope', env: t.env() }),
        (e: AuthzError) => e.code === 'AWS_PROFILE_NOT_FOUND' && /default, dev, proc, sso-dev, static-only/.test(e.display) && /aws configure --profile nope/.test(e.display),
      );
      assert.throws(() => resolveTarget({ profile: 'proc', env: t.env() }), (e: AuthzError) => e.code === 'AWS_NO_REGION' && /--profile proc/.test(e.display));
      assert.throws(() => resolveTarget({ region: 'us-east-1', endpoints: { iot: 'localhost:4566' }, env: t.env() }), (e: AuthzError) => e.code === 'AWS_BAD_ENDPOINT');
    } finally {
      t.remove();
    }
  });
});
