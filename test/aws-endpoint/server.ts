/**
 * A local endpoint speaking the AWS IoT and AWS Lambda REST-JSON protocols for the operations
 * src/core/aws uses. It checks every request's SigV4 signature (recomputed with
 * @smithy/signature-v4 from the test credentials), keeps state across calls and answers with
 * AWS's error shapes (status code, `x-amzn-ErrorType` header, JSON body). Tests can inject
 * faults: deny an action, throttle an operation N times, expire the credentials.
 *
 * Manual runs: `node out/test/aws-endpoint/server.js --port 4566 --seed examples`.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ensureKeyPair, loadDefinitionFile, runHandler } from '../../src/core/emulator';
import type { HandlerSpec } from '../../src/core/emulator';
import { publicKeyPem } from '../../src/core/keys';
import { computeSignature, parseAuthorization, requestDate, signaturesEqual, splitUrl, TestCredentials } from './sigv4';
import { verifyTokenSignature } from './verify';

export type { TestCredentials } from './sigv4';

export const TEST_CREDENTIALS: TestCredentials = { accessKeyId: 'AKIAIOTAUTHZTEST0001', secretAccessKey: 'iot-authz-test-secret-key/0123456789abcdef' };
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';

/** The event IoT Core passes to the authorizer Lambda. */
export interface AuthorizerEvent {
  token?: string;
  signatureVerified: boolean;
  protocols: string[];
  protocolData: {
    tls?: { serverName?: string };
    http?: { headers?: Record<string, string>; queryString?: string };
    mqtt?: { username?: string; password?: string; clientId?: string };
  };
  connectionMetadata: { id: string };
}

/** A local stand-in for the authorizer's Lambda: returns the Lambda's response object. */
export type LocalHandler = (event: AuthorizerEvent) => unknown | Promise<unknown>;

export interface EndpointAuthorizer {
  authorizerName: string;
  authorizerFunctionArn: string;
  tokenKeyName?: string;
  tokenSigningPublicKeys?: Record<string, string>;
  status?: 'ACTIVE' | 'INACTIVE';
  signingDisabled?: boolean;
  enableCachingForHttp?: boolean;
  tags?: Array<{ Key: string; Value?: string }>;
}

export interface EndpointFunction {
  functionName: string;
  runtime?: string;
  handler?: string;
  /** Seconds (default 3). */
  timeout?: number;
  state?: string;
  /** What TestInvokeAuthorizer runs for authorizers pointing at this function (wins over handlerSpec). */
  localHandler?: LocalHandler;
  /** A handler run by the local emulator (src/core/emulator runHandler), e.g. from a definition's `handler`. */
  handlerSpec?: HandlerSpec;
  /** Resource policy statements. */
  statements?: Array<Record<string, unknown>>;
}

export interface DomainConfiguration {
  domainConfigurationName: string;
  domainName?: string;
  serviceType?: 'DATA' | 'CREDENTIAL_PROVIDER' | 'JOBS';
  status?: 'ENABLED' | 'DISABLED';
  defaultAuthorizerName?: string;
  allowAuthorizerOverride?: boolean;
}

export interface EndpointOptions {
  /** Port (default 0: any free port). */
  port?: number;
  host?: string;
  credentials?: TestCredentials;
  region?: string;
  account?: string;
  /** Largest page ListAuthorizers returns (AWS's default; tests lower it). Default 100. */
  maxPageSize?: number;
  /** Accept requests without a valid signature (never in tests of signing). */
  skipSignatureCheck?: boolean;
  /** See AwsTestEndpoint.retryAfterSeconds. */
  retryAfterSeconds?: number;
}

export interface RecordedRequest {
  service: 'iot' | 'lambda';
  operation: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface StoredAuthorizer extends EndpointAuthorizer {
  creationDate: number;
  lastModifiedDate: number;
}

interface StoredFunction extends EndpointFunction {
  revisionId: string;
  statements: Array<Record<string, unknown>>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Handler = (ctx: { params: string[]; query: Record<string, string | string[]>; body: Record<string, unknown> }) => Promise<[number, unknown]> | [number, unknown];

interface Route {
  service: 'iot' | 'lambda';
  operation: string;
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const q1 = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const AUTHORIZER_NAME = /^[\w=,@-]{1,128}$/;
const FUNCTION_ARN = /^arn:(aws|aws-cn|aws-us-gov):lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;

export class AwsTestEndpoint {
  readonly credentials: TestCredentials;
  readonly region: string;
  readonly account: string;
  maxPageSize: number;
  skipSignatureCheck: boolean;
  /** Retry-After (seconds) sent with Lambda's TooManyRequestsException; unset by default to keep tests fast. */
  retryAfterSeconds: number | undefined;
  /** Every request that reached an operation (after the signature check), in order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests rejected before an operation ran (signature, credentials). */
  readonly rejected: Array<{ method: string; path: string; type: string }> = [];

