import * as vscode from 'vscode';
import { connectionSnippets, ConnectionSnippets, PLACEHOLDER_ENDPOINT, SAMPLE_TOPIC } from '../../core/tokens';
import { errorText } from '../../core/errors';
import { copyToClipboard } from '../commandRunner';
import { connectionNames, ConnectionNames, rememberedConnectionNames } from './connectionNames';
import { KeysFeature } from './feature';

export interface SignedToken {
  token: string;
  signature: string;
  signatureUrlEncoded: string;
  keyFile: string;
  keyFingerprint: string;
}

type SnippetKey = keyof ConnectionSnippets;

interface ResultItem extends vscode.QuickPickItem {
  run(): Promise<void>;
}

/** Workspace state where the AWS feature remembers the account's iot:Data-ATS endpoint (src/extension/aws/connection.ts). */
const AWS_DATA_ENDPOINT_KEY = 'iotAuthz.aws.dataEndpoint';

/** Snippet options beyond the names: the endpoint (argument, setting, then the one AWS told us), a sample topic and client id. */
export function snippetsFor(signed: SignedToken, names: ConnectionNames, endpoint?: string, remembered?: string): ConnectionSnippets {
  const configured = vscode.workspace.getConfiguration('iotAuthz.connection').get<string>('endpoint');
  return connectionSnippets({
    endpoint: endpoint || configured || remembered || PLACEHOLDER_ENDPOINT,
    authorizerName: names.authorizerName,
    tokenKeyName: names.tokenKeyName,
    token: signed.token,
    signature: signed.signature,
    topic: SAMPLE_TOPIC,
    clientId: 'myClientId',
  });
}

/**
 * The Sign Token result: a keyboard-driven list of what can be copied, shown
 * again after each action until Esc. The authorizer and token key names are
 * asked only when a snippet needs them, and can be changed from the list.
 * Resolves when the list is closed.
 */
export async function showSignResult(f: KeysFeature, signed: SignedToken, endpoint?: string): Promise<void> {
  const { services } = f;
  const remembered = services.context.workspaceState.get<string>(AWS_DATA_ENDPOINT_KEY) || undefined;
  const snippet = (key: SnippetKey, what: string) => async () => {
    const names = await connectionNames(services.context.workspaceState, services.prompts, {}, { keyFingerprint: signed.keyFingerprint });
    if (!names) return;
    await copyToClipboard(services, snippetsFor(signed, names, endpoint, remembered)[key], what);
  };
  const items: ResultItem[] = [
    { label: '$(copy) Signature (base64)', description: signed.signature.slice(0, 24) + '…', detail: 'For the x-amz-customauthorizer-signature header', run: () => copyToClipboard(services, signed.signature, 'the signature') },
    { label: '$(copy) Signature, URL-encoded', detail: 'For an MQTT username or a query string: + / = must be percent-encoded', run: () => copyToClipboard(services, signed.signatureUrlEncoded, 'the URL-encoded signature') },
    { label: '$(terminal) curl: HTTPS publish', detail: 'POST /topics/… with the custom authorizer headers', run: snippet('curl', 'the curl command') },
    { label: '$(account) MQTT username', detail: '?x-amz-customauthorizer-name=…&<token key>=…&x-amz-customauthorizer-signature=…', run: snippet('mqttUsername', 'the MQTT username') },
    { label: '$(terminal) mosquitto_pub', detail: 'Port 443, ALPN mqtt, endpoint as SNI', run: snippet('mosquittoPub', 'the mosquitto_pub command') },
    { label: '$(code) mqtt.js', detail: 'Node.js client, port 443, ALPN mqtt', run: snippet('mqttJs', 'the mqtt.js snippet') },
    { label: '$(code) AWS IoT Device SDK v2: JavaScript', run: snippet('deviceSdkJs', 'the Device SDK v2 JavaScript snippet') },
    { label: '$(code) AWS IoT Device SDK v2: Python', run: snippet('deviceSdkPython', 'the Device SDK v2 Python snippet') },
    {
      label: '$(book) Open everything in an editor',
      run: async () => {
        const names = await connectionNames(services.context.workspaceState, services.prompts, {}, { keyFingerprint: signed.keyFingerprint });
        if (!names) return;
        const s = snippetsFor(signed, names, endpoint, remembered);
        const content = [
          `# Signed token`,
          ``,
          `- Key: ${signed.keyFile} (SHA-256 ${signed.keyFingerprint})`,
          `- Token: \`${signed.token}\``,
          `- Signature: \`${signed.signature}\``,
          `- URL-encoded: \`${signed.signatureUrlEncoded}\``,
          `- MQTT username: \`${s.mqttUsername}\``,
          ``,
          '## curl (HTTPS publish)', '', '```sh', s.curl, '```', '',
          '## mosquitto_pub', '', '```sh', s.mosquittoPub, '```', '',
          '## mqtt.js', '', '```js', s.mqttJs, '```', '',
          '## AWS IoT Device SDK v2 (JavaScript)', '', '```js', s.deviceSdkJs, '```', '',
          '## AWS IoT Device SDK v2 (Python)', '', '```python', s.deviceSdkPython, '```', '',
        ].join('\n');
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
        await vscode.window.showTextDocument(doc);
      },
    },
  ];
  items.push({
    label: '$(edit) Change authorizer / token key name…',
    description: describeNames(rememberedConnectionNames(services.context.workspaceState)),
    detail: 'Used in the curl, MQTT username and SDK snippets (remembered for this workspace)',
    run: async () => {
      const names = await connectionNames(services.context.workspaceState, services.prompts, {}, { change: true, keyFingerprint: signed.keyFingerprint });
      if (names) void services.prompts.info(`Snippets now use authorizer '${names.authorizerName}' and token key name '${names.tokenKeyName}'.`);
    },
  });
  const change = items[items.length - 1];
  // The list comes back after each action, so several things can be copied in a row; Esc closes it.
  for (;;) {
    change.description = describeNames(rememberedConnectionNames(services.context.workspaceState));
    const picked = await services.prompts.quickPick(items, {
      title: `Token signed with ${signed.keyFile}`,
      placeHolder: 'Choose what to copy (Esc to close)',
      ignoreFocusOut: true,
    });
    if (!picked) return;
    try {
      await picked.run();
    } catch (e) {
      // One failed action (e.g. the clipboard) must not close the list.
      void services.prompts.error(errorText(e));
    }
  }
}

function describeNames(n: Partial<ConnectionNames>): string | undefined {
  return n.authorizerName && n.tokenKeyName ? `${n.authorizerName}, ${n.tokenKeyName}` : undefined;
}
