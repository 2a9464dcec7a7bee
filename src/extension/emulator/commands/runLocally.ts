import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { loadDefinitionFile, LoadedDefinition } from '../../../core/emulator/definition';
import { ConnectionInput, Protocol } from '../../../core/emulator/event';
import { matchingSigningKeys } from '../../../core/emulator/keymatch';
import { OperationInput, parseOperation } from '../../../core/emulator/operations';
import { CaseConnectionDefaults, connectionDefaultsFromCases, operationsFromCases, operationText } from '../../../core/emulator/testcases/byDefinition';
import { ConnectionResult, runConnection } from '../../../core/emulator/pipeline';
import { AuthzError, errorText } from '../../../core/errors';
import { signToken } from '../../../core/tokens';
import { loadPrivateKeyFile } from '../../keys/keyLoader';
import type { WorkspaceKeyPair } from '../../keys/workspaceKeys';
import type { ResultsModel } from '../../panels/model';
import { EmulatorFeature } from '../feature';
import { generateDefinitionPair, missingKeyFiles, pointDefinitionAt, privateHalfOf } from '../signingKeys';
import { ensureTrusted } from '../trust';
import { abortSignalFor, pickDefinition, runtimePaths, toUri, untilCancelled, workspaceRootOf } from '../workspaceFiles';

/** Every answer of Run Authorizer Locally; what is given is not asked. */
export interface RunLocallyArgs {
  /** The *.authorizer.json: Uri, absolute or workspace-relative path. */
  definition?: string | vscode.Uri;
  protocol?: Protocol;
  token?: string;
  /** The signature as the device sends it (standard base64). */
  signature?: string;
  /** Sign `token` with this private key file instead (Uri, absolute or workspace-relative path). */
  signWithKey?: string | vscode.Uri;
  /** Passphrase of an encrypted signWithKey (otherwise asked, or taken from secret storage). */
  passphrase?: string;
  clientId?: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  query?: string;
  sourceIp?: string;
  /** Operations to check: ["iot:Publish topic/x", {action, resource}] or lines "iot:Publish a; iot:Subscribe b". */
  operations?: OperationInput[] | string;
  /** Show the result in the results panel (default true). */
  showResult?: boolean;
}

const PROTOCOLS: Array<vscode.QuickPickItem & { protocol: Protocol }> = [
  { label: 'HTTPS', description: 'HTTP publish with the token in headers or the query', protocol: 'https' },
  { label: 'MQTT', description: 'MQTT over TLS (port 443, ALPN mqtt): token and signature in the user name', protocol: 'mqtt' },
  { label: 'MQTT over WebSockets', description: 'token and signature in the upgrade request', protocol: 'wss' },
];

const PASTE = '$(edit) Paste a signature';
const NO_SIGNATURE = '$(circle-slash) Send no signature';
const OTHER_KEY = '$(key) Sign with another private key…';

/**
 * Run Authorizer Locally: asks what the device sends (or takes it from args),
 * runs the emulator (a cancellable notification when it takes over a second) and shows the
 * result in the results panel. Returns the ConnectionResult, or undefined
 * when cancelled or in Restricted Mode.
 */
