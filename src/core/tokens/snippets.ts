import {
  AMAZON_ROOT_CA_URL,
  AUTHORIZER_NAME_PARAM,
  CUSTOM_AUTH_PORT,
  MQTT_ALPN,
  PLACEHOLDER_ENDPOINT,
  SIGNATURE_PARAM,
} from './constants';

/** What a device sends to connect through a signed custom authorizer. */
export interface ConnectionOptions {
  /** The account's data endpoint (iot:Data-ATS); a placeholder when omitted. */
  endpoint?: string;
  authorizerName: string;
  tokenKeyName: string;
  token: string;
  /** Raw standard base64 signature (as signToken returns it). */
  signature: string;
  topic: string;
  clientId: string;
  /** The device's own MQTT username, to which the authorizer parameters are appended. */
  username?: string;
  /** Payload of the publish examples. */
  message?: string;
}

const DEFAULT_MESSAGE = '{"hello":"world"}';

/**
 * The topic Sign Token's snippets publish to: the one the walkthrough example's
 * handler and policy allow (examples/), so a snippet tried against our own
 * example is accepted.
 */
export const SAMPLE_TOPIC = 'customAuthTestTopic';

/** Single-quotes a value for POSIX shells: safe for any content, including quotes and newlines. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript (and Python) string literal for any value. */
function literal(value: string): string {
  return JSON.stringify(value);
}

function endpointOf(o: ConnectionOptions): string {
  return o.endpoint?.trim() || PLACEHOLDER_ENDPOINT;
}

/** A topic in a URL path: each level encoded, the '/' separators kept. */
export function topicPath(topic: string): string {
  return topic.split('/').map(encodeURIComponent).join('/');
}

/**
 * The MQTT username carrying the authorizer parameters, every value
 * URL-encoded, appended to the device's own username with '?' (or '&' when
 * that username already has a query: a second '?' breaks the parsing).
 */
export function mqttUsername(o: Pick<ConnectionOptions, 'authorizerName' | 'tokenKeyName' | 'token' | 'signature' | 'username'>): string {
  const base = o.username ?? '';
  const query = [
    `${AUTHORIZER_NAME_PARAM}=${encodeURIComponent(o.authorizerName)}`,
    `${encodeURIComponent(o.tokenKeyName)}=${encodeURIComponent(o.token)}`,
    `${SIGNATURE_PARAM}=${encodeURIComponent(o.signature)}`,
  ].join('&');
  const sep = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${sep}${query}`;
}

/** HTTPS publish with the authorizer headers (the signature is plain base64 in a header). */
export function curlPublish(o: ConnectionOptions): string {
  const url = `https://${endpointOf(o)}:${CUSTOM_AUTH_PORT}/topics/${topicPath(o.topic)}?qos=1`;
  return [
    `curl --silent --show-error -X POST ${shellQuote(url)}`,
    `  -H ${shellQuote(`${AUTHORIZER_NAME_PARAM}: ${o.authorizerName}`)}`,
    `  -H ${shellQuote(`${o.tokenKeyName}: ${o.token}`)}`,
    `  -H ${shellQuote(`${SIGNATURE_PARAM}: ${o.signature}`)}`,
    `  --data ${shellQuote(o.message ?? DEFAULT_MESSAGE)}`,
  ].join(' \\\n');
}

/** mosquitto_pub over MQTT on 443 with ALPN 'mqtt' (its -h is also the TLS SNI). */
export function mosquittoPub(o: ConnectionOptions): string {
  return [
    `# CA: curl -O ${AMAZON_ROOT_CA_URL}`,
    [
      `mosquitto_pub -h ${shellQuote(endpointOf(o))} -p ${CUSTOM_AUTH_PORT} --alpn ${MQTT_ALPN}`,
      `  --cafile AmazonRootCA1.pem`,
      `  -i ${shellQuote(o.clientId)}`,
      `  -u ${shellQuote(mqttUsername(o))}`,
      `  -t ${shellQuote(o.topic)} -m ${shellQuote(o.message ?? DEFAULT_MESSAGE)}`,
    ].join(' \\\n'),
  ].join('\n');
}

