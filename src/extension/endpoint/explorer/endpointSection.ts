import * as vscode from 'vscode';
import { ActionNode } from '../../explorer/actionNode';
import { ExplorerNode, ExplorerSection } from '../../explorer/explorerProvider';
import type { AuthorizersSection } from '../../emulator/explorer/authorizersSection';
import type { EndpointController } from '../controller';
import { portsText } from '../format';
import { readSettings } from '../settings';
import { CaNode } from './caNode';
import { ConnectionNode } from './connectionNode';
import { DecisionNode } from './decisionNode';
import { GroupNode } from './groupNode';
import { InfoNode } from './infoNode';

/** Decisions listed in the tree (the core keeps more; the log has all). */
export const DECISIONS_SHOWN = 50;
/** How often ages and refresh countdowns are redrawn while clients are connected and the view is visible. */
const TICK_MS = 1000;

/**
 * The "Local endpoint" section: stopped (with a Start action) or running
 * (URL, ports, CA, authorizers, live connections, recent decisions). Shown
 * while the endpoint runs or the workspace has authorizer definitions.
 */
export class EndpointSection implements ExplorerSection, vscode.Disposable {
  readonly order = 30;
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  private groups: { connections: GroupNode; decisions: GroupNode } | undefined;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly controller: EndpointController,
    private readonly authorizers: Pick<AuthorizersSection, 'list'>,
    private readonly isVisible: () => boolean,
  ) {
    this.disposables.push(
      controller.onDidChange((change) => {
        if (change === 'state') {
          this.groups = undefined;
          this.changed.fire(undefined);
        } else this.changed.fire(this); // the section's item shows the connection count too
      }),
    );
    this.ticker = setInterval(() => {
      if (this.groups && this.isVisible() && controller.connections().length) this.changed.fire(this.groups.connections);
    }, TICK_MS);
  }

  /** The live groups while running (tests inspect them through getChildren like the tree does). */
  private liveGroups(startedAt: number): { connections: GroupNode; decisions: GroupNode } {
    const c = this.controller;
    this.groups ??= {
      connections: new GroupNode(
        `endpointConnections:${startedAt}`,
        'Connections',
        'plug',
        () => {
          const now = Date.now();
          return c.connections().map((conn) => new ConnectionNode(conn, startedAt, now));
        },
        () => c.connections().length,
        'none yet',
      ),
      decisions: new GroupNode(
        `endpointDecisions:${startedAt}`,
        'Recent decisions',
        'checklist',
        () => c.decisions().slice(0, DECISIONS_SHOWN).map((d) => new DecisionNode(d, startedAt)),
        () => c.decisions().length,
        'none yet',
      ),
    };
    return this.groups;
  }

  async hasContent(): Promise<boolean> {
    if (this.controller.state !== 'stopped') return true;
    return (await this.authorizers.list()).length > 0;
  }

  getTreeItem(): vscode.TreeItem {
    const info = this.controller.info;
    const item = new vscode.TreeItem('Local endpoint', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'section:endpoint';
    item.iconPath = new vscode.ThemeIcon('broadcast', info ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    const n = info ? this.controller.connections().length : 0;
    item.description = info ? `running · :${info.port}${n ? ` · ${n} connection(s)` : ''}` : this.controller.state;
    item.tooltip = info
      ? `Local IoT endpoint on ${info.host}:${info.port}: devices and clients connect here with your workspace's authorizers`
      : 'A local data plane for your authorizers: real MQTT, WebSockets and HTTPS clients connect to it, and every decision shows here';
    item.contextValue = `endpointSection.${info ? 'running' : this.controller.state}`;
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const info = this.controller.info;
    if (!info) {
      if (this.controller.state !== 'stopped') return [new InfoNode(this.controller.state === 'starting' ? 'Starting…' : 'Stopping…', '', 'loading~spin', 'The local endpoint is changing state')];
      const folder = vscode.workspace.workspaceFolders?.[0];
      const s = folder ? readSettings(folder) : undefined;
      return [
        new ActionNode('Start Local IoT Endpoint', 'iotAuthz.endpoint.start', 'play-circle'),
        ...(s ? [new InfoNode('Will listen on', `${s.host}:${s.port === 0 ? 'any free port' : s.port}`, 'gear', 'Settings iotAuthz.endpoint.host and iotAuthz.endpoint.port')] : []),
      ];
    }
    const urls = new vscode.MarkdownString(undefined, true);
    urls.appendMarkdown(`MQTT over TLS (ALPN \`mqtt\`): \`${info.urls.mqtts}\`\n\nMQTT over WebSockets: \`${info.urls.wss}\`\n\nHTTPS publish: \`${info.urls.https}<topic>\``);
    if (info.urls.mqtt) urls.appendMarkdown(`\n\nPlain MQTT (no TLS): \`${info.urls.mqtt}\``);
    urls.appendMarkdown(`\n\nSNI checked against \`${info.hostName}\``);
    const authorizers = info.authorizers.map((a) => `${a.name}${a.isDefault ? ' (default)' : ''}${a.status === 'INACTIVE' ? ' (INACTIVE)' : ''}`);
    const groups = this.liveGroups(info.startedAt);
    return [
      new InfoNode('URL', info.urls.mqtts, 'link', urls),
      new InfoNode('Ports', portsText(info), 'server-process', `Listening on ${info.host}${info.timeScale !== 1 ? `; time scale ${info.timeScale} (refresh and disconnect times pass ${info.timeScale}× faster)` : ''}`),
      new CaNode(info.caPath),
      new InfoNode('Authorizers', authorizers.join(', ') || 'none', 'gear', info.defaultAuthorizer ? `Clients that name no authorizer use ${info.defaultAuthorizer}` : 'Clients must name an authorizer (x-amz-customauthorizer-name): no default is set (iotAuthz.endpoint.defaultAuthorizer)'),
      groups.connections,
      groups.decisions,
    ];
  }

  dispose(): void {
    clearInterval(this.ticker);
    for (const d of this.disposables) d.dispose();
  }
}
