// UI test of the real VS Code 1.100 web workbench with the extension loaded
// (extensionDevelopmentPath payload, no tests): activity-bar icon, the
// Authorizer Explorer view and the command palette.
//
//   node test/e2e/workbench.e2e.mjs                # run the checks
//   node test/e2e/workbench.e2e.mjs --screenshots  # also refresh docs/images/{explorer-welcome,command-palette}.png
//
// The workspace is a copy of examples/ without keys/, as on a fresh clone, so the
// Authorizer Explorer shows its welcome actions. test/e2e/tour.e2e.mjs makes the
// other README images (explorer.png with the example's key pair among them).
//
// Prints one line per check and `[e2e] N passing, N failing`; exit 1 on failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { isMain, runScenario } from './harness.mjs';

const CATEGORY = 'IoT Authorizer';

function manifest() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
}

/** Commands that the palette must list: those not hidden through menus.commandPalette. */
function paletteCommands() {
  const m = manifest();
  const hidden = new Set((m.contributes?.menus?.commandPalette ?? []).filter((e) => e.when).map((e) => e.command));
  return (m.contributes?.commands ?? []).filter((c) => !hidden.has(c.command));
}

function workspaceSource() {
  const examples = join(REPO_ROOT, 'examples');
  const hasFiles = existsSync(examples) && readdirSync(examples).some((n) => !n.startsWith('.'));
  return hasFiles ? examples : join(REPO_ROOT, 'test', 'fixtures', 'workspace');
}

/**
 * Runs the checks. Options: screenshots (bool), log(line), timeoutMs.
 * Resolves to { passed, failed, checks: [{ name, ok, error }] }.
 */
export function runE2E({ screenshots = false, log, timeoutMs = 300_000 } = {}) {
  return runScenario({ name: 'workbench', workspace: workspaceSource(), screenshots, log, timeoutMs }, async (t) => {
    const { page, check, shot } = t;
    await check('workbench loads with the folder open', async () => {
      await t.open();
      await page.locator('.explorer-folders-view, .part.sidebar').first().waitFor({ timeout: 60_000 });
    });

    const icon = page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${CATEGORY}"], .part.activitybar .action-item[aria-label^="${CATEGORY}"]`).first();
    await check('the IoT Authorizer activity-bar icon is shown', async () => {
      await icon.waitFor({ state: 'visible', timeout: 60_000 });
    });

    await check('clicking it shows the Authorizer Explorer view', async () => {
      await icon.click();
      const sidebar = page.locator('.part.sidebar');
      await sidebar.waitFor({ state: 'visible', timeout: 10_000 });
      // A single-view container shows "IOT AUTHORIZER: AUTHORIZER EXPLORER" in its title, or a pane header.
      await page
        .locator('.part.sidebar .composite.title, .part.sidebar .pane-header')
        .filter({ hasText: /Authorizer Explorer/i })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });
      await page.locator('.part.sidebar [id="workbench.view.extension.iotAuthorizerStudio"], .part.sidebar .pane-body').first().waitFor({ timeout: 10_000 });
      await page.mouse.move(800, 600); // no hover tooltip in the screenshot
      await page.waitForTimeout(1000); // let the tree render for the screenshot
    });
    await shot('explorer-welcome.png');

    await check('the command palette lists the extension commands', async () => {
      const expected = paletteCommands();
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${CATEGORY}`);
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
      if (expected.length === 0) return;
      const missing = [];
      for (const c of expected) {
        const label = `${c.category ? `${c.category}: ` : ''}${c.title}`;
        if (!(await input.isVisible())) {
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 10_000 });
        }
        await input.fill(`>${label}`, { timeout: 10_000 });
        const row = rows.filter({ hasText: c.title }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          missing.push(label);
        }
      }
      if (missing.length) throw new Error(`not in the command palette: ${missing.join('; ')}`);
      await input.fill(`>${CATEGORY}`);
      await page.waitForTimeout(300);
    });
    await shot('command-palette.png');
    await page.keyboard.press('Escape').catch(() => undefined);
  });
}

if (isMain(import.meta.url)) {
  const r = await runE2E({ screenshots: process.argv.includes('--screenshots') });
  process.exit(r.failed === 0 ? 0 : 1);
}
