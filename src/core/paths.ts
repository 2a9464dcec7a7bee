import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from './errors';

/** The real path of p, resolving links in its deepest existing ancestor (p itself may not exist yet). */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Whether p (links resolved) is inside one of roots (links resolved). */
export function isInside(p: string, roots: Array<string | undefined>): boolean {
  const real = realPathOf(p);
  return roots.some((r) => {
    if (!r) return false;
    const rel = path.relative(realPathOf(r), real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * Refuses a key path from a definition or test case that leads outside the
 * workspace and the file's own folder (`../../x`, `/etc/shadow`, a link out),
 * unless the user opted in: files name key paths, and a shared file must not
 * make the tools read or write keys anywhere on the machine.
 */
export function assertInsideWorkspace(p: string, roots: Array<string | undefined>, what: string, allowOutside = false): void {
  if (allowOutside || isInside(p, roots)) return;
  const shown = roots.filter((r): r is string => !!r).join(' or ');
  throw new AuthzError(
    'PATH_OUTSIDE_WORKSPACE',
    `The ${what} ${p} is outside ${shown}; it was not read or written.`,
    'Keep keys inside the workspace (or next to the file naming them), or allow it deliberately: --allow-outside-workspace on the command line.',
  );
}
