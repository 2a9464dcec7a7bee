import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import { FileNode, fileUriOf } from '../explorer/fileArg';
import type { KeysFeature } from '../keys/feature';
import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { activateCommand } from './commands/activate';
import { addPermissionCommand, AddPermissionArgs } from './commands/addPermission';
import { AuthorizerRef, ConfirmArgs } from './commands/common';
import { compareWithLocalCommand, CompareArgs } from './commands/compareWithLocal';
import { connectCommand, ConnectArgs } from './commands/connect';
import { copyArnCommand } from './commands/copyArn';
import { copyDataEndpointCommand } from './commands/copyDataEndpoint';
import { deactivateCommand } from './commands/deactivate';
import { deleteAuthorizerCommand } from './commands/deleteAuthorizer';
import { deployCommand, DeployArgs } from './commands/deploy';
import { describeCommand } from './commands/describe';
import { doctorCommand, DoctorArgs } from './commands/doctor';
import { downloadDefinitionCommand, DownloadDefinitionArgs } from './commands/downloadDefinition';
import { selectProfileCommand } from './commands/selectProfile';
import { selectRegionCommand } from './commands/selectRegion';
import { setDefaultCommand } from './commands/setDefault';
import { testInvokeCommand, TestInvokeArgs } from './commands/testInvoke';
import { AwsConnection } from './connection';
import { AwsSection } from './explorer/awsSection';
import { AwsFeature } from './feature';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { AwsStatusBar } from './statusBar';

const plain = <T extends object>(a: unknown): T => (typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype ? (a as T) : ({} as T));

/**
 * Registers the AWS feature: the AWS explorer section, the status-bar item and the commands.
 * Nothing here loads the AWS SDK: src/core/aws loads it (dist/aws.js) at the first AWS call.
 * `keys` (optional) lets the explorer mark deployed keys that match workspace key pairs.
 */
export function registerAws(context: vscode.ExtensionContext, services: Services, results?: ResultsPanelService, keys?: KeysFeature): AwsFeature {
  const connection = new AwsConnection(services);
  const section = new AwsSection(services, connection);
  const statusBar = new AwsStatusBar(connection);
  const documents = new ReadOnlyDocuments();
  context.subscriptions.push(connection, section, statusBar, documents);
  const f: AwsFeature = { services, connection, section, statusBar, results, keys, documents };
  section.feature = f;
  services.explorer.addSection(section);

  registerCommand(services, 'iotAuthz.aws.connect', (args?: ConnectArgs) => connectCommand(f, plain<ConnectArgs>(args)));
  registerCommand(services, 'iotAuthz.aws.selectProfile', (args?: { profile?: string }) => selectProfileCommand(f, plain(args)));
  registerCommand(services, 'iotAuthz.aws.selectRegion', (args?: { region?: string }) => selectRegionCommand(f, plain(args)));
  registerCommand(services, 'iotAuthz.aws.refresh', () => {
    connection.invalidate();
    services.explorer.refresh();
  });
  registerCommand(services, 'iotAuthz.aws.describe', (ref?: AuthorizerRef) => describeCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.downloadDefinition', (ref?: AuthorizerRef | DownloadDefinitionArgs) => downloadDefinitionCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.testInvoke', (ref?: AuthorizerRef | TestInvokeArgs) => testInvokeCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.compareWithLocal', (ref?: AuthorizerRef | CompareArgs) => compareWithLocalCommand(f, ref));
  // From the explorer's Workspace authorizers section the argument is the definition's node.
  registerCommand(services, 'iotAuthz.aws.deploy', (arg?: DeployArgs | vscode.Uri | FileNode) => deployCommand(f, fileUriOf(arg) ?? (arg as DeployArgs | undefined)));
  registerCommand(services, 'iotAuthz.aws.doctor', (ref?: AuthorizerRef | DoctorArgs) => doctorCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.addPermission', (ref?: AuthorizerRef | AddPermissionArgs) => addPermissionCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.setDefault', (ref?: AuthorizerRef) => setDefaultCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.activate', (ref?: AuthorizerRef | ConfirmArgs) => activateCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.deactivate', (ref?: AuthorizerRef | ConfirmArgs) => deactivateCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.delete', (ref?: AuthorizerRef | ConfirmArgs) => deleteAuthorizerCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.copyArn', (ref?: AuthorizerRef) => copyArnCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.copyDataEndpoint', (args?: { copy?: boolean }) => copyDataEndpointCommand(f, plain(args)));
  registerCommand(services, 'iotAuthz.aws.disconnect', async () => {
    await connection.setConnected(false);
    services.explorer.refresh();
  });
  return f;
}
