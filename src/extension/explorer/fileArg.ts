import * as vscode from 'vscode';

/** A tree node that stands for one workspace file: its context-menu commands get the node and use the file. */
export interface FileNode {
  readonly fileUri: vscode.Uri;
}

/** The file a command argument names: a Uri, or a FileNode (a menu on a tree node passes the node). */
export function fileUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && (arg as Partial<FileNode>).fileUri instanceof vscode.Uri) return (arg as FileNode).fileUri;
  return undefined;
}
