// Shared scaffolding of the e2e scripts (test/e2e/*.e2e.mjs): a VS Code 1.100
// server with the extension loaded from this checkout, headless Chromium on
// the workbench, named checks that keep going after a failure (with a failure
// screenshot), README screenshots, a time limit, and the workbench helpers
// every script needs (palette, Quick Open, quick input, side bar, webview).
//
//   import { runScenario, isMain } from './harness.mjs';
//   export const run = (opts) => runScenario({ name: 'mine', ...opts }, async (t) => { ... });
//   if (isMain(import.meta.url)) process.exit((await run({ screenshots: process.argv.includes('--screenshots') })).failed ? 1 : 0);
//
// Inside the scenario, `t` has: page, server, browser, folder (the workspace
// copy), check(name, fn) -> boolean, shot(file), open(payloadExtra?) and the
// helpers below. Each script prints one line per check and
// `[e2e] N passing, N failing`, which scripts/test.mjs counts.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, installServer, startServer } from '../../scripts/vscode-server.mjs';
import { WORKBENCH_SETTINGS, copyToTemp, launchBrowser, remoteUri, workbenchUrl } from '../runner/browser.mjs';

export const IMAGES = join(REPO_ROOT, 'docs', 'images');
export const RESULTS = join(REPO_ROOT, 'test-results');
export const DEFAULT_VIEWPORT = { width: 1400, height: 900 };
export const DARK_SETTINGS = {
  ...WORKBENCH_SETTINGS,
  'workbench.colorTheme': 'Default Dark Modern',
  'window.autoDetectColorScheme': false,
};

/** True when the module at `metaUrl` is the script node was started with. */
export function isMain(metaUrl) {
  return Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

/** Removes terminal colour codes (Playwright colours its call logs). */
export function stripAnsi(s) {
  return s.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
}

/** A RegExp matching exactly `text` (surrounding spaces allowed). */
export function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The workbench helpers on one page. */
export function workbenchHelpers(page, viewport = DEFAULT_VIEWPORT) {
  const quickInput = page.locator('.quick-input-widget');
  const qiInput = quickInput.locator('input.input');
  const qiRows = quickInput.locator('.quick-input-list .monaco-list-row');
  const qiTitle = quickInput.locator('.quick-input-title');
  const sidebar = page.locator('.part.sidebar');
  const h = {
    quickInput,
    qiInput,
    qiRows,
    qiTitle,
    sidebar,
    exactly,
    /** The results panel's content: the webview iframe, then its content frame. */
    webview: page.frameLocator('iframe.webview.ready').frameLocator('iframe'),
    /** An activity-bar entry by the start of its label. */
    activity: (label) => page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${label}"]`).first(),
    /** Moves the mouse out of the way: no hover tooltips in screenshots. */
    parkMouse: () => page.mouse.move(viewport.width - 10, viewport.height - 60),
    /** Waits until the quick input shows `title` (a string it contains, or a RegExp). */
    waitForTitle: async (title, timeout = 15_000) => {
      await quickInput.waitFor({ state: 'visible', timeout });
      await qiTitle.filter({ hasText: title }).waitFor({ state: 'visible', timeout });
    },
    /** The quick input row whose label is exactly `label`. */
    row: (label) => qiRows.filter({ has: page.locator('.label-name', { hasText: exactly(label) }) }).first(),
    /** Runs a command from the palette by its exact label ("Category: Title"). */
    runCommand: async (label) => {
      await page.keyboard.press('F1');
      await qiInput.waitFor({ state: 'visible', timeout: 10_000 });
      await qiInput.fill(`>${label}`);
      const row = qiRows.filter({ has: page.locator('.label-name', { hasText: exactly(label) }) }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click();
    },
    /** Opens a workspace file through Quick Open and waits for its tab. */
    openFile: async (relPath) => {
      const name = relPath.split('/').pop();
      const focused = () => qiRows.and(page.locator('.focused')).filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
      await page.keyboard.press('Control+P');
      await qiInput.waitFor({ state: 'visible', timeout: 10_000 });
      await qiInput.fill(relPath);
      // Quick Open re-sorts its list as results arrive: wait until our file is the focused row, then Enter.
      await focused().waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(150);
      await focused().waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: 10_000 });
    },
    /** Moves the cursor of the active editor to line:column. */
    goTo: async (line, column) => {
      await page.keyboard.press('Control+G');
      await qiInput.waitFor({ state: 'visible', timeout: 10_000 });
      await qiInput.fill(`:${line}:${column}`);
      await page.keyboard.press('Enter');
      await quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
      await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: 5_000 });
    },
    /** Drags the side bar's edge so it is `width` pixels wide. */
    sidebarWidth: async (width) => {
      const box = await sidebar.boundingBox();
      if (!box || Math.abs(box.width - width) < 4) return;
      await page.mouse.move(box.x + box.width + 1, 400);
      await page.mouse.down();
      await page.mouse.move(box.x + width, 400, { steps: 4 });
      await page.mouse.up();
    },
    /** Shows the IoT Authorizer view container and waits for the Authorizer Explorer. */
    showExplorer: async () => {
      await h.activity('IoT Authorizer').click();
      await sidebar
        .locator('.composite.title, .pane-header')
        .filter({ hasText: /Authorizer Explorer/i })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });
    },
    /** A row of the side bar's tree whose label is exactly `label`. */
    treeRow: (label) => sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(label) }) }).first(),
  };
  return h;
}

