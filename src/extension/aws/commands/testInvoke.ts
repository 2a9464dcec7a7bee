import * as vscode from 'vscode';
import { AuthzError, errorText } from '../../../core/errors';
import {
  AuthorizerDescription,
  buildTestInvokeInput,
  describeAuthorizer,
  DEFAULT_CLIENT_ID,
  describeDataEndpoint,
  GatewayProtocol,
  isScorableTestInvokeError,
  testInvokeAuthorizer,
  testInvokeToConnectionResult,
  testInvokeWarnings,
  TestInvokeResult,
} from '../../../core/aws';
import type { ConnectionInput } from '../../../core/emulator/event';
import { OperationInput, parseOperation } from '../../../core/emulator/operations';
import { operationText } from '../../../core/emulator/testcases/byDefinition';
import type { ConnectionResult } from '../../../core/emulator/pipeline';
import type { ResultsModel } from '../../panels/model';
import { AwsFeature } from '../feature';
import { runnableDefinitionFor } from '../localDefinitions';
import { askSignature, lastTestInputs, rememberTestInputs } from '../testInputs';
import { AuthorizerRef, isArgs, pickAuthorizer, showJson } from './common';

export interface TestInvokeArgs {
  authorizerName?: string;
  protocol?: GatewayProtocol;
  token?: string;
  signature?: string;
  clientId?: string;
  username?: string;
  password?: string;
  /**
   * Operations whose decision the panel shows ("iot:Publish a/b", {action, resource}, or one
   * string "iot:Publish a; iot:Subscribe b"). Default: asked in interactive runs; with an
   * argument object, the iotAuthz.emulator.defaultOperations setting.
   */
  operations?: OperationInput[] | string;
  /** Show the result (panel or JSON editor); default true. */
  show?: boolean;
}

/** Everything one Test in AWS produced: what was sent, AWS's answer and its evaluation. */
export interface TestInvokeRun {
  authorizer: AuthorizerDescription;
  protocol: GatewayProtocol;
  /** What the device sent, in the emulator's terms (for the local comparison and the panel). */
  input: ConnectionInput;
  operations: OperationInput[];
  /** AWS's answer; undefined when AWS refused the call (then `result` says why, e.g. SIGNATURE_INVALID). */
  raw?: TestInvokeResult;
  /** AWS's answer as a ConnectionResult: response validated, policies evaluated for the operations. */
  result: ConnectionResult;
}

const PROTOCOL_ITEMS: Array<vscode.QuickPickItem & { value: GatewayProtocol }> = [
  { label: 'HTTPS publish', description: 'token in headers', value: 'https' },
  { label: 'MQTT', description: 'port 443, ALPN mqtt: token in the username', value: 'mqtt' },
  { label: 'MQTT over WebSockets', description: 'token in the upgrade request', value: 'wss' },
];

export const PROTOCOL_LABEL: Record<GatewayProtocol, string> = { https: 'HTTPS', mqtt: 'MQTT', wss: 'MQTT over WebSockets' };

