import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { markWalkthroughStep } from '../../walkthrough/progress';
import { AuthzError } from '../../../core/errors';
import { DEFAULT_KEY_SIZE, generateKeyPair, KEY_SIZES, keyPairPaths, validateKeyName, writeKeyPair } from '../../../core/keys';
import { KeysFeature } from '../feature';

export interface GenerateKeyPairArgs {
  /** Key name: files become <name>.private.pem and <name>.public.pem. */
  name?: string;
  /** Absolute, or relative to the first workspace folder. */
  folder?: string;
  bits?: number;
  /** '' for no passphrase. */
  passphrase?: string;
  rememberPassphrase?: boolean;
  /** true replaces existing files; otherwise the user is asked. */
  overwrite?: boolean;
}

export interface GenerateKeyPairResult {
  privateKeyPath: string;
  publicKeyPath: string;
  fingerprint: string;
  bits: number;
  encrypted: boolean;
}

function workspaceRoot(): string | undefined {
  const f = vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
}

function nameError(v: string): string | undefined {
  try {
    validateKeyName(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export async function generateKeyPairCommand(f: KeysFeature, args: GenerateKeyPairArgs = {}): Promise<GenerateKeyPairResult | undefined> {
  const { prompts } = f.services;
  const config = vscode.workspace.getConfiguration('iotAuthz.keys');

  const name =
    args.name ??
    (await prompts.inputBox({
      title: 'Generate Signing Key Pair (1/4): name',
      prompt: 'Files are written as <name>.private.pem and <name>.public.pem',
      value: 'token-signing',
      ignoreFocusOut: true,
      validateInput: nameError,
    }));
  if (!name) return undefined;
  validateKeyName(name);

  const root = workspaceRoot();
  let folder = args.folder;
  if (folder === undefined) {
    const defaultFolder = config.get<string>('defaultFolder') || 'keys';
    type Item = vscode.QuickPickItem & { folder?: string };
    const items: Item[] = [];
    if (root) items.push({ label: `$(folder) ${defaultFolder}/`, description: 'in this workspace (iotAuthz.keys.defaultFolder)', folder: path.join(root, defaultFolder) });
    items.push({ label: '$(folder-opened) Choose a folder…' });
    const picked = await prompts.quickPick(items, { title: 'Generate Signing Key Pair (2/4): folder', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.folder) folder = picked.folder;
    else {
      const dirs = await prompts.openDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Write keys here' });
      if (!dirs?.[0]) return undefined;
      folder = dirs[0].fsPath;
    }
  }
  if (!path.isAbsolute(folder)) {
    if (!root) throw new AuthzError('NO_WORKSPACE', `The folder '${folder}' is relative but no workspace folder is open.`, 'Open a folder, or give an absolute folder.');
    folder = path.join(root, folder);
  }

  let bits = args.bits;
  if (bits === undefined) {
    const preferred = config.get<number>('defaultBits') ?? DEFAULT_KEY_SIZE;
    const items = KEY_SIZES.map((b) => ({
      label: `RSA ${b}`,
      description: b === DEFAULT_KEY_SIZE ? 'AWS minimum, fastest to verify' : b === 4096 ? 'strongest, slower to generate' : '',
      bits: b,
    })).sort((a, b) => (a.bits === preferred ? -1 : b.bits === preferred ? 1 : 0));
    const picked = await prompts.quickPick(items, { title: 'Generate Signing Key Pair (3/4): key size', ignoreFocusOut: true });
    if (!picked) return undefined;
    bits = picked.bits;
  }

  let passphrase = args.passphrase;
  let remember = args.rememberPassphrase ?? false;
  if (passphrase === undefined) {
    const entered = await prompts.inputBox({
      title: 'Generate Signing Key Pair (4/4): passphrase (optional)',
      prompt: 'Encrypts the private key (PKCS#8). Leave empty for an unencrypted key.',
      password: true,
      ignoreFocusOut: true,
    });
    if (entered === undefined) return undefined;
    passphrase = entered;
    if (passphrase) {
      const again = await prompts.inputBox({ title: 'Confirm the passphrase', password: true, ignoreFocusOut: true });
      if (again === undefined) return undefined;
      if (again !== passphrase) throw new AuthzError('PASSPHRASE_MISMATCH', 'The two passphrases differ; no key was generated.', 'Run the command again.');
      const choice = await prompts.quickPick([{ label: 'Remember in VS Code secret storage' }, { label: "Don't remember" }], {
        title: 'Remember the passphrase?',
        placeHolder: 'Kept in the OS keychain through VS Code, never in settings',
      });
      remember = !!choice?.label.startsWith('Remember');
    }
  }

  const paths = keyPairPaths(folder, name);
  let overwrite = args.overwrite === true;
  const existing = [paths.privateKeyPath, paths.publicKeyPath].filter((p) => fs.existsSync(p));
  if (existing.length && !overwrite) {
    const choice = await prompts.confirm(
      `${existing.map((p) => path.basename(p)).join(' and ')} already exist${existing.length === 1 ? 's' : ''}.`,
      'Overwriting replaces the key for good: devices and authorizers using it stop working.',
      'Overwrite',
    );
    if (choice !== 'Overwrite') {
      void prompts.info('No key was generated: the existing files were kept.');
      return undefined;
    }
    overwrite = true;
  }

  const pair = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Generating a ${bits}-bit RSA key pair…`, cancellable: true },
    async (_progress, token) => {
      const generated = await generateKeyPair({ bits, passphrase: passphrase || undefined });
      return token.isCancellationRequested ? undefined : generated;
    },
  );
  if (!pair) return undefined;
  writeKeyPair(folder, name, pair, { overwrite });
  const privateUri = vscode.Uri.file(paths.privateKeyPath);
  if (passphrase && remember) await f.passphrases.store(privateUri, passphrase);
  f.services.log.info(`Generated ${bits}-bit key pair ${paths.publicKeyPath} (private key mode 0600), SHA-256 ${pair.fingerprint.hex}`);
  f.keys.invalidate();

  void prompts
    .info(`Key pair '${name}' written (${bits}-bit${pair.encrypted ? ', encrypted' : ''}). SHA-256 fingerprint ${pair.fingerprint.hex}`, 'Open Public Key', 'Sign Token')
    .then(async (choice) => {
      if (choice === 'Open Public Key') await vscode.window.showTextDocument(vscode.Uri.file(paths.publicKeyPath));
      if (choice === 'Sign Token') await vscode.commands.executeCommand('iotAuthz.signToken', { keyPath: paths.privateKeyPath });
    });
  markWalkthroughStep('keyPairGenerated');
  return { ...paths, fingerprint: pair.fingerprint.hex, bits: pair.bits, encrypted: pair.encrypted };
}
