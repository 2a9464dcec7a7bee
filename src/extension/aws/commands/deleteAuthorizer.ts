import { AuthzError } from '../../../core/errors';
import { deleteAuthorizer, describeAuthorizer, describeDefaultAuthorizer, updateAuthorizer } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, ConfirmArgs, pickAuthorizer, preConfirmed } from './common';

export interface DeleteOutcome {
  authorizerName: string;
  deleted: boolean;
  /** It was ACTIVE and was set INACTIVE first (AWS deletes INACTIVE authorizers only). */
  deactivated: boolean;
}

/**
 * Delete Authorizer: a modal confirmation naming the authorizer and the region. AWS deletes only
 * INACTIVE authorizers, so for an ACTIVE one the confirmation offers "Deactivate and Delete".
 * The account's default authorizer is refused before anything changes. `{ confirm: true }`
 * accepts what the confirmation would offer.
 */
export async function deleteAuthorizerCommand(f: AwsFeature, ref: AuthorizerRef | ConfirmArgs): Promise<DeleteOutcome | undefined> {
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Delete Authorizer');
  if (!name) return undefined;
  const { d, isDefault } = await f.connection.run(`Describing ${name}`, async (c, signal) => {
    const d = await describeAuthorizer(c, name, { signal });
    let isDefault = false;
    try {
      isDefault = (await describeDefaultAuthorizer(c, { signal }))?.authorizerName === name;
    } catch (e) {
      if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
    }
    return { d, isDefault };
  });
  const region = f.connection.describe().region;
  if (isDefault) {
    throw new AuthzError(
      'AWS_DELETE_DEFAULT',
      `'${name}' is the default authorizer of this account in ${region}; AWS IoT does not delete it.`,
      'Set another authorizer as the default first (Set as Default Authorizer), or clear the default with `aws iot clear-default-authorizer`.',
    );
  }
  const active = d.status !== 'INACTIVE';
  const choice = active ? 'Deactivate and Delete' : 'Delete';
  if (!preConfirmed(ref)) {
    const detail = [
      `${d.authorizerArn}`,
      '',
      'Devices that name this authorizer can no longer connect. This cannot be undone (deploy its definition again to recreate it).',
      ...(active ? ['', 'It is ACTIVE, and AWS deletes only INACTIVE authorizers: it is set INACTIVE first, then deleted.'] : []),
    ].join('\n');
    const ok = await f.services.prompts.confirm(`Delete authorizer '${name}' from ${region}?`, detail, choice);
    if (ok !== choice) return { authorizerName: name, deleted: false, deactivated: false };
  }
  let deactivated = false;
  await f.connection.run(`Deleting ${name}`, async (c, signal) => {
    if (active) {
      await updateAuthorizer(c, { authorizerName: name, status: 'INACTIVE' }, { signal });
      deactivated = true;
    }
    await deleteAuthorizer(c, name, { signal });
  });
  f.services.log.info(`Deleted authorizer ${d.authorizerArn}${deactivated ? ' (set INACTIVE first)' : ''}.`);
  f.section.refresh();
  void f.services.prompts.info(`Deleted authorizer '${name}' from ${region}.`);
  return { authorizerName: name, deleted: true, deactivated };
}
