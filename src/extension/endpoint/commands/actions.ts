import * as vscode from 'vscode';
import { EndpointFeature } from '../feature';

interface ActionItem extends vscode.QuickPickItem {
  command: string;
}

/** The status bar item's menu: show the section, copy the CA path, show the log, or stop. Returns the command run. */
export async function endpointActionsCommand(f: EndpointFeature): Promise<string | undefined> {
  const info = f.controller.info;
  if (!info) {
    await vscode.commands.executeCommand('iotAuthz.explorer.focus');
    return undefined;
  }
  const items: ActionItem[] = [
    { label: '$(list-tree) Show in Authorizer Explorer', detail: 'Connections and recent decisions, live', command: 'iotAuthz.explorer.focus' },
    { label: '$(output) Show decision log', detail: 'Every decision in the IoT Authorizer Studio output channel', command: 'iotAuthz.showLog' },
    { label: '$(copy) Copy CA certificate path', detail: info.caPath, command: 'iotAuthz.endpoint.copyCaPath' },
    { label: '$(debug-stop) Stop Local IoT Endpoint', detail: `Closes ${f.controller.connections().length} connection(s) and stops the handler processes`, command: 'iotAuthz.endpoint.stop' },
  ];
  const picked = await f.services.prompts.quickPick(items, { title: `Local IoT endpoint: ${info.urls.mqtts}`, placeHolder: 'What to do' });
  if (!picked) return undefined;
  await vscode.commands.executeCommand(picked.command);
  return picked.command;
}
