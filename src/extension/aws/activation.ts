import * as vscode from 'vscode';
import { Services } from '../services';

/** Registers the aws feature's commands, views and providers. */
export function registerAws(_context: vscode.ExtensionContext, _services: Services): void {
  // Filled in by the aws feature.
}
