// Texts of the local endpoint's explorer section, status bar and decision log.
// No `vscode` import: plain string shaping, unit-tested in plain Node.
import type { DecisionRecord, EndpointConnection, EndpointInfo } from '../../core/endpoint';

/** "4s", "2m 05s", "1h 02m": short enough for a tree item's description. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

const PROTOCOL_LABEL: Record<string, string> = { mqtt: 'MQTT', wss: 'WebSockets', https: 'HTTPS' };

export function protocolLabel(c: Pick<EndpointConnection, 'protocol' | 'tls'>): string {
  const label = PROTOCOL_LABEL[c.protocol] ?? String(c.protocol);
  return c.tls === false ? `${label} (plain)` : label;
}

/** A live connection's one-line description: protocol, principal, age, time to the next refresh. */
export function connectionDescription(c: EndpointConnection, now: number): string {
  const parts = [protocolLabel(c), c.principalId ?? 'no principal', `up ${durationText(now - c.connectedAt)}`];
  if (c.nextRefreshAt !== undefined) parts.push(c.nextRefreshAt > now ? `refresh in ${durationText(c.nextRefreshAt - now)}` : 'refreshing');
  return parts.join(' · ');
}

/** What a decision was about, as the client said it: "publish a/b", "connect c1", "disconnect". */
export function decisionLabel(d: DecisionRecord): string {
  const what = d.target ?? (d.kind === 'connect' || d.kind === 'refresh' ? d.clientId : undefined);
  return what !== undefined && what !== '' ? `${d.kind} ${what}` : d.kind;
}

/** Where in the policies a decision was made: "statement 1.2 (Sid AllowPublish)". */
export function statementText(d: Pick<DecisionRecord, 'decidedBy'>): string | undefined {
  const ref = d.decidedBy;
  if (!ref) return undefined;
  return `statement ${ref.document + 1}.${ref.statement + 1}${ref.sid ? ` (Sid ${ref.sid})` : ''}`;
}

const SIGNATURE_NAME = 'x-amz-customauthorizer-signature';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keeps the first characters of a credential so a person can tell two apart, and its length. */
export function shorten(value: string): string {
  return value.length <= 8 ? '…' : `${value.slice(0, 6)}…(${value.length} chars)`;
}

/**
 * A second line of defence for the output channel: the core's log lines
 * should carry no credentials, but a handler's console output or an error
 * message may echo a request. Values of the signature parameter and of the
 * authorizers' token key names are shortened; passwords are removed.
 * Recognises `name=value` (query strings), `name: value` (headers) and
 * `"name":"value"` (JSON).
 */
export function redactSecrets(text: string, tokenKeyNames: readonly string[] = []): string {
  const rule = (names: string[], replace: (v: string) => string) => (s: string) => {
    if (!names.length) return s;
    const re = new RegExp(`(["']?(?:${names.map(escapeRegExp).join('|')})["']?\\s*[=:]\\s*["']?)([^&\\s"',;}]+)`, 'gi');
    return s.replace(re, (_m, head: string, value: string) => `${head}${replace(value)}`);
  };
  const keyNames = [...new Set(tokenKeyNames.filter((n) => n && n.length >= 2))];
  return [rule(['password', 'passwd'], () => '[redacted]'), rule([SIGNATURE_NAME, ...keyNames, 'token'], shorten)].reduce((s, f) => f(s), text);
}

/** "MQTT/TLS 4443 (ALPN mqtt), HTTPS and WebSockets on the same port; plain MQTT 1883". */
export function portsText(info: Pick<EndpointInfo, 'port' | 'mqttPlainPort'>): string {
  const tls = `TLS ${info.port}: MQTT (ALPN mqtt), HTTPS publish, MQTT over WebSockets`;
  return info.mqttPlainPort !== undefined ? `${tls}; plain MQTT ${info.mqttPlainPort}` : tls;
}

/** The status bar text while the endpoint runs. */
export function statusText(info: Pick<EndpointInfo, 'port'>, connections: number): string {
  return `$(broadcast) IoT endpoint :${info.port}${connections ? ` · ${connections} conn` : ''}`;
}