export async function runLocallyCommand(f: EmulatorFeature, args: RunLocallyArgs): Promise<ConnectionResult | undefined> {
  const { services } = f;
  const prompts = services.prompts;
  if (!(await ensureTrusted(services))) return undefined;

  const defUri = await pickDefinition(prompts, args.definition);
  if (!defUri) return undefined;
  const root = workspaceRootOf(defUri);
  let def = loadDefinitionFile(defUri.fsPath, { workspaceRoot: root });
  if (!def.handler) {
    throw new AuthzError(
      'DEFINITION_NO_HANDLER',
      `${vscode.workspace.asRelativePath(defUri, false)} has no handler section, so there is nothing to run locally.`,
      'Add "handler": {"runtime": "nodejs", "file": "lambda/index.js"} to the definition.',
    );
  }

  let protocol = args.protocol;
  if (!protocol) {
    const picked = await prompts.quickPick(PROTOCOLS, { title: `Run ${def.authorizerName} locally: protocol`, placeHolder: 'How does the device connect?', ignoreFocusOut: true });
    if (!picked) return undefined;
    protocol = picked.protocol;
  }

  const input: ConnectionInput = { protocol };
  const suggested = await connectionDefaults(f, defUri, protocol);
  let signedWithKey: string | undefined;
  const needsToken = !def.signingDisabled || !!def.tokenKeyName;
  let token = args.token;
  if (token === undefined && needsToken) {
    token = await prompts.inputBox({
      title: `Run ${def.authorizerName} locally: token`,
      prompt: def.tokenKeyName ? `The value of the token "${def.tokenKeyName}" the device sends` : 'The token the device sends',
      placeHolder: def.signingDisabled ? 'Leave empty to send none' : undefined,
      value: suggested.token,
      ignoreFocusOut: true,
    });
    if (token === undefined) return undefined;
  }
  if (token !== undefined && token !== '') input.token = token;

  if (!def.signingDisabled && input.token !== undefined) {
    if (args.signature !== undefined) input.signature = args.signature;
    else {
      const picked = args.signWithKey !== undefined ? toUri(args.signWithKey) : await pickSigningKey(f, def, defUri);
      if (picked === null) return undefined;
      let keyUri: vscode.Uri | 'paste' | 'none';
      if (picked instanceof vscode.Uri || typeof picked === 'string') keyUri = picked;
      else {
        // A way out of a missing key file: generate the pair it names, or point it at a workspace key.
        keyUri = 'generate' in picked ? await generateDefinitionPair(def, picked.generate) : picked.use.pair.privateFile!;
        if ('generate' in picked) {
          services.log.info(`Generated the key pair of "${picked.generate.name}" for ${def.authorizerName}: ${vscode.workspace.asRelativePath(keyUri, false)} (mode 0600) and its public half.`);
        } else {
          await pointDefinitionAt(defUri, picked.use.keyName, picked.use.pair);
          services.log.info(`${vscode.workspace.asRelativePath(defUri, false)}: key "${picked.use.keyName}" now points at ${vscode.workspace.asRelativePath(picked.use.pair.publicFile!, false)}.`);
        }
        def = loadDefinitionFile(defUri.fsPath, { workspaceRoot: root });
        void f.keys.keys.refresh();
      }
      if (keyUri === 'paste') {
        const pasted = await prompts.inputBox({ title: `Run ${def.authorizerName} locally: signature`, prompt: 'The token signature as the device sends it (base64)', ignoreFocusOut: true });
        if (pasted === undefined) return undefined;
        if (pasted.trim()) input.signature = pasted.trim();
      } else if (keyUri !== 'none') {
        const loaded = await loadPrivateKeyFile(keyUri, prompts, f.keys.passphrases, args.passphrase !== undefined ? { passphrase: args.passphrase } : undefined);
        if (!loaded) return undefined;
        input.signature = signToken(loaded.key, input.token);
        signedWithKey = keyUri.fsPath;
      }
    }
  }

  if (protocol !== 'https') {
    const clientId =
      args.clientId ??
      (await prompts.inputBox({ title: `Run ${def.authorizerName} locally: MQTT client id`, value: suggested.clientId ?? 'local-test-client', prompt: 'Checked against iot:Connect', ignoreFocusOut: true }));
    if (clientId === undefined) return undefined;
    if (clientId !== '') input.clientId = clientId;
  }
  if (protocol === 'mqtt') {
    const username =
      args.username ??
      (await prompts.inputBox({
        title: `Run ${def.authorizerName} locally: MQTT user name`,
        prompt: def.signingDisabled ? 'The MQTT user name (empty: none)' : 'Leave empty: the device user name is built from the token and signature',
        value: suggested.username,
        ignoreFocusOut: true,
      }));
    if (username === undefined) return undefined;
    if (username !== '') input.username = username;
    const password =
      args.password ??
      (await prompts.inputBox({ title: `Run ${def.authorizerName} locally: MQTT password`, prompt: 'The MQTT password (empty: none); IoT Core passes it base64-encoded', password: true, ignoreFocusOut: true }));
    if (password === undefined) return undefined;
    if (password !== '') input.password = password;
  } else {
    if (args.username !== undefined) input.username = args.username;
    if (args.password !== undefined) input.password = args.password;
  }
  if (args.headers) input.headers = args.headers;
  if (args.query !== undefined) input.query = args.query;
  if (args.sourceIp !== undefined) input.sourceIp = args.sourceIp;

  let operations: OperationInput[];
  if (args.operations !== undefined) operations = typeof args.operations === 'string' ? splitOperations(args.operations) : args.operations;
  else {
    const defaults = await defaultOperations(f, defUri);
    const text = await prompts.inputBox({
      title: `Run ${def.authorizerName} locally: operations to check`,
      prompt: `Action and resource, separated by ";" (e.g. iot:Publish devices/d1/telemetry; iot:Subscribe devices/d1/#). Empty: none. Suggested: ${defaults.source}.`,
      value: defaults.operations.join('; '),
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          for (const op of splitOperations(v)) parseOperation(op, def.region, def.account);
          return undefined;
        } catch (e) {
          return errorText(e);
        }
      },
    });
    if (text === undefined) return undefined;
    operations = splitOperations(text);
  }
  await rememberOperations(f, defUri, operations);
  await rememberConnection(f, defUri, input);

  const result = await withRunProgress(`Running ${def.authorizerName} locally (${protocol})`, (signal) =>
    runConnection({ definition: def, input, operations, allowCodeExecution: vscode.workspace.isTrusted, workspaceRoot: root, signal, ...runtimePaths(defUri) }),
  );
  if (!result) {
    services.log.info(`Run of ${def.authorizerName} cancelled; the handler process was stopped.`);
    return undefined;
  }
  services.log.info(`Local run of ${def.authorizerName} (${protocol}): ${result.summary} (${result.totalMs.toFixed(0)} ms)`);

  if (args.showResult !== false) {
    const model: ResultsModel = {
      title: `${def.authorizerName} (${PROTOCOLS.find((p) => p.protocol === protocol)?.label}): ${result.outcome}`,
      source: 'local',
      result,
      input,
      authorizerFile: vscode.workspace.asRelativePath(defUri, false),
    };
    f.localRuns.set(model, { definitionFile: defUri.fsPath, input, operations, ...(signedWithKey ? { signedWithKey } : {}) });
    await f.results.show(model);
  }
  return result;
}

