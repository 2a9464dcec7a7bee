// `npm test`: the one command on a fresh machine.
// Stages: build, typecheck, lint, compile, unit, integration (two passes),
// e2e, package (the VSIX and the CLI tarball, tested as installed). Later stages still run after a failure where they can; the exit code
// is 1 when anything failed. The last line is `N passed, N failed`.
//
//   node scripts/test.mjs [--only unit|integration|e2e|package] [--launcher offline|electron] [--grep <text>]
//
// Environment: IOT_AUTHZ_TEST_LAUNCHER (offline|electron), IOT_AUTHZ_TEST_GREP,
// IOT_AUTHZ_TEST_TRUST (trusted|restricted|both), IOT_AUTHZ_TEST_VERBOSE=1.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureNpmDependencies, ensureSystemPackages } from './bootstrap.mjs';
import { findFiles } from './files.mjs';
import { REPO_ROOT } from './vscode-server.mjs';

const argv = process.argv.slice(2);
function flag(name) {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
  return v;
}
function usage(msg) {
  console.error(`${msg}\nusage: node scripts/test.mjs [--only unit|integration|e2e|package] [--launcher offline|electron] [--grep <text>]`);
  process.exit(2);
}
for (const a of argv) {
  if (a.startsWith('--') && !['--only', '--launcher', '--grep'].includes(a)) usage(`unknown option ${a}`);
}
const only = flag('--only');
if (only && !['unit', 'integration', 'e2e', 'package'].includes(only)) usage(`--only must be unit, integration, e2e or package`);
const launcher = flag('--launcher') ?? process.env.IOT_AUTHZ_TEST_LAUNCHER ?? 'offline';
if (!['offline', 'electron'].includes(launcher)) usage('--launcher must be offline or electron');
const grep = flag('--grep') ?? process.env.IOT_AUTHZ_TEST_GREP ?? undefined;

const bin = (name) => join(REPO_ROOT, 'node_modules', '.bin', name);
const t0 = Date.now();

