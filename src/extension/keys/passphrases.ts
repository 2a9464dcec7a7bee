import * as vscode from 'vscode';

/**
 * Passphrases of encrypted private keys, kept only in VS Code's SecretStorage
 * (the OS keychain on desktop), keyed by the key file's URI. Never in
 * settings, workspace state or logs.
 */
export class PassphraseStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(file: vscode.Uri): string {
    return `iotAuthz.passphrase:${file.toString()}`;
  }

  get(file: vscode.Uri): Thenable<string | undefined> {
    return this.secrets.get(this.key(file));
  }

  store(file: vscode.Uri, passphrase: string): Thenable<void> {
    return this.secrets.store(this.key(file), passphrase);
  }

  delete(file: vscode.Uri): Thenable<void> {
    return this.secrets.delete(this.key(file));
  }
}
