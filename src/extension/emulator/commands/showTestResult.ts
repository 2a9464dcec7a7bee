import * as vscode from 'vscode';
import { EmulatorFeature } from '../feature';

/**
 * Show Result: the ConnectionResult of a test case's last run in the results
 * panel. Called from the Test Explorer item menu (a TestItem), from a failure
 * message ({test, message}), or with a test item id.
 */
export async function showTestResultCommand(f: EmulatorFeature, arg: unknown): Promise<boolean> {
  const item = arg instanceof Object && 'id' in arg && 'children' in arg ? (arg as vscode.TestItem) : (arg as { test?: vscode.TestItem } | undefined)?.test;
  const id = typeof arg === 'string' ? arg : item?.id;
  const last = id ? f.tests.lastResults.get(id) : undefined;
  if (!last) {
    void f.services.prompts.info('No result for this test yet: run it first.');
    return false;
  }
  const r = last.result.result;
  if (!r) {
    void f.services.prompts.warn(`"${last.caseName}" did not get as far as a connection: ${last.result.error ?? 'no result'}`);
    return false;
  }
  await f.results.show({
    title: `Test "${last.caseName}": ${last.result.passed ? 'passed' : 'failed'}`,
    source: 'local',
    result: r,
    ...(last.authorizerFile ? { authorizerFile: vscode.workspace.asRelativePath(last.authorizerFile, false) } : {}),
  });
  return true;
}
