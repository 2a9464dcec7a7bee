// Shared setup of the AWS integration suites: a local IoT + Lambda endpoint, an AWS config
// with a static-key profile "it" and an SSO profile "it-sso" (never logged in), and the
// process environment pointing the extension's SDK clients at the endpoint.
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplorerSection } from '../../../src/extension/explorer/explorerProvider';
import { AwsTestEndpoint } from '../../aws-endpoint/server';
import { getApi, workspaceFolder } from '../helpers';

const ENV_KEYS = ['IOT_AUTHZ_ENDPOINT_IOT', 'IOT_AUTHZ_ENDPOINT_LAMBDA', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EC2_METADATA_DISABLED'];

export interface AwsFixture {
  ep: AwsTestEndpoint;
  /** Workspace-relative folder for this suite's files. */
  dir: string;
  /** Absolute path of that folder. */
  abs: string;
  privateKey: KeyObject;
  publicPem: string;
  /** Workspace-relative path of the public key file. */
  publicKeyFile: string;
  /** Workspace-relative path of the (unencrypted) private key file. */
  privateKeyFile: string;
  dispose(): Promise<void>;
}

export async function startAwsFixture(dir: string): Promise<AwsFixture> {
  const saved: Record<string, string | undefined> = {};
  for (const k of ENV_KEYS) saved[k] = process.env[k];
  const ep = new AwsTestEndpoint();
  await ep.start();
  const awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-it-aws-'));
  fs.writeFileSync(
    path.join(awsDir, 'config'),
    [
      '[profile it]',
      'region = us-east-1',
      '',
      '[profile it-sso]',
      'sso_session = it-session',
      `sso_account_id = ${ep.account}`,
      'sso_role_name = IoTAdmin',
      'region = us-east-1',
      '',
      '[sso-session it-session]',
      'sso_start_url = https://iot-authz-it.awsapps.com/start',
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(awsDir, 'credentials'), `[it]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = ${ep.credentials.secretAccessKey}\n`);
  Object.assign(process.env, {
    IOT_AUTHZ_ENDPOINT_IOT: ep.url,
    IOT_AUTHZ_ENDPOINT_LAMBDA: ep.url,
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[k];

  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const abs = path.join(workspaceFolder().uri.fsPath, dir);
  fs.mkdirSync(path.join(abs, 'keys'), { recursive: true });
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  fs.writeFileSync(path.join(abs, 'keys', 'm.public.pem'), publicPem);
  fs.writeFileSync(path.join(abs, 'keys', 'm.private.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const api = await getApi();
  // The key scan follows file events (debounced, and the watcher is late at times): rescan now that the keys exist.
  await api.keys.keys.refresh();
  await api.aws.connection.forgetChoice();
  return {
    ep,
    dir,
    abs,
    privateKey: keys.privateKey,
    publicPem,
    publicKeyFile: `${dir}/keys/m.public.pem`,
    privateKeyFile: `${dir}/keys/m.private.pem`,
    async dispose() {
      await vscode.commands.executeCommand('iotAuthz.aws.disconnect');
      await api.aws.connection.forgetChoice();
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await ep.stop();
      fs.rmSync(awsDir, { recursive: true, force: true });
      fs.rmSync(abs, { recursive: true, force: true });
    },
  };
}

/** The explorer's AWS section. */
export async function awsSection(): Promise<ExplorerSection> {
  const api = await getApi();
  for (const s of api.services.explorer.getSections()) {
    const item = await s.getTreeItem();
    if (item.id === 'section:aws') return s;
  }
  throw new Error('no AWS section');
}

/** The policy every test Lambda of these suites returns for token "allow". */
export const ALLOW_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }] };

/** A Node.js handler equivalent to the endpoint's localHandler (for local runs). */
export const HANDLER_JS = `exports.handler = async (event) => ({
  isAuthenticated: event.token === 'allow',
  principalId: 'itDevice',
  policyDocuments: [${JSON.stringify(ALLOW_POLICY)}],
  refreshAfterInSeconds: 300,
  disconnectAfterInSeconds: 3600,
});
`;
