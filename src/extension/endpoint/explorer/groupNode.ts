import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';

/**
 * "Connections" or "Recent decisions": a count and live children. One
 * instance per running endpoint, so the section can refresh just this
 * subtree when clients connect or decisions arrive.
 */
export class GroupNode implements ExplorerNode {
  constructor(
    readonly id: string,
    readonly label: string,
    private readonly icon: string,
    private readonly children: () => ExplorerNode[],
    private readonly count: () => number,
    private readonly emptyText: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const n = this.count();
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = n ? String(n) : this.emptyText;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'endpointGroup';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return this.children();
  }
}
