import * as vscode from 'vscode';
import { startLocalEndpoint } from '../../core/endpoint/loader';
import { registerCommand } from '../commandRunner';
import type { AuthorizersSection } from '../emulator/explorer/authorizersSection';
import type { KeysFeature } from '../keys/feature';
import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { endpointActionsCommand } from './commands/actions';
import { copyCaPathCommand } from './commands/copyCaPath';
import { revealCaCommand } from './commands/revealCa';
import { showDecisionCommand } from './commands/showDecision';
import { startEndpointCommand, StartEndpointArgs } from './commands/start';
import { stopEndpointCommand } from './commands/stop';
import { EndpointController } from './controller';
import { EndpointSection } from './explorer/endpointSection';
import { EndpointFeature } from './feature';
import { EndpointStatusBar } from './statusBar';

/**
 * Registers the local IoT endpoint feature: Start / Stop Local IoT Endpoint,
 * the explorer's "Local endpoint" section, the status bar item, the decision
 * log and the results panel view of a decision. Nothing listens until Start.
 */
export function registerEndpoint(context: vscode.ExtensionContext, services: Services, results: ResultsPanelService, authorizers: AuthorizersSection, keys: KeysFeature): EndpointFeature {
  const controller = new EndpointController(services.log, startLocalEndpoint);
  const section = new EndpointSection(controller, authorizers, () => services.explorerView.visible);
  const statusBar = new EndpointStatusBar(controller);
  const f: EndpointFeature = { services, results, controller, section, statusBar };
  context.subscriptions.push(controller, section, statusBar);
  services.explorer.addSection(section);
  keys.localEndpoint = () => {
    const info = controller.info;
    return info ? { hostName: info.hostName, port: info.port, caPath: info.caPath } : undefined;
  };

  registerCommand(services, 'iotAuthz.endpoint.start', (args?: StartEndpointArgs) => startEndpointCommand(f, isArgs<StartEndpointArgs>(args) ? args : {}));
  registerCommand(services, 'iotAuthz.endpoint.stop', () => stopEndpointCommand(f));
  registerCommand(services, 'iotAuthz.endpoint.actions', () => endpointActionsCommand(f));
  registerCommand(services, 'iotAuthz.endpoint.copyCaPath', () => copyCaPathCommand(f));
  registerCommand(services, 'iotAuthz.endpoint.revealCa', () => revealCaCommand(f));
  registerCommand(services, 'iotAuthz.endpoint.showDecision', (arg?: unknown) => showDecisionCommand(f, arg));
  return f;
}

function isArgs<T extends object>(a: unknown): a is T {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}
