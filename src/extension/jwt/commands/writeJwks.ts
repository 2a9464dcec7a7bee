import * as vscode from 'vscode';
import { buildJwks, defaultKid, Jwks } from '../../../core/jwt';
import { KeysFeature } from '../../keys/feature';
import { displayPath } from '../../keys/keyLoader';
import { loadJwtPublicKeyFile, pickJwtPublicKeys } from '../jwtKeys';

export interface WriteJwksArgs {
  /** Public (or private) key files: absolute paths or URIs. */
  keyPaths?: Array<string | vscode.Uri>;
  /** One kid per key, in order; default each key's JWK thumbprint (asked when not given). */
  kids?: string[];
  /** Where to write; absolute, or relative to the first workspace folder. */
  out?: string | vscode.Uri;
  /** Open the written file (default true; tests pass false). */
  open?: boolean;
}

export interface WriteJwksResult {
  path: string;
  jwks: Jwks;
}

function toUri(p: string | vscode.Uri): vscode.Uri {
  if (typeof p !== 'string') return p;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return p.startsWith('/') || !root ? vscode.Uri.file(p) : vscode.Uri.joinPath(root, p);
}

/** Write JWKS…: the public keys as a JSON Web Key Set file, so a handler and its tests use the same keys. */
export async function writeJwksCommand(f: KeysFeature, args: WriteJwksArgs = {}): Promise<WriteJwksResult | undefined> {
  const { prompts } = f.services;
  const files = args.keyPaths ? args.keyPaths.map(toUri) : await pickJwtPublicKeys(f, 'Write JWKS: public keys');
  if (!files?.length) return undefined;
  const entries = [];
  for (const [i, file] of files.entries()) {
    const key = await loadJwtPublicKeyFile(f, file);
    if (!key) return undefined;
    const kid =
      args.kids?.[i] ??
      (args.keyPaths
        ? undefined
        : await prompts.inputBox({
            title: `Write JWKS: kid of ${displayPath(file)}`,
            prompt: "The key id handlers look up (JWTs name it in their header); default the key's JWK thumbprint",
            value: await defaultKid(key.key),
            ignoreFocusOut: true,
          }));
    if (kid === undefined && !args.keyPaths) return undefined;
    entries.push({ key: key.key, kid: kid || undefined });
  }
  const jwks = await buildJwks(entries);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = args.out
    ? toUri(args.out)
    : await prompts.saveDialog({ title: 'Write JWKS', saveLabel: 'Write JWKS', defaultUri: root ? vscode.Uri.joinPath(root, 'jwks.json') : undefined, filters: { JSON: ['json'] } });
  if (!target) return undefined;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(jwks, null, 2)}\n`));
  f.services.log.info(`Wrote ${displayPath(target)}: ${jwks.keys.length} public key(s), kid ${jwks.keys.map((k) => k.kid).join(', ')}`);
  if (args.open !== false) await vscode.window.showTextDocument(target, { preview: false });
  return { path: target.fsPath, jwks };
}
