import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import { AuthorizerDescription, AuthorizerStatus, describeAuthorizer, describeDefaultAuthorizer, listAuthorizers, pemFileFingerprint, updateAuthorizer, WorkspaceKey } from '../../../core/aws';
import { AuthorizerNode } from '../explorer/authorizerNode';
import { AwsFeature } from '../feature';

/** What commands accept as "which authorizer": a tree node, a name, or { authorizerName }. */
export type AuthorizerRef = AuthorizerNode | string | { authorizerName?: string } | undefined;

export function nameOf(ref: AuthorizerRef): string | undefined {
  if (ref instanceof AuthorizerNode) return ref.authorizerName;
  if (typeof ref === 'string') return ref;
  return ref?.authorizerName;
}

/** The authorizer the command is about: from the argument, else picked from the account's list. */
export async function pickAuthorizer(f: AwsFeature, ref: AuthorizerRef, title: string): Promise<string | undefined> {
  const given = nameOf(ref);
  if (given) return given;
  const list = f.section.lastNodes?.map((n) => ({ name: n.authorizerName, isDefault: n.isDefault, status: n.status })) ??
    (await f.connection.run('Listing custom authorizers', async (c, signal) => (await listAuthorizers(c, { signal })).map((a) => ({ name: a.authorizerName, isDefault: false, status: undefined as string | undefined }))));
  if (!list.length) {
    void f.services.prompts.info('There are no custom authorizers in this account and region.');
    return undefined;
  }
  const picked = await f.services.prompts.quickPick(
    list.map((a) => ({ label: a.name, description: [a.status, a.isDefault ? 'default' : undefined].filter(Boolean).join(' · ') || undefined })),
    { title, placeHolder: 'Custom authorizer' },
  );
  return picked?.label;
}

/** Fingerprints of the workspace's *.pem keys (public keys, certificates, unencrypted private keys). */
export async function workspaceKeyFingerprints(): Promise<WorkspaceKey[]> {
  const files = await vscode.workspace.findFiles('**/*.pem', '**/{node_modules,.git,out,dist}/**', 200);
  const out: WorkspaceKey[] = [];
  for (const f of files) {
    const fp = pemFileFingerprint(f.fsPath);
    if (fp) out.push({ label: vscode.workspace.asRelativePath(f), fingerprint: fp });
  }
  const rank = (k: WorkspaceKey) => (/public/i.test(k.label) ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}

/** Opens JSON in an untitled, read-only-in-spirit editor. */
export async function showJson(value: unknown): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(value, null, 2)}\n` });
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}

/** Plain objects only (menus pass Uris and tree nodes). */
export function isArgs<T extends object>(a: unknown): a is T {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}

/** Arguments of the commands that change an authorizer after a confirmation. */
export interface ConfirmArgs {
  authorizerName?: string;
  /** true: the caller already confirmed (tests, automation); no question is asked. */
  confirm?: boolean;
}

/** True when the argument object says the caller confirmed. */
export function preConfirmed(ref: unknown): boolean {
  return isArgs<ConfirmArgs>(ref) && ref.confirm === true;
}

/** Activate / Deactivate: UpdateAuthorizer status after a confirmation. Returns the new description, or undefined when declined. */
export async function changeStatus(f: AwsFeature, ref: AuthorizerRef | ConfirmArgs, status: AuthorizerStatus): Promise<AuthorizerDescription | undefined> {
  const verb = status === 'ACTIVE' ? 'Activate' : 'Deactivate';
  const name = await pickAuthorizer(f, ref as AuthorizerRef, `${verb} Authorizer`);
  if (!name) return undefined;
  const region = f.connection.describe().region;
  if (!preConfirmed(ref)) {
    const isDefault = status === 'INACTIVE' && (await isDefaultAuthorizer(f, name));
    const detail =
      status === 'ACTIVE'
        ? 'Devices that name it (or use it as the default authorizer) can connect through it again.'
        : `IoT Core then refuses new connections that name it${isDefault ? ', and, as it is the default authorizer, those that name no authorizer' : ''}; connected devices stay connected until they reconnect.`;
    const ok = await f.services.prompts.confirm(`${verb} authorizer '${name}'${isDefault ? ' (the default authorizer)' : ''} in ${region}?`, detail, verb);
    if (ok !== verb) return undefined;
  }
  const d = await f.connection.run(`${verb === 'Activate' ? 'Activating' : 'Deactivating'} ${name}`, async (c, signal) => {
    await updateAuthorizer(c, { authorizerName: name, status }, { signal });
    return describeAuthorizer(c, name, { signal });
  });
  f.services.log.info(`${verb}d authorizer ${d.authorizerArn}: ${d.status}.`);
  f.section.refresh();
  void f.services.prompts.info(`Authorizer '${name}' is now ${d.status ?? status}.`);
  return d;
}

/** Whether the account's default authorizer is `name`: from the listing when it knows, else asked (false when unknown). */
async function isDefaultAuthorizer(f: AwsFeature, name: string): Promise<boolean> {
  const listed = f.section.lastNodes?.find((n) => n.authorizerName === name);
  if (listed) return listed.isDefault;
  try {
    return (await f.connection.run('Checking the default authorizer', (c, signal) => describeDefaultAuthorizer(c, { signal })))?.authorizerName === name;
  } catch (e) {
    if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
    return false;
  }
}