/** Workspace state: the operations last checked per definition (its Uri string → "action resource" texts). */
export const LAST_OPERATIONS_KEY = 'iotAuthz.emulator.lastOperations';

/**
 * What the operations box suggests for a definition: the operations last
 * checked with it in this workspace, else those its test cases expect
 * (the first case with allowed / denied operations), else the
 * iotAuthz.emulator.defaultOperations setting.
 */
export async function defaultOperations(f: EmulatorFeature, defUri: vscode.Uri): Promise<{ operations: string[]; source: string }> {
  const last = f.services.context.workspaceState.get<Record<string, string[]>>(LAST_OPERATIONS_KEY)?.[defUri.toString()];
  if (last?.length) return { operations: last, source: 'the operations of your last run' };
  await f.tests.discover();
  const fromCases = operationsFromCases(f.authorizers.testFilesFor(defUri).flatMap((t) => t.cases));
  if (fromCases) return { operations: fromCases, source: "the operations of this authorizer's test cases" };
  const setting = vscode.workspace.getConfiguration('iotAuthz.emulator', defUri).get<string[]>('defaultOperations') ?? [];
  return { operations: setting, source: 'the iotAuthz.emulator.defaultOperations setting' };
}

async function rememberOperations(f: EmulatorFeature, defUri: vscode.Uri, operations: OperationInput[]): Promise<void> {
  const state = f.services.context.workspaceState;
  const all = { ...(state.get<Record<string, string[]>>(LAST_OPERATIONS_KEY) ?? {}) };
  if (operations.length) all[defUri.toString()] = operations.map(operationText);
  else delete all[defUri.toString()];
  await state.update(LAST_OPERATIONS_KEY, all);
}

