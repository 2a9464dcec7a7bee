import * as vscode from 'vscode';
import { registerKeys } from './keys/activation';
import { KeysFeature } from './keys/feature';
import { registerAuthoring } from './authoring/activation';
import { registerEmulator } from './emulator/activation';
import type { EmulatorFeature } from './emulator/feature';
import { registerAws } from './aws/activation';
import type { AwsFeature } from './aws/feature';
import { createServices, Services } from './services';
import { registerResultsPanel } from './panels/activation';
import type { ResultsPanelService } from './panels/resultsPanel';

/** The API returned from activate(): used by integration tests, never by users. */
export interface ExtensionApi {
  services: Services;
  keys: KeysFeature;
  /** The results webview panel (emulator and AWS features show results through it). */
  results: ResultsPanelService;
  /** Local emulator: Test Explorer controller, test-file diagnostics, local runs. */
  emulator: EmulatorFeature;
  /** AWS explorer and commands (the SDK itself loads at the first AWS call). */
  aws: AwsFeature;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const services = createServices(context);
  const results = registerResultsPanel(context, services);
  const keys = registerKeys(context, services);
  registerAuthoring(context, services, keys);
  const emulator = registerEmulator(context, services, keys, results);
  const aws = registerAws(context, services, results, keys);
  return { services, keys, results, emulator, aws };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
