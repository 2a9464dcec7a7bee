import * as vscode from 'vscode';
import { MANAGE_TRUST } from '../emulator/trust';
import { Services } from '../services';

/** Why Start Local IoT Endpoint is refused in Restricted Mode. */
export const ENDPOINT_TRUST_MESSAGE =
  "The local IoT endpoint runs the workspace's authorizer handlers (code from this workspace) for every client that connects, so it needs workspace trust. " +
  'This workspace is in Restricted Mode: trust it (Manage Workspace Trust) to start the endpoint.';

/**
 * True when the workspace is trusted; otherwise says why not and offers
 * Manage Workspace Trust. Trust cannot be taken back from a running window
 * without VS Code restarting the extension host, whose deactivation stops
 * the endpoint (extension.ts), so checking at start is enough.
 */
export async function ensureTrustedForEndpoint(services: Services): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  services.log.info('Start Local IoT Endpoint refused: the workspace is not trusted (Restricted Mode).');
  const choice = await services.prompts.warn(ENDPOINT_TRUST_MESSAGE, MANAGE_TRUST);
  if (choice === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
