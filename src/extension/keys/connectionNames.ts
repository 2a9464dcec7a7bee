import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { loadDefinitionFile } from '../../core/emulator/definition';
import { definitionKeyFingerprints } from '../../core/emulator/keymatch';
import { Prompts } from '../prompts';

/** The authorizer name and token key name used in connection snippets, remembered per workspace. */
export interface ConnectionNames {
  authorizerName: string;
  tokenKeyName: string;
}

const STATE_KEY = 'iotAuthz.connectionNames';
const AUTHORIZER_NAME = /^[\w=,@-]{1,128}$/;
const TOKEN_KEY_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

export function rememberedConnectionNames(state: vscode.Memento): Partial<ConnectionNames> {
  return state.get<Partial<ConnectionNames>>(STATE_KEY) ?? {};
}

/** Where the names can be prefilled from. */
export interface ConnectionNamesOptions {
  /** Ask again even for remembered names (prefilled with them): the "Change…" action. */
  change?: boolean;
  /** Definitions to prefill from (see definitionNames); default every *.authorizer.json of the workspace. */
  definitionsGlob?: string;
  /** SHA-256 fingerprint of the key the token was signed with: the definition that lists its public half wins. */
  keyFingerprint?: string;
}

const DEFINITIONS_EXCLUDE = '**/{node_modules,.git,.vscode-test,out,dist}/**';

/** At most this many definitions are read to prefill the names. */
const MAX_DEFINITIONS = 50;

/**
 * authorizerName and tokenKeyName of the workspace's authorizer definition the
 * device most likely uses: the one whose tokenSigningPublicKeys hold the public
 * half of the signing key (`keyFingerprint`), else the only definition with
 * signing enabled (signing-disabled ones need no signed token). Nothing when
 * that leaves none or several.
 */
export async function definitionNames(glob = '**/*.authorizer.json', keyFingerprint?: string): Promise<Partial<ConnectionNames>> {
  try {
    const found = await vscode.workspace.findFiles(glob, DEFINITIONS_EXCLUDE, MAX_DEFINITIONS);
    const defs: Array<{ names: Partial<ConnectionNames>; signed: boolean; keyMatches: boolean }> = [];
    for (const uri of found) {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > 256 * 1024) continue;
      const raw = parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
      if (!raw || typeof raw !== 'object') continue;
      const names: Partial<ConnectionNames> = {};
      if (typeof raw.authorizerName === 'string' && AUTHORIZER_NAME.test(raw.authorizerName)) names.authorizerName = raw.authorizerName;
      if (typeof raw.tokenKeyName === 'string' && TOKEN_KEY_NAME.test(raw.tokenKeyName)) names.tokenKeyName = raw.tokenKeyName;
      defs.push({ names, signed: raw.signingDisabled !== true, keyMatches: !!keyFingerprint && keyFingerprintsOf(uri).includes(keyFingerprint) });
    }
    const byKey = defs.filter((d) => d.keyMatches);
    if (byKey.length === 1) return byKey[0].names;
    const signed = defs.filter((d) => d.signed);
    return signed.length === 1 ? signed[0].names : {};
  } catch {
    return {};
  }
}

/** The fingerprints of a definition's readable public keys (none when it cannot be read). */
function keyFingerprintsOf(uri: vscode.Uri): string[] {
  try {
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    return definitionKeyFingerprints(loadDefinitionFile(uri.fsPath, root ? { workspaceRoot: root } : {})).map((k) => k.fingerprint);
  } catch {
    return [];
  }
}

/**
 * Returns the names, asking only for those not known yet (once per
 * workspace); undefined when the user cancels. The questions are prefilled
 * from the remembered names, else from the workspace's one authorizer
 * definition. With `change`, both are asked again.
 */
export async function connectionNames(
  state: vscode.Memento,
  prompts: Prompts,
  given: Partial<ConnectionNames> = {},
  options: ConnectionNamesOptions = {},
): Promise<ConnectionNames | undefined> {
  const remembered = rememberedConnectionNames(state);
  const known = options.change ? stripEmpty(given) : { ...remembered, ...stripEmpty(given) };
  let prefill: Partial<ConnectionNames> = { ...remembered, ...stripEmpty(given) };
  if (!known.authorizerName || !known.tokenKeyName) {
    const fromDefinition = await definitionNames(options.definitionsGlob, options.keyFingerprint);
    prefill = { ...fromDefinition, ...prefill };
  }
  const authorizerName =
    known.authorizerName ??
    (await prompts.inputBox({
      title: 'Authorizer name',
      prompt: 'The name of the custom authorizer, as devices send it in x-amz-customauthorizer-name (remembered for this workspace).',
      placeHolder: 'MyAuthorizer',
      value: prefill.authorizerName,
      ignoreFocusOut: true,
      validateInput: (v) => (AUTHORIZER_NAME.test(v) ? undefined : 'Use 1 to 128 letters, digits and _ = , @ -.'),
    }));
  if (!authorizerName) return undefined;
  const tokenKeyName =
    known.tokenKeyName ??
    (await prompts.inputBox({
      title: 'Token key name',
      prompt: "The authorizer's tokenKeyName: the header or query parameter that carries the token (remembered for this workspace).",
      placeHolder: 'x-token',
      value: prefill.tokenKeyName,
      ignoreFocusOut: true,
      validateInput: (v) => (TOKEN_KEY_NAME.test(v) ? undefined : 'Use 1 to 128 letters, digits, _ and -.'),
    }));
  if (!tokenKeyName) return undefined;
  const names = { authorizerName, tokenKeyName };
  await state.update(STATE_KEY, names);
  return names;
}

function stripEmpty(o: Partial<ConnectionNames>): Partial<ConnectionNames> {
  const r: Partial<ConnectionNames> = {};
  if (o.authorizerName) r.authorizerName = o.authorizerName;
  if (o.tokenKeyName) r.tokenKeyName = o.tokenKeyName;
  return r;
}
