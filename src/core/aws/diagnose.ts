import { AuthzError, errorText } from '../errors';
import { AwsClients } from './clients';
import { DoctorInput, runDoctor, DoctorCheck, WorkspaceKey } from './doctor';
import { describeAuthorizer, describeDefaultAuthorizer, getFunction, getFunctionPolicy, listDomainAuthorizerConfigs } from './operations';
import { OpOptions } from './types';

/**
 * Describes everything the Doctor needs for one authorizer. Only DescribeAuthorizer is
 * required; the other calls (Lambda, policy, default authorizer, domain configurations)
 * degrade to "could not be checked" on access denied and similar errors.
 */
export async function gatherDoctorInput(c: AwsClients, authorizerName: string, opts: OpOptions & { workspaceKeys?: WorkspaceKey[]; domains?: boolean } = {}): Promise<DoctorInput> {
  const authorizer = await describeAuthorizer(c, authorizerName, opts);
  const input: DoctorInput = { authorizer, workspaceKeys: opts.workspaceKeys };
  const soft = async <T>(f: () => Promise<T>): Promise<{ value?: T; notFound?: boolean; error?: string }> => {
    try {
      return { value: await f() };
    } catch (e) {
      if (e instanceof AuthzError && e.code === 'CANCELLED') throw e;
      if (e instanceof AuthzError && e.code === 'AWS_NOT_FOUND') return { notFound: true };
      return { error: errorText(e) };
    }
  };
  if (authorizer.authorizerFunctionArn) {
    const fn = authorizer.authorizerFunctionArn;
    const l = await soft(() => getFunction(c, fn, opts));
    if (l.notFound) input.lambda = null;
    else if (l.error) input.lambdaError = l.error;
    else input.lambda = l.value;
    if (input.lambda !== null) {
      const p = await soft(() => getFunctionPolicy(c, fn, opts));
      if (p.error) input.policyError = p.error;
      else if (p.notFound) input.lambda = null;
      else input.policy = p.value?.policy ?? null;
    }
  }
  const d = await soft(() => describeDefaultAuthorizer(c, opts));
  if (!d.error) input.defaultAuthorizerName = d.value?.authorizerName ?? null;
  if (opts.domains !== false) {
    const dc = await soft(() => listDomainAuthorizerConfigs(c, opts));
    if (dc.value) input.domainConfigurations = dc.value;
  }
  return input;
}

/** gatherDoctorInput + runDoctor. */
export async function diagnoseAuthorizer(c: AwsClients, authorizerName: string, opts: OpOptions & { workspaceKeys?: WorkspaceKey[]; domains?: boolean } = {}): Promise<{ input: DoctorInput; checks: DoctorCheck[] }> {
  const input = await gatherDoctorInput(c, authorizerName, opts);
  return { input, checks: runDoctor(input) };
}