/** Workspace state: the client id and user name last sent per definition (its Uri string → values); never tokens or passwords. */
export const LAST_CONNECTION_KEY = 'iotAuthz.emulator.lastConnection';

/**
 * What the token, client id and user name boxes suggest: the client id and user
 * name of the last run of this definition, else those of its test cases; the
 * token from its test cases (a token may be a credential, so none is remembered).
 */
async function connectionDefaults(f: EmulatorFeature, defUri: vscode.Uri, protocol: Protocol): Promise<CaseConnectionDefaults> {
  await f.tests.discover();
  const fromCases = connectionDefaultsFromCases(f.authorizers.testFilesFor(defUri).flatMap((t) => t.cases), protocol);
  const last = f.services.context.workspaceState.get<Record<string, { clientId?: string; username?: string }>>(LAST_CONNECTION_KEY)?.[defUri.toString()] ?? {};
  return { ...fromCases, ...(last.clientId ? { clientId: last.clientId } : {}), ...(last.username ? { username: last.username } : {}) };
}

async function rememberConnection(f: EmulatorFeature, defUri: vscode.Uri, input: ConnectionInput): Promise<void> {
  if (input.protocol === 'https') return;
  const state = f.services.context.workspaceState;
  const all = { ...(state.get<Record<string, { clientId?: string; username?: string }>>(LAST_CONNECTION_KEY) ?? {}) };
  all[defUri.toString()] = { ...(input.clientId ? { clientId: input.clientId } : {}), ...(input.protocol === 'mqtt' && input.username ? { username: input.username } : {}) };
  await state.update(LAST_CONNECTION_KEY, all);
}

/** Runs shorter than this show no notification (VS Code keeps one on screen for at least 800 ms). */
const NOTIFY_AFTER_MS = 1000;

/**
 * Runs `task` with a status-bar progress, and a cancellable notification only
 * when it takes longer than NOTIFY_AFTER_MS: a quick run's notification would
 * otherwise stay over the results panel after the result is shown. Resolves
 * to undefined when cancelled (the signal then stops the handler process).
 */
async function withRunProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const cts = new vscode.CancellationTokenSource();
  try {
    const run = task(abortSignalFor(cts.token));
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), NOTIFY_AFTER_MS)));
      const first = await Promise.race([run.then((value) => ({ value })), slow]).finally(() => clearTimeout(timer));
      if (first !== 'slow') return first.value;
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        progress.report({ message: 'signature, event, handler, response, policies…' });
        token.onCancellationRequested(() => cts.cancel());
        return untilCancelled(run, token);
      });
    });
  } finally {
    cts.dispose();
  }
}

