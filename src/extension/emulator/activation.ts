import * as vscode from 'vscode';
import { Services } from '../services';

/** Registers the emulator feature's commands, views and providers. */
export function registerEmulator(_context: vscode.ExtensionContext, _services: Services): void {
  // Filled in by the emulator feature.
}
