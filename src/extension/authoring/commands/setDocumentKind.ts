import * as vscode from 'vscode';
import { detectKindFromContent, DocumentKind, isDocumentKind } from '../../../core/authoring';
import { AuthzError } from '../../../core/errors';
import { Services } from '../../services';
import { DocumentKinds } from '../documentKinds';

export interface SetDocumentKindArgs {
  uri?: vscode.Uri | string;
  /** 'auto' goes back to the file-name globs; 'none' switches validation off for the document. */
  kind?: DocumentKind | 'auto' | 'none';
}

interface KindItem extends vscode.QuickPickItem {
  value: DocumentKind | 'auto' | 'none';
}

const LABELS: Record<DocumentKind, string> = { response: 'Authorizer response', policy: 'IoT policy', authorizer: 'Authorizer definition' };

/** IoT Authorizer: Set Document Kind: validate this document as a response, policy or definition. */
export async function setDocumentKindCommand(services: Services, kinds: DocumentKinds, args: SetDocumentKindArgs = {}): Promise<DocumentKind | 'auto' | 'none' | undefined> {
  const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) throw new AuthzError('NO_DOCUMENT', 'Open a JSON document first.');
  let kind = args.kind;
  if (kind === undefined) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    const detected = detectKindFromContent(doc.getText());
    const current = kinds.explicitKind(uri);
    const items: KindItem[] = (['response', 'policy', 'authorizer'] as DocumentKind[]).map((k) => ({
      value: k,
      label: LABELS[k],
      description: [k === detected ? 'detected from content' : '', k === current ? 'current' : ''].filter(Boolean).join(', ') || undefined,
    }));
    items.sort((a, b) => Number(b.value === detected) - Number(a.value === detected));
    items.push({ value: 'auto', label: 'By file name', description: 'use the iotAuthz.authoring.*Globs settings' });
    items.push({ value: 'none', label: 'Not an authorizer document', description: 'no IoT Authorizer validation' });
    const picked = await services.prompts.quickPick(items, { title: 'Set Document Kind', placeHolder: 'Validate this document as…' });
    if (!picked) return undefined;
    kind = picked.value;
  }
  if (!(isDocumentKind(kind) || kind === 'auto' || kind === 'none')) throw new AuthzError('BAD_KIND', `Unknown document kind '${String(kind)}'.`);
  await kinds.setKind(uri, kind === 'auto' ? undefined : kind);
  return kind;
}
