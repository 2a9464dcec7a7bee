import { randomUUID } from 'node:crypto';
import { AUTHORIZER_NAME_PARAM, SIGNATURE_PARAM, mqttUsername } from '../tokens';

/** How the device connects. */
export type Protocol = 'https' | 'mqtt' | 'wss';
export const PROTOCOLS: readonly Protocol[] = ['https', 'mqtt', 'wss'];

/**
 * The event's `protocols` array per transport. UNCONFIRMED: AWS documents the
 * field ("Indicates which protocols to expect", config-custom-auth.md) with the
 * example ["tls", "http", "mqtt"] but not the exact array per transport. Correct here.
 */
export const EVENT_PROTOCOLS: Readonly<Record<Protocol, readonly string[]>> = {
  https: ['tls', 'http'],
  mqtt: ['tls', 'mqtt'],
  wss: ['tls', 'http', 'mqtt'],
};

/** What the device sends, as a test case or a run describes it. */
export interface ConnectionInput {
  protocol: Protocol;
  token?: string;
  /** The token signature exactly as the device sends it (standard base64). */
  signature?: string;
  /** MQTT client id; present in the event only when given (as AWS does). */
  clientId?: string;
  /** MQTT username; for MQTT without one, the device's username is built from token and signature. */
  username?: string;
  /** MQTT password as text; IoT Core base64-encodes it into the event. */
  password?: string;
  /** MQTT password already base64 (binary passwords). */
  passwordBase64?: string;
  /** HTTP request headers (HTTPS publish, WebSocket upgrade). */
  headers?: Record<string, string>;
  /** HTTP query: `a=1&b=2`, `?a=1`, or an object. */
  query?: string | Record<string, string>;
  /** TLS SNI; default `iot-authz-local-ats.iot.<region>.amazonaws.com`. */
  serverName?: string;
  /** Client IP, for aws:SourceIp conditions. */
  sourceIp?: string;
}

export interface IoTAuthorizerEvent {
  token?: string;
  signatureVerified: boolean;
  protocols: string[];
  protocolData: {
    tls?: { serverName: string };
    http?: { headers: Record<string, string>; queryString?: string };
    mqtt?: { username?: string; password?: string; clientId?: string };
  };
  connectionMetadata: { id: string };
}

export interface EventContext {
  authorizerName: string;
  tokenKeyName?: string;
  region: string;
  signatureVerified: boolean;
  /** Fixed connection id (tests); default a random UUID. */
  connectionId?: string;
}

export function queryStringOf(q: ConnectionInput['query']): string | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'string') return q === '' ? undefined : q.startsWith('?') ? q : `?${q}`;
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : undefined;
}

function hasKey(obj: Record<string, string> | undefined, key: string): boolean {
  const k = key.toLowerCase();
  return !!obj && Object.keys(obj).some((x) => x.toLowerCase() === k);
}

/**
 * The event AWS IoT Core sends the authorizer Lambda for this connection
 * (config-custom-auth.md "Defining your Lambda function"). Fields that do not
 * apply to the protocol are absent. For HTTPS and WebSockets, when the request
 * does not already carry the token (header, query or username), the device's
 * credential headers are added as a device would send them.
 */
export function buildEvent(input: ConnectionInput, ctx: EventContext): IoTAuthorizerEvent {
  const protocolData: IoTAuthorizerEvent['protocolData'] = {
    tls: { serverName: input.serverName ?? `iot-authz-local-ats.iot.${ctx.region}.amazonaws.com` },
  };
  const isHttp = input.protocol === 'https' || input.protocol === 'wss';
  const isMqtt = input.protocol === 'mqtt' || input.protocol === 'wss';
  const queryString = queryStringOf(input.query);

  if (isHttp) {
    const headers: Record<string, string> = { ...(input.headers ?? {}) };
    const tokenKey = ctx.tokenKeyName;
    const carried =
      !tokenKey ||
      hasKey(headers, tokenKey) ||
      (queryString !== undefined && new URLSearchParams(queryString).has(tokenKey)) ||
      (input.protocol === 'wss' && input.username !== undefined && input.username.includes(`${tokenKey}=`));
    if (!carried && input.token !== undefined && tokenKey) {
      if (!hasKey(headers, AUTHORIZER_NAME_PARAM)) headers[AUTHORIZER_NAME_PARAM] = ctx.authorizerName;
      headers[tokenKey] = input.token;
      if (input.signature !== undefined && !hasKey(headers, SIGNATURE_PARAM)) headers[SIGNATURE_PARAM] = input.signature;
    }
    protocolData.http = { headers, ...(queryString !== undefined ? { queryString } : {}) };
  }

  if (isMqtt) {
    const mqtt: NonNullable<IoTAuthorizerEvent['protocolData']['mqtt']> = {};
    let username = input.username;
    if (username === undefined && input.protocol === 'mqtt' && input.token !== undefined && ctx.tokenKeyName && input.signature !== undefined) {
      username = mqttUsername({ authorizerName: ctx.authorizerName, tokenKeyName: ctx.tokenKeyName, token: input.token, signature: input.signature });
    }
    if (username !== undefined) mqtt.username = username;
    const password = input.passwordBase64 ?? (input.password !== undefined ? Buffer.from(input.password, 'utf8').toString('base64') : undefined);
    if (password !== undefined) mqtt.password = password;
    if (input.clientId !== undefined) mqtt.clientId = input.clientId;
    protocolData.mqtt = mqtt;
  }

  return {
    ...(input.token !== undefined ? { token: input.token } : {}),
    signatureVerified: ctx.signatureVerified,
    protocols: [...EVENT_PROTOCOLS[input.protocol]],
    protocolData,
    connectionMetadata: { id: ctx.connectionId ?? randomUUID() },
  };
}
