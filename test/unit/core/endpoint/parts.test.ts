import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { httpCredentials, MalformedQueryError, mqttCredentials, parseQuery } from '../../../../src/core/endpoint/credentials';
import { findDefinitionFiles, globMatch } from '../../../../src/core/endpoint/discovery';
import { mqttRemainingLength } from '../../../../src/core/endpoint/endpoint';
import { ensureTlsMaterial } from '../../../../src/core/endpoint/tls';

describe('core/endpoint parts', () => {
  describe('credentials', () => {
    it('reads the authorizer name, token and URL-decoded signature from the MQTT username query', () => {
      const c = mqttCredentials({ protocol: 'mqtt', clientId: 'd1', username: 'me?x-amz-customauthorizer-name=auth%201&tok=a%26b&x-amz-customauthorizer-signature=ab%2Bc%2F%3D%3D', password: Buffer.from('pw') });
      assert.equal(c.authorizerName, 'auth 1');
      assert.equal(c.input.signature, 'ab+c/==');
      assert.deepEqual(c.lookup('tok'), { token: 'a&b' });
      assert.equal(c.input.passwordBase64, Buffer.from('pw').toString('base64'));
      assert.equal(c.input.username, 'me?x-amz-customauthorizer-name=auth%201&tok=a%26b&x-amz-customauthorizer-signature=ab%2Bc%2F%3D%3D');
    });
    it('a signature that is not URL-encoded loses its "+" (decoded as a form, as devices report)', () => {
      assert.equal(parseQuery('x-amz-customauthorizer-signature=ab+c', 'q').get('x-amz-customauthorizer-signature'), 'ab c');
    });
    it('a malformed percent escape is an error naming the parameter', () => {
      assert.throws(() => parseQuery('token=%E0%A4%A', "MQTT username's query string"), (e: Error) => e instanceof MalformedQueryError && /malformed percent escape in "token"/.test(e.message));
    });
    it('WebSockets: the upgrade headers carry the credentials when the username does not', () => {
      const c = mqttCredentials({ protocol: 'wss', clientId: 'w', http: { headers: { 'X-Amz-CustomAuthorizer-Name': 'a', tok: 't' }, query: 'x-amz-customauthorizer-signature=c2ln' } });
      assert.equal(c.authorizerName, 'a');
      assert.equal(c.input.signature, 'c2ln');
      assert.deepEqual(c.lookup('tok'), { token: 't' });
    });
    it('HTTPS: headers first, then query parameters', () => {
      const c = httpCredentials({ http: { headers: { tok: 'from-header' }, query: 'tok=from-query&x-amz-customauthorizer-name=q' } });
      assert.deepEqual(c.lookup('tok'), { token: 'from-header' });
      assert.equal(c.authorizerName, 'q');
    });
  });

  describe('discovery', () => {
    it('globs: ** spans folders, * stays in one segment', () => {
      assert.ok(globMatch('**/*.authorizer.json', 'a.authorizer.json'));
      assert.ok(globMatch('**/*.authorizer.json', 'x/y/a.authorizer.json'));
      assert.ok(!globMatch('*.authorizer.json', 'x/a.authorizer.json'));
      assert.ok(!globMatch('**/*.authorizer.json', 'a.authorizer.json.bak'));
      assert.ok(globMatch('x/?.json', 'x/a.json'));
    });
    it('a wildcard-heavy glob against a long name answers at once (no backtracking)', () => {
      assert.equal(globMatch(`${'*a'.repeat(30)}*b`, 'a'.repeat(5000)), false);
    });
    it('skips node_modules and dot folders, survives a link loop', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-disc-'));
      try {
        for (const f of ['a.authorizer.json', 'sub/b.authorizer.json', 'node_modules/c.authorizer.json', '.hidden/d.authorizer.json']) {
          fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          fs.writeFileSync(path.join(dir, f), '{}');
        }
        fs.symlinkSync(dir, path.join(dir, 'sub/loop'));
        const found = findDefinitionFiles(dir, ['**/*.authorizer.json']).map((f) => path.relative(dir, f)).sort();
        assert.deepEqual(found, ['a.authorizer.json', 'sub/b.authorizer.json']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('TLS material', function () {
    this.timeout(20_000);
    it('generated once (keys 0600), kept on the next start, the server certificate renewed for a new host name with the same CA', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-tls-'));
      try {
        const log: string[] = [];
        const first = await ensureTlsMaterial(dir, 'localhost', (m) => log.push(m));
        assert.equal(fs.statSync(path.join(dir, 'server.key.pem')).mode & 0o777, 0o600);
        assert.equal(fs.statSync(path.join(dir, 'ca.key.pem')).mode & 0o777, 0o600);
        assert.ok(new X509Certificate(first.cert).verify(new X509Certificate(first.ca).publicKey));
        const log2: string[] = [];
        const again = await ensureTlsMaterial(dir, 'localhost', (m) => log2.push(m));
        assert.equal(log2.length, 0, 'nothing regenerated');
        assert.equal(again.cert, first.cert);
        const renamed = await ensureTlsMaterial(dir, 'device.example', (m) => log2.push(m));
        assert.match(log2.join('\n'), /does not name device\.example; generating a new server certificate/);
        assert.equal(renamed.ca, first.ca, 'the CA clients trust is kept');
        assert.match(new X509Certificate(renamed.cert).subjectAltName ?? '', /DNS:device\.example/);
        fs.unlinkSync(path.join(dir, 'server.key.pem'));
        const log3: string[] = [];
        await ensureTlsMaterial(dir, 'device.example', (m) => log3.push(m));
        assert.match(log3.join('\n'), /server\.key\.pem missing/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('MQTT fixed header: remaining length', () => {
    it('reads one to four bytes of seven bits, the MQTT 3.1.1 examples included', () => {
      const h = (...bytes: number[]) => Buffer.from([0x10, ...bytes]);
      assert.equal(mqttRemainingLength(h(0x00)), 0);
      assert.equal(mqttRemainingLength(h(0x7f)), 127);
      assert.equal(mqttRemainingLength(h(0x80, 0x01)), 128);
      assert.equal(mqttRemainingLength(h(0xff, 0x7f)), 16_383);
      assert.equal(mqttRemainingLength(h(0x80, 0x80, 0x01)), 16_384);
      assert.equal(mqttRemainingLength(h(0x81, 0x80, 0x08)), 131_073, 'just over 128 KB');
      assert.equal(mqttRemainingLength(h(0xff, 0xff, 0xff, 0x7f)), 268_435_455);
    });
    it('undefined while incomplete or when a fifth length byte would be needed', () => {
      assert.equal(mqttRemainingLength(Buffer.from([0x10])), undefined);
      assert.equal(mqttRemainingLength(Buffer.from([0x10, 0x80, 0x80])), undefined);
      assert.equal(mqttRemainingLength(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01])), undefined);
    });
  });
});
