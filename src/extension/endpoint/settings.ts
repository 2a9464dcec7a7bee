import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EndpointOptions } from '../../core/endpoint';
import { AuthzError } from '../../core/errors';
import { runtimePaths } from '../emulator/workspaceFiles';

export const SECTION = 'iotAuthz.endpoint';

/** The iotAuthz.endpoint.* settings of a workspace folder. */
export interface EndpointSettings {
  host: string;
  port: number;
  /** null: off. */
  mqttPlainPort: number | null;
  hostName: string;
  tlsFolder: string;
  defaultAuthorizer: string;
  authorizerGlobs: string[];
  timeScale: number;
}

export function readSettings(folder: vscode.WorkspaceFolder): EndpointSettings {
  const c = vscode.workspace.getConfiguration(SECTION, folder.uri);
  return {
    host: c.get<string>('host') || '127.0.0.1',
    port: c.get<number>('port') ?? 4443,
    mqttPlainPort: c.get<number | null>('mqttPlainPort') ?? null,
    hostName: c.get<string>('hostName') || 'localhost',
    tlsFolder: c.get<string>('tlsFolder') || '.iot-authz/',
    defaultAuthorizer: c.get<string>('defaultAuthorizer') ?? '',
    authorizerGlobs: c.get<string[]>('authorizerGlobs') ?? ['**/*.authorizer.json'],
    timeScale: c.get<number>('timeScale') ?? 1,
  };
}

function checkPort(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new AuthzError('ENDPOINT_SETTING_INVALID', `${SECTION}.${key} is ${JSON.stringify(value)}, not a port number.`, `Set ${SECTION}.${key} to a number from 0 (any free port) to 65535.`);
  }
  return value;
}

/** The core's options for a folder's settings; invalid settings are an AuthzError naming the setting. */
export function endpointOptions(folder: vscode.WorkspaceFolder, s: EndpointSettings = readSettings(folder)): EndpointOptions {
  const root = folder.uri.fsPath;
  if (!(typeof s.timeScale === 'number' && s.timeScale > 0 && Number.isFinite(s.timeScale))) {
    throw new AuthzError('ENDPOINT_SETTING_INVALID', `${SECTION}.timeScale is ${JSON.stringify(s.timeScale)}.`, `Set ${SECTION}.timeScale to a number above 0 (1: real time, 60: a minute per second).`);
  }
  return {
    workspaceRoot: root,
    allowCodeExecution: vscode.workspace.isTrusted,
    authorizers: s.authorizerGlobs,
    ...(s.defaultAuthorizer ? { defaultAuthorizer: s.defaultAuthorizer } : {}),
    host: s.host,
    port: checkPort(s.port, 'port'),
    ...(s.mqttPlainPort !== null ? { mqttPlainPort: checkPort(s.mqttPlainPort, 'mqttPlainPort') } : {}),
    hostName: s.hostName,
    tlsDir: path.resolve(root, s.tlsFolder),
    timeScale: s.timeScale,
    // A busy port's error names the setting to change, not the CLI flag.
    settingNames: { port: `${SECTION}.port`, mqttPlainPort: `${SECTION}.mqttPlainPort` },
    ...runtimePaths(folder.uri),
  };
}
