// `npm start`: the extension in a real VS Code 1.100 (web workbench served by
// the VS Code server from code-server@4.100.3), with a fresh copy of examples/
// open (.vscode-test/start/workspace/examples, replaced at each start, so the
// checkout's own examples/ is never edited).
// No AWS account, no internet, no secrets.
//
//   PORT=8080 node scripts/start.mjs [--verify]
//
// The extension is loaded by a symlink of this repository in the server's
// extensions folder (.vscode-test/start/extensions), so the workbench URL
// works without any payload. Workspace trust is on: the trust prompt and
// Restricted Mode behave as for a user. --verify opens the workbench in
// headless chromium, checks the IoT Authorizer view is there, and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { prepareExamplesWorkspace, startWorkspaceFolder } from './examples-workspace.mjs';
import { join } from 'node:path';
import { ensureNpmDependencies, ensureSystemPackages } from './bootstrap.mjs';
import { REPO_ROOT, VSCODE_VERSION, installServer, startServer } from './vscode-server.mjs';

const verify = process.argv.includes('--verify');
const port = Number(process.env.PORT) || 8080;

ensureNpmDependencies(REPO_ROOT);
ensureSystemPackages(verify ? undefined : { rg: 'ripgrep' });
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
installServer();

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const dataDir = join(REPO_ROOT, '.vscode-test', 'start');
const extensionsDir = join(dataDir, 'extensions');
// A fresh extensions folder each start: only this extension, linked, at the current version.
rmSync(extensionsDir, { recursive: true, force: true });
mkdirSync(extensionsDir, { recursive: true });
const link = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
try { lstatSync(link); unlinkSync(link); } catch { /* absent */ }
symlinkSync(REPO_ROOT, link, 'dir');

const folder = prepareExamplesWorkspace(REPO_ROOT, startWorkspaceFolder(REPO_ROOT));

// Settings are only written the first time, so a user's changes survive restarts.
const settingsFile = join(dataDir, 'user-data', 'User', 'settings.json');
const firstRun = !existsSync(settingsFile);
const server = await startServer({
  port,
  dataDir,
  extensionsDir,
  workspaceTrust: true,
  userSettings: firstRun ? { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true } : undefined,
});

const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nIoT Custom Authorizer Studio is running in VS Code ${VSCODE_VERSION} (server pid ${server.pid}).`);
console.log(`Open: ${url}`);
console.log(`Workspace: ${folder} (a fresh copy of examples/ each start: edits there do not touch the repository).`);
console.log('Press Ctrl-C to stop.\n');

if (verify) {
  const { launchBrowser } = await import('../test/runner/browser.mjs');
  const browser = await launchBrowser();
  let ok = false;
  try {
    await browser.page.goto(url);
    await browser.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const icon = browser.page.locator('.part.activitybar .action-item a.action-label[aria-label^="IoT Authorizer"]').first();
    await icon.waitFor({ state: 'visible', timeout: 60_000 });
    ok = true;
    console.log('verify: the IoT Authorizer activity-bar icon is shown: the extension is loaded');
  } catch (e) {
    console.log(`verify: FAILED: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
  process.exit(ok ? 0 : 1);
}

let stopping = false;
const shutdown = async () => {
  stopping = true;
  console.log('\nstopping the VS Code server...');
  await server.stop();
  process.exit(0);
};
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
server.process.on('exit', (code) => {
  if (stopping) return;
  console.log(`the VS Code server exited (${code})`);
  process.exit(code ?? 1);
});
