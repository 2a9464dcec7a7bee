import * as vscode from 'vscode';
import type { DefinitionTestFile } from '../../../core/emulator/testcases/byDefinition';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { FileNode } from '../../explorer/fileArg';

/** A *.authz-test.json under the definition its cases run; clicking opens it. */
export class DefinitionTestFileNode implements ExplorerNode, FileNode {
  readonly fileUri: vscode.Uri;

  constructor(readonly tests: DefinitionTestFile) {
    this.fileUri = vscode.Uri.file(tests.file);
  }

  getTreeItem(): vscode.TreeItem {
    const rel = vscode.workspace.asRelativePath(this.fileUri, false);
    const n = this.tests.cases.length;
    const item = new vscode.TreeItem(rel, vscode.TreeItemCollapsibleState.None);
    item.id = `authzTests:${this.fileUri.toString()}`;
    item.description = `${n} case${n === 1 ? '' : 's'}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${rel}**\n\n`);
    for (const c of this.tests.cases.slice(0, 20)) md.appendMarkdown(`- ${escapeMd(c.name)} (${c.protocol})\n`);
    if (n > 20) md.appendMarkdown(`- … ${n - 20} more\n`);
    md.appendMarkdown('\nRun them from the Testing view.');
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [this.fileUri] };
    item.contextValue = 'workspaceAuthorizerTests';
    return item;
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
