// Issue 9, "first run without a stumble": what a new user meets first, in the real VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { handlerTemplate } from '../../../src/core/authoring/templates';
import type { ConnectionResult } from '../../../src/core/emulator/pipeline';
import { AwsSection } from '../../../src/extension/aws/explorer/awsSection';
import type { AwsConnection } from '../../../src/extension/aws/connection';
import type { ExplorerNode } from '../../../src/extension/explorer/explorerProvider';
import { KeysSection } from '../../../src/extension/keys/explorer/keysSection';
import { connectionNames } from '../../../src/extension/keys/connectionNames';
import type { WorkspaceKeys } from '../../../src/extension/keys/workspaceKeys';
import type { Prompts } from '../../../src/extension/prompts';
import { fixtureUri, getApi, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';

const DIR = 'firstrun';
const TOKEN = 'fresh-token';
const LAST_CONNECTION_KEY = 'iotAuthz.emulator.lastConnection';

function write(rel: string, content: string | object): vscode.Uri {
  const abs = fixtureUri(rel).fsPath;
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return fixtureUri(rel);
}

/** A signed definition with a Node handler, as the walkthrough is: its key pair does not exist yet. */
function freshDefinition(name: string, keyFile: string, extra: Record<string, unknown> = {}): vscode.Uri {
  write(`${DIR}/lambda/index.js`, handlerTemplate('nodejs'));
  return write(`${DIR}/${name}.authorizer.json`, {
    authorizerName: `${name}-authorizer`,
    authorizerFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    tokenKeyName: 'tokenKeyName',
    tokenSigningPublicKeys: { FirstKey: { path: keyFile, generateOnFirstUse: true } },
    region: 'us-east-1',
    account: '123456789012',
    handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler', timeoutSeconds: 5, environment: { EXPECTED_TOKEN: TOKEN } },
    ...extra,
  });
}

async function labels(nodes: ExplorerNode[]): Promise<string[]> {
  return Promise.all(nodes.map(async (n) => String((await n.getTreeItem()).label)));
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'IoT Authorizer');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

describe('First run: what a new user meets first in the explorer, prompts and templates', function () {
  this.timeout(90_000);

  before(() => {
    // The test case that Run Locally prefills from.
    write(`${DIR}/fresh.authz-test.json`, {
      authorizer: 'fresh.authorizer.json',
      cases: [
        { name: 'mqtt device', protocol: 'mqtt', token: TOKEN, clientId: 'freshClient', username: 'fresh-user', expect: { authenticated: true } },
        { name: 'https device', token: TOKEN, expect: { authenticated: true } },
      ],
    });
  });
  afterEach(() => restorePrompts());
  after(() => fs.rmSync(fixtureUri(DIR).fsPath, { recursive: true, force: true }));

  it('the explorer always shows its sections, each with its own empty-state actions', async () => {
    const api = await getApi();
    const root = await api.services.explorer.getChildren();
    const rootLabels = await labels(root);
    for (const l of ['Workspace keys', 'Workspace authorizers', 'AWS']) assert.ok(rootLabels.includes(l), `${l} in ${JSON.stringify(rootLabels)}`);
    // No keys yet: Generate / Sign / Verify in place.
    const noKeys = { list: async () => [], onDidChange: () => ({ dispose() {} }) } as unknown as WorkspaceKeys;
    const keys = new KeysSection(noKeys);
    const keyActions = await keys.getChildren();
    assert.deepEqual(await labels(keyActions), ['Generate Signing Key Pair…', 'Sign Token…', 'Verify Token Signature…']);
    assert.deepEqual(await Promise.all(keyActions.map(async (n) => (await n.getTreeItem()).command?.command)), ['iotAuthz.generateKeyPair', 'iotAuthz.signToken', 'iotAuthz.verifySignature']);
    // Not connected: Connect to AWS… in the AWS section itself.
    const offline = { isConnected: false, onDidChange: () => ({ dispose() {} }) } as unknown as AwsConnection;
    const aws = new AwsSection(api.services, offline);
    assert.equal((await aws.getTreeItem()).description, 'not connected');
    const awsChildren = await aws.getChildren();
    assert.deepEqual(await labels(awsChildren), ['Connect to AWS…']);
    assert.equal((await awsChildren[0].getTreeItem()).command?.command, 'iotAuthz.aws.connect');
    // No definitions: New Authorizer Definition… in place.
    const authorizers = api.emulator.authorizers;
    const config = vscode.workspace.getConfiguration('iotAuthz.authoring');
    await config.update('authorizerGlobs', ['**/*.no-such-kind.json'], vscode.ConfigurationTarget.Workspace);
    try {
      await authorizers.reload();
      const children = await authorizers.getChildren();
      assert.deepEqual(await labels(children), ['New Authorizer Definition…']);
      assert.ok((await api.services.explorer.getChildren()).includes(authorizers), 'still shown at the root');
    } finally {
      await config.update('authorizerGlobs', undefined, vscode.ConfigurationTarget.Workspace);
      await authorizers.reload();
    }
  });

  it('Run Authorizer Locally on a definition whose key pair does not exist yet: generate it from the prompt, then accepted', async () => {
    const defUri = freshDefinition('fresh', 'keys/fresh.public.pem');
    const api = await getApi();
    // File-system events reach the Test Explorer late on a busy machine: opening the file is read at once.
    await vscode.workspace.openTextDocument(fixtureUri(`${DIR}/fresh.authz-test.json`));
    await waitFor(async () => {
      await api.emulator.tests.discover();
      return api.emulator.authorizers.testFilesFor(defUri).length > 0;
    }, 15_000, 200, 'the test file of fresh.authorizer.json discovered');
    const prompts = await scriptPrompts([
      'HTTPS',
      TOKEN,
      'Generate the key pair',
      'iot:Publish devices/device123/t',
    ]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: defUri, showResult: false });
    assert.ok(result);
    assert.equal(result.outcome, 'accepted', result.summary);
    assert.equal(result.signature.valid, true);
    assert.deepEqual(result.decisions.map((d) => d.decision), ['allow']);
    const tokenBox = prompts.asked.find((p) => p.kind === 'inputBox' && /token/.test(p.message))!;
    assert.equal((tokenBox.options as vscode.InputBoxOptions).value, TOKEN, "the token is prefilled from the definition's test cases");
    const keyPick = prompts.asked.find((p) => p.kind === 'quickPick' && /signature/.test(p.message))!;
    assert.match(String((keyPick.options as vscode.QuickPickOptions).placeHolder), /keys\/fresh\.public\.pem\) does not exist yet/);
    const priv = fixtureUri(`${DIR}/keys/fresh.private.pem`).fsPath;
    assert.ok(fs.existsSync(priv) && fs.existsSync(fixtureUri(`${DIR}/keys/fresh.public.pem`).fsPath));
    assert.equal(fs.statSync(priv).mode & 0o777, 0o600);
  });

  it('a missing key file can instead point at a workspace key: the definition is updated and the run accepted', async () => {
    const defUri = freshDefinition('other', 'keys/not-there.public.pem');
    await getApi().then((api) => api.keys.keys.refresh());
    const prompts = await scriptPrompts(['HTTPS', TOKEN, 'Sign with fresh, and point "FirstKey"', '']);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: defUri, showResult: false });
    assert.equal(result?.outcome, 'accepted', result?.summary);
    const keyPick = prompts.asked.find((p) => p.kind === 'quickPick' && /signature/.test(p.message))!;
    assert.ok(keyPick.choices.some((c) => c.includes('Generate the key pair')), JSON.stringify(keyPick.choices));
    const updated = JSON.parse(fs.readFileSync(defUri.fsPath, 'utf8'));
    assert.deepEqual(updated.tokenSigningPublicKeys.FirstKey, { path: 'keys/fresh.public.pem' });
  });

  it('Run Locally: "Sign with another private key…" lists the workspace keys before any file browser', async () => {
    const prompts = await scriptPrompts(['HTTPS', TOKEN, 'Sign with another private key', (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label.endsWith(' fresh')), '']);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: `${DIR}/fresh.authorizer.json`, showResult: false });
    assert.equal(result?.outcome, 'accepted', result?.summary);
    const list = prompts.asked.find((p) => p.kind === 'quickPick' && p.message === 'Private key to sign the token with');
    assert.ok(list, JSON.stringify(prompts.asked.map((p) => p.message)));
    assert.ok(list.choices.some((c) => c.includes('Browse')));
    assert.ok(!prompts.asked.some((p) => p.kind === 'openDialog'));
  });

  it('Run Locally over MQTT: client id and user name from the test case, then the user name last used', async () => {
    const api = await getApi();
    const defUri = write(`${DIR}/unsigned.authorizer.json`, {
      authorizerName: 'unsigned-authorizer',
      authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unsigned',
      signingDisabled: true,
      handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler', timeoutSeconds: 5 },
    });
    write(`${DIR}/unsigned.authz-test.json`, { authorizer: 'unsigned.authorizer.json', defaults: { protocol: 'mqtt', clientId: 'freshClient', username: 'fresh-user' }, cases: [{ name: 'c', password: 'p' }] });
    await api.emulator.services.context.workspaceState.update(LAST_CONNECTION_KEY, undefined);
    await vscode.workspace.openTextDocument(fixtureUri(`${DIR}/unsigned.authz-test.json`));
    await waitFor(async () => {
      await api.emulator.tests.discover();
      return api.emulator.authorizers.testFilesFor(defUri).length > 0;
    }, 15_000, 200, 'the new test file discovered');
    let prompts = await scriptPrompts(['MQTT', 'freshClient', 'my-user', '', '']);
    assert.ok(await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: defUri, showResult: false }));
    const box = (re: RegExp) => (prompts.asked.find((p) => p.kind === 'inputBox' && re.test(p.message))!.options as vscode.InputBoxOptions).value;
    assert.equal(box(/client id/), 'freshClient', 'not local-test-client: the test case says freshClient');
    assert.equal(box(/user name/), 'fresh-user');
    prompts = await scriptPrompts(['MQTT', 'freshClient', 'my-user', '', '']);
    assert.ok(await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: defUri, showResult: false }));
    assert.equal(box(/user name/), 'my-user', 'the user name is remembered');
  });

  it("one typo, one finding: iot:Publsh gives our IOT_ACTION_UNKNOWN and no schema warning; completion still lists actions", async () => {
    const typo = write(`${DIR}/typo.iot-policy.json`, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/c' },
        { Effect: 'Allow', Action: 'iot:Publsh', Resource: 'arn:aws:iot:us-east-1:123456789012:topic/t' },
      ],
    });
    // A control the JSON language service does flag, so we know its schema pass has run.
    const control = write(`${DIR}/control.iot-policy.json`, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/c', Extra: 1 }] });
    const doc = await vscode.workspace.openTextDocument(typo);
    await vscode.window.showTextDocument(doc);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(control), { preview: false });
    await waitFor(() => vscode.languages.getDiagnostics(control).some((d) => d.source !== 'IoT Authorizer'), 30_000, 200, 'the JSON schema validation of the control');
    await waitFor(() => ours(typo).length > 0, 10_000, 100, 'our finding');
    await new Promise((r) => setTimeout(r, 1000));
    const all = vscode.languages.getDiagnostics(typo);
    assert.deepEqual(all.map((d) => `${d.source} ${codeOf(d)}`), ['IoT Authorizer IOT_ACTION_UNKNOWN'], JSON.stringify(all.map((d) => d.message)));
    assert.match(all[0].message, /iot:Publish/);
    const pos = doc.positionAt(doc.getText().indexOf('iot:Publsh') + 4);
    const items = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
      const names = (l?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return names.some((x) => x.includes('iot:Publish')) ? names : undefined;
    }, 15_000, 250, 'iot:Publish completion');
    assert.ok(items.some((x) => x.includes('iot:Subscribe')));
  });

  it('New IoT Policy and New Authorizer Response open with no finding', async () => {
    await scriptPrompts([]);
    for (const [command, rel] of [['iotAuthz.authoring.newPolicy', `${DIR}/new.iot-policy.json`], ['iotAuthz.authoring.newResponse', `${DIR}/new.authorizer-response.json`]]) {
      const uri = await vscode.commands.executeCommand<vscode.Uri>(command, { uri: rel });
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(ours(uri).map(codeOf), [], rel);
    }
  });

  it('New Authorizer Definition uses a workspace key; its missing handler has a quick fix that creates it from a template', async () => {
    const api = await getApi();
    await api.keys.keys.refresh();
    await scriptPrompts([]);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('iotAuthz.authoring.newAuthorizer', { uri: `${DIR}/sub/new.authorizer.json` });
    const doc = await vscode.workspace.openTextDocument(uri);
    const def = JSON.parse(doc.getText());
    const keyPath = def.tokenSigningPublicKeys.key1.path as string;
    assert.ok(fs.existsSync(path.resolve(path.dirname(uri.fsPath), keyPath)), `the template names an existing workspace key: ${keyPath}`);
    const handler = await waitFor(() => ours(uri).find((d) => codeOf(d) === 'AUTHORIZER_HANDLER_FILE_MISSING'), 10_000, 100, 'handler finding');
    assert.deepEqual(ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(codeOf), [], 'no error');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, handler.range, vscode.CodeActionKind.QuickFix.value);
    const create = actions.find((a) => a.title.startsWith('Create lambda/index.js from a Node.js handler template'));
    assert.ok(create?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(create.edit));
    // Created with the template in the editor (the user saves it, as after any quick fix).
    const created = await vscode.workspace.openTextDocument(fixtureUri(`${DIR}/sub/lambda/index.js`));
    assert.match(created.getText(), /exports\.handler = async/);
    await created.save();
    await waitFor(() => ours(uri).length === 0, 10_000, 100, 'the definition clean once its handler exists');
  });

  it('a missing key file in a definition offers: use a workspace key, or generate the pair', async () => {
    const uri = write(`${DIR}/missing-key.authorizer.json`, {
      authorizerName: 'missing-key',
      authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:missing-key',
      tokenKeyName: 'tok',
      tokenSigningPublicKeys: { k: 'keys/absent.public.pem' },
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const missing = await waitFor(() => ours(uri).find((d) => codeOf(d) === 'AUTHORIZER_KEY_FILE_MISSING'), 10_000, 100, 'key finding');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Use workspace key ') && t.includes('fresh.public.pem')), JSON.stringify(titles));
    const generate = actions.find((a) => a.title.startsWith('Generate the key pair absent.private.pem / absent.public.pem'));
    assert.ok(generate?.command, JSON.stringify(titles));
    const use = actions.find((a) => a.title.includes('fresh.public.pem'))!;
    assert.ok(await vscode.workspace.applyEdit(use.edit!));
    assert.equal(JSON.parse(doc.getText()).tokenSigningPublicKeys.k, 'keys/fresh.public.pem');
    await waitFor(() => !ours(uri).some((d) => codeOf(d) === 'AUTHORIZER_KEY_FILE_MISSING'), 10_000, 100, 'the key finding gone');
  });

  it("Sign Token's authorizer name is prefilled from the definition that lists the signing key, with readable help", async () => {
    const api = await getApi();
    const pair = (await api.keys.keys.refresh()).find((p) => p.privateFile?.fsPath.endsWith(path.join(DIR, 'keys', 'fresh.private.pem')));
    assert.ok(pair?.fingerprint);
    const asked: vscode.InputBoxOptions[] = [];
    const prompts = { inputBox: async (o: vscode.InputBoxOptions) => (asked.push(o), o.value) } as unknown as Prompts;
    const store = new Map<string, unknown>();
    const memento = { get: (k: string) => store.get(k), update: async (k: string, v: unknown) => void store.set(k, v), keys: () => [...store.keys()] } as unknown as vscode.Memento;
    // Two signed definitions: the one that lists the signing key is the one.
    write(`${DIR}/names/named.authorizer.json`, { authorizerName: 'named-authorizer', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:n', tokenKeyName: 'namedKey', tokenSigningPublicKeys: { k: '../keys/fresh.public.pem' } });
    write(`${DIR}/names/decoy.authorizer.json`, { authorizerName: 'decoy-authorizer', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:d', tokenKeyName: 'decoyKey', tokenSigningPublicKeys: { k: 'keys/elsewhere.public.pem' } });
    const names = await connectionNames(memento, prompts, {}, { definitionsGlob: `${DIR}/names/*.authorizer.json`, keyFingerprint: pair.fingerprint.hex });
    assert.deepEqual(names, { authorizerName: 'named-authorizer', tokenKeyName: 'namedKey' });
    // No key to go by: of a signed and a signing-disabled definition (as in examples/), the signed one.
    store.clear();
    const signedOnly = await connectionNames(memento, prompts, {}, { definitionsGlob: `${DIR}/{fresh,unsigned}.authorizer.json` });
    assert.deepEqual(signedOnly, { authorizerName: 'fresh-authorizer', tokenKeyName: 'tokenKeyName' });
    assert.doesNotMatch(String(asked[0].prompt), /devices name/);
    assert.match(String(asked[0].prompt), /as devices send it in x-amz-customauthorizer-name/);
  });

  it("Verify's message speaks to the user: no internal field name", async () => {
    const api = await getApi();
    const pair = (await api.keys.keys.list()).find((p) => p.privateFile?.fsPath.endsWith(path.join(DIR, 'keys', 'fresh.private.pem')))!;
    const { signWithKeyFile } = await import('../../../src/core/emulator/testcases/keys');
    const signature = signWithKeyFile(pair.privateFile!.fsPath, 'tok');
    const prompts = await scriptPrompts([undefined]);
    const result = await vscode.commands.executeCommand<{ valid: boolean }>('iotAuthz.verifySignature', { keyPaths: [pair.publicFile!], token: 'tok', signature: encodeURIComponent(signature) });
    assert.equal(result.valid, false);
    const warned = await waitFor(() => prompts.asked.find((p) => p.kind === 'warn'), 5_000, 50, 'the verdict');
    assert.match(warned.message, /Corrected, it verifies with key/);
    assert.doesNotMatch(warned.message, /correctedSignature/);
    assert.ok(path.isAbsolute(workspaceFolder().uri.fsPath));
  });
});
