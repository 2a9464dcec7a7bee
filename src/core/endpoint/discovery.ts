import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDefinitionFile, LoadedDefinition } from '../emulator/definition';
import { errorText } from '../errors';

export const DEFAULT_AUTHORIZER_GLOB = '**/*.authorizer.json';
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist']);
const MAX_FILES_VISITED = 50_000;

/** Wildcard match of one path segment: `*` any run, `?` one character; linear (no backtracking). */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Glob match of a `/`-separated relative path; `**` is any number of segments. */
export function globMatch(glob: string, rel: string): boolean {
  const g = glob.split('/').filter((s) => s !== '' && s !== '.');
  const r = rel.split('/');
  // reachable[j]: the first i glob segments can match the first j path segments.
  let reachable: boolean[] = new Array(r.length + 1).fill(false);
  reachable[0] = true;
  for (const seg of g) {
    const next = new Array(r.length + 1).fill(false);
    for (let j = 0; j <= r.length; j++) {
      if (!reachable[j]) continue;
      if (seg === '**') for (let k = j; k <= r.length; k++) next[k] = true;
      else if (j < r.length && matchSegment(seg, r[j])) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable[r.length];
}

/** Files under root matching any of the globs (or named directly); node_modules, out, dist and dot folders skipped. */
export function findDefinitionFiles(root: string, patterns: string[]): string[] {
  const out = new Set<string>();
  const globs: string[] = [];
  for (const p of patterns) {
    const abs = path.resolve(root, p);
    if (!/[*?]/.test(p) && fs.existsSync(abs) && fs.statSync(abs).isFile()) out.add(abs);
    else globs.push(p.split(path.sep).join('/'));
  }
  if (globs.length) {
    let visited = 0;
    const seen = new Set<string>();
    const walk = (dir: string) => {
      let real: string;
      try {
        real = fs.realpathSync(dir);
      } catch {
        return;
      }
      if (seen.has(real)) return; // link loops
      seen.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (++visited > MAX_FILES_VISITED) return;
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) walk(abs);
        } else if (e.isFile()) {
          const rel = path.relative(root, abs).split(path.sep).join('/');
          if (globs.some((g) => globMatch(g, rel))) out.add(abs);
        }
      }
    };
    walk(root);
  }
  return [...out];
}

export interface DiscoveredAuthorizer {
  name: string;
  file: string;
  def: LoadedDefinition;
  active: boolean;
}

/** Loads every definition; files that cannot be read are reported and left out. */
export function loadAuthorizers(root: string, patterns: string[], warn: (message: string) => void): DiscoveredAuthorizer[] {
  const found: DiscoveredAuthorizer[] = [];
  for (const file of findDefinitionFiles(root, patterns)) {
    try {
      const def = loadDefinitionFile(file, { workspaceRoot: root });
      const clash = found.find((a) => a.name === def.authorizerName);
      if (clash) {
        warn(`${path.relative(root, file)} defines "${def.authorizerName}" again (already from ${path.relative(root, clash.file)}); the first one is used.`);
        continue;
      }
      found.push({ name: def.authorizerName, file, def, active: def.raw.status !== 'INACTIVE' });
    } catch (e) {
      warn(`${path.relative(root, file)} is left out: ${errorText(e)}`);
    }
  }
  return found;
}
