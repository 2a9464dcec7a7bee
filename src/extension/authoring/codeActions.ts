import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Finding, Fix, refactorsAt } from '../../core/authoring';
import { readInputFile } from '../../core/files';
import { loadPrivateKey, publicKeyPem } from '../../core/keys';
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
        if (f.range.end < start || f.range.start > end) continue;
        const derive = f.code === 'AUTHORIZER_KEY_PRIVATE' ? derivePublicKeyAction(doc, f) : undefined;
        if (!f.fixes?.length && !derive) continue;
        const diagnostic = context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === f.code && doc.offsetAt(d.range.start) === f.range.start);
        if (derive) {
          if (diagnostic) derive.diagnostics = [diagnostic];
          actions.push(derive);
        }
        for (const fix of f.fixes ?? []) {
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

/**
 * A private key file given as a token signing key: write its public half next
 * to it (`<name>.public.pem`) and point the definition at that. Offered only for
 * an unencrypted key on disk; the private key itself goes nowhere.
 */
function derivePublicKeyAction(doc: vscode.TextDocument, f: Finding): vscode.CodeAction | undefined {
  const rel = f.data?.privateKeyPath;
  const pubRel = f.data?.publicKeyPath;
  if (doc.uri.scheme !== 'file' || typeof rel !== 'string' || typeof pubRel !== 'string') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
  const bases = [folder, path.dirname(doc.uri.fsPath)].filter((b): b is string => !!b);
  const base = bases.find((b) => fs.existsSync(path.resolve(b, rel)));
  if (!base) return undefined;
  let pem: string;
  try {
    pem = publicKeyPem(loadPrivateKey(readInputFile(path.resolve(base, rel), 'private key').toString('utf8')));
  } catch {
    return undefined; // Encrypted or unreadable: the diagnostic's message says how to do it by hand.
  }
  const a = new vscode.CodeAction(`Write the public half to ${pubRel} and use it`, vscode.CodeActionKind.QuickFix);
  const target = path.resolve(base, pubRel);
  const existing = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (existing !== undefined && existing.trim() !== pem.trim()) return undefined; // Never overwrite a different file.
  const edit = new vscode.WorkspaceEdit();
  if (existing === undefined) edit.createFile(vscode.Uri.file(target), { contents: Buffer.from(pem) });
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(f.range.start), doc.positionAt(f.range.end)), JSON.stringify(pubRel));
  a.edit = edit;
  a.isPreferred = true;
  return a;
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
