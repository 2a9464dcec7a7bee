import { Aedes } from 'aedes';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { ConnectionInput } from '../emulator/event';
import { decide, Operation, OperationDecision, parseOperation } from '../emulator/operations';
import { ConnectionChain, ConnectionResult, requireCodeExecution } from '../emulator/pipeline';
import { WarmHandler } from '../emulator/warm';
import { validateResponseObject } from '../authoring/validator';
import { Finding } from '../authoring/types';
import { AuthzError, errorText } from '../errors';
import { parsePolicyDocument, PolicyContext, PolicyDocument } from '../policy';
import {
  CONNACK_NOT_AUTHORIZED,
  DENIED_PUBLISH_DISCONNECTS,
  DENIED_SUBSCRIBE_DISCONNECTS,
  DISCONNECT_REASONS,
  HTTP_ALPN,
  httpError,
  httpOk,
  HttpAnswer,
  MAX_REQUEST_BYTES,
  MQTT_ALPN,
  REFRESH_RECHECKS_CONNECT,
  SNI_MISMATCH_REFUSES,
} from './behaviour';
import { ClientCredentials, flatHeaders, httpCredentials, MalformedQueryError, mqttCredentials } from './credentials';
import { DEFAULT_AUTHORIZER_GLOB, DiscoveredAuthorizer, loadAuthorizers } from './discovery';
import { ensureTlsMaterial } from './tls';
import {
  DecisionKind,
  DecisionRecord,
  Disposer,
  EndpointConnection,
  EndpointInfo,
  EndpointLogEntry,
  EndpointOptions,
  HandlerStats,
  LocalEndpoint,
} from './types';

/** Default TLS port: IoT Core's 443 is privileged, so 443 with a prefix digit. */
import { DEFAULT_TLS_PORT } from './constants';

export { DEFAULT_TLS_PORT };

// The hooks take our own narrow packet shapes; aedes's types are wider.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const AedesClass: any = Aedes;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Broker = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = any;

interface StreamMeta {
  protocol: 'mqtt' | 'wss';
  tls: boolean;
  serverName?: string;
  remoteAddress?: string;
  http?: { headers: Record<string, string>; query: string };
}

interface Session {
  info: EndpointConnection;
  client: Client;
  def: DiscoveredAuthorizer;
  input: ConnectionInput;
  policies: PolicyDocument[];
  ctx: PolicyContext;
  /** Decisions memoised until the policies change (see `op`). */
  decisions: Map<string, OperationDecision>;
  refreshTimer?: NodeJS.Timeout;
  disconnectTimer?: NodeJS.Timeout;
  closingReason?: string;
}

const DECISION_CACHE_SIZE = 1024;
/** Distinct handler responses whose validation is kept (each up to about 20 KB of text). */
const VALIDATION_CACHE_SIZE = 128;

/** Policies parsed once per authorization (JSON strings included), so each decision skips the parse. */
function parsedPolicies(list: Array<PolicyDocument | string>): PolicyDocument[] {
  return list.map((p, i) => parsePolicyDocument(p, i));
}

function refusal(message: string): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode: CONNACK_NOT_AUTHORIZED });
}

class Endpoint {
  private readonly events = new EventEmitter();
  private readonly decisions: DecisionRecord[] = [];
  private seq = 0;
  private readonly sessions = new Map<Client, Session>();
  private readonly streamMeta = new WeakMap<object, StreamMeta>();
  private readonly handlers = new Map<string, WarmHandler>();
  private readonly sockets = new Set<net.Socket>();
  private authorizers: DiscoveredAuthorizer[] = [];
  private broker!: Broker;
  private tlsServer?: tls.Server;
  private plainServer?: net.Server;
  private httpServer?: http.Server;
  private wss?: WebSocketServer;
  private stopping?: Promise<void>;
  private readonly maxDecisions: number;
  private readonly timeScale: number;
  private readonly hostName: string;
  info!: EndpointInfo;

  constructor(private readonly o: EndpointOptions) {
    this.events.setMaxListeners(0);
    this.maxDecisions = Math.max(1, o.maxRecentDecisions ?? 500);
    this.timeScale = o.timeScale && o.timeScale > 0 ? o.timeScale : 1;
    this.hostName = o.hostName || 'localhost';
  }

  log(level: EndpointLogEntry['level'], message: string, connectionId?: string): void {
    const entry: EndpointLogEntry = { time: Date.now(), level, message, ...(connectionId ? { connectionId } : {}) };
    try {
      this.o.log?.(entry);
    } catch {
      /* a listener's failure is not the endpoint's */
    }
    this.events.emit('log', entry);
  }

  private emit(event: string, ...args: unknown[]): void {
    if (this.events.listenerCount(event) === 0) return;
    for (const l of this.events.listeners(event)) {
      try {
        (l as (...a: unknown[]) => void)(...args);
      } catch (e) {
        if (event !== 'log') this.log('warn', `A ${event} listener failed: ${errorText(e)}`);
      }
    }
  }

