import * as assert from 'node:assert/strict';
import { curlPublish, deviceSdkJs, deviceSdkPython, mosquittoPub, mqttJs, mqttUsername } from '../../../../src/core/tokens';

// The snippets in full, for one set of awkward values (a space in the authorizer
// name, the token and the topic; an endpoint with spaces around it; a device
// username that has a query). Each line is what a user pastes into a shell or an
// editor: a changed flag, quote or separator breaks it (issue 14: the mutation run
// showed parts of each could change without a test noticing).
describe('core/tokens: snippet texts in full', () => {
  const o = { endpoint: ' abc-ats.iot.eu-west-1.amazonaws.com ', authorizerName: 'fleet auth', tokenKeyName: 'device', token: 'sn 42', topic: 'fleet/sn 42/t', clientId: 'sn-42' };

  it('curl: the CA file when given, the headers, the default message, no signature header when unsigned', () => {
    assert.equal(curlPublish({ ...o, caFile: '/tmp/ca.pem' }), String.raw`curl --silent --show-error -X POST 'https://abc-ats.iot.eu-west-1.amazonaws.com:443/topics/fleet/sn%2042/t?qos=1' \
  --cacert '/tmp/ca.pem' \
  -H 'x-amz-customauthorizer-name: fleet auth' \
  -H 'device: sn 42' \
  --data '{"hello":"world"}'`);
  });

  it('mosquitto_pub: the CA download line without a CA file, ALPN, the URL-encoded username, the message', () => {
    assert.equal(mosquittoPub({ ...o, signature: 'a+b/c=', message: 'hi' }), String.raw`# CA: curl -O https://www.amazontrust.com/repository/AmazonRootCA1.pem
mosquitto_pub -h 'abc-ats.iot.eu-west-1.amazonaws.com' -p 443 --tls-alpn mqtt \
  --cafile AmazonRootCA1.pem \
  -i 'sn-42' \
  -u '?x-amz-customauthorizer-name=fleet%20auth&device=sn%2042&x-amz-customauthorizer-signature=a%2Bb%2Fc%3D' \
  -t 'fleet/sn 42/t' -m 'hi'`);
  });

  it('Device SDK v2 for JavaScript: an empty username, no signature, the encoded name and token, the default message', () => {
    assert.equal(deviceSdkJs(o), String.raw`// npm install aws-iot-device-sdk-v2
const { iot, mqtt } = require('aws-iot-device-sdk-v2');

async function main() {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_default_builder()
    .with_endpoint("abc-ats.iot.eu-west-1.amazonaws.com")
    .with_client_id("sn-42")
    // Sets port 443 and ALPN 'mqtt'. Raw base64 signature: the SDK URL-encodes it.
    .with_custom_authorizer(
      "",
      "fleet%20auth",
      undefined,
      undefined,
      "device",
      "sn%2042",
    )
    .build();
  const connection = new mqtt.MqttClient().new_connection(config);
  await connection.connect();
  await connection.publish("fleet/sn 42/t", "{\"hello\":\"world\"}", mqtt.QoS.AtLeastOnce);
  await connection.disconnect();
}

main().catch((err) => console.error(err));
`);
  });

  it('Device SDK v2 for Python: the device username as given, None for the signature', () => {
    assert.equal(deviceSdkPython({ ...o, username: 'u?x=1' }), String.raw`# pip install awsiotsdk
from awscrt import mqtt
from awsiot import mqtt_connection_builder

connection = mqtt_connection_builder.direct_with_custom_authorizer(
    endpoint="abc-ats.iot.eu-west-1.amazonaws.com",
    client_id="sn-42",
    auth_username="u?x=1",
    auth_authorizer_name="fleet%20auth",
    # Raw base64 signature: the SDK URL-encodes it.
    auth_authorizer_signature=None,
    auth_password=None,
    auth_token_key_name="device",
    auth_token_value="sn%2042",
)
connection.connect().result()
connection.publish(topic="fleet/sn 42/t", payload="{\"hello\":\"world\"}", qos=mqtt.QoS.AT_LEAST_ONCE)[0].result()
connection.disconnect().result()
`);
  });

  it("the MQTT username after a device username ending in '&' adds no separator", () => {
    assert.equal(mqttUsername({ ...o, username: 'u?x=1&', signature: 'a+b' }), String.raw`u?x=1&x-amz-customauthorizer-name=fleet%20auth&device=sn%2042&x-amz-customauthorizer-signature=a%2Bb`);
  });

  it('mqtt.js: reads the CA file with fs when given, else neither', () => {
    const withCa = mqttJs({ ...o, caFile: '/tmp/ca.pem' });
    assert.match(withCa, /^const mqtt = require\('mqtt'\);\nconst fs = require\('fs'\);$/m);
    assert.match(withCa, /^ {2}ca: fs\.readFileSync\("\/tmp\/ca\.pem"\), \/\/ the local endpoint's CA$/m);
    assert.match(withCa, /client\.publish\("fleet\/sn 42\/t", "\{\\"hello\\":\\"world\\"\}", \{ qos: 1 \}/);
    const without = mqttJs(o);
    assert.doesNotMatch(without, /require\('fs'\)|readFileSync/);
  });
});
