import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aws from '../../../../src/core/aws';
import { AwsTestEndpoint, seedExamples, toTestInvokeResponse } from '../../../aws-endpoint/server';
import { parseAuthorization, splitUrl } from '../../../aws-endpoint/sigv4';
import { startEndpoint } from './helpers';

function raw(url: string, method: string, p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${p}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const EXAMPLES = path.resolve(__dirname, '../../../../../examples');

describe('test/aws-endpoint (the local IoT + Lambda endpoint)', function () {
  this.timeout(30000);
  let ep: AwsTestEndpoint;
  before(async () => {
    ep = await startEndpoint();
  });
  after(() => ep.stop());

  it('listens on 127.0.0.1 with a free port and gives the env to reach it', () => {
    assert.match(ep.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(ep.port > 0);
    const env = ep.env({ X: '1' });
    assert.equal(env.IOT_AUTHZ_ENDPOINT_IOT, ep.url);
    assert.equal(env.IOT_AUTHZ_ENDPOINT_LAMBDA, ep.url);
    assert.equal(env.X, '1');
  });

  it('answers unsigned requests with AWS\'s REST-JSON error shape', async () => {
    const r = await raw(ep.url, 'GET', '/authorizers');
    assert.equal(r.status, 403);
    assert.match(String(r.headers['x-amzn-errortype']), /^MissingAuthenticationTokenException:/);
    assert.deepEqual(JSON.parse(r.body), { message: 'Missing Authentication Token' });
    const l = await raw(ep.url, 'GET', '/2015-03-31/functions/x', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAOTHER/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64) });
    assert.equal(l.status, 403);
    assert.match(String(l.headers['x-amzn-errortype']), /^UnrecognizedClientException:/);
    assert.equal(JSON.parse(l.body).Type, 'User');
  });

  it('parses SigV4 authorization headers and raw URLs', () => {
    const a = parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/20260101/eu-west-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + 'a'.repeat(64));
    assert.deepEqual(a, { accessKeyId: 'AK', date: '20260101', region: 'eu-west-1', service: 'iot', signedHeaders: ['host', 'x-amz-date'], signature: 'a'.repeat(64) });
    assert.equal(parseAuthorization('Bearer x'), undefined);
    assert.deepEqual(splitUrl('/a%3Ab?x=1&y=a%2Bb&x=2'), { path: '/a%3Ab', query: { x: ['1', '2'], y: 'a+b' } });
  });

  it('rejects a request signed for another region or service', async () => {
    const c = await aws.createAwsClients({ env: ep.env({ AWS_REGION: 'eu-west-1' }) });
    await assert.rejects(aws.listAuthorizers(c), (e: aws.AwsClients | Error) => (e as { code?: string }).code === 'AWS_BAD_CREDENTIALS' && /scoped to a valid region/.test((e as Error).message));
    c.destroy();
  });

  it('validates Lambda responses like IoT Core and returns policies as strings', () => {
    assert.deepEqual(toTestInvokeResponse({ isAuthenticated: true, principalId: 'abc', policyDocuments: [{ a: 1 }, '{"b":2}'] }), { isAuthenticated: true, principalId: 'abc', policyDocuments: ['{"a":1}', '{"b":2}'] });
    assert.throws(() => toTestInvokeResponse({ isAuthenticated: true, principalId: 'a-b', policyDocuments: [] }), /principalId/);
    assert.throws(() => toTestInvokeResponse({ isAuthenticated: true, principalId: 'a', policyDocuments: [], refreshAfterInSeconds: 10 }), /refreshAfterInSeconds/);
    assert.throws(() => toTestInvokeResponse({ isAuthenticated: true, principalId: 'a', policyDocuments: Array(11).fill('{}') }), /at most 10/);
  });

  it('seeds the examples and runs their handlers with the local emulator (Node and Python)', async () => {
    const names = await seedExamples(ep, EXAMPLES);
    assert.deepEqual(names, ['walkthrough-mqtt-authorizer', 'walkthrough-authorizer']);
    const c = await aws.createAwsClients({ env: ep.env() });
    const mqtt = await aws.testInvokeAuthorizer(c, aws.buildTestInvokeInput({ authorizerName: 'walkthrough-mqtt-authorizer', protocol: 'mqtt', username: 'walkthrough-device', password: 'example-password-not-a-secret', dataEndpoint: ep.dataEndpoint }));
    assert.equal(mqtt.isAuthenticated, true);
    assert.equal(mqtt.principalId, 'walkthroughMqttDevice');
    const wrong = await aws.testInvokeAuthorizer(c, aws.buildTestInvokeInput({ authorizerName: 'walkthrough-mqtt-authorizer', protocol: 'mqtt', username: 'walkthrough-device', password: 'guess' }));
    assert.equal(wrong.isAuthenticated, false);
    const policy = (await aws.getFunctionPolicy(c, ep.functionArn('walkthrough-mqtt-authorizer')))!.policy;
    assert.equal(aws.checkInvokePermission(policy, ep.authorizerArn('walkthrough-mqtt-authorizer')).allowed, true);
    c.destroy();
  });
  it('seeds the examples on a fresh clone: the git-ignored key pair is generated first (private key 0600)', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-seed-'));
    try {
      fs.cpSync(EXAMPLES, fresh, { recursive: true, filter: (src) => !src.split(path.sep).includes('keys') });
      assert.equal(fs.existsSync(path.join(fresh, 'keys')), false);
      const other = new AwsTestEndpoint();
      await other.start();
      try {
        const names = await seedExamples(other, fresh);
        assert.deepEqual(names, ['walkthrough-mqtt-authorizer', 'walkthrough-authorizer']);
        assert.ok(other.authorizers.get('walkthrough-authorizer')?.tokenSigningPublicKeys?.FirstKey);
        if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(fresh, 'keys', 'walkthrough.private.pem')).mode & 0o777, 0o600);
      } finally {
        await other.stop();
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
