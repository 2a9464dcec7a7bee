import * as vscode from 'vscode';
import type { DecisionRecord } from '../../../core/endpoint';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { decisionLabel, statementText } from '../format';

/** One decision of the local endpoint, allow or deny; clicking it opens the results panel on it. */
export class DecisionNode implements ExplorerNode {
  constructor(
    readonly decision: DecisionRecord,
    private readonly startedAt: number,
  ) {}

  get contextValue(): string {
    return `endpointDecision.${this.decision.allowed ? 'allow' : 'deny'}`;
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.decision;
    const item = new vscode.TreeItem(decisionLabel(d), vscode.TreeItemCollapsibleState.None);
    item.id = `endpointDecision:${this.startedAt}:${d.seq}`;
    item.description = [d.clientId ?? d.principalId, new Date(d.time).toLocaleTimeString()].filter(Boolean).join(' · ');
    item.iconPath = d.allowed
      ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${d.allowed ? 'Allowed' : 'Denied'}**: ${d.action ?? d.kind} ${d.resource ? `\`${d.resource}\`` : ''}\n\n`);
    md.appendText(d.reason);
    md.appendMarkdown(`\n\n${[statementText(d), d.authorizerName ? `authorizer \`${d.authorizerName}\`` : undefined, d.principalId ? `principal \`${d.principalId}\`` : undefined].filter(Boolean).join(' · ')}`);
    item.tooltip = md;
    item.accessibilityInformation = { label: `${d.allowed ? 'Allowed' : 'Denied'}: ${decisionLabel(d)}` };
    item.command = { command: 'iotAuthz.endpoint.showDecision', title: 'Show Decision', arguments: [this] };
    item.contextValue = this.contextValue;
    return item;
  }
}
