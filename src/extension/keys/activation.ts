import * as vscode from 'vscode';
import { Services } from '../services';

/** Registers the keys feature's commands, views and providers. */
export function registerKeys(_context: vscode.ExtensionContext, _services: Services): void {
  // Filled in by the keys feature.
}
