// Runs the integration tests inside a real VS Code 1.100 extension host with
// no internet: the VS Code server (from code-server@4.100.3, see
// scripts/vscode-server.mjs) plus Debian chromium driven by playwright-core.
//
//   node test/runner/offline.mjs            # both passes: trusted, then restricted
//
// Environment:
//   IOT_AUTHZ_TEST_GREP=<text>     only tests whose full title contains <text>
//   IOT_AUTHZ_TEST_TRUST=trusted|restricted|both (default both)
//       trusted:    workspace trust disabled (everything trusted); suites
//                   whose title contains "[restricted]" are excluded
//       restricted: workspace trust enabled, folder NOT trusted; only suites
//                   whose title contains "[restricted]"
//   IOT_AUTHZ_TEST_TIMEOUT_MS      overall limit per pass (default 600000)
//   IOT_AUTHZ_TEST_VERBOSE=1       also print the server's and browser's log lines
//
// Exit code: 0 when every pass passed. Prints `[integration:<pass>] N passing, N failing`.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, installServer, startServer } from '../../scripts/vscode-server.mjs';
import { WORKBENCH_SETTINGS, copyToTemp, launchBrowser, remoteUri, workbenchUrl } from './browser.mjs';
import { RESTRICTED_SETTINGS, passEnv } from './passes.mjs';

const TESTS_ENTRY = join(REPO_ROOT, 'out', 'test', 'integration', 'index');
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'workspace');


/** Workbench errors that are expected with no network and no service worker. */
const NOISE = /open-vsx\.org|ENOTFOUND|Service Worker|serviceWorker|integration test\(s\) failed|vsda|marketplace|gallery/i;

function ts() {
  return new Date().toISOString().slice(11, 19);
}

/**
 * Runs one pass. Options: pass ('trusted' | 'restricted'), grep, timeoutMs, verbose, log(line);
 * for other suites than the integration suites: entry (compiled test entry, no .js),
 * developmentPath (the extension loaded for development; null: none, the extensions
 * installed in extensionsDir only), extensionsDir, fixture (workspace copied for the run),
 * env (more environment for the extension host), tag (the output prefix).
 * Resolves to { pass, code, passed, failed, pending, seconds, results }.
 */
