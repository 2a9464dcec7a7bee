import * as assert from 'node:assert/strict';
import type { DecisionRecord, EndpointConnection } from '../../../../src/core/endpoint';
import { connectionDescription, decisionLabel, durationText, portsText, redactSecrets, shorten, statusText } from '../../../../src/extension/endpoint/format';

const ARN = 'arn:aws:iot:us-east-1:123456789012';

function decision(over: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    seq: 7,
    time: 0,
    connectionId: 'conn-1',
    clientId: 'dev1',
    principalId: 'walkthroughDevice',
    protocol: 'mqtt',
    authorizerName: 'walkthrough-authorizer',
    kind: 'publish',
    action: 'iot:Publish',
    resource: `${ARN}:topic/a/b`,
    target: 'a/b',
    allowed: true,
    reason: 'Allowed by an Allow statement.',
    decidedBy: { document: 0, statement: 1, sid: 'Pub', effect: 'Allow' },
    ...over,
  };
}

describe('extension/endpoint format', () => {
  it('durations: seconds, minutes with padded seconds, hours with padded minutes; never negative', () => {
    assert.equal(durationText(4_999), '4s');
    assert.equal(durationText(125_000), '2m 05s');
    assert.equal(durationText(3_720_000), '1h 02m');
    assert.equal(durationText(-5_000), '0s');
  });

  it('a connection shows protocol, principal, age and the time to its next refresh', () => {
    const c: EndpointConnection = { id: 'c', clientId: 'dev1', principalId: 'p1', protocol: 'wss', tls: true, authorizerName: 'a', connectedAt: 1_000, nextRefreshAt: 301_000, subscriptions: [], authorizations: 1 };
    assert.equal(connectionDescription(c, 61_000), 'WebSockets · p1 · up 1m 00s · refresh in 4m 00s');
    assert.equal(connectionDescription({ ...c, protocol: 'mqtt', tls: false, principalId: undefined, nextRefreshAt: undefined }, 1_000), 'MQTT (plain) · no principal · up 0s');
    assert.match(connectionDescription(c, 302_000), /refreshing$/);
  });

  it('decision labels name what the client asked for', () => {
    assert.equal(decisionLabel(decision()), 'publish a/b');
    assert.equal(decisionLabel(decision({ kind: 'connect', target: undefined, clientId: 'dev9' })), 'connect dev9');
    assert.equal(decisionLabel(decision({ kind: 'disconnect', target: undefined, action: undefined })), 'disconnect');
  });

  it('redaction shortens signatures and token values and removes passwords, in query, header and JSON forms', () => {
    const sig = 'abcDEF123+/abcDEF123+/abcDEF123+/==';
    const q = `user?x-amz-customauthorizer-name=auth&tokenKeyName=MyStringThatNeedsToBeSigned&x-amz-customauthorizer-signature=${encodeURIComponent(sig)}`;
    const out = redactSecrets(q, ['tokenKeyName']);
    assert.ok(!out.includes('MyStringThatNeedsToBeSigned'), out);
    assert.ok(!out.includes(encodeURIComponent(sig)), out);
    assert.ok(out.includes('x-amz-customauthorizer-name=auth'), 'the authorizer name is not a secret');
    assert.ok(out.includes('tokenKeyName=MyStri…(27 chars)'), out);

    const header = redactSecrets(`X-Amz-CustomAuthorizer-Signature: ${sig}`);
    assert.equal(header, `X-Amz-CustomAuthorizer-Signature: ${shorten(sig)}`);
    const json = redactSecrets('{"username":"u","password":"c2VjcmV0","token":"eyJhbGciOiJIUzI1NiJ9.e30.sig"}');
    assert.ok(!json.includes('c2VjcmV0') && json.includes('"password":"[redacted]"'), json);
    assert.ok(!json.includes('eyJhbGciOiJIUzI1NiJ9.e30.sig') && json.includes('"username":"u"'), json);
    assert.equal(redactSecrets('ALLOW publish a/b'), 'ALLOW publish a/b');
  });

  it('ports and status bar texts', () => {
    assert.equal(portsText({ port: 4443 }), 'TLS 4443: MQTT (ALPN mqtt), HTTPS publish, MQTT over WebSockets');
    assert.match(portsText({ port: 4443, mqttPlainPort: 1883 }), /; plain MQTT 1883$/);
    assert.equal(statusText({ port: 4443 }, 0), '$(broadcast) IoT endpoint :4443');
    assert.equal(statusText({ port: 4443 }, 2), '$(broadcast) IoT endpoint :4443 · 2 conn');
  });
});
