import * as vscode from 'vscode';
import { AuthorizerSummary } from '../../../core/aws';
import { ExplorerNode } from '../../explorer/explorerProvider';

/** A deployed authorizer in the AWS section. contextValue: awsAuthorizer[.default]. */
export class AuthorizerNode implements ExplorerNode {
  constructor(
    readonly authorizer: AuthorizerSummary,
    readonly isDefault: boolean,
    readonly region: string,
  ) {}

  get authorizerName(): string {
    return this.authorizer.authorizerName;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.authorizer.authorizerName, vscode.TreeItemCollapsibleState.None);
    item.id = `aws:${this.region}:${this.authorizer.authorizerArn}`;
    item.iconPath = new vscode.ThemeIcon(this.isDefault ? 'star-full' : 'shield');
    item.description = this.isDefault ? 'default' : undefined;
    item.tooltip = new vscode.MarkdownString(`**${this.authorizer.authorizerName}**${this.isDefault ? ' (the account\'s default authorizer)' : ''}\n\n\`${this.authorizer.authorizerArn}\``);
    item.contextValue = this.isDefault ? 'awsAuthorizer.default' : 'awsAuthorizer';
    item.command = { command: 'iotAuthz.aws.describe', title: 'Describe', arguments: [this] };
    return item;
  }
}
