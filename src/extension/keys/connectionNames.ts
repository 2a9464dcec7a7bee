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

/**
 * Returns the names, asking only for those not known yet (once per
 * workspace); undefined when the user cancels.
 */
export async function connectionNames(
  state: vscode.Memento,
  prompts: Prompts,
  given: Partial<ConnectionNames> = {},
): Promise<ConnectionNames | undefined> {
  const known = { ...rememberedConnectionNames(state), ...stripEmpty(given) };
  const authorizerName =
    known.authorizerName ??
    (await prompts.inputBox({
      title: 'Authorizer name',
      prompt: 'The custom authorizer devices name in x-amz-customauthorizer-name (remembered for this workspace).',
      placeHolder: 'MyAuthorizer',
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
