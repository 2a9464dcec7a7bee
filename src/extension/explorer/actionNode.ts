import * as vscode from 'vscode';
import { ExplorerNode } from './explorerProvider';

/** A leaf that runs a command when clicked: the explorer's in-place empty states. */
export class ActionNode implements ExplorerNode {
  constructor(
    private readonly label: string,
    private readonly command: string,
    private readonly icon = 'add',
    private readonly args: unknown[] = [],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = { command: this.command, title: this.label, arguments: this.args };
    item.contextValue = 'action';
    return item;
  }
}
