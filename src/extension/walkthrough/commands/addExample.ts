import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import { Services } from '../../services';

/** Where the worked example goes in the workspace. */
export const EXAMPLE_FOLDER = 'iot-authz-example';

export interface AddExampleArgs {
  /** Target folder, workspace-relative (default iot-authz-example). */
  folder?: string;
  /** Open the definition afterwards (default true). */
  open?: boolean;
}

export interface AddExampleResult {
  folder: vscode.Uri;
  definition: vscode.Uri;
  created: boolean;
}

/** Copies `src` into `dest`, leaving out keys (generated on first use, never shipped) and existing files. */
function copyTree(src: string, dest: string): number {
  let n = 0;
  fs.mkdirSync(dest, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (e.name === 'keys' || e.name.endsWith('.pem')) continue;
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) n += copyTree(from, to);
    else if (e.isFile() && !fs.existsSync(to)) {
      fs.copyFileSync(from, to);
      n++;
    }
  }
  return n;
}

/**
 * Add the Worked Example to the Workspace: copies the example that ships with
 * the extension (AWS's custom-authentication walkthrough, run locally) into
 * the workspace, so the walkthrough's "run it locally" and "run its tests"
 * steps have something to run. An existing copy is opened, never overwritten.
 */
export async function addExampleCommand(services: Services, args: AddExampleArgs = {}): Promise<AddExampleResult | undefined> {
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) {
    throw new AuthzError('NO_WORKSPACE', 'The worked example needs a folder to go into, and no folder is open.', 'Open a folder (File > Open Folder…), then run this command again.');
  }
  const source = path.join(services.context.extensionPath, 'examples');
  if (!fs.existsSync(path.join(source, 'walkthrough.authorizer.json'))) {
    throw new AuthzError('EXAMPLE_MISSING', `The worked example is not in this installation (${source}).`, 'Reinstall the extension.');
  }
  const folder = vscode.Uri.joinPath(ws.uri, ...(args.folder ?? EXAMPLE_FOLDER).split('/').filter(Boolean));
  const definition = vscode.Uri.joinPath(folder, 'walkthrough.authorizer.json');
  const created = !fs.existsSync(definition.fsPath);
  const copied = copyTree(source, folder.fsPath);
  services.log.info(`Worked example: ${copied} file(s) copied into ${folder.fsPath}${created ? '' : ' (existing files kept)'}`);
  if (args.open !== false) await vscode.window.showTextDocument(definition, { preview: false });
  return { folder, definition, created };
}