/** "iot:Publish a; iot:Subscribe b" (or one per line) → operations. */
export function splitOperations(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

type SigningChoice = vscode.Uri | 'paste' | 'none' | { generate: MissingKey } | { use: { pair: WorkspaceKeyPair; keyName: string } };
type MissingKey = ReturnType<typeof missingKeyFiles>[number];

/**
 * The private key to sign with: workspace keys whose public half is one of the
 * definition's tokenSigningPublicKeys first; when none matches and a key file
 * the definition names is missing, the ways out (generate that pair, or point
 * the definition at a workspace key); then paste / another workspace key / none.
 * null when cancelled.
 */
async function pickSigningKey(f: EmulatorFeature, def: LoadedDefinition, defUri: vscode.Uri): Promise<SigningChoice | null> {
  const pairs = (await f.keys.keys.list()).filter((p) => p.privateFile && !p.problem);
  const matches = matchingSigningKeys(def, pairs.map((p) => ({ pair: p, fingerprint: p.fingerprint?.hex })));
  type Item = vscode.QuickPickItem & { choice: SigningChoice | 'other' };
  const items: Item[] = matches.map((m) => ({
    label: `$(key) Sign with ${m.pair.name}`,
    description: `matches "${m.keyName}"${m.pair.encrypted ? ' · encrypted' : ''}`,
    detail: vscode.workspace.asRelativePath(m.pair.privateFile!, false),
    choice: m.pair.privateFile!,
  }));
  const missing = matches.length ? [] : missingKeyFiles(def);
  for (const k of missing) {
    const privatePath = privateHalfOf(k.path);
    if (!privatePath || fs.existsSync(privatePath)) continue;
    items.push({
      label: `$(add) Generate the key pair "${k.name}" names, and sign with it`,
      description: 'a local test pair (2048-bit RSA, private key mode 0600)',
      detail: `${vscode.workspace.asRelativePath(privatePath, false)} and ${vscode.workspace.asRelativePath(k.path, false)}`,
      choice: { generate: k },
    });
  }
  const firstMissing = missing[0];
  if (firstMissing) {
    for (const p of pairs.filter((p) => p.publicFile)) {
      items.push({
        label: `$(key) Sign with ${p.name}, and point "${firstMissing.name}" at its public key`,
        description: `updates ${vscode.workspace.asRelativePath(defUri, false)}${p.encrypted ? ' · encrypted' : ''}`,
        detail: vscode.workspace.asRelativePath(p.publicFile!, false),
        choice: { use: { pair: p, keyName: firstMissing.name } },
      });
    }
  }
  items.push({ label: PASTE, choice: 'paste' }, { label: OTHER_KEY, choice: 'other' }, { label: NO_SIGNATURE, description: 'IoT Core would refuse the request', choice: 'none' });
  const missingText = missing.length ? `: ${missing.map((k) => `the key file of "${k.name}" (${vscode.workspace.asRelativePath(k.path, false)}) does not exist yet`).join('; ')}` : '';
  const picked = await f.services.prompts.quickPick(items, {
    title: `Run ${def.authorizerName} locally: token signature`,
    placeHolder: matches.length
      ? 'Sign the token with a workspace key the authorizer trusts, or paste a signature'
      : missing.length
        ? `No workspace private key matches ${def.authorizerName}${missingText}: generate it, or use a workspace key`
        : `No workspace private key matches the keys of ${def.authorizerName} (${def.keys.map((k) => k.name).join(', ') || 'none readable'}): paste a signature`,
    ignoreFocusOut: true,
  });
  if (!picked) return null;
  if (picked.choice !== 'other') return picked.choice;
  return pickAnyPrivateKey(f, pairs);
}

const BROWSE = '$(folder-opened) Browse…';

/** "Sign with another private key…": the workspace's private keys, then a file browser. null when cancelled. */
async function pickAnyPrivateKey(f: EmulatorFeature, pairs: WorkspaceKeyPair[]): Promise<vscode.Uri | null> {
  type Item = vscode.QuickPickItem & { file?: vscode.Uri };
  const items: Item[] = pairs.map((p) => ({
    label: `$(key) ${p.name}`,
    description: [p.bits ? `${p.bits}-bit` : undefined, p.encrypted ? 'encrypted' : undefined].filter(Boolean).join(' · '),
    detail: vscode.workspace.asRelativePath(p.privateFile!, false),
    file: p.privateFile!,
  }));
  items.push({ label: BROWSE, description: 'a private key file outside the workspace keys' });
  const picked = await f.services.prompts.quickPick(items, { title: 'Private key to sign the token with', placeHolder: pairs.length ? 'A private key of this workspace, or browse for a file' : 'No private keys in this workspace: browse for a file', ignoreFocusOut: true });
  if (!picked) return null;
  if (picked.file) return picked.file;
  const files = await f.services.prompts.openDialog({ title: 'Private key to sign the token with', canSelectMany: false, openLabel: 'Sign with this key', filters: { 'PEM keys': ['pem', 'key'], 'All files': ['*'] } });
  return files?.[0] ?? null;
}
