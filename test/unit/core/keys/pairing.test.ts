import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { classifyPem, FoundPemBlock, keyStem, pairKeyBlocks } from '../../../../src/core/keys';

function rsa(bits = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    enc: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
  };
}

function found(file: string, text: string): FoundPemBlock[] {
  return classifyPem(text).map((info) => ({ file, info }));
}

describe('core/keys/pairing', () => {
  const a = rsa();
  const b = rsa();

  it('keyStem strips the decorations users put on key file names', () => {
    assert.equal(keyStem('/w/keys/dev.private.pem'), 'dev');
    assert.equal(keyStem('/w/keys/dev.public.pem'), 'dev');
    assert.equal(keyStem('/w/dev_key.pem'), 'dev');
    assert.equal(keyStem('/w/dev.pub'), 'dev');
    assert.equal(keyStem('/w/old-device-signer.key'), 'old-device-signer');
    assert.equal(keyStem('C:\\keys\\fleet-private.pem'), 'fleet');
    assert.equal(keyStem('/w/.pem'), '.pem', 'a name that would strip to nothing stays whole');
  });

  it('pairs halves by fingerprint whatever the file names are', () => {
    const pairs = pairKeyBlocks([...found('/w/x/signer.key', a.pkcs1), ...found('/w/elsewhere/whatever.txt', a.pub), ...found('/w/b.public.pem', b.pub)]);
    assert.equal(pairs.length, 2);
    const pa = pairs.find((p) => p.privateFile === '/w/x/signer.key');
    assert.ok(pa);
    assert.equal(pa.publicFile, '/w/elsewhere/whatever.txt');
    assert.equal(pa.name, 'signer', 'the private file names the pair');
    assert.equal(pa.bits, 2048);
    assert.equal(pa.encrypted, false);
    const pb = pairs.find((p) => p.publicFile === '/w/b.public.pem');
    assert.equal(pb?.privateFile, undefined, 'a public key alone is listed as public only');
    assert.equal(pb?.id, pb?.fingerprint?.hex);
  });

  it('pairs an encrypted private key with the public key of the same name in the same folder only', () => {
    const same = pairKeyBlocks([...found('/w/keys/dev.private.pem', a.enc), ...found('/w/keys/dev.public.pem', a.pub)]);
    assert.equal(same.length, 1);
    assert.equal(same[0].encrypted, true);
    assert.equal(same[0].privateFile, '/w/keys/dev.private.pem');
    assert.ok(same[0].fingerprint);

    const apart = pairKeyBlocks([...found('/w/keys/dev.private.pem', a.enc), ...found('/w/other/dev.public.pem', a.pub)]);
    assert.equal(apart.length, 2, 'a public key of the same name in another folder is not assumed to match');
    const lone = apart.find((p) => p.privateFile);
    assert.equal(lone?.encrypted, true);
    assert.equal(lone?.fingerprint, undefined);
    assert.equal(lone?.id, '/w/keys/dev.private.pem');
  });

  it('keeps unusable keys with the reason, and drops PEM blocks that are not keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n';
    const blocks = [...found('/w/ec.pem', ec), ...found('/w/small.pem', small)];
    const other = classifyPem(csr);
    assert.equal(other[0].kind, 'other');
    const pairs = pairKeyBlocks([...blocks, ...other.map((info) => ({ file: '/w/req.pem', info }))]);
    assert.equal(pairs.length, 2);
    assert.match(pairs.find((p) => p.privateFile === '/w/ec.pem')?.problem ?? '', /RSA|EC|ec/);
    assert.match(pairs.find((p) => p.publicFile === '/w/small.pem')?.problem ?? '', /2048/);
  });

  it('is deterministic: sorted by name, then id', () => {
    const input = [...found('/w/z.pem', b.pub), ...found('/w/a.pem', a.pub)];
    const once = pairKeyBlocks(input).map((p) => p.name);
    const reversed = pairKeyBlocks([...input].reverse()).map((p) => p.name);
    assert.deepEqual(once, ['a', 'z']);
    assert.deepEqual(reversed, once);
  });
});
