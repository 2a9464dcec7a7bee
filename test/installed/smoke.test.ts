// Smoke suite against the extension as installed from the VSIX
// (scripts/installed.mjs installs it into a fresh extensions folder and opens
// a copy of test/fixtures/workspace with no development path). Each test
// needs a different part of the package at run time: the bundle, the schemas,
// the lazily loaded AWS chunk, the media; a file left out of the VSIX fails it.
import * as assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionResult } from '../../src/core/emulator';
import type { GenerateKeyPairResult } from '../../src/extension/keys/commands/generateKeyPair';
import type { ExplorerNode } from '../../src/extension/explorer/explorerProvider';
import type { SignedToken } from '../../src/extension/keys/signResult';
import { startAwsFixture, type AwsFixture } from '../integration/aws/fixture';
import { EXTENSION_ID, getApi, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../integration/helpers';

const TOKEN = 'MyStringThatNeedsToBeSigned';

describe('installed extension (from the VSIX)', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);

  it('is the copy installed in the extensions folder, not a development path', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const installedIn = process.env.IOT_AUTHZ_INSTALLED_EXTENSIONS_DIR;
    assert.ok(installedIn, 'IOT_AUTHZ_INSTALLED_EXTENSIONS_DIR is set by scripts/installed.mjs');
    assert.ok(ext.extensionPath.startsWith(installedIn), `${ext.extensionPath} is not under ${installedIn}`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    for (const gone of ['src', 'test', 'node_modules', 'out']) assert.equal(fs.existsSync(path.join(ext.extensionPath, gone)), false, `${gone}/ is not packaged`);
  });

  it('activates, and the activity-bar view opens', async () => {
    const api = await getApi();
    assert.ok(api.services.explorer);
    await vscode.commands.executeCommand('workbench.view.extension.iotAuthorizerStudio');
    await vscode.commands.executeCommand('iotAuthz.explorer.focus');
    const roots = await api.services.explorer.getChildren();
    assert.ok(Array.isArray(roots), 'the Authorizer Explorer answers');
  });

  let pair: GenerateKeyPairResult;
  it('Generate Signing Key Pair writes the pair (0600 private key)', async () => {
    await scriptPrompts([undefined]);
    const r = await vscode.commands.executeCommand<GenerateKeyPairResult>('iotAuthz.generateKeyPair', { name: 'emu', folder: 'emulator/keys', bits: 2048, passphrase: '' });
    assert.ok(r, 'a key pair was generated');
    pair = r;
    assert.equal(fs.statSync(r.privateKeyPath).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(r.publicKeyPath, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  });

  it('Sign Token signs with it, and the signature verifies', async () => {
    await scriptPrompts([]);
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: pair.privateKeyPath, token: TOKEN, showResult: false });
    assert.ok(signed);
    const ok = createVerify('SHA256').update(TOKEN).verify(fs.readFileSync(pair.publicKeyPath, 'utf8'), Buffer.from(signed.signature, 'base64'));
    assert.ok(ok, 'the signature verifies with the public key');
  });

  it('an authorizer response gets diagnostics from the contributed schema and from the rules', async () => {
    const file = path.join(workspaceFolder().uri.fsPath, 'installed.authorizer-response.json');
    fs.writeFileSync(file, JSON.stringify({ isAuthenticated: true, principalId: 'bad-principal!', disconnectAfterInSeconds: 'soon', policyDocuments: [] }, null, 2));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      const ours = d.some((x) => x.source === 'IoT Authorizer' && typeof x.code === 'object' && x.code.value === 'RESPONSE_PRINCIPAL_ID_INVALID');
      const schema = d.some((x) => x.source !== 'IoT Authorizer' && /integer|number/i.test(x.message));
      return ours && schema ? d : undefined;
    }, 30_000, 100, 'a schema diagnostic (source json) and a rule diagnostic');
    assert.ok(diags.length >= 2);
    // Completion of actions comes from the schema too.
    const policy = path.join(workspaceFolder().uri.fsPath, 'installed.iot-policy.json');
    fs.writeFileSync(policy, '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": [""], "Resource": "*" }]\n}\n');
    const pdoc = await vscode.workspace.openTextDocument(policy);
    const pos = pdoc.positionAt(pdoc.getText().indexOf('[""]') + 2);
    await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', pdoc.uri, pos);
      return (l?.items ?? []).some((i) => (typeof i.label === 'string' ? i.label : i.label.label).includes('iot:Publish'));
    }, 30_000, 250, 'iot:Publish completion from the packaged schema');
  });

  it('Run Authorizer Locally answers with the handler\'s decision', async () => {
    await scriptPrompts([]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', {
      definition: 'emulator/local.authorizer.json',
      protocol: 'mqtt',
      token: 'allow-me',
      signWithKey: pair.privateKeyPath,
      clientId: 'installed-client',
      username: '',
      password: '',
      operations: 'iot:Publish emu/installed',
      showResult: false,
    });
    assert.ok(result, 'a result');
    assert.equal(result.outcome, 'accepted', result.summary);
    assert.equal(result.signature.valid, true);
  });

  describe('AWS', () => {
    let fx: AwsFixture;
    const sdkLoaded = () => Object.keys(require.cache).some((k) => /[/\\]dist[/\\]aws\.js$/.test(k));
    before(async () => {
      fx = await startAwsFixture('installed-aws');
      fx.ep.addAuthorizer({ authorizerName: 'installed-listed', authorizerFunctionArn: fx.ep.functionArn('fn'), signingDisabled: true });
    });
    after(async () => fx?.dispose());

    it('an AWS command loads the packaged SDK chunk (dist/aws.js) at first use and lists authorizers', async () => {
      assert.equal(sdkLoaded(), false, 'the SDK chunk was loaded before any AWS command');
      await scriptPrompts(['it', 'us-east-1']);
      const r = await vscode.commands.executeCommand<{ profile?: string; region: string }>('iotAuthz.aws.connect');
      assert.deepEqual(r, { profile: 'it', region: 'us-east-1' });
      const api = await getApi();
      const labels = async (nodes: readonly ExplorerNode[], depth = 0): Promise<string[]> => {
        const out: string[] = [];
        for (const n of nodes) {
          const item = await n.getTreeItem();
          out.push(typeof item.label === 'string' ? item.label : item.label?.label ?? '');
          if (depth < 1 && n.getChildren) out.push(...(await labels(await n.getChildren(), depth + 1)));
        }
        return out;
      };
      await waitFor(async () => (await labels(await api.services.explorer.getChildren())).includes('installed-listed'), 30_000, 250, 'the AWS section lists the authorizer');
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      assert.ok(sdkLoaded(), 'listing loaded dist/aws.js');
      assert.ok(Object.keys(require.cache).some((k) => k === path.join(ext.extensionPath, 'dist', 'aws.js')), 'the chunk is the installed copy\'s');
    });
  });
});
