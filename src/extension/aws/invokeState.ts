import { AuthzError } from '../../core/errors';
import {
  AuthorizerDescription,
  AwsClients,
  checkInvokePermission,
  functionNameOf,
  getFunctionPolicy,
  invokePermissionRequest,
  InvokePermissionRequest,
  OpOptions,
} from '../../core/aws';

/** Can AWS IoT invoke the authorizer's Lambda, as far as its resource policy tells? */
export type InvokeState =
  | { kind: 'allowed'; reason: string; warnings: string[] }
  /** The policy does not allow it: `request` is the AddPermission that fixes it. */
  | { kind: 'missing'; reason: string; request: InvokePermissionRequest }
  /** The function does not exist. */
  | { kind: 'no-function'; reason: string }
  /** Not checked (no lambda:GetPolicy permission, no function ARN, another error): a neutral note, not a warning. */
  | { kind: 'unchecked'; reason: string };

/** GetPolicy + checkInvokePermission; access denied and other errors become 'unchecked', never a false warning. */
export async function invokeStateOf(c: AwsClients, d: AuthorizerDescription, opts: OpOptions = {}): Promise<InvokeState> {
  const fn = d.authorizerFunctionArn;
  if (!fn) return { kind: 'unchecked', reason: 'The authorizer has no function ARN.' };
  try {
    const policy = await getFunctionPolicy(c, fn, opts);
    const check = checkInvokePermission(policy?.policy, d.authorizerArn, fn);
    if (check.allowed) return { kind: 'allowed', reason: check.reason, warnings: check.warnings };
    return { kind: 'missing', reason: check.reason, request: invokePermissionRequest(fn, d.authorizerArn) };
  } catch (e) {
    if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
    if (e.code === 'AWS_NOT_FOUND') return { kind: 'no-function', reason: `The Lambda function ${functionNameOf(fn)} does not exist${c.target.region ? ` in ${c.target.region}` : ''}.` };
    if (e.code === 'AWS_ACCESS_DENIED') return { kind: 'unchecked', reason: `Permission not checked: this identity may not call lambda:GetPolicy on ${functionNameOf(fn)}.` };
    return { kind: 'unchecked', reason: `Permission not checked: ${e.message}` };
  }
}
