import { setDefaultAuthorizer } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, isArgs, pickAuthorizer } from './common';

/** Set as Default Authorizer, after a confirmation (`{ confirm: false }` or `{ confirm: true }`: the caller decided). */
export async function setDefaultCommand(f: AwsFeature, ref: AuthorizerRef | { authorizerName?: string; confirm?: boolean }): Promise<boolean> {
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Set as Default Authorizer');
  if (!name) return false;
  const decided = isArgs<{ confirm?: boolean }>(ref) && typeof ref.confirm === 'boolean';
  if (!decided) {
    const ok = await f.services.prompts.confirm(`Make '${name}' the account's default authorizer?`, 'Devices that connect without naming an authorizer will use it.', 'Set as Default');
    if (ok !== 'Set as Default') return false;
  }
  await f.connection.run(`Setting ${name} as default`, (c, signal) => setDefaultAuthorizer(c, name, { signal }));
  f.section.refresh();
  void f.services.prompts.info(`'${name}' is now the default authorizer.`);
  return true;
}
