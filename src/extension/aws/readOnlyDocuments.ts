import * as vscode from 'vscode';

/** The URI scheme of the AWS feature's read-only documents (Describe, the Doctor report). */
export const AWS_DOCUMENT_SCHEME = 'iot-authz-aws';

/**
 * Read-only virtual documents: shown like files, never dirty, never "Save changes?" on close.
 * The text lives in memory; updating it refreshes an open editor (the Doctor report after a fix).
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(AWS_DOCUMENT_SCHEME, this);
  }

  /** `iot-authz-aws:/<kind>/<name>` (the extension gives the language: .json, .md). */
  uriFor(kind: string, name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: AWS_DOCUMENT_SCHEME, path: `/${kind}/${name}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Sets the text (an open editor of it refreshes) and shows it. */
  async show(uri: vscode.Uri, text: string, options: vscode.TextDocumentShowOptions = { preview: true }): Promise<vscode.TextDocument> {
    this.set(uri, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, options);
    return doc;
  }

  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const before = this.texts.get(key);
    this.texts.set(key, text);
    if (before !== undefined && before !== text) this.changed.fire(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
