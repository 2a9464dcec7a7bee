import { validateResponseObject } from '../authoring/validator';
import { Finding } from '../authoring/types';
import { AuthzError, errorText } from '../errors';
import { PolicyContext, PolicyDocument } from '../policy';
import { DiagnosisItem, verifyToken } from '../tokens';
import { loadDefinitionFile, LoadedDefinition } from './definition';
import { buildEvent, ConnectionInput, IoTAuthorizerEvent, Protocol } from './event';
import { HandlerRun, LogChunk, runHandler } from './handler';
import { decide, Operation, OperationDecision, OperationInput, parseOperation } from './operations';

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

const HANDLER_FAILURE_CODES: Record<Exclude<HandlerRun['status'], 'ok'>, FailureCode> = {
  timeout: 'HANDLER_TIMEOUT',
  crash: 'HANDLER_CRASH',
  'load-error': 'HANDLER_LOAD_ERROR',
  'missing-export': 'HANDLER_MISSING_EXPORT',
  'handler-error': 'HANDLER_ERROR',
  'invalid-result': 'HANDLER_INVALID_RESULT',
  'spawn-error': 'HANDLER_SPAWN_ERROR',
  cancelled: 'HANDLER_CANCELLED',
};

export function requireCodeExecution(allowed: boolean): void {
  if (!allowed) {
    throw new AuthzError(
      'CODE_EXECUTION_NOT_ALLOWED',
      'Running the authorizer locally executes its handler, code from this workspace, and the workspace is not trusted.',
      'Trust the workspace (Manage Workspace Trust) to run it; signing, verification and validation work without trust.',
    );
  }
}

export function requireHandler(def: LoadedDefinition): NonNullable<LoadedDefinition['handler']> {
  if (!def.handler) {
    throw new AuthzError(
      'DEFINITION_NO_HANDLER',
      `The authorizer definition${def.file ? ` ${def.file}` : ''} has no handler section, so there is nothing to run locally.`,
      'Add "handler": {"runtime": "nodejs", "file": "lambda/index.js"} to the definition.',
    );
  }
  return def.handler;
}

/**
 * The stages IoT Core takes one connection through, one method each, in this
 * order: signature, event, handler (the caller runs it: a one-shot process for
 * Run Authorizer Locally, a warm one for the local endpoint), response, connect,
 * decisions. A failed stage fills `result.failure` and returns false; the
 * caller stops there and calls `finish()`.
 */
export class ConnectionChain {
  readonly result: ConnectionResult;
  private readonly steps: Step[] = [];
  private readonly t0 = now();
  private signatureVerified = false;
  private policyList: Array<PolicyDocument | string> = [];

  constructor(
    readonly def: LoadedDefinition,
    readonly input: ConnectionInput,
  ) {
    this.result = {
      outcome: 'rejected',
      summary: '',
      protocol: input.protocol,
      authorizerName: def.authorizerName,
      authenticated: false,
      connected: false,
      steps: this.steps,
      signature: { checked: false, message: '' },
      responseFindings: [],
      log: [],
      logText: '',
      decisions: [],
      totalMs: 0,
    };
  }

  /** The policies of a valid, authenticated response (empty before). */
  get policies(): Array<PolicyDocument | string> {
    return this.policyList;
  }

  private skip(...names: StepName[]): void {
    for (const name of names) this.steps.push({ name, status: 'skipped', durationMs: 0, message: 'Not reached.' });
  }

  private fail(step: StepName, code: FailureCode, message: string, durationMs: number, later: StepName[]): false {
    this.steps.push({ name: step, status: 'failed', durationMs, message });
    this.skip(...later);
    this.result.failure = { step, code, message };
    this.result.summary = `Rejected at ${step}: ${message}`;
    this.result.totalMs = now() - this.t0;
    return false;
  }

  /**
   * An unexpected exception in `step` is a failed step (INTERNAL_ERROR), never a pass.
   * An AuthzError before the handler ran is bad input and still throws, as it always
   * has; once the handler ran, its log and response are in the result and are kept.
   */
  crash(step: StepName, e: unknown): ConnectionResult {
    if (e instanceof AuthzError && !this.result.handler) throw e;
    const order: StepName[] = ['signature', 'event', 'handler', 'response', 'connect', 'decisions'];
    const message = `Internal error in the ${step} step: ${errorText(e)} This is a bug in IoT Custom Authorizer Studio, not in the authorizer; the run is incomplete.`;
    this.fail(step, 'INTERNAL_ERROR', message, 0, order.slice(order.indexOf(step) + 1));
    return this.result;
  }