/** Runs a command, streaming its output; resolves to { code, output }. */
function exec(cmd, args, { env, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (stream) => (d) => {
      const s = d.toString();
      output += s;
      if (!quiet) stream.write(s);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', (e) => resolve({ code: 127, output: `${output}\n${e.message}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}


// Deletes every out/ .js file (with its .js.map and .d.ts) whose .ts source no longer exists.
function pruneStale(outDir) {
  let n = 0;
  for (const f of findFiles(outDir, '.js')) {
    const src = join(REPO_ROOT, relative(outDir, f)).replace(/\.js$/, '.ts');
    if (!existsSync(src)) {
      for (const g of [f, `${f}.map`, f.replace(/\.js$/, '.d.ts')]) rmSync(g, { force: true });
      n++;
    }
  }
  return n;
}

function secs(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Last `<tag> N passing, N failing` line in an output. */
function counts(output, tag) {
  const re = new RegExp(`^\\[${tag}\\] (\\d+) passing, (\\d+) failing`, 'gm');
  let m;
  let last;
  while ((m = re.exec(output))) last = m;
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

const summary = []; // { stage, line, ok, passed?, failed? }
let anyFailed = false;
const record = (stage, ok, line, extra = {}) => {
  if (!ok) anyFailed = true;
  summary.push({ stage, ok, line, ...extra });
  console.log(`\n[${stage}] ${line}\n`);
};
const banner = (stage) => console.log(`\n===== ${stage} =====`);

async function simpleStage(stage, cmd, args) {
  banner(stage);
  const t = Date.now();
  const r = await exec(cmd, args);
  record(stage, r.code === 0, `${r.code === 0 ? 'ok' : `FAILED (exit ${r.code})`} (${secs(Date.now() - t)})`);
  return r.code === 0;
}

const wants = (s) => !only || only === s;
const needBuild = !only || only === 'integration' || only === 'e2e';
const needCompile = !only || only === 'unit' || only === 'integration' || only === 'package';

let built = false;
let compiled = false;

// One command on a fresh machine: npm dependencies, and the Debian packages the
// real-VS-Code stages need (installed when running as root).
try {
  ensureNpmDependencies(REPO_ROOT);
  if (!only || only !== 'unit') ensureSystemPackages();
  else ensureSystemPackages({ openssl: 'openssl', mosquitto_pub: 'mosquitto-clients', curl: 'curl' });
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

if (needBuild) built = await simpleStage('build', process.execPath, ['scripts/build.mjs']);
if (!only) {
  await simpleStage('typecheck', bin('tsc'), ['-p', '.', '--noEmit']);
  await simpleStage('lint', bin('eslint'), ['src', 'test', 'scripts']);
}
if (needCompile) {
  banner('compile');
  const t = Date.now();
  // out/ is not wiped (other runs may be using it); outputs whose source is gone are pruned.
  const r = await exec(bin('tsc'), ['-p', '.']);
  const pruned = pruneStale(join(REPO_ROOT, 'out'));
  if (pruned) console.log(`pruned ${pruned} stale file(s) from out/`);
  // tsc emits even with type errors; those already fail the typecheck stage.
  compiled = existsSync(join(REPO_ROOT, 'out'));
  const ok = r.code === 0;
  const line = ok ? `ok (${secs(Date.now() - t)})` : compiled ? `emitted with type errors (exit ${r.code}) (${secs(Date.now() - t)})` : `FAILED (exit ${r.code})`;
  // With the typecheck stage run, type errors are counted once, there.
  record('compile', ok || (compiled && !only), line);
}

let totalPassed = 0;
let totalFailed = 0;
const testStage = (stage, c, seconds, detail = '') => {
  totalPassed += c.passed;
  totalFailed += c.failed;
  record(stage, c.failed === 0 && c.ok !== false, `${c.passed} passing, ${c.failed} failing${detail} (${secs(seconds)})`, c);
};

if (wants('unit')) {
  banner('unit');
  const t = Date.now();
  const files = findFiles(join(REPO_ROOT, 'out', 'test', 'unit'), '.test.js');
  if (!compiled) {
    testStage('unit', { passed: 0, failed: 1, ok: false }, Date.now() - t, ', not run: compile failed');
  } else if (files.length === 0) {
    console.log('no unit tests (out/test/unit/**/*.test.js)');
    testStage('unit', { passed: 0, failed: 0 }, Date.now() - t);
  } else {
    const args = ['--ui', 'bdd', '--reporter', 'spec', '--no-color', '--timeout', '20000', ...(grep ? ['--fgrep', grep] : []), ...files.map((f) => relative(REPO_ROOT, f))];
    // A rule that throws fails its test instead of becoming an INTERNAL_RULE_ERROR finding.
    const r = await exec(bin('mocha'), args, { env: { IOT_AUTHZ_STRICT_RULES: '1' } });
    const passing = /^\s*(\d+) passing/m.exec(r.output);
    const failing = /^\s*(\d+) failing/m.exec(r.output);
    const c = { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0 };
    if (r.code !== 0 && c.failed === 0) c.failed = 1; // crashed before reporting
    testStage('unit', c, Date.now() - t, r.code !== 0 && !failing ? `, mocha exited ${r.code}` : '');
  }
}

if (wants('integration')) {
  banner(`integration (${launcher})`);
  const t = Date.now();
  if (!compiled || !built) {
    testStage('integration', { passed: 0, failed: 1, ok: false }, Date.now() - t, `, not run: ${!built ? 'build' : 'compile'} failed`);
  } else {
    const script = launcher === 'electron' ? 'test/runner/electron.mjs' : 'test/runner/offline.mjs';
    const r = await exec(process.execPath, [script], { env: grep ? { IOT_AUTHZ_TEST_GREP: grep } : {} });
    const c = counts(r.output, 'integration') ?? { passed: 0, failed: 1 };
    if (r.code !== 0 && c.failed === 0) c.failed = 1;
    const passes = [...r.output.matchAll(/^\[integration:(\w+)\] (\d+) passing, (\d+) failing \(/gm)].map((m) => `${m[1]} ${m[2]}/${m[3]}`);
    testStage('integration', c, Date.now() - t, passes.length ? ` [${passes.join(', ')}]` : '');
  }
}

if (wants('e2e')) {
  banner('e2e');
  const t = Date.now();
  if (!built) {
    testStage('e2e', { passed: 0, failed: 1, ok: false }, Date.now() - t, ', not run: build failed');
  } else {
    // Every test/e2e/*.e2e.mjs (the workbench checks, the UI tour), one after the other.
    const c = { passed: 0, failed: 0 };
    for (const file of findFiles(join(REPO_ROOT, 'test', 'e2e'), '.e2e.mjs')) {
      const r = await exec(process.execPath, [relative(REPO_ROOT, file)]);
      const fc = counts(r.output, 'e2e') ?? { passed: 0, failed: 1 };
      if (r.code !== 0 && fc.failed === 0) fc.failed = 1;
      c.passed += fc.passed;
      c.failed += fc.failed;
    }
    testStage('e2e', c, Date.now() - t);
  }
}

if (wants('package')) {
  banner('package');
  const t = Date.now();
  if (!compiled) {
    testStage('package', { passed: 0, failed: 1, ok: false }, Date.now() - t, ', not run: compile failed');
  } else {
    // The VSIX (production bundles + vsce), installed into the VS Code server and
    // smoke-tested; the same suite must fail when a run-time file is left out;
    // then the CLI tarball installed with npm into an empty prefix.
    const c = { passed: 0, failed: 0 };
    const add = (ok, line) => {
      if (ok) c.passed++;
      else c.failed++;
      console.log(`[package] ${ok ? 'ok  ' : 'FAIL'} ${line}`);
    };
    const { packageVsix } = await import('./package.mjs');
    let vsix;
    try {
      const r = packageVsix({ quiet: true });
      vsix = r.file;
      add(true, `npm run package: ${r.summary}`);
    } catch (e) {
      add(false, `npm run package: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (vsix) {
      const { runInstalled } = await import('../test/package/installed.mjs');
      const r = await runInstalled({ vsix });
      c.passed += r.passed;
      c.failed += r.failed;
      for (const [without, grep] of [['schemas', 'schema'], ['dist/aws.js', 'AWS']]) {
        const n = await runInstalled({ vsix, without: [without], grep, log: () => undefined });
        add(n.failed > 0, `the installed smoke suite fails when ${without} is left out of the VSIX`);
      }
    }
    const { runCliPackage } = await import('../test/package/cli.mjs');
    const cli = await runCliPackage();
    c.passed += cli.passed;
    c.failed += cli.failed;
    testStage('package', c, Date.now() - t);
  }
}

console.log(`\n===== summary (${secs(Date.now() - t0)}) =====`);
for (const s of summary) console.log(`[${s.stage}]${' '.repeat(Math.max(1, 13 - s.stage.length))}${s.line}`);
console.log(`${totalPassed} passed, ${totalFailed} failed`);
process.exit(anyFailed || totalFailed > 0 ? 1 : 0);
