// Activation and bundle size, against references measured in the same run:
// - activate() of the extension installed from the production VSIX, timed from
//   outside and by the extension itself, against an extension whose activate()
//   does nothing, in the same VS Code 1.100 extension host (median of 3 hosts);
// - dist/extension.js (production) against the 500 KB budget and against all
//   the code the extension ships (extension.js + the lazily loaded chunks).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** tsc turns import() into require(), which cannot load the .mjs test runners. */
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<Record<string, unknown>>;

interface Activation {
  referenceMs: number;
  oursMs: number;
  selfMs?: number;
  wasActive: boolean;
  sdkLoaded: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const { packageVsix } = (await importEsm(path.join(ROOT, 'scripts', 'package.mjs'))) as { packageVsix: (o: { quiet: boolean }) => { file: string } };
  const { installVsix } = (await importEsm(path.join(ROOT, 'test', 'package', 'installed.mjs'))) as { installVsix: (f: string) => { dir: string } };
  const { runPass } = (await importEsm(path.join(ROOT, 'test', 'runner', 'offline.mjs'))) as { runPass: (o: object) => Promise<{ code: number; results?: { activation?: Activation } }> };

  const { file } = packageVsix({ quiet: true });
  const dist = (f: string) => fs.statSync(path.join(ROOT, 'dist', f)).size;
  const ext = dist('extension.js');
  const all = fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js') && f !== 'cli.js').reduce((n, f) => n + dist(f), 0);

  const runs: Activation[] = [];
  for (let i = 0; i < 3; i++) {
    const { dir } = installVsix(file);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-bench-ws-'));
    try {
      const r = await runPass({
        pass: 'trusted',
        entry: path.join(ROOT, 'out', 'test', 'bench', 'activation', 'entry'),
        developmentPath: path.join(ROOT, 'test', 'package', 'test-host'),
        extensionsDir: dir,
        fixture: empty,
        tag: 'activation-bench',
        log: () => undefined,
        timeoutMs: 180_000,
      });
      const a = r.results?.activation;
      if (r.code !== 0 || !a) throw new Error(`run ${i + 1} failed (exit ${r.code})`);
      runs.push(a);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }
  const ref = median(runs.map((r) => r.referenceMs));
  const ours = median(runs.map((r) => r.oursMs));
  const self = median(runs.map((r) => r.selfMs ?? NaN));
  const rows = [
    ['activation (installed VSIX, VS Code 1.100 host)', `${ours.toFixed(1)} ms from outside, activate() itself ${self.toFixed(1)} ms (target < 20 ms)`, `${(ours / ref).toFixed(1)}x an empty extension's ${ref.toFixed(1)} ms`],
    ['AWS SDK loaded at activation', runs.some((r) => r.sdkLoaded) ? 'YES' : 'no', 'loaded at the first AWS action'],
    ['dist/extension.js (production)', `${(ext / 1024).toFixed(1)} KB`, `${(ext / (500 * 1024)).toFixed(2)}x the 500 KB budget; ${((100 * ext) / all).toFixed(0)}% of the ${(all / 1024).toFixed(0)} KB the extension ships`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`${'what'.padEnd(w0)}  ${'measured'.padEnd(w1)}  against the reference`);
  for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);
  console.log(`(activation runs: ${runs.map((r) => `${r.oursMs.toFixed(1)}/${r.referenceMs.toFixed(1)} ms`).join(', ')})`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
