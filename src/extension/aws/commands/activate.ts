import { AuthorizerDescription } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, changeStatus, ConfirmArgs } from './common';

/** Activate Authorizer: UpdateAuthorizer status ACTIVE after a confirmation (`{ confirm: true }` skips it). */
export function activateCommand(f: AwsFeature, ref: AuthorizerRef | ConfirmArgs): Promise<AuthorizerDescription | undefined> {
  return changeStatus(f, ref, 'ACTIVE');
}
