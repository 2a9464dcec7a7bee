// Small file helpers shared by the npm scripts (test, bench). Node built-ins only.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` ending with `suffix`, sorted; [] when `dir` does not exist. */
export function findFiles(dir, suffix, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findFiles(p, suffix, out);
    else if (e.isFile() && e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}
