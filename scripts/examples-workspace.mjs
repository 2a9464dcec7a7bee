// The examples workspace as a new user first sees it, written outside the
// tracked tree: `npm start` serves it, the e2e tour opens a copy of it.
// The web workbench autosaves, and quick fixes, generated keys and new files
// land in the folder it opens: a fresh copy each start keeps the checkout's
// own examples/ untouched.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Replaces `dest` with examples/ (without any keys/: keys are generated on
 * first use) plus docs/mistakes/ as `mistakes/` (the response with mistakes on
 * purpose), and the schemas beside it as `../schemas` (as in the repository).
 * Returns `dest`.
 */
export function prepareExamplesWorkspace(repoRoot, dest) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(join(repoRoot, 'examples'), dest, { recursive: true, filter: (src) => src !== join(repoRoot, 'examples', 'keys') });
  const mistakes = join(repoRoot, 'docs', 'mistakes');
  if (existsSync(mistakes)) cpSync(mistakes, join(dest, 'mistakes'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(dest, '..', 'schemas'), { recursive: true });
  return dest;
}

/** Where `npm start` keeps its copy: under .vscode-test/ (git-ignored), replaced at each start. */
export function startWorkspaceFolder(repoRoot) {
  return join(repoRoot, '.vscode-test', 'start', 'workspace', 'examples');
}
