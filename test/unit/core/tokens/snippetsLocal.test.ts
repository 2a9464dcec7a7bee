import * as assert from 'node:assert/strict';
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
    assert.match(m, /-p 4443 --alpn mqtt/);
    assert.match(m, /--cafile '\/work\/my project\/\.iot-authz\/ca\.pem'/);
    assert.doesNotMatch(m, /AmazonRootCA1/);
    assert.match(mosquittoPub(base), /--cafile AmazonRootCA1\.pem/);
  });

  it('mqtt.js: port and ca read from the file, still valid JavaScript', () => {
    const js = mqttJs(local);
    assert.match(js, /port: 4443,/);
    assert.match(js, /ca: fs\.readFileSync\("\/work\/my project\/\.iot-authz\/ca\.pem"\)/);
    assert.doesNotThrow(() => new vm.Script(js));
    assert.doesNotMatch(mqttJs(base), /readFileSync/);
  });
});
