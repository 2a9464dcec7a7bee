import * as vscode from 'vscode';
import { PublicKeyInfo } from '../../../core/aws';
import { ExplorerNode } from '../../explorer/explorerProvider';

/** One of a deployed authorizer's token signing public keys; marked when a workspace key matches. contextValue awsSigningKey[.match]. */
export class SigningKeyNode implements ExplorerNode {
  constructor(
    readonly keyName: string,
    readonly info: PublicKeyInfo,
    /** The workspace key file with the same fingerprint, if any. */
    readonly matchingFile: string | undefined,
  ) {}

  get description(): string {
    const i = this.info;
    if (i.problem) return `unreadable: ${i.problem}`;
    const short = i.fingerprint ? `${i.fingerprint.slice(0, 23)}…` : '?';
    const kind = `${(i.type ?? '?').toUpperCase()}${i.bits ? ` ${i.bits}` : ''}`;
    return `${kind} · SHA-256 ${short}${this.matchingFile ? ` · matches ${this.matchingFile}` : ' · no workspace key'}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Key ${this.keyName}`, vscode.TreeItemCollapsibleState.None);
    item.description = this.description;
    item.iconPath = this.matchingFile
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon(this.info.problem ? 'warning' : 'key');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Signing key \`${this.keyName}\`**\n\n`);
    if (this.info.fingerprint) md.appendMarkdown(`SHA-256 \`${this.info.fingerprint}\`\n\n`);
    md.appendMarkdown(this.matchingFile ? `The workspace key \`${this.matchingFile}\` is this key: tokens signed with its private half verify.` : 'No key pair in this workspace has this fingerprint.');
    item.tooltip = md;
    item.contextValue = this.matchingFile ? 'awsSigningKey.match' : 'awsSigningKey';
    return item;
  }
}
