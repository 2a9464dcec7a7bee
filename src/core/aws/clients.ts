import type { IoTClient } from '@aws-sdk/client-iot';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { AwsCallContext, AwsService, mapAwsError } from './aws-errors';
import { resolveTarget, ResolvedTarget } from './profiles';
import { loadSdk, Sdk } from './sdk-loader';
import { AuthzError } from '../errors';
import { AwsTarget, DEFAULT_AWS_TIMEOUT_SECONDS } from './types';

/** SDK clients for one profile and region (type-only SDK imports: erased at run time). */
export interface AwsClients {
  readonly iot: IoTClient;
  readonly lambda: LambdaClient;
  readonly sdk: Sdk;
  readonly target: ResolvedTarget;
  /** The URL a service is called at: the override, else the public endpoint. */
  endpointOf(service: AwsService): string;
  /** Deadline of one call, retries included, in ms. */
  readonly timeoutMs: number;
  /** Error context for a call. */
  context(service: AwsService, operation: string, resource?: string): AwsCallContext;
  destroy(): void;
}

/**
 * Creates the IoT and Lambda clients. Loads the SDK chunk on first use. Credentials come
 * from the standard Node provider chain for the resolved profile (static keys,
 * source_profile / role_arn, SSO, credential_process, web identity, then container /
 * instance metadata), or from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when no profile is named.
 * Never throws for missing credentials: that surfaces, mapped, at the first call.
 */
export async function createAwsClients(target: AwsTarget = {}): Promise<AwsClients> {
  const resolved = resolveTarget(target);
  const sdk = await loadSdk();
  // A profile defined in the shared files: fromIni (static keys, source_profile / role_arn,
  // SSO, credential_process, web identity), whose errors are specific (e.g. an expired SSO
  // token). Otherwise the whole Node chain, which adds container and instance metadata.
  const fileInit = { profile: resolved.profile, filepath: resolved.files.credentialsFile, configFilepath: resolved.files.configFile };
  const credentials = resolved.envCredentials
    ? resolved.envCredentials
    : resolved.profileInfo
      ? sdk.fromIni(fileInit)
      : sdk.fromNodeProviderChain(fileInit);
  const timeoutMs = Math.round((target.timeoutSeconds ?? DEFAULT_AWS_TIMEOUT_SECONDS) * 1000);
  const common = {
    region: resolved.region,
    credentials,
    maxAttempts: target.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: Math.min(target.connectionTimeoutMs ?? 5000, timeoutMs),
      requestTimeout: target.requestTimeoutMs ?? timeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  };
  const iot = new sdk.IoTClient({ ...common, ...(resolved.endpoints.iot ? { endpoint: resolved.endpoints.iot } : {}) });
  const lambda = new sdk.LambdaClient({ ...common, ...(resolved.endpoints.lambda ? { endpoint: resolved.endpoints.lambda } : {}) });
  const endpointOf = (service: AwsService) => resolved.endpoints[service] ?? `https://${service}.${resolved.region}.amazonaws.com`;
  return {
    iot,
    lambda,
    sdk,
    target: resolved,
    timeoutMs,
    endpointOf,
    context: (service, operation, resource) => ({ service, operation, resource, profile: resolved.profile, profileKind: resolved.profileInfo?.kind, region: resolved.region, endpoint: endpointOf(service) }),
    destroy() {
      iot.destroy();
      lambda.destroy();
    },
  };
}

/** Sends a command, mapping every failure to an AuthzError. */
export async function send<T>(
  clients: AwsClients,
  service: AwsService,
  operation: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command: any,
  signal: AbortSignal | undefined,
  resource?: string,
): Promise<T> {
  const ctx = clients.context(service, operation, resource);
  if (signal?.aborted) throw mapAwsError({ name: 'AbortError' }, ctx);
  // A deadline for the whole call: the SDK's socket timeouts restart with every byte a slow endpoint drips.
  const deadline = AbortSignal.timeout(clients.timeoutMs);
  const abortSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    const client = service === 'iot' ? clients.iot : clients.lambda;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await (client as any).send(command, { abortSignal })) as T;
  } catch (e) {
    if (signal?.aborted) throw mapAwsError({ name: 'AbortError' }, ctx);
    const name = (e as { name?: string })?.name ?? '';
    if (deadline.aborted || /TimeoutError|RequestTimeout/.test(name)) throw timeoutError(ctx.endpoint ?? service, operation, clients.timeoutMs);
    throw mapAwsError(e, ctx);
  }
}

function timeoutError(endpoint: string, operation: string, ms: number): AuthzError {
  const seconds = +(ms / 1000).toFixed(1);
  return new AuthzError(
    'AWS_TIMEOUT',
    `No answer from ${endpoint} in ${seconds} s (${operation}).`,
    'Check the network and any endpoint override, or allow more time: --timeout SECONDS on the command line, the iotAuthz.aws.timeoutSeconds setting in VS Code.',
  );
}