  private record(d: Omit<DecisionRecord, 'seq' | 'time'>): DecisionRecord {
    const rec: DecisionRecord = { seq: ++this.seq, time: Date.now(), ...d };
    this.decisions.push(rec);
    // Trimmed in batches: a splice per decision would cost O(max) on every publish.
    if (this.decisions.length >= 2 * this.maxDecisions) this.decisions.splice(0, this.decisions.length - this.maxDecisions);
    this.emit('decision', rec);
    return rec;
  }

  private recordOp(s: Session, kind: DecisionKind, target: string, d: OperationDecision): DecisionRecord {
    return this.record({
      connectionId: s.info.id,
      ...(s.info.clientId !== undefined ? { clientId: s.info.clientId } : {}),
      ...(s.info.principalId ? { principalId: s.info.principalId } : {}),
      protocol: s.info.protocol,
      authorizerName: s.def.name,
      kind,
      action: d.action,
      resource: d.resource,
      target,
      allowed: d.decision === 'allow',
      reason: d.reason,
      ...(d.decidedBy ? { decidedBy: d.decidedBy } : {}),
      evaluation: d,
    });
  }

  // ---- start and stop -------------------------------------------------------------------------

  async start(): Promise<void> {
    const o = this.o;
    const root = path.resolve(o.workspaceRoot);
    const patterns = o.authorizers === undefined ? [DEFAULT_AUTHORIZER_GLOB] : Array.isArray(o.authorizers) ? o.authorizers : [o.authorizers];
    this.authorizers = loadAuthorizers(root, patterns, (m) => this.log('warn', m));
    if (this.authorizers.length === 0) {
      throw new AuthzError('ENDPOINT_NO_AUTHORIZERS', `No authorizer definition matches ${patterns.join(', ')} under ${root}.`, 'Create a *.authorizer.json (Authorizer Explorer, or iot-authz validate to check one), or pass --authorizers GLOB.');
    }
    let defaultName = o.defaultAuthorizer;
    if (defaultName !== undefined && !this.authorizers.some((a) => a.name === defaultName)) {
      throw new AuthzError('ENDPOINT_UNKNOWN_DEFAULT', `The default authorizer "${defaultName}" is not among the workspace's: ${this.authorizers.map((a) => a.name).join(', ')}.`, 'Pick one of those names (--default NAME).');
    }
    if (defaultName === undefined && this.authorizers.length === 1) defaultName = this.authorizers[0].name;

    const material = await ensureTlsMaterial(o.tlsDir ?? path.join(root, '.iot-authz'), this.hostName, (m) => this.log('info', m));
    this.broker = new AedesClass({
      connectTimeout: 10_000,
      authenticate: (c: Client, u: string | undefined, p: Buffer | undefined, cb: (e: Error | null, ok?: boolean) => void) => void this.authenticate(c, u, p, cb),
      authorizePublish: (c: Client, pk: { topic: string; payload: Buffer; retain: boolean }, cb: (e?: Error | null) => void) => this.authorizePublish(c, pk, cb),
      authorizeSubscribe: (c: Client, sub: { topic: string; qos: number }, cb: (e: Error | null, s?: unknown) => void) => this.authorizeSubscribe(c, sub, cb),
      authorizeForward: (c: Client, pk: { topic: string }) => this.authorizeForward(c, pk),
    });
    await this.broker.listen();
    this.broker.on('clientDisconnect', (c: Client) => this.closed(c));
    this.broker.on('clientError', (c: Client, e: Error) => this.log('warn', `MQTT client ${JSON.stringify(c?.id ?? '?')}: ${e.message}`, this.sessions.get(c)?.info.id));
    this.broker.on('connectionError', (c: Client, e: Error) => {
      const m = c?.conn ? this.streamMeta.get(c.conn) : undefined;
      this.log('warn', `Connection from ${m?.remoteAddress ?? 'unknown'} (${m ? (m.tls ? `${m.protocol} over TLS` : 'plain MQTT') : 'MQTT'}) dropped: ${e.message}`);
    });
    this.broker.on('unsubscribe', (topics: string[], c: Client) => {
      const s = this.sessions.get(c);
      if (s) s.info.subscriptions = s.info.subscriptions.filter((t) => !topics.includes(t));
    });

    this.httpServer = http.createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => void this.httpRequest(req, res));
    this.httpServer.on('clientError', (e, socket) => {
      this.log('warn', `HTTP request from ${(socket as net.Socket).remoteAddress ?? 'unknown'} is malformed: ${e.message}`);
      try {
        socket.destroy();
      } catch {
        /* gone */
      }
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 2 * MAX_REQUEST_BYTES,
      handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
    });
    this.httpServer.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.upgrade(req, socket, head));

    // No Nagle delay: MQTT exchanges are small packets that each wait for an
    // answer, and a CONNACK or PUBACK held back for a delayed ACK costs 40 ms.
    this.tlsServer = tls.createServer({
      noDelay: true,
      key: material.key,
      cert: material.cert,
      ALPNCallback: ({ protocols }) => (protocols.includes(MQTT_ALPN) ? MQTT_ALPN : protocols.includes(HTTP_ALPN) ? HTTP_ALPN : protocols[0]),
      handshakeTimeout: 10_000,
    });
    this.tlsServer.on('connection', (s: net.Socket) => this.track(s));
    this.tlsServer.on('tlsClientError', (e: Error, s: tls.TLSSocket) => {
      this.log('warn', `TLS handshake from ${s.remoteAddress ?? 'unknown'} failed: ${e.message}`);
      s.destroy();
    });
    this.tlsServer.on('secureConnection', (s: tls.TLSSocket) => {
      s.on('error', () => undefined);
      const serverName = typeof s.servername === 'string' ? s.servername : undefined;
      if (s.alpnProtocol === MQTT_ALPN) this.handleMqtt(s, { protocol: 'mqtt', tls: true, serverName, remoteAddress: s.remoteAddress });
      else this.httpServer!.emit('connection', s);
    });
    const host = o.host || '127.0.0.1';
    const port = await this.listen(this.tlsServer, host, o.port ?? DEFAULT_TLS_PORT, '--port', o.settingNames?.port);
    let plainPort: number | undefined;
    if (o.mqttPlainPort !== undefined) {
      this.plainServer = net.createServer({ noDelay: true }, (s) => {
        this.track(s);
        s.on('error', () => undefined);
        this.handleMqtt(s, { protocol: 'mqtt', tls: false, remoteAddress: s.remoteAddress });
      });
      try {
        plainPort = await this.listen(this.plainServer, host, o.mqttPlainPort, '--mqtt-plain-port', o.settingNames?.mqttPlainPort);
      } catch (e) {
        await this.stop();
        throw e;
      }
    }
    const h = this.hostName;
    this.info = {
      host,
      port,
      ...(plainPort !== undefined ? { mqttPlainPort: plainPort } : {}),
      hostName: h,
      caPath: material.caPath,
      certPath: material.certPath,
      urls: {
        mqtts: `mqtts://${h}:${port}`,
        wss: `wss://${h}:${port}/mqtt`,
        https: `https://${h}:${port}/topics/`,
        ...(plainPort !== undefined ? { mqtt: `mqtt://${host}:${plainPort}` } : {}),
      },
      authorizers: this.authorizers.map((a) => ({
        name: a.name,
        file: a.file,
        status: a.active ? 'ACTIVE' : 'INACTIVE',
        isDefault: a.name === defaultName,
        signingDisabled: a.def.signingDisabled,
        ...(a.def.tokenKeyName ? { tokenKeyName: a.def.tokenKeyName } : {}),
        ...(a.def.handler ? { runtime: a.def.handler.runtime } : {}),
      })),
      ...(defaultName ? { defaultAuthorizer: defaultName } : {}),
      timeScale: this.timeScale,
      startedAt: Date.now(),
    };
    this.log('info', `Local IoT endpoint on ${host}:${port} (TLS: MQTT by ALPN "mqtt", HTTPS publish, WebSockets on /mqtt)${plainPort !== undefined ? `, plain MQTT on ${plainPort}` : ''}; host name ${h}; CA ${material.caPath}.`);
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  private listen(server: net.Server, host: string, port: number, flag: string, setting?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        server.close();
        const change = setting ? `the setting ${setting}` : `${flag} PORT`;
        if (e.code === 'EADDRINUSE') reject(new AuthzError('ENDPOINT_PORT_BUSY', `Port ${port} on ${host} is already in use, so the local endpoint cannot listen on it.`, `Stop what uses it, or choose another port with ${change} (0 picks a free one).`));
        else if (e.code === 'EACCES') reject(new AuthzError('ENDPOINT_PORT_DENIED', `Listening on port ${port} on ${host} is not permitted.`, `Ports below 1024 need privileges: choose another with ${change}.`));
        else reject(new AuthzError('ENDPOINT_LISTEN_FAILED', `Cannot listen on ${host}:${port}: ${e.message}`, `Check the host (--host) and ${change}.`));
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        server.on('error', (e) => this.log('error', `Listener error: ${e.message}`));
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      for (const s of this.sessions.values()) {
        s.closingReason = DISCONNECT_REASONS.serverShutdown;
        this.clearTimers(s);
      }
      const closeServer = (srv?: net.Server) => new Promise<void>((r) => (srv ? srv.close(() => r()) : r()));
      const closing = [closeServer(this.tlsServer), closeServer(this.plainServer)];
      this.wss?.close();
      if (this.broker) await new Promise<void>((r) => this.broker.close(() => r()));
      for (const s of this.sockets) s.destroy();
      await Promise.all(closing);
      await Promise.all([...this.handlers.values()].map((h) => h.stop()));
      this.log('info', 'Local IoT endpoint stopped.');
    })();
    return this.stopping;
  }

  // ---- authorization ---------------------------------------------------------------------------

  private handlerFor(a: DiscoveredAuthorizer): WarmHandler {
    let h = this.handlers.get(a.name);
    if (!h) {
      const def = a.def;
      h = new WarmHandler({
        ...def.handler!,
        lambda: { name: def.functionName, region: def.region, account: def.account },
        nodePath: this.o.nodePath,
        pythonPath: this.o.pythonPath,
        onLog: (text, level) => this.log(level === 'info' ? 'info' : 'warn', `[${a.name}] ${text}`),
      });
      this.handlers.set(a.name, h);
    }
    return h;
  }

  /** The authorizer a client named, or the default; a refusal message otherwise. */
  private pickAuthorizer(name: string | undefined): DiscoveredAuthorizer | string {
    const known = this.authorizers.map((a) => a.name).join(', ');
    if (name === undefined || name === '') {
      const d = this.info?.defaultAuthorizer;
      if (!d) return `The client named no authorizer (${'x-amz-customauthorizer-name'}) and the endpoint has no default authorizer; known: ${known}.`;
      name = d;
    }
    const a = this.authorizers.find((x) => x.name === name);
    if (!a) return `No authorizer named ${JSON.stringify(name)} in the workspace (known: ${known}); IoT Core refuses the connection.`;
    if (!a.active) return `The authorizer ${JSON.stringify(name)} is INACTIVE; IoT Core refuses the connection.`;
    if (!a.def.handler) return `The authorizer ${JSON.stringify(name)} has no handler section, so the endpoint cannot run it.`;
    return a;
  }

  /** The emulator's chain, stage by stage, with the warm handler as its handler stage. */
  private async authorize(a: DiscoveredAuthorizer, creds: ClientCredentials, connectionId: string, operations: Operation[] = []): Promise<{ result: ConnectionResult; policies: PolicyDocument[]; ctx: PolicyContext; input: ConnectionInput }> {
    const input: ConnectionInput = { ...creds.input, ...creds.lookup(a.def.tokenKeyName) };
    if (input.token === undefined) delete input.token;
    return this.runChain(a, input, connectionId, operations);
  }

  /**
   * Response validation memoised by the response's text: a handler gives a
   * device the same answer on every connection, and validating it (a parse
   * with positions, every rule) is most of the endpoint's own work per CONNECT.
   * Findings are shared between results and never changed after validation.
   */
  private readonly validated = new Map<string, Finding[]>();
  private readonly validateMemo = (response: unknown): { text: string; findings: Finding[] } => {
    let text: string;
    try {
      text = JSON.stringify(response, null, 2) ?? 'null';
    } catch {
      return validateResponseObject(response); // it reports why the response cannot be serialised
    }
    const hit = this.validated.get(text);
    if (hit) return { text, findings: hit };
    const fresh = validateResponseObject(response);
    if (this.validated.size >= VALIDATION_CACHE_SIZE) this.validated.clear();
    this.validated.set(fresh.text, fresh.findings);
    return fresh;
  };

  private async runChain(a: DiscoveredAuthorizer, input: ConnectionInput, connectionId: string, operations: Operation[] = [], checkConnect = true) {
    const chain = new ConnectionChain(a.def, input);
    const done = (ctx: PolicyContext = {}) => ({ result: chain.finish(), policies: chain.result.authenticated ? parsedPolicies(chain.policies) : [], ctx, input });
    if (!chain.checkSignature()) return { result: chain.result, policies: [], ctx: {}, input };
    const event = chain.buildEvent(connectionId);
    const run = await this.handlerFor(a).invoke(event);
    if (run.logText) for (const l of run.logText.trimEnd().split('\n')) this.log('info', `[${a.name}] ${l}`, connectionId);
    if (!chain.applyHandlerRun(run) || !chain.validateResponse(this.validateMemo)) return { result: chain.result, policies: [], ctx: {}, input };
    const ctx = chain.policyContext();
    if (checkConnect) chain.checkConnect(ctx);
    chain.decideOperations(operations, ctx);
    return done(ctx);
  }

  private sniProblem(meta: { tls: boolean; serverName?: string }): string | undefined {
    if (!SNI_MISMATCH_REFUSES || !meta.tls) return undefined;
    if (meta.serverName === undefined) return `The client sent no TLS SNI; custom authentication needs SNI equal to the endpoint host name "${this.hostName}" (connect by that name, or set the client's servername).`;
    if (meta.serverName.toLowerCase() !== this.hostName.toLowerCase()) return `The client's TLS SNI is "${meta.serverName}", not the endpoint host name "${this.hostName}"; IoT Core routes custom authentication by SNI (start the endpoint with --host-name ${meta.serverName}, or connect as ${this.hostName}).`;
    return undefined;
  }

  // ---- MQTT ---------------------------------------------------------------------------------------

  private handleMqtt(stream: Duplex, meta: StreamMeta, req?: http.IncomingMessage): void {
    this.streamMeta.set(stream, meta);
    try {
      this.broker.handle(stream, req);
      this.guardConnectSize(stream, meta);
    } catch (e) {
      this.log('warn', `Connection from ${meta.remoteAddress ?? 'unknown'} could not be handled: ${errorText(e)}`);
      stream.destroy();
    }
  }

  /**
   * IoT Core refuses a CONNECT over 128 KB. The broker reads a whole packet
   * before any hook sees it, so the size is read here from the first packet's
   * fixed header (type, then the remaining length), as the bytes arrive.
   */
  private guardConnectSize(stream: Duplex, meta: StreamMeta): void {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk.subarray(0, 5 - head.length)]);
      const length = mqttRemainingLength(head);
      if (length === undefined && head.length < 5) return; // the length is not complete yet
      stream.off('data', onData);
      if (head[0] >> 4 !== MQTT_CONNECT || length === undefined || length <= MAX_REQUEST_BYTES) return;
      const reason = `The CONNECT is ${length} bytes, over IoT Core's 128 KB limit; the connection is closed before the authorizer runs.`;
      this.record({ connectionId: randomUUID(), protocol: meta.protocol, kind: 'connect', action: 'iot:Connect', allowed: false, reason });
      this.log('warn', `Connection from ${meta.remoteAddress ?? 'unknown'}: ${reason}`);
      stream.destroy();
    };
    stream.on('data', onData);
  }

  private refuseConnect(id: string, meta: StreamMeta, clientId: string | undefined, reason: string, authorizerName?: string, result?: ConnectionResult): void {
    const protocol = meta.protocol;
    this.record({ connectionId: id, ...(clientId !== undefined ? { clientId } : {}), protocol, ...(authorizerName ? { authorizerName } : {}), kind: 'connect', action: 'iot:Connect', ...(clientId !== undefined ? { target: clientId } : {}), allowed: false, reason, ...(result?.connect?.decidedBy ? { decidedBy: result.connect.decidedBy } : {}), ...(result ? { result } : {}) });
    this.log('warn', `CONNECT refused (${protocol}${meta.tls ? '' : ', plain'}${clientId !== undefined ? `, client ${JSON.stringify(clientId)}` : ''}): ${reason}`, id);
  }

  private async authenticate(client: Client, username: string | undefined, password: Buffer | undefined, cb: (e: Error | null, ok?: boolean) => void): Promise<void> {
    const id = randomUUID();
    const meta: StreamMeta = this.streamMeta.get(client.conn) ?? { protocol: 'mqtt', tls: false };
    const clientId: string | undefined = typeof client.id === 'string' ? client.id : undefined;
    const refuse = (reason: string, a?: string, result?: ConnectionResult) => {
      this.refuseConnect(id, meta, clientId, reason, a, result);
      cb(refusal(reason), false);
    };
    try {
      const sni = this.sniProblem(meta);
      if (sni) return refuse(sni);
      let creds: ClientCredentials;
      try {
        creds = mqttCredentials({ protocol: meta.protocol, clientId, username, password, http: meta.http, serverName: meta.serverName, sourceIp: meta.remoteAddress });
      } catch (e) {
        if (e instanceof MalformedQueryError) return refuse(`Malformed credentials: ${e.message}.`);
        throw e;
      }
      const a = this.pickAuthorizer(creds.authorizerName);
      if (typeof a === 'string') return refuse(a, creds.authorizerName);
      const { result, policies, ctx, input } = await this.authorize(a, creds, id);
      if (this.stopping) return refuse('The endpoint is stopping.', a.name);
      if (!result.connected) return refuse(result.failure?.message ?? result.summary, a.name, result);
      if (client.closed) return cb(refusal('The client went away during authentication.'), false);
      const now = Date.now();
      const info: EndpointConnection = {
        id,
        ...(clientId !== undefined ? { clientId } : {}),
        ...(result.principalId ? { principalId: result.principalId } : {}),
        protocol: meta.protocol,
        tls: meta.tls,
        ...(meta.serverName !== undefined ? { serverName: meta.serverName } : {}),
        ...(meta.remoteAddress ? { remoteAddress: meta.remoteAddress } : {}),
        authorizerName: a.name,
        connectedAt: now,
        subscriptions: [],
        authorizations: 1,
      };
      for (const other of this.sessions.values()) {
        if (clientId !== undefined && other.info.clientId === clientId) other.closingReason = DISCONNECT_REASONS.duplicate;
      }
      const s: Session = { info, client, def: a, input, policies, ctx, decisions: new Map() };
      this.sessions.set(client, s);
      this.schedule(s, result);
      this.record({ connectionId: id, ...(clientId !== undefined ? { clientId } : {}), ...(result.principalId ? { principalId: result.principalId } : {}), protocol: meta.protocol, authorizerName: a.name, kind: 'connect', action: 'iot:Connect', ...(result.connect ? { resource: result.connect.resource } : {}), ...(clientId !== undefined ? { target: clientId } : {}), allowed: true, reason: result.connect?.reason ?? result.summary, ...(result.connect?.decidedBy ? { decidedBy: result.connect.decidedBy } : {}), result });
      this.emit('connection', { ...info });
      cb(null, true);
    } catch (e) {
      this.log('error', `Authentication failed unexpectedly: ${errorText(e)}`, id);
      try {
        cb(refusal('internal error'), false);
      } catch {
        /* client gone */
      }
    }
  }

  private schedule(s: Session, result: ConnectionResult): void {
    this.clearTimers(s);
    const now = Date.now();
    if (result.refreshAfterInSeconds !== undefined) {
      const ms = (result.refreshAfterInSeconds * 1000) / this.timeScale;
      s.info.nextRefreshAt = now + ms;
      s.refreshTimer = setTimeout(() => void this.refresh(s), ms);
      s.refreshTimer.unref();
    } else delete s.info.nextRefreshAt;
    if (s.disconnectTimer === undefined && result.disconnectAfterInSeconds !== undefined) {
      const ms = (result.disconnectAfterInSeconds * 1000) / this.timeScale;
      s.info.disconnectAt = now + ms;
      s.disconnectTimer = setTimeout(() => this.expire(s, result.disconnectAfterInSeconds!), ms);
      s.disconnectTimer.unref();
    }
  }

  private clearTimers(s: Session): void {
    if (s.refreshTimer) clearTimeout(s.refreshTimer);
    s.refreshTimer = undefined;
  }

  private async refresh(s: Session): Promise<void> {
    if (this.stopping || !this.sessions.has(s.client)) return;
    s.info.authorizations++;
    const { result, policies, ctx } = await this.runChain(s.def, s.input, s.info.id, [], REFRESH_RECHECKS_CONNECT);
    if (this.stopping || !this.sessions.has(s.client)) return;
    const ok = REFRESH_RECHECKS_CONNECT ? result.connected : result.authenticated;
    const base = { connectionId: s.info.id, ...(s.info.clientId !== undefined ? { clientId: s.info.clientId } : {}), ...(result.principalId ? { principalId: result.principalId } : {}), protocol: s.info.protocol, authorizerName: s.def.name, kind: 'refresh' as const, result };
    if (!ok) {
      const reason = `Policy refresh failed, so IoT Core closes the connection: ${result.failure?.message ?? result.summary}`;
      this.record({ ...base, allowed: false, reason, ...(result.connect?.decidedBy ? { decidedBy: result.connect.decidedBy } : {}) });
      this.log('warn', reason, s.info.id);
      s.closingReason = DISCONNECT_REASONS.authError;
      s.client.close();
      return;
    }
    s.policies = policies;
    s.ctx = ctx;
    s.decisions.clear();
    if (result.principalId) s.info.principalId = result.principalId;
    this.record({ ...base, allowed: true, reason: `Policies refreshed (${policies.length} document(s)); the new ones apply from now on.`, ...(result.connect?.decidedBy ? { decidedBy: result.connect.decidedBy } : {}) });
    this.schedule(s, result);
  }

  private expire(s: Session, seconds: number): void {
    if (!this.sessions.has(s.client)) return;
    const reason = `disconnectAfterInSeconds (${seconds} s${this.timeScale !== 1 ? `, ${+(seconds / this.timeScale).toFixed(3)} s at time scale ${this.timeScale}` : ''}) reached: IoT Core closes the connection.`;
    this.record({ connectionId: s.info.id, ...(s.info.clientId !== undefined ? { clientId: s.info.clientId } : {}), ...(s.info.principalId ? { principalId: s.info.principalId } : {}), protocol: s.info.protocol, authorizerName: s.def.name, kind: 'disconnect', allowed: false, reason });
    s.closingReason = DISCONNECT_REASONS.ttl;
    s.client.close();
  }

  private closed(client: Client): void {
    const s = this.sessions.get(client);
    if (!s) return;
    this.sessions.delete(client);
    this.clearTimers(s);
    if (s.disconnectTimer) clearTimeout(s.disconnectTimer);
    const reason = s.closingReason ?? DISCONNECT_REASONS.client;
    this.emit('disconnect', { ...s.info, subscriptions: [...s.info.subscriptions] }, reason);
  }

  /**
   * The decision for one operation against the connection's cached policies.
   * Decisions are memoised per connection until the next refresh (the policies
   * and the connection's variables cannot change in between); an uncertain one
   * (a condition not checkable locally) is evaluated every time.
   */
  private op(s: Session, action: string, target: string): OperationDecision {
    const key = `${action}\n${target}`;
    const hit = s.decisions.get(key);
    if (hit) return hit;
    const d = decide(parseOperation({ action, resource: target }, s.def.def.region, s.def.def.account), s.policies, s.ctx);
    if (!d.uncertain) {
      if (s.decisions.size >= DECISION_CACHE_SIZE) s.decisions.clear();
      s.decisions.set(key, d);
    }
    return d;
  }

  private authorizePublish(client: Client, packet: { topic: string; payload: Buffer; retain: boolean }, cb: (e?: Error | null) => void): void {
    const s = this.sessions.get(client);
    if (!s) return cb(new Error('not authenticated'));
    const size = Buffer.byteLength(packet.topic) + (packet.payload?.length ?? 0);
    if (size > MAX_REQUEST_BYTES) {
      const reason = `The PUBLISH is ${size} bytes, over IoT Core's 128 KB limit; the connection is closed.`;
      this.record({ connectionId: s.info.id, ...(s.info.clientId !== undefined ? { clientId: s.info.clientId } : {}), protocol: s.info.protocol, authorizerName: s.def.name, kind: 'publish', action: 'iot:Publish', target: packet.topic, allowed: false, reason });
      s.closingReason = DISCONNECT_REASONS.forbidden;
      return cb(new Error(reason));
    }
    let d = this.op(s, 'iot:Publish', packet.topic);
    if (d.decision === 'allow' && packet.retain) d = this.op(s, 'iot:RetainPublish', packet.topic);
    this.recordOp(s, 'publish', packet.topic, d);
    if (d.decision === 'allow') return cb(null);
    if (DENIED_PUBLISH_DISCONNECTS) {
      s.closingReason = DISCONNECT_REASONS.forbidden;
      return cb(new Error(`${d.action} denied on ${packet.topic}`));
    }
    return cb(null);
  }

  private authorizeSubscribe(client: Client, sub: { topic: string; qos: number }, cb: (e: Error | null, s?: unknown) => void): void {
    const s = this.sessions.get(client);
    if (!s) return cb(new Error('not authenticated'));
    const d = this.op(s, 'iot:Subscribe', sub.topic);
    this.recordOp(s, 'subscribe', sub.topic, d);
    if (d.decision === 'allow') {
      if (!s.info.subscriptions.includes(sub.topic)) s.info.subscriptions.push(sub.topic);
      return cb(null, sub);
    }
    if (DENIED_SUBSCRIBE_DISCONNECTS) {
      s.closingReason = DISCONNECT_REASONS.forbidden;
      return cb(new Error(`iot:Subscribe denied on ${sub.topic}`));
    }
    return cb(null, null);
  }

  private authorizeForward(client: Client, packet: { topic: string }): unknown {
    const s = this.sessions.get(client);
    if (!s) return null;
    if (packet.topic.startsWith('$SYS/')) return null;
    const d = this.op(s, 'iot:Receive', packet.topic);
    this.recordOp(s, 'receive', packet.topic, d);
    return d.decision === 'allow' ? packet : null;
  }

  // ---- HTTP: publish and WebSocket upgrade ---------------------------------------------------

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'https://local');
    socket.on('error', () => undefined);
    if (url.pathname !== '/mqtt') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const tlsSocket = socket as tls.TLSSocket;
    const meta: StreamMeta = {
      protocol: 'wss',
      tls: true,
      ...(typeof tlsSocket.servername === 'string' ? { serverName: tlsSocket.servername } : {}),
      remoteAddress: socket.remoteAddress,
      http: { headers: flatHeaders(req.headers), query: url.search.replace(/^\?/, '') },
    };
    this.wss!.handleUpgrade(req, socket, head, (ws) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => undefined);
      this.handleMqtt(stream, meta, req);
    });
  }

  private answer(res: http.ServerResponse, a: HttpAnswer): void {
    const body = JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async httpRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const id = randomUUID();
    const socket = req.socket as tls.TLSSocket;
    const serverName = typeof socket.servername === 'string' ? socket.servername : undefined;
    const recordHttp = (allowed: boolean, reason: string, extra: Partial<DecisionRecord> = {}) =>
      this.record({ connectionId: id, protocol: 'https', kind: 'http-publish', action: 'iot:Publish', allowed, reason, ...extra });
    try {
      const url = new URL(req.url ?? '/', 'https://local');
      if (req.method !== 'POST' || !url.pathname.startsWith('/topics/')) {
        req.resume();
        return this.answer(res, httpError('not-found', 'this endpoint answers POST /topics/{topic} and WebSockets on /mqtt'));
      }
      let topic: string;
      try {
        topic = decodeURIComponent(url.pathname.slice('/topics/'.length));
      } catch {
        req.resume();
        return this.answer(res, httpError('bad-request', 'the topic in the path is not valid URL encoding'));
      }
      const qosText = url.searchParams.get('qos') ?? '0';
      if (qosText !== '0' && qosText !== '1') {
        req.resume();
        return this.answer(res, httpError('bad-request', 'qos must be 0 or 1'));
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      const body = declared > MAX_REQUEST_BYTES ? undefined : await readBody(req, MAX_REQUEST_BYTES);
      if (body === undefined) {
        recordHttp(false, `The request body is over IoT Core's 128 KB limit; refused.`, { target: topic });
        // The client is still sending. Closing now makes the kernel answer its next
        // bytes with a reset, which can discard the 413 before the client reads it.
        // So the rest is read and thrown away, within a bound, and the 413 sent.
        drainBounded(req);
        this.answer(res, httpError('too-large', 'the message is over 128 KB'));
        return;
      }
      const sni = this.sniProblem({ tls: true, serverName });
      if (sni) {
        recordHttp(false, sni, { target: topic });
        return this.answer(res, httpError('forbidden', sni));
      }
      let creds: ClientCredentials;
      try {
        creds = httpCredentials({ http: { headers: flatHeaders(req.headers), query: url.search.replace(/^\?/, '') }, serverName, sourceIp: socket.remoteAddress });
      } catch (e) {
        if (!(e instanceof MalformedQueryError)) throw e;
        recordHttp(false, `Malformed credentials: ${e.message}.`, { target: topic });
        return this.answer(res, httpError('unauthorized'));
      }
      const a = this.pickAuthorizer(creds.authorizerName);
      if (typeof a === 'string') {
        recordHttp(false, a, { target: topic, ...(creds.authorizerName ? { authorizerName: creds.authorizerName } : {}) });
        this.log('warn', `HTTPS publish refused: ${a}`, id);
        return this.answer(res, httpError('unauthorized'));
      }
      const publishOp = parseOperation({ action: 'iot:Publish', resource: topic }, a.def.region, a.def.account);
      const { result } = await this.authorize(a, creds, id, [publishOp]);
      const d = result.decisions[0];
      const common = { target: topic, authorizerName: a.name, ...(result.principalId ? { principalId: result.principalId } : {}), result, ...(d?.decidedBy ? { decidedBy: d.decidedBy } : {}), ...(d ? { resource: d.resource } : {}) };
      if (!result.authenticated) {
        recordHttp(false, result.failure?.message ?? result.summary, common);
        return this.answer(res, httpError('unauthorized'));
      }
      if (!d || d.decision !== 'allow') {
        recordHttp(false, d?.reason ?? 'not allowed', common);
        return this.answer(res, httpError('forbidden'));
      }
      await new Promise<void>((resolve) => this.broker.publish({ cmd: 'publish', topic, payload: body, qos: Number(qosText), retain: false, dup: false }, () => resolve()));
      recordHttp(true, d.reason, common);
      return this.answer(res, httpOk());
    } catch (e) {
      this.log('error', `HTTPS request failed unexpectedly: ${errorText(e)}`, id);
      if (!res.headersSent) this.answer(res, { status: 500, body: { message: 'Internal error', traceId: id } });
    }
  }

  // ---- the public object -------------------------------------------------------------------------

  api(): LocalEndpoint {
    const on = <T extends unknown[]>(event: string) => (listener: (...args: T) => void): Disposer => {
      this.events.on(event, listener as (...a: unknown[]) => void);
      return () => this.events.off(event, listener as (...a: unknown[]) => void);
    };
    return {
      info: this.info,
      connections: () => [...this.sessions.values()].map((s) => ({ ...s.info, subscriptions: [...s.info.subscriptions] })),
      recentDecisions: () => this.decisions.slice(-this.maxDecisions),
      handlers: (): HandlerStats[] =>
        [...this.handlers.entries()].map(([name, h]) => ({ authorizerName: name, invocations: h.invocations, starts: h.starts, inFlight: h.inFlight, ...(h.pid ? { pid: h.pid } : {}) })),
      onDecision: on<[DecisionRecord]>('decision'),
      onConnection: on<[EndpointConnection]>('connection'),
      onDisconnect: on<[EndpointConnection, string]>('disconnect'),
      onLog: on<[EndpointLogEntry]>('log'),
      stop: () => this.stop(),
    };
  }
}

