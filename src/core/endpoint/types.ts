import type { ConnectionResult } from '../emulator/pipeline';
import type { Protocol } from '../emulator/event';
import type { EvaluationResult, StatementRef } from '../policy';

/** Unsubscribes a listener added with one of the `on*` functions. */
export type Disposer = () => void;

export interface EndpointOptions {
  /** Workspace root: definitions are found under it, relative paths resolve against it. */
  workspaceRoot: string;
  /** Required: the endpoint runs the authorizers' handlers, workspace code (extension: workspace trust). */
  allowCodeExecution: boolean;
  /**
   * Authorizer definition files or globs, relative to the root
   * (default `**\/*.authorizer.json`; node_modules and dot folders are never searched).
   */
  authorizers?: string | string[];
  /** Authorizer used when a client names none (`x-amz-customauthorizer-name` absent). Default: the only one, if there is one. */
  defaultAuthorizer?: string;
  /** Listening address; default 127.0.0.1 (loopback). */
  host?: string;
  /** The TLS port (MQTT by ALPN `mqtt`, else HTTPS publish and WebSockets); 0 = any free port. Default DEFAULT_TLS_PORT. */
  port?: number;
  /** Optional plain TCP MQTT port (no TLS), off when undefined; 0 = any free port. */
  mqttPlainPort?: number;
  /** The endpoint host name clients send as SNI and the server certificate names; default `localhost`. */
  hostName?: string;
  /** Folder of the local CA and server certificate; default `<workspaceRoot>/.iot-authz/`. */
  tlsDir?: string;
  /** Divides refreshAfterInSeconds and disconnectAfterInSeconds (60: 300 s pass in 5 s). Default 1. */
  timeScale?: number;
  /** Node.js executable for nodejs handlers; default this process's. */
  nodePath?: string;
  /** Python 3 executable for python handlers; default `python3`. */
  pythonPath?: string;
  /** How many decisions `recentDecisions()` keeps; default 500. */
  maxRecentDecisions?: number;
  /** Setting names quoted in errors (a busy port names the setting to change); default: the CLI flags. */
  settingNames?: { port?: string; mqttPlainPort?: string };
  /** Every log line (also delivered to `onLog` listeners). Never carries a secret. */
  log?: (entry: EndpointLogEntry) => void;
}

export interface EndpointLogEntry {
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  connectionId?: string;
}

export interface EndpointAuthorizer {
  name: string;
  /** Absolute path of the *.authorizer.json. */
  file: string;
  status: 'ACTIVE' | 'INACTIVE';
  isDefault: boolean;
  signingDisabled: boolean;
  tokenKeyName?: string;
  runtime?: 'nodejs' | 'python';
}

export interface EndpointInfo {
  host: string;
  /** The TLS port actually listening. */
  port: number;
  /** The plain MQTT port, when enabled. */
  mqttPlainPort?: number;
  hostName: string;
  /** PEM of the local CA that signed the server certificate: clients trust this file. */
  caPath: string;
  certPath: string;
  urls: {
    /** `mqtts://<hostName>:<port>` (ALPN `mqtt`). */
    mqtts: string;
    /** `wss://<hostName>:<port>/mqtt`. */
    wss: string;
    /** `https://<hostName>:<port>/topics/` (append the URL-encoded topic). */
    https: string;
    /** `mqtt://<host>:<mqttPlainPort>` when enabled. */
    mqtt?: string;
  };
  authorizers: EndpointAuthorizer[];
  defaultAuthorizer?: string;
  timeScale: number;
  startedAt: number;
}

/** `mqtt` over TLS, `wss` (MQTT over WebSockets), `https` publish; `tls` false for the plain MQTT port. */
export type EndpointProtocol = Protocol;

export interface EndpointConnection {
  /** The endpoint's connection id (also `connectionMetadata.id` in the handler's event). */
  id: string;
  clientId?: string;
  principalId?: string;
  protocol: EndpointProtocol;
  tls: boolean;
  /** SNI the client sent (undefined without TLS or without SNI). */
  serverName?: string;
  remoteAddress?: string;
  authorizerName: string;
  /** ms since epoch. */
  connectedAt: number;
  /** ms since epoch of the next policy refresh (handler invoked again). */
  nextRefreshAt?: number;
  /** ms since epoch when disconnectAfterInSeconds closes the connection. */
  disconnectAt?: number;
  /** Topic filters granted (denied subscriptions are not listed). */
  subscriptions: string[];
  /** How many times the handler was invoked for this connection (connect + refreshes). */
  authorizations: number;
}

export type DecisionKind = 'connect' | 'publish' | 'subscribe' | 'receive' | 'refresh' | 'disconnect' | 'http-publish';

export interface DecisionRecord {
  /** Increasing number, unique within one endpoint run. */
  seq: number;
  /** ms since epoch. */
  time: number;
  connectionId: string;
  clientId?: string;
  principalId?: string;
  protocol: EndpointProtocol;
  authorizerName?: string;
  kind: DecisionKind;
  /** e.g. `iot:Publish` (absent for a disconnect or a failure before any policy). */
  action?: string;
  /** Full ARN, e.g. `arn:aws:iot:us-east-1:123456789012:topic/a/b`. */
  resource?: string;
  /** Topic, topic filter or client id as the client sent it. */
  target?: string;
  allowed: boolean;
  /** One sentence a person can read. */
  reason: string;
  /** The statement that decided (absent when nothing matched or no policy was reached). */
  decidedBy?: StatementRef;
  /** The policy evaluator's full answer (matched statements, notes). */
  evaluation?: EvaluationResult;
  /** connect / refresh / http-publish: the whole chain (signature, event, handler, response, connect). */
  result?: ConnectionResult;
}

export interface HandlerStats {
  authorizerName: string;
  /** Invocations sent to the warm process since start. */
  invocations: number;
  /** Process (re)starts: first start, after a timeout or crash, after a file change. */
  starts: number;
  inFlight: number;
  pid?: number;
}

export interface LocalEndpoint {
  readonly info: EndpointInfo;
  /** Live connections (MQTT and WebSockets; HTTPS publishes are not kept). */
  connections(): EndpointConnection[];
  /** The last decisions, oldest first (ring buffer of `maxRecentDecisions`). */
  recentDecisions(): DecisionRecord[];
  /** Warm handler processes, one per definition. */
  handlers(): HandlerStats[];
  onDecision(listener: (d: DecisionRecord) => void): Disposer;
  onConnection(listener: (c: EndpointConnection) => void): Disposer;
  onDisconnect(listener: (c: EndpointConnection, reason: string) => void): Disposer;
  onLog(listener: (entry: EndpointLogEntry) => void): Disposer;
  /** Closes every connection and listener and stops every handler process. Idempotent. */
  stop(): Promise<void>;
}
