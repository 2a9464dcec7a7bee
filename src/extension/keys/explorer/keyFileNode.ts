import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { displayPath } from '../keyLoader';

/** One PEM file of a key pair; clicking opens it. */
export class KeyFileNode implements ExplorerNode {
  constructor(
    readonly uri: vscode.Uri,
    readonly half: 'private' | 'public',
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayPath(this.uri), vscode.TreeItemCollapsibleState.None);
    item.description = this.half === 'private' ? 'private key' : 'public key';
    item.resourceUri = this.uri;
    item.iconPath = new vscode.ThemeIcon(this.half === 'private' ? 'lock-small' : 'file');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [this.uri] };
    item.contextValue = `keyFile.${this.half}`;
    return item;
  }
}