/** MQTT control packet type of CONNECT (the high nibble of the first byte). */
const MQTT_CONNECT = 1;

/**
 * The remaining length of an MQTT fixed header (MQTT 3.1.1, 2.2.3: up to four
 * bytes of seven bits each, after the first byte); undefined while incomplete
 * or when malformed (the broker reports that one).
 */
export function mqttRemainingLength(head: Buffer): number | undefined {
  let value = 0;
  for (let i = 1; i < Math.min(head.length, 5); i++) {
    value += (head[i] & 0x7f) * 128 ** (i - 1);
    if ((head[i] & 0x80) === 0) return value;
  }
  return undefined;
}

/** How much of a refused request body is read and discarded, and for how long, before its connection is dropped. */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

/**
 * Reads and discards the rest of a refused request so that the answer reaches
 * the client; past DRAIN_MAX_BYTES or DRAIN_MAX_MS the connection is dropped.
 */
function drainBounded(req: http.IncomingMessage): void {
  const socket = req.socket;
  let n = 0;
  const stop = () => {
    clearTimeout(timer);
    socket.off('data', count);
  };
  const count = (c: Buffer) => {
    n += c.length;
    if (n > DRAIN_MAX_BYTES) {
      stop();
      socket.destroy();
    }
  };
  const timer = setTimeout(() => {
    stop();
    if (!req.complete) socket.destroy();
  }, DRAIN_MAX_MS);
  timer.unref();
  socket.on('data', count);
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}

/** The body, or undefined once it passes `max` bytes. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      n += c.length;
      if (n > max) {
        over = true;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !over && resolve(Buffer.concat(chunks)));
    req.on('error', () => !over && resolve(undefined));
  });
}

/**
 * Starts the local IoT endpoint. Refuses without `allowCodeExecution` (it runs
 * the workspace's handlers). Rejects with an AuthzError for a busy port, no
 * authorizer definitions or an unknown default authorizer.
 */
export async function startLocalEndpoint(options: EndpointOptions): Promise<LocalEndpoint> {
  requireCodeExecution(options.allowCodeExecution);
  const ep = new Endpoint(options);
  try {
    await ep.start();
  } catch (e) {
    await ep.stop().catch(() => undefined);
    throw e;
  }
  return ep.api();
}
