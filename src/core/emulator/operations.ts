import { AuthzError } from '../errors';
import { evaluate, EvaluationResult, normalizeAction, PolicyContext, PolicyDocument, resourceArn } from '../policy';

/**
 * An operation to authorise: `{action, resource}` where resource is a full ARN
 * or a bare topic / topic filter / client id / thing name, or the string form
 * `"iot:Publish some/topic"` (action, one space, resource).
 */
export type OperationInput = { action: string; resource: string } | string;

export interface Operation {
  action: string;
  /** As written (bare or ARN). */
  input: string;
  /** Full ARN. */
  resource: string;
}

export interface OperationDecision extends Operation, EvaluationResult {}

export function parseOperation(op: OperationInput, region: string, account: string): Operation {
  let action: string;
  let input: string;
  if (typeof op === 'string') {
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(op);
    if (!m) {
      throw new AuthzError('OPERATION_INVALID', `"${op}" is not an operation.`, 'Write it as "iot:Publish my/topic" or {"action": "iot:Publish", "resource": "my/topic"}.');
    }
    action = m[1];
    input = m[2];
  } else if (op && typeof op === 'object' && typeof op.action === 'string' && typeof op.resource === 'string') {
    action = op.action;
    input = op.resource;
  } else {
    throw new AuthzError('OPERATION_INVALID', `${JSON.stringify(op)} is not an operation.`, 'An operation is {"action": "iot:Publish", "resource": "my/topic"}.');
  }
  action = normalizeAction(action);
  return { action, input, resource: resourceArn(action, input, { region, account }) };
}

export function decide(op: Operation, policies: Array<PolicyDocument | string>, context: PolicyContext): OperationDecision {
  return { ...op, ...evaluate({ policies, action: op.action, resource: op.resource, context }) };
}