  readonly authorizers = new Map<string, StoredAuthorizer>();
  readonly functions = new Map<string, StoredFunction>();
  readonly domainConfigurations = new Map<string, DomainConfiguration>();
  defaultAuthorizerName: string | undefined;
  dataEndpoint: string;

  private server: http.Server | undefined;
  private readonly denied = new Set<string>();
  private readonly throttles = new Map<string, number>();
  private readonly malformed = new Map<string, { status: number; body: Buffer; times: number }>();
  private credentialsExpired = false;
  private readonly routes: Route[];
  private readonly options: EndpointOptions;

  constructor(options: EndpointOptions = {}) {
    this.options = options;
    this.credentials = options.credentials ?? TEST_CREDENTIALS;
    this.region = options.region ?? TEST_REGION;
    this.account = options.account ?? TEST_ACCOUNT;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.skipSignatureCheck = options.skipSignatureCheck ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.dataEndpoint = `a1b2c3d4e5f6g7-ats.iot.${this.region}.amazonaws.com`;
    this.routes = this.buildRoutes();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Starts listening (127.0.0.1, port 0 unless given); resolves to the base URL. */
  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** Environment for iot-authz / createAwsClients: endpoint overrides, region, static test keys. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      IOT_AUTHZ_ENDPOINT_IOT: this.url,
      IOT_AUTHZ_ENDPOINT_LAMBDA: this.url,
      AWS_REGION: this.region,
      AWS_ACCESS_KEY_ID: this.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  // ---- faults ----------------------------------------------------------------------------

  /** Answer AccessDeniedException for an action, e.g. "iot:ListAuthorizers" or "lambda:GetPolicy". */
  deny(action: string): this {
    this.denied.add(action.toLowerCase());
    return this;
  }

  allow(action: string): this {
    this.denied.delete(action.toLowerCase());
    return this;
  }

  /** Throttle the next `times` calls of an operation ("ListAuthorizers", "GetPolicy", or "*"). */
  throttle(operation: string, times: number): this {
    this.throttles.set(operation, times);
    return this;
  }

  /**
   * Answer the next `times` calls of an operation ("ListAuthorizers" or "*"), once their
   * signature is checked, with a raw body that is not JSON (e.g. a proxy's HTML page, or bytes).
   */
  malformedBody(operation: string, status: number, body: string | Buffer, times = 1_000): this {
    this.malformed.set(operation, { status, body: Buffer.from(body), times });
    return this;
  }

  /** Every request gets ExpiredTokenException until restored. */
  expireCredentials(expired = true): this {
    this.credentialsExpired = expired;
    return this;
  }

  resetFaults(): void {
    this.denied.clear();
    this.throttles.clear();
    this.malformed.clear();
    this.credentialsExpired = false;
  }

  // ---- state -----------------------------------------------------------------------------

  authorizerArn(name: string): string {
    return `arn:aws:iot:${this.region}:${this.account}:authorizer/${name}`;
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  addAuthorizer(a: EndpointAuthorizer): this {
    const now = Math.floor(Date.now() / 1000);
    this.authorizers.set(a.authorizerName, { status: 'ACTIVE', signingDisabled: false, enableCachingForHttp: false, ...a, creationDate: now, lastModifiedDate: now });
    return this;
  }

  addFunction(f: EndpointFunction): this {
    this.functions.set(f.functionName, { timeout: 3, runtime: 'nodejs20.x', handler: 'index.handler', state: 'Active', ...f, statements: [...(f.statements ?? [])], revisionId: randomUUID() });
    return this;
  }

  /**
   * Registers an authorizer definition file (*.authorizer.json) as AWS would hold it after a
   * deploy: the authorizer (keys resolved to PEM) and its Lambda, whose TestInvokeAuthorizer
   * runs the definition's `handler` with the local emulator. `permission` also adds the
   * invoke permission statement (default false).
   */
  registerDefinition(file: string, options: { permission?: boolean; workspaceRoot?: string } = {}): EndpointAuthorizer {
    const d = loadDefinitionFile(file, { workspaceRoot: options.workspaceRoot });
    if (d.keyErrors.length) throw new Error(`${file}: ${d.keyErrors.map((k) => k.message).join(' ')}`);
    const raw = d.raw;
    const a: EndpointAuthorizer = {
      authorizerName: d.authorizerName,
      authorizerFunctionArn: this.functionArn(d.functionName),
      tokenKeyName: d.tokenKeyName,
      tokenSigningPublicKeys: d.keys.length ? Object.fromEntries(d.keys.map((k) => [k.name, publicKeyPem(k.key)])) : undefined,
      status: raw.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      signingDisabled: d.signingDisabled,
      enableCachingForHttp: raw.enableCachingForHttp === true,
    };
    this.addAuthorizer(a);
    if (!this.functions.has(d.functionName)) {
      this.addFunction({
        functionName: d.functionName,
        runtime: d.handler?.runtime === 'python' ? 'python3.12' : 'nodejs20.x',
        handler: d.handler ? `${path.basename(d.handler.file, path.extname(d.handler.file))}.${d.handler.functionName}` : 'index.handler',
        timeout: d.handler?.timeoutMs ? Math.ceil(d.handler.timeoutMs / 1000) : 3,
        handlerSpec: d.handler,
      });
    }
    if (options.permission) {
      const f = this.functions.get(d.functionName)!;
      f.statements.push({
        Sid: `iot-authz-${d.authorizerName}`,
        Effect: 'Allow',
        Principal: { Service: 'iot.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: this.functionArn(d.functionName),
        Condition: { StringEquals: { 'AWS:SourceAccount': this.account }, ArnLike: { 'AWS:SourceArn': this.authorizerArn(d.authorizerName) } },
      });
    }
    return a;
  }

  addDomainConfiguration(d: DomainConfiguration): this {
    this.domainConfigurations.set(d.domainConfigurationName, { serviceType: 'DATA', status: 'ENABLED', ...d });
    return this;
  }

  /** The function's resource policy as Lambda returns it, or undefined. */
  policyOf(functionName: string): string | undefined {
    const f = this.functions.get(functionName);
    if (!f || f.statements.length === 0) return undefined;
    return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: f.statements });
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const { path, query } = splitUrl(url);
    const service: 'iot' | 'lambda' = path.startsWith('/2015-03-31/') ? 'lambda' : 'iot';
    try {
      await this.checkSignature({ method, url, headers: req.headers, body }, service);
      const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) throw new ApiError(404, 'UnknownOperationException', `No operation for ${method} ${path} in the test endpoint.`);
      const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      const text = body.toString('utf8');
      this.requests.push({ service, operation: route.operation, method, path, query, headers: req.headers, body: text });
      const action = `${route.service}:${route.operation}`.toLowerCase();
      if (this.denied.has(action)) {
        const resource = route.service === 'iot' ? `arn:aws:iot:${this.region}:${this.account}:authorizer/*` : this.functionArn(params[0] ?? '*');
        throw new ApiError(
          403,
          'AccessDeniedException',
          `User: arn:aws:iam::${this.account}:user/iot-authz-test is not authorized to perform: ${route.service}:${route.operation} on resource: ${resource} because no identity-based policy allows the ${route.service}:${route.operation} action`,
        );
      }
      for (const key of [route.operation, '*']) {
        const left = this.throttles.get(key);
        if (left && left > 0) {
          this.throttles.set(key, left - 1);
          if (route.service === 'lambda') throw new ApiError(429, 'TooManyRequestsException', 'Rate exceeded', { Reason: 'CallerRateLimitExceeded', Type: 'User' });
          throw new ApiError(400, 'ThrottlingException', 'Rate exceeded');
        }
      }
      for (const key of [route.operation, '*']) {
        const m = this.malformed.get(key);
        if (m && m.times > 0) {
          m.times--;
          res.writeHead(m.status, { 'content-type': 'text/html', 'content-length': m.body.length });
          res.end(m.body);
          return;
        }
      }
      let parsed: Record<string, unknown> = {};
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ApiError(400, route.service === 'iot' ? 'InvalidRequestException' : 'InvalidParameterValueException', 'The request body is not valid JSON.');
        }
      }
      const [status, out] = await route.handler({ params, query, body: parsed });
      this.send(res, status, out, route.service);
    } catch (e) {
      if (e instanceof ApiError) {
        this.sendError(res, e, service);
        return;
      }
      this.sendError(res, new ApiError(500, service === 'iot' ? 'InternalFailureException' : 'ServiceException', (e as Error).message), service);
    }
  }

