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
    // No resourceUri: with one, a file-icon theme may draw the PEM file icon instead of ours.
    // The private half reads as secret (a lock), the public half as shareable (open lock).
    item.iconPath = new vscode.ThemeIcon(this.half === 'private' ? 'lock' : 'unlock');
    item.tooltip = `${vscode.workspace.asRelativePath(this.uri, false)}: ${this.half === 'private' ? 'the private key: keep it secret, never commit it' : 'the public key: safe to share (AWS IoT verifies token signatures with it)'}`;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [this.uri] };
    item.contextValue = `keyFile.${this.half}`;
    return item;
  }
}
