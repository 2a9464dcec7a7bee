import { CliCommand } from '../framework';
import { validateCommand } from './validate';
import { invokeCommand } from './invoke';
import { simulateCommand } from './simulate';
import { testCommand } from './test';
import { keygenCommand } from './keygen';
import { signCommand } from './sign';
import { verifyCommand } from './verify';
import { awsListCommand } from './awsList';
import { awsDescribeCommand } from './awsDescribe';
import { awsTestInvokeCommand } from './awsTestInvoke';
import { awsDeployCommand } from './awsDeploy';
import { awsDoctorCommand } from './awsDoctor';
import { awsProfilesCommand } from './awsProfiles';
import { versionCommand } from './version';

/**
 * Every iot-authz command, one module per command under src/cli/commands/.
 * Add a command by importing it here; main.ts needs no change.
 */
export const commands: CliCommand[] = [
  validateCommand,
  keygenCommand,
  signCommand,
  verifyCommand,
  invokeCommand,
  simulateCommand,
  testCommand,
  awsListCommand,
  awsDescribeCommand,
  awsTestInvokeCommand,
  awsDeployCommand,
  awsDoctorCommand,
  awsProfilesCommand,
  versionCommand,
];
