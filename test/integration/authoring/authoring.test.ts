import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, getApi, restorePrompts, scriptPrompts, waitFor } from '../helpers';

const SOURCE = 'IoT Authorizer';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function diagnostic(doc: vscode.TextDocument, code: string): Promise<vscode.Diagnostic> {
  return waitFor(() => ours(doc.uri).find((d) => codeOf(d) === code), 10_000, 50, `diagnostic ${code} on ${doc.uri.path}`);
}

async function quickFix(doc: vscode.TextDocument, d: vscode.Diagnostic, title?: RegExp): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
  // The core's fixes carry their titles; diagnostics are attached when the
  // editor passes them in the context (not always through this command).
  const mine = (actions ?? []).filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && (!title || title.test(a.title)) && (!a.diagnostics?.length || a.diagnostics.some((x) => codeOf(x) === codeOf(d))));
  assert.ok(mine.length, `no quick fix for ${codeOf(d)}: ${(actions ?? []).map((a) => a.title).join(' | ')}`);
  return mine[0];
}

describe('authoring (integration)', () => {
  before(async () => {
    await getApi();
  });
  afterEach(async () => {
    await restorePrompts();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports response diagnostics with codes linking to docs, including inside a string policy document', async () => {
    const doc = await open('authoring/bad.authorizer-response.json');
    const pid = await diagnostic(doc, 'RESPONSE_PRINCIPAL_ID_INVALID');
    assert.equal(doc.getText(pid.range), '"device-01"');
    assert.equal(pid.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(typeof pid.code === 'object' && pid.code.target.toString().startsWith('https://docs.aws.amazon.com/'));
    const time = await diagnostic(doc, 'RESPONSE_TIME_OUT_OF_RANGE');
    assert.equal(doc.getText(time.range), '100000');
    const action = await diagnostic(doc, 'IOT_ACTION_UNKNOWN');
    assert.equal(doc.getText(action.range), 'iot:Pubish');
    const plus = await diagnostic(doc, 'IOT_MQTT_WILDCARD_IN_TOPIC');
    assert.equal(doc.getText(plus.range), '+');
  });

  it('applies the unknown-action quick fix inside the string document', async () => {
    const doc = await open('authoring/bad.authorizer-response.json');
    const d = await diagnostic(doc, 'IOT_ACTION_UNKNOWN');
    const fix = await quickFix(doc, d);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    const inner = JSON.parse(JSON.parse(doc.getText()).policyDocuments[0]);
    assert.equal(inner.Statement[0].Action, 'iot:Publish');
    await waitFor(() => !ours(doc.uri).some((x) => codeOf(x) === 'IOT_ACTION_UNKNOWN'), 5_000, 50, 'diagnostic cleared after the fix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('done-when of the authoring issue: iot:Publish on a topicfilter/ ARN in a response is an error on those characters, fixed in one click', async () => {
    const file = fixtureUri('authoring/publish-on-filter.authorizer-response.json');
    const response = {
      isAuthenticated: true,
      principalId: 'device42',
      refreshAfterInSeconds: 300,
      disconnectAfterInSeconds: 3600,
      policyDocuments: [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}' },
            { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:us-east-1:123456789012:topicfilter/devices/42/telemetry' },
          ],
        },
      ],
    };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(response, null, 2)));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const d = await diagnostic(doc, 'IOT_RESOURCE_TYPE_MISMATCH');
    assert.equal(doc.getText(d.range), 'topicfilter');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const fix = await quickFix(doc, d, /topic\//);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(JSON.parse(doc.getText()).policyDocuments[0].Statement[1].Resource, 'arn:aws:iot:us-east-1:123456789012:topic/devices/42/telemetry');
    await waitFor(() => !ours(doc.uri).some((x) => x.severity === vscode.DiagnosticSeverity.Error), 5_000, 50, 'no error left after the fix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('switches topic/ to topicfilter/ for Subscribe', async () => {
    const doc = await open('authoring/subscribe.iot-policy.json');
    const d = await diagnostic(doc, 'IOT_RESOURCE_TYPE_MISMATCH');
    assert.equal(doc.getText(d.range), 'topic');
    const fix = await quickFix(doc, d, /topicfilter/);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(JSON.parse(doc.getText()).Statement[1].Resource, 'arn:aws:iot:us-east-1:123456789012:topicfilter/devices/${iot:ClientId}/*');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('checks authorizer definitions: missing key file, handler timeout', async () => {
    const doc = await open('authoring/dev.authorizer.json');
    const key = await diagnostic(doc, 'AUTHORIZER_KEY_FILE_MISSING');
    assert.equal(doc.getText(key.range), '"authoring/keys/missing.public.pem"');
    const timeout = await diagnostic(doc, 'AUTHORIZER_HANDLER_TIMEOUT');
    assert.equal(doc.getText(timeout.range), '10');
    assert.ok(!ours(doc.uri).some((d) => codeOf(d) === 'AUTHORIZER_HANDLER_FILE_MISSING'), 'the handler file exists');
  });

  it('Set Document Kind validates a plain .json file, and "none" clears it', async () => {
    const doc = await open('authoring/unnamed-policy.json');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(ours(doc.uri).length, 0, 'not ours by name');
    await vscode.commands.executeCommand('iotAuthz.authoring.setDocumentKind', { uri: doc.uri, kind: 'policy' });
    const d = await diagnostic(doc, 'POLICY_VERSION_INVALID');
    assert.equal(doc.getText(d.range), '"2008-10-17"');
    await vscode.commands.executeCommand('iotAuthz.authoring.setDocumentKind', { uri: doc.uri, kind: 'none' });
    await waitFor(() => ours(doc.uri).length === 0, 5_000, 50, 'diagnostics cleared');
    await vscode.commands.executeCommand('iotAuthz.authoring.setDocumentKind', { uri: doc.uri, kind: 'auto' });
  });

  it('Set Document Kind asks with a quick pick when no kind is given', async () => {
    const doc = await open('authoring/unnamed-policy.json');
    const prompts = await scriptPrompts(['IoT policy']);
    const kind = await vscode.commands.executeCommand('iotAuthz.authoring.setDocumentKind');
    assert.equal(kind, 'policy');
    assert.ok(prompts.asked[0].choices.some((c) => c.includes('IoT policy')));
    await diagnostic(doc, 'POLICY_VERSION_INVALID');
    await vscode.commands.executeCommand('iotAuthz.authoring.setDocumentKind', { uri: doc.uri, kind: 'auto' });
  });

  it('New IoT Policy writes a template that has no errors, asking for the name', async () => {
    await scriptPrompts(['authoring/new/created.iot-policy.json']);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('iotAuthz.authoring.newPolicy');
    assert.ok(uri && uri.path.endsWith('/authoring/new/created.iot-policy.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(JSON.parse(doc.getText()).Version, '2012-10-17');
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(!ours(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'template has no errors');
    await vscode.workspace.fs.delete(uri);
  });

  it('New Authorizer Response and New Authorizer Definition open untitled documents validated by kind', async () => {
    for (const [command, kindCode] of [['iotAuthz.authoring.newResponse', 'RESPONSE_PRINCIPAL_ID_INVALID'], ['iotAuthz.authoring.newAuthorizer', 'AUTHORIZER_NAME_INVALID']] as const) {
      const uri = await vscode.commands.executeCommand<vscode.Uri>(command, { untitled: true });
      assert.equal(uri.scheme, 'untitled');
      const editor = vscode.window.activeTextEditor!;
      const field = kindCode.startsWith('RESPONSE') ? '"principalId": "device123"' : '"authorizerName": "MyAuthorizer"';
      const at = editor.document.getText().indexOf(field);
      assert.ok(at >= 0);
      const valueStart = at + field.indexOf(': ') + 2;
      await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(valueStart), editor.document.positionAt(at + field.length)), '"bad value!"'));
      await diagnostic(editor.document, kindCode);
    }
  });

  it('offers iot: actions as completions inside an Action array (schema via jsonValidation)', async () => {
    const doc = await open('authoring/completion.iot-policy.json');
    const pos = doc.positionAt(doc.getText().indexOf('[""]') + 2);
    const list = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
      const labels = (l?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.some((x) => x.includes('iot:Publish')) ? labels : undefined;
    }, 15_000, 250, 'iot:Publish completion');
    assert.ok(list.some((x) => x.includes('iot:Subscribe')));
  });

  it('diagnostics honour iotAuthz.diagnostics.disabled', async () => {
    const config = vscode.workspace.getConfiguration('iotAuthz.diagnostics');
    await config.update('disabled', ['RESPONSE_PRINCIPAL_ID_INVALID'], vscode.ConfigurationTarget.Workspace);
    try {
      const doc = await open('authoring/bad.authorizer-response.json');
      await diagnostic(doc, 'RESPONSE_TIME_OUT_OF_RANGE');
      await waitFor(() => !ours(doc.uri).some((d) => codeOf(d) === 'RESPONSE_PRINCIPAL_ID_INVALID'), 5_000, 50, 'disabled code gone');
    } finally {
      await config.update('disabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
