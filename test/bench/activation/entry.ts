// Runs inside the extension host for test/bench/activation.bench.ts: activates
// the reference extension (an empty activate()) and then ours, installed from
// the VSIX, timing each from the outside, and writes the figures where the
// launcher reads its results.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const OURS = 'iot-authz-studio.iot-authorizer-studio';
const REFERENCE = 'iot-authz-studio.iot-authz-installed-test-host';

export async function run(): Promise<void> {
  const out = process.env.IOT_AUTHZ_TEST_RESULTS;
  const ref = vscode.extensions.getExtension(REFERENCE);
  const ours = vscode.extensions.getExtension<{ activationMs?: number }>(OURS);
  const report = { passed: 0, failed: 0, pending: 0, tests: [] as unknown[], activation: {} as Record<string, unknown> };
  try {
    if (!ref || !ours) throw new Error(`missing extension: ${!ref ? REFERENCE : OURS}`);
    const wasActive = ours.isActive;
    let t = performance.now();
    await ref.activate();
    const referenceMs = performance.now() - t;
    t = performance.now();
    const api = await ours.activate();
    const oursMs = performance.now() - t;
    const sdkLoaded = Object.keys(require.cache).some((k) => /[/\\]dist[/\\]aws\.js$/.test(k) || /[/\\]@aws-sdk[/\\]/.test(k));
    report.activation = { referenceMs, oursMs, selfMs: api?.activationMs, wasActive, sdkLoaded };
    report.passed = 1;
  } catch (e) {
    report.failed = 1;
    report.activation = { error: e instanceof Error ? e.message : String(e) };
  }
  if (out) fs.writeFileSync(out, JSON.stringify(report));
  if (report.failed) throw new Error(String(report.activation.error));
}
