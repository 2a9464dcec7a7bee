import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionResult } from '../../../src/core/emulator/pipeline';
import type { SimulateResult } from '../../../src/core/emulator/simulate';
import { ensureKeyPair } from '../../../src/core/emulator/testcases/keys';
import { loadDefinitionFile } from '../../../src/core/emulator/definition';
import type { EmulatorFeature } from '../../../src/extension/emulator/feature';
import type { SavedTestCase } from '../../../src/extension/emulator/commands/saveAsTestCase';
import type { RunRecord } from '../../../src/extension/emulator/testing/runner';
import type { DefinitionNode } from '../../../src/extension/emulator/explorer/definitionNode';
import type { DefinitionTestFileNode } from '../../../src/extension/emulator/explorer/definitionTestFileNode';
import { fixtureUri, getApi, restorePrompts, scriptPrompts, ScriptedPrompts, waitFor, workspaceFolder } from '../helpers';

const DIR = 'emulator';
/** Workspace state of Run Authorizer Locally: the operations last checked per definition. */
const LAST_OPERATIONS_KEY = 'iotAuthz.emulator.lastOperations';
const MARKER = `${DIR}/markers/handler-ran.marker`;
const TRUST_TEXT = /executes its Lambda handler, which is code from this workspace, so it needs workspace trust/;

async function emulator(): Promise<EmulatorFeature> {
  const api = await getApi();
  assert.ok(api.emulator, 'activate() returns { emulator }');
  return api.emulator;
}

function markerPath(): string {
  return fixtureUri(MARKER).fsPath;
}

/** The case items of a test file, once discovered. */
async function caseItems(rel: string, count: number): Promise<vscode.TestItem[]> {
  const f = await emulator();
  return waitFor(() => {
    const items = f.tests.caseItems(fixtureUri(rel));
    return items.length === count ? items : undefined;
  }, 20_000, 100, `${count} case items of ${rel}`);
}

/** Runs a request through the Run profile's runHandler (what the Test Explorer calls) and returns what it reported. */
async function runThroughProfile(include: vscode.TestItem[] | undefined, token = new vscode.CancellationTokenSource().token): Promise<RunRecord> {
  const f = await emulator();
  const before = f.tests.runs.length ? f.tests.runs[f.tests.runs.length - 1].id : 0;
  await f.tests.runProfile.runHandler(new vscode.TestRunRequest(include, undefined, f.tests.runProfile), token);
  const record = f.tests.runs[f.tests.runs.length - 1];
  assert.ok(record && record.id > before && record.ended, 'the run handler made and ended a test run');
  return record;
}

function finalStates(record: RunRecord): Map<string, RunRecord['reports'][number]> {
  const out = new Map<string, RunRecord['reports'][number]>();
  for (const r of record.reports) if (!['enqueued', 'started'].includes(r.state)) out.set(r.id, r);
  return out;
}

async function generateFixtureKey(): Promise<string> {
  const def = loadDefinitionFile(fixtureUri(`${DIR}/local.authorizer.json`).fsPath, { workspaceRoot: workspaceFolder().uri.fsPath });
  const keyPath = fixtureUri(`${DIR}/keys/emu.private.pem`).fsPath;
  await ensureKeyPair(keyPath, def);
  return keyPath;
}

