import * as vscode from 'vscode';
import { AuthorizerDescription, GatewayProtocol, publicKeyInfo, sameFingerprint } from '../../core/aws';
import { signToken } from '../../core/tokens';
import { loadPrivateKeyFile } from '../keys/keyLoader';
import { AwsFeature } from './feature';

/**
 * Workspace state: the last Test in AWS inputs per authorizer (name → inputs). Token and
 * signature are kept like the profile choice (workspace state, never settings); the MQTT
 * password and private keys never are.
 */
export const LAST_TEST_INPUTS_KEY = 'iotAuthz.aws.lastTestInputs';

export interface RememberedTestInputs {
  protocol?: GatewayProtocol;
  token?: string;
  signature?: string;
  clientId?: string;
  username?: string;
  operations?: string[];
}

export function lastTestInputs(f: AwsFeature, authorizerName: string): RememberedTestInputs {
  return f.services.context.workspaceState.get<Record<string, RememberedTestInputs>>(LAST_TEST_INPUTS_KEY)?.[authorizerName] ?? {};
}

export async function rememberTestInputs(f: AwsFeature, authorizerName: string, inputs: RememberedTestInputs): Promise<void> {
  const state = f.services.context.workspaceState;
  const all = { ...(state.get<Record<string, RememberedTestInputs>>(LAST_TEST_INPUTS_KEY) ?? {}) };
  all[authorizerName] = JSON.parse(JSON.stringify(inputs)) as RememberedTestInputs;
  await state.update(LAST_TEST_INPUTS_KEY, all);
}

/** Workspace private keys whose public half is one of the authorizer's token signing keys. */
export async function matchingPrivateKeys(f: AwsFeature, a: AuthorizerDescription): Promise<Array<{ label: string; uri: vscode.Uri; keyName: string }>> {
  if (!f.keys) return [];
  const deployed = Object.entries(a.tokenSigningPublicKeys ?? {}).map(([name, pem]) => ({ name, fingerprint: publicKeyInfo(pem).fingerprint }));
  const out: Array<{ label: string; uri: vscode.Uri; keyName: string }> = [];
  for (const p of await f.keys.keys.list().catch(() => [])) {
    const match = p.privateFile && p.fingerprint && deployed.find((d) => sameFingerprint(d.fingerprint, p.fingerprint!.hex));
    if (match && p.privateFile) out.push({ label: vscode.workspace.asRelativePath(p.privateFile, false), uri: p.privateFile, keyName: match.name });
  }
  return out;
}

/**
 * The signature step: "Sign with <workspace key that matches a deployed key>", the last
 * signature when the token is the same as last time, or typing one. Undefined when cancelled.
 */
export async function askSignature(f: AwsFeature, a: AuthorizerDescription, token: string, last: RememberedTestInputs, title: string): Promise<string | undefined> {
  const { prompts } = f.services;
  const keys = await matchingPrivateKeys(f, a);
  const reuse = last.signature && last.token === token ? last.signature : undefined;
  type Item = vscode.QuickPickItem & { run: () => Promise<string | undefined> };
  const enter = (): Promise<string | undefined> =>
    prompts.inputBox({
      title,
      prompt: 'Base64 RSA-SHA256 signature of the token (IoT Authorizer: Sign Token makes one)',
      value: reuse,
      ignoreFocusOut: true,
      validateInput: (v) => (/^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) ? undefined : 'Standard base64, one line.'),
    });
  if (!keys.length && !reuse) return enter();
  const items: Item[] = [
    ...keys.map((k) => ({
      label: `Sign with ${k.label}`,
      description: `matches deployed key '${k.keyName}'`,
      run: async () => {
        const loaded = await loadPrivateKeyFile(k.uri, prompts, f.keys!.passphrases);
        return loaded ? signToken(loaded.key, token) : undefined;
      },
    })),
    ...(reuse ? [{ label: 'Use the last signature', description: `…${reuse.slice(-12)}`, run: async () => reuse }] : []),
    { label: 'Enter a signature…', run: enter },
  ];
  const picked = await prompts.quickPick(items, { title, placeHolder: 'How to sign the token' });
  return picked ? picked.run() : undefined;
}
