import * as vscode from 'vscode';
import { AuthzError } from '../../core/errors';
import { JwtSigningKey, JwtVerifyKey, loadJwtSigningKey, loadJwtVerifyKey } from '../../core/jwt';
import { readInputFile } from '../../core/keys';
import { displayPath } from '../keys/keyLoader';
import { KeysFeature } from '../keys/feature';
import { WorkspaceKeyPair } from '../keys/workspaceKeys';

type Item = vscode.QuickPickItem & { uri?: vscode.Uri };

const BROWSE = '$(folder-opened) Browse for a key file…';

/** Workspace pairs usable for JWTs: RSA keys AWS accepts, and EC keys (ES256), which AWS refuses only for IoT token signing. */
function jwtPairs(pairs: WorkspaceKeyPair[]): WorkspaceKeyPair[] {
  return pairs.filter((p) => !p.problem || /\bEC key\b/.test(p.problem));
}

function describe(p: WorkspaceKeyPair): string {
  return [p.bits ? `RSA ${p.bits}-bit: RS256` : 'EC: ES256', p.encrypted ? 'encrypted' : undefined].filter(Boolean).join(' · ');
}

/** Asks for the private key that signs a test JWT: workspace keys first, then a file. */
export async function pickJwtSigningKey(f: KeysFeature, title: string): Promise<vscode.Uri | undefined> {
  const pairs = jwtPairs(await f.keys.list()).filter((p) => p.privateFile);
  const items: Item[] = pairs.map((p) => ({ label: `$(key) ${p.name}`, description: describe(p), detail: displayPath(p.privateFile!), uri: p.privateFile }));
  items.push({ label: BROWSE });
  const picked = await f.services.prompts.quickPick(items, { title, placeHolder: 'Choose the private key that signs the JWT (RSA: RS256, P-256 EC: ES256)', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const files = await f.services.prompts.openDialog({ title, canSelectMany: false, openLabel: 'Sign with this key', filters: { 'PEM keys': ['pem', 'key'], 'All files': ['*'] } });
  return files?.[0];
}

/** Asks for the public keys of a JWKS (several allowed). */
export async function pickJwtPublicKeys(f: KeysFeature, title: string): Promise<vscode.Uri[] | undefined> {
  const pairs = jwtPairs(await f.keys.list()).filter((p) => p.publicFile || p.privateFile);
  if (pairs.length === 0) {
    const files = await f.services.prompts.openDialog({ title, canSelectMany: true, openLabel: 'Publish these keys', filters: { 'PEM keys': ['pem', 'pub', 'crt'], 'All files': ['*'] } });
    return files?.length ? files : undefined;
  }
  const items: Item[] = pairs.map((p) => {
    const uri = p.publicFile ?? p.privateFile!;
    return { label: `$(key) ${p.name}`, description: describe(p), detail: displayPath(uri), uri, picked: pairs.length === 1 };
  });
  const picked = (await f.services.prompts.quickPick(items, { title, canPickMany: true, placeHolder: 'Choose the public keys to publish (only public parts are written)', ignoreFocusOut: true })) as unknown as Item[] | Item | undefined;
  const list = Array.isArray(picked) ? picked : picked ? [picked] : [];
  const uris = list.map((i) => i.uri).filter((u): u is vscode.Uri => !!u);
  return uris.length ? uris : undefined;
}

async function readKey(uri: vscode.Uri): Promise<string> {
  if (uri.scheme === 'file') return readInputFile(uri.fsPath, 'key').toString('utf8');
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** Loads a JWT signing key, asking for the passphrase of an encrypted one (never stored here). */
export async function loadJwtSigningKeyFile(f: KeysFeature, uri: vscode.Uri, passphrase?: string): Promise<JwtSigningKey | undefined> {
  const text = await readKey(uri);
  try {
    return loadJwtSigningKey(text, { passphrase: passphrase ?? (await f.passphrases.get(uri)) });
  } catch (e) {
    if (!(e instanceof AuthzError) || !['KEY_PASSPHRASE_REQUIRED', 'KEY_PASSPHRASE_WRONG'].includes(e.code) || passphrase !== undefined) throw e;
  }
  const asked = await f.services.prompts.inputBox({ title: `Passphrase for ${displayPath(uri)}`, prompt: 'This private key is encrypted.', password: true, ignoreFocusOut: true });
  if (asked === undefined) return undefined;
  return loadJwtSigningKey(text, { passphrase: asked });
}

/** Loads the public key of a public key, certificate or private key file. */
export async function loadJwtPublicKeyFile(f: KeysFeature, uri: vscode.Uri): Promise<JwtVerifyKey | undefined> {
  const text = await readKey(uri);
  try {
    return loadJwtVerifyKey(text);
  } catch (e) {
    if (!(e instanceof AuthzError) || e.code !== 'KEY_PASSPHRASE_REQUIRED') throw e;
  }
  const key = await loadJwtSigningKeyFile(f, uri);
  return key && { key: key.publicKey, alg: key.alg, fingerprint: key.fingerprint };
}
