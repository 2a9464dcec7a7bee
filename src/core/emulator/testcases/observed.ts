import { OperationInput } from '../operations';
import { ConnectionResult } from '../pipeline';
import { NormalizedCase } from './format';

/**
 * What actually happened, shaped like the case's `expect` object (same keys,
 * same order), so an editor can show expected and actual side by side:
 * `allowed` lists the expected-allowed operations that were allowed, `denied`
 * the expected-denied ones that were denied (a rejected connection denies all).
 * `null` stands for "not checked" or "none".
 */
export function observedExpectations(c: NormalizedCase, r: ConnectionResult): Record<string, unknown> {
  const e = c.expect ?? {};
  const out: Record<string, unknown> = {};
  const allowedCount = e.allowed?.length ?? 0;
  for (const key of Object.keys(e)) {
    switch (key) {
      case 'signatureValid':
        out[key] = r.signature.checked ? r.signature.valid === true : null;
        break;
      case 'authenticated':
        out[key] = r.authenticated;
        break;
      case 'principalId':
        out[key] = r.principalId ?? null;
        break;
      case 'connected':
        out[key] = r.connected;
        break;
      case 'failure':
        out[key] = r.failure?.code ?? null;
        break;
      case 'allowed':
        out[key] = (e.allowed ?? []).filter((_op: OperationInput, i: number) => r.connected && r.decisions[i]?.decision === 'allow');
        break;
      case 'denied':
        out[key] = (e.denied ?? []).filter((_op: OperationInput, i: number) => !r.connected || r.decisions[allowedCount + i]?.decision !== 'allow');
        break;
      default:
        out[key] = null;
    }
  }
  return out;
}
