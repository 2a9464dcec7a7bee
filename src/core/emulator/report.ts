import { escapeControls } from '../printable';
import { ConnectionResult } from './pipeline';
import { TestRunSummary } from './testcases/runner';

/** Plain-text renderings shared by the CLI and the extension's output channel. */

const MARK: Record<string, string> = { passed: 'ok  ', failed: 'FAIL', skipped: '--  ' };

export function formatConnectionResult(r: ConnectionResult): string {
  const lines: string[] = [];
  lines.push(`${r.outcome === 'accepted' ? 'ACCEPTED' : 'REJECTED'}  ${r.authorizerName} over ${r.protocol}: ${r.summary}`);
  lines.push('');
  for (const s of r.steps) lines.push(`  ${MARK[s.status]} ${s.name.padEnd(10)} ${s.durationMs === undefined ? ''.padStart(10) : `${s.durationMs.toFixed(1).padStart(7)} ms`}  ${s.message}`);
  if (r.signature.diagnosis?.length) {
    lines.push('', 'Signature diagnosis:');
    for (const d of r.signature.diagnosis) lines.push(`  - ${d.code}: ${d.message}`);
  }
  if (r.event) lines.push('', 'Event sent to the Lambda:', indent(JSON.stringify(r.event, null, 2)));
  // The handler's output goes to a terminal: its escape sequences are shown, not obeyed.
  if (r.logText) lines.push('', 'Lambda log:', indent(escapeControls(r.logText.replace(/\n$/, ''))));
  if (r.handler?.error?.stack?.length) lines.push('', 'Stack:', indent(r.handler.error.stack.join('').replace(/\n$/, '')));
  if (r.response !== undefined) lines.push('', 'Response:', indent(r.responseText ?? JSON.stringify(r.response, null, 2)));
  if (r.responseFindings.length) {
    lines.push('', 'Response findings:');
    for (const f of r.responseFindings) lines.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}`);
  }
  if (r.connect) lines.push('', `iot:Connect ${r.connect.resource}: ${r.connect.decision.toUpperCase()} (${r.connect.reason})`);
  if (r.decisions.length) {
    lines.push('', 'Operations:');
    for (const d of r.decisions) {
      lines.push(`  ${d.decision === 'allow' ? 'ALLOW' : 'DENY '} ${d.action} ${d.resource}`);
      lines.push(`        ${d.reason}`);
      for (const n of d.notes) lines.push(`        note: ${n}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

export function formatTestRun(s: TestRunSummary, relative: (file: string) => string = (f) => f): string {
  const lines: string[] = [];
  for (const f of s.files) {
    lines.push(relative(f.file));
    for (const k of f.generatedKeys) lines.push(`  (generated ${relative(k)})`);
    if (f.error) lines.push(`  FAIL ${f.error}`);
    for (const c of f.cases) {
      lines.push(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name} (${c.durationMs.toFixed(0)} ms)`);
      if (c.error) lines.push(`       error: ${c.error}`);
      for (const m of c.failures) lines.push(`       - ${m}`);
    }
  }
  const files = s.files.length;
  lines.push('');
  for (const f of s.files) if (!f.error && f.cases.length === 0) lines.push(`${relative(f.file)}: holds no case.`);
  const verdict = s.total === 0 ? 'NO CASES RAN' : s.failed === 0 ? 'PASSED' : 'FAILED';
  lines.push(
    `${verdict}: ${s.passed} passed, ${s.failed} failed, ${s.total} total in ${files} file${files === 1 ? '' : 's'} (${(s.durationMs / 1000).toFixed(2)} s)`,
  );
  return `${lines.join('\n')}\n`;
}
