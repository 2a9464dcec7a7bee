import { AuthzError } from '../errors';
import { LIMITS } from '../data';
import { printableExcerpt } from '../printable';
import { functionNameOf } from './arn';
import { AwsClients, send } from './clients';
import {
  AuthorizerDescription,
  AuthorizerInput,
  AuthorizerStatus,
  AuthorizerSummary,
  AuthorizerUpdate,
  DomainAuthorizerConfig,
  DomainConfigurationSummary,
  InvokePermissionRequest,
  LambdaFunctionInfo,
  LambdaPolicy,
  OpOptions,
  TestInvokeInput,
  TestInvokeResult,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */

const authz = (name: string) => `Authorizer '${name}'`;

const NAME = new RegExp(`^${LIMITS.authorizer.namePattern}$`);

/** AWS's authorizer name rule (1 to 128 of [\\w=,@-]), checked before a request is sent. */
export function checkAuthorizerName(name: string): string {
  if (typeof name === 'string' && name.length >= 1 && name.length <= LIMITS.authorizer.nameMaxLength && NAME.test(name)) return name;
  const shown = typeof name === 'string' ? printableExcerpt(name, 40) : String(name);
  throw new AuthzError(
    'AWS_NAME_INVALID',
    `'${shown}' is not an authorizer name${typeof name === 'string' && name.length > LIMITS.authorizer.nameMaxLength ? ` (${name.length} characters)` : ''}: AWS allows 1 to ${LIMITS.authorizer.nameMaxLength} letters, digits and _ = , @ -.`,
    'Check the name (iot-authz aws list shows the account\'s authorizers).',
  );
}

function toDescription(d: any): AuthorizerDescription {
  return {
    authorizerName: d?.authorizerName ?? '',
    authorizerArn: d?.authorizerArn ?? '',
    authorizerFunctionArn: d?.authorizerFunctionArn,
    tokenKeyName: d?.tokenKeyName,
    tokenSigningPublicKeys: d?.tokenSigningPublicKeys,
    status: d?.status,
    creationDate: d?.creationDate,
    lastModifiedDate: d?.lastModifiedDate,
    signingDisabled: d?.signingDisabled,
    enableCachingForHttp: d?.enableCachingForHttp,
  };
}

/** ListAuthorizers, every page (marker / nextMarker). */
export async function listAuthorizers(
  c: AwsClients,
  opts: OpOptions & { status?: AuthorizerStatus; pageSize?: number; ascendingOrder?: boolean } = {},
): Promise<AuthorizerSummary[]> {
  const out: AuthorizerSummary[] = [];
  let marker: string | undefined;
  const seen = new Set<string>();
  do {
    const page: any = await send(
      c,
      'iot',
      'ListAuthorizers',
      new c.sdk.ListAuthorizersCommand({ marker, pageSize: opts.pageSize, status: opts.status, ascendingOrder: opts.ascendingOrder }),
      opts.signal,
    );
    for (const a of page.authorizers ?? []) out.push({ authorizerName: a.authorizerName ?? '', authorizerArn: a.authorizerArn ?? '' });
    marker = page.nextMarker || undefined;
    if (marker && seen.has(marker)) throw new AuthzError('AWS_PAGINATION_LOOP', 'ListAuthorizers returned the same page marker twice.');
    if (marker) seen.add(marker);
  } while (marker);
  return out;
}

export async function describeAuthorizer(c: AwsClients, name: string, opts: OpOptions = {}): Promise<AuthorizerDescription> {
  checkAuthorizerName(name);
  const r: any = await send(c, 'iot', 'DescribeAuthorizer', new c.sdk.DescribeAuthorizerCommand({ authorizerName: name }), opts.signal, authz(name));
  return toDescription(r.authorizerDescription);
}

/** Like describeAuthorizer, but undefined when the authorizer does not exist. */
export async function findAuthorizer(c: AwsClients, name: string, opts: OpOptions = {}): Promise<AuthorizerDescription | undefined> {
  try {
    return await describeAuthorizer(c, name, opts);
  } catch (e) {
    if (e instanceof AuthzError && e.code === 'AWS_NOT_FOUND') return undefined;
    throw e;
  }
}

/** The account's default authorizer, or undefined when none is set (IoT answers ResourceNotFoundException). */
export async function describeDefaultAuthorizer(c: AwsClients, opts: OpOptions = {}): Promise<AuthorizerDescription | undefined> {
  try {
    const r: any = await send(c, 'iot', 'DescribeDefaultAuthorizer', new c.sdk.DescribeDefaultAuthorizerCommand({}), opts.signal, 'The default authorizer');
    return r.authorizerDescription ? toDescription(r.authorizerDescription) : undefined;
  } catch (e) {
    if (e instanceof AuthzError && e.code === 'AWS_NOT_FOUND') return undefined;
    throw e;
  }
}

export async function createAuthorizer(c: AwsClients, input: AuthorizerInput, opts: OpOptions = {}): Promise<AuthorizerSummary> {
  checkAuthorizerName(input.authorizerName);
  const r: any = await send(c, 'iot', 'CreateAuthorizer', new c.sdk.CreateAuthorizerCommand({ ...input }), opts.signal, authz(input.authorizerName));
  return { authorizerName: r.authorizerName ?? input.authorizerName, authorizerArn: r.authorizerArn ?? '' };
}

export async function updateAuthorizer(c: AwsClients, update: AuthorizerUpdate, opts: OpOptions = {}): Promise<AuthorizerSummary> {
  checkAuthorizerName(update.authorizerName);
  const r: any = await send(c, 'iot', 'UpdateAuthorizer', new c.sdk.UpdateAuthorizerCommand({ ...update }), opts.signal, authz(update.authorizerName));
  return { authorizerName: r.authorizerName ?? update.authorizerName, authorizerArn: r.authorizerArn ?? '' };
}

export async function deleteAuthorizer(c: AwsClients, name: string, opts: OpOptions = {}): Promise<void> {
  checkAuthorizerName(name);
  await send(c, 'iot', 'DeleteAuthorizer', new c.sdk.DeleteAuthorizerCommand({ authorizerName: name }), opts.signal, authz(name));
}

export async function setDefaultAuthorizer(c: AwsClients, name: string, opts: OpOptions = {}): Promise<AuthorizerSummary> {
  checkAuthorizerName(name);
  const r: any = await send(c, 'iot', 'SetDefaultAuthorizer', new c.sdk.SetDefaultAuthorizerCommand({ authorizerName: name }), opts.signal, authz(name));
  return { authorizerName: r.authorizerName ?? name, authorizerArn: r.authorizerArn ?? '' };
}

export async function testInvokeAuthorizer(c: AwsClients, input: TestInvokeInput, opts: OpOptions = {}): Promise<TestInvokeResult> {
  checkAuthorizerName(input.authorizerName);
  const r: any = await send(c, 'iot', 'TestInvokeAuthorizer', new c.sdk.TestInvokeAuthorizerCommand({ ...input }), opts.signal, authz(input.authorizerName));
  return {
    isAuthenticated: r.isAuthenticated === true,
    principalId: r.principalId,
    policyDocuments: r.policyDocuments ?? [],
    refreshAfterInSeconds: r.refreshAfterInSeconds,
    disconnectAfterInSeconds: r.disconnectAfterInSeconds,
  };
}

/** The account's data endpoint host (endpointType iot:Data-ATS), e.g. `abc123-ats.iot.us-east-1.amazonaws.com`. */
export async function describeDataEndpoint(c: AwsClients, opts: OpOptions = {}): Promise<string> {
  const r: any = await send(c, 'iot', 'DescribeEndpoint', new c.sdk.DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }), opts.signal);
  return r.endpointAddress ?? '';
}

