import * as path from 'node:path';
import * as vscode from 'vscode';
import { RsaPublicKey } from '../../../core/keys';
import { NamedKey, VerifyResult, verifyToken } from '../../../core/tokens';
import { copyToClipboard } from '../../commandRunner';
import { KeysFeature } from '../feature';
import { displayPath, loadPublicKeyFile, pickPublicKeyFiles } from '../keyLoader';
import { KeyPairNode } from '../explorer/keyPairNode';

export interface VerifySignatureArgs {
  /** The authorizer's public keys (or private keys): absolute paths or URIs. */
  keyPaths?: (string | vscode.Uri)[];
  token?: string;
  signature?: string;
  /** Show the verdict as a notification (default true). */
  showResult?: boolean;
}

function toUri(p: string | vscode.Uri): vscode.Uri {
  return typeof p === 'string' ? vscode.Uri.file(p) : p;
}

export async function verifySignatureCommand(f: KeysFeature, arg?: VerifySignatureArgs | KeyPairNode): Promise<VerifyResult | undefined> {
  const { prompts } = f.services;
  const args: VerifySignatureArgs = arg instanceof KeyPairNode ? { keyPaths: [arg.pair.publicFile ?? arg.pair.privateFile!] } : (arg ?? {});
  const files = args.keyPaths?.map(toUri) ?? (await pickPublicKeyFiles(prompts, f.keys, 'Verify Token Signature: public key(s)'));
  if (!files?.length) return undefined;

  const keys: (NamedKey & { key: RsaPublicKey })[] = [];
  for (const file of files) {
    const key = await loadPublicKeyFile(file, prompts, f.passphrases);
    if (!key) return undefined;
    keys.push({ name: displayPath(file), key });
  }
  // Other workspace keys only explain a failure ("signed with key X"); they never make it valid.
  const chosen = new Set(keys.map((k) => k.key.fingerprint.hex));
  const otherKeys: NamedKey[] = [];
  for (const pair of await f.keys.list()) {
    if (!pair.fingerprint || chosen.has(pair.fingerprint.hex) || pair.problem || pair.encrypted) continue;
    const file = pair.publicFile ?? pair.privateFile;
    if (!file) continue;
    try {
      const key = await loadPublicKeyFile(file, prompts, f.passphrases);
      if (key) otherKeys.push({ name: displayPath(file), key });
    } catch {
      // An unreadable neighbour key is simply not considered.
    }
  }

  const token =
    args.token ??
    (await prompts.inputBox({
      title: 'Verify Token Signature: token',
      prompt: 'The token exactly as the device sends it',
      ignoreFocusOut: true,
      validateInput: (v) => (v.length === 0 ? 'Enter the token.' : undefined),
    }));
  if (token === undefined) return undefined;
  const signature =
    args.signature ??
    (await prompts.inputBox({
      title: 'Verify Token Signature: signature',
      prompt: 'The signature as the device sends it (base64)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.length === 0 ? 'Enter the signature.' : undefined),
    }));
  if (signature === undefined) return undefined;

  const result = verifyToken(keys, token, signature, { otherKeys });
  f.services.log.info(`Verified a signature against ${keys.map((k) => k.name).join(', ')}: ${result.valid ? 'valid' : `invalid (${result.diagnosis.map((d) => d.code).join(', ')})`}`);
  if (args.showResult !== false) void presentVerifyResult(f, result, keys);
  return result;
}

async function presentVerifyResult(f: KeysFeature, result: VerifyResult, keys: (NamedKey & { key: RsaPublicKey })[]): Promise<void> {
  const { prompts } = f.services;
  if (result.valid) {
    await prompts.info(`Signature valid: it verifies with ${result.matchedKey}. AWS IoT would accept it with this key.`);
    return;
  }
  const first = result.diagnosis[0];
  const actions = ['Show Details', ...(result.correctedSignature ? ['Copy Corrected Signature'] : [])];
  const choice = await prompts.warn(`Signature invalid: ${first?.message ?? 'it does not verify with the given key(s).'}`, ...actions);
  if (choice === 'Copy Corrected Signature' && result.correctedSignature) {
    await copyToClipboard(f.services, result.correctedSignature, 'the corrected signature');
  } else if (choice === 'Show Details') {
    const lines = [
      '# Signature verification',
      '',
      `Keys: ${keys.map((k) => `${path.basename(k.name)} (SHA-256 ${k.key.fingerprint.hex})`).join(', ')}`,
      '',
      '**Invalid.** Likely causes, most likely first:',
      '',
      ...result.diagnosis.map((d) => `- \`${d.code}\`: ${d.message}${d.correctedSignature ? `\n  Corrected signature: \`${d.correctedSignature}\`` : ''}`),
    ];
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') + '\n' });
    await vscode.window.showTextDocument(doc);
  }
}