/** "iot:Publish a; iot:Subscribe b" (or one per line) → operations. */
function splitOperations(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Asks what the device sends (what `args` does not give; the last inputs for this authorizer
 * are offered), calls TestInvokeAuthorizer with the HTTP / MQTT / TLS contexts a device of that
 * protocol produces, and evaluates the answer like a local run. AWS refusing the call (a bad
 * signature, a failing Lambda) is a rejected result, scored like the CLI's test cases; an
 * unreachable endpoint offers Retry with the same inputs. Undefined when the user cancelled.
 */
export async function runTestInvoke(f: AwsFeature, ref: AuthorizerRef | TestInvokeArgs, title = 'Test Authorizer in AWS'): Promise<TestInvokeRun | undefined> {
  const interactive = !isArgs<TestInvokeArgs>(ref);
  const args: TestInvokeArgs = isArgs<TestInvokeArgs>(ref) ? ref : {};
  const { prompts } = f.services;
  const name = await pickAuthorizer(f, ref as AuthorizerRef, title);
  if (!name) return undefined;
  const { authorizer, endpoint } = await f.connection.run(`Describing ${name}`, async (c, signal) => {
    const authorizer = await describeAuthorizer(c, name, { signal });
    let endpoint: string | undefined;
    try {
      endpoint = await describeDataEndpoint(c, { signal });
    } catch (e) {
      if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
      f.services.log.warn(`DescribeEndpoint failed (${e.code}); testing without a TLS serverName.`);
    }
    return { authorizer, endpoint };
  });
  if (endpoint) await f.connection.rememberDataEndpoint(endpoint);
  const last = interactive ? lastTestInputs(f, name) : {};
  let protocol = args.protocol;
  if (!protocol) {
    const items = PROTOCOL_ITEMS.map((i) => (i.value === last.protocol ? { ...i, description: `${i.description} · last used` } : i));
    const picked = await prompts.quickPick(items, { title: `Test ${name} in AWS: how does the device connect?` });
    if (!picked) return undefined;
    protocol = picked.value;
  }
  const token =
    args.token ??
    (await prompts.inputBox({
      title: `Test ${name} in AWS: token`,
      prompt: authorizer.signingDisabled ? 'Token (optional for an authorizer without signing)' : `The token value (sent as ${authorizer.tokenKeyName})`,
      value: last.token,
      ignoreFocusOut: true,
    }));
  if (token === undefined) return undefined;
  let signature = args.signature;
  if (signature === undefined && !authorizer.signingDisabled) {
    signature = await askSignature(f, authorizer, token, last, `Test ${name} in AWS: token signature`);
    if (signature === undefined) return undefined;
  }
  let clientId = protocol === 'https' ? undefined : args.clientId;
  if (protocol !== 'https' && clientId === undefined) {
    clientId = interactive
      ? await prompts.inputBox({ title: `Test ${name} in AWS: MQTT client id`, prompt: 'Sent in mqttContext; the returned policies are checked for iot:Connect on it', value: last.clientId ?? DEFAULT_CLIENT_ID, ignoreFocusOut: true })
      : DEFAULT_CLIENT_ID;
    if (clientId === undefined) return undefined;
  }
  let { username, password } = args;
  if (protocol !== 'https' && authorizer.signingDisabled && username === undefined && args.token === undefined) {
    username = await prompts.inputBox({ title: `Test ${name} in AWS: MQTT username`, prompt: 'As the device sends it (empty for none)', value: last.username, ignoreFocusOut: true });
    if (username === undefined) return undefined;
    password = await prompts.inputBox({ title: `Test ${name} in AWS: MQTT password`, prompt: 'As the device sends it (empty for none)', password: true, ignoreFocusOut: true });
    if (password === undefined) return undefined;
  }
  const arnParts = /^arn:[^:]+:iot:([^:]*):([^:]*):/.exec(authorizer.authorizerArn);
  const [region, account] = [arnParts?.[1] || f.connection.describe().region, arnParts?.[2] || '123456789012'];
  let operations: OperationInput[];
  if (args.operations !== undefined) operations = typeof args.operations === 'string' ? splitOperations(args.operations) : args.operations;
  else {
    const defaults = vscode.workspace.getConfiguration('iotAuthz.emulator').get<string[]>('defaultOperations') ?? ['iot:Publish test/topic'];
    if (!interactive) operations = defaults;
    else {
      const text = await prompts.inputBox({
        title: `Test ${name} in AWS: operations to check against the returned policies`,
        prompt: 'Action and resource, separated by ";" (e.g. iot:Publish devices/d1/telemetry; iot:Subscribe devices/d1/#). Empty: none.',
        value: (last.operations ?? defaults).join('; '),
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            for (const op of splitOperations(v)) parseOperation(op, region, account);
            return undefined;
          } catch (e) {
            return errorText(e);
          }
        },
      });
      if (text === undefined) return undefined;
      operations = splitOperations(text);
    }
  }
  // Kept before the call: when it fails (endpoint stopped, offline), the next run offers them.
  if (interactive) await rememberTestInputs(f, name, { protocol, token, signature, clientId, username, operations: operations.map(operationText) });
  const tokenSent = token === '' && authorizer.signingDisabled ? undefined : token;
  const signatureSent = signature?.trim() || undefined;
  const request = buildTestInvokeInput({
    authorizerName: name,
    protocol,
    token: tokenSent,
    tokenSignature: signatureSent,
    tokenKeyName: authorizer.tokenKeyName,
    dataEndpoint: endpoint,
    clientId,
    username: username || undefined,
    password: password || undefined,
  });
  for (const w of testInvokeWarnings(request)) f.services.log.warn(`Test in AWS: ${w}`);
  let raw: TestInvokeResult | undefined;
  let refused: AuthzError | undefined;
  let started: number;
  for (;;) {
    started = Date.now();
    try {
      raw = await f.connection.run(`TestInvokeAuthorizer ${name}`, (c, signal) => testInvokeAuthorizer(c, request, { signal }));
      break;
    } catch (e) {
      if (isScorableTestInvokeError(e)) {
        refused = e;
        break;
      }
      if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
      // Setup or network failure: the inputs are kept; Retry sends them again.
      f.services.log.warn(`TestInvokeAuthorizer ${name}: ${e.code}: ${e.message}`);
      if ((await prompts.error(e.display, RETRY)) !== RETRY) return undefined;
    }
  }
  if (raw) f.services.log.info(`TestInvokeAuthorizer ${name} (${protocol}): isAuthenticated ${raw.isAuthenticated}, principalId ${raw.principalId ?? '-'}, ${raw.policyDocuments.length} policy document(s).`);
  else f.services.log.info(`TestInvokeAuthorizer ${name} (${protocol}) refused: ${refused?.code}: ${refused?.message}`);
  const result = testInvokeToConnectionResult({
    authorizerName: name,
    authorizerArn: authorizer.authorizerArn,
    region,
    account,
    protocol,
    result: raw,
    error: refused,
    clientId,
    operations,
    signingDisabled: authorizer.signingDisabled,
    elapsedMs: Date.now() - started,
  });
  const input: ConnectionInput = {
    protocol,
    ...(tokenSent !== undefined ? { token: tokenSent } : {}),
    ...(signatureSent !== undefined ? { signature: signatureSent } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(endpoint ? { serverName: endpoint } : {}),
  };
  return { authorizer, protocol, input, operations, raw, result };
}

