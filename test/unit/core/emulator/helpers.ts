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
