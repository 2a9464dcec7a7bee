/**
 * Plain data types of the AWS feature. They mirror the SDK shapes we use but do
 * not import the SDK, so any module may use them without loading it.
 */

/** Where and as whom to call AWS. Every field is optional; see resolveTarget(). */
export interface AwsTarget {
  /** Named profile from ~/.aws/config / ~/.aws/credentials (default: AWS_PROFILE, then "default"). */
  profile?: string;
  /** Region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`). */
  region?: string;
  /** Endpoint overrides per service, e.g. a local test endpoint `http://127.0.0.1:4566`. */
  endpoints?: { iot?: string; lambda?: string };
  /**
   * The environment to read AWS_* variables from (default process.env). The CLI passes
   * its io.env here. Note: the SDK's own providers still read process.env for
   * container / instance metadata settings.
   */
  env?: NodeJS.ProcessEnv;
  /** SDK attempts per call (default 3: the SDK retries throttling and network errors). */
  maxAttempts?: number;
  /** Connection timeout in ms (default 5000). */
  connectionTimeoutMs?: number;
  /** Request timeout in ms (default: the whole-call deadline). */
  requestTimeoutMs?: number;
  /**
   * Deadline of one call, retries included, in seconds (default 30): an endpoint
   * that accepts and never answers, or drips bytes, ends the call then
   * (CLI --timeout, setting iotAuthz.aws.timeoutSeconds).
   */
  timeoutSeconds?: number;
}

/** Default of AwsTarget.timeoutSeconds (and of the iotAuthz.aws.timeoutSeconds setting). */
export const DEFAULT_AWS_TIMEOUT_SECONDS = 30;

export type AuthorizerStatus = 'ACTIVE' | 'INACTIVE';

export interface AuthorizerSummary {
  authorizerName: string;
  authorizerArn: string;
}

export interface AuthorizerDescription {
  authorizerName: string;
  authorizerArn: string;
  authorizerFunctionArn?: string;
  tokenKeyName?: string;
  /** Key name -> PEM public key. */
  tokenSigningPublicKeys?: Record<string, string>;
  status?: AuthorizerStatus | string;
  creationDate?: Date;
  lastModifiedDate?: Date;
  signingDisabled?: boolean;
  enableCachingForHttp?: boolean;
}

export interface AuthorizerInput {
  authorizerName: string;
  authorizerFunctionArn: string;
  tokenKeyName?: string;
  tokenSigningPublicKeys?: Record<string, string>;
  status?: AuthorizerStatus;
  signingDisabled?: boolean;
  enableCachingForHttp?: boolean;
  tags?: Array<{ Key: string; Value?: string }>;
}

export type AuthorizerUpdate = Partial<Omit<AuthorizerInput, 'signingDisabled' | 'tags'>> & { authorizerName: string };

export interface HttpContext {
  headers?: Record<string, string>;
  queryString?: string;
}
export interface MqttContext {
  username?: string;
  /** Raw bytes (the SDK sends them base64-encoded; the Lambda receives base64). */
  password?: Uint8Array;
  clientId?: string;
}
export interface TlsContext {
  serverName?: string;
}

export interface TestInvokeInput {
  authorizerName: string;
  token?: string;
  tokenSignature?: string;
  httpContext?: HttpContext;
  mqttContext?: MqttContext;
  tlsContext?: TlsContext;
}

export interface TestInvokeResult {
  isAuthenticated: boolean;
  principalId?: string;
  /** As AWS returns them: JSON strings. */
  policyDocuments: string[];
  refreshAfterInSeconds?: number;
  disconnectAfterInSeconds?: number;
}

export interface DomainConfigurationSummary {
  domainConfigurationName: string;
  domainConfigurationArn?: string;
  serviceType?: string;
}

export interface DomainAuthorizerConfig {
  domainConfigurationName: string;
  domainName?: string;
  status?: string;
  defaultAuthorizerName?: string;
  allowAuthorizerOverride?: boolean;
}

export interface LambdaFunctionInfo {
  functionName: string;
  functionArn: string;
  runtime?: string;
  handler?: string;
  /** Seconds. */
  timeout?: number;
  memorySize?: number;
  state?: string;
  lastUpdateStatus?: string;
}

export interface LambdaPolicy {
  /** The resource policy document, a JSON string. */
  policy: string;
  revisionId?: string;
}

/** The exact AddPermission request this tool sends to let IoT invoke an authorizer's Lambda. */
export interface InvokePermissionRequest {
  FunctionName: string;
  StatementId: string;
  Action: 'lambda:InvokeFunction';
  Principal: 'iot.amazonaws.com';
  SourceArn: string;
  SourceAccount: string;
}

/** Options every operation takes. */
export interface OpOptions {
  signal?: AbortSignal;
}
