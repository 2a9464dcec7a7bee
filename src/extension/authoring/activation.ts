import * as vscode from 'vscode';
import { Services } from '../services';

/** Registers the authoring feature's commands, views and providers. */
export function registerAuthoring(_context: vscode.ExtensionContext, _services: Services): void {
  // Filled in by the authoring feature.
}
