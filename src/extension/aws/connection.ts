import * as vscode from 'vscode';
import { AuthzError } from '../../core/errors';
import type { AwsClients, AwsTarget } from '../../core/aws';
import { createAwsClients, endpointsFromSetting, resolveTarget } from '../../core/aws';
import { Services } from '../services';

const CONNECTED_KEY = 'iotAuthz.aws.connected';
/** Context key (package.json menus.commandPalette): connected in this workspace. */
export const CONNECTED_CONTEXT = 'iotAuthz.aws.connected';
/** Workspace state: the profile chosen in this workspace ('' = environment credentials). */
const PROFILE_KEY = 'iotAuthz.aws.profile';
/** Workspace state: the region chosen in this workspace. */
const REGION_KEY = 'iotAuthz.aws.region';
/**
 * Workspace state: the account's iot:Data-ATS endpoint host, as DescribeEndpoint last answered
 * for the chosen profile and region. Sign Token's snippets read it (src/extension/keys/signResult.ts)
 * when the iotAuthz.connection.endpoint setting is empty.
 */
export const DATA_ENDPOINT_KEY = 'iotAuthz.aws.dataEndpoint';

/** Regions where AWS IoT Core offers custom authorizers (for the picker; "Other…" allows any). */
export const IOT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1', 'ap-east-1',
  'me-south-1', 'me-central-1', 'il-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
];

/**
 * Which AWS account and region the extension talks to. The profile and region picked with
 * Select AWS Profile / Select AWS Region are kept per workspace (workspace state: a profile
 * name is a personal choice, so it is not written into the repository's .vscode/settings.json);
 * the settings iotAuthz.aws.profile / .region are the defaults when nothing was picked here,
 * then the environment decides like the AWS CLI. Clients are created on first use (loading the
 * SDK then, never at activation) and cached until the choice or the settings change.
 */
