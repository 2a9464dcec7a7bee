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
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, installServer, startServer } from '../../scripts/vscode-server.mjs';
import { WORKBENCH_SETTINGS, copyToTemp, launchBrowser, remoteUri, workbenchUrl } from '../runner/browser.mjs';

const IMAGES = join(REPO_ROOT, 'docs', 'images');
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
export async function runE2E({ screenshots = false, log = (l) => console.log(l), timeoutMs = 300_000 } = {}) {
  const t0 = Date.now();
  const checks = [];
  let server;
  let browser;
  let folder;
  let timer;
  const check = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
      checks.push({ name, ok: true });
      log(`[e2e] ok   ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      checks.push({ name, ok: false, error: msg });
      log(`[e2e] FAIL ${name}: ${msg}`);
      if (browser) {
        mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
        const file = join(REPO_ROOT, 'test-results', `e2e-failure-${checks.length}.png`);
        await browser.page.screenshot({ path: file }).catch(() => undefined);
        log(`[e2e]      screenshot: ${file}`);
      }
    }
  };
  const shot = async (name) => {
    if (!screenshots) return;
    mkdirSync(IMAGES, { recursive: true });
    await browser.page.screenshot({ path: join(IMAGES, name) });
    log(`[e2e] screenshot docs/images/${name}`);
  };
  const work = async () => {
    installServer();
    if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run node scripts/build.mjs first');
    folder = copyToTemp(workspaceSource(), 'iot-authz-e2e-');
    rmSync(join(folder, 'keys'), { recursive: true, force: true }); // generated, git-ignored: absent on a fresh clone
    server = await startServer({ userSettings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern', 'window.autoDetectColorScheme': false } });
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    const { page } = browser;
    const payload = [['extensionDevelopmentPath', remoteUri(server, REPO_ROOT)]];

    await check('workbench loads with the folder open', async () => {
      await page.goto(workbenchUrl(server, folder, payload));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
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
  };

  try {
    await Promise.race([
      work(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`e2e time limit of ${timeoutMs / 1000} s reached`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    checks.push({ name: 'e2e run', ok: false, error: e instanceof Error ? e.message : String(e) });
    log(`[e2e] FAIL ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
    if (folder) rmSync(resolve(folder, '..'), { recursive: true, force: true });
  }
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  log(`[e2e] ${passed} passing, ${failed} failing (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { passed, failed, checks };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runE2E({ screenshots: process.argv.includes('--screenshots') });
  process.exit(r.failed === 0 ? 0 : 1);
}
