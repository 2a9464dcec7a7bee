import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { LoadedDefinition } from '../../core/emulator/definition';
import { ensureKeyPair } from '../../core/emulator/testcases/keys';
import { AuthzError } from '../../core/errors';
import type { WorkspaceKeyPair } from '../keys/workspaceKeys';
import { relativePosix } from './workspaceFiles';

const PUBLIC_SUFFIX = '.public.pem';
const PRIVATE_SUFFIX = '.private.pem';

/** A key entry of the definition whose public key file does not exist. */
export interface MissingKeyFile {
  /** The tokenSigningPublicKeys entry name. */
  name: string;
  /** Absolute path the definition names. */
  path: string;
}

export function missingKeyFiles(def: LoadedDefinition): MissingKeyFile[] {
  return def.keyFiles.filter((k) => !fs.existsSync(k.path));
}

/** The private half the emulator generates with a missing `<name>.public.pem`, when that is the file's form. */
export function privateHalfOf(publicPath: string): string | undefined {
  return publicPath.endsWith(PUBLIC_SUFFIX) ? publicPath.slice(0, -PUBLIC_SUFFIX.length) + PRIVATE_SUFFIX : undefined;
}

/**
 * Generates the pair a definition names (as the CLI and the Test Explorer do on
 * first use: 2048-bit RSA, private key 0600). Returns the private key file.
 */
export async function generateDefinitionPair(def: LoadedDefinition, missing: MissingKeyFile): Promise<vscode.Uri> {
  const privatePath = privateHalfOf(missing.path);
  const written = privatePath ? await ensureKeyPair(privatePath, def) : [];
  if (!privatePath || !written.length) {
    throw new AuthzError(
      'KEY_PAIR_NOT_GENERATED',
      `The key pair for "${missing.name}" was not generated: ${privatePath && fs.existsSync(privatePath) ? `${privatePath} exists without its public half` : `${missing.path} is not named <name>.public.pem`}.`,
      'Generate a pair with IoT Authorizer: Generate Signing Key Pair, or pick an existing workspace key for the definition.',
    );
  }
  return vscode.Uri.file(privatePath);
}

/**
 * Points the definition's key entry `keyName` at a workspace key's public file
 * (relative to the definition, as definitions write paths), through the editor
 * so an open copy of the definition follows, and saves it.
 */
export async function pointDefinitionAt(defUri: vscode.Uri, keyName: string, pair: WorkspaceKeyPair): Promise<void> {
  if (!pair.publicFile) throw new AuthzError('KEY_NO_PUBLIC_HALF', `${pair.name} has no public key file in the workspace.`, 'Pick a key pair whose public half is in the workspace.');
  const doc = await vscode.workspace.openTextDocument(defUri);
  const text = doc.getText();
  const rel = relativePosix(path.dirname(defUri.fsPath), pair.publicFile.fsPath);
  const entry = (parseJsonc(text) as { tokenSigningPublicKeys?: Record<string, unknown> } | undefined)?.tokenSigningPublicKeys?.[keyName];
  const target = entry && typeof entry === 'object' ? ['tokenSigningPublicKeys', keyName, 'path'] : ['tokenSigningPublicKeys', keyName];
  let next = applyEdits(text, modify(text, target, rel, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  // A key of the workspace is not generated on first use any more.
  if (entry && typeof entry === 'object' && 'generateOnFirstUse' in entry) next = applyEdits(next, modify(next, ['tokenSigningPublicKeys', keyName, 'generateOnFirstUse'], undefined, {}));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(defUri, new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), next);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await doc.save())) {
    throw new AuthzError('DEFINITION_NOT_UPDATED', `${vscode.workspace.asRelativePath(defUri, false)} could not be updated.`, `Set "${keyName}" to "${rel}" by hand.`);
  }
}
