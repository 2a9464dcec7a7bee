// `npm run mutation [-- PATH...] [--budget MINUTES] [--no-typecheck]`: StrykerJS mutation testing
// of src/core (stryker.config.mjs), one Stryker run per PATH (a folder or file
// under src/core; default: the five folders below). Not part of `npm test`.
//
// Each PATH has its own incremental file (reports/stryker-incremental/) and its
// own reports (reports/mutation/<name>/mutation.html and mutation.json), so a
// run of one folder neither forgets nor overwrites another's results. At the end
// the score of every PATH is printed against its target; exit 1 when one is below.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { findFiles } from './files.mjs';
import { REPO_ROOT } from './vscode-server.mjs';

/** Score targets (issue 14); other paths under src/core are reported without one. */
const TARGETS = {
  'src/core/policy': 85,
  'src/core/tokens': 85,
  'src/core/keys': 75,
  'src/core/authoring/rules': 75,
  'src/core/emulator': 75,
};

function usage(msg) {
  console.error(`${msg}\nusage: npm run mutation [-- PATH...] [--budget MINUTES] [--no-typecheck]   (PATH: a folder or .ts file under src/core)`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const paths = [];
let budgetMin;
let typecheck = true;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--no-typecheck') typecheck = false;
  else if (a === '--budget') {
    budgetMin = Number(argv[++i]);
    if (!(budgetMin > 0)) usage('--budget needs a number of minutes');
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else paths.push(a);
}
const groups = (paths.length ? paths : Object.keys(TARGETS)).map((p) => {
  const abs = resolve(p);
  const rel = relative(REPO_ROOT, abs).split(sep).join('/');
  if (!existsSync(abs)) usage(`${p} does not exist`);
  if (rel !== 'src/core' && !rel.startsWith('src/core/')) usage(`${p} is not under src/core`);
  const dir = statSync(abs).isDirectory();
  if (!dir && !rel.endsWith('.ts')) usage(`${p} is not a folder or a .ts file`);
  return { rel, glob: dir ? `${rel}/**/*.ts` : rel, name: rel.replace(/^src\/core\/?/, '').replace(/[/.]/g, '-') || 'core' };
});
// Minutes per folder measured on the 2-core machine (build, dry run, mutants);
// the default budget is their sum, so a run far beyond it says something changed.
const EXPECTED_MIN = { 'src/core/policy': 12, 'src/core/tokens': 12, 'src/core/keys': 15, 'src/core/authoring/rules': 20, 'src/core/emulator': 25 };
const budget = (budgetMin ?? groups.reduce((s, g) => s + (EXPECTED_MIN[g.rel] ?? 15), 0)) * 60_000;

const t0 = Date.now();
const mins = (ms) => `${(ms / 60_000).toFixed(1)} min`;
console.log(`[mutation] ${groups.map((g) => g.rel).join(', ')}; time budget ${mins(budget)} (incremental: unchanged mutants and tests are not rerun)`);

/**
 * The compiled unit tests that exercise a path: every test under
 * test/unit/core/<area>/ and every other unit test naming src/core/<area> in an
 * import (<area>: policy, tokens, authoring...). Running the whole unit stage
 * for every folder would make the first, instrumented run take minutes more.
 */
/**
 * Suites that drive real servers and processes (the local endpoint with curl and
 * mosquitto, `iot-authz serve`, worker threads): for the folder they test they run,
 * for another folder whose code they merely pass through they would run for
 * nearly every mutant of it, seconds each.
 */
const SLOW_ELSEWHERE = ['test/unit/core/endpoint/endpoint.test.ts', 'test/unit/cli/serve.test.ts', 'test/unit/core/batch/signBatch.test.ts'];

/**
 * Command-line tests that drive an area through `iot-authz` in-process (main(argv))
 * without naming it in an import. Only the quick ones: the `invoke` and `test`
 * suites run real handler processes, and with them the emulator's run took
 * over an hour and a half instead of a quarter.
 */
const THROUGH_THE_CLI = {
  'src/core/emulator': ['test/unit/cli/simulate.test.ts'],
};

function specFor(rel) {
  const area = rel.split('/').slice(0, 3).join('/');
  const files = findFiles(join(REPO_ROOT, 'test', 'unit'), '.test.ts').filter((f) => {
    const r = relative(REPO_ROOT, f).split(sep).join('/');
    if (area === 'src/core' || r.startsWith(`test/unit/core/${area.slice('src/core/'.length)}/`)) return true;
    if ((THROUGH_THE_CLI[area] ?? []).includes(r)) return true;
    if (SLOW_ELSEWHERE.includes(r)) return false;
    const text = readFileSync(f, 'utf8');
    return text.includes(`${area}'`) || text.includes(`${area}/`);
  });
  return files.map((f) => relative(REPO_ROOT, f).split(sep).join('/').replace(/^test\//, 'out/test/').replace(/\.ts$/, '.js'));
}

function stryker(g) {
  const args = [
    join(REPO_ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'),
    'run',
    'stryker.config.mjs',
    '--mutate', g.glob,
    '--incrementalFile', `reports/stryker-incremental/${g.name}.json`,
    // The TypeScript checker drops mutants that would not compile before they run; on a
    // busy machine it is the slowest part. Without it they run (and almost all fail a test).
    ...(typecheck ? [] : ['--checkers', '']),
  ];
  // The report folder and the test files are not command-line options; the config reads them from the environment.
  const env = {
    ...process.env,
    IOT_AUTHZ_MUTATION_REPORT: `reports/mutation/${g.name}`,
    IOT_AUTHZ_MUTATION_SPEC: specFor(g.rel).join(','),
    // A rule that throws fails the test (kills the mutant) instead of becoming a finding.
    IOT_AUTHZ_STRICT_RULES: '1',
  };
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    const tick = setInterval(() => {
      const used = Date.now() - t0;
      console.log(`[mutation] elapsed ${mins(used)} of ${mins(budget)}${used > budget ? ' (over budget)' : ''}`);
    }, 5 * 60_000);
    child.on('close', (code) => {
      clearInterval(tick);
      done(code ?? 1);
    });
  });
}

/** Score of one Stryker JSON report: detected / (detected + undetected), as Stryker counts it. */
function score(reportFile) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, invalid: 0, ignored: 0 };
  const survivors = [];
  for (const [file, f] of Object.entries(report.files)) {
    for (const m of f.mutants) {
      if (m.status in c) c[m.status]++;
      else if (m.status === 'Ignored') c.ignored++;
      else c.invalid++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') survivors.push(`${file}:${m.location.start.line} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no test covers it)' : ''}`);
    }
  }
  const detected = c.Killed + c.Timeout;
  const total = detected + c.Survived + c.NoCoverage;
  return { ...c, detected, total, pct: total ? (100 * detected) / total : NaN, survivors };
}

const results = [];
for (const g of groups) {
  const t = Date.now();
  console.log(`\n===== mutation: ${g.rel} =====`);
  console.log(`[mutation] tests: ${specFor(g.rel).map((f) => f.replace(/^out\/test\/unit\//, '')).join(' ')}`);
  const code = await stryker(g);
  const file = join(REPO_ROOT, 'reports', 'mutation', g.name, 'mutation.json');
  const s = code === 0 && existsSync(file) ? score(file) : undefined;
  results.push({ g, code, s, ms: Date.now() - t });
  console.log(`[mutation] ${g.rel}: ${s ? `${s.pct.toFixed(2)}%` : `Stryker exited ${code}`} (${mins(Date.now() - t)}; elapsed ${mins(Date.now() - t0)} of ${mins(budget)})`);
}

console.log(`\n===== mutation score per folder (${mins(Date.now() - t0)}, budget ${mins(budget)}) =====`);
let below = false;
for (const { g, code, s, ms } of results) {
  const target = TARGETS[g.rel];
  if (!s) {
    below = true;
    console.log(`${g.rel}: not measured (Stryker exited ${code})`);
    continue;
  }
  const miss = target !== undefined && s.pct < target;
  if (miss) below = true;
  console.log(
    `${g.rel}: ${s.pct.toFixed(2)}%${target !== undefined ? ` (target ${target}%${miss ? ', BELOW' : ''})` : ''}: ` +
      `${s.Killed} killed, ${s.Timeout} timeout, ${s.Survived} survived, ${s.NoCoverage} no coverage, ${s.ignored} ignored, ${s.invalid} compile/runtime errors; ${mins(ms)}`,
  );
  console.log(`  surviving mutants: reports/mutation/${g.name}/mutation.html`);
}
process.exit(below ? 1 : 0);