  /** 1. Signature (unless signing is disabled): a failure stops before the Lambda. */
  checkSignature(): boolean {
    const { def, input, result } = this;
    const ts = now();
    if (def.signingDisabled) {
      result.signature = { checked: false, message: 'Signing is disabled for this authorizer: IoT Core does not verify a signature.' };
      this.steps.push({ name: 'signature', status: 'skipped', durationMs: 0, message: result.signature.message });
      return true;
    }
    const later: StepName[] = ['event', 'handler', 'response', 'connect', 'decisions'];
    if (input.token === undefined || input.token === '') {
      result.signature = { checked: true, valid: false, message: `No token was sent${def.tokenKeyName ? ` (token key ${def.tokenKeyName})` : ''}; IoT Core refuses the request without invoking the Lambda.` };
      return this.fail('signature', 'TOKEN_MISSING', result.signature.message, now() - ts, later);
    }
    if (input.signature === undefined || input.signature === '') {
      result.signature = { checked: true, valid: false, message: 'No token signature was sent, and this authorizer has signing enabled; IoT Core refuses the request without invoking the Lambda.' };
      return this.fail('signature', 'SIGNATURE_MISSING', result.signature.message, now() - ts, later);
    }
    if (def.keys.length === 0) {
      const why = def.keyErrors.map((k) => k.message).join(' ') || 'The definition has no tokenSigningPublicKeys.';
      result.signature = { checked: true, valid: false, message: `No usable token signing public key: ${why}` };
      return this.fail('signature', 'NO_SIGNING_KEYS', result.signature.message, now() - ts, later);
    }
    let v;
    try {
      v = verifyToken(def.keys, input.token, input.signature);
    } catch (e) {
      result.signature = { checked: true, valid: false, message: errorText(e) };
      return this.fail('signature', 'SIGNATURE_INVALID', result.signature.message, now() - ts, later);
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
      return this.fail('signature', 'SIGNATURE_INVALID', result.signature.message, now() - ts, later);
    }
    this.signatureVerified = true;
    result.signature = { checked: true, valid: true, keyName: v.matchedKey, message: `The signature verifies with key "${v.matchedKey}".` };
    this.steps.push({ name: 'signature', status: 'passed', durationMs: now() - ts, message: result.signature.message });
    return true;
  }

  /** 2. The Lambda's event for the protocol. */
  buildEvent(connectionId?: string): IoTAuthorizerEvent {
    const ts = now();
    const event = buildEvent(this.input, {
      authorizerName: this.def.authorizerName,
      tokenKeyName: this.def.tokenKeyName,
      region: this.def.region,
      signatureVerified: this.signatureVerified,
      connectionId,
    });
    this.result.event = event;
    this.steps.push({ name: 'event', status: 'passed', durationMs: now() - ts, message: `Event for ${this.input.protocol}: protocols ${JSON.stringify(event.protocols)}.` });
    return event;
  }

  /** 3. The handler's run, however it was run. */
  applyHandlerRun(run: HandlerRun): boolean {
    const { log, logText, ...handlerRest } = run;
    this.result.handler = handlerRest;
    this.result.log = log;
    this.result.logText = logText;
    if (run.status !== 'ok') return this.fail('handler', HANDLER_FAILURE_CODES[run.status], run.message, run.wallMs, ['response', 'connect', 'decisions']);
    this.steps.push({ name: 'handler', status: 'passed', durationMs: run.wallMs, message: run.warning ? `${run.message} ${run.warning}` : run.message });
    return true;
  }

