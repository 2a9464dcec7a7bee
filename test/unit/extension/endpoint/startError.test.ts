import * as assert from 'node:assert/strict';
import { AuthzError } from '../../../../src/core/errors';
import type { EndpointSettings } from '../../../../src/extension/endpoint/settings';
import { explainStartError } from '../../../../src/extension/endpoint/startError';

const settings = (over: Partial<EndpointSettings> = {}): EndpointSettings => ({
  host: '127.0.0.1',
  port: 4443,
  mqttPlainPort: null,
  hostName: 'localhost',
  tlsFolder: '.iot-authz/',
  defaultAuthorizer: '',
  authorizerGlobs: ['**/*.authorizer.json'],
  timeScale: 1,
  ...over,
});

function inUse(port: number): Error {
  return Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE' });
}

describe('extension/endpoint explainStartError', () => {
  it('a busy TLS port names iotAuthz.endpoint.port', () => {
    const e = explainStartError(inUse(4443), settings());
    assert.ok(e instanceof AuthzError);
    assert.equal(e.code, 'ENDPOINT_PORT_IN_USE');
    assert.match(e.message, /127\.0\.0\.1:4443/);
    assert.match(e.hint!, /iotAuthz\.endpoint\.port\b/);
  });

  it('a busy plain MQTT port names iotAuthz.endpoint.mqttPlainPort', () => {
    const e = explainStartError(inUse(1883), settings({ mqttPlainPort: 1883 })) as AuthzError;
    assert.match(e.message, /:1883/);
    assert.match(e.hint!, /iotAuthz\.endpoint\.mqttPlainPort/);
  });

  it("the core's own port error (an AuthzError) is recognised by its text", () => {
    const core = new AuthzError('ENDPOINT_PORT_IN_USE', 'Port 4443 on 127.0.0.1 is already in use.', 'Use --port.');
    const e = explainStartError(core, settings()) as AuthzError;
    assert.match(e.hint!, /iotAuthz\.endpoint\.port/);
  });

  it('a core error that already names the setting (settingNames) is kept as it is', () => {
    const core = new AuthzError('ENDPOINT_PORT_BUSY', 'Port 4443 on 127.0.0.1 is already in use, so the local endpoint cannot listen on it.', 'Stop what uses it, or choose another port with iotAuthz.endpoint.port (0 picks a free one).');
    assert.equal(explainStartError(core, settings()), core);
  });

  it('a privileged port is explained; other errors pass through unchanged', () => {
    const denied = explainStartError(Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:443'), { code: 'EACCES' }), settings({ port: 443 })) as AuthzError;
    assert.equal(denied.code, 'ENDPOINT_PORT_DENIED');
    const other = new AuthzError('DEFINITION_INVALID', 'bad');
    assert.equal(explainStartError(other, settings()), other);
  });
});
