// A UI tour of the real VS Code 1.100 web workbench with the extension loaded,
// on the workspace `npm start` serves (a fresh copy of examples/, no keys yet),
// in a new user's order: the Authorizer Explorer's first view with its
// actions, Run Authorizer Locally on the walkthrough (generating its key pair
// from the prompt), the key pair in the explorer, diagnostics and a quick fix
// in a flawed authorizer response, a typo with exactly one finding, the
// example's test cases run from the Test Explorer, and Sign Token's copy
// actions with snippets for a topic the example allows. Each step is a check
// on what a person sees; with --screenshots it also writes the README images:
//
//   node test/e2e/tour.e2e.mjs                # run the checks
//   node test/e2e/tour.e2e.mjs --screenshots  # also refresh docs/images/{explorer,results-panel,diagnostics,test-explorer,sign-token}.png
//
// Needs dist/ (node scripts/build.mjs). Prints one line per check and
// `[e2e] N passing, N failing`; exit 1 on failure. A failed check saves a
// screenshot under test-results/.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareExamplesWorkspace } from '../../scripts/examples-workspace.mjs';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { DARK_SETTINGS, DEFAULT_VIEWPORT as VIEWPORT, exactly, isMain, runScenario } from './harness.mjs';

const SETTINGS = {
  ...DARK_SETTINGS,
  // The Test Results panel would cover the results panel's webview later on.
  'testing.automaticallyOpenTestResults': 'neverOpen',
};
const TOKEN = 'MyStringThatNeedsToBeSigned';
/** The topic the walkthrough's handler and policy allow (Sign Token's snippets must publish there). */
const TOPIC = 'customAuthTestTopic';
const POLICY = 'walkthrough.iot-policy.json';
const FLAWED = 'mistakes/flawed.authorizer-response.json';
/** The codes the flawed response must show in the Problems panel. */
const FLAWED_CODES = ['RESPONSE_PRINCIPAL_ID_INVALID', 'RESPONSE_TIME_OUT_OF_RANGE', 'IOT_STATEMENT_NEVER_MATCHES', 'IOT_RESOURCE_TYPE_MISMATCH', 'IOT_MQTT_WILDCARD_IN_TOPIC'];
/** Sign Token's copy actions, as the quick pick labels them. */
const COPY_ACTIONS = ['Signature (base64)', 'Signature, URL-encoded', 'curl: HTTPS publish', 'MQTT username', 'mosquitto_pub', 'mqtt.js', 'AWS IoT Device SDK v2: JavaScript', 'AWS IoT Device SDK v2: Python'];

/** "AB:CD:…" SHA-256 of the DER public key, as the explorer shows it. */
function fingerprintOf(pemFile) {
  const der = createPublicKey(readFileSync(pemFile)).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g).join(':');
}

/** The example's test cases, by file, from the test-case files themselves. */
function exampleCases(folder) {
  const out = {};
  for (const f of ['walkthrough.authz-test.json', 'walkthrough-mqtt.authz-test.json']) out[f] = JSON.parse(readFileSync(join(folder, f), 'utf8')).cases.map((c) => c.name);
  return out;
}

/**
 * Runs the tour. Options: screenshots (bool), log(line), timeoutMs.
 * Resolves to { passed, failed, checks: [{ name, ok, error }] }.
 */
