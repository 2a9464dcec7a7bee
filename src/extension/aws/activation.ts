import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { connectCommand, ConnectArgs } from './commands/connect';
import { AuthorizerRef } from './commands/common';
import { deployCommand, DeployArgs } from './commands/deploy';
import { describeCommand } from './commands/describe';
import { addPermissionCommand, doctorCommand, DoctorArgs, setDefaultCommand } from './commands/doctor';
import { downloadDefinitionCommand, DownloadDefinitionArgs } from './commands/downloadDefinition';
import { testInvokeCommand, TestInvokeArgs } from './commands/testInvoke';
import { AwsConnection } from './connection';
import { AwsSection } from './explorer/awsSection';
import { AwsFeature } from './feature';

/**
 * Registers the AWS feature: the AWS explorer section and the commands. Nothing here loads
 * the AWS SDK: src/core/aws loads it (dist/aws.js) at the first AWS call.
 */
export function registerAws(context: vscode.ExtensionContext, services: Services, results?: ResultsPanelService): AwsFeature {
  const connection = new AwsConnection(services);
  const section = new AwsSection(services, connection);
  context.subscriptions.push(connection, section);
  const f: AwsFeature = { services, connection, section, results };
  services.explorer.addSection(section);

  registerCommand(services, 'iotAuthz.aws.connect', (args?: ConnectArgs) => connectCommand(f, args && typeof args === 'object' ? args : {}));
  registerCommand(services, 'iotAuthz.aws.refresh', () => {
    connection.invalidate();
    services.explorer.refresh();
  });
  registerCommand(services, 'iotAuthz.aws.describe', (ref?: AuthorizerRef) => describeCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.downloadDefinition', (ref?: AuthorizerRef | DownloadDefinitionArgs) => downloadDefinitionCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.testInvoke', (ref?: AuthorizerRef | TestInvokeArgs) => testInvokeCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.deploy', (arg?: DeployArgs | vscode.Uri) => deployCommand(f, arg));
  registerCommand(services, 'iotAuthz.aws.doctor', (ref?: AuthorizerRef | DoctorArgs) => doctorCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.addPermission', (ref?: AuthorizerRef) => addPermissionCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.setDefault', (ref?: AuthorizerRef) => setDefaultCommand(f, ref));
  registerCommand(services, 'iotAuthz.aws.disconnect', async () => {
    await connection.setConnected(false);
    services.explorer.refresh();
  });
  return f;
}
