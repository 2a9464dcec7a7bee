import * as assert from 'node:assert/strict';
import { loadJwtSigningKey, mintJwt, signedTokenFromJwt } from '../../../../src/core/jwt';
import { jwtViewOf, toPayload } from '../../../../src/extension/panels/model';
import { opensslKey, read } from '../../core/keys/opensslKeys';

describe('results panel model: JWT tokens', function () {
  this.timeout(60_000);
  const NOW = 1_900_000_000;

  it('decodes a JWT or a signed-JWT token for the panel, with the expiry in words; other tokens get nothing', async () => {
    const key = loadJwtSigningKey(read(opensslKey(2048).pkcs8Path));
    const { jwt } = await mintJwt(key, { claims: { sub: 'sensor7', iss: 'https://idp' }, kid: 'k1', expiresIn: '-2m', now: NOW });
    const v = jwtViewOf(jwt, NOW)!;
    assert.equal(v.form, 'jwt');
    assert.equal(v.header?.kid, 'k1');
    assert.equal(v.claims?.sub, 'sensor7');
    assert.equal(v.expired, true);
    assert.match(v.expiry!, /^expired 2 minutes ago/);
    assert.equal(jwtViewOf(signedTokenFromJwt(jwt).token, NOW)?.form, 'signing-input');
    assert.equal(jwtViewOf('MyStringThatNeedsToBeSigned'), undefined);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    assert.match(jwtViewOf(none)!.error!, /alg": "none"/);
    const payload = toPayload({ source: 'local', result: { outcome: 'rejected' }, input: { protocol: 'https', token: jwt } });
    assert.equal(payload.jwt?.claims?.sub, 'sensor7');
    assert.equal(toPayload({ source: 'local', result: { outcome: 'rejected' }, input: { protocol: 'https', token: 'plain' } }).jwt, undefined);
  });
});
