import * as path from 'node:path';
import * as vscode from 'vscode';
import { Prompts } from '../prompts';

export const TEST_FILE_GLOB = '**/*.authz-test.json';
export const EXCLUDE_GLOB = '**/{node_modules,.git,out,dist,.vscode-test}/**';

/** Workspace root for relative paths in definitions and test files. */
export function workspaceRootOf(uri: vscode.Uri): string | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** A path argument: a Uri, an absolute path, or a workspace-relative path. */
export function toUri(p: string | vscode.Uri): vscode.Uri {
  if (p instanceof vscode.Uri) return p;
  if (path.isAbsolute(p)) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...p.split(/[\\/]/).filter(Boolean)) : vscode.Uri.file(path.resolve(p));
}

/** A path relative to `fromDir`, with forward slashes (as test files and definitions write them). */
export function relativePosix(fromDir: string, to: string): string {
  const r = path.relative(fromDir, to).split(path.sep).join('/');
  return r === '' ? '.' : r;
}

function authorizerGlob(): string {
  const globs = vscode.workspace.getConfiguration('iotAuthz.authoring').get<string[]>('authorizerGlobs') ?? ['**/*.authorizer.json'];
  return globs.length === 1 ? globs[0] : `{${globs.join(',')}}`;
}

export function isDefinitionDocument(doc: vscode.TextDocument | undefined): boolean {
  return !!doc && doc.uri.scheme === 'file' && doc.fileName.endsWith('.authorizer.json');
}

/** Authorizer definitions in the workspace, sorted by path. */
export async function findDefinitions(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(authorizerGlob(), EXCLUDE_GLOB, 500);
  return uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The definition to run: the given one, else the active editor's, else the
 * only one in the workspace, else the user's pick. Undefined when cancelled.
 */
export async function pickDefinition(prompts: Prompts, given?: string | vscode.Uri): Promise<vscode.Uri | undefined> {
  if (given) return toUri(given);
  const active = vscode.window.activeTextEditor?.document;
  if (isDefinitionDocument(active)) return active!.uri;
  const all = await findDefinitions();
  if (all.length === 0) {
    const files = await prompts.openDialog({ title: 'Run Authorizer Locally: authorizer definition', canSelectMany: false, openLabel: 'Run this authorizer', filters: { 'Authorizer definitions': ['json'] } });
    return files?.[0];
  }
  if (all.length === 1) return all[0];
  const picked = await prompts.quickPick(
    all.map((uri) => ({ label: `$(gear) ${path.basename(uri.fsPath, '.authorizer.json')}`, detail: vscode.workspace.asRelativePath(uri, false), uri })),
    { title: 'Run Authorizer Locally: which authorizer?', placeHolder: 'Authorizer definitions (*.authorizer.json) in this workspace', ignoreFocusOut: true },
  );
  return picked?.uri;
}

/** Node.js / Python executables from the settings (undefined: the core's defaults). */
export function runtimePaths(scope?: vscode.Uri): { nodePath?: string; pythonPath?: string } {
  const c = vscode.workspace.getConfiguration('iotAuthz.emulator', scope);
  const nodePath = c.get<string>('nodePath') || undefined;
  const pythonPath = c.get<string>('pythonPath') || undefined;
  return { ...(nodePath ? { nodePath } : {}), ...(pythonPath ? { pythonPath } : {}) };
}

/** Waits for `p`, or resolves to undefined as soon as the token is cancelled. */
export function untilCancelled<T>(p: Promise<T>, token: vscode.CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      resolve(undefined);
    });
    p.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}

/** An AbortSignal that follows a cancellation token: the core kills the handler process on abort. */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      controller.abort();
    });
  }
  return controller.signal;
}