export async function runPass({
  pass = 'trusted',
  grep,
  timeoutMs = 600_000,
  verbose = false,
  log = (l) => console.log(l),
  entry = TESTS_ENTRY,
  developmentPath = REPO_ROOT,
  extensionsDir,
  fixture = FIXTURE,
  env: extraEnv = {},
  tag = 'integration',
} = {}) {
  const t0 = Date.now();
  if (!existsSync(`${entry}.js`)) throw new Error(`${entry}.js is missing: run tsc -p . first`);
  if (developmentPath === REPO_ROOT && !existsSync(join(developmentPath, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run node scripts/build.mjs first');
  installServer();
  const restricted = pass === 'restricted';
  const tmp = mkdtempSync(join(tmpdir(), `iot-authz-it-${pass}-`));
  const resultsFile = join(tmp, 'results.json');
  const folder = copyToTemp(fixture);
  // The extension host inherits the server's environment: that is how the
  // grep and the results file reach test/integration/index.ts.
  const env = { ...passEnv(pass, grep, resultsFile), ...extraEnv };
  const prefix = `[${tag}:${pass}]`;
  let server;
  let browser;
  let timer;
  let code;
  try {
    server = await startServer({
      workspaceTrust: restricted,
      extensionsDir,
      userSettings: { ...WORKBENCH_SETTINGS, ...(restricted ? RESTRICTED_SETTINGS : {}) },
      env,
      onOutput: verbose ? (l) => log(`${prefix} server: ${l}`) : undefined,
    });
    log(`${prefix} ${ts()} server on ${server.url} (pid ${server.pid}), folder ${folder}`);
    browser = await launchBrowser();
    const { page } = browser;
    let exit;
    let testsRunning = false;
    let started;
    const startedP = new Promise((res) => (started = res));
    const exited = new Promise((res) => (exit = res));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      if (text.startsWith('[it]')) {
        // Between the entry's first line and its summary, other console output is the tests' own.
        if (/^\[it\] \d+ test file\(s\)/.test(text)) {
          testsRunning = true;
          started();
        }
        if (/^\[it\] \d+ passing, \d+ failing/.test(text)) testsRunning = false;
        log(`${prefix} ${text.slice(5)}`);
      } else if (verbose || ((testsRunning || type === 'error') && !NOISE.test(text))) {
        log(`${prefix} ${type === 'info' || type === 'log' ? '' : `(${type}) `}${text}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (c) => exit(Number(c)));
    if (verbose) page.on('console', (m) => log(`${prefix} browser ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log(`${prefix} page error: ${e.message}`));
    const payload = [
      ...(developmentPath ? [['extensionDevelopmentPath', remoteUri(server, developmentPath)]] : []),
      ['extensionTestsPath', remoteUri(server, entry)],
    ];
    const timedOut = new Promise((res) => {
      timer = setTimeout(() => res('timeout'), timeoutMs);
    });
    await page.goto(workbenchUrl(server, folder, payload));
    // Fail fast when the test entry never starts (the extension was refused,
    // e.g. engines.vscode newer than 1.100, or the workbench did not load).
    const startLimit = Number(process.env.IOT_AUTHZ_TEST_START_TIMEOUT_MS) || 120_000;
    let startTimer;
    const notStarted = new Promise((res) => {
      startTimer = setTimeout(() => res('not-started'), startLimit);
    });
    startedP.then(() => clearTimeout(startTimer));
    const result = await Promise.race([exited, timedOut, notStarted]);
    clearTimeout(startTimer);
    if (result === 'not-started') {
      log(`${prefix} the test entry did not start within ${startLimit / 1000} s (is engines.vscode <= 1.100? is dist/extension.js built? rerun with IOT_AUTHZ_TEST_VERBOSE=1)`);
    }
    if (result === 'timeout' || result === 'not-started') {
      if (result === 'timeout') log(`${prefix} TIMEOUT after ${timeoutMs / 1000} s`);
      code = 1;
    } else {
      code = result;
    }
  } catch (e) {
    log(`${prefix} launcher error: ${e instanceof Error ? e.stack : String(e)}`);
    code = 1;
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
  }
  let results;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  rmSync(tmp, { recursive: true, force: true });
  rmSync(resolve(folder, '..'), { recursive: true, force: true });
  const passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  if (code !== 0 && failed === 0) failed = 1; // the run itself failed (crash, timeout, load error)
  if (code === 0 && !results) {
    log(`${prefix} no results file was written`);
    code = 1;
    failed = Math.max(failed, 1);
  }
  const seconds = (Date.now() - t0) / 1000;
  log(`${prefix} ${passed} passing, ${failed} failing${results?.pending ? `, ${results.pending} pending` : ''} (${seconds.toFixed(1)} s)`);
  return { pass, code, passed, failed, pending: results?.pending ?? 0, seconds, results };
}

/** Runs the passes chosen by IOT_AUTHZ_TEST_TRUST (default both). */
export async function runOffline({ trust = process.env.IOT_AUTHZ_TEST_TRUST || 'both', grep = process.env.IOT_AUTHZ_TEST_GREP || undefined, log } = {}) {
  const timeoutMs = Number(process.env.IOT_AUTHZ_TEST_TIMEOUT_MS) || 600_000;
  const verbose = process.env.IOT_AUTHZ_TEST_VERBOSE === '1';
  const passes = trust === 'both' ? ['trusted', 'restricted'] : [trust];
  for (const p of passes) if (p !== 'trusted' && p !== 'restricted') throw new Error(`IOT_AUTHZ_TEST_TRUST must be trusted, restricted or both, not ${p}`);
  const out = [];
  for (const pass of passes) {
    out.push(await runPass({ pass, grep, timeoutMs, verbose, log }));
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const passes = await runOffline();
  const passed = passes.reduce((n, p) => n + p.passed, 0);
  const failed = passes.reduce((n, p) => n + p.failed, 0);
  console.log(`[integration] ${passed} passing, ${failed} failing`);
  process.exit(passes.every((p) => p.code === 0) ? 0 : 1);
}
