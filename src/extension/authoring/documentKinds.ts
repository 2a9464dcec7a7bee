import * as vscode from 'vscode';
import { DEFAULT_GLOBS, DocumentKind, isDocumentKind, kindFromFileName } from '../../core/authoring';

const STATE_KEY = 'iotAuthz.authoring.documentKinds';

/**
 * Which documents are ours and of which kind: a kind set with "Set Document
 * Kind" (kept per URI in workspace state) wins; otherwise the file-name globs
 * of the iotAuthz.authoring.*Globs settings decide.
 */
export class DocumentKinds implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the URI whose kind changed, or undefined when the globs changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('iotAuthz.authoring')) this.changed.fire(undefined);
    });
  }

  kindOf(doc: vscode.TextDocument): DocumentKind | undefined {
    const set = this.overrides()[doc.uri.toString()];
    if (set === 'none') return undefined;
    if (isDocumentKind(set)) return set;
    if (doc.uri.scheme === 'untitled' && !doc.fileName) return undefined;
    const config = vscode.workspace.getConfiguration('iotAuthz.authoring', doc.uri);
    const globs = {
      response: config.get<string[]>('responseGlobs') ?? [...DEFAULT_GLOBS.response],
      policy: config.get<string[]>('policyGlobs') ?? [...DEFAULT_GLOBS.policy],
      authorizer: config.get<string[]>('authorizerGlobs') ?? [...DEFAULT_GLOBS.authorizer],
    };
    return kindFromFileName(vscode.workspace.asRelativePath(doc.uri, false), globs);
  }

  /** The kind set by command for a URI ('none' switches validation off), or undefined. */
  explicitKind(uri: vscode.Uri): DocumentKind | 'none' | undefined {
    const v = this.overrides()[uri.toString()];
    return isDocumentKind(v) || v === 'none' ? v : undefined;
  }

  /** Sets (or with undefined, clears) the kind of a URI. */
  async setKind(uri: vscode.Uri, kind: DocumentKind | 'none' | undefined): Promise<void> {
    const all = { ...this.overrides() };
    if (kind === undefined) delete all[uri.toString()];
    else all[uri.toString()] = kind;
    await this.state.update(STATE_KEY, all);
    this.changed.fire(uri);
  }

  private overrides(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY) ?? {};
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