const RETRY = 'Retry';

/** The results-panel model of a Test in AWS (source 'aws'). */
export function awsModel(run: TestInvokeRun): ResultsModel {
  return {
    title: `${run.authorizer.authorizerName} (${PROTOCOL_LABEL[run.protocol]}, AWS): ${run.result.outcome}`,
    source: 'aws',
    result: run.result,
    input: run.input,
  };
}

/** The arguments that repeat a run without a question (Compare from the panel, Retry). */
export function repeatArgs(run: TestInvokeRun): TestInvokeArgs {
  const i = run.input;
  return {
    authorizerName: run.authorizer.authorizerName,
    protocol: run.protocol,
    token: i.token ?? '',
    ...(i.signature !== undefined ? { signature: i.signature } : {}),
    ...(i.clientId !== undefined ? { clientId: i.clientId } : {}),
    ...(i.username !== undefined ? { username: i.username } : {}),
    ...(i.password !== undefined ? { password: i.password } : {}),
    operations: run.operations,
  };
}

/**
 * Test in AWS: TestInvokeAuthorizer with the contexts a device of the chosen protocol produces
 * (a bare token test passes where devices fail). The answer, a rejection included, opens in the
 * results panel with the returned policies evaluated for the requested operations and the
 * response validated; with a workspace definition that has a handler, the panel offers
 * "Compare with local run" for the same inputs.
 */
export async function testInvokeCommand(f: AwsFeature, ref: AuthorizerRef | TestInvokeArgs): Promise<TestInvokeResult | undefined> {
  const run = await runTestInvoke(f, ref);
  if (!run) return undefined;
  const show = !isArgs<TestInvokeArgs>(ref) || ref.show !== false;
  if (show) {
    if (f.results) {
      const local = await runnableDefinitionFor(run.authorizer.authorizerName).catch(() => undefined);
      const model = awsModel(run);
      if (local) model.actions = [{ id: 'compare', label: 'Compare with local run', command: 'iotAuthz.aws.compareWithLocal', args: repeatArgs(run) }];
      await f.results.show(model);
    } else await showJson(run.raw ?? run.result);
  }
  return run.raw;
}
