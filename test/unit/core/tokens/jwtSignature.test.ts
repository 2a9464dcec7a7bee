import * as assert from 'node:assert/strict';
import { loadJwtSigningKey, mintJwt, signedTokenFromJwt } from '../../../../src/core/jwt';
import { loadPublicKey } from '../../../../src/core/keys';
import { verifyToken } from '../../../../src/core/tokens';
import { opensslKey, read } from '../keys/opensslKeys';

describe('core/tokens verify: signatures taken from a JWT', function () {
  this.timeout(120_000);

  for (const bits of [2048, 4096] as const) {
    it(`a ${bits}-bit JWT's own signature (base64url, no padding) is recognised, with how to convert it and the corrected value`, async () => {
      const k = opensslKey(bits);
      const pub = [{ name: 'idp', key: loadPublicKey(read(k.spkiPath)) }];
      // 256 and 512 bytes give base64url without padding, of a length that is not a multiple of 4.
      const { jwt } = await mintJwt(loadJwtSigningKey(read(k.pkcs8Path)), { claims: { sub: 'sensor7' } });
      const pair = signedTokenFromJwt(jwt);
      const raw = jwt.split('.')[2];
      const r = verifyToken(pub, pair.token, raw);
      assert.equal(r.valid, false);
      assert.deepEqual(r.diagnosis.map((d) => d.code), ['SIGNATURE_FROM_JWT']);
      const d = r.diagnosis[0];
      assert.match(d.message, /JWT's signing input/);
      assert.match(d.message, /replace '-' with '\+' and '_' with '\/', then pad with '='/);
      assert.match(d.message, /never append a fixed '=='/);
      assert.match(d.message, /verifies with key 'idp'/);
      assert.equal(r.correctedSignature, pair.signature);
      assert.equal(verifyToken(pub, pair.token, r.correctedSignature!).valid, true);
    });
  }

  it('the whole JWT given as the token is named as such, with what the token must be', async () => {
    const k = opensslKey(2048);
    const pub = [{ name: 'idp', key: loadPublicKey(read(k.spkiPath)) }];
    const { jwt } = await mintJwt(loadJwtSigningKey(read(k.pkcs8Path)));
    const r = verifyToken(pub, jwt, signedTokenFromJwt(jwt).signature);
    assert.equal(r.valid, false);
    assert.equal(r.diagnosis[0].code, 'SIGNATURE_JWT_WHOLE_TOKEN');
    assert.match(r.diagnosis[0].message, /the token is the JWT's signing input header\.payload/);
  });

  it('a non-JWT token with a base64url signature keeps the generic base64url finding', async () => {
    const k = opensslKey(2048);
    const pub = [{ name: 'idp', key: loadPublicKey(read(k.spkiPath)) }];
    const { createSign } = await import('node:crypto');
    const sig = createSign('sha256').update('plain-token').sign(read(k.pkcs8Path));
    const r = verifyToken(pub, 'plain-token', sig.toString('base64url'));
    assert.ok(!r.diagnosis.some((d) => d.code === 'SIGNATURE_FROM_JWT'));
    assert.equal(r.correctedSignature, sig.toString('base64'));
  });
});
