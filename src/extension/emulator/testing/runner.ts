import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveRelative } from '../../../core/emulator/definition';
import { CaseResult, runCase } from '../../../core/emulator/testcases/runner';
import { observedExpectations } from '../../../core/emulator/testcases/observed';
import { errorText } from '../../../core/errors';
import { escapeControls } from '../../../core/printable';
import { Services } from '../../services';
import { TRUST_MESSAGE } from '../trust';
import { abortSignalFor, runtimePaths, untilCancelled, workspaceRootOf } from '../workspaceFiles';
import type { CaseData, LastCaseResult } from './authzTests';

/** Context value of the failure messages: the peek view shows a "Show Result" button on them. */
export const CASE_MESSAGE_CONTEXT = 'iotAuthz.caseResult';

export type ReportedState = 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped';

/** One call made on the vscode.TestRun, as made. */
export interface ReportedItem {
  id: string;
  state: ReportedState;
  messages?: Array<{ message: string; expectedOutput?: string; actualOutput?: string; location?: { uri: string; startLine: number } }>;
  durationMs?: number;
}

/** What one run reported to VS Code (integration tests read it: VS Code gives results back only to its UI). */
export interface RunRecord {
  id: number;
  name?: string;
  continuous: boolean;
  reports: ReportedItem[];
  /** Everything appended to the run's output (CRLF line endings, as sent). */
  output: string;
  /** The output appended with a location (shown inline in the editor), as sent. */
  locatedOutput: Array<{ text: string; uri: string; line: number }>;
  ended: boolean;
  cancelled: boolean;
}

const MAX_RUNS = 50;

/** Runs case items one after another (each handler is a child process; the machine may be shared). */
export class TestRunner implements vscode.Disposable {
  readonly lastResults = new Map<string, LastCaseResult>();
  readonly runs: RunRecord[] = [];
  private readonly ended = new vscode.EventEmitter<RunRecord>();
  readonly onDidEndRun = this.ended.event;
  private seq = 0;