export function runTour({ screenshots = false, log, timeoutMs = 240_000 } = {}) {
  let fingerprint;
  let cases;
  const prepare = (folder) => {
    // What npm start serves: examples/ without keys, the response with mistakes, the schemas beside it.
    prepareExamplesWorkspace(REPO_ROOT, folder);
    if (existsSync(join(folder, 'keys'))) throw new Error('the workspace must start with no keys');
    cases = exampleCases(folder);
  };
  return runScenario({ name: 'tour', prepare, settings: SETTINGS, viewport: VIEWPORT, screenshots, log, timeoutMs }, async (t) => {
    const { page, folder, check, shot, quickInput, qiInput, qiRows, sidebar, activity, parkMouse, waitForTitle, runCommand, openFile, goTo, sidebarWidth, webview } = t;
    // ---- 0. the workbench -----------------------------------------------------
    const loaded = await check('the workbench opens the example workspace with the extension', async () => {
      await t.open();
      await activity('IoT Authorizer').waitFor({ state: 'visible', timeout: 60_000 });
    });
    if (!loaded) return;

    // ---- 1. The Authorizer Explorer's first view ------------------------------------
    await check('Authorizer Explorer, first view: keys with Generate / Sign / Verify, the authorizers, and AWS with Connect to AWS…', async () => {
      await t.showExplorer();
      await sidebarWidth(460);
      for (const label of ['Workspace keys', 'Generate Signing Key Pair…', 'Sign Token…', 'Verify Token Signature…', 'Workspace authorizers', 'AWS', 'Connect to AWS…']) {
        await t.treeRow(label).waitFor({ state: 'visible', timeout: 20_000 });
      }
      const none = (await t.treeRow('Workspace keys').locator('.label-description').innerText()).trim();
      if (none !== 'none yet') throw new Error(`Workspace keys says "${none}", expected "none yet" on a fresh workspace`);
      for (const [name, description] of [['walkthrough-authorizer', 'python · signing on'], ['walkthrough-mqtt-authorizer', 'nodejs · signing off']]) {
        const row = t.treeRow(name);
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        const text = await row.locator('.label-description').innerText();
        if (text.trim() !== description) throw new Error(`${name} is described as "${text}", expected "${description}"`);
      }
      await parkMouse();
    });
    await shot('explorer.png');

    // ---- 2. Run Authorizer Locally, its key pair generated from the prompt -------------
    await check('Run Authorizer Locally on a fresh workspace: the token prefilled, the missing key pair generated from the prompt, accepted with the deciding statement highlighted', async () => {
      await runCommand('View: Close All Editors');
      await runCommand('View: Close Primary Side Bar');
      await runCommand('IoT Authorizer: Run Authorizer Locally');
      await waitForTitle('Run Authorizer Locally: which authorizer?');
      await qiRows.filter({ has: page.locator('.label-name', { hasText: /^\s*walkthrough\s*$/ }) }).first().click();
      await waitForTitle('Run walkthrough-authorizer locally: protocol');
      await qiRows.filter({ has: page.locator('.label-name', { hasText: /^\s*HTTPS\s*$/ }) }).first().click();
      await waitForTitle('Run walkthrough-authorizer locally: token');
      const prefilled = await qiInput.inputValue();
      if (prefilled !== TOKEN) throw new Error(`the token box holds "${prefilled}", expected the test cases' ${TOKEN}`);
      await page.keyboard.press('Enter');
      await waitForTitle('Run walkthrough-authorizer locally: token signature');
      await qiRows.filter({ hasText: 'Generate the key pair "FirstKey" names' }).first().click();
      await waitForTitle('Run walkthrough-authorizer locally: operations to check');
      await qiInput.fill('iot:Publish customAuthTestTopic; iot:Publish test/topic');
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'walkthrough-authorizer (HTTPS): accepted' }).waitFor({ timeout: 30_000 });
      await webview.locator('h1', { hasText: 'walkthrough-authorizer (HTTPS): accepted' }).waitFor({ timeout: 15_000 });
      await webview.getByText('Accepted: authenticated as walkthroughDevice; 1/2 operation(s) allowed.').waitFor({ timeout: 5_000 });
      const allow = webview.locator('table.decisions tr.decision-row-allow', { hasText: 'customAuthTestTopic' });
      const deny = webview.locator('table.decisions tr.decision-row-deny', { hasText: 'test/topic' });
      await allow.waitFor({ timeout: 5_000 });
      await deny.waitFor({ timeout: 5_000 });
      if (!(await allow.innerText()).includes('Allow') || !(await deny.innerText()).includes('Deny')) throw new Error('the decisions table does not say Allow / Deny');
      const highlighted = webview.locator('.stmt.deciding.highlighted');
      await highlighted.waitFor({ timeout: 5_000 });
      const stmt = await highlighted.innerText();
      if (!stmt.includes('Deciding statement for iot:Publish customAuthTestTopic (allow)') || !stmt.includes('topic/customAuthTestTopic')) {
        throw new Error(`the highlighted statement is not the one allowing customAuthTestTopic: ${stmt.slice(0, 200)}`);
      }
      // Fold the chain steps above the decisions, so the result, the decisions
      // and the highlighted statement show together.
      for (const step of ['Signature', 'Event', 'Handler', 'Response validation']) {
        const details = webview.locator('details[open]', { has: webview.locator('summary', { hasText: step }) }).first();
        if (await details.count()) await details.locator('summary').first().click();
      }
      // The highlighted statement at the bottom, the decisions above it, no step cut in half at the top.
      await highlighted.evaluate((el) => {
        el.parentElement.scrollIntoView({ block: 'end' });
        const doc = el.ownerDocument;
        const cut = [...doc.querySelectorAll('details')].find((d) => d.getBoundingClientRect().top < 0 && d.getBoundingClientRect().bottom > 0);
        if (cut) doc.defaultView.scrollBy(0, cut.getBoundingClientRect().bottom + 2);
      });
      // No progress notification stays over the result (a quick run shows none).
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Running walkthrough-authorizer locally' }).waitFor({ state: 'detached', timeout: 10_000 });
      await parkMouse();
    });
    await shot('results-panel.png');

    // ---- 3. The generated key pair in the explorer ---------------------------------------
    await check('Authorizer Explorer: Workspace keys lists the walkthrough key pair with size and fingerprint', async () => {
      fingerprint = fingerprintOf(join(folder, 'keys', 'walkthrough.public.pem'));
      await t.showExplorer();
      await sidebarWidth(460);
      const section = sidebar.locator('.monaco-list-row', { hasText: 'Workspace keys' }).first();
      await section.waitFor({ state: 'visible', timeout: 20_000 });
      const pair = sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^walkthrough$/ }) }).first();
      await pair.waitFor({ state: 'visible', timeout: 20_000 });
      const description = await pair.locator('.label-description').innerText();
      if (!/2048-bit/.test(description) || !/private \+ public/.test(description) || !description.includes(`${fingerprint.slice(0, 11)}…`)) {
        throw new Error(`key pair description is "${description}", expected 2048-bit · private + public · ${fingerprint.slice(0, 11)}…`);
      }
      if ((await section.locator('.label-description').innerText()).trim() !== '1') throw new Error('Workspace keys does not count 1 key pair');
      if ((await pair.getAttribute('aria-expanded')) === 'false') await pair.locator('.monaco-tl-twistie').click();
      for (const half of ['keys/walkthrough.private.pem', 'keys/walkthrough.public.pem']) {
        await sidebar.locator('.monaco-list-row', { hasText: half }).first().waitFor({ state: 'visible', timeout: 10_000 });
      }
      // The definitions of the workspace, with their runtime and signing, under Workspace authorizers.
      await sidebar.locator('.monaco-list-row', { hasText: 'Workspace authorizers' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      for (const [name, description] of [['walkthrough-authorizer', 'python · signing on'], ['walkthrough-mqtt-authorizer', 'nodejs · signing off']]) {
        const row = sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        const text = await row.locator('.label-description').innerText();
        if (text.trim() !== description) throw new Error(`${name} is described as "${text}", expected "${description}"`);
      }
      // Folded again for the screenshot: the hover below would cover the two files.
      await pair.locator('.monaco-tl-twistie').click();
      await sidebar.locator('.monaco-list-row', { hasText: 'keys/walkthrough.public.pem' }).first().waitFor({ state: 'detached', timeout: 5_000 });
      // The fingerprint is in the pair's hover.
      await pair.locator('.label-name').hover();
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'SHA-256' }).first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await hover.innerText();
      if (!text.replace(/\s+/g, '').includes(fingerprint)) throw new Error(`the hover does not show the fingerprint ${fingerprint}: ${text.slice(0, 200)}`);
    });
    await parkMouse();

    // ---- 4. Diagnostics and a quick fix ------------------------------------------
    await check('Diagnostics: the Problems panel lists IoT Authorizer findings and Ctrl+. offers the topicfilter/ fix', async () => {
      await runCommand('View: Close Primary Side Bar');
      await openFile(FLAWED);
      await page.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 20_000 });
      await page.keyboard.press('Control+Shift+M');
      const markers = page.locator('.markers-panel .monaco-list-row');
      await markers.first().waitFor({ state: 'visible', timeout: 10_000 });
      const missing = [];
      for (const code of FLAWED_CODES) {
        const row = markers.filter({ hasText: code }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          missing.push(code);
          continue;
        }
        if (!(await row.innerText()).includes('IoT Authorizer')) missing.push(`${code} (source not "IoT Authorizer")`);
      }
      if (missing.length) throw new Error(`not in the Problems panel: ${missing.join(', ')}`);
      // Put the cursor on the topicfilter/ of the iot:Publish statement and ask for fixes.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 40, y: 5 } });
      await goTo(13, 62);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget');
      await menu.waitFor({ state: 'visible', timeout: 10_000 });
      await menu.locator('.monaco-list-row', { hasText: 'Change topicfilter/ to topic/' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await parkMouse();
    });
    await shot('diagnostics.png');

    await check('Diagnostics: applying the quick fix clears IOT_RESOURCE_TYPE_MISMATCH', async () => {
      const menu = page.locator('.action-widget');
      await menu.locator('.monaco-list-row', { hasText: 'Change topicfilter/ to topic/' }).first().click({ timeout: 10_000 });
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
      await page.locator('.editor-instance .view-line', { hasText: ':topic/sensors/sensor42/telemetry' }).first().waitFor({ timeout: 10_000 });
      const markers = page.locator('.markers-panel .monaco-list-row');
      await markers.filter({ hasText: 'IOT_RESOURCE_TYPE_MISMATCH' }).first().waitFor({ state: 'detached', timeout: 10_000 });
      await markers.filter({ hasText: 'RESPONSE_TIME_OUT_OF_RANGE' }).first().waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('Control+S');
    });

    // ---- 5. One typo, one finding -------------------------------------------------------
    await check('A typo (iot:Publsh) gives exactly one finding: ours, with the suggestion; no schema warning', async () => {
      await runCommand('View: Close All Editors');
      await openFile(POLICY);
      // What the file shows before the typo (the example policy's own note: no iot:Connect).
      await page.keyboard.press('Control+Shift+M');
      const markers = page.locator('.markers-panel .monaco-list-row');
      await page.waitForTimeout(3_000);
      const before = (await markers.allInnerTexts()).filter((r) => !r.includes(POLICY));
      // Line 6 is `      "Action": "iot:Publish",`: delete the "i" of Publish.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 40, y: 5 } });
      await goTo(6, 26);
      await page.keyboard.press('Delete');
      await page.locator('.editor-instance .view-line', { hasText: 'iot:Publsh' }).first().waitFor({ timeout: 5_000 });
      await markers.filter({ hasText: 'IOT_ACTION_UNKNOWN' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      // The JSON language service validates after us: give it time to add a warning, if it would.
      await page.waitForTimeout(3_000);
      const rows = await markers.allInnerTexts();
      const problems = rows.filter((r) => !r.includes(POLICY) && !before.includes(r));
      if (problems.length !== 1 || !/did you mean "iot:Publish"/.test(problems[0])) throw new Error(`expected one finding (IOT_ACTION_UNKNOWN), got ${problems.length}: ${JSON.stringify(problems.map((p) => p.slice(0, 120)))}`);
      await page.keyboard.press('Control+Z');
      await page.keyboard.press('Control+S');
    });

    // ---- 6. Test Explorer ----------------------------------------------------------
    await check('Test Explorer: Run Tests passes every case of the example', async () => {
      await runCommand('View: Close All Editors');
      await runCommand('View: Hide Panel');
      await openFile('walkthrough.authz-test.json');
      await activity('Testing').click();
      await sidebar.locator('.composite.title', { hasText: /Testing/i }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await sidebarWidth(460);
      const fileRow = (f) => sidebar.locator(`.monaco-list-row[aria-label^="${f} ("]`).first();
      for (const f of Object.keys(cases)) await fileRow(f).waitFor({ state: 'visible', timeout: 20_000 });
      await sidebar.locator('.title-actions .action-label[aria-label="Run Tests"], .pane-header .action-label[aria-label="Run Tests"]').first().click();
      for (const f of Object.keys(cases)) await sidebar.locator(`.monaco-list-row[aria-label^="${f} (Passed)"]`).first().waitFor({ state: 'visible', timeout: 30_000 });
      for (const f of Object.keys(cases)) {
        const row = fileRow(f);
        if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
      }
      const notPassed = [];
      for (const name of Object.values(cases).flat()) {
        const row = sidebar.locator('.monaco-list-row', { hasText: name }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          notPassed.push(`${name} (not listed)`);
          continue;
        }
        const label = (await row.getAttribute('aria-label')) ?? '';
        // The accessible name is the case's name (not its protocol), then the state.
        if (!label.startsWith(name) || !label.includes('(Passed)')) notPassed.push(`${name}: ${label}`);
      }
      if (notPassed.length) throw new Error(`not passed: ${notPassed.join('; ')}`);
      // The summary counts every case in the workspace (the JWT and username/password examples too): all passed is "N/N".
      await sidebar.getByText(/^\s*(\d+)\/\1\s*$/).first().waitFor({ state: 'visible', timeout: 30_000 });
      // The editor's gutter shows the results too.
      await page.locator('.editor-instance .monaco-editor .codicon-testing-passed-icon').first().waitFor({ state: 'visible', timeout: 10_000 });
      // Focus back in the editor (no focus ring around the test tree in the screenshot).
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 40, y: 5 } });
      await parkMouse();
    });
    await shot('test-explorer.png');

    // ---- 7. Sign Token ----------------------------------------------------------------
    await check('Sign Token: key, token, then the copy actions for devices and clients', async () => {
      await runCommand('View: Close All Editors');
      await activity('IoT Authorizer').click();
      await sidebar.locator('.monaco-list-row', { hasText: 'Workspace keys' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await openFile('walkthrough.authorizer.json');
      await runCommand('IoT Authorizer: Sign Token');
      await waitForTitle('Sign Token: private key');
      const keyRow = qiRows.filter({ hasText: 'keys/walkthrough.private.pem' }).first();
      await keyRow.waitFor({ state: 'visible', timeout: 10_000 });
      const keyText = await keyRow.innerText();
      if (!keyText.includes('2048-bit') || !keyText.includes(fingerprint.slice(0, 23))) throw new Error(`the key row does not show size and fingerprint: ${keyText}`);
      await keyRow.click();
      await waitForTitle('Sign Token with keys/walkthrough.private.pem');
      await qiInput.fill(TOKEN);
      await page.keyboard.press('Enter');
      await waitForTitle('Token signed with keys/walkthrough.private.pem');
      const expected = execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'sign', '--key', join(folder, 'keys', 'walkthrough.private.pem'), '--token', TOKEN], { encoding: 'utf8' }).trim();
      const missing = [];
      for (const label of COPY_ACTIONS) {
        const row = qiRows.filter({ has: page.locator('.label-name', { hasText: exactly(label) }) }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          missing.push(label);
        }
      }
      if (missing.length) throw new Error(`copy actions missing: ${missing.join(', ')}`);
      const first = await qiRows.first().innerText();
      if (!first.includes(expected.slice(0, 24))) throw new Error(`the signature shown (${first.split('\n')[0]}) is not what iot-authz sign prints (${expected.slice(0, 24)}…)`);
      await parkMouse();
    });
    await shot('sign-token.png');
    await page.keyboard.press('Escape');
    await check('Sign Token: Escape closes the copy actions', async () => {
      await quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
    });
    await check('Sign Token: the snippets name the walkthrough authorizer (prefilled from the workspace) and publish to the topic the example allows', async () => {
      await runCommand('IoT Authorizer: Sign Token');
      await waitForTitle('Sign Token: private key');
      await qiRows.filter({ hasText: 'keys/walkthrough.private.pem' }).first().click();
      await waitForTitle('Sign Token with keys/walkthrough.private.pem');
      await qiInput.fill(TOKEN);
      await page.keyboard.press('Enter');
      await waitForTitle('Token signed with keys/walkthrough.private.pem');
      await qiRows.filter({ has: page.locator('.label-name', { hasText: /Open everything in an editor/ }) }).first().click();
      await waitForTitle('Authorizer name');
      const name = await qiInput.inputValue();
      if (name !== 'walkthrough-authorizer') throw new Error(`the authorizer name box holds "${name}", expected walkthrough-authorizer from the workspace's definition`);
      await page.keyboard.press('Enter');
      await waitForTitle('Token key name');
      const key = await qiInput.inputValue();
      if (key !== 'tokenKeyName') throw new Error(`the token key name box holds "${key}", expected tokenKeyName`);
      await page.keyboard.press('Enter');
      await waitForTitle('Token signed with keys/walkthrough.private.pem');
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
      // Find the curl snippet's URL in the opened document (Find scrolls it into view).
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 40, y: 5 } });
      await page.keyboard.press('Control+F');
      await page.keyboard.type(`/topics/${TOPIC}?`);
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-line', { hasText: `/topics/${TOPIC}?qos=1` }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
    });
  });
}

if (isMain(import.meta.url)) {
  const r = await runTour({ screenshots: process.argv.includes('--screenshots') });
  process.exit(r.failed === 0 ? 0 : 1);
}
