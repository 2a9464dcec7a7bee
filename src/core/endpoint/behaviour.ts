import { randomUUID } from 'node:crypto';

/**
 * How the local endpoint answers, in one place. Facts cite AWS's developer
 * guide; every choice AWS's documentation leaves open is marked UNCONFIRMED
 * and can be changed here without touching the endpoint's logic.
 */

/** Publish and connect requests over 128 KB are rejected (message-broker quotas, cited by device-advisor-tests-mqtt.md). */
export const MAX_REQUEST_BYTES = 128 * 1024;

/** The TLS port routes by ALPN as IoT Core's 443 (protocols.md): `mqtt` is MQTT, anything else HTTP. */
export const MQTT_ALPN = 'mqtt';
export const HTTP_ALPN = 'http/1.1';

/** MQTT CONNACK return code for a refused custom-auth connection (MQTT 3.1.1 "not authorized"). */
export const CONNACK_NOT_AUTHORIZED = 5;

/**
 * UNCONFIRMED: a denied SUBSCRIBE gets a SUBACK failure (0x80) and the connection
 * stays open (users have reported both this and a disconnect).
 */
export const DENIED_SUBSCRIBE_DISCONNECTS = false;

/** A denied PUBLISH closes the connection (iot-policy-actions.md / pub-sub-policy.md). */
export const DENIED_PUBLISH_DISCONNECTS = true;

/**
 * UNCONFIRMED: a TLS connection whose SNI is missing or differs from the endpoint
 * host name is refused (custom-auth.md says MQTT with custom auth must send SNI
 * equal to the data endpoint; how IoT Core answers otherwise is not documented:
 * here MQTT gets CONNACK not authorized and HTTPS 403).
 */
export const SNI_MISMATCH_REFUSES = true;

/**
 * UNCONFIRMED: values in the MQTT username's query string are decoded as a form
 * (`+` becomes a space, then percent-decoding), so a signature that is not
 * URL-encoded fails as devices report; a malformed percent escape refuses the connection.
 */
export const USERNAME_QUERY_PLUS_IS_SPACE = true;

/**
 * UNCONFIRMED: the `username` in the Lambda event is the MQTT username exactly as
 * sent, the authorizer query string included.
 */
export const EVENT_USERNAME_KEEPS_QUERY = true;

/**
 * UNCONFIRMED: a refresh (refreshAfterInSeconds) re-runs the whole chain, the
 * iot:Connect check included; any failure closes the connection
 * (config-custom-auth.md: "If failures occur during custom authentication, AWS IoT Core terminates the connection").
 */
export const REFRESH_RECHECKS_CONNECT = true;

export interface HttpAnswer {
  status: number;
  body: { message: string; traceId: string };
}

export function traceId(): string {
  return randomUUID();
}

/** HTTPS publish accepted: the seed's curl shows 200 `{"message":"OK","traceId":"..."}` (http.md). */
export function httpOk(): HttpAnswer {
  return { status: 200, body: { message: 'OK', traceId: traceId() } };
}

/**
 * UNCONFIRMED bodies and codes of the failures (AWS documents the success
 * answer only): authentication failed 401, publish denied by the policy 403,
 * body over 128 KB 413, a path that is not /topics/... 404, bad qos 400.
 */
export function httpError(kind: 'unauthorized' | 'forbidden' | 'too-large' | 'not-found' | 'bad-request', detail?: string): HttpAnswer {
  const table = {
    unauthorized: [401, 'Unauthorized'],
    forbidden: [403, 'Forbidden'],
    'too-large': [413, 'Payload Too Large'],
    'not-found': [404, 'Not Found'],
    'bad-request': [400, 'Bad Request'],
  } as const;
  const [status, message] = table[kind];
  return { status, body: { message: detail ? `${message}: ${detail}` : message, traceId: traceId() } };
}

/** Lifecycle-style reasons for the decision log (UNCONFIRMED names, after AWS's lifecycle events). */
export const DISCONNECT_REASONS = {
  forbidden: 'FORBIDDEN_ACCESS',
  authError: 'AUTH_ERROR',
  ttl: 'CUSTOMAUTH_TTL_EXPIRATION',
  duplicate: 'DUPLICATE_CLIENTID',
  client: 'CLIENT_INITIATED_DISCONNECT',
  connectionLost: 'CONNECTION_LOST',
  serverShutdown: 'SERVER_INITIATED_DISCONNECT',
} as const;
