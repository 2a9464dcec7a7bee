import * as vscode from 'vscode';
import type { EndpointInfo } from '../../../core/endpoint';
import { AuthzError } from '../../../core/errors';
import { EndpointFeature } from '../feature';
import { endpointOptions, readSettings } from '../settings';
import { explainStartError } from '../startError';
import { ensureTrustedForEndpoint } from '../trust';

export interface StartEndpointArgs {
  /** The workspace folder whose definitions and settings to use (default: the first, or asked when several). */
  folder?: vscode.Uri;
}

/**
 * Start Local IoT Endpoint: trusted workspaces only, settings from
 * iotAuthz.endpoint.*, a progress notification while the listeners, the TLS
 * material and the handlers come up. Returns the endpoint's info, or
 * undefined when refused or cancelled.
 */
export async function startEndpointCommand(f: EndpointFeature, args: StartEndpointArgs = {}): Promise<EndpointInfo | undefined> {
  const { services, controller } = f;
  if (!(await ensureTrustedForEndpoint(services))) return undefined;
  if (controller.info) {
    void services.prompts.info(`The local IoT endpoint is already running on ${controller.info.urls.mqtts}.`);
    return controller.info;
  }
  const folder = await pickFolder(f, args.folder);
  if (!folder) return undefined;
  const settings = readSettings(folder);
  const options = endpointOptions(folder, settings);

  const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting Local IoT Endpoint' }, async (progress) => {
    progress.report({ message: `listeners on ${settings.host}, TLS material in ${settings.tlsFolder}, authorizer handlers…` });
    try {
      return await controller.start(options);
    } catch (e) {
      throw explainStartError(e, settings);
    }
  });
  services.log.info(
    `[endpoint] started: ${info.urls.mqtts} (ALPN mqtt), ${info.urls.wss}, ${info.urls.https}${info.urls.mqtt ? `, ${info.urls.mqtt}` : ''}; CA ${info.caPath}; ` +
      `authorizers ${info.authorizers.map((a) => `${a.name}${a.isDefault ? ' (default)' : ''}${a.status === 'INACTIVE' ? ' (INACTIVE)' : ''}`).join(', ') || 'none'}` +
      (info.timeScale !== 1 ? `; time scale ${info.timeScale}` : ''),
  );
  void services.prompts.info(`Local IoT endpoint running on ${info.urls.mqtts}. Clients trust ${vscode.workspace.asRelativePath(info.caPath, false)}.`);
  return info;
}

async function pickFolder(f: EndpointFeature, given?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (given) {
    const folder = vscode.workspace.getWorkspaceFolder(given);
    if (folder) return folder;
  }
  if (folders.length === 0) {
    throw new AuthzError('NO_WORKSPACE', 'The local IoT endpoint serves the authorizer definitions of a workspace folder, and none is open.', 'Open the folder that holds your *.authorizer.json files.');
  }
  if (folders.length === 1) return folders[0];
  const picked = await f.services.prompts.quickPick(
    folders.map((folder) => ({ label: `$(root-folder) ${folder.name}`, detail: folder.uri.fsPath, folder })),
    { title: 'Start Local IoT Endpoint: serve the authorizers of which folder?', ignoreFocusOut: true },
  );
  return picked?.folder;
}
