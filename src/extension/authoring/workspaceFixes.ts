import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { handlerTemplate } from '../../core/authoring';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** The workspace's usable public key files (the keys feature's scan), for fixes that point a definition at one. */
export type PublicKeyLister = () => Promise<vscode.Uri[]>;

/** At most this many "Use workspace key" fixes per finding. */
const MAX_KEY_FIXES = 5;

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return c && typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
}

/** A path as a definition writes it: relative to the definition's folder, with forward slashes. */
function relativeToDefinition(doc: vscode.TextDocument, file: vscode.Uri): string {
  return path.relative(path.dirname(doc.uri.fsPath), file.fsPath).split(path.sep).join('/');
}

/**
 * Quick fixes that depend on the workspace, for authorizer definitions: a
 * missing key file can point at a key pair the workspace has, or have its
 * pair generated where the definition says; a missing handler file can be
 * created from a template. The core's fixes cannot know the workspace.
 */
export async function workspaceFixes(doc: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[], listPublicKeys: PublicKeyLister | undefined): Promise<vscode.CodeAction[]> {
  if (doc.uri.scheme !== 'file') return [];
  const actions: vscode.CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const code = codeOf(d);
    if (code === 'AUTHORIZER_KEY_FILE_MISSING') actions.push(...(await keyFixes(doc, d, listPublicKeys)));
    else if (code === 'AUTHORIZER_HANDLER_FILE_MISSING') actions.push(...handlerFixes(doc, d));
  }
  return actions;
}

async function keyFixes(doc: vscode.TextDocument, d: vscode.Diagnostic, listPublicKeys: PublicKeyLister | undefined): Promise<vscode.CodeAction[]> {
  const literal = doc.getText(d.range);
  let given: string;
  try {
    given = JSON.parse(literal) as string;
  } catch {
    return [];
  }
  if (typeof given !== 'string') return [];
  const out: vscode.CodeAction[] = [];
  const keys = listPublicKeys ? await listPublicKeys().catch(() => [] as vscode.Uri[]) : [];
  for (const key of keys.slice(0, MAX_KEY_FIXES)) {
    const rel = relativeToDefinition(doc, key);
    const a = new vscode.CodeAction(`Use workspace key ${vscode.workspace.asRelativePath(key, false)}`, vscode.CodeActionKind.QuickFix);
    a.edit = new vscode.WorkspaceEdit();
    a.edit.replace(doc.uri, d.range, JSON.stringify(rel));
    a.diagnostics = [d];
    a.isPreferred = out.length === 0;
    out.push(a);
  }
  const m = /^(.*?)([^/\\]+)\.public\.pem$/i.exec(given);
  if (m) {
    const folder = path.resolve(path.dirname(doc.uri.fsPath), m[1] || '.');
    const a = new vscode.CodeAction(`Generate the key pair ${m[2]}.private.pem / ${m[2]}.public.pem in ${vscode.workspace.asRelativePath(folder, false)}`, vscode.CodeActionKind.QuickFix);
    // No passphrase: a local test pair, as the emulator generates on first use.
    a.command = { command: 'iotAuthz.generateKeyPair', title: a.title, arguments: [{ name: m[2], folder, passphrase: '' }] };
    a.diagnostics = [d];
    a.isPreferred = out.length === 0;
    out.push(a);
  }
  return out;
}

function handlerFixes(doc: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction[] {
  let file: string;
  try {
    file = JSON.parse(doc.getText(d.range)) as string;
  } catch {
    return [];
  }
  if (typeof file !== 'string' || !file) return [];
  const raw = parseJsonc(doc.getText(), [], { allowTrailingComma: true }) as { handler?: { runtime?: string; function?: string } } | undefined;
  const runtime = raw?.handler?.runtime === 'python' ? 'python' : 'nodejs';
  const fn = typeof raw?.handler?.function === 'string' && /^[A-Za-z_$][\w$]*$/.test(raw.handler.function) ? raw.handler.function : undefined;
  const target = vscode.Uri.file(path.resolve(path.dirname(doc.uri.fsPath), file));
  const a = new vscode.CodeAction(`Create ${file} from a ${runtime === 'python' ? 'Python' : 'Node.js'} handler template`, vscode.CodeActionKind.QuickFix);
  a.edit = new vscode.WorkspaceEdit();
  // Create, then insert: file contents given to createFile do not survive every workbench (the web one).
  a.edit.createFile(target, { ignoreIfExists: true });
  a.edit.insert(target, new vscode.Position(0, 0), handlerTemplate(runtime, fn));
  a.diagnostics = [d];
  a.isPreferred = true;
  return [a];
}
