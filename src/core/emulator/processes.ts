import * as fs from 'node:fs';

/**
 * Every handler process tree carries this variable (with a value unique to the
 * run) in its environment, and children inherit it: a child that left the
 * process group with setsid (Node `detached: true`, Python
 * `start_new_session=True`) is still found by it and killed with the run.
 */
export const RUN_MARKER_VAR = 'IOT_AUTHZ_HANDLER_RUN';

// Stryker disable all: not mutated. A mutant of the marker match (an empty needle, a
// condition made true) selects every process of the user, and killProcessTree then
// SIGKILLs them all: the mutation run, the shell that started it, the machine's session.
// The unit tests of killProcessTree and the handler kill tests hold this function.
/** Pids (other than this process) whose environment holds the run marker. Linux only (/proc). */
export function markedProcesses(runId: string): number[] {
  if (process.platform !== 'linux' || !runId) return [];
  const needle = Buffer.from(`\0${RUN_MARKER_VAR}=${runId}\0`);
  const found: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      // Prefix the NUL so the first variable matches like the others.
      const env = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${name}/environ`), Buffer.from([0])]);
      if (env.includes(needle)) found.push(pid);
    } catch {
      // Gone, or another user's process: not ours.
    }
  }
  return found;
}
// Stryker restore all

/**
 * Kills the handler's process group and every process that carries the run's
 * marker (those that left the group). Never throws.
 */
export function killProcessTree(pid: number | undefined, runId: string): void {
  if (process.platform === 'win32') {
    return;
  }
  if (pid) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* the group is already gone */
    }
  }
  for (const p of markedProcesses(runId)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
