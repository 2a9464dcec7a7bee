import { validateResponseObject } from '../authoring/validator';
import { decide, OperationDecision, OperationInput, parseOperation } from '../emulator/operations';
import type { ConnectionResult, Step, StepName } from '../emulator/pipeline';
import type { PolicyContext, PolicyDocument } from '../policy';
import { AuthzError } from '../errors';
import { parseArn } from './arn';
import { GatewayProtocol } from './testinvoke';
import { TestInvokeResult } from './types';

export interface TestInvokeConversion {
  authorizerName: string;
  /** The authorizer ARN: its region and account resolve bare topics / client ids to resource ARNs. */
  authorizerArn?: string;
  /** Used when the ARN is missing or unreadable. */
  region?: string;
  account?: string;
  protocol: GatewayProtocol;
  /** What AWS answered; absent when it refused the call (`error`). */
  result?: TestInvokeResult;
  /** TestInvokeAuthorizer's refusal (e.g. the signature was rejected): scored as a rejection. */
  error?: AuthzError;
  /** The MQTT client id sent in mqttContext (MQTT / WebSockets: iot:Connect is checked for it). */
  clientId?: string;
  /** The operations the user asked about, e.g. "iot:Publish a/b" or {action, resource}. */
  operations?: OperationInput[];
  /** The authorizer has signing disabled (AWS did not verify a signature). */
  signingDisabled?: boolean;
  /** Client IP for aws:SourceIp conditions (unknown when absent). */
  sourceIp?: string;
  /** How long the call took (ms). */
  elapsedMs?: number;
}

/**
 * Errors of TestInvokeAuthorizer that say nothing about the authorizer (setup, reachability,
 * permissions, cancellation): they stay errors, where the others are scored as a rejection.
 */
export const TEST_INVOKE_SETUP_ERRORS: ReadonlySet<string> = new Set([
  'AWS_NO_CREDENTIALS', 'AWS_SSO_EXPIRED', 'AWS_CREDENTIALS_EXPIRED', 'AWS_BAD_CREDENTIALS', 'AWS_UNREACHABLE', 'AWS_ACCESS_DENIED', 'AWS_NOT_FOUND', 'AWS_THROTTLED', 'CANCELLED',
]);

/** True when the error is a refusal to score (signature rejected, Lambda failed), not a setup problem. */
export function isScorableTestInvokeError(e: unknown): e is AuthzError {
  return e instanceof AuthzError && !TEST_INVOKE_SETUP_ERRORS.has(e.code);
}

/**
 * True when TestInvokeAuthorizer refused the token signature. AWS answers a bad signature
 * with an invalid-request error naming the signature (the exact error type is unconfirmed).
 */
export function isSignatureRejection(e: AuthzError | undefined): boolean {
  return e?.code === 'AWS_INVALID_REQUEST' && /signature/i.test(e.message);
}

/**
 * Turns a TestInvokeAuthorizer answer into the ConnectionResult shape the emulator produces,
 * so the results panel, the policy simulator and the validator treat both alike: the
 * response (isAuthenticated, principalId, policy documents as JSON strings, refresh /
 * disconnect times) is validated like a local handler's, then iot:Connect (MQTT, WebSockets)
 * and each requested operation are decided by the same policy evaluator. AWS does not return
 * the event or the Lambda's log: those steps are marked skipped. Pure. Throws only for an
 * operation that does not parse (bad input, as in a local run).
 */
