import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedReport, ResultsPanelService } from '../../../src/extension/panels/resultsPanel';
import type { ResultsModel } from '../../../src/extension/panels/model';
import { getApi, restorePrompts, scriptPrompts, waitFor } from '../helpers';
import {
  ACCEPTED_INPUT,
  BAD_SIGNATURE_INPUT,
  CORRECTED,
  PUBLISH_ALLOW_REASON,
  PUBLISH_ALLOW_SHOWN,
  PUBLISH_DENY_SHOWN,
  SIGNATURE,
  SIGNATURE_MESSAGE,
  TOKEN,
  acceptedResult,
  awsResult,
  signatureFailedResult,
} from './fixtures';

const VIEW_TYPE = 'iotAuthz.results';

async function service(): Promise<ResultsPanelService> {
  const api = await getApi();
  assert.ok(api.results, 'activate() returns { results }');
  return api.results;
}

/** Shows a model and waits until the webview reports having rendered it. */
async function showAndRender(model: ResultsModel): Promise<RenderedReport> {
  const results = await service();
  await results.show(model);
  const seq = results.currentSeq;
  return waitFor(() => (results.lastRendered?.seq === seq ? results.lastRendered : undefined), 30_000, 50, `webview rendered show #${seq}`);
}

/** Waits for the webview's next report after `action` (a click inside it). */
async function afterClick(id: string, predicate: (r: RenderedReport) => boolean): Promise<RenderedReport> {
  const results = await service();
  assert.equal(await results.clickInWebview(id), true, `postMessage click ${id}`);
  return waitFor(() => (results.lastRendered && predicate(results.lastRendered) ? results.lastRendered : undefined), 10_000, 50, `report after clicking #${id}`);
}

function resultTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && (t.input.viewType === VIEW_TYPE || t.input.viewType.endsWith(`-${VIEW_TYPE}`)));
}

/** Runs `fn` with no registered "Open as test case" handler (the built-in skeleton), then puts the emulator's back. */
async function withoutHandler(fn: () => Promise<void>): Promise<void> {
  const results = await service();
  const saved = results.openAsTestCaseHandler;
  const reg = results.setOpenAsTestCaseHandler(undefined);
  try {
    await fn();
  } finally {
    reg.dispose();
    assert.equal(results.openAsTestCaseHandler, saved, 'disposing restores the handler registered before');
  }
}

const acceptedModel = (): ResultsModel => ({ source: 'local', result: acceptedResult(), input: ACCEPTED_INPUT, authorizerFile: 'authorizers/my.authorizer.json' });
const failedModel = (): ResultsModel => ({ source: 'local', result: signatureFailedResult(), input: BAD_SIGNATURE_INPUT, authorizerFile: 'authorizers/my.authorizer.json' });

