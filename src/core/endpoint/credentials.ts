import { ConnectionInput } from '../emulator/event';
import { AUTHORIZER_NAME_PARAM, SIGNATURE_PARAM } from '../tokens/constants';
import { USERNAME_QUERY_PLUS_IS_SPACE } from './behaviour';

/** A query string that could not be decoded: the connection is refused with this message. */
export class MalformedQueryError extends Error {}

/** Parses `a=1&b=2` (no leading `?`); values decoded per behaviour.ts; the first value of a repeated key wins. */
export function parseQuery(query: string, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const decode = (s: string) => {
      try {
        return decodeURIComponent(USERNAME_QUERY_PLUS_IS_SPACE ? s.replace(/\+/g, ' ') : s);
      } catch {
        throw new MalformedQueryError(`the ${where} has a malformed percent escape in "${rawKey.slice(0, 64)}": ${JSON.stringify(part.slice(0, 80))}`);
      }
    };
    const key = decode(rawKey);
    if (!out.has(key)) out.set(key, decode(rawValue));
  }
  return out;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const k = name.toLowerCase();
  for (const [h, v] of Object.entries(headers)) if (h.toLowerCase() === k) return v;
  return undefined;
}

/** Node's IncomingHttpHeaders flattened to strings (repeated headers joined as HTTP does). */
export function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export interface ClientCredentials {
  /** From `x-amz-customauthorizer-name`, absent means the default authorizer. */
  authorizerName?: string;
  /** Everything but the token, which depends on the authorizer's token key name. */
  input: ConnectionInput;
  /** Where to look for the token: username query, HTTP query, headers. */
  lookup: (tokenKeyName: string | undefined) => { token?: string };
}

interface HttpSide {
  headers: Record<string, string>;
  /** Without the leading `?`. */
  query: string;
}

/**
 * The credentials of an MQTT CONNECT (over TLS, plain TCP or WebSockets; for
 * WebSockets also the upgrade request's headers and query), as IoT Core reads
 * them (custom-auth.md): the username's query string carries the authorizer
 * name, the token and the signature; the upgrade request may carry them instead.
 */
export function mqttCredentials(o: {
  protocol: 'mqtt' | 'wss';
  clientId?: string;
  username?: string;
  password?: Buffer;
  http?: HttpSide;
  serverName?: string;
  sourceIp?: string;
}): ClientCredentials {
  const q = o.username?.indexOf('?') ?? -1;
  const userQuery = o.username !== undefined && q >= 0 ? parseQuery(o.username.slice(q + 1), "MQTT username's query string") : new Map<string, string>();
  const httpQuery = o.http ? parseQuery(o.http.query, 'WebSocket request query string') : new Map<string, string>();
  const pick = (name: string) => userQuery.get(name) ?? (o.http ? (headerValue(o.http.headers, name) ?? httpQuery.get(name)) : undefined);
  const input: ConnectionInput = {
    protocol: o.protocol,
    signature: pick(SIGNATURE_PARAM),
    ...(o.clientId !== undefined ? { clientId: o.clientId } : {}),
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { passwordBase64: o.password.toString('base64') } : {}),
    ...(o.http ? { headers: o.http.headers, query: o.http.query } : {}),
    ...(o.serverName !== undefined ? { serverName: o.serverName } : {}),
    ...(o.sourceIp ? { sourceIp: o.sourceIp } : {}),
  };
  if (input.signature === undefined) delete input.signature;
  const name = pick(AUTHORIZER_NAME_PARAM);
  return {
    ...(name !== undefined ? { authorizerName: name } : {}),
    input,
    lookup: (key) => (key === undefined ? {} : { token: pick(key) }),
  };
}

/** The credentials of an HTTPS publish: headers, or the same as query parameters (custom-auth.md). */
export function httpCredentials(o: { http: HttpSide; serverName?: string; sourceIp?: string }): ClientCredentials {
  const query = parseQuery(o.http.query, 'request query string');
  const pick = (name: string) => headerValue(o.http.headers, name) ?? query.get(name);
  const signature = pick(SIGNATURE_PARAM);
  const name = pick(AUTHORIZER_NAME_PARAM);
  const input: ConnectionInput = {
    protocol: 'https',
    ...(signature !== undefined ? { signature } : {}),
    headers: o.http.headers,
    query: o.http.query,
    ...(o.serverName !== undefined ? { serverName: o.serverName } : {}),
    ...(o.sourceIp ? { sourceIp: o.sourceIp } : {}),
  };
  return { ...(name !== undefined ? { authorizerName: name } : {}), input, lookup: (key) => (key === undefined ? {} : { token: pick(key) }) };
}
