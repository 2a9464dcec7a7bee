import * as vscode from 'vscode';
import { EndpointFeature } from '../feature';
import { requireCaPath } from './caPath';

/** Shows the local CA certificate in the Explorer (it is a public certificate: no secret). */
export async function revealCaCommand(f: EndpointFeature): Promise<void> {
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(requireCaPath(f)));
}
