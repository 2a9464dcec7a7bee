import * as assert from 'node:assert/strict';
import { keyEntrySource } from '../../../src/core/definitionKeys';

describe('core/definitionKeys keyEntrySource', () => {
  it('reads the four forms of a tokenSigningPublicKeys entry', () => {
    assert.deepEqual(keyEntrySource('-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n'), { pem: '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n' });
    assert.deepEqual(keyEntrySource('  \n-----BEGIN PUBLIC KEY-----'), { pem: '  \n-----BEGIN PUBLIC KEY-----' }, 'leading whitespace before the PEM header');
    assert.deepEqual(keyEntrySource('keys/dev.public.pem'), { path: 'keys/dev.public.pem' });
    assert.deepEqual(keyEntrySource({ path: 'keys/a.pem' }), { path: 'keys/a.pem' });
    assert.deepEqual(keyEntrySource({ pem: 'x' }), { pem: 'x' });
  });

  it('a pem field wins over a path field; other values are of no known form', () => {
    assert.deepEqual(keyEntrySource({ pem: 'p', path: 'q' }), { pem: 'p' });
    for (const v of [undefined, null, 42, true, [], ['keys/a.pem'], { file: 'a.pem' }, { path: 3 }]) {
      assert.equal(keyEntrySource(v), undefined, JSON.stringify(v));
    }
  });
});