  constructor(
    private readonly services: Services,
    private readonly controller: vscode.TestController,
    private readonly dataOf: (item: vscode.TestItem) => CaseData | undefined,
    private readonly allCases: () => vscode.TestItem[],
  ) {}

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, name?: string): Promise<RunRecord> {
    const record: RunRecord = { id: ++this.seq, ...(name ? { name } : {}), continuous: !!request.continuous, reports: [], output: '', locatedOutput: [], ended: false, cancelled: false };
    this.runs.push(record);
    if (this.runs.length > MAX_RUNS) this.runs.shift();
    const run = recording(this.controller.createTestRun(request, name, true), record);
    try {
      const items = this.select(request);
      // A file that cannot be read has no cases to run: say why on the file.
      for (const item of request.include ?? []) {
        if (!this.dataOf(item) && item.error && item.children.size === 0) {
          run.errored(item, new vscode.TestMessage(typeof item.error === 'string' ? item.error : item.error.value));
        }
      }
      for (const item of items) run.enqueued(item);
      if (!vscode.workspace.isTrusted) {
        // Running a case executes its handler: nothing runs without workspace trust.
        for (const item of items) run.errored(item, new vscode.TestMessage(TRUST_MESSAGE));
        return record;
      }
      const generated: string[] = [];
      for (const item of items) {
        if (token.isCancellationRequested) {
          record.cancelled = true;
          run.skipped(item);
          continue;
        }
        await this.runOne(run, item, token, generated);
      }
      for (const g of generated) run.appendOutput(crlf(`Generated ${vscode.workspace.asRelativePath(g, false)} (a test signing key; not for production).\n`));
    } catch (e) {
      this.services.log.error(`Test run failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      run.end();
      record.ended = true;
      this.ended.fire(record);
    }
    return record;
  }

  /** The case items the request covers (file items expand to their cases), in file order. */
  private select(request: vscode.TestRunRequest): vscode.TestItem[] {
    const expand = (item: vscode.TestItem): vscode.TestItem[] => {
      if (this.dataOf(item)) return [item];
      const out: vscode.TestItem[] = [];
      item.children.forEach((c) => out.push(...expand(c)));
      return out.sort((a, b) => (this.dataOf(a)?.located.case.index ?? 0) - (this.dataOf(b)?.located.case.index ?? 0));
    };
    const items = request.include ? request.include.flatMap(expand) : this.allCases();
    const excluded = new Set((request.exclude ?? []).flatMap(expand).map((i) => i.id));
    const seen = new Set<string>();
    return items.filter((i) => !excluded.has(i.id) && !seen.has(i.id) && seen.add(i.id));
  }

  private async runOne(run: vscode.TestRun, item: vscode.TestItem, token: vscode.CancellationToken, generated: string[]): Promise<void> {
    const data = this.dataOf(item);
    if (!data) return;
    const c = data.located.case;
    const location = item.range ? new vscode.Location(data.file, item.range) : undefined;
    run.started(item);
    const root = workspaceRootOf(data.file);
    let result: CaseResult | undefined;
    try {
      result = await untilCancelled(
        runCase(c, data.file.fsPath, { allowCodeExecution: vscode.workspace.isTrusted, workspaceRoot: root, signal: abortSignalFor(token), ...runtimePaths(data.file) }, generated),
        token,
      );
    } catch (e) {
      const code = (e as { code?: string }).code;
      const msg = new vscode.TestMessage(code === 'CODE_EXECUTION_NOT_ALLOWED' ? TRUST_MESSAGE : errorText(e));
      if (location) msg.location = location;
      run.errored(item, msg);
      return;
    }
    if (!result) {
      run.skipped(item);
      run.appendOutput(crlf(`Cancelled while "${c.name}" was running; its handler process stops at its timeout.\n`));
      return;
    }
    const authorizerFile = c.authorizer ? resolveRelative(c.authorizer, [path.dirname(data.file.fsPath), root]) : undefined;
    this.lastResults.set(item.id, { file: data.file, caseName: c.name, result, ...(authorizerFile ? { authorizerFile } : {}) });

    const r = result.result;
    const header = `${result.passed ? 'PASS' : result.error ? 'ERROR' : 'FAIL'} ${c.name}${r ? `: ${r.summary}` : ''}`;
    // Output with a location is shown inline in the editor: only for cases that did not pass.
    const outputAt = result.passed ? undefined : location;
    run.appendOutput(crlf(`${header}\n`), outputAt, item);
    if (r?.logText) run.appendOutput(crlf(`${escapeControls(r.logText).replace(/\n?$/, '\n')}`), outputAt, item);

    if (result.error) {
      const msg = new vscode.TestMessage(`"${c.name}" could not run: ${result.error}`);
      if (location) msg.location = location;
      msg.contextValue = CASE_MESSAGE_CONTEXT;
      run.errored(item, msg, result.durationMs);
      return;
    }
    if (result.passed) {
      run.passed(item, result.durationMs);
      return;
    }
    const expected = JSON.stringify(c.expect ?? {}, null, 2);
    const actual = r ? JSON.stringify(observedExpectations(c, r), null, 2) : undefined;
    const messages = result.failures.map((f, i) => {
      const m = new vscode.TestMessage(`"${c.name}": ${f}`);
      if (i === 0 && actual !== undefined) {
        m.expectedOutput = expected;
        m.actualOutput = actual;
      }
      if (location) m.location = location;
      m.contextValue = CASE_MESSAGE_CONTEXT;
      return m;
    });
    run.failed(item, messages, result.durationMs);
  }

  dispose(): void {
    this.ended.dispose();
  }
}

/** Test output is a terminal: lines end with CRLF. */
export function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

function messagesOf(m: vscode.TestMessage | readonly vscode.TestMessage[]): ReportedItem['messages'] {
  return (Array.isArray(m) ? m : [m]).map((x: vscode.TestMessage) => ({
    message: typeof x.message === 'string' ? x.message : x.message.value,
    ...(x.expectedOutput !== undefined ? { expectedOutput: x.expectedOutput } : {}),
    ...(x.actualOutput !== undefined ? { actualOutput: x.actualOutput } : {}),
    ...(x.location ? { location: { uri: x.location.uri.toString(), startLine: x.location.range.start.line } } : {}),
  }));
}

/** A TestRun that also records every state it reports, exactly as reported. */
function recording(run: vscode.TestRun, record: RunRecord): vscode.TestRun {
  const add = (r: ReportedItem) => record.reports.push(r);
  return {
    name: run.name,
    token: run.token,
    isPersisted: run.isPersisted,
    onDidDispose: run.onDidDispose,
    enqueued: (t) => {
      add({ id: t.id, state: 'enqueued' });
      run.enqueued(t);
    },
    started: (t) => {
      add({ id: t.id, state: 'started' });
      run.started(t);
    },
    skipped: (t) => {
      add({ id: t.id, state: 'skipped' });
      run.skipped(t);
    },
    failed: (t, m, d) => {
      add({ id: t.id, state: 'failed', messages: messagesOf(m), ...(d !== undefined ? { durationMs: d } : {}) });
      run.failed(t, m, d);
    },
    errored: (t, m, d) => {
      add({ id: t.id, state: 'errored', messages: messagesOf(m), ...(d !== undefined ? { durationMs: d } : {}) });
      run.errored(t, m, d);
    },
    passed: (t, d) => {
      add({ id: t.id, state: 'passed', ...(d !== undefined ? { durationMs: d } : {}) });
      run.passed(t, d);
    },
    appendOutput: (o, l, t) => {
      record.output += o;
      if (l) record.locatedOutput.push({ text: o, uri: l.uri.toString(), line: l.range.start.line });
      run.appendOutput(o, l, t);
    },
    addCoverage: (c) => run.addCoverage(c),
    end: () => run.end(),
  };
}
