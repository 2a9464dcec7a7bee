import * as path from 'node:path';
import * as vscode from 'vscode';
import { DocumentKind, TEMPLATE_FILE_NAMES, templateFor } from '../../core/authoring';
import { AuthzError } from '../../core/errors';
import { Services } from '../services';
import { DocumentKinds } from './documentKinds';
import type { PublicKeyLister } from './workspaceFixes';

export interface NewDocumentArgs {
  /** Where to write: a Uri, or a path relative to the first workspace folder. Skips the prompt. */
  uri?: vscode.Uri | string;
  /** Open an untitled document instead of writing a file. */
  untitled?: boolean;
}

const LABEL: Record<DocumentKind, string> = { response: 'authorizer response', policy: 'IoT policy', authorizer: 'authorizer definition' };
const SUFFIX: Record<DocumentKind, string> = { response: '.authorizer-response.json', policy: '.iot-policy.json', authorizer: '.authorizer.json' };

/**
 * Creates a document of a kind from its template: a new file in the workspace
 * (asking for its name) or, without a workspace or when asked, an untitled one.
 * Returns the document's URI, or undefined when cancelled.
 */
export async function newDocument(services: Services, kinds: DocumentKinds, kind: DocumentKind, args: NewDocumentArgs = {}, listPublicKeys?: PublicKeyLister): Promise<vscode.Uri | undefined> {
  let content = templateFor(kind);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (args.untitled || (!folder && !(args.uri instanceof vscode.Uri))) {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
    await kinds.setKind(doc.uri, kind);
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  }
  let target: vscode.Uri;
  if (args.uri instanceof vscode.Uri) target = args.uri;
  else {
    let rel = args.uri;
    if (rel === undefined) {
      rel = await services.prompts.inputBox({
        title: `New ${LABEL[kind]}`,
        prompt: `File name, relative to the workspace folder. Names ending in ${SUFFIX[kind]} are validated automatically.`,
        value: TEMPLATE_FILE_NAMES[kind],
        valueSelection: [0, TEMPLATE_FILE_NAMES[kind].indexOf('.')],
        validateInput: (v) => (v.trim() ? undefined : 'Enter a file name.'),
      });
      if (rel === undefined) return undefined;
    }
    target = vscode.Uri.joinPath(folder!.uri, ...rel.trim().split(/[\\/]+/).filter(Boolean));
  }
  if (await exists(target)) {
    throw new AuthzError('FILE_EXISTS', `${vscode.workspace.asRelativePath(target)} already exists.`, 'Choose another name.');
  }
  const key = kind === 'authorizer' && listPublicKeys ? (await listPublicKeys().catch(() => []))[0] : undefined;
  if (key && target.scheme === 'file' && key.scheme === 'file') {
    content = templateFor(kind, { keyPath: path.relative(path.dirname(target.fsPath), key.fsPath).split(path.sep).join('/') });
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  if (!target.path.endsWith(SUFFIX[kind])) await kinds.setKind(target, kind);
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(doc);
  services.log.info(`Created ${LABEL[kind]} ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
