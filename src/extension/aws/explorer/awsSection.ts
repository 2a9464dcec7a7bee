import * as vscode from 'vscode';
import { AuthzError, errorText } from '../../../core/errors';
import { describeDataEndpoint, describeDefaultAuthorizer, listAuthorizers } from '../../../core/aws';
import { ExplorerNode, ExplorerSection } from '../../explorer/explorerProvider';
import { ActionNode } from '../../explorer/actionNode';
import { Services } from '../../services';
import { AwsConnection } from '../connection';
import type { AwsFeature } from '../feature';
import { findLocalDefinitions, LocalDefinition } from '../localDefinitions';
import { AuthorizerNode } from './authorizerNode';
import { MessageNode } from './messageNode';

const FIX_COMMAND: Record<string, { label: string; command: string }> = {
  AWS_NO_CREDENTIALS: { label: 'Select AWS Profile…', command: 'iotAuthz.aws.selectProfile' },
  AWS_PROFILE_NOT_FOUND: { label: 'Select AWS Profile…', command: 'iotAuthz.aws.selectProfile' },
  AWS_NO_REGION: { label: 'Select AWS Region…', command: 'iotAuthz.aws.selectRegion' },
  AWS_SSO_EXPIRED: { label: 'Retry after `aws sso login`', command: 'iotAuthz.aws.refresh' },
};

/** Soft: a failure of an optional call becomes undefined (cancellation still propagates). */
async function soft<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
    return undefined;
  }
}

/**
 * The "AWS" section: "profile · region", then the authorizers of that account and region with
 * their status and the default mark. Before the user connected in this workspace it offers
 * "Connect to AWS…"; once connected it is collapsed, so nothing calls AWS (or loads the SDK)
 * until it is expanded. Listing costs two
 * ListAuthorizers calls (all, then INACTIVE only: the listing carries no status) instead of one
 * DescribeAuthorizer per authorizer; the details load when an authorizer is expanded.
 */
export class AwsSection implements ExplorerSection {
  readonly order = 40;
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  /** The last listing, for tests and for commands that pick an authorizer. */
  lastNodes: AuthorizerNode[] | undefined;
  lastError: AuthzError | undefined;
  /** Set by registerAws (nodes need the feature for their lazy loads). */
  feature: AwsFeature | undefined;

  constructor(
    private readonly services: Services,
    private readonly connection: AwsConnection,
  ) {
    connection.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.lastNodes = undefined;
    this.changed.fire(undefined);
  }

  /** Redraws one node (its item and, when expanded, its children). */
  nodeChanged(node: ExplorerNode): void {
    this.changed.fire(node);
  }

  getTreeItem(): vscode.TreeItem {
    if (!this.connection.isConnected) {
      const item = new vscode.TreeItem('AWS', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'section:aws';
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.description = 'not connected';
      item.tooltip = 'Deployed authorizers: connect with a profile from ~/.aws (as the AWS CLI reads it) to list, test, check and deploy them.';
      item.contextValue = 'awsSectionDisconnected';
      return item;
    }
    const d = this.connection.describe();
    const item = new vscode.TreeItem('AWS', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = 'section:aws';
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.description = `${d.profile} · ${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`;
    const data = this.connection.dataEndpoint;
    item.tooltip = `Custom authorizers of profile ${d.profile} in ${d.region}${data ? ` (data endpoint ${data})` : ''}. Expand to list them (calls iot:ListAuthorizers).`;
    item.contextValue = 'awsSection';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    if (!this.connection.isConnected) return [new ActionNode('Connect to AWS…', 'iotAuthz.aws.connect', 'plug')];
    const f = this.feature;
    try {
      const locals = await findLocalDefinitions().catch(() => [] as LocalDefinition[]);
      const nodes = await this.connection.run(
        'Listing custom authorizers',
        async (c, signal) => {
          const [list, inactive, def, endpoint] = await Promise.all([
            listAuthorizers(c, { signal }),
            soft(listAuthorizers(c, { signal, status: 'INACTIVE' })),
            soft(describeDefaultAuthorizer(c, { signal })),
            soft(describeDataEndpoint(c, { signal })),
          ]);
          if (endpoint) void this.connection.rememberDataEndpoint(endpoint);
          const inactiveNames = inactive ? new Set(inactive.map((a) => a.authorizerName)) : undefined;
          return list.map(
            (a) =>
              new AuthorizerNode(
                f!,
                a,
                a.authorizerName === def?.authorizerName,
                c.target.region,
                inactiveNames ? (inactiveNames.has(a.authorizerName) ? 'INACTIVE' : 'ACTIVE') : undefined,
                locals.find((l) => l.authorizerName === a.authorizerName && l.hasHandler),
              ),
          );
        },
        { inView: true },
      );
      this.lastNodes = nodes;
      this.lastError = undefined;
      if (!nodes.length) return [new MessageNode('No custom authorizers in this region', 'info'), new ActionNode('Deploy Authorizer Definition…', 'iotAuthz.aws.deploy', 'cloud-upload')];
      return nodes;
    } catch (e) {
      const err = e instanceof AuthzError ? e : new AuthzError('AWS_ERROR', errorText(e));
      this.lastError = err;
      this.lastNodes = undefined;
      this.services.log.warn(`AWS explorer: ${err.code}: ${err.message}`);
      const fix = FIX_COMMAND[err.code] ?? { label: 'Retry', command: 'iotAuthz.aws.refresh' };
      return [
        new MessageNode(err.message, 'error', err.display),
        ...(err.hint ? [new MessageNode(err.hint, 'lightbulb', err.hint)] : []),
        new ActionNode(fix.label, fix.command, 'debug-restart'),
      ];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
