import * as assert from 'node:assert/strict';
import { buildTestInvokeInput, testInvokeWarnings } from '../../../../src/core/aws';

const common = { authorizerName: 'my-authz', token: 'tok en', tokenSignature: 'ab+c/d==', tokenKeyName: 'x-token', dataEndpoint: 'abc-ats.iot.us-east-1.amazonaws.com' };

describe('core/aws test-invoke contexts', () => {
  it('https: headers like a device publish, TLS SNI = data endpoint', () => {
    const i = buildTestInvokeInput({ ...common, protocol: 'https' });
    assert.deepEqual(i.httpContext?.headers, {
      host: common.dataEndpoint,
      'x-amz-customauthorizer-name': 'my-authz',
      'x-token': 'tok en',
      'x-amz-customauthorizer-signature': 'ab+c/d==',
    });
    assert.equal(i.mqttContext, undefined);
    assert.deepEqual(i.tlsContext, { serverName: common.dataEndpoint });
    assert.equal(i.token, 'tok en');
    assert.equal(i.tokenSignature, 'ab+c/d==');
    assert.deepEqual(testInvokeWarnings(i), []);
  });

  it('mqtt: username with URL-encoded parameters, client id, password bytes', () => {
    const i = buildTestInvokeInput({ ...common, protocol: 'mqtt', password: 'pw' });
    assert.equal(i.mqttContext?.username, '?x-amz-customauthorizer-name=my-authz&x-token=tok%20en&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D%3D');
    assert.equal(buildTestInvokeInput({ ...common, protocol: 'mqtt', username: 'dev1' }).mqttContext?.username, 'dev1');
    assert.equal(i.mqttContext?.clientId, 'iot-authz-test');
    assert.deepEqual([...(i.mqttContext?.password ?? [])], [...Buffer.from('pw')]);
    assert.equal(i.httpContext, undefined);
  });

  it('wss: upgrade headers with the credentials plus an MQTT context', () => {
    const i = buildTestInvokeInput({ ...common, protocol: 'wss', clientId: 'c1' });
    assert.equal(i.httpContext?.headers?.['sec-websocket-protocol'], 'mqtt');
    assert.equal(i.httpContext?.headers?.['x-token'], 'tok en');
    assert.deepEqual(i.mqttContext, { clientId: 'c1' });
  });

  it('warns when the test would not look like a device', () => {
    assert.equal(testInvokeWarnings({ authorizerName: 'a', token: 't' }).length, 2);
    const noSni = buildTestInvokeInput({ ...common, dataEndpoint: undefined, protocol: 'https' });
    assert.equal(noSni.tlsContext, undefined);
    assert.match(testInvokeWarnings(noSni).join(' '), /serverName/);
  });
});
