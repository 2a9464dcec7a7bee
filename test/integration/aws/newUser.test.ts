// Issue 15: AWS in VS Code as a new user tries it. Each test fails without its fix.
import * as assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeployOutcome } from '../../../src/extension/aws/commands/deploy';
import type { AuthorizerNode } from '../../../src/extension/aws/explorer/authorizerNode';
import type { Prompts } from '../../../src/extension/prompts';
import { getApi, restorePrompts, scriptPrompts, ScriptedPrompts, PromptAnswer, waitFor } from '../helpers';
import { ALLOW_POLICY, AwsFixture, awsSection, HANDLER_JS, startAwsFixture } from './fixture';

/** A signature over another token: valid base64, refused by AWS's signature check. */
const GARBAGE_SIGNATURE = 'bm90IGEgc2lnbmF0dXJlIG9mIHRoaXMgdG9rZW4=';

describe('AWS as a new user tries it (issue 15)', function () {
  this.timeout(90_000);
  let fx: AwsFixture;
  let signature: string;

  before(async () => {
    fx = await startAwsFixture('aws-newuser');
    const { ep } = fx;
    const handler = (e: { token?: string }) => ({ isAuthenticated: e.token === 'allow', principalId: 'itDevice', policyDocuments: [ALLOW_POLICY], refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600 });
    ep.addFunction({ functionName: 'nu-fn', localHandler: handler });
    ep.addFunction({ functionName: 'nu-other-fn', localHandler: handler });
    ep.addAuthorizer({ authorizerName: 'nu-signed', authorizerFunctionArn: ep.functionArn('nu-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: fx.publicPem }, status: 'ACTIVE' });
    ep.addAuthorizer({ authorizerName: 'nu-default', authorizerFunctionArn: ep.functionArn('nu-other-fn'), signingDisabled: true, status: 'ACTIVE' });
    ep.defaultAuthorizerName = 'nu-default';
    signature = sign('RSA-SHA256', Buffer.from('allow'), fx.privateKey).toString('base64');
    fs.mkdirSync(path.join(fx.abs, 'lambda'), { recursive: true });
    fs.writeFileSync(path.join(fx.abs, 'lambda', 'index.js'), HANDLER_JS);
    fs.writeFileSync(
      path.join(fx.abs, 'nu-signed.authorizer.json'),
      JSON.stringify({ authorizerName: 'nu-signed', authorizerFunctionArn: ep.functionArn('nu-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/m.public.pem' } }, status: 'ACTIVE', region: ep.region, account: ep.account, handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler' } }, null, 2),
    );
    await vscode.commands.executeCommand('iotAuthz.aws.connect', { profile: 'it', region: 'us-east-1' });
  });
  after(async () => {
    await restorePrompts();
    await fx.dispose();
  });
  afterEach(restorePrompts);

  /** Scripted prompts that also record, for every question, how many AWS progress notifications were spinning. */
  async function scriptWithProgress(answers: PromptAnswer[]): Promise<ScriptedPrompts & { busyAt: number[] }> {
    const api = await getApi();
    const scripted = await scriptPrompts(answers);
    const inner: Prompts = api.services.prompts;
    const busyAt: number[] = [];
    const wrap = <K extends keyof Prompts>(k: K) => {
      const fn = inner[k] as (...a: unknown[]) => unknown;
      (inner as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
        busyAt.push(api.aws.connection.busy);
        return fn.apply(inner, a);
      };
    };
    for (const k of ['quickPick', 'inputBox', 'confirm', 'warn', 'info', 'error'] as const) wrap(k);
    return Object.assign(scripted, { busyAt });
  }

  async function rendered(): Promise<string> {
    const api = await getApi();
    return (await waitFor(() => (api.results.lastRendered && api.results.lastRendered.seq === api.results.currentSeq ? api.results.lastRendered : undefined), 20_000, 100, 'the panel rendered')).text;
  }

  async function listed(): Promise<AuthorizerNode[]> {
    const api = await getApi();
    api.aws.section.refresh();
    await (await awsSection()).getChildren!();
    return api.aws.section.lastNodes!;
  }

  it('item 1: deploy asks its questions as modals while no progress spins; the permission statement keeps its indentation (item 11)', async () => {
    const rel = `${fx.dir}/deploy-me.authorizer.json`;
    fs.writeFileSync(path.join(fx.abs, 'deploy-me.authorizer.json'), JSON.stringify({ authorizerName: 'nu-deployed', authorizerFunctionArn: fx.ep.functionArn('nu-other-fn'), signingDisabled: true, status: 'ACTIVE' }, null, 2));
    const prompts = await scriptWithProgress([{ kind: 'confirm', answer: 'Create' }, { kind: 'confirm', answer: 'Add Permission' }]);
    const out = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel });
    assert.equal(out?.applied, true);
    assert.deepEqual(out?.permission, { allowed: true, added: true, reason: 'Added statement iot-authz-nu-deployed.' });
    const questions = prompts.asked.map((p, i) => ({ ...p, busy: prompts.busyAt[i] })).filter((p) => p.choices.length);
    assert.deepEqual(questions.map((q) => [q.kind, q.choices.join('|'), q.busy]), [
      ['confirm', 'Create', 0],
      ['confirm', 'Add Permission', 0],
    ]);
    const detail = String((questions[1].options as { detail: string }).detail);
    assert.match(detail, /\n\u00a0\u00a0"Effect": "Allow",/, `the statement keeps its indentation in the dialog: ${detail}`);
    assert.equal(JSON.parse(fx.ep.policyOf('nu-other-fn')!).Statement.length, 1);
  });

  it('item 2: a rejected Test in AWS replaces the earlier result in the panel, scored like the CLI (SIGNATURE_INVALID); no made-up step durations, no "wrote nothing" (item 11)', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('iotAuthz.aws.testInvoke', { authorizerName: 'nu-signed', protocol: 'https', token: 'allow', signature, operations: [] });
    assert.equal(api.results.lastModel?.result.outcome, 'accepted');
    const first = await rendered();
    assert.doesNotMatch(first, /0\.00 ms/);
    assert.doesNotMatch(first, /wrote nothing/);
    await scriptPrompts([]);
    await vscode.commands.executeCommand('iotAuthz.aws.testInvoke', { authorizerName: 'nu-signed', protocol: 'https', token: 'allow', signature: GARBAGE_SIGNATURE, operations: [] });
    const model = api.results.lastModel!;
    assert.equal(model.result.outcome, 'rejected');
    assert.equal(model.result.failure?.code, 'SIGNATURE_INVALID');
    assert.match(String(model.title), /rejected/);
    const text = await rendered();
    assert.match(text, /SIGNATURE_INVALID/);
    assert.doesNotMatch(text, /accepted/i);
  });

  it('item 3: the missing invoke permission shows on the row after listing, without expanding', async () => {
    const nodes = await listed();
    const signed = nodes.find((n) => n.authorizerName === 'nu-signed')!;
    const item = await waitFor(async () => {
      const i = await signed.getTreeItem();
      return /IoT cannot invoke the Lambda/.test(String(i.description)) ? i : undefined;
    }, 15_000, 100, 'the row warns');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(item.contextValue), /noInvoke/);
    // nu-deployed got its permission in item 1's deploy: its row stays clean.
    const fine = nodes.find((n) => n.authorizerName === 'nu-deployed')!;
    await waitFor(() => fine.details, 15_000, 100, 'nu-deployed checked');
    assert.equal((await fine.getTreeItem()).description, 'ACTIVE');
  });

  it('item 7: MQTT Test in AWS asks for the client id (prefilled) and decides iot:Connect for it', async () => {
    const api = await getApi();
    const prompts = await scriptPrompts([
      'MQTT',
      { kind: 'inputBox', answer: 'allow' },
      (items: readonly vscode.QuickPickItem[]) => items.find((i) => /Enter a signature/.test(i.label)),
      { kind: 'inputBox', answer: signature },
      { kind: 'inputBox', answer: 'device-7' },
      { kind: 'inputBox', answer: '' },
    ]);
    await vscode.commands.executeCommand('iotAuthz.aws.testInvoke', 'nu-signed');
    const ask = prompts.asked.find((p) => /client id/i.test(p.message));
    assert.ok(ask, prompts.asked.map((p) => p.message).join('\n'));
    assert.equal((ask.options as vscode.InputBoxOptions).value, 'iot-authz-test');
    const body = JSON.parse(fx.ep.requests.filter((r) => r.operation === 'TestInvokeAuthorizer').at(-1)!.body);
    assert.equal(body.mqttContext.clientId, 'device-7');
    assert.match(String(api.results.lastModel?.result.connect?.resource), /:client\/device-7$/);
  });

  it('item 10: Describe opens a read-only virtual document, not an unsaved Untitled one', async () => {
    await vscode.commands.executeCommand('iotAuthz.aws.describe', { authorizerName: 'nu-signed' });
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme !== 'file' ? vscode.window.activeTextEditor : undefined, 10_000, 50, 'an editor');
    const doc = editor.document;
    assert.notEqual(doc.uri.scheme, 'untitled');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false);
    assert.equal(doc.languageId, 'json');
    assert.equal(JSON.parse(doc.getText()).authorizerName, 'nu-signed');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('item 11: deactivating the default authorizer says it is the default', async () => {
    const prompts = await scriptPrompts([undefined]);
    await vscode.commands.executeCommand('iotAuthz.aws.deactivate', { authorizerName: 'nu-default' });
    const confirm = prompts.asked.find((p) => p.kind === 'confirm')!;
    assert.match(`${confirm.message} ${(confirm.options as { detail: string }).detail}`, /default authorizer/);
    assert.equal(fx.ep.authorizers.get('nu-default')?.status, 'ACTIVE');
  });
  it('items 6 and 8: "Sign with <matching key>", the endpoint stopped mid-way offers Retry with the same inputs; the next run offers the last inputs; Compare from the panel', async () => {
    const api = await getApi();
    const expected = sign('RSA-SHA256', Buffer.from('allow'), fx.privateKey).toString('base64');
    const prompts = await scriptPrompts([
      'HTTPS publish',
      { kind: 'inputBox', answer: 'allow' },
      (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === `Sign with ${fx.privateKeyFile}`),
      { kind: 'inputBox', answer: 'iot:Publish devices/d1/t' },
      { kind: 'error', answer: 'Retry' },
    ]);
    const port = fx.ep.port;
    const inner = api.services.prompts;
    const ask = inner.inputBox.bind(inner);
    const error = inner.error.bind(inner);
    inner.inputBox = async (o) => {
      const answer = await ask(o);
      if (/operations/.test(String(o.title))) await fx.ep.stop(); // the endpoint goes away before the call
      return answer;
    };
    inner.error = async (message, ...actions) => {
      (fx.ep as unknown as { options: { port?: number } }).options.port = port;
      await fx.ep.start(); // back before the user presses Retry
      return error(message, ...actions);
    };
    await vscode.commands.executeCommand('iotAuthz.aws.testInvoke', 'nu-signed');
    const offline = prompts.asked.find((p) => p.kind === 'error');
    assert.ok(offline, prompts.asked.map((p) => `${p.kind} ${p.message}`).join('\n'));
    assert.deepEqual(offline.choices, ['Retry']);
    assert.equal(prompts.asked.filter((p) => /token$/.test(p.message)).length, 1, 'nothing asked twice');
    const body = JSON.parse(fx.ep.requests.filter((r) => r.operation === 'TestInvokeAuthorizer').at(-1)!.body);
    assert.equal(body.tokenSignature, expected, 'signed with the matching workspace key');
    assert.equal(api.results.lastModel?.result.outcome, 'accepted');
    await restorePrompts();

    const again = await scriptPrompts([
      (items: readonly vscode.QuickPickItem[]) => items.find((i) => /last used/.test(String(i.description))),
      { kind: 'inputBox', answer: 'allow' },
      'Use the last signature',
      { kind: 'inputBox', answer: 'iot:Publish devices/d1/t' },
    ]);
    await vscode.commands.executeCommand('iotAuthz.aws.testInvoke', 'nu-signed');
    assert.equal(again.asked[0].choices.length, 3);
    assert.equal((again.asked[1].options as vscode.InputBoxOptions).value, 'allow', 'the last token is offered');
    assert.ok(again.asked[2].choices.includes('Use the last signature'));
    assert.equal((again.asked[3].options as vscode.InputBoxOptions).value, 'iot:Publish devices/d1/t', 'the last operations are offered');
    assert.equal(JSON.parse(fx.ep.requests.filter((r) => r.operation === 'TestInvokeAuthorizer').at(-1)!.body).tokenSignature, expected);
    const state = JSON.stringify(api.services.context.workspaceState.get('iotAuthz.aws.lastTestInputs'));
    assert.doesNotMatch(state, /PRIVATE KEY/);

    await rendered();
    assert.deepEqual(api.results.currentPayload()?.actions, [{ id: 'compare', label: 'Compare with local run' }]);
    const seq = api.results.currentSeq;
    assert.ok(await api.results.clickInWebview('action-compare'));
    await waitFor(() => api.results.currentSeq > seq, 30_000, 100, 'Compare showed its result');
    const model = api.results.lastModel!;
    assert.match(String(model.title), /^nu-signed \(HTTPS\): AWS accepted/);
    if (vscode.workspace.isTrusted) assert.equal(model.compare?.result.outcome, 'accepted');
  });
  it('item 5: Connect to AWS offers a custom endpoint and writes the machine-scoped setting at the user target', async () => {
    const api = await getApi();
    const config = () => vscode.workspace.getConfiguration('iotAuthz.aws');
    const prompts = await scriptPrompts(['Use a custom endpoint (LocalStack, test endpoint)…', { kind: 'inputBox', answer: fx.ep.url }, 'it', 'us-east-1']);
    try {
      assert.deepEqual(await vscode.commands.executeCommand('iotAuthz.aws.connect'), { profile: 'it', region: 'us-east-1' });
      assert.ok(prompts.asked[0].choices.includes('it'));
      assert.equal(config().inspect('endpoint')?.globalValue, fx.ep.url);
      assert.equal(config().inspect('endpoint')?.workspaceValue, undefined);
      assert.equal(api.aws.connection.describe().endpoint, fx.ep.url);
    } finally {
      await config().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    }
  });
  it('item 9: the Doctor report stays open as a read-only document, fixes are the actions, and it refreshes after a fix', async () => {
    const prompts = await scriptPrompts([
      (items: readonly vscode.QuickPickItem[]) => items.find((i) => /permission|invoke/i.test(i.label)),
      'Apply',
      undefined,
    ]);
    await vscode.commands.executeCommand('iotAuthz.aws.doctor', 'nu-signed');
    const fixPick = prompts.asked.find((p) => p.kind === 'quickPick')!;
    assert.ok(fixPick.choices.every((c) => !/^\$\(pass\)/.test(c)), `only fixes are offered: ${fixPick.choices.join(' | ')}`);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'iot-authz-aws' && d.uri.path === '/doctor/nu-signed.md');
    assert.ok(doc, 'the report is open');
    assert.equal(doc.isDirty, false);
    assert.equal(doc.isUntitled, false);
    await waitFor(() => /Fixed: lambda\.permission/.test(doc.getText()), 10_000, 50, 'the report refreshed after the fix');
    assert.doesNotMatch(doc.getText(), /FAIL .*resource policy/);
    assert.match(doc.getText(), /Key 'k1' matches the workspace key aws-newuser\/keys\/m\.p(ublic|rivate)\.pem/, 'full lines, not cut');
    assert.equal(JSON.parse(fx.ep.policyOf('nu-fn')!).Statement.length, 1);
  });
});
