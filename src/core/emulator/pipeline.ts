import { validateResponseObject } from '../authoring/validator';
import { Finding } from '../authoring/types';
import { AuthzError, errorText } from '../errors';
import { PolicyContext, PolicyDocument } from '../policy';
import { DiagnosisItem, verifyToken } from '../tokens';
import { loadDefinitionFile, LoadedDefinition } from './definition';
import { buildEvent, ConnectionInput, IoTAuthorizerEvent, Protocol } from './event';
import { HandlerRun, LogChunk, runHandler } from './handler';
import { decide, OperationDecision, OperationInput, parseOperation } from './operations';

export type StepName = 'signature' | 'event' | 'handler' | 'response' | 'connect' | 'decisions';
export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface Step {
  name: StepName;
  status: StepStatus;
  /** Absent when the step was not timed on its own (a Test in AWS measures only the whole call). */
  durationMs?: number;
  message: string;
}

export type FailureCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'TOKEN_MISSING'
  | 'NO_SIGNING_KEYS'
  | 'HANDLER_TIMEOUT'
  | 'HANDLER_CRASH'
  | 'HANDLER_LOAD_ERROR'
  | 'HANDLER_MISSING_EXPORT'
  | 'HANDLER_ERROR'
  | 'HANDLER_INVALID_RESULT'
  | 'HANDLER_SPAWN_ERROR'
  | 'HANDLER_CANCELLED'
  | 'RESPONSE_INVALID'
  | 'NOT_AUTHENTICATED'
  | 'CONNECT_DENIED'
  /** An unexpected exception in a step (a bug in the emulator): the run is incomplete. */
  | 'INTERNAL_ERROR'
  /** TestInvokeAuthorizer refused the call for another reason (the Lambda failed, a bad request). */
  | 'INVOKE_FAILED';

/** Everything one emulated connection did: for the results panel, --json and tests. */
export interface ConnectionResult {
  /** 'accepted': IoT Core would keep the connection; 'rejected': it would refuse or drop it. */
  outcome: 'accepted' | 'rejected';
  /** One line for people. */
  summary: string;
  protocol: Protocol;
  authorizerName: string;
  /** The handler said isAuthenticated: true in a valid response. */
  authenticated: boolean;
  /** Authenticated and, for MQTT and WebSockets, iot:Connect allowed for the client id. */
  connected: boolean;
  principalId?: string;
  failure?: { step: StepName; code: FailureCode; message: string };
  steps: Step[];
  signature: {
    checked: boolean;
    valid?: boolean;
    /** The tokenSigningPublicKeys entry it verified with. */
    keyName?: string;
    diagnosis?: DiagnosisItem[];
    correctedSignature?: string;
    message: string;
  };
  /** The event the Lambda received (absent when the signature check stopped the run). */
  event?: IoTAuthorizerEvent;
  /** The handler run without its log (see `log`). */
  handler?: Omit<HandlerRun, 'log' | 'logText'>;
  /** The handler's response object. */
  response?: unknown;
  /** The response as validated (2-space JSON): `responseFindings` ranges refer to it. */
  responseText?: string;
  responseFindings: Finding[];
  /** The Lambda's log: stdout and stderr in order. */
  log: LogChunk[];
  logText: string;
  /** MQTT / WebSockets: the iot:Connect check for the client id. */
  connect?: OperationDecision;
  decisions: OperationDecision[];
  refreshAfterInSeconds?: number;
  disconnectAfterInSeconds?: number;
  totalMs: number;
}

export interface RunConnectionOptions {
  /** A loaded definition or the path of a *.authorizer.json. */
  definition: LoadedDefinition | string;
  input: ConnectionInput;
  operations?: OperationInput[];
  /** Required: running the handler executes workspace code (extension: workspace trust; CLI: true). */
  allowCodeExecution: boolean;
  workspaceRoot?: string;
  /** Lower than the definition's timeout (never above AWS's 5 s). */
  timeoutMs?: number;
  /** Registry facts for thing policy variables. */
  thing?: PolicyContext['thing'];
  connectionId?: string;
  nodePath?: string;
  pythonPath?: string;
  /** Cancels the run: a running handler process is killed. */
  signal?: AbortSignal;
}

