import * as vscode from 'vscode';
import { statementForRequest } from '../../../core/aws';
import { ExplorerNode } from '../../explorer/explorerProvider';
import type { InvokeState } from '../invokeState';

/**
 * Whether AWS IoT may invoke the authorizer's Lambda. contextValue awsInvokePermission.<kind>;
 * 'missing' has the "Allow IoT to Invoke the Lambda" fix inline and in the context menu.
 */
export class InvokePermissionNode implements ExplorerNode {
  constructor(
    readonly authorizerName: string,
    readonly state: InvokeState,
  ) {}

  get label(): string {
    switch (this.state.kind) {
      case 'allowed':
        return 'IoT can invoke the Lambda';
      case 'missing':
        return 'IoT cannot invoke the Lambda';
      case 'no-function':
        return 'Lambda function not found';
      case 'unchecked':
        return 'Invoke permission not checked';
    }
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.state;
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = s.kind === 'allowed' ? (s.warnings.length ? `${s.warnings.length} note(s)` : undefined) : s.kind === 'missing' ? 'fix: add a resource-policy statement' : s.reason;
    item.iconPath =
      s.kind === 'allowed'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : s.kind === 'unchecked'
          ? new vscode.ThemeIcon('info')
          : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${s.reason}\n\n`);
    if (s.kind === 'allowed') for (const w of s.warnings) md.appendMarkdown(`- ${w}\n`);
    if (s.kind === 'missing') md.appendCodeblock(JSON.stringify(statementForRequest(s.request), null, 2), 'json');
    item.tooltip = md;
    item.contextValue = `awsInvokePermission.${s.kind}`;
    if (s.kind === 'missing') item.command = { command: 'iotAuthz.aws.addPermission', title: 'Allow IoT to Invoke the Lambda', arguments: [{ authorizerName: this.authorizerName }] };
    return item;
  }
}
