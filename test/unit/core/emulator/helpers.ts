import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A temporary folder with the given files; removed by the returned cleanup. */
export function tempWorkspace(files: Record<string, string>): { dir: string; file: (p: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-emu-'));
  for (const [p, text] of Object.entries(files)) {
    const abs = path.join(dir, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return { dir, file: (p) => path.join(dir, p), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A valid authorizer response allowing the given statements. */
export function responseJs(statements: object[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    isAuthenticated: true,
    principalId: 'device1',
    disconnectAfterInSeconds: 3600,
    refreshAfterInSeconds: 300,
    policyDocuments: [{ Version: '2012-10-17', Statement: statements }],
    ...extra,
  });
}

/** True while the pid names a live process (a zombie counts as gone: it runs nothing). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls until the process is gone; bounded. */
export async function gone(pid: number, withinMs = 3000): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}
