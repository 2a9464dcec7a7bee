import * as vscode from 'vscode';
import { Fix, refactorsAt } from '../../core/authoring';
import { AuthoringDiagnostics, DIAGNOSTIC_SOURCE } from './diagnostics';
import { PublicKeyLister, workspaceFixes } from './workspaceFixes';

/** Offers the core's quick fixes for our diagnostics, and object ↔ string conversion of policy documents. */
export class AuthoringCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite],
  };

  constructor(
    private readonly diagnostics: AuthoringDiagnostics,
    private readonly listPublicKeys?: PublicKeyLister,
  ) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const validated = this.diagnostics.findingsFor(doc);
    if (!validated) return [];
    const actions: vscode.CodeAction[] = [];
    const start = doc.offsetAt(range.start);
    const end = doc.offsetAt(range.end);
    const wantsQuickFix = !context.only || context.only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(context.only);
    if (wantsQuickFix) {
      for (const f of validated.findings) {
        if (!f.fixes?.length || f.range.end < start || f.range.start > end) continue;
        const diagnostic = context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === f.code && doc.offsetAt(d.range.start) === f.range.start);
        for (const fix of f.fixes) {
          const a = toAction(doc, fix, vscode.CodeActionKind.QuickFix);
          if (diagnostic) a.diagnostics = [diagnostic];
          a.isPreferred = fix.isPreferred === true;
          actions.push(a);
        }
      }
      if (validated.kind === 'authorizer') actions.push(...(await workspaceFixes(doc, context.diagnostics, this.listPublicKeys)));
    }
    const wantsRefactor = !context.only || context.only.contains(vscode.CodeActionKind.RefactorRewrite) || vscode.CodeActionKind.RefactorRewrite.contains(context.only) || vscode.CodeActionKind.Refactor.contains(context.only);
    if (wantsRefactor) for (const fix of refactorsAt(doc.getText(), validated.kind, start)) actions.push(toAction(doc, fix, vscode.CodeActionKind.RefactorRewrite));
    return actions;
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c && typeof c === 'object') return String(c.value);
  return c === undefined ? undefined : String(c);
}

function toAction(doc: vscode.TextDocument, fix: Fix, kind: vscode.CodeActionKind): vscode.CodeAction {
  const a = new vscode.CodeAction(fix.title, kind);
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
  a.edit = edit;
  return a;
}
