// The installed-extension smoke test: installs the VSIX into the VS Code 1.100
// server (--install-extension into a fresh extensions folder), opens a copy of
// the fixture workspace with no development path for it (only an empty test
// host extension, which VS Code needs to run tests at all), and runs
// test/installed/*.test.ts against the installed copy.
//
//   node test/package/installed.mjs [--vsix FILE] [--without PATH]... [--expect-failure] [--grep TEXT]
//
// --without PATH deletes PATH (e.g. schemas, dist/aws.js) from the installed
// copy before the run, as if the VSIX had been packaged without it;
// --expect-failure inverts the exit code: the run must fail (the smoke suite
// must notice the missing file). Prints `[installed:<pass>] N passing, N failing`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, VSCODE_DIR, installServer } from '../../scripts/vscode-server.mjs';
import { runPass } from '../runner/offline.mjs';

const ENTRY = join(REPO_ROOT, 'out', 'test', 'installed', 'index');
// VS Code starts an extensionTestsPath only when an extension is loaded for
// development; this empty one is that extension, so ours comes from the VSIX.
const TEST_HOST = join(REPO_ROOT, 'test', 'package', 'test-host');

/** Installs `vsix` into a fresh extensions folder; returns { dir, extensionPath }. */
export function installVsix(vsix) {
  installServer();
  const dir = mkdtempSync(join(tmpdir(), 'iot-authz-installed-'));
  const out = execFileSync(process.execPath, [join(VSCODE_DIR, 'out', 'server-main.js'), '--extensions-dir', dir, '--install-extension', vsix, '--accept-server-license-terms'], {
    cwd: VSCODE_DIR,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} failed:\n${out}`);
  const folder = readdirSync(dir).find((n) => n.startsWith('iot-authz-studio.iot-authorizer-studio-'));
  if (!folder) throw new Error(`the extension is not in ${dir} after --install-extension:\n${out}`);
  return { dir, extensionPath: join(dir, folder) };
}

/** Installs, runs the smoke suite; resolves to runPass()'s result plus the install folder. */
export async function runInstalled({ vsix, without = [], grep, log = (l) => console.log(l) } = {}) {
  if (!vsix || !existsSync(vsix)) throw new Error(`no VSIX at ${vsix}: run npm run package first`);
  const { dir, extensionPath } = installVsix(vsix);
  try {
    for (const p of without) {
      rmSync(join(extensionPath, p), { recursive: true, force: true });
      log(`[installed] removed ${p} from the installed copy`);
    }
    const tag = without.length ? `installed-without-${without.join('+').replace(/[^\w.+-]/g, '_')}` : 'installed';
    return await runPass({
      pass: 'trusted',
      grep,
      entry: ENTRY,
      developmentPath: TEST_HOST,
      extensionsDir: dir,
      env: { IOT_AUTHZ_INSTALLED_EXTENSIONS_DIR: dir },
      tag,
      log,
      timeoutMs: 300_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const values = (name) => argv.flatMap((a, i) => (a === name ? [argv[i + 1]] : []));
  const pkg = (await import('../../package.json', { with: { type: 'json' } })).default;
  const vsix = resolve(values('--vsix')[0] ?? join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`));
  const expectFailure = argv.includes('--expect-failure');
  const r = await runInstalled({ vsix, without: values('--without'), grep: values('--grep')[0] });
  const ok = expectFailure ? r.failed > 0 : r.code === 0;
  if (expectFailure) console.log(`[installed] ${ok ? 'ok: the smoke suite failed without' : 'FAIL: the smoke suite passed without'} ${values('--without').join(', ')}`);
  process.exit(ok ? 0 : 1);
}
