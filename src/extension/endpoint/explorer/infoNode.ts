import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';

/** A fact about the local endpoint: its URL, ports, authorizers, or why it is stopped. */
export class InfoNode implements ExplorerNode {
  constructor(
    readonly label: string,
    readonly description: string,
    private readonly icon: string,
    private readonly tooltip: string | vscode.MarkdownString,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip;
    item.contextValue = 'endpointInfo';
    return item;
  }
}