describe('Emulator: Test Explorer, Run Authorizer Locally, Simulate Policy Decision', function () {
  this.timeout(120_000);
  afterEach(restorePrompts);

  it('discovers every *.authz-test.json as a file item with a child per case, each with its range', async () => {
    const f = await emulator();
    assert.equal(f.tests.controller.id, 'iotAuthz.tests');
    assert.equal(f.tests.controller.label, 'IoT Authorizer tests');
    const items = await caseItems(`${DIR}/local.authz-test.json`, 4);
    const file = f.tests.fileItem(fixtureUri(`${DIR}/local.authz-test.json`));
    assert.ok(file && f.tests.controller.items.get(file.id) === file, 'the file item is a root of controller.items');
    assert.deepEqual(items.map((i) => i.label), [
      'signed token may publish under emu/',
      'MQTT client connects and publishes',
      'an unknown token is not authenticated',
      'a garbage signature is rejected before the Lambda',
    ]);
    const doc = await vscode.workspace.openTextDocument(fixtureUri(`${DIR}/local.authz-test.json`));
    for (const item of items) {
      assert.ok(item.range, `${item.label} has a range`);
      const text = doc.getText(item.range);
      assert.ok(text.startsWith('{') && text.endsWith('}') && text.includes(JSON.stringify(item.label)), `the range is the case object: ${text}`);
    }
    // The protocol is a tag, not the description: the Testing view reads a description as the row's accessible name.
    assert.equal(items[1].description, undefined);
    assert.deepEqual(items[1].tags.map((t) => t.id), ['mqtt']);
    assert.deepEqual(items[0].tags.map((t) => t.id), ['https']);
    assert.equal(f.tests.runProfile.isDefault, true);
    assert.equal(f.tests.runProfile.supportsContinuousRun, true);
    assert.equal(f.tests.runProfile.kind, vscode.TestRunProfileKind.Run);
  });

  it('runs the cases through the Run profile: all pass, with durations and the Lambda log in the output', async () => {
    const f = await emulator();
    const items = await caseItems(`${DIR}/local.authz-test.json`, 4);
    const file = f.tests.fileItem(fixtureUri(`${DIR}/local.authz-test.json`))!;
    const record = await runThroughProfile([file]);
    const states = finalStates(record);
    for (const item of items) {
      const s = states.get(item.id);
      assert.equal(s?.state, 'passed', `${item.label}: ${JSON.stringify(s)}`);
      assert.ok(typeof s?.durationMs === 'number' && s.durationMs > 0, 'a duration is reported');
    }
    assert.ok(record.reports.filter((r) => r.state === 'started').length === 4);
    assert.match(record.output, /emulator fixture handler: token "allow-me", protocols tls\+http\r\n/);
    assert.ok(!/[^\r]\n/.test(record.output), 'every line ends with CRLF');
    assert.match(record.output, /Generated emulator\/keys\/emu\.(private|public)\.pem/, 'the missing key pair was generated at run time');
    assert.ok(fs.existsSync(markerPath()), 'the handler ran');
    // Passing cases' output stays in the run's output: nothing is attached to a place in the editor.
    assert.deepEqual(record.locatedOutput, [], 'no output at a location for passing cases');
    const last = f.tests.lastResults.get(items[0].id);
    assert.equal(last?.result.result?.outcome, 'accepted');
  });

  it('a case with a wrong expectation fails with a message saying which expectation and why, at the case', async () => {
    const f = await emulator();
    const [item] = await caseItems(`${DIR}/failing.authz-test.json`, 1);
    const record = await runThroughProfile([item]);
    const s = finalStates(record).get(item.id);
    assert.equal(s?.state, 'failed');
    assert.equal(s.messages?.length, 1);
    const m = s.messages[0];
    assert.equal(m.message, '"deliberately wrong principal": expected principalId "someoneElse", got "emuDevice"');
    assert.deepEqual(JSON.parse(m.expectedOutput!), { authenticated: true, principalId: 'someoneElse' });
    assert.deepEqual(JSON.parse(m.actualOutput!), { authenticated: true, principalId: 'emuDevice' });
    assert.equal(m.location?.uri, fixtureUri(`${DIR}/failing.authz-test.json`).toString());
    assert.equal(m.location?.startLine, item.range!.start.line);
    // A failing case's output is shown at the case.
    assert.ok(record.locatedOutput.some((o) => o.line === item.range!.start.line && /^FAIL deliberately wrong principal/.test(o.text)), JSON.stringify(record.locatedOutput));

    // Show Result (the item's context menu) shows that case's ConnectionResult in the results panel.
    await scriptPrompts([]);
    const shown = await vscode.commands.executeCommand<boolean>('iotAuthz.emulator.showTestResult', item);
    assert.equal(shown, true);
    assert.equal(f.results.lastModel?.result.principalId, 'emuDevice');
    assert.match(f.results.lastModel?.title ?? '', /deliberately wrong principal.*failed/);
  });

  it('running everything (no include) runs every discovered case; cancellation skips what is left', async () => {
    const f = await emulator();
    await caseItems(`${DIR}/local.authz-test.json`, 4);
    const all = await runThroughProfile(undefined);
    const states = finalStates(all);
    const ids = [...f.tests.caseItems(fixtureUri(`${DIR}/local.authz-test.json`)), ...f.tests.caseItems(fixtureUri(`${DIR}/failing.authz-test.json`))].map((i) => i.id);
    for (const id of ids) assert.ok(states.has(id), `${id} was run`);

    const cts = new vscode.CancellationTokenSource();
    cts.cancel();
    const cancelled = await runThroughProfile(undefined, cts.token);
    assert.ok(cancelled.cancelled);
    assert.ok([...finalStates(cancelled).values()].every((r) => r.state === 'skipped'), 'a cancelled run runs nothing');
  });

  it('continuous run: changing the handler re-runs the cases that use it, until the run is cancelled', async () => {
    const f = await emulator();
    const items = await caseItems(`${DIR}/local.authz-test.json`, 4);
    const file = f.tests.fileItem(fixtureUri(`${DIR}/local.authz-test.json`))!;
    const cts = new vscode.CancellationTokenSource();
    await f.tests.runProfile.runHandler(new vscode.TestRunRequest([file], undefined, f.tests.runProfile, true), cts.token);
    assert.equal(f.tests.continuousWatches, 1);
    const handler = fixtureUri(`${DIR}/lambda/index.js`).fsPath;
    const original = fs.readFileSync(handler, 'utf8');
    try {
      const seen = f.tests.runs.length ? f.tests.runs[f.tests.runs.length - 1].id : 0;
      const next = new Promise<RunRecord>((resolve) => {
        const sub = f.tests.onDidEndRun((r) => {
          if (r.id > seen && r.continuous) {
            sub.dispose();
            resolve(r);
          }
        });
      });
      fs.writeFileSync(handler, `${original}\n// touched by the continuous-run test\n`);
      const record = await Promise.race([next, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000))]);
      assert.ok(record, 'a continuous run started after the handler changed');
      assert.match(record.name ?? '', /lambda\/index\.js changed/);
      const states = finalStates(record);
      for (const item of items) assert.equal(states.get(item.id)?.state, 'passed', item.label);
      const failing = f.tests.caseItems(fixtureUri(`${DIR}/failing.authz-test.json`))[0];
      assert.ok(!states.has(failing.id), 'only the watched items re-run');
    } finally {
      cts.cancel();
      fs.writeFileSync(handler, original);
    }
    assert.equal(f.tests.continuousWatches, 0, 'cancelling ends the continuous run');
    const count = f.tests.runs.length;
    fs.appendFileSync(fixtureUri(`${DIR}/local.authorizer.json`).fsPath, '\n');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(f.tests.runs.length, count, 'no run after the continuous run was cancelled');
  });

  it('editing an open test file updates the items; a new test file appears', async () => {
    const f = await emulator();
    const rel = `${DIR}/scratch.authz-test.json`;
    const uri = fixtureUri(rel);
    fs.writeFileSync(uri.fsPath, JSON.stringify({ authorizer: 'local.authorizer.json', cases: [{ name: 'first', expect: { authenticated: false } }] }, null, 2));
    try {
      await caseItems(rel, 1);
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const text = doc.getText().replace('"name": "first"', '"name": "renamed"');
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text));
      await waitFor(() => f.tests.caseItems(uri)[0]?.label === 'renamed', 10_000, 50, 'item renamed from the unsaved document');

      // Diagnostics for the test file, from the core validator.
      const bad = doc.getText().replace('"authenticated": false', '"authenticated": "no"');
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), bad));
      const diags = await waitFor(() => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'IoT Authorizer');
        return d.length ? d : undefined;
      }, 10_000, 50, 'test-file diagnostics');
      assert.ok(diags.some((d) => typeof d.code === 'object' && d.code.value === 'TEST_FIELD_TYPE' && /"authenticated" must be true or false/.test(d.message)), JSON.stringify(diags.map((d) => d.message)));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
    await waitFor(() => !f.tests.fileItem(uri), 10_000, 50, 'file item removed after delete');
  });

  it('Run Authorizer Locally with an argument object signs with the workspace key, returns an accepted result and shows the panel', async () => {
    const f = await emulator();
    const keyPath = await generateFixtureKey();
    await scriptPrompts([]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', {
      definition: `${DIR}/local.authorizer.json`,
      protocol: 'mqtt',
      token: 'allow-me',
      signWithKey: keyPath,
      clientId: 'adhoc-client',
      username: '',
      password: '',
      operations: 'iot:Publish emu/adhoc; iot:Publish elsewhere/x',
    });
    assert.ok(result, 'a result is returned');
    assert.equal(result.outcome, 'accepted', result.summary);
    assert.equal(result.signature.valid, true);
    assert.equal(result.signature.keyName, 'FixtureKey');
    assert.equal(result.principalId, 'emuDevice');
    assert.deepEqual(result.decisions.map((d) => d.decision), ['allow', 'deny']);
    const model = f.results.lastModel;
    assert.ok(model && model.result === result, 'the result is shown in the results panel');
    assert.equal(model.source, 'local');
    assert.equal(f.results.isOpen, true);
    await waitFor(() => (f.results.lastRendered?.seq === f.results.currentSeq ? f.results.lastRendered : undefined), 30_000, 50, 'panel rendered');
    assert.match(f.results.lastRendered!.text, /emuDevice/);
  });

  it('Run Authorizer Locally asks for what is missing and offers the matching workspace key first', async () => {
    await generateFixtureKey();
    const prompts = await scriptPrompts([
      'HTTPS', // protocol
      'allow-me', // token
      (items: readonly vscode.QuickPickItem[]) => items[0], // the matching key
      'iot:Publish emu/one', // operations
    ]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', { definition: `${DIR}/local.authorizer.json`, showResult: false });
    assert.ok(result);
    assert.equal(result.outcome, 'accepted', result.summary);
    const keyPick = prompts.asked.find((p) => p.kind === 'quickPick' && /signature/.test(p.message));
    assert.ok(keyPick, 'the signature was asked');
    assert.match(keyPick.choices[0], /Sign with emu/);
    assert.deepEqual(result.decisions.map((d) => [d.input, d.decision]), [['emu/one', 'allow']]);
  });

  it('"Open as test case" on a local run saves a real *.authz-test.json case that runs and passes', async () => {
    const f = await emulator();
    const keyPath = await generateFixtureKey();
    await scriptPrompts([]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', {
      definition: `${DIR}/local.authorizer.json`,
      protocol: 'https',
      token: 'allow-me',
      signWithKey: keyPath,
      operations: ['iot:Publish emu/saved', 'iot:Publish not/allowed'],
    });
    assert.equal(result?.outcome, 'accepted');
    const rel = `${DIR}/saved/adhoc.authz-test.json`;
    const saved = await vscode.commands.executeCommand<SavedTestCase>('iotAuthz.emulator.saveAsTestCase', { file: rel, name: 'saved from the panel' });
    assert.ok(saved);
    const doc = JSON.parse(fs.readFileSync(fixtureUri(rel).fsPath, 'utf8'));
    assert.equal(doc.authorizer, '../local.authorizer.json');
    assert.deepEqual(doc.cases[0].signature, { signWithKey: '../keys/emu.private.pem' }, 'the case signs at run time with the same key');
    assert.deepEqual(doc.cases[0].expect.allowed, ['iot:Publish emu/saved']);
    assert.deepEqual(doc.cases[0].expect.denied, ['iot:Publish not/allowed']);
    const [item] = await caseItems(rel, 1);
    assert.equal(item.label, 'saved from the panel');
    const record = await runThroughProfile([item]);
    assert.equal(finalStates(record).get(item.id)?.state, 'passed', JSON.stringify(finalStates(record).get(item.id)));

    // The panel's own button goes through the handler registered by the emulator (here: "Create/Add to" picked).
    const target = fixtureUri(`${DIR}/local.authz-test.json`);
    const original = fs.readFileSync(target.fsPath, 'utf8');
    try {
      const prompts = await scriptPrompts([0]);
      const before = f.tests.caseItems(target).length;
      await f.results.handleMessage({ type: 'openAsTestCase' });
      assert.match(prompts.asked[0]?.choices[0] ?? '', /Add to local\.authz-test\.json/);
      await waitFor(() => f.tests.caseItems(target).length === before + 1, 10_000, 50, 'case added next to the definition');
      const added = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')).cases[before];
      assert.equal(added.authorizer, undefined, 'the file already names the definition');
      assert.deepEqual(added.signature, { signWithKey: 'keys/emu.private.pem' });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.writeFileSync(target.fsPath, original);
    }
    await waitFor(() => f.tests.caseItems(target).length === 4, 10_000, 50, 'restored');
  });

  it('Run Authorizer Locally suggests the test cases\' operations, then the last ones used, else the setting', async () => {
    const f = await emulator();
    const keyPath = await generateFixtureKey();
    const local = fixtureUri(`${DIR}/local.authorizer.json`);
    const dev = fixtureUri('authoring/dev.authorizer.json');
    await f.services.context.workspaceState.update(LAST_OPERATIONS_KEY, undefined);
    const suggested = (prompts: ScriptedPrompts) => {
      const ask = prompts.asked.find((p) => p.kind === 'inputBox' && /operations to check/.test(p.message));
      assert.ok(ask, 'the operations were asked');
      return (ask.options as vscode.InputBoxOptions).value;
    };
    const run = { definition: local, protocol: 'https', token: 'allow-me', signWithKey: keyPath, showResult: false };
    // 1. Nothing run yet: the first case of local.authz-test.json that lists operations (allowed, then denied).
    let prompts = await scriptPrompts(['iot:Publish emu/chosen']);
    let result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', run);
    assert.equal(suggested(prompts), 'iot:Publish emu/telemetry; iot:Publish other/topic');
    assert.deepEqual(result?.decisions.map((d) => [d.input, d.decision]), [['emu/chosen', 'allow']]);
    // 2. The operations last checked with this definition.
    prompts = await scriptPrompts(['iot:Publish emu/chosen']);
    result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', run);
    assert.equal(suggested(prompts), 'iot:Publish emu/chosen');
    assert.equal(result?.outcome, 'accepted');
    // 3. A definition no test case names and never run: the setting.
    const setting = vscode.workspace.getConfiguration('iotAuthz.emulator', dev).get<string[]>('defaultOperations');
    assert.ok(setting?.length, 'the setting has a default');
    prompts = await scriptPrompts([undefined]);
    const cancelled = await vscode.commands.executeCommand('iotAuthz.emulator.runLocally', { definition: dev, protocol: 'https', token: 't', signature: 'c2ln' });
    assert.equal(cancelled, undefined, 'cancelled at the operations box');
    assert.equal(suggested(prompts), setting.join('; '));
    await f.services.context.workspaceState.update(LAST_OPERATIONS_KEY, undefined);
  });

  it('the explorer\'s Workspace authorizers section lists the definitions with their test files, and its Run action runs one', async () => {
    const f = await emulator();
    const api = await getApi();
    const section = api.services.explorer.getSections().find((s) => s === f.authorizers);
    assert.ok(section, 'the section is registered with the explorer');
    assert.ok(section.order > 10 && section.order < 40, 'between Workspace keys (10) and AWS (40)');
    assert.ok((await api.services.explorer.getChildren()).includes(section), 'shown at the root');
    const sectionItem = await section.getTreeItem();
    assert.equal(sectionItem.label, 'Workspace authorizers');
    await f.tests.discover();
    const nodes = (await section.getChildren!()) as DefinitionNode[];
    const local = nodes.find((n) => n.fileUri.fsPath === fixtureUri(`${DIR}/local.authorizer.json`).fsPath);
    assert.ok(local, `the fixture definition is listed: ${nodes.map((n) => n.definition.name).join(', ')}`);
    const item = await local.getTreeItem();
    assert.equal(item.label, 'emulator-fixture-authorizer');
    assert.equal(item.description, 'nodejs · signing on');
    assert.equal(item.contextValue, 'workspaceAuthorizer.runnable');
    const children = (await local.getChildren()) as DefinitionTestFileNode[];
    const rows = await Promise.all(children.map(async (c) => { const t = await c.getTreeItem(); return `${String(t.label)} ${String(t.description)}`; }));
    // (Earlier tests may have saved more test files for this definition.)
    for (const row of [`${DIR}/failing.authz-test.json 1 case`, `${DIR}/local.authz-test.json 4 cases`]) assert.ok(rows.includes(row), `${row} in ${JSON.stringify(rows)}`);
    assert.ok(!rows.some((r) => r.startsWith('authoring/')), 'only the test files that name this definition');
    assert.ok(nodes.some((n) => n.definition.name === 'DevAuthorizer'), 'the authoring fixture definition too');

    // The context menu passes the node: Run Authorizer Locally runs that definition.
    await generateFixtureKey();
    await scriptPrompts(['HTTPS', 'allow-me', (items: readonly vscode.QuickPickItem[]) => items[0], 'iot:Publish emu/from-explorer']);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', local);
    assert.ok(result, 'a result is returned');
    assert.equal(result.outcome, 'accepted', result.summary);
    assert.equal(result.authorizerName, 'emulator-fixture-authorizer');
    assert.deepEqual(result.decisions.map((d) => [d.input, d.decision]), [['emu/from-explorer', 'allow']]);
    await f.services.context.workspaceState.update(LAST_OPERATIONS_KEY, undefined);

    // A new definition appears after the file watcher reports it; deleting it removes it again.
    const extra = fixtureUri(`${DIR}/extra.authorizer.json`);
    fs.writeFileSync(extra.fsPath, JSON.stringify({ authorizerName: 'extra-authorizer', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:x', signingDisabled: true }));
    try {
      const added = await waitFor(async () => ((await section.getChildren!()) as DefinitionNode[]).find((n) => n.definition.name === 'extra-authorizer'), 15_000, 100, 'the new definition is listed');
      assert.equal((await added.getTreeItem()).description, 'no handler · signing off');
      assert.equal(added.contextValue, 'workspaceAuthorizer.noHandler');
    } finally {
      fs.rmSync(extra.fsPath, { force: true });
    }
    await waitFor(async () => !((await section.getChildren!()) as DefinitionNode[]).some((n) => n.definition.name === 'extra-authorizer'), 15_000, 100, 'the deleted definition is gone');
  });

  it('Simulate Policy Decision shows the decision and selects the deciding statement', async () => {
    const uri = fixtureUri(`${DIR}/deny-admin.iot-policy.json`);
    const prompts = await scriptPrompts([]);
    const r = await vscode.commands.executeCommand<SimulateResult>('iotAuthz.emulator.simulatePolicy', { uri, action: 'iot:Publish', resource: 'devices/admin', clientId: '' });
    assert.ok(r);
    assert.equal(r.decision, 'deny');
    assert.equal(r.decidedBy?.sid, 'NoAdmin');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.match(editor!.document.getText(editor!.selection), /^\{\s*"Sid": "NoAdmin"/);
    assert.ok(prompts.asked.some((p) => p.kind === 'warn' && /^DENIED: iot:Publish on arn:aws:iot:us-east-1:123456789012:topic\/devices\/admin is denied explicitly/.test(p.message)));

    await scriptPrompts(['iot:Publish', 'devices/d1/telemetry', '']);
    const allowed = await vscode.commands.executeCommand<SimulateResult>('iotAuthz.emulator.simulatePolicy', {});
    assert.equal(allowed?.decision, 'allow');
    assert.equal(allowed?.decidedBy?.sid, 'PublishOwn');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('Emulator [restricted]: nothing runs the handler without workspace trust', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);
  before(() => fs.rmSync(markerPath(), { force: true }));

  it('the workspace is not trusted in this pass', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('test items are still discovered (reading JSON runs nothing)', async () => {
    await caseItems(`${DIR}/local.authz-test.json`, 4);
  });

  it('a test run reports each case as errored with the trust message, and the handler did not run', async () => {
    const items = await caseItems(`${DIR}/local.authz-test.json`, 4);
    const record = await runThroughProfile(undefined);
    const states = finalStates(record);
    for (const item of items) {
      const s = states.get(item.id);
      assert.equal(s?.state, 'errored', item.label);
      assert.match(s.messages?.[0]?.message ?? '', TRUST_TEXT);
    }
    assert.equal(record.reports.filter((r) => r.state === 'started').length, 0, 'no case was started');
    assert.equal(fs.existsSync(markerPath()), false, 'the handler was not executed');
  });

  it('Run Authorizer Locally refuses with the trust message and a Manage Workspace Trust action, and returns undefined', async () => {
    const prompts = await scriptPrompts([undefined]); // the message is dismissed
    const result = await vscode.commands.executeCommand('iotAuthz.emulator.runLocally', {
      definition: `${DIR}/local.authorizer.json`,
      protocol: 'https',
      token: 'allow-me',
      signature: 'bm90IGEgc2lnbmF0dXJl',
      operations: [],
    });
    assert.equal(result, undefined);
    const warn = prompts.asked.find((p) => p.kind === 'warn');
    assert.ok(warn, 'a message explains the refusal');
    assert.match(warn.message, TRUST_TEXT);
    assert.deepEqual(warn.choices, ['Manage Workspace Trust']);
    assert.equal(fs.existsSync(markerPath()), false, 'the handler was not executed');
  });

  it('Simulate Policy Decision (no code runs) works in Restricted Mode', async () => {
    await scriptPrompts([]);
    const r = await vscode.commands.executeCommand<SimulateResult>('iotAuthz.emulator.simulatePolicy', { uri: fixtureUri(`${DIR}/deny-admin.iot-policy.json`), action: 'iot:Publish', resource: 'devices/x', clientId: '' });
    assert.equal(r?.decision, 'allow');
    assert.ok(path.isAbsolute(markerPath()));
  });
});
