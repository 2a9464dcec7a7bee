import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import {
  buildTestInvokeInput,
  describeAuthorizer,
  describeDataEndpoint,
  GatewayProtocol,
  testInvokeAuthorizer,
  testInvokeWarnings,
  TestInvokeResult,
} from '../../../core/aws';
import type { PanelResult } from '../../panels/model';
import { AwsFeature } from '../feature';
import { AuthorizerRef, isArgs, pickAuthorizer, showJson } from './common';

export interface TestInvokeArgs {
  authorizerName?: string;
  protocol?: GatewayProtocol;
  token?: string;
  signature?: string;
  clientId?: string;
  username?: string;
  password?: string;
  /** Show the result (panel or JSON editor); default true. */
  show?: boolean;
}

const PROTOCOL_ITEMS: Array<vscode.QuickPickItem & { value: GatewayProtocol }> = [
  { label: 'HTTPS publish', description: 'token in headers', value: 'https' },
  { label: 'MQTT', description: 'port 443, ALPN mqtt: token in the username', value: 'mqtt' },
  { label: 'MQTT over WebSockets', description: 'token in the upgrade request', value: 'wss' },
];

/**
 * Test in AWS: TestInvokeAuthorizer with the HTTP / MQTT / TLS contexts a device of the chosen
 * protocol produces (a bare token test passes where devices fail).
 */
export async function testInvokeCommand(f: AwsFeature, ref: AuthorizerRef | TestInvokeArgs): Promise<TestInvokeResult | undefined> {
  const args: TestInvokeArgs = isArgs<TestInvokeArgs>(ref) ? ref : {};
  const { prompts } = f.services;
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Test Authorizer in AWS');
  if (!name) return undefined;
  const { authorizer, endpoint } = await f.connection.run(`Describing ${name}`, async (c, signal) => {
    const authorizer = await describeAuthorizer(c, name, { signal });
    let endpoint: string | undefined;
    try {
      endpoint = await describeDataEndpoint(c, { signal });
    } catch (e) {
      if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
      f.services.log.warn(`DescribeEndpoint failed (${e.code}); testing without a TLS serverName.`);
    }
    return { authorizer, endpoint };
  });
  let protocol = args.protocol;
  if (!protocol) {
    const picked = await prompts.quickPick(PROTOCOL_ITEMS, { title: `Test ${name} in AWS: how does the device connect?` });
    if (!picked) return undefined;
    protocol = picked.value;
  }
  const token = args.token ?? (await prompts.inputBox({ title: `Test ${name} in AWS: token`, prompt: authorizer.signingDisabled ? 'Token (optional for an authorizer without signing)' : `The token value (sent as ${authorizer.tokenKeyName})` }));
  if (token === undefined) return undefined;
  let signature = args.signature;
  if (signature === undefined && !authorizer.signingDisabled) {
    signature = await prompts.inputBox({
      title: `Test ${name} in AWS: token signature`,
      prompt: 'Base64 RSA-SHA256 signature of the token (IoT Authorizer: Sign Token makes one)',
      validateInput: (v) => (/^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) ? undefined : 'Standard base64, one line.'),
    });
    if (signature === undefined) return undefined;
  }
  let { username, password } = args;
  if (protocol !== 'https' && authorizer.signingDisabled && username === undefined && args.token === undefined) {
    username = await prompts.inputBox({ title: `Test ${name} in AWS: MQTT username`, prompt: 'As the device sends it (empty for none)' });
    if (username === undefined) return undefined;
    password = await prompts.inputBox({ title: `Test ${name} in AWS: MQTT password`, prompt: 'As the device sends it (empty for none)', password: true });
    if (password === undefined) return undefined;
  }
  const input = buildTestInvokeInput({
    authorizerName: name,
    protocol,
    token: token === '' && authorizer.signingDisabled ? undefined : token,
    tokenSignature: signature?.trim() || undefined,
    tokenKeyName: authorizer.tokenKeyName,
    dataEndpoint: endpoint,
    clientId: args.clientId,
    username: username || undefined,
    password: password || undefined,
  });
  for (const w of testInvokeWarnings(input)) f.services.log.warn(`Test in AWS: ${w}`);
  const r = await f.connection.run(`TestInvokeAuthorizer ${name}`, (c, signal) => testInvokeAuthorizer(c, input, { signal }));
  f.services.log.info(`TestInvokeAuthorizer ${name} (${protocol}): isAuthenticated ${r.isAuthenticated}, principalId ${r.principalId ?? '-'}, ${r.policyDocuments.length} policy document(s).`);
  if (args.show !== false) {
    if (f.results) {
      const result: PanelResult = {
        outcome: r.isAuthenticated ? 'accepted' : 'rejected',
        summary: r.isAuthenticated ? `AWS authenticated the token as ${r.principalId ?? '(no principalId)'}.` : 'AWS answered isAuthenticated: false.',
        protocol,
        authorizerName: name,
        authenticated: r.isAuthenticated,
        principalId: r.principalId,
        response: r,
        refreshAfterInSeconds: r.refreshAfterInSeconds,
        disconnectAfterInSeconds: r.disconnectAfterInSeconds,
      };
      await f.results.show({ source: 'aws', result, input: { protocol, token, signature, clientId: args.clientId, username, password } });
    } else await showJson(r);
  }
  return r;
}
