import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuthzError } from '../../core/errors';
import { loadPrivateKey, loadPublicKey, readInputFile, RsaPrivateKey, RsaPublicKey } from '../../core/keys';
import { Prompts } from '../prompts';
import { PassphraseStore } from './passphrases';
import { WorkspaceKeyPair, WorkspaceKeys } from './workspaceKeys';

export interface LoadedPrivateKey {
  file: vscode.Uri;
  key: RsaPrivateKey;
}

const BROWSE = '$(folder-opened) Browse for a key file…';

/** A label for a key in pickers and messages: the workspace-relative path. */
export function displayPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

function describePair(p: WorkspaceKeyPair): string {
  const parts = [p.bits ? `${p.bits}-bit` : undefined, p.encrypted ? 'encrypted' : undefined, p.fingerprint ? p.fingerprint.hex.slice(0, 23) + '…' : undefined];
  return parts.filter(Boolean).join(' · ');
}

/**
 * Asks for a private key: the workspace's signing keys first, then a file.
 * Returns undefined when the user cancels.
 */
export async function pickPrivateKeyFile(prompts: Prompts, keys: WorkspaceKeys, title: string): Promise<vscode.Uri | undefined> {
  const pairs = (await keys.list()).filter((p) => p.privateFile && !p.problem);
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = pairs.map((p) => ({ label: `$(key) ${p.name}`, description: describePair(p), detail: displayPath(p.privateFile!), uri: p.privateFile }));
  items.push({ label: BROWSE });
  const picked = await prompts.quickPick(items, { title, placeHolder: pairs.length ? 'Choose the private key that signs the token' : 'No signing keys in this workspace yet: browse for one, or run Generate Signing Key Pair', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const files = await prompts.openDialog({ title, canSelectMany: false, openLabel: 'Use this key', filters: { 'PEM keys': ['pem', 'key'], 'All files': ['*'] } });
  return files?.[0];
}

/**
 * Asks for public keys (or private keys, whose public half is used), several
 * allowed: the authorizer may have more than one.
 */
export async function pickPublicKeyFiles(prompts: Prompts, keys: WorkspaceKeys, title: string): Promise<vscode.Uri[] | undefined> {
  const pairs = (await keys.list()).filter((p) => (p.publicFile || p.privateFile) && !p.problem);
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = pairs.map((p) => {
    const uri = p.publicFile ?? p.privateFile!;
    return { label: `$(key) ${p.name}`, description: describePair(p), detail: displayPath(uri), uri, picked: pairs.length === 1 };
  });
  if (items.length === 0) {
    const files = await prompts.openDialog({ title, canSelectMany: true, openLabel: 'Verify with these keys', filters: { 'PEM keys': ['pem', 'key', 'pub', 'crt'], 'All files': ['*'] } });
    return files?.length ? files : undefined;
  }
  const picked = (await prompts.quickPick(items, { title, canPickMany: true, placeHolder: "Choose the authorizer's token signing public key(s)", ignoreFocusOut: true })) as unknown as Item[] | Item | undefined;
  const list = Array.isArray(picked) ? picked : picked ? [picked] : [];
  const uris = list.map((i) => i.uri).filter((u): u is vscode.Uri => !!u);
  return uris.length ? uris : undefined;
}

async function readText(uri: vscode.Uri, what: string): Promise<string> {
  if (uri.scheme === 'file') return readInputFile(uri.fsPath, what).toString('utf8');
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > 1024 * 1024) throw new AuthzError('FILE_TOO_LARGE', `${displayPath(uri)} is ${stat.size} bytes: too large to be a ${what}.`, 'Choose the PEM key file itself.');
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/**
 * Loads a private key, asking for its passphrase when it is encrypted (the
 * stored one first). Offers to remember a passphrase that worked.
 */
export async function loadPrivateKeyFile(
  uri: vscode.Uri,
  prompts: Prompts,
  passphrases: PassphraseStore,
  given?: { passphrase?: string },
): Promise<LoadedPrivateKey | undefined> {
  const text = await readText(uri, 'private key');
  let passphrase = given?.passphrase ?? (await passphrases.get(uri));
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return { file: uri, key: loadPrivateKey(text, { passphrase }) };
    } catch (e) {
      const code = e instanceof AuthzError ? e.code : '';
      if (code !== 'KEY_PASSPHRASE_REQUIRED' && code !== 'KEY_PASSPHRASE_WRONG') throw e;
      if (given?.passphrase !== undefined) throw e;
      const asked = await prompts.inputBox({
        title: `Passphrase for ${path.basename(uri.path)}`,
        prompt: code === 'KEY_PASSPHRASE_WRONG' ? 'That passphrase did not decrypt the key. Try again.' : 'This private key is encrypted.',
        password: true,
        ignoreFocusOut: true,
      });
      if (asked === undefined) return undefined;
      passphrase = asked;
      try {
        const key = loadPrivateKey(text, { passphrase });
        const remember = await prompts.quickPick(
          [{ label: 'Remember in VS Code secret storage' }, { label: "Don't remember" }],
          { title: 'Remember this passphrase?', placeHolder: 'Kept in the OS keychain through VS Code, never in settings' },
        );
        if (remember?.label.startsWith('Remember')) await passphrases.store(uri, passphrase);
        return { file: uri, key };
      } catch (e2) {
        if (!(e2 instanceof AuthzError && e2.code === 'KEY_PASSPHRASE_WRONG')) throw e2;
        await passphrases.delete(uri);
      }
    }
  }
  throw new AuthzError('KEY_PASSPHRASE_WRONG', `Three passphrases did not decrypt ${displayPath(uri)}.`, 'Check the passphrase and try again.');
}

/** Loads the public key of a file holding a public key, a certificate or a private key. */
export async function loadPublicKeyFile(uri: vscode.Uri, prompts: Prompts, passphrases: PassphraseStore): Promise<RsaPublicKey | undefined> {
  const text = await readText(uri, 'public key');
  try {
    return loadPublicKey(text);
  } catch (e) {
    if (e instanceof AuthzError && e.code === 'KEY_PASSPHRASE_REQUIRED') {
      const loaded = await loadPrivateKeyFile(uri, prompts, passphrases);
      return loaded && { key: loaded.key.publicKey, bits: loaded.key.bits, fingerprint: loaded.key.fingerprint, source: 'private' };
    }
    throw e;
  }
}
