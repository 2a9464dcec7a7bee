import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
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
  /** Definitions to prefill from when exactly one matches; default every *.authorizer.json of the workspace. */
  definitionsGlob?: string;
}

const DEFINITIONS_EXCLUDE = '**/{node_modules,.git,.vscode-test,out,dist}/**';

/**
 * authorizerName and tokenKeyName of the workspace's authorizer definition when
 * there is exactly one (with two or more, which one the device uses is unknown).
 */
export async function definitionNames(glob = '**/*.authorizer.json'): Promise<Partial<ConnectionNames>> {
  try {
    const found = await vscode.workspace.findFiles(glob, DEFINITIONS_EXCLUDE, 2);
    if (found.length !== 1) return {};
    const stat = await vscode.workspace.fs.stat(found[0]);
    if (stat.size > 256 * 1024) return {};
    const raw = parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(found[0])), [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== 'object') return {};
    const out: Partial<ConnectionNames> = {};
    if (typeof raw.authorizerName === 'string' && AUTHORIZER_NAME.test(raw.authorizerName)) out.authorizerName = raw.authorizerName;
    if (typeof raw.tokenKeyName === 'string' && TOKEN_KEY_NAME.test(raw.tokenKeyName)) out.tokenKeyName = raw.tokenKeyName;
    return out;
  } catch {
    return {};
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
    const fromDefinition = await definitionNames(options.definitionsGlob);
    prefill = { ...fromDefinition, ...prefill };
  }
  const authorizerName =
    known.authorizerName ??
    (await prompts.inputBox({
      title: 'Authorizer name',
      prompt: 'The custom authorizer devices name in x-amz-customauthorizer-name (remembered for this workspace).',
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