const now = () => performance.now();

/**
 * Emulates what AWS IoT Core does for one connection through a custom
 * authorizer: signature check (unless signing is disabled; a failure stops
 * before the Lambda), the Lambda event for the protocol, the handler in a child
 * process, the response validation, iot:Connect for MQTT/WebSockets, and the
 * decision for each requested operation.
 */
export async function runConnection(o: RunConnectionOptions): Promise<ConnectionResult> {
  if (!o.allowCodeExecution) {
    throw new AuthzError(
      'CODE_EXECUTION_NOT_ALLOWED',
      'Running the authorizer locally executes its handler, code from this workspace, and the workspace is not trusted.',
      'Trust the workspace (Manage Workspace Trust) to run it; signing, verification and validation work without trust.',
    );
  }
  const t0 = now();
  const def = typeof o.definition === 'string' ? loadDefinitionFile(o.definition, { workspaceRoot: o.workspaceRoot }) : o.definition;
  if (!def.handler) {
    throw new AuthzError(
      'DEFINITION_NO_HANDLER',
      `The authorizer definition${def.file ? ` ${def.file}` : ''} has no handler section, so there is nothing to run locally.`,
      'Add "handler": {"runtime": "nodejs", "file": "lambda/index.js"} to the definition.',
    );
  }
  // Parse operations first: a mistake there is bad input, not a connection result.
  const operations = (o.operations ?? []).map((op) => parseOperation(op, def.region, def.account));
  const input = o.input;
  const steps: Step[] = [];
  const result: ConnectionResult = {
    outcome: 'rejected',
    summary: '',
    protocol: input.protocol,
    authorizerName: def.authorizerName,
    authenticated: false,
    connected: false,
    steps,
    signature: { checked: false, message: '' },
    responseFindings: [],
    log: [],
    logText: '',
    decisions: [],
    totalMs: 0,
  };
  const skip = (...names: StepName[]) => {
    for (const name of names) steps.push({ name, status: 'skipped', durationMs: 0, message: 'Not reached.' });
  };
  const fail = (step: StepName, code: FailureCode, message: string, durationMs: number, later: StepName[]): ConnectionResult => {
    steps.push({ name: step, status: 'failed', durationMs, message });
    skip(...later);
    result.failure = { step, code, message };
    result.summary = `Rejected at ${step}: ${message}`;
    result.totalMs = now() - t0;
    return result;
  };
  const ORDER: StepName[] = ['signature', 'event', 'handler', 'response', 'connect', 'decisions'];
  // An unexpected exception in a step is a failed step, never a pass. An AuthzError
  // before the handler ran is bad input and still throws, as it always has; once the
  // handler ran, its log and response are in the result and are kept.
  const crash = (step: StepName, e: unknown): ConnectionResult => {
    if (e instanceof AuthzError && !result.handler) throw e;
    const message = `Internal error in the ${step} step: ${errorText(e)} This is a bug in IoT Custom Authorizer Studio, not in the authorizer; the run is incomplete.`;
    return fail(step, 'INTERNAL_ERROR', message, 0, ORDER.slice(ORDER.indexOf(step) + 1));
  };

  // 1. Signature.
  let ts = now();
  let signatureVerified = false;
  if (def.signingDisabled) {
    result.signature = { checked: false, message: 'Signing is disabled for this authorizer: IoT Core does not verify a signature.' };
    steps.push({ name: 'signature', status: 'skipped', durationMs: 0, message: result.signature.message });
  } else {
    const later: StepName[] = ['event', 'handler', 'response', 'connect', 'decisions'];
    if (input.token === undefined || input.token === '') {
      result.signature = { checked: true, valid: false, message: `No token was sent${def.tokenKeyName ? ` (token key ${def.tokenKeyName})` : ''}; IoT Core refuses the request without invoking the Lambda.` };
      return fail('signature', 'TOKEN_MISSING', result.signature.message, now() - ts, later);
    }
    if (input.signature === undefined || input.signature === '') {
      result.signature = { checked: true, valid: false, message: 'No token signature was sent, and this authorizer has signing enabled; IoT Core refuses the request without invoking the Lambda.' };
      return fail('signature', 'SIGNATURE_MISSING', result.signature.message, now() - ts, later);
    }
    if (def.keys.length === 0) {
      const why = def.keyErrors.map((k) => k.message).join(' ') || 'The definition has no tokenSigningPublicKeys.';
      result.signature = { checked: true, valid: false, message: `No usable token signing public key: ${why}` };
      return fail('signature', 'NO_SIGNING_KEYS', result.signature.message, now() - ts, later);
    }
    let v;
    try {
      v = verifyToken(def.keys, input.token, input.signature);
    } catch (e) {
      result.signature = { checked: true, valid: false, message: errorText(e) };
      return fail('signature', 'SIGNATURE_INVALID', result.signature.message, now() - ts, later);
    }
    if (!v.valid) {
      const first = v.diagnosis[0]?.message ?? 'The signature does not verify with any of the authorizer keys.';
      result.signature = {
        checked: true,
        valid: false,
        diagnosis: v.diagnosis,
        ...(v.correctedSignature ? { correctedSignature: v.correctedSignature } : {}),
        message: `The signature does not verify with ${def.keys.length === 1 ? `key "${def.keys[0].name}"` : `any of the keys ${def.keys.map((k) => `"${k.name}"`).join(', ')}`}: ${first} The Lambda is not invoked.`,
      };
      return fail('signature', 'SIGNATURE_INVALID', result.signature.message, now() - ts, later);
    }
    signatureVerified = true;
    result.signature = { checked: true, valid: true, keyName: v.matchedKey, message: `The signature verifies with key "${v.matchedKey}".` };
    steps.push({ name: 'signature', status: 'passed', durationMs: now() - ts, message: result.signature.message });
  }

  // 2. Event.
  ts = now();
  let event: IoTAuthorizerEvent;
  try {
    event = buildEvent(input, {
      authorizerName: def.authorizerName,
      tokenKeyName: def.tokenKeyName,
      region: def.region,
      signatureVerified,
      connectionId: o.connectionId,
    });
  } catch (e) {
    return crash('event', e);
  }
  result.event = event;
  steps.push({ name: 'event', status: 'passed', durationMs: now() - ts, message: `Event for ${input.protocol}: protocols ${JSON.stringify(event.protocols)}.` });

  // 3. Handler (timed by the run itself).
  let run: HandlerRun;
  try {
    run = await runHandler({
      ...def.handler,
      ...(o.timeoutMs !== undefined ? { timeoutMs: Math.min(o.timeoutMs, def.handler.timeoutMs ?? o.timeoutMs) } : {}),
      event,
      allowCodeExecution: true,
      lambda: { name: def.functionName, region: def.region, account: def.account },
      nodePath: o.nodePath,
      pythonPath: o.pythonPath,
      signal: o.signal,
    });
  } catch (e) {
    return crash('handler', e);
  }
  const { log, logText, ...handlerRest } = run;
  result.handler = handlerRest;
  result.log = log;
  result.logText = logText;
  if (run.status !== 'ok') {
    const codes: Record<string, FailureCode> = {
      timeout: 'HANDLER_TIMEOUT',
      crash: 'HANDLER_CRASH',
      'load-error': 'HANDLER_LOAD_ERROR',
      'missing-export': 'HANDLER_MISSING_EXPORT',
      'handler-error': 'HANDLER_ERROR',
      'invalid-result': 'HANDLER_INVALID_RESULT',
      'spawn-error': 'HANDLER_SPAWN_ERROR',
      cancelled: 'HANDLER_CANCELLED',
    };
    return fail('handler', codes[run.status], run.message, run.wallMs, ['response', 'connect', 'decisions']);
  }
  steps.push({ name: 'handler', status: 'passed', durationMs: run.wallMs, message: run.warning ? `${run.message} ${run.warning}` : run.message });

  // 4. Response.
  ts = now();
  const response = run.result;
  result.response = response;
  let text: string;
  let findings: Finding[];
  try {
    ({ text, findings } = validateResponseObject(response));
  } catch (e) {
    return crash('response', e);
  }
  result.responseText = text;
  result.responseFindings = findings;
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const msg = `The response is invalid, so IoT Core fails the connection: ${errors.map((f) => f.message).join(' ')}`;
    return fail('response', 'RESPONSE_INVALID', msg, now() - ts, ['connect', 'decisions']);
  }
  const r = response as Record<string, unknown>;
  if (typeof r.principalId === 'string') result.principalId = r.principalId;
  if (typeof r.refreshAfterInSeconds === 'number') result.refreshAfterInSeconds = r.refreshAfterInSeconds;
  if (typeof r.disconnectAfterInSeconds === 'number') result.disconnectAfterInSeconds = r.disconnectAfterInSeconds;
  if (r.isAuthenticated !== true) {
    return fail('response', 'NOT_AUTHENTICATED', 'The handler answered isAuthenticated: false; IoT Core refuses the connection.', now() - ts, ['connect', 'decisions']);
  }
  result.authenticated = true;
  const warnings = findings.length ? ` ${findings.length} finding(s) below error level.` : '';
  steps.push({ name: 'response', status: 'passed', durationMs: now() - ts, message: `Valid response: authenticated as ${result.principalId ?? '(no principalId)'}.${warnings}` });

  // 5. Connect (MQTT and WebSockets) and 6. operations.
  const policies = (Array.isArray(r.policyDocuments) ? r.policyDocuments : []) as Array<PolicyDocument | string>;
  const isMqtt = input.protocol !== 'https';
  const ctx: PolicyContext = {
    ...(isMqtt && input.clientId !== undefined ? { clientId: input.clientId } : {}),
    ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
    ...(isMqtt && o.thing ? { thing: o.thing } : {}),
  };
  const tc = now();
  if (isMqtt) {
    try {
      const connectOp = parseOperation({ action: 'iot:Connect', resource: input.clientId ?? '' }, def.region, def.account);
      result.connect = decide(connectOp, policies, ctx);
    } catch (e) {
      return crash('connect', e);
    }
    const ok = result.connect.decision === 'allow';
    steps.push({
      name: 'connect',
      status: ok ? 'passed' : 'failed',
      durationMs: now() - tc,
      message: ok ? result.connect.reason : `MQTT CONNECT refused: ${result.connect.reason}`,
    });
    if (!ok) result.failure = { step: 'connect', code: 'CONNECT_DENIED', message: `The policies do not allow iot:Connect for client id "${input.clientId ?? ''}": ${result.connect.reason}` };
    result.connected = ok;
  } else {
    steps.push({ name: 'connect', status: 'skipped', durationMs: 0, message: 'HTTPS publish has no MQTT CONNECT.' });
    result.connected = true;
  }
  ts = now();
  try {
    result.decisions = operations.map((op) => decide(op, policies, ctx));
  } catch (e) {
    return crash('decisions', e);
  }
  const allowed = result.decisions.filter((d) => d.decision === 'allow').length;
  steps.push({
    name: 'decisions',
    status: operations.length ? 'passed' : 'skipped',
    durationMs: now() - ts,
    message: operations.length ? `${allowed} of ${operations.length} operation(s) allowed by the policies.` : 'No operations requested.',
  });
  result.outcome = result.connected ? 'accepted' : 'rejected';
  result.summary = result.connected
    ? `Accepted: authenticated as ${result.principalId ?? '(no principalId)'}${operations.length ? `; ${allowed}/${operations.length} operation(s) allowed` : ''}.`
    : `Rejected at connect: ${result.failure?.message}`;
  result.totalMs = now() - t0;
  return result;
}
