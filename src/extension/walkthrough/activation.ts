import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import { Services } from '../services';
import { addExampleCommand, AddExampleArgs } from './commands/addExample';

/**
 * The Getting Started walkthrough (contributes.walkthroughs in package.json):
 * its steps are the extension's own commands; this feature adds the one
 * command only the walkthrough needs, putting the worked example into the workspace.
 */
export function registerWalkthrough(_context: vscode.ExtensionContext, services: Services): void {
  registerCommand(services, 'iotAuthz.walkthrough.addExample', (a?: AddExampleArgs) => addExampleCommand(services, a && typeof a === 'object' ? a : {}));
}