/**
 * Runs one e2e scenario and resolves to { passed, failed, checks }.
 * Options:
 *  - name: used in messages and failure screenshot names;
 *  - workspace: folder copied to a temp workspace (default examples/); removeKeys (default true): drop its keys/;
 *  - prepare(folder): called on the copy before the server starts;
 *  - settings: user settings (default DARK_SETTINGS); viewport; serverOptions (passed to startServer);
 *  - screenshots, log, timeoutMs.
 * `scenario(t)` does the work; `t.open(extraPayload)` loads the workbench on the copy with the extension.
 */
export async function runScenario(options, scenario) {
  const {
    name,
    workspace = join(REPO_ROOT, 'examples'),
    removeKeys = true,
    prepare,
    settings = DARK_SETTINGS,
    viewport = DEFAULT_VIEWPORT,
    serverOptions = {},
    screenshots = false,
    log = (l) => console.log(l),
    timeoutMs = 240_000,
  } = options;
  const t0 = Date.now();
  const checks = [];
  let server;
  let browser;
  let folder;
  let timer;
  const failureShot = async (suffix) => {
    if (!browser) return undefined;
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${name}-failure-${suffix}.png`);
    await browser.page.screenshot({ path: file }).catch(() => undefined);
    return file;
  };
  const check = async (label, fn) => {
    const t = Date.now();
    try {
      await fn();
      checks.push({ name: label, ok: true });
      log(`[e2e] ok   ${label} (${Date.now() - t} ms)`);
      return true;
    } catch (e) {
      // The first line, and for a Playwright timeout what it was waiting for.
      const lines = (e instanceof Error ? e.message : String(e)).split('\n');
      const waiting = lines.find((l) => /waiting for/.test(l));
      const msg = waiting ? `${lines[0]} ${stripAnsi(waiting).trim()}` : lines[0];
      checks.push({ name: label, ok: false, error: msg });
      log(`[e2e] FAIL ${label}: ${msg}`);
      const file = await failureShot(checks.length);
      if (file) log(`[e2e]      screenshot: ${file}`);
      // Leave no prompt or menu open for the next step.
      await browser?.page.keyboard.press('Escape').catch(() => undefined);
      await browser?.page.keyboard.press('Escape').catch(() => undefined);
      return false;
    }
  };
  const shot = async (file) => {
    if (!screenshots) return;
    mkdirSync(IMAGES, { recursive: true });
    await browser.page.screenshot({ path: join(IMAGES, file) });
    log(`[e2e] screenshot docs/images/${file}`);
  };

  const work = async () => {
    installServer();
    for (const f of ['extension.js', 'cli.js']) {
      if (!existsSync(join(REPO_ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run node scripts/build.mjs first`);
    }
    folder = copyToTemp(workspace, `iot-authz-${name}-`);
    if (removeKeys) rmSync(join(folder, 'keys'), { recursive: true, force: true }); // generated, git-ignored: absent on a fresh clone
    if (prepare) await prepare(folder);
    server = await startServer({ userSettings: settings, ...serverOptions });
    browser = await launchBrowser({ viewport });
    const { page } = browser;
    page.setDefaultTimeout(15_000); // no step waits on Playwright's 30 s default
    const open = async (extraPayload = []) => {
      const payload = [['extensionDevelopmentPath', remoteUri(server, REPO_ROOT)], ...extraPayload];
      await page.goto(workbenchUrl(server, folder, payload), { timeout: 90_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    };
    await scenario({ page, server, browser, folder, check, shot, open, log, screenshots, ...workbenchHelpers(page, viewport) });
  };

  try {
    await Promise.race([
      work(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`${name} time limit of ${timeoutMs / 1000} s reached`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    checks.push({ name: `${name} run`, ok: false, error: e instanceof Error ? e.message : String(e) });
    log(`[e2e] FAIL ${e instanceof Error ? e.stack : String(e)}`);
    await failureShot('run');
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
