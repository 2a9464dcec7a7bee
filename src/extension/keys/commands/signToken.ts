import * as vscode from 'vscode';
import { markWalkthroughStep } from '../../walkthrough/progress';
import { AuthzError } from '../../../core/errors';
import { inspectToken, signToken, urlEncodeSignature } from '../../../core/tokens';
import { KeysFeature } from '../feature';
import { displayPath, loadPrivateKeyFile, pickPrivateKeyFile } from '../keyLoader';
import { showSignResult, SignedToken } from '../signResult';

export interface SignTokenArgs {
  /** Private key file: absolute path or URI. */
  keyPath?: string | vscode.Uri;
  token?: string;
  passphrase?: string;
  /** What to do with a token that has surrounding whitespace, instead of asking. */
  onWhitespace?: 'sign' | 'trim' | 'cancel';
  /** Show the copy actions (default true; tests pass false). */
  showResult?: boolean;
  endpoint?: string;
}

function toUri(p: string | vscode.Uri): vscode.Uri {
  return typeof p === 'string' ? vscode.Uri.file(p) : p;
}

/** The selection of the active editor, as the token's default. */
function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const text = editor.document.getText(editor.selection);
  return text.length <= 4096 ? text : undefined;
}

export async function signTokenCommand(f: KeysFeature, args: SignTokenArgs = {}): Promise<SignedToken | undefined> {
  const { prompts } = f.services;
  const file = args.keyPath ? toUri(args.keyPath) : await pickPrivateKeyFile(prompts, f.keys, 'Sign Token: private key');
  if (!file) return undefined;
  const loaded = await loadPrivateKeyFile(file, prompts, f.passphrases, args.passphrase !== undefined ? { passphrase: args.passphrase } : undefined);
  if (!loaded) return undefined;

  let token =
    args.token ??
    (await prompts.inputBox({
      title: `Sign Token with ${displayPath(file)}`,
      prompt: 'The token exactly as the device sends it (its UTF-8 bytes are signed)',
      value: selectedText(),
      ignoreFocusOut: true,
      validateInput: (v) => (v.length === 0 ? 'Enter the token to sign.' : undefined),
    }));
  if (token === undefined) return undefined;
  if (token.length === 0) throw new AuthzError('TOKEN_EMPTY', 'The token is empty; nothing was signed.', 'Enter the token the device sends.');

  const warnings = inspectToken(token);
  if (warnings.length) {
    let choice = args.onWhitespace;
    if (!choice) {
      const answer = await prompts.confirm(
        'The token has whitespace that devices rarely send.',
        `${warnings.map((w) => w.message).join('\n')}\n\nThe signature covers these characters too, so it only verifies if the device sends them exactly.`,
        'Trim and Sign',
        'Sign As Is',
      );
      choice = answer === 'Trim and Sign' ? 'trim' : answer === 'Sign As Is' ? 'sign' : 'cancel';
    }
    if (choice === 'cancel') return undefined;
    if (choice === 'trim') token = token.trim();
  }

  const signature = signToken(loaded.key, token);
  const signed: SignedToken = {
    token,
    signature,
    signatureUrlEncoded: urlEncodeSignature(signature),
    keyFile: displayPath(file),
    keyFingerprint: loaded.key.fingerprint.hex,
  };
  // The token may be a credential: the log records only its length and the key used.
  f.services.log.info(`Signed a ${Buffer.byteLength(token)}-byte token with ${signed.keyFile} (SHA-256 ${signed.keyFingerprint})`);
  markWalkthroughStep('tokenSigned');
  if (args.showResult !== false) void showSignResult(f, signed, args.endpoint);
  return signed;
}
