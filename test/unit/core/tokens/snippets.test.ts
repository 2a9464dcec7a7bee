import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AUTHORIZER_NAME_PARAM,
  connectionSnippets,
  ConnectionOptions,
  curlPublish,
  mqttUsername,
  PLACEHOLDER_ENDPOINT,
  SAMPLE_TOPIC,
  shellQuote,
  SIGNATURE_PARAM,
} from '../../../../src/core/tokens';

const base: ConnectionOptions = {
  endpoint: 'abc123-ats.iot.eu-west-1.amazonaws.com',
  authorizerName: 'my authorizer',
  tokenKeyName: 'x-token',
  token: "it's a&b=c?",
  signature: 'ab+/cd==',
  topic: 'devices/thing 1/telemetry',
  clientId: 'thing-1',
};

describe('core/tokens snippets', () => {
  it('mqttUsername URL-encodes every value and appends with ?', () => {
    assert.equal(
      mqttUsername(base),
      `?${AUTHORIZER_NAME_PARAM}=my%20authorizer&x-token=it's%20a%26b%3Dc%3F&${SIGNATURE_PARAM}=ab%2B%2Fcd%3D%3D`,
    );
    assert.equal(mqttUsername({ ...base, username: 'alice' }).startsWith('alice?x-amz-customauthorizer-name='), true);
  });

  it('uses & instead of a second ? when the username already has a query', () => {
    for (const username of ['alice?app=1', 'alice?', 'alice?app=1&']) {
      const u = mqttUsername({ ...base, username });
      assert.equal(u.split('?').length, 2, u);
      assert.ok(!u.includes('&&'), u);
      assert.ok(!u.includes('?&'), u);
    }
    assert.match(mqttUsername({ ...base, username: 'alice?app=1' }), /^alice\?app=1&x-amz-customauthorizer-name=/);
  });

  it('shellQuote survives single quotes, $ and newlines in bash', () => {
    for (const v of ["it's", '$HOME `id` "x"', 'a\nb', '']) {
      const out = execFileSync('bash', ['-c', `printf %s ${shellQuote(v)}`]).toString();
      assert.equal(out, v);
    }
  });

  it('curl: POST to 443 /topics with qos=1, the three headers, raw base64 signature, all quoted', () => {
    const c = curlPublish(base);
    assert.match(c, /-X POST 'https:\/\/abc123-ats\.iot\.eu-west-1\.amazonaws\.com:443\/topics\/devices\/thing%201\/telemetry\?qos=1'/);
    assert.ok(c.includes(`-H 'x-amz-customauthorizer-name: my authorizer'`));
    assert.ok(c.includes(`-H 'x-token: it'\\''s a&b=c?'`));
    assert.ok(c.includes(`-H 'x-amz-customauthorizer-signature: ab+/cd=='`));
    // bash parses it into the expected argv (echo replaces curl).
    const argv = execFileSync('bash', ['-c', `${c.replace(/^curl/, 'printf "%s\\n"')}`]).toString().split('\n');
    assert.ok(argv.includes("x-token: it's a&b=c?"));
  });

  it('endpoint defaults to a placeholder', () => {
    assert.ok(curlPublish({ ...base, endpoint: undefined }).includes(PLACEHOLDER_ENDPOINT));
  });

  it('MQTT snippets: port 443, ALPN mqtt, SNI, encoded username; SDK snippets get the raw signature', () => {
    const s = connectionSnippets(base);
    assert.equal(s.urlEncodedSignature, 'ab%2B%2Fcd%3D%3D');
    assert.match(s.mosquittoPub, /-p 443 --alpn mqtt/);
    assert.ok(s.mosquittoPub.includes(`-u ${shellQuote(s.mqttUsername)}`));
    assert.ok(s.mosquittoPub.includes("-i 'thing-1'"));
    assert.match(s.mqttJs, /ALPNProtocols: \["mqtt"\]/);
    assert.match(s.mqttJs, /servername: "abc123-ats\.iot\.eu-west-1\.amazonaws\.com"/);
    assert.ok(s.mqttJs.includes(JSON.stringify(s.mqttUsername)));
    assert.match(s.deviceSdkJs, /with_custom_authorizer\(/);
    assert.ok(s.deviceSdkJs.includes('"ab+/cd=="'));
    assert.ok(!s.deviceSdkJs.includes('%2B'));
    assert.match(s.deviceSdkPython, /direct_with_custom_authorizer\(/);
    assert.ok(s.deviceSdkPython.includes('auth_authorizer_signature="ab+/cd=="'));
    assert.ok(s.deviceSdkPython.includes('auth_token_value="it\'s%20a%26b%3Dc%3F"'));
  });

  it('the JS snippets are syntactically valid JavaScript', () => {
    const s = connectionSnippets({ ...base, token: 'quote " and \\ and \u2028' });
    for (const code of [s.mqttJs, s.deviceSdkJs]) assert.doesNotThrow(() => new Function(code.replace(/require\(/g, '(()=>({}))(')));
  });
});

describe('snippets: the sample topic is one the example allows', () => {
  const examples = path.resolve(__dirname, '../../../../../examples');

  it("Sign Token's snippets publish to the topic the walkthrough's handlers, policy and test cases allow", () => {
    const cases = JSON.parse(fs.readFileSync(path.join(examples, 'walkthrough.authz-test.json'), 'utf8')) as { cases: Array<{ expect?: { allowed?: Array<{ action: string; resource: string }> } }> };
    const allowed = cases.cases.flatMap((c) => c.expect?.allowed ?? []).filter((o) => o.action === 'iot:Publish').map((o) => o.resource);
    assert.deepEqual([...new Set(allowed)], [SAMPLE_TOPIC]);
    assert.match(fs.readFileSync(path.join(examples, 'lambda', 'python', 'lambda_function.py'), 'utf8'), new RegExp(`TOPIC = "${SAMPLE_TOPIC}"`));
    assert.match(fs.readFileSync(path.join(examples, 'lambda', 'node', 'index.js'), 'utf8'), new RegExp(`TOPIC = '${SAMPLE_TOPIC}'`));
    const policy = JSON.parse(fs.readFileSync(path.join(examples, 'walkthrough.iot-policy.json'), 'utf8')) as { Statement: Array<{ Resource: string }> };
    assert.ok(policy.Statement.some((s) => s.Resource.endsWith(`:topic/${SAMPLE_TOPIC}`)));
  });
});
