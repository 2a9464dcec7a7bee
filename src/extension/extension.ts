import * as vscode from 'vscode';
import { registerKeys } from './keys/activation';
import { KeysFeature } from './keys/feature';
import { registerAuthoring } from './authoring/activation';
import { registerEmulator } from './emulator/activation';
import { registerAws } from './aws/activation';
import { createServices, Services } from './services';
import { registerResultsPanel } from './panels/activation';
import type { ResultsPanelService } from './panels/resultsPanel';

/** The API returned from activate(): used by integration tests, never by users. */
export interface ExtensionApi {
  services: Services;
  keys: KeysFeature;
  /** The results webview panel (emulator and AWS features show results through it). */
  results: ResultsPanelService;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const services = createServices(context);
  const results = registerResultsPanel(context, services);
  const keys = registerKeys(context, services);
  registerAuthoring(context, services);
  registerEmulator(context, services);
  registerAws(context, services);
  return { services, keys, results };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
