import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';

/** A property of a deployed authorizer (function ARN, token key name, signing, caching, status). */
export class DetailNode implements ExplorerNode {
  constructor(
    readonly label: string,
    readonly description: string,
    private readonly icon: string,
    private readonly tooltip?: string,
    private readonly command?: vscode.Command,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? `${this.label}: ${this.description}`;
    item.contextValue = 'awsDetail';
    if (this.command) item.command = this.command;
    return item;
  }
}