export function testInvokeToConnectionResult(o: TestInvokeConversion): ConnectionResult {
  const arn = o.authorizerArn ? parseArn(o.authorizerArn) : undefined;
  const region = arn?.region || o.region || 'us-east-1';
  const account = arn?.account || o.account || '123456789012';
  const operations = (o.operations ?? []).map((op) => parseOperation(op, region, account));
  if (!o.result) return refusedResult(o, o.error ?? new AuthzError('AWS_ERROR', 'TestInvokeAuthorizer gave no answer.'));
  const r = o.result;
  const response: Record<string, unknown> = {
    isAuthenticated: r.isAuthenticated,
    ...(r.principalId !== undefined ? { principalId: r.principalId } : {}),
    policyDocuments: r.policyDocuments ?? [],
    ...(r.refreshAfterInSeconds !== undefined ? { refreshAfterInSeconds: r.refreshAfterInSeconds } : {}),
    ...(r.disconnectAfterInSeconds !== undefined ? { disconnectAfterInSeconds: r.disconnectAfterInSeconds } : {}),
  };
  const steps: Step[] = [];
  // Only the whole call is timed (totalMs): the steps carry no duration of their own.
  const step = (name: StepName, status: Step['status'], message: string) => steps.push({ name, status, message });
  const signatureMessage = o.signingDisabled
    ? 'Signing is disabled for this authorizer: AWS IoT did not verify a signature.'
    : 'AWS IoT verified the token signature (TestInvokeAuthorizer refuses a bad signature before invoking the Lambda).';
  const result: ConnectionResult = {
    outcome: 'rejected',
    summary: '',
    protocol: o.protocol,
    authorizerName: o.authorizerName,
    authenticated: false,
    connected: false,
    steps,
    signature: o.signingDisabled ? { checked: false, message: signatureMessage } : { checked: true, valid: true, message: signatureMessage },
    response,
    responseFindings: [],
    log: [],
    logText: '',
    decisions: [],
    totalMs: o.elapsedMs ?? 0,
  };
  if (r.principalId !== undefined) result.principalId = r.principalId;
  if (r.refreshAfterInSeconds !== undefined) result.refreshAfterInSeconds = r.refreshAfterInSeconds;
  if (r.disconnectAfterInSeconds !== undefined) result.disconnectAfterInSeconds = r.disconnectAfterInSeconds;

  step('signature', o.signingDisabled ? 'skipped' : 'passed', signatureMessage);
  step('event', 'skipped', 'AWS built the event; TestInvokeAuthorizer does not return it.');
  step('handler', 'passed', 'The Lambda ran in AWS (its log is in CloudWatch Logs, not in this result).');

  const { text, findings } = validateResponseObject(response);
  result.responseText = text;
  result.responseFindings = findings;
  const errors = findings.filter((f) => f.severity === 'error');
  const later = (names: StepName[], why = 'Not reached.') => names.forEach((n) => step(n, 'skipped', why));
  if (errors.length) {
    const message = `The response is invalid, so IoT Core fails the connection: ${errors.map((f) => f.message).join(' ')}`;
    step('response', 'failed', message);
    later(['connect', 'decisions']);
    result.failure = { step: 'response', code: 'RESPONSE_INVALID', message };
    result.summary = `Rejected at response: ${message}`;
    return result;
  }
  if (!r.isAuthenticated) {
    const message = 'AWS answered isAuthenticated: false; IoT Core refuses the connection.';
    step('response', 'failed', message);
    later(['connect', 'decisions']);
    result.failure = { step: 'response', code: 'NOT_AUTHENTICATED', message };
    result.summary = `Rejected at response: ${message}`;
    return result;
  }
  result.authenticated = true;
  step('response', 'passed', `Valid response: authenticated as ${r.principalId ?? '(no principalId)'}.${findings.length ? ` ${findings.length} finding(s) below error level.` : ''}`);

  const policies = (r.policyDocuments ?? []) as Array<PolicyDocument | string>;
  const isMqtt = o.protocol !== 'https';
  const ctx: PolicyContext = {
    ...(isMqtt && o.clientId !== undefined ? { clientId: o.clientId } : {}),
    ...(o.sourceIp ? { sourceIp: o.sourceIp } : {}),
  };
  if (isMqtt) {
    const connect: OperationDecision = decide(parseOperation({ action: 'iot:Connect', resource: o.clientId ?? '' }, region, account), policies, ctx);
    result.connect = connect;
    const ok = connect.decision === 'allow';
    step('connect', ok ? 'passed' : 'failed', ok ? connect.reason : `MQTT CONNECT refused: ${connect.reason}`);
    if (!ok) result.failure = { step: 'connect', code: 'CONNECT_DENIED', message: `The policies do not allow iot:Connect for client id "${o.clientId ?? ''}": ${connect.reason}` };
    result.connected = ok;
  } else {
    step('connect', 'skipped', 'HTTPS publish has no MQTT CONNECT.');
    result.connected = true;
  }
  result.decisions = operations.map((op) => decide(op, policies, ctx));
  const allowed = result.decisions.filter((d) => d.decision === 'allow').length;
  step(
    'decisions',
    operations.length ? 'passed' : 'skipped',
    operations.length ? `${allowed} of ${operations.length} operation(s) allowed by the policies AWS returned.` : 'No operations requested.',
  );
  result.outcome = result.connected ? 'accepted' : 'rejected';
  result.summary = result.connected
    ? `Accepted by AWS: authenticated as ${r.principalId ?? '(no principalId)'}${operations.length ? `; ${allowed}/${operations.length} operation(s) allowed` : ''}.`
    : `Rejected at connect: ${result.failure?.message}`;
  return result;
}

/** A TestInvokeAuthorizer refusal as a rejected result: at the signature step, or at the Lambda. */
function refusedResult(o: TestInvokeConversion, error: AuthzError): ConnectionResult {
  const sig = isSignatureRejection(error);
  const steps: Step[] = [];
  const step = (name: StepName, status: Step['status'], message: string) => steps.push({ name, status, message });
  const message = sig
    ? `AWS IoT rejected the token signature, so the Lambda was not invoked: ${error.message}`
    : `TestInvokeAuthorizer failed: ${error.message}`;
  if (sig) step('signature', 'failed', message);
  else step('signature', o.signingDisabled ? 'skipped' : 'passed', o.signingDisabled ? 'Signing is disabled for this authorizer: AWS IoT did not verify a signature.' : 'AWS IoT accepted the token signature.');
  step('event', 'skipped', sig ? 'Not reached.' : 'AWS built the event; TestInvokeAuthorizer does not return it.');
  step('handler', sig ? 'skipped' : 'failed', sig ? 'Not reached: AWS does not invoke the Lambda for a token it cannot verify.' : message);
  for (const n of ['response', 'connect', 'decisions'] as StepName[]) step(n, 'skipped', 'Not reached.');
  return {
    outcome: 'rejected',
    summary: sig ? `Rejected at signature: ${message}` : `Rejected: ${message}`,
    protocol: o.protocol,
    authorizerName: o.authorizerName,
    authenticated: false,
    connected: false,
    steps,
    signature: o.signingDisabled ? { checked: false, message: 'Signing is disabled for this authorizer.' } : sig ? { checked: true, valid: false, message } : { checked: true, valid: true, message: 'AWS IoT accepted the token signature.' },
    responseFindings: [],
    log: [],
    logText: '',
    decisions: [],
    failure: { step: sig ? 'signature' : 'handler', code: sig ? 'SIGNATURE_INVALID' : 'INVOKE_FAILED', message },
    totalMs: o.elapsedMs ?? 0,
  };
}
