import * as vscode from 'vscode';
import { EndpointFeature } from '../feature';

/** Stop Local IoT Endpoint: closes every connection and listener and stops the handler processes. True when it was running. */
export async function stopEndpointCommand(f: EndpointFeature): Promise<boolean> {
  const { services, controller } = f;
  if (controller.state === 'stopped') {
    void services.prompts.info('The local IoT endpoint is not running.');
    return false;
  }
  const connections = controller.connections().length;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Stopping Local IoT Endpoint' }, () => controller.stop());
  services.log.info(`[endpoint] stopped${connections ? ` (${connections} connection(s) closed)` : ''}.`);
  return true;
}
