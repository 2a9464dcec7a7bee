import * as vscode from 'vscode';
import { Services } from '../services';

/** Why a run is refused in Restricted Mode (shown as a message and as each test item's error). */
export const TRUST_MESSAGE =
  'Running the authorizer locally executes its Lambda handler, which is code from this workspace, so it needs workspace trust. ' +
  'This workspace is in Restricted Mode: trust it (Manage Workspace Trust) to run the handler. Signing, verification and validation work without trust.';

export const MANAGE_TRUST = 'Manage Workspace Trust';

/** True when the workspace is trusted; otherwise explains why not and offers Manage Workspace Trust. */
export async function ensureTrusted(services: Services): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  services.log.info('Local run refused: the workspace is not trusted (Restricted Mode).');
  const choice = await services.prompts.warn(TRUST_MESSAGE, MANAGE_TRUST);
  if (choice === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
