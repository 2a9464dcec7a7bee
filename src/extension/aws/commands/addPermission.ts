import { addInvokePermission, describeAuthorizer, functionNameOf, InvokePermissionRequest, permissionQuestionDetail } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { invokeStateOf } from '../invokeState';
import { AuthorizerRef, isArgs, pickAuthorizer } from './common';

export interface AddPermissionArgs {
  authorizerName?: string;
  /** Given (true or false): no confirmation is asked (the caller decided). */
  confirm?: boolean;
}

/**
 * Allow IoT to Invoke the Lambda: reads the function's resource policy; when it does not let
 * iot.amazonaws.com invoke the function for this authorizer, shows the exact statement
 * AddPermission will add (modal, the JSON in the detail) and adds it. Returns the statement
 * Lambda stored, or undefined when nothing was added.
 */
export async function addPermissionCommand(f: AwsFeature, ref: AuthorizerRef | AddPermissionArgs): Promise<string | undefined> {
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Allow IoT to Invoke the Lambda');
  if (!name) return undefined;
  const state = await f.connection.run(`Checking the Lambda permission of ${name}`, async (c, signal) => invokeStateOf(c, await describeAuthorizer(c, name, { signal }), { signal }));
  if (state.kind !== 'missing') {
    void f.services.prompts.info(state.kind === 'allowed' ? `Nothing to add: ${state.reason}` : state.reason);
    return undefined;
  }
  const req = state.request;
  const decided = isArgs<AddPermissionArgs>(ref) && typeof ref.confirm === 'boolean';
  if (!decided && !(await confirmAddPermission(f, name, state.reason, req))) return undefined;
  const added = await f.connection.run('Adding the Lambda permission', (c, signal) => addInvokePermission(c, req, { signal }));
  f.services.log.info(`Added Lambda permission ${req.StatementId} on ${req.FunctionName} for ${req.SourceArn}.`);
  f.section.refresh();
  void f.services.prompts.info(`Added statement ${req.StatementId} to ${functionNameOf(req.FunctionName)}: AWS IoT may now invoke it for '${name}'.`);
  return added;
}

/** The modal "Let AWS IoT invoke the Lambda?" question with the exact statement; true when accepted. */
export async function confirmAddPermission(f: AwsFeature, name: string, reason: string, req: InvokePermissionRequest): Promise<boolean> {
  return (await f.services.prompts.confirm(`Let AWS IoT invoke the Lambda for '${name}'?`, permissionQuestionDetail(reason, req), ADD_PERMISSION)) === ADD_PERMISSION;
}

const ADD_PERMISSION = 'Add Permission';
