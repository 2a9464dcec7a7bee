import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import { Services } from '../services';
import { ResultsPanelService } from './resultsPanel';

/** Creates the results panel service and its "Show Last Result" command. */
export function registerResultsPanel(context: vscode.ExtensionContext, services: Services): ResultsPanelService {
  const results = new ResultsPanelService(services);
  context.subscriptions.push(results);
  registerCommand(services, 'iotAuthz.showLastResult', async () => {
    const model = results.lastModel;
    if (!model) {
      void services.prompts.info('No result to show yet: run an authorizer locally or test it in AWS first.');
      return false;
    }
    await results.show(model);
    return true;
  });
  return results;
}
