import { DecisionRecord } from './types';

/** One line per decision, for the CLI and the output channel (never a secret: no token, no signature). */
export function formatDecision(d: DecisionRecord): string {
  const time = new Date(d.time).toISOString().slice(11, 23);
  const who = d.clientId !== undefined ? `client ${JSON.stringify(d.clientId)}` : `conn ${d.connectionId.slice(0, 8)}`;
  const what = d.action ? `${d.action} ${d.target ?? d.resource ?? ''}`.trim() : d.kind;
  const by = d.decidedBy ? ` [doc #${d.decidedBy.document + 1} stmt #${d.decidedBy.statement + 1} ${d.decidedBy.effect}]` : '';
  return `${time} ${d.allowed ? 'ALLOW' : 'DENY '} ${d.kind.padEnd(12)} ${d.protocol.padEnd(5)} ${who} ${what}${by}: ${d.reason}`;
}
