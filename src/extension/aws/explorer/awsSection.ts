import * as vscode from 'vscode';
import { AuthzError, errorText } from '../../../core/errors';
import { describeDefaultAuthorizer, listAuthorizers } from '../../../core/aws';
import { ExplorerNode, ExplorerSection } from '../../explorer/explorerProvider';
import { ActionNode } from '../../explorer/actionNode';
import { Services } from '../../services';
import { AwsConnection } from '../connection';
import { AuthorizerNode } from './authorizerNode';
import { MessageNode } from './messageNode';

const FIX_COMMAND: Record<string, { label: string; command: string }> = {
  AWS_NO_CREDENTIALS: { label: 'Select AWS Profile…', command: 'iotAuthz.aws.connect' },
  AWS_PROFILE_NOT_FOUND: { label: 'Select AWS Profile…', command: 'iotAuthz.aws.connect' },
  AWS_NO_REGION: { label: 'Select AWS Profile and Region…', command: 'iotAuthz.aws.connect' },
  AWS_SSO_EXPIRED: { label: 'Retry after `aws sso login`', command: 'iotAuthz.aws.refresh' },
};

/**
 * The "AWS" section: the authorizers of the connected account and region. Shown once the
 * user connected; collapsed, so nothing calls AWS (or loads the SDK) until it is expanded.
 */
export class AwsSection implements ExplorerSection {
  readonly order = 40;
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  /** The last listing, for tests and for commands that pick an authorizer. */
  lastNodes: AuthorizerNode[] | undefined;
  lastError: AuthzError | undefined;

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

  async hasContent(): Promise<boolean> {
    return this.connection.isConnected;
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.connection.describe();
    const item = new vscode.TreeItem('AWS', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = 'section:aws';
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.description = `${d.profile} · ${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`;
    item.tooltip = 'Custom authorizers deployed in this account and region. Expand to list them (calls iot:ListAuthorizers).';
    item.contextValue = 'awsSection';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    try {
      const nodes = await this.connection.run('Listing custom authorizers', async (c, signal) => {
        const list = await listAuthorizers(c, { signal });
        let def: string | undefined;
        try {
          def = (await describeDefaultAuthorizer(c, { signal }))?.authorizerName;
        } catch (e) {
          if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
        }
        return list.map((a) => new AuthorizerNode(a, a.authorizerName === def, c.target.region));
      });
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
