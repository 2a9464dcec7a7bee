import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import type { KeysFeature } from '../keys/feature';
import type { ResultsModel } from '../panels/model';
import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { runLocallyCommand, RunLocallyArgs } from './commands/runLocally';
import { saveAsTestCase, SaveAsTestCaseArgs } from './commands/saveAsTestCase';
import { showTestResultCommand } from './commands/showTestResult';
import { simulatePolicyCommand, SimulatePolicyArgs } from './commands/simulatePolicy';
import { TestFileDiagnostics } from './diagnostics';
import { EmulatorFeature, LocalRunContext } from './feature';
import { AuthzTests } from './testing/authzTests';
import { AuthorizersSection } from './explorer/authorizersSection';
import { FileNode, fileUriOf } from '../explorer/fileArg';

/**
 * Registers the emulator feature: the "IoT Authorizer tests" Test Explorer
 * controller, diagnostics for *.authz-test.json, Run Authorizer Locally,
 * Simulate Policy Decision, Show Result, the results panel's
 * "Open as test case" handler, and the explorer's "Workspace authorizers" section.
 */
export function registerEmulator(context: vscode.ExtensionContext, services: Services, keys: KeysFeature, results: ResultsPanelService): EmulatorFeature {
  const tests = new AuthzTests(services);
  const diagnostics = new TestFileDiagnostics();
  const authorizers = new AuthorizersSection(tests, services.log);
  const f: EmulatorFeature = { services, keys, results, tests, diagnostics, authorizers, localRuns: new WeakMap<ResultsModel, LocalRunContext>() };
  context.subscriptions.push(tests, diagnostics, authorizers, results.setOpenAsTestCaseHandler(async (_result, model) => void (await saveAsTestCase(f, model))));
  services.explorer.addSection(authorizers);

  registerCommand(services, 'iotAuthz.emulator.runLocally', (args?: RunLocallyArgs | vscode.Uri | FileNode) => {
    const uri = fileUriOf(args);
    return runLocallyCommand(f, uri ? { definition: uri } : isArgs<RunLocallyArgs>(args) ? args : {});
  });
  registerCommand(services, 'iotAuthz.emulator.openFile', async (arg?: vscode.Uri | FileNode) => {
    const uri = fileUriOf(arg);
    if (uri) await vscode.window.showTextDocument(uri, { preview: false });
  });
  registerCommand(services, 'iotAuthz.emulator.simulatePolicy', (args?: SimulatePolicyArgs | vscode.Uri) =>
    simulatePolicyCommand(f, args instanceof vscode.Uri ? { uri: args } : isArgs<SimulatePolicyArgs>(args) ? args : {}),
  );
  registerCommand(services, 'iotAuthz.emulator.showTestResult', (arg?: unknown) => showTestResultCommand(f, arg));
  registerCommand(services, 'iotAuthz.emulator.saveAsTestCase', async (args?: SaveAsTestCaseArgs) => {
    const model = results.lastModel;
    if (!model) {
      void services.prompts.info('No result to save: run an authorizer locally first.');
      return undefined;
    }
    return saveAsTestCase(f, model, isArgs<SaveAsTestCaseArgs>(args) ? args : {});
  });
  return f;
}

function isArgs<T extends object>(a: unknown): a is T {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}
