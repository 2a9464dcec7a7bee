import { AuthorizerDescription } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, changeStatus, ConfirmArgs } from './common';

/** Deactivate Authorizer: UpdateAuthorizer status INACTIVE after a confirmation (`{ confirm: true }` skips it). */
export function deactivateCommand(f: AwsFeature, ref: AuthorizerRef | ConfirmArgs): Promise<AuthorizerDescription | undefined> {
  return changeStatus(f, ref, 'INACTIVE');
}
