// `npm run bench`: compiles with tsc and runs every out/test/bench/**/*.bench.js
// in its own Node process, one after the other (each prints its own table).
//   node scripts/bench.mjs [filter]   only bench files whose path contains filter
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { findFiles } from './files.mjs';
import { REPO_ROOT } from './vscode-server.mjs';


const filter = process.argv[2];
const tsc = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (tsc.status !== 0) console.error(`tsc exited ${tsc.status}; running the benches that were emitted`);
const files = findFiles(join(REPO_ROOT, 'out', 'test', 'bench'), '.bench.js').filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.log('no benches (test/bench/**/*.bench.ts)');
  process.exit(0);
}
let failed = 0;
for (const f of files) {
  const rel = relative(REPO_ROOT, f);
  console.log(`\n===== ${rel} =====`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', f], { cwd: REPO_ROOT, stdio: 'inherit' });
  console.log(`(${rel}: exit ${r.status}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) failed++;
}
console.log(`\n${files.length - failed} bench(es) ok, ${failed} failed`);
process.exit(failed ? 1 : 0);
