// What the results panel shows for one decision of the local endpoint.
// No `vscode` import: plain data shaping, unit-tested in plain Node.
import type { DecisionRecord } from '../../core/endpoint';
import type { ConnectionResult } from '../../core/emulator/pipeline';
import type { OperationDecision } from '../../core/emulator/operations';
import type { PanelResult, ResultsModel } from '../panels/model';
import { decisionLabel } from './format';

/** Decisions that carry their own chain (signature, event, handler, response, connect). */
const CHAIN_KINDS = new Set<DecisionRecord['kind']>(['connect', 'refresh', 'http-publish']);

/**
 * The operation decision in the emulator's shape, so the panel's decisions
 * table and statement highlighting work unchanged. Without the evaluator's
 * full answer (a refusal before any policy) it is rebuilt from the record.
 */
export function operationDecision(d: DecisionRecord): OperationDecision | undefined {
  if (!d.action || !d.resource) return undefined;
  const base = { action: d.action, input: d.target ?? d.resource, resource: d.resource };
  if (d.evaluation) return { ...base, ...d.evaluation };
  return {
    ...base,
    decision: d.allowed ? 'allow' : 'deny',
    ...(d.decidedBy ? { decidedBy: d.decidedBy } : {}),
    reason: d.reason,
    matchedStatements: [],
    uncertain: false,
    notes: [],
  };
}

/**
 * The panel model of a decision. Connects, refreshes and HTTPS publishes show
 * their own chain. A publish, subscribe or delivery shows the chain of the
 * authorization its connection held at that moment (`chain`: the policies it
 * was decided against) with this one decision, so its deciding statement is
 * highlighted; a disconnect shows the chain with the reason.
 */
export function decisionResultsModel(d: DecisionRecord, chain: ConnectionResult | undefined): ResultsModel {
  const who = d.clientId ?? d.principalId ?? d.connectionId;
  const verdict = d.kind === 'disconnect' ? 'closed' : d.allowed ? 'allowed' : 'denied';
  const title = `${who}: ${decisionLabel(d)} ${verdict} (local endpoint)`;
  if (d.result && CHAIN_KINDS.has(d.kind)) return { title, source: 'endpoint', result: d.result };

  const op = operationDecision(d);
  const summary = `${d.allowed ? 'Allowed' : 'Denied'}: ${decisionLabel(d)}. ${d.reason}`;
  const result: PanelResult = chain
    ? { ...chain, summary, decisions: op ? [op] : [] }
    : { outcome: d.allowed ? 'accepted' : 'rejected', summary, protocol: d.protocol, ...(d.authorizerName ? { authorizerName: d.authorizerName } : {}), ...(d.principalId ? { principalId: d.principalId } : {}), decisions: op ? [op] : [] };
  return { title, source: 'endpoint', result };
}
