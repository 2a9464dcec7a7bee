// The Getting Started walkthrough in the real workbench: opened from the
// palette as a user would, its first two steps completed through the UI
// (Generate Signing Key Pair, then Sign Token with that key, both started
// from the walkthrough's own buttons), each step then shown as done.
//
//   node test/e2e/walkthrough.e2e.mjs                # run the checks
//   node test/e2e/walkthrough.e2e.mjs --screenshots  # also refresh docs/images/walkthrough.png
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMain, runScenario } from './harness.mjs';

const TITLE = 'Get started with IoT custom authorizers';
const KEY = 'walkthrough-key';

export function runWalkthrough({ screenshots = false, log, timeoutMs = 240_000 } = {}) {
  return runScenario({ name: 'walkthrough', screenshots, log, timeoutMs }, async (t) => {
    const { page, folder, check, shot, qiInput, qiRows, waitForTitle, runCommand, parkMouse } = t;
    const step = (id) => page.locator(`.getting-started-step[data-step-id$="${id}"]`).first();
    /** A step shows as done: its checkbox turns into the "checked" icon. */
    const done = (id) => step(id).locator('.codicon-getting-started-step-checked, .complete').first();
    // The step's own button: the step itself is a button whose text contains the label too.
    const button = (label) => page.locator('.gettingStartedContainer').getByRole('button', { name: label, exact: true }).first();

    const loaded = await check('the workbench opens with the extension', async () => {
      await t.open();
      await t.activity('IoT Authorizer').waitFor({ state: 'visible', timeout: 60_000 });
    });
    if (!loaded) return;

    const opened = await check('Welcome: Open Walkthrough… lists ours; it opens with six steps, none done', async () => {
      await runCommand('Welcome: Open Walkthrough...');
      const row = qiRows.filter({ hasText: TITLE }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click();
      await page.locator('.gettingStartedContainer').filter({ hasText: TITLE }).first().waitFor({ state: 'visible', timeout: 15_000 });
      const n = await page.locator('.gettingStartedContainer .getting-started-step').count();
      if (n !== 6) throw new Error(`${n} steps shown, expected 6`);
      if (await done('generateKeyPair').count()) throw new Error('step 1 shows as done before anything was done');
      await parkMouse();
    });
    if (!opened) return;
    await shot('walkthrough.png');

    await check('step 1: its button runs Generate Signing Key Pair; the pair is written and the step shows as done', async () => {
      await step('generateKeyPair').click();
      // Started is not done: the step ticks once the pair is written.
      await button('Generate Signing Key Pair').click();
      // The button is the first use of the extension here: it activates it first.
      await waitForTitle('Generate Signing Key Pair (1/4)', 60_000);
      await qiInput.fill(KEY);
      await qiInput.press('Enter');
      await waitForTitle('Generate Signing Key Pair (2/4)');
      await qiRows.first().click(); // keys/ in the workspace
      await waitForTitle('Generate Signing Key Pair (3/4)');
      await qiRows.filter({ hasText: 'RSA 2048' }).first().click();
      await waitForTitle('Generate Signing Key Pair (4/4)');
      await qiInput.press('Enter'); // no passphrase
      const privateKey = join(folder, 'keys', `${KEY}.private.pem`);
      const deadline = Date.now() + 30_000;
      while (!existsSync(privateKey) && Date.now() < deadline) await page.waitForTimeout(200);
      if (!existsSync(privateKey)) throw new Error(`${privateKey} was not written`);
      if ((statSync(privateKey).mode & 0o777) !== 0o600) throw new Error('the private key is not 0600');
      await done('generateKeyPair').waitFor({ state: 'attached', timeout: 15_000 });
    });

    await check('step 2: its button runs Sign Token with that key; the copy actions appear and the step shows as done', async () => {
      await step('signToken').click();
      await button('Sign Token').click();
      await waitForTitle('Sign Token: private key');
      const keyRow = qiRows.filter({ hasText: `${KEY}.private.pem` }).first();
      await keyRow.waitFor({ state: 'visible', timeout: 15_000 });
      await keyRow.click();
      await waitForTitle(`Sign Token with`);
      await qiInput.fill('MyStringThatNeedsToBeSigned');
      await qiInput.press('Enter');
      await waitForTitle('Token signed with');
      await qiRows.first().waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await done('signToken').waitFor({ state: 'attached', timeout: 15_000 });
      await parkMouse();
    });
    await shot('walkthrough-done.png');
  });
}

if (isMain(import.meta.url)) {
  const r = await runWalkthrough({ screenshots: process.argv.includes('--screenshots') });
  process.exit(r.failed === 0 ? 0 : 1);
}
