/* global document, HTMLElement */
// The AWS leg of the UI tour (issue 15): the real VS Code 1.100 web workbench against
// test/aws-endpoint/ (started here, seeded with examples/), credentials from a scratch
// HOME's ~/.aws, the endpoint as a user setting. Connect, the permission warning on the row
// and its fix, deploy with the diff (both questions answered in the dialog), Test in AWS
// rejected then accepted (the panel shows both), Compare from the panel.
//
//   node test/e2e/aws.e2e.mjs                # run the checks
//   node test/e2e/aws.e2e.mjs --screenshots  # also refresh docs/images/aws-*.png
//
// Needs `npx tsc -p .` (out/test/aws-endpoint) and `node scripts/build.mjs` (dist/).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { DARK_SETTINGS, isMain, runScenario } from './harness.mjs';

const require = createRequire(import.meta.url);
const TOKEN = 'MyStringThatNeedsToBeSigned';
/** Valid base64 that is no signature of the token: AWS refuses it before the Lambda. */
const GARBAGE = 'bm90IGEgc2lnbmF0dXJlIG9mIHRoaXMgdG9rZW4=';

export async function run({ screenshots = false, log, timeoutMs = 300_000 } = {}) {
  const endpointModule = join(REPO_ROOT, 'out', 'test', 'aws-endpoint', 'server.js');
  if (!existsSync(endpointModule)) throw new Error('out/test/aws-endpoint/server.js is missing: run npx tsc -p . first');
  const { AwsTestEndpoint, seedExamples } = require(endpointModule);
  const ep = new AwsTestEndpoint();
  await ep.start();
  const home = mkdtempSync(join(tmpdir(), 'iot-authz-e2e-home-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), '[profile e2e]\nregion = us-east-1\n');
  writeFileSync(join(home, '.aws', 'credentials'), `[e2e]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = ${ep.credentials.secretAccessKey}\n`);
  const env = {
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: 'e2e',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
  };
  try {
    return await runScenario(
      {
        name: 'aws',
        screenshots,
        log,
        timeoutMs,
        settings: { ...DARK_SETTINGS, 'iotAuthz.aws.endpoint': ep.url },
        serverOptions: { env },
        // The seed generates the examples' key pair in the copy (as on a fresh clone) and
        // registers walkthrough-authorizer without its invoke permission.
        prepare: async (folder) => {
          await seedExamples(ep, folder);
          writeFileSync(
            join(folder, 'e2e-new.authorizer.json'),
            `${JSON.stringify({ authorizerName: 'e2e-new-authorizer', authorizerFunctionArn: ep.functionArn('walkthrough-authorizer'), tokenKeyName: 'tokenKeyName', tokenSigningPublicKeys: { FirstKey: { path: 'keys/walkthrough.public.pem' } }, status: 'ACTIVE', region: 'us-east-1' }, null, 2)}\n`,
          );
        },
      },
      (t) => scenario(t),
    );
  } finally {
    await ep.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

async function scenario(t) {
  const { page, check, shot, qiInput, waitForTitle, row, runCommand, treeRow, sidebar, webview, parkMouse, exactly } = t;
  // The AWS section is the last in the explorer: its rows come after the workspace's
  // definitions, one of which has the same name (walkthrough-authorizer).
  const awsRow = (name) => sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(name) }) }).last();
  const dialog = page.locator('.monaco-dialog-box');
  const dialogButton = (label) => dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons .monaco-button').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first();
  const pick = async (label) => {
    await row(label).waitFor({ state: 'visible' });
    await row(label).click();
  };
  const type = async (text) => {
    await qiInput.fill(text);
    await page.keyboard.press('Enter');
  };
  const panelText = () => webview.locator('body').innerText();

  await check('the workbench opens with the extension', async () => {
    await t.open();
    // The view container's entry carries its label on the item or on its link, depending on the layout.
    await page.locator('.part.activitybar .action-item a.action-label[aria-label^="IoT Authorizer"], .part.activitybar .action-item[aria-label^="IoT Authorizer"]').first().click({ timeout: 60_000 });
    await sidebar.locator('.composite.title, .pane-header').filter({ hasText: /Authorizer Explorer/i }).first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  await check('Connect to AWS… picks the scratch profile and a region; the AWS section lists the seeded authorizers', async () => {
    await runCommand('IoT Authorizer: Connect to AWS…');
    await waitForTitle('Connect to AWS: profile');
    await row('Use a custom endpoint (LocalStack, test endpoint)…').waitFor({ state: 'visible' });
    await pick('e2e');
    await waitForTitle('Connect to AWS: region');
    await pick('us-east-1');
    const aws = treeRow('AWS');
    await aws.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await aws.getAttribute('aria-expanded')) !== 'true') await aws.click();
    await awsRow('walkthrough-authorizer').waitFor({ state: 'visible', timeout: 20_000 });
  });

  await check('the missing invoke permission shows on the row without expanding it', async () => {
    await awsRow('walkthrough-authorizer').locator('.label-description', { hasText: 'IoT cannot invoke the Lambda' }).waitFor({ timeout: 20_000 });
    await parkMouse();
    await shot('aws-explorer.png');
  });

  await check('its fix shows the exact statement, indented, and clears the warning', async () => {
    const r = awsRow('walkthrough-authorizer');
    await r.hover();
    await r.locator('.action-label[aria-label^="Allow IoT to Invoke the Lambda"]').click();
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const detail = await dialog.locator('.dialog-message-detail').innerText();
    if (!/\n\u00a0\u00a0"Effect": "Allow"/.test(detail) && !/\n {2}"Effect": "Allow"/.test(detail)) throw new Error(`the statement lost its indentation: ${detail.slice(0, 300)}`);
    await parkMouse();
    await shot('aws-permission.png');
    await dialogButton('Add Permission').click();
    await awsRow('walkthrough-authorizer').locator('.label-description', { hasText: /^ACTIVE$/ }).waitFor({ timeout: 20_000 });
  });

  await check('Deploy shows the field-by-field diff, then asks for the invoke permission in a dialog (no progress spinning behind it)', async () => {
    await t.openFile('e2e-new.authorizer.json');
    await runCommand('IoT Authorizer: Deploy Authorizer Definition… (AWS)');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const diff = await dialog.innerText();
    if (!/e2e-new-authorizer/.test(diff) || !/tokenKeyName/.test(diff)) throw new Error(`no diff in the dialog: ${diff.slice(0, 300)}`);
    await parkMouse();
    await shot('aws-deploy.png');
    await dialogButton('Create').click();
    await dialog.locator('.dialog-message-text', { hasText: "Let AWS IoT invoke the Lambda for 'e2e-new-authorizer'?" }).waitFor({ timeout: 20_000 });
    // The deploy's own progress toast may take a moment to close after its step ends; a
    // progress that waits on the question (the bug) keeps spinning as long as it is open.
    const spinningNow = () => page.evaluate(() => [...document.querySelectorAll('.notification-toast .monaco-progress-container.active')].some((e) => e instanceof HTMLElement && e.offsetParent !== null));
    let spinning = await spinningNow();
    for (let waited = 0; spinning && waited < 5_000; waited += 250) {
      await page.waitForTimeout(250);
      spinning = await spinningNow();
    }
    if (spinning) throw new Error('a progress notification keeps spinning behind the question');
    await dialogButton('Add Permission').click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await sidebar.locator('.monaco-list-row', { hasText: 'e2e-new-authorizer' }).first().waitFor({ timeout: 20_000 });
  });

  const testInAws = async (signatureStep) => {
    // The results panel's webview keeps the keyboard: focus the workbench before F1.
    await sidebar.locator('.composite.title, .pane-header').first().click();
    await runCommand('IoT Authorizer: Test Authorizer with TestInvokeAuthorizer… (AWS)');
    await waitForTitle('Test Authorizer in AWS');
    await pick('walkthrough-authorizer');
    await waitForTitle('how does the device connect?');
    await pick('HTTPS publish');
    await waitForTitle('token');
    await type(TOKEN);
    await waitForTitle('token signature');
    await signatureStep();
    await waitForTitle('operations to check');
    await type('iot:Publish customAuthTestTopic');
  };

  await check('Test in AWS with a signature over another token: the panel shows the rejection (SIGNATURE_INVALID)', async () => {
    await testInAws(async () => {
      await pick('Enter a signature…');
      await waitForTitle('token signature');
      await type(GARBAGE);
    });
    await webview.locator('.outcome-rejected').waitFor({ timeout: 30_000 });
    const text = await panelText();
    if (!/SIGNATURE_INVALID/.test(text)) throw new Error(`no SIGNATURE_INVALID in the panel: ${text.slice(0, 300)}`);
    await parkMouse();
    await shot('aws-test-rejected.png');
  });

  await check('Test in AWS again, signed with the matching workspace key: the panel shows the acceptance', async () => {
    await testInAws(async () => pick('Sign with keys/walkthrough.private.pem'));
    await webview.locator('.outcome-accepted').waitFor({ timeout: 30_000 });
    const text = await panelText();
    if (/0\.00 ms/.test(text) || /wrote nothing/.test(text)) throw new Error('made-up durations or "wrote nothing" in an AWS result');
    await parkMouse();
    await shot('aws-test-in-aws.png');
  });

  await check('Compare with local run from the panel puts the local run beside AWS', async () => {
    await webview.locator('#action-compare').click();
    await webview.locator('h1', { hasText: /AWS accepted, local accepted/ }).waitFor({ timeout: 60_000 });
    await parkMouse();
    await shot('aws-compare.png');
  });

  await check('the operations table fits the panel at its default width (no column cut off)', async () => {
    const overflow = await webview.locator('table.decisions').first().evaluate((table) => {
      const box = table.getBoundingClientRect();
      return Math.round(box.right - document.documentElement.clientWidth);
    });
    if (overflow > 0) throw new Error(`the decisions table is ${overflow}px wider than the panel`);
  });
}

if (isMain(import.meta.url)) process.exit((await run({ screenshots: process.argv.includes('--screenshots') })).failed ? 1 : 0);
