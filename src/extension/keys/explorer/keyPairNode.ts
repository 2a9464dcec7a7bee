import * as vscode from 'vscode';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { displayPath } from '../keyLoader';
import { WorkspaceKeyPair } from '../workspaceKeys';
import { KeyFileNode } from './keyFileNode';

/** A key pair of the workspace; contextValue drives its context menu (see package.json). */
export class KeyPairNode implements ExplorerNode {
  constructor(readonly pair: WorkspaceKeyPair) {}

  get contextValue(): string {
    const p = this.pair;
    const halves = p.privateFile ? 'private' : 'publicOnly';
    return `keyPair.${halves}${p.encrypted ? '.encrypted' : ''}${p.problem ? '.problem' : ''}`;
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.pair;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `keyPair:${p.id}`;
    const halves = p.privateFile && p.publicFile ? 'private + public' : p.privateFile ? 'private only' : 'public only';
    item.description = [
      p.bits ? `${p.bits}-bit` : undefined,
      halves,
      p.encrypted ? 'encrypted' : undefined,
      p.problem ? 'not usable' : undefined,
      p.fingerprint ? shortFingerprint(p.fingerprint.hex) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${p.name}**\n\n`);
    if (p.fingerprint) md.appendMarkdown(`SHA-256 fingerprint (DER public key):\n\n\`${p.fingerprint.hex}\`\n\n`);
    if (p.bits) md.appendMarkdown(`RSA ${p.bits} bits\n\n`);
    if (p.privateFile) md.appendMarkdown(`Private key: \`${displayPath(p.privateFile)}\`${p.encrypted ? ' (encrypted)' : ''}\n\n`);
    else md.appendMarkdown('Private key: not in this workspace (verification only)\n\n');
    if (p.publicFile) md.appendMarkdown(`Public key: \`${displayPath(p.publicFile)}\`\n\n`);
    if (p.problem) md.appendMarkdown(`$(warning) ${p.problem}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(p.problem ? 'warning' : p.encrypted ? 'lock' : 'key', p.problem ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    item.contextValue = this.contextValue;
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const p = this.pair;
    const out: ExplorerNode[] = [];
    if (p.privateFile) out.push(new KeyFileNode(p.privateFile, 'private'));
    if (p.publicFile) out.push(new KeyFileNode(p.publicFile, 'public'));
    return out;
  }
}

/** The first four bytes of a colon-separated fingerprint, "43:05:98:FF…" (the tooltip has all of it). */
export function shortFingerprint(hex: string): string {
  const parts = hex.split(':');
  return parts.length > 4 ? `${parts.slice(0, 4).join(':')}…` : hex;
}