  private async checkSignature(req: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }, service: 'iot' | 'lambda'): Promise<void> {
    if (this.skipSignatureCheck) return;
    const reject = (status: number, type: string, message: string) => {
      this.rejected.push({ method: req.method, path: req.url, type });
      return new ApiError(status, type, message);
    };
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) throw reject(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (auth.accessKeyId !== this.credentials.accessKeyId) throw reject(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (this.credentialsExpired) throw reject(403, 'ExpiredTokenException', 'The security token included in the request is expired');
    if (auth.service !== service) throw reject(403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
    if (auth.region !== this.region) throw reject(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'.`);
    const date = requestDate(req.headers);
    if (!date || Math.abs(date.getTime() - Date.now()) > 15 * 60 * 1000) throw reject(403, 'InvalidSignatureException', 'Signature expired: the request time is more than 15 minutes from the server time.');
    const expected = await computeSignature(req, auth, this.credentials);
    if (!signaturesEqual(expected, auth.signature)) {
      throw reject(
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
  }

  private send(res: http.ServerResponse, status: number, body: unknown, _service: 'iot' | 'lambda'): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendError(res: http.ServerResponse, e: ApiError, service: 'iot' | 'lambda'): void {
    // IoT bodies carry `message`; Lambda bodies `Type` and `Message`/`message` (as AWS sends them).
    const body = service === 'iot' ? { message: e.message, ...e.extra } : { Type: 'User', Message: e.message, message: e.message, ...e.extra };
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'x-amzn-errortype': `${e.type}:http://internal.amazon.com/coral/com.amazonaws.${service}/`,
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(text),
    };
    if (e.type === 'TooManyRequestsException' && this.retryAfterSeconds !== undefined) headers['retry-after'] = String(this.retryAfterSeconds);
    res.writeHead(e.status, headers);
    res.end(text);
  }

  // ---- operations ------------------------------------------------------------------------

  private describe(a: StoredAuthorizer): Record<string, unknown> {
    return {
      authorizerName: a.authorizerName,
      authorizerArn: this.authorizerArn(a.authorizerName),
      authorizerFunctionArn: a.authorizerFunctionArn,
      tokenKeyName: a.tokenKeyName,
      tokenSigningPublicKeys: a.tokenSigningPublicKeys,
      status: a.status,
      creationDate: a.creationDate,
      lastModifiedDate: a.lastModifiedDate,
      signingDisabled: a.signingDisabled ?? false,
      enableCachingForHttp: a.enableCachingForHttp ?? false,
    };
  }

  private authorizerOr404(name: string): StoredAuthorizer {
    const a = this.authorizers.get(name);
    if (!a) throw new ApiError(404, 'ResourceNotFoundException', `The authorizer ${name} does not exist.`);
    return a;
  }

  private functionOr404(label: string, qualifier?: string): StoredFunction {
    const name = /:function:([^:]+)/.exec(label)?.[1] ?? label.split(':')[0];
    const f = this.functions.get(name);
    if (!f) throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${this.functionArn(name)}${qualifier ? `:${qualifier}` : ''}`);
    return f;
  }

  private validateAuthorizerFields(b: Record<string, unknown>, creating: boolean): void {
    const invalid = (m: string) => new ApiError(400, 'InvalidRequestException', m);
    if (creating || b.authorizerFunctionArn !== undefined) {
      if (typeof b.authorizerFunctionArn !== 'string' || !FUNCTION_ARN.test(b.authorizerFunctionArn)) throw invalid(`1 validation error detected: Value '${String(b.authorizerFunctionArn)}' at 'authorizerFunctionArn' failed to satisfy constraint`);
    }
    if (b.tokenKeyName !== undefined && (typeof b.tokenKeyName !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(b.tokenKeyName))) throw invalid(`Value '${String(b.tokenKeyName)}' at 'tokenKeyName' failed to satisfy constraint`);
    if (b.status !== undefined && b.status !== 'ACTIVE' && b.status !== 'INACTIVE') throw invalid(`Value '${String(b.status)}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]`);
    const keys = b.tokenSigningPublicKeys as Record<string, string> | undefined;
    for (const [k, pem] of Object.entries(keys ?? {})) {
      if (typeof pem !== 'string' || !/-----BEGIN PUBLIC KEY-----/.test(pem)) throw invalid(`The public key '${k}' is not a valid PEM public key.`);
    }
  }

  private buildRoutes(): Route[] {
    const seg = '([^/]+)';
    const r = (service: 'iot' | 'lambda', operation: string, method: string, path: string, handler: Handler): Route => ({
      service,
      operation,
      method,
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, seg)}/?$`),
      handler,
    });
    return [
      r('iot', 'ListAuthorizers', 'GET', '/authorizers', ({ query }) => {
        const pageSize = Math.min(Number(q1(query.pageSize) ?? this.maxPageSize) || this.maxPageSize, this.maxPageSize);
        if (pageSize < 1) throw new ApiError(400, 'InvalidRequestException', 'pageSize must be at least 1.');
        let all = [...this.authorizers.values()].sort((a, b) => a.authorizerName.localeCompare(b.authorizerName));
        if (q1(query.isAscendingOrder) === 'false') all = all.reverse();
        const status = q1(query.status);
        if (status) all = all.filter((a) => a.status === status);
        const marker = q1(query.marker);
        let start = 0;
        if (marker) {
          const decoded = Buffer.from(marker, 'base64').toString('utf8');
          start = Number(/^offset:(\d+)$/.exec(decoded)?.[1] ?? NaN);
          if (!Number.isInteger(start)) throw new ApiError(400, 'InvalidRequestException', 'The marker is not valid.');
        }
        const page = all.slice(start, start + pageSize);
        const next = start + pageSize < all.length ? Buffer.from(`offset:${start + pageSize}`).toString('base64') : undefined;
        return [200, { authorizers: page.map((a) => ({ authorizerName: a.authorizerName, authorizerArn: this.authorizerArn(a.authorizerName) })), ...(next ? { nextMarker: next } : {}) }];
      }),
      r('iot', 'TestInvokeAuthorizer', 'POST', '/authorizer/{authorizerName}/test', ({ params, body }) => this.testInvoke(params[0], body)),
      r('iot', 'DescribeAuthorizer', 'GET', '/authorizer/{authorizerName}', ({ params }) => [200, { authorizerDescription: this.describe(this.authorizerOr404(params[0])) }]),
      r('iot', 'CreateAuthorizer', 'POST', '/authorizer/{authorizerName}', ({ params, body }) => {
        const name = params[0];
        if (!AUTHORIZER_NAME.test(name)) throw new ApiError(400, 'InvalidRequestException', `Value '${name}' at 'authorizerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w=,@-]+`);
        if (this.authorizers.has(name)) throw new ApiError(409, 'ResourceAlreadyExistsException', `Authorizer ${name} already exists.`, { resourceId: name, resourceArn: this.authorizerArn(name) });
        this.validateAuthorizerFields(body, true);
        const signingDisabled = body.signingDisabled === true;
        if (!signingDisabled && (!body.tokenKeyName || !body.tokenSigningPublicKeys || Object.keys(body.tokenSigningPublicKeys as object).length === 0)) {
          throw new ApiError(400, 'InvalidRequestException', 'tokenKeyName and tokenSigningPublicKeys are required when signing is enabled.');
        }
        this.addAuthorizer({
          authorizerName: name,
          authorizerFunctionArn: body.authorizerFunctionArn as string,
          tokenKeyName: body.tokenKeyName as string | undefined,
          tokenSigningPublicKeys: body.tokenSigningPublicKeys as Record<string, string> | undefined,
          status: (body.status as 'ACTIVE' | 'INACTIVE' | undefined) ?? 'ACTIVE',
          signingDisabled,
          enableCachingForHttp: body.enableCachingForHttp === true,
          tags: body.tags as Array<{ Key: string; Value?: string }> | undefined,
        });
        return [200, { authorizerName: name, authorizerArn: this.authorizerArn(name) }];
      }),
      r('iot', 'UpdateAuthorizer', 'PUT', '/authorizer/{authorizerName}', ({ params, body }) => {
        const a = this.authorizerOr404(params[0]);
        this.validateAuthorizerFields(body, false);
        for (const k of ['authorizerFunctionArn', 'tokenKeyName', 'tokenSigningPublicKeys', 'status', 'enableCachingForHttp'] as const) {
          if (body[k] !== undefined) (a as unknown as Record<string, unknown>)[k] = body[k];
        }
        a.lastModifiedDate = Math.floor(Date.now() / 1000);
        return [200, { authorizerName: a.authorizerName, authorizerArn: this.authorizerArn(a.authorizerName) }];
      }),
      r('iot', 'DeleteAuthorizer', 'DELETE', '/authorizer/{authorizerName}', ({ params }) => {
        const a = this.authorizerOr404(params[0]);
        // Modelled on AWS's documented behaviour; the exact error types are unconfirmed.
        if (this.defaultAuthorizerName === a.authorizerName) throw new ApiError(409, 'DeleteConflictException', `Authorizer ${a.authorizerName} is the default authorizer and cannot be deleted.`);
        if (a.status === 'ACTIVE') throw new ApiError(400, 'InvalidRequestException', `Authorizer ${a.authorizerName} is ACTIVE; set it INACTIVE before deleting it.`);
        this.authorizers.delete(a.authorizerName);
        return [200, {}];
      }),
      r('iot', 'DescribeDefaultAuthorizer', 'GET', '/default-authorizer', () => {
        const a = this.defaultAuthorizerName ? this.authorizers.get(this.defaultAuthorizerName) : undefined;
        if (!a) throw new ApiError(404, 'ResourceNotFoundException', 'No default authorizer is set for this account.');
        return [200, { authorizerDescription: this.describe(a) }];
      }),
      r('iot', 'SetDefaultAuthorizer', 'POST', '/default-authorizer', ({ body }) => {
        const a = this.authorizerOr404(String(body.authorizerName ?? ''));
        this.defaultAuthorizerName = a.authorizerName;
        return [200, { authorizerName: a.authorizerName, authorizerArn: this.authorizerArn(a.authorizerName) }];
      }),
      r('iot', 'DescribeEndpoint', 'GET', '/endpoint', ({ query }) => {
        const t = q1(query.endpointType);
        if (t === 'iot:Data') return [200, { endpointAddress: this.dataEndpoint.replace('-ats', '') }];
        if (t && t !== 'iot:Data-ATS') return [200, { endpointAddress: `c1d2e3.${t.replace(/^iot:/, '').toLowerCase()}.iot.${this.region}.amazonaws.com` }];
        return [200, { endpointAddress: this.dataEndpoint }];
      }),
      r('iot', 'ListDomainConfigurations', 'GET', '/domainConfigurations', ({ query }) => {
        const st = q1(query.serviceType);
        const list = [...this.domainConfigurations.values()].filter((d) => !st || d.serviceType === st);
        return [
          200,
          {
            domainConfigurations: list.map((d) => ({
              domainConfigurationName: d.domainConfigurationName,
              domainConfigurationArn: `arn:aws:iot:${this.region}:${this.account}:domainconfiguration/${d.domainConfigurationName}/abcde`,
              serviceType: d.serviceType,
            })),
          },
        ];
      }),
      r('iot', 'DescribeDomainConfiguration', 'GET', '/domainConfigurations/{domainConfigurationName}', ({ params }) => {
        const d = this.domainConfigurations.get(params[0]);
        if (!d) throw new ApiError(404, 'ResourceNotFoundException', `Domain configuration ${params[0]} does not exist.`);
        return [
          200,
          {
            domainConfigurationName: d.domainConfigurationName,
            domainConfigurationArn: `arn:aws:iot:${this.region}:${this.account}:domainconfiguration/${d.domainConfigurationName}/abcde`,
            domainName: d.domainName,
            domainConfigurationStatus: d.status,
            serviceType: d.serviceType,
            authorizerConfig: d.defaultAuthorizerName || d.allowAuthorizerOverride !== undefined ? { defaultAuthorizerName: d.defaultAuthorizerName, allowAuthorizerOverride: d.allowAuthorizerOverride } : undefined,
          },
        ];
      }),
      r('lambda', 'GetFunctionConfiguration', 'GET', '/2015-03-31/functions/{FunctionName}/configuration', ({ params, query }) => [200, this.configurationOf(this.functionOr404(params[0], q1(query.Qualifier)))]),
      r('lambda', 'GetPolicy', 'GET', '/2015-03-31/functions/{FunctionName}/policy', ({ params, query }) => {
        const f = this.functionOr404(params[0], q1(query.Qualifier));
        const policy = this.policyOf(f.functionName);
        if (!policy) throw new ApiError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.');
        return [200, { Policy: policy, RevisionId: f.revisionId }];
      }),
      r('lambda', 'AddPermission', 'POST', '/2015-03-31/functions/{FunctionName}/policy', ({ params, body }) => {
        const f = this.functionOr404(params[0]);
        const sid = String(body.StatementId ?? '');
        if (!/^[a-zA-Z0-9\-_.]{1,100}$/.test(sid)) throw new ApiError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${sid}' at 'statementId' failed to satisfy constraint`);
        if (!body.Action || !body.Principal) throw new ApiError(400, 'InvalidParameterValueException', 'Action and Principal are required.');
        if (f.statements.some((s) => s.Sid === sid)) {
          throw new ApiError(409, 'ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
        }
        const principal = String(body.Principal);
        const condition: Record<string, Record<string, string>> = {};
        if (body.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': String(body.SourceAccount) };
        if (body.SourceArn) condition.ArnLike = { 'AWS:SourceArn': String(body.SourceArn) };
        const statement: Record<string, unknown> = {
          Sid: sid,
          Effect: 'Allow',
          Principal: principal.includes('.amazonaws.com') ? { Service: principal } : principal === '*' ? '*' : { AWS: principal },
          Action: body.Action,
          Resource: this.functionArn(f.functionName),
          ...(Object.keys(condition).length ? { Condition: condition } : {}),
        };
        f.statements.push(statement);
        f.revisionId = randomUUID();
        return [201, { Statement: JSON.stringify(statement) }];
      }),
      r('lambda', 'GetFunction', 'GET', '/2015-03-31/functions/{FunctionName}', ({ params, query }) => {
        const f = this.functionOr404(params[0], q1(query.Qualifier));
        return [200, { Configuration: this.configurationOf(f), Code: { RepositoryType: 'S3', Location: 'https://example.invalid/code.zip' } }];
      }),
    ];
  }

  private configurationOf(f: StoredFunction): Record<string, unknown> {
    return {
      FunctionName: f.functionName,
      FunctionArn: this.functionArn(f.functionName),
      Runtime: f.runtime,
      Handler: f.handler,
      Timeout: f.timeout,
      MemorySize: 128,
      State: f.state,
      LastUpdateStatus: 'Successful',
      RevisionId: f.revisionId,
      PackageType: 'Zip',
    };
  }

  private async testInvoke(name: string, body: Record<string, unknown>): Promise<[number, unknown]> {
    const a = this.authorizerOr404(name);
    const token = typeof body.token === 'string' ? body.token : undefined;
    const signature = typeof body.tokenSignature === 'string' ? body.tokenSignature : undefined;
    if (signature !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
      throw new ApiError(400, 'InvalidRequestException', `1 validation error detected: Value at 'tokenSignature' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9+/]+={0,2}`);
    }
    let signatureVerified = false;
    if (!a.signingDisabled) {
      if (token === undefined || signature === undefined) throw new ApiError(400, 'InvalidRequestException', 'token and tokenSignature are required for an authorizer with signing enabled.');
      signatureVerified = verifyTokenSignature(token, signature, Object.values(a.tokenSigningPublicKeys ?? {}));
      // AWS refuses before invoking the Lambda; the exact error type is unconfirmed.
      if (!signatureVerified) throw new ApiError(400, 'InvalidRequestException', 'The token signature could not be verified with the authorizer\'s public keys.');
    }
    const fnName = /:function:([^:]+)/.exec(a.authorizerFunctionArn)?.[1] ?? '';
    const fn = this.functions.get(fnName);
    if (!fn) throw new ApiError(400, 'InvalidRequestException', `The authorizer's Lambda function ${a.authorizerFunctionArn} does not exist.`);
    const http = body.httpContext as { headers?: Record<string, string>; queryString?: string } | undefined;
    const mqtt = body.mqttContext as { username?: string; password?: string; clientId?: string } | undefined;
    const tls = body.tlsContext as { serverName?: string } | undefined;
    const event: AuthorizerEvent = {
      ...(token !== undefined ? { token } : {}),
      signatureVerified,
      protocols: [...(tls ? ['tls'] : []), ...(http ? ['http'] : []), ...(mqtt ? ['mqtt'] : [])],
      protocolData: {
        ...(tls ? { tls: { serverName: tls.serverName } } : {}),
        ...(http ? { http: { headers: http.headers ?? {}, queryString: http.queryString ?? '' } } : {}),
        // The SDK sends the password as base64; IoT passes it to the Lambda base64-encoded.
        ...(mqtt ? { mqtt: { username: mqtt.username, password: mqtt.password, clientId: mqtt.clientId } } : {}),
      },
      connectionMetadata: { id: randomUUID() },
    };
    let out: unknown;
    if (fn.localHandler) {
      try {
        out = await fn.localHandler(event);
      } catch (e) {
        throw new ApiError(400, 'InvalidResponseException', `The Lambda function failed: ${(e as Error).message}`);
      }
    } else if (fn.handlerSpec) {
      const run = await runHandler({ ...fn.handlerSpec, event, allowCodeExecution: true, lambda: { name: fn.functionName, region: this.region, account: this.account } });
      // The error types AWS uses for a failed or timed-out Lambda in TestInvokeAuthorizer are unconfirmed.
      if (run.status !== 'ok') throw new ApiError(400, 'InvalidResponseException', `The Lambda function failed (${run.status}): ${run.message}`);
      out = run.result;
    } else {
      throw new ApiError(400, 'InvalidResponseException', `The test endpoint has no local handler for ${fnName}.`);
    }
    return [200, toTestInvokeResponse(out)];
  }
}

/** Validates a Lambda response like IoT Core does and shapes it like TestInvokeAuthorizer's answer. */
export function toTestInvokeResponse(out: unknown): Record<string, unknown> {
  const bad = (m: string) => new ApiError(400, 'InvalidResponseException', `The authorizer's response is not valid: ${m}`);
  if (!out || typeof out !== 'object') throw bad('it is not an object');
  const r = out as Record<string, unknown>;
  if (typeof r.isAuthenticated !== 'boolean') throw bad('isAuthenticated must be a boolean');
  if (typeof r.principalId !== 'string' || !/^[a-zA-Z0-9]{1,128}$/.test(r.principalId)) throw bad('principalId must be 1 to 128 letters and digits');
  const docs = Array.isArray(r.policyDocuments) ? r.policyDocuments : [];
  if (docs.length > 10) throw bad('at most 10 policy documents');
  const strings = docs.map((d) => (typeof d === 'string' ? d : JSON.stringify(d)));
  if (strings.some((s) => s.length > 2048)) throw bad('a policy document is longer than 2048 characters');
  for (const k of ['refreshAfterInSeconds', 'disconnectAfterInSeconds'] as const) {
    const v = r[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 300 || v > 86400) throw bad(`${k} must be an integer from 300 to 86400`);
  }
  return {
    isAuthenticated: r.isAuthenticated,
    principalId: r.principalId,
    policyDocuments: strings,
    ...(r.refreshAfterInSeconds !== undefined ? { refreshAfterInSeconds: r.refreshAfterInSeconds } : {}),
    ...(r.disconnectAfterInSeconds !== undefined ? { disconnectAfterInSeconds: r.disconnectAfterInSeconds } : {}),
  };
}

/**
 * Seeds the endpoint with the repository's examples/ definitions (the first with its invoke
 * permission). Their key pairs are git-ignored and made on first use, so on a fresh clone the
 * missing pairs are generated here the way the test runner does (2048-bit, private key 0600).
 */
export async function seedExamples(ep: AwsTestEndpoint, examplesDir = path.resolve(__dirname, '../../../examples'), generated: string[] = []): Promise<string[]> {
  const files = fs.existsSync(examplesDir) ? fs.readdirSync(examplesDir).filter((f) => f.endsWith('.authorizer.json')).sort() : [];
  const names: string[] = [];
  for (const [i, f] of files.entries()) {
    const file = path.join(examplesDir, f);
    const def = loadDefinitionFile(file);
    for (const k of def.keyFiles) {
      if (!fs.existsSync(k.path) && k.path.endsWith('.public.pem')) generated.push(...(await ensureKeyPair(k.path.replace(/\.public\.pem$/, '.private.pem'), def)));
    }
    const a = ep.registerDefinition(file, { permission: i === 0 });
    names.push(a.authorizerName);
  }
  if (names[0]) ep.defaultAuthorizerName = names[0];
  ep.addDomainConfiguration({ domainConfigurationName: 'iot:Data-ATS', domainName: ep.dataEndpoint });
  return names;
}

async function cliMain(argv: string[]): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '4566' }, seed: { type: 'string' }, region: { type: 'string' }, examples: { type: 'string' } } });
  const ep = new AwsTestEndpoint({ port: Number(values.port), region: values.region });
  const url = await ep.start();
  const generated: string[] = [];
  const seeded = values.seed === 'examples' ? await seedExamples(ep, values.examples ? path.resolve(values.examples) : undefined, generated) : [];
  process.stdout.write(
    [
      `IoT + Lambda test endpoint on ${url} (region ${ep.region}, account ${ep.account}).`,
      ...(generated.length ? [`Generated ${generated.map((g) => path.relative(process.cwd(), g)).join(' and ')} (git-ignored: never commit the private key).`] : []),
      seeded.length ? `Seeded: ${seeded.join(', ')} (default: ${ep.defaultAuthorizerName}).` : 'No seed (use --seed examples).',
      'Use it with:',
      `  export IOT_AUTHZ_ENDPOINT_IOT=${url} IOT_AUTHZ_ENDPOINT_LAMBDA=${url} AWS_REGION=${ep.region}`,
      `  export AWS_ACCESS_KEY_ID=${ep.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${ep.credentials.secretAccessKey}`,
      '  iot-authz aws list',
      'Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  const stop = () => void ep.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  cliMain(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(2);
  });
}
