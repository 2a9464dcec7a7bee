import type { IoTClient } from '@aws-sdk/client-iot';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { AwsCallContext, AwsService, mapAwsError } from './aws-errors';
import { resolveTarget, ResolvedTarget } from './profiles';
import { loadSdk, Sdk } from './sdk-loader';
import { AwsTarget } from './types';

/** SDK clients for one profile and region (type-only SDK imports: erased at run time). */
export interface AwsClients {
  readonly iot: IoTClient;
  readonly lambda: LambdaClient;
  readonly sdk: Sdk;
  readonly target: ResolvedTarget;
  /** The URL a service is called at: the override, else the public endpoint. */
  endpointOf(service: AwsService): string;
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
  const common = {
    region: resolved.region,
    credentials,
    maxAttempts: target.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: target.connectionTimeoutMs ?? 5000,
      requestTimeout: target.requestTimeoutMs ?? 30000,
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
  try {
    const client = service === 'iot' ? clients.iot : clients.lambda;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await (client as any).send(command, { abortSignal: signal })) as T;
  } catch (e) {
    if (signal?.aborted) throw mapAwsError({ name: 'AbortError' }, ctx);
    throw mapAwsError(e, ctx);
  }
}
