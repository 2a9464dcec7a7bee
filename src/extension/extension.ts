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
import { registerJwt } from './jwt/activation';
import type { ResultsPanelService } from './panels/resultsPanel';
import { registerEndpoint } from './endpoint/activation';
import type { EndpointFeature } from './endpoint/feature';
import { registerWalkthrough } from './walkthrough/activation';

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
  /** Local IoT endpoint: Start / Stop, explorer section, status bar, decision log. */
  endpoint: EndpointFeature;
  /** How long activate() took, in ms (measured by the activation test and bench). */
  activationMs: number;
}

/** Kept for deactivate(): the endpoint's handler processes must be gone before the extension host exits. */
let endpointFeature: EndpointFeature | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = performance.now();
  const services = createServices(context);
  const results = registerResultsPanel(context, services);
  const keys = registerKeys(context, services);
  registerJwt(keys);
  registerAuthoring(context, services, keys);
  const emulator = registerEmulator(context, services, keys, results);
  const aws = registerAws(context, services, results, keys);
  const endpoint = (endpointFeature = registerEndpoint(context, services, results, emulator.authorizers, keys));
  registerWalkthrough(context, services);
  const activationMs = performance.now() - started;
  services.log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { services, keys, results, emulator, aws, endpoint, activationMs };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; the endpoint's
  // stop is awaited so no listener or handler process outlives the extension host.
  await endpointFeature?.controller.stop();
  endpointFeature = undefined;
}