  /** 4. The response: valid, and isAuthenticated true. */
  /**
   * `validate` replaces the validation of the response object: the local
   * endpoint passes a memoised one, as its handlers answer the same response
   * to every connection of a device.
   */
  validateResponse(validate: (response: unknown) => { text: string; findings: Finding[] } = validateResponseObject): boolean {
    const { result } = this;
    const ts = now();
    const response = result.handler ? (result.handler as HandlerRun).result : undefined;
    result.response = response;
    const { text, findings } = validate(response);
    result.responseText = text;
    result.responseFindings = findings;
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      const msg = `The response is invalid, so IoT Core fails the connection: ${errors.map((f) => f.message).join(' ')}`;
      return this.fail('response', 'RESPONSE_INVALID', msg, now() - ts, ['connect', 'decisions']);
    }
    const r = response as Record<string, unknown>;
    if (typeof r.principalId === 'string') result.principalId = r.principalId;
    if (typeof r.refreshAfterInSeconds === 'number') result.refreshAfterInSeconds = r.refreshAfterInSeconds;
    if (typeof r.disconnectAfterInSeconds === 'number') result.disconnectAfterInSeconds = r.disconnectAfterInSeconds;
    if (r.isAuthenticated !== true) {
      return this.fail('response', 'NOT_AUTHENTICATED', 'The handler answered isAuthenticated: false; IoT Core refuses the connection.', now() - ts, ['connect', 'decisions']);
    }
    result.authenticated = true;
    this.policyList = (Array.isArray(r.policyDocuments) ? r.policyDocuments : []) as Array<PolicyDocument | string>;
    const warnings = findings.length ? ` ${findings.length} finding(s) below error level.` : '';
    this.steps.push({ name: 'response', status: 'passed', durationMs: now() - ts, message: `Valid response: authenticated as ${result.principalId ?? '(no principalId)'}.${warnings}` });
    return true;
  }

  /** Policy variables and condition keys of this connection. */
  policyContext(thing?: PolicyContext['thing']): PolicyContext {
    const { input } = this;
    const isMqtt = input.protocol !== 'https';
    return {
      ...(isMqtt && input.clientId !== undefined ? { clientId: input.clientId } : {}),
      ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
      ...(isMqtt && thing ? { thing } : {}),
    };
  }

  /** 5. iot:Connect on client/<clientId> (MQTT and WebSockets; HTTPS publish has no CONNECT). */
  checkConnect(ctx: PolicyContext): boolean {
    const { def, input, result } = this;
    const tc = now();
    if (input.protocol === 'https') {
      this.steps.push({ name: 'connect', status: 'skipped', durationMs: 0, message: 'HTTPS publish has no MQTT CONNECT.' });
      result.connected = true;
      return true;
    }
    const connectOp = parseOperation({ action: 'iot:Connect', resource: input.clientId ?? '' }, def.region, def.account);
    result.connect = decide(connectOp, this.policyList, ctx);
    const ok = result.connect.decision === 'allow';
    this.steps.push({
      name: 'connect',
      status: ok ? 'passed' : 'failed',
      durationMs: now() - tc,
      message: ok ? result.connect.reason : `MQTT CONNECT refused: ${result.connect.reason}`,
    });
    if (!ok) result.failure = { step: 'connect', code: 'CONNECT_DENIED', message: `The policies do not allow iot:Connect for client id "${input.clientId ?? ''}": ${result.connect.reason}` };
    result.connected = ok;
    return ok;
  }

  /** 6. The requested operations against the policies. */
  decideOperations(operations: Operation[], ctx: PolicyContext): void {
    const ts = now();
    this.result.decisions = operations.map((op) => decide(op, this.policyList, ctx));
    const allowed = this.result.decisions.filter((d) => d.decision === 'allow').length;
    this.steps.push({
      name: 'decisions',
      status: operations.length ? 'passed' : 'skipped',
      durationMs: now() - ts,
      message: operations.length ? `${allowed} of ${operations.length} operation(s) allowed by the policies.` : 'No operations requested.',
    });
  }

  /** Outcome and summary once the last stage ran (a failed stage already set them). */
  finish(): ConnectionResult {
    const { result } = this;
    if (result.failure && result.failure.step !== 'connect') return result;
    const n = result.decisions.length;
    const allowed = result.decisions.filter((d) => d.decision === 'allow').length;
    result.outcome = result.connected ? 'accepted' : 'rejected';
    result.summary = result.connected
      ? `Accepted: authenticated as ${result.principalId ?? '(no principalId)'}${n ? `; ${allowed}/${n} operation(s) allowed` : ''}.`
      : `Rejected at connect: ${result.failure?.message}`;
    result.totalMs = now() - this.t0;
    return result;
  }
}

/**
 * Emulates what AWS IoT Core does for one connection through a custom
 * authorizer: signature check (unless signing is disabled; a failure stops
 * before the Lambda), the Lambda event for the protocol, the handler in a child
 * process, the response validation, iot:Connect for MQTT/WebSockets, and the
 * decision for each requested operation.
 */
export async function runConnection(o: RunConnectionOptions): Promise<ConnectionResult> {
  requireCodeExecution(o.allowCodeExecution);
  const def = typeof o.definition === 'string' ? loadDefinitionFile(o.definition, { workspaceRoot: o.workspaceRoot }) : o.definition;
  const handler = requireHandler(def);
  // Parse operations first: a mistake there is bad input, not a connection result.
  const operations = (o.operations ?? []).map((op) => parseOperation(op, def.region, def.account));
  const chain = new ConnectionChain(def, o.input);
  let step: StepName = 'signature';
  try {
    if (!chain.checkSignature()) return chain.result;
    step = 'event';
    const event = chain.buildEvent(o.connectionId);
    step = 'handler';
    const run = await runHandler({
      ...handler,
      ...(o.timeoutMs !== undefined ? { timeoutMs: Math.min(o.timeoutMs, handler.timeoutMs ?? o.timeoutMs) } : {}),
      event,
      allowCodeExecution: true,
      lambda: { name: def.functionName, region: def.region, account: def.account },
      nodePath: o.nodePath,
      pythonPath: o.pythonPath,
      signal: o.signal,
    });
    if (!chain.applyHandlerRun(run)) return chain.result;
    step = 'response';
    if (!chain.validateResponse()) return chain.result;
    step = 'connect';
    const ctx = chain.policyContext(o.thing);
    chain.checkConnect(ctx);
    step = 'decisions';
    chain.decideOperations(operations, ctx);
    return chain.finish();
  } catch (e) {
    return chain.crash(step, e);
  }
}
