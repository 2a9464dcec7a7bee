import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { FileNode } from '../../explorer/fileArg';

/** The local CA certificate clients must trust (`--cacert`, `--cafile`, `ca:`); inline Copy Path and Reveal. */
export class CaNode implements ExplorerNode, FileNode {
  constructor(readonly caPath: string) {}

  get fileUri(): vscode.Uri {
    return vscode.Uri.file(this.caPath);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('CA certificate', vscode.TreeItemCollapsibleState.None);
    item.description = vscode.workspace.asRelativePath(this.caPath, false);
    item.iconPath = new vscode.ThemeIcon('workspace-trusted');
    item.tooltip = `${this.caPath}\n\nThe local CA that signed the endpoint's server certificate: clients trust this file (curl --cacert, mosquitto --cafile, mqtt.js ca). Its private key stays in the same folder, mode 0600.`;
    item.resourceUri = this.fileUri;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [this.fileUri, { preview: true }] };
    item.contextValue = 'endpointCa';
    return item;
  }
}
