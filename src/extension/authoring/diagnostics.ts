import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DocumentKind, Finding, Severity, validateText } from '../../core/authoring';
import { DocumentKinds } from './documentKinds';

export const DIAGNOSTIC_SOURCE = 'IoT Authorizer';
const DEBOUNCE_MS = 300;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface Validated {
  version: number;
  kind: DocumentKind;
  findings: Finding[];
}

/**
 * Validates our documents on open and (debounced) on change, publishing
 * diagnostics whose code links to the rule's explanation. Keeps the findings
 * so the code action provider can offer their fixes.
 */
export class AuthoringDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('iotAuthz.authoring');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, Validated>();
  private readonly disposables: vscode.Disposable[] = [];
  private filesChanged: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly kinds: DocumentKinds) {
    // Key and handler files appearing or going (a generated pair, a handler created by a quick fix)
    // change the findings of definitions that name them.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const onFiles = () => {
      if (this.filesChanged) clearTimeout(this.filesChanged);
      this.filesChanged = setTimeout(() => {
        this.filesChanged = undefined;
        this.validateAll();
      }, DEBOUNCE_MS);
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFiles),
      watcher.onDidDelete(onFiles),
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('iotAuthz.diagnostics') || e.affectsConfiguration('iotAuthz.authoring')) this.validateAll();
      }),
      kinds.onDidChange((uri) => {
        if (!uri) return this.validateAll();
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc) this.validate(doc);
      }),
    );
    this.validateAll();
  }

  validateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.validate(d);
  }

  /** The findings of the current version of a document, validating it if needed. */
  findingsFor(doc: vscode.TextDocument): Validated | undefined {
    const r = this.results.get(doc.uri.toString());
    if (r && r.version === doc.version) return r;
    return this.validate(doc);
  }

  validate(doc: vscode.TextDocument): Validated | undefined {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    const kind = this.kinds.kindOf(doc);
    if (!kind) {
      this.forget(doc.uri);
      return undefined;
    }
    const config = vscode.workspace.getConfiguration('iotAuthz.diagnostics', doc.uri);
    const findings = validateText(doc.getText(), kind, {
      disabledCodes: config.get<string[]>('disabled') ?? [],
      severityOverrides: config.get<Record<string, Severity>>('severity') ?? {},
      fileExists: fileExistsFor(doc),
    });
    const result = { version: doc.version, kind, findings };
    this.results.set(key, result);
    this.collection.set(doc.uri, findings.map((f) => toDiagnostic(doc, f)));
    return result;
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    if (!this.kinds.kindOf(doc) && !this.results.has(key)) return;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.validate(doc);
    }, DEBOUNCE_MS));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    if (this.filesChanged) clearTimeout(this.filesChanged);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

export function toDiagnostic(doc: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(f.range.start), doc.positionAt(f.range.end));
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.code, target: vscode.Uri.parse(f.docsUrl) };
  return d;
}

/** Key and handler paths are workspace-relative (falling back to the document's folder). */
function fileExistsFor(doc: vscode.TextDocument): ((p: string) => boolean) | undefined {
  if (doc.uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
  const bases = [folder, path.dirname(doc.uri.fsPath)].filter((b): b is string => !!b);
  return (p) => bases.some((b) => fs.existsSync(path.resolve(b, p)));
}
