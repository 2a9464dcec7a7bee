// Runs the integration tests in a desktop (Electron) VS Code downloaded by
// @vscode/test-electron. Needs internet (the first run downloads VS Code
// into .vscode-test/) and a display (on a headless Linux: xvfb-run -a).
//
//   node test/runner/electron.mjs        # both passes: trusted, then restricted
//
// Same environment variables as test/runner/offline.mjs (IOT_AUTHZ_TEST_GREP,
// IOT_AUTHZ_TEST_TRUST, IOT_AUTHZ_TEST_TIMEOUT_MS), plus
//   IOT_AUTHZ_VSCODE_VERSION   the VS Code to download (default 1.100.3, the
//                              version the offline server runs; "stable" works too)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { WORKBENCH_SETTINGS, copyToTemp } from './browser.mjs';
import { RESTRICTED_SETTINGS, passEnv } from './passes.mjs';

const TESTS_ENTRY = join(REPO_ROOT, 'out', 'test', 'integration', 'index');
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'workspace');

async function runPass(pass, grep, timeoutMs) {
  const t0 = Date.now();
  const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const version = process.env.IOT_AUTHZ_VSCODE_VERSION || '1.100.3';
  const tmp = mkdtempSync(join(tmpdir(), `iot-authz-electron-${pass}-`));
  const resultsFile = join(tmp, 'results.json');
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const restricted = pass === 'restricted';
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...WORKBENCH_SETTINGS, ...(restricted ? RESTRICTED_SETTINGS : {}) }, null, 2));
  const folder = copyToTemp(FIXTURE, 'iot-authz-electron-ws-');
  const env = passEnv(pass, grep, resultsFile);
  const prefix = `[integration:${pass}]`;
  let code = 1;
  let timer;
  try {
    const vscodeExecutablePath = await downloadAndUnzipVSCode({ version });
    const common = [folder, '--disable-extensions', `--user-data-dir=${userDataDir}`, `--extensions-dir=${extensionsDir}`];
    const limit = new Promise((res) => {
      timer = setTimeout(() => res('timeout'), timeoutMs);
    });
    let run;
    if (!restricted) {
      // runTests adds --disable-workspace-trust, --extensionDevelopmentPath and --extensionTestsPath.
      run = runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: TESTS_ENTRY,
        extensionTestsEnv: env,
        launchArgs: common,
      }).then(
        () => 0,
        (e) => (typeof e?.code === 'number' ? e.code || 1 : 1),
      );
    } else {
      // runTests always passes --disable-workspace-trust; the restricted pass
      // needs trust enabled, so it starts the same executable itself.
      const args = [
        ...common,
        '--no-sandbox',
        '--disable-gpu-sandbox',
        '--disable-updates',
        '--skip-welcome',
        '--skip-release-notes',
        '--no-cached-data',
        `--extensionDevelopmentPath=${REPO_ROOT}`,
        `--extensionTestsPath=${TESTS_ENTRY}`,
      ];
      const child = spawn(vscodeExecutablePath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
      run = new Promise((res) => {
        child.on('error', () => res(1));
        child.on('exit', (c) => res(c ?? 1));
      });
      limit.then(() => child.kill('SIGKILL'));
    }
    const r = await Promise.race([run, limit]);
    code = r === 'timeout' ? 1 : r;
    if (r === 'timeout') console.log(`${prefix} TIMEOUT after ${timeoutMs / 1000} s`);
  } catch (e) {
    console.log(`${prefix} launcher error: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    clearTimeout(timer);
  }
  let results;
  try {
    results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  } catch {
    results = undefined;
  }
  rmSync(tmp, { recursive: true, force: true });
  rmSync(resolve(folder, '..'), { recursive: true, force: true });
  const passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  if (code !== 0 && failed === 0) failed = 1;
  if (code === 0 && !results) {
    code = 1;
    failed = 1;
  }
  console.log(`${prefix} ${passed} passing, ${failed} failing (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { pass, code, passed, failed };
}

export async function runElectron({ trust = process.env.IOT_AUTHZ_TEST_TRUST || 'both', grep = process.env.IOT_AUTHZ_TEST_GREP || undefined } = {}) {
  const timeoutMs = Number(process.env.IOT_AUTHZ_TEST_TIMEOUT_MS) || 600_000;
  const passes = trust === 'both' ? ['trusted', 'restricted'] : [trust];
  const out = [];
  for (const pass of passes) {
    out.push(await runPass(pass, grep, timeoutMs));
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(`${TESTS_ENTRY}.js`)) {
    console.error(`${TESTS_ENTRY}.js is missing: run npx tsc -p . first`);
    process.exit(1);
  }
  const passes = await runElectron();
  const passed = passes.reduce((n, p) => n + p.passed, 0);
  const failed = passes.reduce((n, p) => n + p.failed, 0);
  console.log(`[integration] ${passed} passing, ${failed} failing`);
  process.exit(passes.every((p) => p.code === 0) ? 0 : 1);
}
