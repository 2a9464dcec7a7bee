import { AwsFeature } from '../feature';
import * as vscode from 'vscode';
import { CUSTOM_ENDPOINT, pickProfile, pickRegion } from '../pickers';

export interface ConnectArgs {
  /** Profile name; '' means the environment's credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE). */
  profile?: string;
  region?: string;
}

/** IoT Authorizer: Connect to AWS… — picks a profile (from the shared files) and a region, kept for this workspace. */
export async function connectCommand(f: AwsFeature, args: ConnectArgs = {}): Promise<{ profile?: string; region: string } | undefined> {
  let profile = args.profile ?? (await pickProfile(f, 'Connect to AWS: profile', { offerEndpoint: true }));
  if (profile === CUSTOM_ENDPOINT) {
    if (!(await askCustomEndpoint(f))) return undefined;
    profile = await pickProfile(f, 'Connect to AWS: profile (credentials for the custom endpoint)');
  }
  if (profile === undefined) return undefined;
  const region = args.region?.trim() || (await pickRegion(f, 'Connect to AWS: region', profile));
  if (!region) return undefined;
  await f.connection.save(profile, region);
  f.services.log.info(`AWS: connected with ${profile || 'environment credentials'} in ${region}.`);
  f.services.explorer.refresh();
  return { profile: profile || undefined, region };
}

/**
 * Asks for the endpoint URL and writes iotAuthz.aws.endpoint. It is a machine-scoped setting
 * (a workspace must not redirect signed requests), so it goes to the user target: VS Code
 * stores it in the user settings, or in a remote window in the Remote tab's settings.
 */
async function askCustomEndpoint(f: AwsFeature): Promise<string | undefined> {
  const config = vscode.workspace.getConfiguration('iotAuthz.aws');
  const current = f.connection.describe().endpoint;
  const url = await f.services.prompts.inputBox({
    title: 'Connect to AWS: custom endpoint for IoT and Lambda',
    prompt: 'e.g. http://127.0.0.1:4566 (LocalStack, iot-authz\'s test endpoint). Empty: the AWS endpoints.',
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() || /^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'An http:// or https:// URL.'),
  });
  if (url === undefined) return undefined;
  await config.update('endpoint', url.trim() || undefined, vscode.ConfigurationTarget.Global);
  f.services.log.info(`AWS: endpoint set to ${url.trim() || 'the AWS endpoints'} (user setting iotAuthz.aws.endpoint).`);
  return url.trim() || 'aws';
}
