import * as vscode from 'vscode';
import { AwsConnection } from './connection';

/**
 * The status-bar item "$(cloud) <profile> · <region>"; a click picks another profile.
 *
 * Shown only once the user connected to AWS in this workspace. The extension activates in any
 * workspace with PEM or authorizer JSON files, most of whose users may never touch AWS: a
 * permanent "Connect to AWS…" entry would be clutter (and an upsell) in every such window, and
 * the explorer's AWS section and the Connect command already offer the first step. The item
 * only reads the local AWS config files, never calls AWS.
 */
export class AwsStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private shown = false;

  constructor(private readonly connection: AwsConnection) {
    this.item = vscode.window.createStatusBarItem('iotAuthz.aws.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'IoT Authorizer: AWS profile and region';
    this.item.command = 'iotAuthz.aws.selectProfile';
    this.disposables.push(
      this.item,
      connection.onDidChange(() => this.update()),
      connection.onDidChangeDataEndpoint(() => this.update()),
    );
    this.update();
  }

  /** True while the item is shown (tests). */
  get visible(): boolean {
    return this.shown;
  }

  update(): void {
    if (!this.connection.isConnected) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const d = this.connection.describe();
    this.item.text = `$(cloud) ${d.profile} · ${d.region}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['iotAuthz.aws.selectProfile', 'iotAuthz.aws.selectRegion'] };
    md.appendMarkdown(`**AWS for IoT Authorizer** (this workspace)\n\n`);
    md.appendMarkdown(`Profile: \`${d.profile}\` · [Change](command:iotAuthz.aws.selectProfile)\n\n`);
    md.appendMarkdown(`Region: \`${d.region}\` · [Change](command:iotAuthz.aws.selectRegion)\n\n`);
    if (d.endpoint) md.appendMarkdown(`API endpoint override: \`${d.endpoint}\`\n\n`);
    const data = this.connection.dataEndpoint;
    if (data) md.appendMarkdown(`Data endpoint: \`${data}\`\n\n`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `AWS profile ${d.profile}, region ${d.region}. Click to select another profile.` };
    this.item.show();
    this.shown = true;
  }

  /** The tooltip as plain text (tests). */
  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
