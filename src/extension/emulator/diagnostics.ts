import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateTestText } from '../../core/emulator/testcases/validate';
import { toDiagnostic } from '../authoring/diagnostics';
import { workspaceRootOf } from './workspaceFiles';

const DEBOUNCE_MS = 300;

/**
 * Diagnostics (source "IoT Authorizer") for open `*.authz-test.json`
 * documents, from the core's validateTestText; paths are checked against the
 * test file's folder and the workspace root, as the runner resolves them.
 */
export class TestFileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('iotAuthz.tests');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.validate(d);
  }

  static isTestDocument(doc: vscode.TextDocument): boolean {
    return doc.uri.path.endsWith('.authz-test.json') && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
  }

  validate(doc: vscode.TextDocument): vscode.Diagnostic[] {
    if (!TestFileDiagnostics.isTestDocument(doc)) return [];
    const t = this.timers.get(doc.uri.toString());
    if (t) clearTimeout(t);
    this.timers.delete(doc.uri.toString());
    const findings = validateTestText(doc.getText(), { fileExists: fileExistsFor(doc) });
    const diagnostics = findings.map((f) => toDiagnostic(doc, f));
    this.collection.set(doc.uri, diagnostics);
    return diagnostics;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!TestFileDiagnostics.isTestDocument(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(key, setTimeout(() => this.validate(doc), DEBOUNCE_MS));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

function fileExistsFor(doc: vscode.TextDocument): ((p: string) => boolean) | undefined {
  if (doc.uri.scheme !== 'file') return undefined;
  const bases = [path.dirname(doc.uri.fsPath), workspaceRootOf(doc.uri)].filter((b): b is string => !!b);
  return (p) => path.isAbsolute(p) ? fs.existsSync(p) : bases.some((b) => fs.existsSync(path.resolve(b, p)));
}
