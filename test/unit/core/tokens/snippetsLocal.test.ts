import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vm from 'node:vm';
import { ConnectionOptions, curlPublish, mosquittoPub, mqttJs } from '../../../../src/core/tokens';

const base: ConnectionOptions = {
  endpoint: 'localhost',
  authorizerName: 'walkthrough-authorizer',
  tokenKeyName: 'tokenKeyName',
  token: 'MyStringThatNeedsToBeSigned',
  signature: 'ab+/cd==',
  topic: 'customAuhtTestTopic',
  clientId: 'dev1',
};
const local: ConnectionOptions = { ...base, port: 4443, caFile: "/work/my project/.iot-authz/ca.pem" };

describe('core/tokens snippets for a local endpoint (port and CA file)', () => {
  it('curl: the port in the URL and --cacert with the CA file, quoted', () => {
    const c = curlPublish(local);
    assert.match(c, /'https:\/\/localhost:4443\/topics\/customAuhtTestTopic\?qos=1'/);
    assert.match(c, /--cacert '\/work\/my project\/\.iot-authz\/ca\.pem'/);
    assert.doesNotMatch(curlPublish(base), /--cacert/);
    assert.match(curlPublish(base), /localhost:443\//);
  });

  it('mosquitto_pub: -p and --cafile the local CA, no Amazon root CA download line', () => {
    const m = mosquittoPub(local);
    // mosquitto's option is --tls-alpn: "--alpn" makes mosquitto_pub exit with "Unknown option".
    assert.match(m, /-p 4443 --tls-alpn mqtt/);
    assert.match(m, /--cafile '\/work\/my project\/\.iot-authz\/ca\.pem'/);
    assert.doesNotMatch(m, /AmazonRootCA1/);
    assert.match(mosquittoPub(base), /--cafile AmazonRootCA1\.pem/);
  });

  it("mosquitto_pub (Debian's mosquitto-clients) accepts every option of the snippet", () => {
    // Port 1 on loopback: nothing listens, so a valid command line fails only at connecting.
    const cmd = mosquittoPub({ ...local, endpoint: '127.0.0.1', port: 1, caFile: '/dev/null' });
    const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 20_000 });
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /Unknown option|Invalid/i);
    assert.notEqual(r.status, 0, 'nothing listens there');
  });

  it('mqtt.js: port and ca read from the file, still valid JavaScript', () => {
    const js = mqttJs(local);
    assert.match(js, /port: 4443,/);
    assert.match(js, /ca: fs\.readFileSync\("\/work\/my project\/\.iot-authz\/ca\.pem"\)/);
    assert.doesNotThrow(() => new vm.Script(js));
    assert.doesNotMatch(mqttJs(base), /readFileSync/);
  });
});
