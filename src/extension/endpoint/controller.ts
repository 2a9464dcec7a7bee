import * as vscode from 'vscode';
import type { DecisionRecord, EndpointConnection, EndpointInfo, EndpointLogEntry, EndpointOptions, LocalEndpoint } from '../../core/endpoint';
import type { ConnectionResult } from '../../core/emulator/pipeline';
import { formatDecision } from '../../core/endpoint/format';
import { redactSecrets } from './format';
import { Throttle } from './throttle';

export type EndpointState = 'stopped' | 'starting' | 'running' | 'stopping';

/** What changed: `state` (started / stopped) right away; `activity` (connections, decisions) throttled. */
export type EndpointChange = 'state' | 'activity';

/** The core's entry point; tests may replace it. */
export type StartEndpoint = (options: EndpointOptions) => Promise<LocalEndpoint>;

/** Tree and status bar refreshes at most this often while clients are busy. */
const ACTIVITY_THROTTLE_MS = 250;
/** Decisions kept with the chain they were decided under (the core's ring buffer is 500 by default). */
const MAX_CHAINS = 1000;

/**
 * The one local endpoint of this window: starts and stops it, writes its
 * decisions and log to the output channel (credentials shortened), and keeps
 * for each decision the authorization chain its connection held at that
 * moment, which the core does not attach to publishes, subscribes and
 * deliveries (the results panel shows it with the deciding statement).
 */
export class EndpointController implements vscode.Disposable {
  private endpoint: LocalEndpoint | undefined;
  private current: EndpointState = 'stopped';
  private unsubscribe: Array<() => void> = [];
  /** Latest connect / refresh chain per connection id. */
  private readonly chainByConnection = new Map<string, ConnectionResult>();
  /** The chain each decision was made under, by decision seq. */
  private readonly chainBySeq = new Map<number, ConnectionResult>();
  private tokenKeyNames: string[] = [];
  private stopping: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<EndpointChange>();
  private readonly activity = new Throttle(() => this.changed.fire('activity'), ACTIVITY_THROTTLE_MS);
  readonly onDidChange = this.changed.event;
  /** Decisions as they arrive, unthrottled (tests wait on them). */
  private readonly decided = new vscode.EventEmitter<DecisionRecord>();
  readonly onDidDecide = this.decided.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly startEndpoint: StartEndpoint,
  ) {}

  get state(): EndpointState {
    return this.current;
  }

  /** The running endpoint's addresses, ports and CA, or undefined when it is not running. */
  get info(): EndpointInfo | undefined {
    return this.current === 'running' ? this.endpoint?.info : undefined;
  }

  connections(): EndpointConnection[] {
    return this.current === 'running' && this.endpoint ? this.endpoint.connections() : [];
  }

  /** Newest first. */
  decisions(): DecisionRecord[] {
    return this.endpoint ? [...this.endpoint.recentDecisions()].reverse() : [];
  }

  /** Process ids of the warm handler processes (tests check they are gone after stop). */
  handlerPids(): number[] {
    return this.endpoint ? this.endpoint.handlers().flatMap((h) => (h.pid !== undefined ? [h.pid] : [])) : [];
  }

  /** The chain a decision was made under: its own, or its connection's at that moment. */
  chainOf(d: DecisionRecord): ConnectionResult | undefined {
    return d.result ?? this.chainBySeq.get(d.seq) ?? this.chainByConnection.get(d.connectionId);
  }

  /** The newest decision of a connection that carries a chain (its connect or last refresh). */
  lastChainDecision(connectionId: string): DecisionRecord | undefined {
    return this.decisions().find((d) => d.connectionId === connectionId && d.result);
  }

  async start(options: EndpointOptions): Promise<EndpointInfo> {
    if (this.current === 'running' && this.endpoint) return this.endpoint.info;
    if (this.current !== 'stopped') throw new Error(`The local endpoint is ${this.current}.`);
    this.setState('starting');
    let endpoint: LocalEndpoint;
    try {
      endpoint = await this.startEndpoint({ ...options, log: (entry) => this.writeLog(entry) });
    } catch (e) {
      this.setState('stopped');
      throw e;
    }
    this.endpoint = endpoint;
    this.chainByConnection.clear();
    this.chainBySeq.clear();
    this.tokenKeyNames = endpoint.info.authorizers.map((a) => a.tokenKeyName ?? '').filter(Boolean);
    this.unsubscribe = [
      endpoint.onDecision((d) => this.onDecision(d)),
      endpoint.onConnection(() => this.activity.schedule()),
      endpoint.onDisconnect((c, reason) => {
        this.chainByConnection.delete(c.id);
        this.log.info(`[endpoint] disconnected ${c.clientId ?? c.id} (${c.protocol}): ${redactSecrets(reason, this.tokenKeyNames)}`);
        this.activity.schedule();
      }),
    ];
    this.setState('running');
    return endpoint.info;
  }

  /** Stops the endpoint, its listeners and its handler processes; resolves when they are gone. Idempotent. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const endpoint = this.endpoint;
    if (!endpoint) return Promise.resolve();
    this.setState('stopping');
    this.stopping = (async () => {
      try {
        for (const u of this.unsubscribe.splice(0)) u();
        await endpoint.stop();
      } finally {
        this.endpoint = undefined;
        this.stopping = undefined;
        this.activity.cancel();
        this.setState('stopped');
      }
    })();
    return this.stopping;
  }

  private onDecision(d: DecisionRecord): void {
    if (d.result) this.chainByConnection.set(d.connectionId, d.result);
    const chain = d.result ?? this.chainByConnection.get(d.connectionId);
    if (chain) {
      this.chainBySeq.set(d.seq, chain);
      if (this.chainBySeq.size > MAX_CHAINS) this.chainBySeq.delete(this.chainBySeq.keys().next().value as number);
    }
    const line = `[endpoint] ${redactSecrets(formatDecision(d), this.tokenKeyNames)}`;
    if (d.allowed) this.log.info(line);
    else this.log.warn(line);
    this.decided.fire(d);
    this.activity.schedule();
  }

  private writeLog(entry: EndpointLogEntry): void {
    const text = `[endpoint] ${redactSecrets(entry.message, this.tokenKeyNames)}`;
    if (entry.level === 'error') this.log.error(text);
    else if (entry.level === 'warn') this.log.warn(text);
    else this.log.info(text);
  }

  private setState(state: EndpointState): void {
    this.current = state;
    this.changed.fire('state');
  }

  dispose(): void {
    // Deactivation awaits stop() (extension.ts); this covers a dispose without it.
    void this.stop().catch((e) => this.log.error(`Stopping the local endpoint failed: ${String(e)}`));
    this.activity.cancel();
    this.changed.dispose();
    this.decided.dispose();
  }
}
