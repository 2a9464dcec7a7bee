// Installs and runs the VS Code 1.100.3 server (reh-web) taken from the npm
// package code-server@4.100.3, for running the extension offline.
// See docs: /work/shared/notes/real-vscode-offline.md (recipe) and README.
//
// CLI: `node scripts/vscode-server.mjs install` installs (idempotent).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
// IOT_AUTHZ_VSCODE_CACHE moves the install elsewhere (default .vscode-test/, git-ignored).
const CACHE_DIR = process.env.IOT_AUTHZ_VSCODE_CACHE ? resolve(process.env.IOT_AUTHZ_VSCODE_CACHE) : join(REPO_ROOT, '.vscode-test');
const INSTALL_DIR = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const VSCODE_DIR = join(INSTALL_DIR, 'package', 'lib', 'vscode');
const MARKER = join(INSTALL_DIR, '.installed');
const RG_CANDIDATES = ['/usr/bin/rg', '/usr/local/bin/rg'];

function log(msg) {
  process.stderr.write(`[vscode-server] ${msg}\n`);
}

function run(cmd, args, cwd) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  log(`${cmd} ${args.join(' ')}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.stdout;
}

export function isServerInstalled() {
  return existsSync(MARKER) && existsSync(join(VSCODE_DIR, 'out', 'server-main.js'));
}

/** Installs the server under .vscode-test/ unless already there. Returns the lib/vscode folder. */
export function installServer({ force = false } = {}) {
  if (!force && isServerInstalled()) return VSCODE_DIR;
  const t0 = Date.now();
  log(`installing VS Code ${VSCODE_VERSION} server from code-server@${CODE_SERVER_VERSION} into ${INSTALL_DIR}`);
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  // 1. npm pack + extract (npm may print a harmless "nodedir" config warning).
  const packOut = run('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--silent'], INSTALL_DIR);
  const tgz = packOut.trim().split('\n').pop().trim();
  run('tar', ['-xzf', tgz], INSTALL_DIR);
  rmSync(join(INSTALL_DIR, tgz), { force: true });
  if (!existsSync(join(VSCODE_DIR, 'out', 'server-main.js'))) throw new Error(`unexpected layout: no ${VSCODE_DIR}/out/server-main.js`);
  // 2. production deps without install scripts (ripgrep's postinstall would download from GitHub).
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], VSCODE_DIR);
  // 3. the native modules the extension host uses.
  run('npm', ['rebuild', '@vscode/spdlog', '@parcel/watcher', 'native-watchdog', '--loglevel=error'], VSCODE_DIR);
  // 4. node_modules.asar -> node_modules
  const asar = join(VSCODE_DIR, 'node_modules.asar');
  if (!existsSync(asar)) symlinkSync('node_modules', asar);
  // 5. ripgrep from the system (search in files).
  const rg = RG_CANDIDATES.find((p) => existsSync(p));
  const rgDir = join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin');
  if (rg) {
    mkdirSync(rgDir, { recursive: true });
    const target = join(rgDir, 'rg');
    try { lstatSync(target); unlinkSync(target); } catch { /* absent */ }
    symlinkSync(rg, target);
  } else {
    log('warning: no ripgrep (apt-get install ripgrep); search in files will not work');
  }
  const seconds = (Date.now() - t0) / 1000;
  writeFileSync(MARKER, JSON.stringify({ codeServer: CODE_SERVER_VERSION, vscode: VSCODE_VERSION, installedAt: new Date().toISOString(), seconds }, null, 2));
  log(`installed in ${seconds.toFixed(1)} s`);
  return VSCODE_DIR;
}

/** Servers started by this process: their process groups are killed if it is interrupted or exits. */
const running = new Set();
let handlersInstalled = false;
function killAll() {
  for (const c of running) {
    try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  running.clear();
}
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts the server. Options:
 *  - port: number (default: a free port)
 *  - workspaceTrust: boolean (default false: --disable-workspace-trust)
 *  - userSettings: object written to <user-data-dir>/User/settings.json
 *  - extensionsDir: string (--extensions-dir), default <dataDir>/extensions
 *  - dataDir: a folder to keep user data, server data and extensions in
 *    (kept after stop); default a fresh temp dir removed by stop()
 *  - extraArgs: string[]
 *  - env: extra environment for the server (and so for the extension host)
 *  - onOutput(line): receives every server output line
 *  - timeoutMs: how long to wait for "Extension host agent listening" (default 60 s)
 * Resolves to { port, url, pid, dataDir, stop() }.
 */
export async function startServer(opts = {}) {
  if (!isServerInstalled()) installServer();
  const port = opts.port ?? (await freePort());
  const keepDataDir = Boolean(opts.dataDir) || Boolean(opts.keepDataDir);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'iot-authz-vscode-'));
  const serverDataDir = join(dataDir, 'server-data');
  const userDataDir = join(dataDir, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(dataDir, 'extensions');
  for (const d of [serverDataDir, userDataDir, extensionsDir]) mkdirSync(d, { recursive: true });
  if (opts.userSettings) {
    // code-server's build keeps the web workbench's user settings on the
    // server, in <user-data-dir>/User/settings.json (checked: the extension
    // host sees them through getConfiguration).
    for (const dir of [join(userDataDir, 'User')]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'settings.json'), JSON.stringify(opts.userSettings, null, 2));
    }
  }
  const args = [
    join(VSCODE_DIR, 'out', 'server-main.js'),
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--server-data-dir', serverDataDir,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--telemetry-level', 'off',
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  if (opts.extraArgs) args.push(...opts.extraArgs);
  if (!opts.noSignalHandlers) installExitHandlers();
  const child = spawn(process.execPath, args, {
    cwd: VSCODE_DIR,
    env: { ...process.env, ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() can kill the extension hosts too
  });
  const output = [];
  let exited = false;
  const ready = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`VS Code server did not start within ${opts.timeoutMs ?? 60000} ms:\n${output.join('\n')}`)), opts.timeoutMs ?? 60000);
    const onLine = (line) => {
      output.push(line);
      if (output.length > 500) output.shift();
      opts.onOutput?.(line);
      if (line.includes('Extension host agent listening')) {
        clearTimeout(timer);
        res();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      rej(new Error(`VS Code server exited early (code ${code}, signal ${signal}):\n${output.join('\n')}`));
    });
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const stop = async () => {
    if (exited) return cleanup();
    const gone = new Promise((res) => child.once('exit', res));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await gone;
    clearTimeout(t);
    // Extension hosts are in the same group; make sure none is left.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    cleanup();
  };
  const cleanup = () => {
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, dataDir, userDataDir, serverDataDir, extensionsDir, output, stop, process: child };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'install') {
    const t0 = Date.now();
    installServer({ force: process.argv.includes('--force') });
    log(`ready: ${VSCODE_DIR} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const m = JSON.parse(readFileSync(MARKER, 'utf8'));
    log(`recorded install time: ${m.seconds.toFixed(1)} s`);
  } else {
    console.error('usage: node scripts/vscode-server.mjs install [--force]');
    process.exit(2);
  }
}
