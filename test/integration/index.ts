// Entry point run inside the VS Code extension host (offline web server or
// desktop Electron). VS Code calls run(); it resolves when every selected
// test passed and rejects otherwise.
//
// Environment (the extension host inherits it from the server / Electron):
//   IOT_AUTHZ_TEST_GREP     only tests whose full title contains this string
//   IOT_AUTHZ_TEST_PASS     "trusted": skip tests whose full title contains "[restricted]";
//                           "restricted": run only those (unset: run everything)
//   IOT_AUTHZ_TEST_RESULTS  a JSON file to write { passed, failed, pending, tests[] } to
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

type MochaCtor = typeof MochaType;

/** Mocha 12's package entry is ESM; its CommonJS build is lib/mocha.cjs. */
function loadMocha(): MochaCtor {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('mocha/lib/mocha.cjs') as MochaCtor;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('mocha') as MochaCtor & { default?: MochaCtor };
    return m.default ?? m;
  }
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, out);
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  grep?: string;
  pass?: string;
  tests: TestRecord[];
}

const PREFIX = '[it]';
export const RESTRICTED_TAG = '[restricted]';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regexp over the full title for the pass's tag rule and the user's grep. */
export function selection(pass: string | undefined, grep: string | undefined): RegExp | undefined {
  const parts: string[] = [];
  if (pass === 'restricted') parts.push(`(?=.*${escapeRegExp(RESTRICTED_TAG)})`);
  else if (pass === 'trusted') parts.push(`(?!.*${escapeRegExp(RESTRICTED_TAG)})`);
  if (grep) parts.push(`(?=.*${escapeRegExp(grep)})`);
  return parts.length ? new RegExp(`^${parts.join('')}`, 's') : undefined;
}

function say(line: string): void {
  // console.log in the extension host is forwarded to the launcher (the web
  // workbench's codeAutomationLog, or the Electron process's stdout). The
  // launcher prints lines starting with the prefix and drops workbench noise.
  // A test's own console output is forwarded too, untagged: the extension
  // host's console methods cannot be replaced (their setters are no-ops).
  console.log(`${PREFIX} ${line}`);
}

/** The entry VS Code calls: every suite under test/integration/. */
export function run(): Promise<void> {
  return runSuites(__dirname);
}

/** Runs every *.test.js under `dir` (the integration suites, or the installed-extension smoke suite). */
export function runSuites(dir: string): Promise<void> {
  const Mocha = loadMocha();
  const grep = process.env.IOT_AUTHZ_TEST_GREP || undefined;
  const pass = process.env.IOT_AUTHZ_TEST_PASS || undefined;
  const resultsFile = process.env.IOT_AUTHZ_TEST_RESULTS || undefined;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: function NoReporter() { /* we log ourselves */ } as unknown as string });
  const re = selection(pass, grep);
  if (re) mocha.grep(re);
  const files = findTests(dir);
  for (const f of files) mocha.addFile(f);
  say(`${files.length} test file(s), pass ${pass ?? '(all)'}${grep ? `, titles containing ${JSON.stringify(grep)}` : ''}, VS Code ${vscodeVersion()}`);

  const results: TestResults = { passed: 0, failed: 0, pending: 0, durationMs: 0, grep, pass, tests: [] };
  const started = Date.now();
  const write = () => {
    results.durationMs = Date.now() - started;
    if (resultsFile) {
      try {
        fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
        fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      } catch (e) {
        say(`could not write results to ${resultsFile}: ${String(e)}`);
      }
    }
  };

  return new Promise<void>((resolve, reject) => {
    let runner: MochaType.Runner;
    try {
      runner = mocha.run((failures) => {
        write();
        say(`${results.passed} passing, ${results.failed} failing, ${results.pending} pending (${results.durationMs} ms)`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      results.failed++;
      results.tests.push({ title: '(loading test files)', state: 'failed', error: e instanceof Error ? e.stack ?? e.message : String(e) });
      write();
      say(`FAIL loading tests: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      reject(e);
      return;
    }
    runner.on('suite', (suite) => {
      if (suite.title) say(`${'  '.repeat(Math.max(0, suiteDepth(suite) - 1))}${suite.title}`);
    });
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      say(`${indent(test)}ok   ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on('pending', (test) => {
      results.pending++;
      results.tests.push({ title: test.fullTitle(), state: 'pending' });
      say(`${indent(test)}skip ${test.title}`);
    });
    runner.on('fail', (test, err: Error) => {
      results.failed++;
      const error = err?.stack ?? err?.message ?? String(err);
      results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error });
      say(`${indent(test)}FAIL ${test.title}`);
      for (const l of error.split('\n')) say(`${indent(test)}     ${l}`);
    });
  });
}

function vscodeVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vscode = require('vscode') as typeof import('vscode');
    return `${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''})`;
  } catch {
    return 'unknown';
  }
}

function suiteDepth(suite: MochaType.Suite): number {
  let d = 0;
  for (let s: MochaType.Suite | undefined = suite; s && !s.root; s = s.parent) d++;
  return d;
}

function indent(test: MochaType.Runnable): string {
  return '  '.repeat(test.parent ? suiteDepth(test.parent) : 0);
}
