import * as vscode from 'vscode';
import { ExplorerProvider } from './explorer/explorerProvider';
import { Prompts, WindowPrompts } from './prompts';

/** What every feature's activation receives: shared, long-lived objects. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  /** Logs never contain private keys, passphrases or secrets. */
  readonly log: vscode.LogOutputChannel;
  readonly explorer: ExplorerProvider;
  readonly explorerView: vscode.TreeView<unknown>;
  /** Replaceable by integration tests to answer prompts. */
  prompts: Prompts;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('IoT Authorizer Studio', { log: true });
  const explorer = new ExplorerProvider();
  const explorerView = vscode.window.createTreeView('iotAuthz.explorer', { treeDataProvider: explorer, showCollapseAll: true });
  context.subscriptions.push(log, explorer, explorerView);
  return { context, log, explorer, explorerView: explorerView as vscode.TreeView<unknown>, prompts: new WindowPrompts() };
}