export class AwsConnection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private cached: { key: string; clients: Promise<AwsClients> } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('iotAuthz.aws')) {
        this.invalidate();
        void this.updateContext();
      }
    });
    void this.updateContext();
  }

  /**
   * The `iotAuthz.aws.connected` context key: the command palette shows the commands
   * about a deployed authorizer (which ask for one when run from there) only while it is true.
   */
  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT, this.isConnected);
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('iotAuthz.aws');
  }

  private get state(): vscode.Memento {
    return this.services.context.workspaceState;
  }

  /** The profile picked in this workspace ('' = environment credentials), or undefined when none was. */
  get chosenProfile(): string | undefined {
    return this.state.get<string>(PROFILE_KEY);
  }

  /** The region picked in this workspace, or undefined. */
  get chosenRegion(): string | undefined {
    return this.state.get<string>(REGION_KEY) || undefined;
  }

  /** The target: this workspace's choice, else the settings (undefined fields: the environment decides). */
  target(overrides: { region?: string } = {}): AwsTarget {
    const c = this.config();
    // A URL for both services, or {"iot": URL, "lambda": URL} (as the CLI's IOT_AUTHZ_ENDPOINT_IOT / _LAMBDA).
    const endpoints = endpointsFromSetting(c.get<unknown>('endpoint'));
    const chosen = this.chosenProfile;
    return {
      profile: chosen !== undefined ? chosen || undefined : c.get<string>('profile')?.trim() || undefined,
      region: overrides.region || this.chosenRegion || c.get<string>('region')?.trim() || undefined,
      endpoints,
      env: process.env,
      ...timeoutSetting(c.get<unknown>('timeoutSeconds')),
    };
  }

  /** "profile / region" for labels; never throws. */
  describe(): { profile: string; region: string; endpoint?: string } {
    try {
      const r = resolveTarget(this.target());
      return { profile: r.profile ?? 'environment keys', region: r.region, endpoint: r.endpoints.iot };
    } catch {
      const t = this.target();
      return { profile: t.profile ?? process.env.AWS_PROFILE ?? 'default', region: t.region ?? '(no region)' };
    }
  }

  /** True once the user connected (or configured a profile / region): the explorer then shows AWS. */
  get isConnected(): boolean {
    const c = this.config();
    return this.services.context.workspaceState.get<boolean>(CONNECTED_KEY) === true || !!c.get<string>('profile') || !!c.get<string>('region');
  }

  async setConnected(connected: boolean): Promise<void> {
    await this.services.context.workspaceState.update(CONNECTED_KEY, connected);
    await this.updateContext();
    this.invalidate();
  }

  /**
   * Saves this workspace's choice (workspace state) and marks it connected. `profile`: a name,
   * '' for the environment's credentials, undefined to keep the current choice; same for region.
   * A different account or region forgets the remembered data endpoint.
   */
  async save(profile: string | undefined, region: string | undefined): Promise<void> {
    const before = JSON.stringify([this.chosenProfile, this.chosenRegion]);
    if (profile !== undefined) await this.state.update(PROFILE_KEY, profile);
    if (region !== undefined) await this.state.update(REGION_KEY, region || undefined);
    if (JSON.stringify([this.chosenProfile, this.chosenRegion]) !== before) await this.state.update(DATA_ENDPOINT_KEY, undefined);
    await this.setConnected(true);
  }

  /** Forgets this workspace's profile and region choice (the settings and environment decide again). */
  async forgetChoice(): Promise<void> {
    await this.state.update(PROFILE_KEY, undefined);
    await this.state.update(REGION_KEY, undefined);
    await this.state.update(DATA_ENDPOINT_KEY, undefined);
    this.invalidate();
  }

  /** The account's data endpoint as DescribeEndpoint last answered in this workspace. */
  get dataEndpoint(): string | undefined {
    return this.state.get<string>(DATA_ENDPOINT_KEY) || undefined;
  }

  async rememberDataEndpoint(host: string | undefined): Promise<void> {
    if (!host || host === this.dataEndpoint) return;
    await this.state.update(DATA_ENDPOINT_KEY, host);
    this.dataEndpointChanged.fire(host);
  }

  private readonly dataEndpointChanged = new vscode.EventEmitter<string>();
  /** Fires when a new data endpoint was remembered (status bar tooltip). */
  readonly onDidChangeDataEndpoint = this.dataEndpointChanged.event;

  invalidate(): void {
    const old = this.cached;
    this.cached = undefined;
    void old?.clients.then((c) => c.destroy(), () => undefined);
    this.changed.fire();
  }

  /** Clients for the current settings, created once (until the settings or environment change). */
  clients(): Promise<AwsClients> {
    const target = this.target();
    const env = process.env;
    const key = JSON.stringify([target.profile, target.region, target.endpoints, env.AWS_PROFILE, env.AWS_REGION, env.AWS_ACCESS_KEY_ID, env.IOT_AUTHZ_ENDPOINT_IOT, env.IOT_AUTHZ_ENDPOINT_LAMBDA, env.AWS_CONFIG_FILE]);
    if (this.cached?.key !== key) {
      const clients = createAwsClients(target);
      clients.catch(() => {
        if (this.cached?.clients === clients) this.cached = undefined;
      });
      this.cached = { key, clients };
    }
    return this.cached.clients;
  }

  /**
   * Runs an AWS call with a cancellable progress notification; the AbortSignal follows the
   * Cancel button. AuthzErrors propagate (the command runner shows them).
   */
  /** How many progress notifications run() shows now: questions to the user are asked only while none spins. */
  get busy(): number {
    return this.running;
  }
  private running = 0;

  async run<T>(title: string, fn: (c: AwsClients, signal: AbortSignal) => Promise<T>, overrides: { region?: string; inView?: boolean } = {}): Promise<T> {
    // Explorer listings show progress in the view (no notification per expansion); commands get
    // a cancellable notification whose Cancel aborts the SDK call.
    const location = overrides.inView ? { viewId: 'iotAuthz.explorer' } : vscode.ProgressLocation.Notification;
    return vscode.window.withProgress({ location, title, cancellable: !overrides.inView }, async (_p, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      const counted = !overrides.inView;
      if (counted) this.running++;
      const started = Date.now();
      let own: AwsClients | undefined;
      try {
        const clients = overrides.region ? (own = await createAwsClients(this.target(overrides))) : await this.clients();
        const out = await fn(clients, ac.signal);
        this.services.log.info(`${title}: done in ${Date.now() - started} ms (${clients.target.profile ?? 'env keys'} / ${clients.target.region}).`);
        return out;
      } catch (e) {
        if (e instanceof AuthzError) this.services.log.warn(`${title}: ${e.code}: ${e.message}`);
        throw e;
      } finally {
        if (counted) this.running--;
        sub.dispose();
        own?.destroy();
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.dataEndpointChanged.dispose();
    void this.cached?.clients.then((c) => c.destroy(), () => undefined);
  }
}

/** iotAuthz.aws.timeoutSeconds, when it is a usable number (the schema's bounds; else the default). */
function timeoutSetting(v: unknown): { timeoutSeconds?: number } {
  return typeof v === 'number' && v > 0 && v <= 3600 ? { timeoutSeconds: v } : {};
}
