import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import { Services } from '../services';
import { generateKeyPairCommand, GenerateKeyPairArgs } from './commands/generateKeyPair';
import { copyFingerprintCommand, copyPublicKeyCommand, forgetPassphraseCommand, revealKeyCommand } from './commands/keyNodeCommands';
import { signTokenCommand, SignTokenArgs } from './commands/signToken';
import { signTokensForDevicesCommand, SignTokensForDevicesArgs } from './commands/signTokensForDevices';
import { verifySignatureCommand, VerifySignatureArgs } from './commands/verifySignature';
import { KeyPairNode } from './explorer/keyPairNode';
import { KeysSection } from './explorer/keysSection';
import { KeysFeature } from './feature';
import { PassphraseStore } from './passphrases';
import { WorkspaceKeys } from './workspaceKeys';

/** Registers key generation, token signing and verification, and the Workspace keys node. */
export function registerKeys(context: vscode.ExtensionContext, services: Services): KeysFeature {
  const keys = new WorkspaceKeys(services.log);
  context.subscriptions.push(keys);
  const f: KeysFeature = { services, keys, passphrases: new PassphraseStore(context.secrets) };
  services.explorer.addSection(new KeysSection(keys));

  registerCommand(services, 'iotAuthz.generateKeyPair', (args?: GenerateKeyPairArgs) => generateKeyPairCommand(f, isArgs(args) ? args : {}));
  registerCommand(services, 'iotAuthz.signToken', (args?: SignTokenArgs | KeyPairNode) =>
    signTokenCommand(f, args instanceof KeyPairNode ? { keyPath: args.pair.privateFile } : isArgs(args) ? args : {}),
  );
  registerCommand(services, 'iotAuthz.signTokensForDevices', (args?: SignTokensForDevicesArgs | vscode.Uri) =>
    signTokensForDevicesCommand(f, args instanceof vscode.Uri ? { input: args } : isArgs(args) ? args : {}),
  );
  registerCommand(services, 'iotAuthz.keys.signWithKey', (node: KeyPairNode) => signTokenCommand(f, { keyPath: node?.pair?.privateFile }));
  registerCommand(services, 'iotAuthz.verifySignature', (args?: VerifySignatureArgs | KeyPairNode) => verifySignatureCommand(f, args instanceof KeyPairNode || isArgs(args) ? args : undefined));
  registerCommand(services, 'iotAuthz.keys.copyPublicKey', (node: unknown) => copyPublicKeyCommand(f, node));
  registerCommand(services, 'iotAuthz.keys.copyFingerprint', (node: unknown) => copyFingerprintCommand(f, node));
  registerCommand(services, 'iotAuthz.keys.reveal', (node: unknown) => revealKeyCommand(f, node));
  registerCommand(services, 'iotAuthz.keys.forgetPassphrase', (node: unknown) => forgetPassphraseCommand(f, node));
  registerCommand(services, 'iotAuthz.explorer.refresh', async () => {
    await keys.refresh();
    await Promise.all(services.explorer.getSections().map((s) => s.reload?.()));
    services.explorer.refresh();
  });
  registerCommand(services, 'iotAuthz.showLog', () => services.log.show());
  return f;
}

/**
 * Menus pass a Uri or a tree node as the first argument; only plain objects
 * are argument objects.
 */
function isArgs<T extends object>(a: unknown): a is T {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}