describe('Results panel', function () {
  this.timeout(90_000);
  afterEach(restorePrompts);
  after(async () => {
    (await service()).close();
  });

  it('renders an accepted connection: outcome, chain, decisions and the highlighted deciding statement', async () => {
    const r = await showAndRender(acceptedModel());
    const t = r.text;
    for (const s of [
      'Local emulator',
      'Accepted',
      'Accepted: authenticated as device42; 1/2 operation(s) allowed.',
      'mqtt',
      'my-authorizer',
      'device42',
      '97 ms',
      'The signature verifies with key "key-2025".',
      'Matched key: key-2025',
      'checking token for device-42', // handler log, stdout
      'warning: token expires in 40 seconds', // handler log, stderr
      'RESPONSE_REFRESH_SHORT',
      'refreshAfterInSeconds is 300: devices re-authorise every 5 minutes.',
      PUBLISH_ALLOW_SHOWN,
      PUBLISH_DENY_SHOWN,
      'policy document #1, statement #2 (Sid PublishOwnTopics), Allow',
      'Policy document #2',
      '"Sid": "NoAdmin"',
      'Open as test case',
      'Copy event',
    ]) {
      assert.ok(t.includes(s), `rendered text contains ${JSON.stringify(s)}\n---\n${t.slice(0, 3000)}`);
    }
    assert.ok(!t.includes('Rejected'), 'no rejection shown');
    // The operation column: action and short resource (the full ARN is its title); the reason does not
    // repeat the operation or the deciding statement, which have their own columns.
    assert.match(t, /iot:Publish topic\/devices\/device-42\/telemetry\s+✓ Allow\s+Allowed: matches Resource/);
    assert.match(t, /iot:Connect client\/device-42\s+✓ Allow/);
    assert.ok(!t.includes('statement #2 (Sid PublishOwnTopics) of policy document #1'), 'the deciding statement is not repeated in the reason');
    assert.ok(!t.includes(PUBLISH_ALLOW_REASON), 'the evaluator\'s full sentence is not shown in the table');
    const texts = (await service()).currentPayload()?.decisionTexts;
    assert.deepEqual(texts?.decisions.map((d) => d.resource), ['topic/devices/device-42/telemetry', 'topic/admin/reboot']);
    // stdout and stderr are told apart (a label on each line, not only a colour).
    assert.match(t, /stderr\s+warning: token expires in 40 seconds/);
    assert.match(t, /stdout\s+checking token for device-42/);
    // The selected decision (the first operation) highlights statement 1 of document 0, exactly that block.
    assert.deepEqual(r.highlighted, ['stmt-0-1']);
    assert.deepEqual([...r.deciding].sort(), ['stmt-0-0', 'stmt-0-1', 'stmt-1-0']);
    assert.match(t, /▶ Highlighted: Deciding statement for iot:Publish devices\/device-42\/telemetry \(allow\)/);
    // Raw event and response are collapsed: the event's connection id is not visible until opened.
    assert.ok(!t.includes('8b0a6b5e-3f1e-4f55-9f0e-0c1d2e3f4a5b') || t.includes('Connection id'), 'raw event collapsed');
  });

  it('has a strict Content-Security-Policy with a script nonce and no unsafe-inline', async () => {
    const r = await showAndRender(acceptedModel());
    const csp = r.csp;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
    const styleSrc = /(?:^|;\s*)style-src ([^;]*)/.exec(csp)?.[1];
    assert.ok(styleSrc, `a style-src directive in ${csp}`);
    assert.ok(!styleSrc.includes('unsafe') && !styleSrc.includes('nonce') && !/\bhttps?:\s|\*(\s|$)/.test(styleSrc), `styles only from the webview resource origin: ${styleSrc}`);
    assert.ok(!csp.includes('unsafe-inline'), csp);
    assert.ok(!csp.includes('unsafe-eval'), csp);
    // Nothing but the result crosses into the webview, and no private key material.
    const payload = JSON.stringify((await service()).currentPayload());
    assert.ok(!/PRIVATE KEY/.test(payload));
    assert.ok(!payload.includes('hunter2'), 'the MQTT password is only in the event, base64 (as IoT Core sends it)');
  });

  it('clicking a decision highlights the statement that decided it', async () => {
    await showAndRender(acceptedModel());
    let r = await afterClick('dec-op-1', (x) => x.highlighted[0] === 'stmt-1-0');
    assert.deepEqual(r.highlighted, ['stmt-1-0']);
    assert.match(r.text, /▶ Highlighted: Deciding statement for iot:Publish admin\/reboot \(deny\)/);
    r = await afterClick('dec-connect', (x) => x.highlighted[0] === 'stmt-0-0');
    assert.deepEqual(r.highlighted, ['stmt-0-0']);
    r = await afterClick('dec-op-0', (x) => x.highlighted[0] === 'stmt-0-1');
    assert.deepEqual(r.highlighted, ['stmt-0-1']);
  });

  it('a second show replaces the content in the same panel: a run rejected at the signature step', async () => {
    const results = await service();
    await showAndRender(acceptedModel());
    const created = results.panelsCreated;
    assert.equal(resultTabs().length, 1, 'one results tab');
    const r = await showAndRender(failedModel());
    assert.equal(results.panelsCreated, created, 'no new panel');
    assert.equal(resultTabs().length, 1, 'still one results tab');
    assert.equal(resultTabs()[0].label, 'my-authorizer: rejected');
    const t = r.text;
    for (const s of ['Rejected', 'SIGNATURE_INVALID', SIGNATURE_MESSAGE, 'SIGNATURE_OVER_NEWLINE', 'Corrected signature', CORRECTED, 'Copy corrected signature', '– skipped Event', '– skipped Operations']) {
      assert.ok(t.includes(s), `rendered text contains ${JSON.stringify(s)}\n---\n${t.slice(0, 3000)}`);
    }
    assert.ok(!t.includes('Accepted'), 'the previous result is gone');
    assert.ok(!t.includes(PUBLISH_ALLOW_SHOWN), 'the previous decisions are gone');
    assert.deepEqual(r.highlighted, []);
  });

  it('copy buttons copy through the extension: event, corrected signature, log', async () => {
    const results = await service();
    const prompts = await scriptPrompts([]);
    const copies: Array<{ what: string; text: string }> = [];
    const sub = results.onDidCopy((c) => copies.push(c));
    try {
      await showAndRender(failedModel());
      await results.clickInWebview('copy-correctedSignature');
      await waitFor(() => copies.length === 1, 10_000, 50, 'copy of the corrected signature');
      assert.deepEqual(copies[0], { what: 'correctedSignature', text: CORRECTED });
      assert.equal(await vscode.env.clipboard.readText(), CORRECTED, 'vscode.env.clipboard has the corrected signature');
      await results.clickInWebview('copy-signature');
      await waitFor(() => copies.length === 2, 10_000, 50, 'copy of the signature');
      assert.deepEqual(copies[1], { what: 'signature', text: SIGNATURE });

      const accepted = acceptedModel();
      await showAndRender(accepted);
      await results.clickInWebview('copy-event');
      await waitFor(() => copies.length === 3, 10_000, 50, 'copy of the event');
      assert.equal(copies[2].text, JSON.stringify(accepted.result.event, null, 2));
      assert.equal(await vscode.env.clipboard.readText(), copies[2].text, 'vscode.env.clipboard has the event');
      await results.clickInWebview('copy-log');
      await waitFor(() => copies.length === 4, 10_000, 50, 'copy of the log');
      assert.equal(copies[3].text, accepted.result.logText);
      assert.ok(prompts.asked.some((p) => p.kind === 'info' && p.message === 'Copied the handler log to the clipboard.'));
    } finally {
      sub.dispose();
    }
  });

  it('"Open as test case" opens an untitled JSON test case built from the result', () => withoutHandler(async () => {
    const results = await service();
    await showAndRender(acceptedModel());
    const before = new Set(vscode.workspace.textDocuments);
    await results.clickInWebview('open-test-case');
    const doc = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => !before.has(d) && d.isUntitled && d.languageId === 'json'),
      10_000,
      50,
      'untitled test case document',
    );
    const tc = JSON.parse(doc.getText());
    assert.deepEqual(tc, {
      name: 'my-authorizer mqtt accepted as device42',
      authorizer: 'authorizers/my.authorizer.json',
      protocol: 'mqtt',
      token: TOKEN,
      signature: SIGNATURE,
      clientId: 'device-42',
      password: 'hunter2',
      expect: {
        signatureValid: true,
        authenticated: true,
        principalId: 'device42',
        connected: true,
        allowed: [{ action: 'iot:Publish', resource: 'devices/device-42/telemetry' }],
        denied: [{ action: 'iot:Publish', resource: 'admin/reboot' }],
      },
    });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }));

  it('"Open as test case" without the device input recovers token, signature and client from the event', () => withoutHandler(async () => {
    const results = await service();
    await showAndRender({ source: 'local', result: acceptedResult() });
    const before = new Set(vscode.workspace.textDocuments);
    await results.clickInWebview('open-test-case');
    const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => !before.has(d) && d.isUntitled), 10_000, 50, 'untitled test case');
    const tc = JSON.parse(doc.getText());
    assert.equal(tc.authorizer, 'my-authorizer.authorizer.json');
    assert.equal(tc.token, TOKEN);
    assert.equal(tc.signature, SIGNATURE);
    assert.equal(tc.clientId, 'device-42');
    assert.equal(tc.passwordBase64, Buffer.from('hunter2').toString('base64'));
    assert.equal(tc.username, undefined, 'the generated MQTT username is rebuilt by the emulator');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }));

  it('"Open as test case" calls the handler the emulator feature registered', async () => {
    const results = await service();
    const calls: unknown[] = [];
    const saved = results.openAsTestCaseHandler;
    const reg = results.setOpenAsTestCaseHandler(async (result) => {
      calls.push(result);
    });
    try {
      const model = failedModel();
      await showAndRender(model);
      const before = vscode.workspace.textDocuments.length;
      await results.clickInWebview('open-test-case');
      await waitFor(() => calls.length === 1, 10_000, 50, 'handler called');
      assert.deepEqual(calls[0], model.result);
      assert.equal(vscode.workspace.textDocuments.length, before, 'no untitled document when a handler is registered');
    } finally {
      reg.dispose();
    }
    assert.equal(results.openAsTestCaseHandler, saved, "disposing restores the emulator feature's handler");
  });

  it('shows an AWS result with missing steps, policy documents as strings, and a comparison with a local run', async () => {
    const r = await showAndRender({
      title: 'TestInvokeAuthorizer: my-authorizer',
      source: 'aws',
      result: awsResult(),
      compare: { source: 'local', result: acceptedResult() },
    });
    const t = r.text;
    for (const s of ['AWS TestInvokeAuthorizer', 'TestInvokeAuthorizer: my-authorizer', 'Accepted', 'Refresh after', '300 s', 'Disconnect after', '86400 s', 'Compare', 'Local emulator', 'differs', 'Policy document #2', 'Response (from AWS)']) {
      assert.ok(t.includes(s), `rendered text contains ${JSON.stringify(s)}\n---\n${t.slice(0, 3000)}`);
    }
    assert.ok(!/Signature\b/.test(t.split('Compare')[0].replace('Copy signature', '')), 'no signature step for AWS');
    assert.ok(!t.includes('Handler'), 'no handler step for AWS');
    // admin/reboot: AWS allows (document 2 as sent by AWS), the local run denies.
    assert.match(t, /iot:Publish admin\/reboot\s+✓ Allow\s+✗ Deny\s+differs/);
    assert.match(t, /iot:Publish devices\/device-42\/telemetry\s+✓ Allow\s+✓ Allow\s+same/);
    assert.match(t, /iot:Connect device-42\s+—\s+✓ Allow\s+only in Local emulator/, 'AWS gives no connect decision: not a difference');
    assert.ok(!t.includes('Response validation') && !t.includes('No findings.'), 'no local validation is claimed for an AWS answer');
    assert.match(t, /isAuthenticated\s+true/);
    assert.deepEqual(r.highlighted, ['stmt-0-1'], 'policy documents given as JSON strings are parsed and highlighted');
    assert.equal(resultTabs()[0]?.label, 'TestInvokeAuthorizer: my-authorizer');
  });

  it('never sends private key material to the webview', async () => {
    const result = acceptedResult();
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    result.log = [...result.log, { stream: 'stdout', text: `oops, the handler logged ${pem}` }];
    const model: ResultsModel & { privateKeyPem?: string } = { source: 'local', result, privateKeyPem: pem };
    const r = await showAndRender(model);
    const payload = JSON.stringify((await service()).currentPayload());
    assert.ok(!payload.includes('PRIVATE KEY'), 'payload has no PEM private key');
    assert.ok(!payload.includes('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'));
    assert.ok(!r.text.includes('PRIVATE KEY'));
    assert.ok(r.text.includes('[private key removed]'));
  });

  it('Show Last Result reopens the last result after the panel was closed', async () => {
    const results = await service();
    await showAndRender(failedModel());
    results.close();
    await waitFor(() => !results.isOpen && resultTabs().length === 0, 10_000, 50, 'panel closed');
    const shown = await vscode.commands.executeCommand<boolean>('iotAuthz.showLastResult');
    assert.equal(shown, true);
    const seq = results.currentSeq;
    const r = await waitFor(() => (results.lastRendered?.seq === seq ? results.lastRendered : undefined), 30_000, 50, 'rendered after Show Last Result');
    assert.ok(r.text.includes('SIGNATURE_INVALID'));
    assert.equal(resultTabs().length, 1);
  });

  it('re-renders from the last result when the hidden panel is shown again', async () => {
    const results = await service();
    await showAndRender(acceptedModel());
    const tab = resultTabs()[0];
    assert.ok(tab);
    // Hide it behind a text editor in the same group (the webview is not retained while hidden).
    const doc = await vscode.workspace.openTextDocument({ content: 'hide the panel', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
    await waitFor(() => resultTabs()[0] && !resultTabs()[0].isActive, 10_000, 50, 'panel hidden');
    const seq = results.currentSeq;
    results.lastRendered = undefined;
    // Closing the editor shows the panel again: its page reloads, posts "ready" and gets the same result (no new show()).
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const r = await waitFor(() => results.lastRendered, 30_000, 50, 'rendered again after being shown');
    assert.equal(r.seq, seq, 'the same result, re-sent on ready');
    assert.ok(r.text.includes(PUBLISH_DENY_SHOWN));
    assert.equal(resultTabs().length, 1);
  });
});

describe('Results panel [restricted]', function () {
  this.timeout(90_000);
  after(async () => (await service()).close());

  it('shows results in Restricted Mode too (it runs no workspace code)', async () => {
    const r = await showAndRender(failedModel());
    assert.ok(r.text.includes('SIGNATURE_INVALID'));
    assert.match(r.csp, /default-src 'none'/);
  });
});
