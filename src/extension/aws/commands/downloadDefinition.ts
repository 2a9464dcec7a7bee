import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import { definitionFromDescription, describeAuthorizer } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, isArgs, pickAuthorizer } from './common';

export interface DownloadDefinitionArgs {
  authorizerName?: string;
  /** Workspace-relative path; default asks, proposing <name>.authorizer.json. */
  path?: string;
  overwrite?: boolean;
}

/** Download as Definition File: describe → *.authorizer.json in the workspace (keys inline). */
export async function downloadDefinitionCommand(f: AwsFeature, ref: AuthorizerRef | DownloadDefinitionArgs): Promise<string | undefined> {
  const args: DownloadDefinitionArgs = isArgs<DownloadDefinitionArgs>(ref) ? ref : {};
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Download as Definition File');
  if (!name) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new AuthzError('NO_WORKSPACE', 'Open a folder first: the definition is written into the workspace.');
  const d = await f.connection.run(`Describing ${name}`, (c, signal) => describeAuthorizer(c, name, { signal }));
  const rel =
    args.path ??
    (await f.services.prompts.inputBox({
      title: 'Download as Definition File',
      prompt: 'File name, relative to the workspace folder',
      value: `${name}.authorizer.json`,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a file name.'),
    }));
  if (!rel) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, ...rel.trim().split(/[\\/]+/).filter(Boolean));
  let exists = false;
  try {
    await vscode.workspace.fs.stat(uri);
    exists = true;
  } catch {
    // new file
  }
  if (exists && !args.overwrite) {
    const ok = await f.services.prompts.confirm(`${rel} exists. Replace it?`, 'The file is overwritten with the authorizer as deployed.', 'Replace');
    if (ok !== 'Replace') return undefined;
  }
  // No $schema: the extension validates *.authorizer.json files by name.
  const json = definitionFromDescription(d, { region: f.connection.describe().region });
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`));
  await vscode.window.showTextDocument(uri, { preview: false });
  f.services.log.info(`Downloaded ${d.authorizerArn} to ${vscode.workspace.asRelativePath(uri)}.`);
  return uri.fsPath;
}
