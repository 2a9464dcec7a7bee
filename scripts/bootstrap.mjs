// Set-up shared by `npm test` and `npm start`, so each is one command on a
// fresh machine: npm dependencies from package-lock.json when node_modules is
// missing or older than the lock, and the Debian packages the real VS Code
// tests need (chromium, ripgrep, openssl), installed when running as root.
// Only node built-ins here: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args, cwd) {
  console.log(`[setup] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function onPath(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/** npm ci when node_modules is missing or the lock file changed since the last install. */
export function ensureNpmDependencies(root) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'], root);
}

/**
 * Debian packages by the binary they provide. Installed with apt-get when
 * missing and running as root; otherwise a clear message says what to run.
 */
export function ensureSystemPackages(packages = { chromium: 'chromium', rg: 'ripgrep', openssl: 'openssl', mosquitto_pub: 'mosquitto-clients', curl: 'curl' }) {
  const missing = Object.entries(packages).filter(([bin]) => !onPath(bin) && !(bin === 'chromium' && process.env.CHROMIUM_PATH));
  if (missing.length === 0) return;
  const names = missing.map(([, pkg]) => pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    throw new Error(`missing ${names.join(', ')}: install them (Debian: sudo apt-get install -y ${names.join(' ')}), or set CHROMIUM_PATH to a Chromium binary.`);
  }
  run('apt-get', ['update'], '/');
  run('apt-get', ['install', '-y', '--no-install-recommends', ...names], '/');
}