export async function listDomainConfigurations(c: AwsClients, opts: OpOptions & { serviceType?: string } = {}): Promise<DomainConfigurationSummary[]> {
  const out: DomainConfigurationSummary[] = [];
  let marker: string | undefined;
  do {
    const page: any = await send(
      c,
      'iot',
      'ListDomainConfigurations',
      new c.sdk.ListDomainConfigurationsCommand({ marker, serviceType: opts.serviceType as 'DATA' | undefined }),
      opts.signal,
    );
    for (const d of page.domainConfigurations ?? []) {
      out.push({ domainConfigurationName: d.domainConfigurationName ?? '', domainConfigurationArn: d.domainConfigurationArn, serviceType: d.serviceType });
    }
    marker = page.nextMarker || undefined;
  } while (marker);
  return out;
}

export async function describeDomainAuthorizerConfig(c: AwsClients, name: string, opts: OpOptions = {}): Promise<DomainAuthorizerConfig> {
  const r: any = await send(
    c,
    'iot',
    'DescribeDomainConfiguration',
    new c.sdk.DescribeDomainConfigurationCommand({ domainConfigurationName: name }),
    opts.signal,
    `Domain configuration '${name}'`,
  );
  return {
    domainConfigurationName: r.domainConfigurationName ?? name,
    domainName: r.domainName,
    status: r.domainConfigurationStatus,
    defaultAuthorizerName: r.authorizerConfig?.defaultAuthorizerName,
    allowAuthorizerOverride: r.authorizerConfig?.allowAuthorizerOverride,
  };
}

