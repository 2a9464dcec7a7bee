import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import { publicKeyPem } from '../../../core/keys';
import { copyToClipboard } from '../../commandRunner';
import { KeysFeature } from '../feature';
import { KeyPairNode } from '../explorer/keyPairNode';
import { loadPublicKeyFile } from '../keyLoader';

// The small context-menu commands of a key pair node share this file: each is a few lines.

function requireNode(node: unknown): KeyPairNode {
  if (node instanceof KeyPairNode) return node;
  throw new AuthzError('NO_KEY_SELECTED', 'This command acts on a key in the Authorizer Explorer.', 'Right-click a key under Workspace keys.');
}

/** Copies the SPKI PEM (derived from the private key when no public file exists); returns it. */
export async function copyPublicKeyCommand(f: KeysFeature, node: unknown): Promise<string | undefined> {
  const { pair } = requireNode(node);
  const file = pair.publicFile ?? pair.privateFile!;
  const key = await loadPublicKeyFile(file, f.services.prompts, f.passphrases);
  if (!key) return undefined;
  const pem = publicKeyPem(key);
  await copyToClipboard(f.services, pem, `the public key of '${pair.name}'`);
  return pem;
}

export async function copyFingerprintCommand(f: KeysFeature, node: unknown): Promise<string | undefined> {
  const { pair } = requireNode(node);
  if (!pair.fingerprint) throw new AuthzError('FINGERPRINT_UNKNOWN', `The fingerprint of '${pair.name}' is unknown: its only half is an encrypted private key.`, 'Add its public key file beside it.');
  await copyToClipboard(f.services, pair.fingerprint.hex, `the SHA-256 fingerprint of '${pair.name}'`);
  return pair.fingerprint.hex;
}

export async function revealKeyCommand(_f: KeysFeature, node: unknown): Promise<void> {
  const { pair } = requireNode(node);
  await vscode.commands.executeCommand('revealInExplorer', pair.privateFile ?? pair.publicFile);
}

export async function forgetPassphraseCommand(f: KeysFeature, node: unknown): Promise<void> {
  const { pair } = requireNode(node);
  if (!pair.privateFile) return;
  await f.passphrases.delete(pair.privateFile);
  void f.services.prompts.info(`The stored passphrase of '${pair.name}' was removed.`);
}