/** mqtt.js (npm mqtt) over mqtts on 443 with ALPN and SNI set. */
export function mqttJs(o: ConnectionOptions): string {
  const endpoint = endpointOf(o);
  return `// npm install mqtt
const mqtt = require('mqtt');

const client = mqtt.connect({
  protocol: 'mqtts',
  host: ${literal(endpoint)},
  port: ${CUSTOM_AUTH_PORT},
  servername: ${literal(endpoint)}, // TLS SNI: IoT Core routes by it
  ALPNProtocols: [${literal(MQTT_ALPN)}],
  clientId: ${literal(o.clientId)},
  // Authorizer parameters, URL-encoded, in the username:
  username: ${literal(mqttUsername(o))},
});

client.on('connect', () => {
  client.publish(${literal(o.topic)}, ${literal(o.message ?? DEFAULT_MESSAGE)}, { qos: 1 }, (err) => {
    if (err) console.error(err);
    client.end();
  });
});
client.on('error', (err) => console.error(err));
`;
}

/**
 * AWS IoT Device SDK v2 for JavaScript, MQTT 3.1.1 builder:
 * AwsIotMqttConnectionConfigBuilder.with_custom_authorizer(username,
 * authorizerName, authorizerSignature, password, tokenKeyName, tokenValue).
 * The SDK URL-encodes the signature itself (unless it already contains '%'),
 * so it gets the raw base64; it does not encode the name, key name or token.
 */
export function deviceSdkJs(o: ConnectionOptions): string {
  return `// npm install aws-iot-device-sdk-v2
const { iot, mqtt } = require('aws-iot-device-sdk-v2');

async function main() {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_default_builder()
    .with_endpoint(${literal(endpointOf(o))})
    .with_client_id(${literal(o.clientId)})
    // Sets port 443 and ALPN 'mqtt'. Raw base64 signature: the SDK URL-encodes it.
    .with_custom_authorizer(
      ${literal(o.username ?? '')},
      ${literal(encodeURIComponent(o.authorizerName))},
      ${literal(o.signature)},
      undefined,
      ${literal(encodeURIComponent(o.tokenKeyName))},
      ${literal(encodeURIComponent(o.token))},
    )
    .build();
  const connection = new mqtt.MqttClient().new_connection(config);
  await connection.connect();
  await connection.publish(${literal(o.topic)}, ${literal(o.message ?? DEFAULT_MESSAGE)}, mqtt.QoS.AtLeastOnce);
  await connection.disconnect();
}

main().catch((err) => console.error(err));
`;
}

/**
 * AWS IoT Device SDK v2 for Python:
 * awsiot.mqtt_connection_builder.direct_with_custom_authorizer (port 443, ALPN set by the SDK).
 */
export function deviceSdkPython(o: ConnectionOptions): string {
  return `# pip install awsiotsdk
from awscrt import mqtt
from awsiot import mqtt_connection_builder

connection = mqtt_connection_builder.direct_with_custom_authorizer(
    endpoint=${literal(endpointOf(o))},
    client_id=${literal(o.clientId)},
    auth_username=${literal(o.username ?? '')},
    auth_authorizer_name=${literal(encodeURIComponent(o.authorizerName))},
    # Raw base64 signature: the SDK URL-encodes it.
    auth_authorizer_signature=${literal(o.signature)},
    auth_password=None,
    auth_token_key_name=${literal(encodeURIComponent(o.tokenKeyName))},
    auth_token_value=${literal(encodeURIComponent(o.token))},
)
connection.connect().result()
connection.publish(topic=${literal(o.topic)}, payload=${literal(o.message ?? DEFAULT_MESSAGE)}, qos=mqtt.QoS.AT_LEAST_ONCE)[0].result()
connection.disconnect().result()
`;
}

export interface ConnectionSnippets {
  urlEncodedSignature: string;
  mqttUsername: string;
  curl: string;
  mosquittoPub: string;
  mqttJs: string;
  deviceSdkJs: string;
  deviceSdkPython: string;
}

/** Every snippet at once, for a "copy connection details" view. */
export function connectionSnippets(o: ConnectionOptions): ConnectionSnippets {
  return {
    urlEncodedSignature: encodeURIComponent(o.signature),
    mqttUsername: mqttUsername(o),
    curl: curlPublish(o),
    mosquittoPub: mosquittoPub(o),
    mqttJs: mqttJs(o),
    deviceSdkJs: deviceSdkJs(o),
    deviceSdkPython: deviceSdkPython(o),
  };
}
