import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';

/** A leaf showing a message (an error, an empty state), optionally running a command when clicked. */
export class MessageNode implements ExplorerNode {
  constructor(
    readonly label: string,
    private readonly icon: string,
    private readonly tooltip?: string,
    private readonly command?: vscode.Command,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? this.label;
    if (this.command) item.command = this.command;
    item.contextValue = 'awsMessage';
    return item;
  }
}
