import type { DecisionRecord } from '../../../core/endpoint';
import { AuthzError } from '../../../core/errors';
import { decisionResultsModel } from '../decisionModel';
import { EndpointFeature } from '../feature';
import type { ResultsModel } from '../../panels/model';

/** A decision node, or `{ seq }` / `{ connectionId }` (that connection's connect or last refresh). */
export type ShowDecisionArg = { decision: DecisionRecord } | { seq: number } | { connectionId: string };

function recordOf(f: EndpointFeature, arg: unknown): DecisionRecord | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Partial<{ decision: DecisionRecord; seq: number; connectionId: string }>;
  if (a.decision) return a.decision;
  if (typeof a.seq === 'number') return f.controller.decisions().find((d) => d.seq === a.seq);
  if (typeof a.connectionId === 'string') return f.controller.lastChainDecision(a.connectionId);
  return undefined;
}

/** Opens the results panel on one decision: its chain and its deciding statement. Returns the model shown. */
export async function showDecisionCommand(f: EndpointFeature, arg: unknown): Promise<ResultsModel> {
  const d = recordOf(f, arg);
  if (!d) throw new AuthzError('DECISION_NOT_FOUND', 'That decision is no longer kept by the local endpoint.', 'Pick one under Local endpoint › Recent decisions.');
  const model = decisionResultsModel(d, f.controller.chainOf(d));
  await f.results.show(model);
  return model;
}
