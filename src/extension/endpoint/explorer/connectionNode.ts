import * as vscode from 'vscode';
import type { EndpointConnection } from '../../../core/endpoint';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { connectionDescription, durationText, protocolLabel } from '../format';

/** A live client of the local endpoint; clicking it shows its connect (or last refresh) chain. */
export class ConnectionNode implements ExplorerNode {
  constructor(
    readonly connection: EndpointConnection,
    private readonly startedAt: number,
    private readonly now: number,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const c = this.connection;
    const item = new vscode.TreeItem(c.clientId || '(no client id)', vscode.TreeItemCollapsibleState.None);
    item.id = `endpointConnection:${this.startedAt}:${c.id}`;
    item.description = connectionDescription(c, this.now);
    item.iconPath = new vscode.ThemeIcon(c.protocol === 'wss' ? 'globe' : 'plug');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${c.clientId || '(no client id)'}** · ${protocolLabel(c)}\n\n`);
    md.appendMarkdown(`Principal: \`${c.principalId ?? 'none'}\` · authorizer \`${c.authorizerName}\`\n\n`);
    md.appendMarkdown(`Connected ${durationText(this.now - c.connectedAt)} ago${c.remoteAddress ? ` from ${c.remoteAddress}` : ''}${c.serverName ? `, SNI \`${c.serverName}\`` : ''}\n\n`);
    if (c.nextRefreshAt !== undefined) md.appendMarkdown(`Next policy refresh in ${durationText(c.nextRefreshAt - this.now)} (handler invoked ${c.authorizations} time(s) so far)\n\n`);
    if (c.disconnectAt !== undefined) md.appendMarkdown(`Disconnected by disconnectAfterInSeconds in ${durationText(c.disconnectAt - this.now)}\n\n`);
    md.appendMarkdown(c.subscriptions.length ? `Subscriptions: ${c.subscriptions.map((s) => `\`${s}\``).join(', ')}` : 'No subscriptions');
    item.tooltip = md;
    item.command = { command: 'iotAuthz.endpoint.showDecision', title: 'Show Connection', arguments: [{ connectionId: c.id }] };
    item.contextValue = 'endpointConnection';
    return item;
  }
}
