import { AUTHORIZER_NAME_PARAM, SIGNATURE_PARAM } from '../tokens/constants';
import { mqttUsername } from '../tokens/snippets';
import { HttpContext, MqttContext, TestInvokeInput, TlsContext } from './types';

/** How the device connects: HTTPS publish, MQTT over TLS (port 443, ALPN mqtt), MQTT over WebSockets. */
export type GatewayProtocol = 'https' | 'mqtt' | 'wss';

/** The MQTT client id sent when none is given (VS Code prefills it; the CLI and test cases default to it). */
export const DEFAULT_CLIENT_ID = 'iot-authz-test';


export interface TestInvokeDefaultsInput {
  authorizerName: string;
  protocol: GatewayProtocol;
  token?: string;
  tokenSignature?: string;
  /** The authorizer's token key name (where the device puts the token). */
  tokenKeyName?: string;
  /** The account's iot:Data-ATS endpoint host, used as TLS SNI and HTTP Host. */
  dataEndpoint?: string;
  /** MQTT client id (default "iot-authz-test"). */
  clientId?: string;
  /** MQTT username, sent as is; without one, a signed token goes into `?x-amz-customauthorizer-name=...&<key>=...&x-amz-customauthorizer-signature=...`. */
  username?: string;
  /** MQTT password (raw bytes or UTF-8 text). */
  password?: Uint8Array | string;
  /** Extra HTTP headers (https / wss). */
  headers?: Record<string, string>;
}

/**
 * Fills the HTTP, MQTT and TLS contexts the way the IoT Core gateway does for the chosen
 * protocol, so the Lambda sees protocolData like a device's connection produces. A test
 * with no contexts passes while devices fail, because the handler then sees no protocolData.
 */
export function buildTestInvokeInput(o: TestInvokeDefaultsInput): TestInvokeInput {
  const input: TestInvokeInput = { authorizerName: o.authorizerName };
  if (o.token !== undefined) input.token = o.token;
  if (o.tokenSignature !== undefined) input.tokenSignature = o.tokenSignature;
  const tls: TlsContext | undefined = o.dataEndpoint ? { serverName: o.dataEndpoint } : undefined;
  const authHeaders = (): Record<string, string> => {
    const h: Record<string, string> = { [AUTHORIZER_NAME_PARAM]: o.authorizerName };
    if (o.token !== undefined && o.tokenKeyName) h[o.tokenKeyName] = o.token;
    if (o.tokenSignature !== undefined) h[SIGNATURE_PARAM] = o.tokenSignature;
    return h;
  };
  const password = typeof o.password === 'string' ? new TextEncoder().encode(o.password) : o.password;
  switch (o.protocol) {
    case 'https': {
      const headers: Record<string, string> = { ...(o.dataEndpoint ? { host: o.dataEndpoint } : {}), ...authHeaders(), ...(o.headers ?? {}) };
      input.httpContext = { headers } satisfies HttpContext;
      break;
    }
    case 'mqtt': {
      // Like the emulator (src/core/emulator/event.ts): a given username is sent as is; without
      // one, a signed token travels in the username's query parameters, URL-encoded.
      let username = o.username;
      if (username === undefined && o.token !== undefined && o.tokenKeyName && o.tokenSignature !== undefined) {
        username = mqttUsername({ authorizerName: o.authorizerName, tokenKeyName: o.tokenKeyName, token: o.token, signature: o.tokenSignature });
      }
      const mqtt: MqttContext = { clientId: o.clientId ?? DEFAULT_CLIENT_ID };
      if (username !== undefined) mqtt.username = username;
      if (password) mqtt.password = password;
      input.mqttContext = mqtt;
      break;
    }
    case 'wss': {
      const headers: Record<string, string> = {
        ...(o.dataEndpoint ? { host: o.dataEndpoint } : {}),
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-protocol': 'mqtt',
        'sec-websocket-version': '13',
        ...authHeaders(),
        ...(o.headers ?? {}),
      };
      input.httpContext = { headers };
      const mqtt: MqttContext = { clientId: o.clientId ?? DEFAULT_CLIENT_ID };
      if (o.username !== undefined) mqtt.username = o.username;
      if (password) mqtt.password = password;
      input.mqttContext = mqtt;
      break;
    }
  }
  if (tls) input.tlsContext = tls;
  return input;
}

/** Warnings about a test-invoke input that would make the result unlike a device's. */
export function testInvokeWarnings(input: TestInvokeInput): string[] {
  const w: string[] = [];
  if (!input.httpContext && !input.mqttContext && !input.tlsContext) w.push('No protocol contexts: the Lambda sees no protocolData, unlike a real device connection.');
  if (!input.tlsContext?.serverName) w.push('No TLS serverName: real connections carry the SNI of the data endpoint.');
  return w;
}
