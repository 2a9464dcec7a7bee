import * as assert from 'node:assert/strict';
import { AuthzError } from '../../../../src/core/errors';
import { generateKeyPair, loadPrivateKey } from '../../../../src/core/keys';
import { signWithKeyFile, validateTestText } from '../../../../src/core/emulator';
import { tempWorkspace } from './helpers';

describe('test cases: signWithKey keys', function () {
  this.timeout(30_000);
  const ws = tempWorkspace({});
  after(() => ws.cleanup());

  it('a missing key names the real commands (Generate Signing Key Pair, iot-authz keygen)', () => {
    assert.throws(
      () => signWithKeyFile(ws.file('keys/none.private.pem'), 't'),
      (e: unknown) =>
        e instanceof AuthzError &&
        e.code === 'TEST_SIGNING_KEY_NOT_FOUND' &&
        /IoT Authorizer: Generate Signing Key Pair, or `iot-authz keygen`/.test(e.display) &&
        !/keys generate|Generate Key Pair\b/.test(e.display),
    );
  });

  it('an encrypted key says signWithKey keys must be unencrypted, not a CLI flag', async () => {
    const pair = await generateKeyPair({ passphrase: 'secret' });
    const fs = await import('node:fs');
    fs.mkdirSync(ws.file('keys'), { recursive: true });
    fs.writeFileSync(ws.file('keys/enc.private.pem'), pair.privateKeyPem);
    assert.throws(
      () => signWithKeyFile(ws.file('keys/enc.private.pem'), 't'),
      (e: unknown) => e instanceof AuthzError && e.code === 'TEST_SIGNING_KEY_ENCRYPTED' && /Use an unencrypted key for "signWithKey"/.test(e.display),
    );
    // The core hint itself names no front end.
    assert.throws(
      () => loadPrivateKey(pair.privateKeyPem),
      (e: unknown) => e instanceof AuthzError && e.code === 'KEY_PASSPHRASE_REQUIRED' && !/--passphrase-env|CLI/.test(e.display),
    );
  });
});

describe('validateTestText: a single object that is no test case', () => {
  it('an authorizer response is TEST_SHAPE (error), naming what it looks like', () => {
    const f = validateTestText(JSON.stringify({ isAuthenticated: true, principalId: 'd', policyDocuments: [] }));
    const shape = f.find((x) => x.code === 'TEST_SHAPE');
    assert.ok(shape, JSON.stringify(f));
    assert.equal(shape.severity, 'error');
    assert.match(shape.message, /looks like an authorizer response/);
  });
  it('near miss: a single case with one unknown property is still a case (warning only)', () => {
    const f = validateTestText(JSON.stringify({ authorizer: 'a.authorizer.json', token: 't', tokn: 'x', expect: { authenticated: true } }));
    assert.deepEqual(f.map((x) => x.code), ['TEST_UNKNOWN_PROPERTY']);
  });
});
