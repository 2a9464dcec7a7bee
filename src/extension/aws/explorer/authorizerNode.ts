import * as vscode from 'vscode';
import { AuthorizerDescription, AuthorizerSummary, describeAuthorizer, publicKeyInfo, sameFingerprint } from '../../../core/aws';
import { AuthzError, errorText } from '../../../core/errors';
import { ExplorerNode } from '../../explorer/explorerProvider';
import type { AwsFeature } from '../feature';
import { invokeStateOf, InvokeState } from '../invokeState';
import type { LocalDefinition } from '../localDefinitions';
import { workspaceKeysForMatching } from '../workspaceKeyMatch';
import { DetailNode } from './detailNode';
import { InvokePermissionNode } from './invokePermissionNode';
import { MessageNode } from './messageNode';
import { SigningKeyNode } from './signingKeyNode';

/** What expanding an authorizer loads (DescribeAuthorizer, GetPolicy, the workspace keys). */
export interface AuthorizerDetails {
  description: AuthorizerDescription;
  invoke: InvokeState;
  keys: SigningKeyNode[];
}

/**
 * A deployed authorizer in the AWS section: status (from the listing), the default mark, and,
 * on expansion only, its description, signing keys and whether IoT may invoke its Lambda.
 * contextValue: awsAuthorizer.<ACTIVE|INACTIVE>[.default][.noInvoke][.local] (menus match these).
 */
export class AuthorizerNode implements ExplorerNode {
  /** Set once expanded. */
  details: AuthorizerDetails | undefined;
  detailsError: AuthzError | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly f: AwsFeature,
    readonly authorizer: AuthorizerSummary,
    readonly isDefault: boolean,
    readonly region: string,
    private readonly listedStatus: string | undefined,
    /** A workspace definition of this authorizer with a handler ("Compare with local run"). */
    readonly local?: LocalDefinition,
  ) {}

  get authorizerName(): string {
    return this.authorizer.authorizerName;
  }

  get authorizerArn(): string {
    return this.authorizer.authorizerArn;
  }

  get status(): string | undefined {
    return this.details?.description.status ?? this.listedStatus;
  }

  get contextValue(): string {
    const parts = ['awsAuthorizer', this.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE'];
    if (this.isDefault) parts.push('default');
    if (this.details?.invoke.kind === 'missing') parts.push('noInvoke');
    if (this.local) parts.push('local');
    return parts.join('.');
  }

  /** The short text next to the name. */
  get descriptionText(): string {
    const parts = [this.status ?? 'status unknown'];
    if (this.isDefault) parts.push('default');
    const k = this.details?.invoke.kind;
    if (k === 'missing') parts.push('IoT cannot invoke the Lambda');
    else if (k === 'no-function') parts.push('Lambda not found');
    return parts.join(' · ');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.authorizer.authorizerName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `aws:${this.region}:${this.authorizer.authorizerArn}`;
    const k = this.details?.invoke.kind;
    item.iconPath =
      k === 'missing' || k === 'no-function'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : this.status === 'INACTIVE'
          ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
          : new vscode.ThemeIcon(this.isDefault ? 'star-full' : 'shield');
    item.description = this.descriptionText;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${this.authorizer.authorizerName}** · ${this.status ?? 'status unknown'}${this.isDefault ? ' · the account\'s default authorizer' : ''}\n\n\`${this.authorizer.authorizerArn}\``);
    if (this.details && (k === 'missing' || k === 'no-function')) md.appendMarkdown(`\n\n$(warning) ${this.details.invoke.reason}`);
    if (this.local) md.appendMarkdown(`\n\nDefined in \`${vscode.workspace.asRelativePath(this.local.uri, false)}\``);
    md.supportThemeIcons = true;
    item.tooltip = md;
    item.contextValue = this.contextValue;
    return item;
  }

  /** Loads the details once (DescribeAuthorizer, GetPolicy); later expansions reuse them until the section refreshes. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const [details, workspaceKeys] = await Promise.all([
          this.f.connection.run(
            `Describing ${this.authorizerName}`,
            async (c, signal) => {
              const description = await describeAuthorizer(c, this.authorizerName, { signal });
              const invoke = await invokeStateOf(c, description, { signal });
              return { description, invoke };
            },
            { inView: true },
          ),
          workspaceKeysForMatching(this.f).catch(() => []),
        ]);
        const keys = Object.entries(details.description.tokenSigningPublicKeys ?? {}).map(([name, pem]) => {
          const info = publicKeyInfo(pem);
          const match = workspaceKeys.find((w) => sameFingerprint(w.fingerprint, info.fingerprint));
          return new SigningKeyNode(name, info, match?.label);
        });
        this.details = { ...details, keys };
        this.detailsError = undefined;
      } catch (e) {
        this.detailsError = e instanceof AuthzError ? e : new AuthzError('AWS_ERROR', errorText(e));
        this.f.services.log.warn(`AWS explorer: ${this.authorizerName}: ${this.detailsError.code}: ${this.detailsError.message}`);
      }
    })();
    return this.loading;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const first = !this.details && !this.detailsError;
    await this.load();
    // The status, the warning badge and the context menu depend on the details: redraw this node once.
    if (first && this.details) setTimeout(() => this.f.section.nodeChanged(this), 0);
    if (this.detailsError) {
      const e = this.detailsError;
      this.loading = undefined; // expanding again retries
      this.detailsError = undefined;
      return [new MessageNode(e.message, 'error', e.display), ...(e.hint ? [new MessageNode(e.hint, 'lightbulb', e.hint)] : [])];
    }
    const d = this.details!.description;
    const fn = d.authorizerFunctionArn;
    const nodes: ExplorerNode[] = [
      new DetailNode('Status', d.status ?? 'unknown', d.status === 'INACTIVE' ? 'circle-slash' : 'pass', d.status === 'INACTIVE' ? 'INACTIVE: IoT Core refuses connections that name this authorizer.' : undefined),
      new DetailNode('Function', fn ? (/:function:([^:]+)/.exec(fn)?.[1] ?? fn) : '(none)', 'symbol-function', fn),
      new DetailNode('Token key name', d.signingDisabled ? '(signing disabled)' : (d.tokenKeyName ?? '(none)'), 'symbol-key'),
      new DetailNode('Signing', d.signingDisabled ? 'disabled' : 'enabled', d.signingDisabled ? 'unlock' : 'lock', d.signingDisabled ? 'signingDisabled: IoT Core passes the token without verifying a signature.' : 'IoT Core verifies the token signature with the keys below before invoking the Lambda.'),
      new DetailNode('HTTP caching', d.enableCachingForHttp ? 'on' : 'off', 'history', 'enableCachingForHttp: HTTP publishes reuse the policy for refreshAfterInSeconds.'),
      ...this.details!.keys,
      new InvokePermissionNode(this.authorizerName, this.details!.invoke),
    ];
    return nodes;
  }
}