/** Authorizer settings of the account's DATA domain configurations (at most `limit`, default 20). */
export async function listDomainAuthorizerConfigs(c: AwsClients, opts: OpOptions & { limit?: number } = {}): Promise<DomainAuthorizerConfig[]> {
  const list = await listDomainConfigurations(c, { ...opts, serviceType: 'DATA' });
  const out: DomainAuthorizerConfig[] = [];
  for (const d of list.slice(0, opts.limit ?? 20)) out.push(await describeDomainAuthorizerConfig(c, d.domainConfigurationName, opts));
  return out;
}

/** GetFunctionConfiguration (needs lambda:GetFunctionConfiguration only). */
export async function getFunction(c: AwsClients, functionArn: string, opts: OpOptions = {}): Promise<LambdaFunctionInfo> {
  const r: any = await send(
    c,
    'lambda',
    'GetFunctionConfiguration',
    new c.sdk.GetFunctionConfigurationCommand({ FunctionName: functionArn }),
    opts.signal,
    `Lambda function '${functionNameOf(functionArn)}'`,
  );
  return {
    functionName: r.FunctionName ?? functionNameOf(functionArn),
    functionArn: r.FunctionArn ?? functionArn,
    runtime: r.Runtime,
    handler: r.Handler,
    timeout: r.Timeout,
    memorySize: r.MemorySize,
    state: r.State,
    lastUpdateStatus: r.LastUpdateStatus,
  };
}

/** The function's resource policy, or undefined when it has none. */
export async function getFunctionPolicy(c: AwsClients, functionArn: string, opts: OpOptions = {}): Promise<LambdaPolicy | undefined> {
  try {
    const r: any = await send(c, 'lambda', 'GetPolicy', new c.sdk.GetPolicyCommand({ FunctionName: functionArn }), opts.signal, `The resource policy of '${functionNameOf(functionArn)}'`);
    return r.Policy ? { policy: r.Policy, revisionId: r.RevisionId } : undefined;
  } catch (e) {
    // Lambda answers ResourceNotFoundException both for "no policy" and "no function".
    if (e instanceof AuthzError && e.code === 'AWS_NOT_FOUND' && !/Function not found/i.test(e.message)) return undefined;
    throw e;
  }
}

/** AddPermission; returns the statement Lambda added (a JSON string). */
export async function addInvokePermission(c: AwsClients, request: InvokePermissionRequest, opts: OpOptions = {}): Promise<string> {
  const r: any = await send(c, 'lambda', 'AddPermission', new c.sdk.AddPermissionCommand({ ...request }), opts.signal, `Lambda function '${functionNameOf(request.FunctionName)}'`);
  return r.Statement ?? '';
}
