import * as vscode from 'vscode';
import { ExplorerNode, ExplorerSection } from '../../explorer/explorerProvider';
import { WorkspaceKeys } from '../workspaceKeys';
import { KeyPairNode } from './keyPairNode';
import { ActionNode } from '../../explorer/actionNode';

/**
 * The "Workspace keys" node: key pairs found in the workspace by PEM content.
 * Always shown: with no keys yet it offers the first actions in place.
 */
export class KeysSection implements ExplorerSection {
  readonly order = 10;
  readonly onDidChange: vscode.Event<ExplorerNode | undefined>;

  constructor(private readonly keys: WorkspaceKeys) {
    this.onDidChange = (listener, thisArg, disposables) => keys.onDidChange(() => listener.call(thisArg, undefined), undefined, disposables);
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const pairs = await this.keys.list();
    const item = new vscode.TreeItem('Workspace keys', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'section:keys';
    item.iconPath = new vscode.ThemeIcon('key');
    item.description = pairs.length ? `${pairs.length}` : 'none yet';
    item.tooltip = 'RSA key pairs found in this workspace by their PEM content';
    item.contextValue = 'keysSection';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const pairs = await this.keys.list();
    if (pairs.length === 0) {
      return [
        new ActionNode('Generate Signing Key Pair…', 'iotAuthz.generateKeyPair'),
        new ActionNode('Sign Token…', 'iotAuthz.signToken', 'edit'),
        new ActionNode('Verify Token Signature…', 'iotAuthz.verifySignature', 'verified'),
      ];
    }
    return pairs.map((p) => new KeyPairNode(p));
  }
}
