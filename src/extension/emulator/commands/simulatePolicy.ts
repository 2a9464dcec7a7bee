import * as path from 'node:path';
import * as vscode from 'vscode';
import { simulateDecision, SimulateResult } from '../../../core/emulator/simulate';
import { ACTION_RESOURCE_TYPES, normalizeAction, resourceTypeFor } from '../../../core/policy';
import { EmulatorFeature } from '../feature';
import { EXCLUDE_GLOB, toUri } from '../workspaceFiles';

export interface SimulatePolicyArgs {
  /** The policy or response document; default: the active editor's, else asked. */
  uri?: string | vscode.Uri;
  action?: string;
  /** Bare topic / topic filter / client id / thing name, or a full ARN. */
  resource?: string;
  /** For ${iot:ClientId}; empty: unknown. */
  clientId?: string;
  /** Show the decision as a message (default true). */
  showMessage?: boolean;
}

const POLICY_GLOB = '**/*.{iot-policy,authorizer-response}.json';
const RESOURCE_HINT: Record<string, string> = {
  topic: 'Topic, e.g. devices/d1/telemetry',
  topicfilter: 'Topic filter, e.g. devices/d1/#',
  client: 'Client id, e.g. d1',
  thing: 'Thing name (thing/shadowName for a named shadow)',
};

/**
 * Simulate Policy Decision: "would this device be allowed to publish to X?"
 * against the policy or authorizer response open in the editor. Shows the
 * decision and selects the deciding statement in the editor.
 */
export async function simulatePolicyCommand(f: EmulatorFeature, args: SimulatePolicyArgs): Promise<SimulateResult | undefined> {
  const prompts = f.services.prompts;
  const doc = await pickDocument(f, args.uri);
  if (!doc) return undefined;

  let action = args.action;
  if (action === undefined) {
    const actions = [...new Set(Object.keys(ACTION_RESOURCE_TYPES).map((a) => normalizeAction(a)))].sort();
    const first = ['iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:Connect'];
    const ordered = [...first, ...actions.filter((a) => !first.includes(a))];
    const picked = await prompts.quickPick(
      ordered.map((a) => ({ label: a, description: resourceTypeFor(a) && resourceTypeFor(a) !== '*' ? `on a ${resourceTypeFor(a)}` : undefined })),
      { title: 'Simulate Policy Decision: action', placeHolder: 'Which IoT action?', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    action = picked.label;
  }
  const type = resourceTypeFor(action) ?? 'resource';
  const resource =
    args.resource ??
    (await prompts.inputBox({
      title: `Simulate Policy Decision: ${action} on…`,
      prompt: `${RESOURCE_HINT[type] ?? 'Resource'}, or a full ARN`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give the resource.'),
    }));
  if (resource === undefined) return undefined;
  let clientId = args.clientId;
  if (clientId === undefined) {
    clientId = await prompts.inputBox({
      title: 'Simulate Policy Decision: client id',
      prompt: 'The MQTT client id, for ${iot:ClientId} (empty: HTTPS, no client id)',
      value: type === 'client' ? resource : '',
      ignoreFocusOut: true,
    });
    if (clientId === undefined) return undefined;
  }

  const r = simulateDecision({ text: doc.getText(), action, resource, ...(clientId ? { clientId } : {}) });
  f.services.log.info(`Simulated ${r.action} on ${r.resource} against ${vscode.workspace.asRelativePath(doc.uri, false)}: ${r.decision.toUpperCase()}`);
  if (r.decidingRange) {
    const range = new vscode.Range(doc.positionAt(r.decidingRange.start), doc.positionAt(r.decidingRange.end));
    const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false, preview: false });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  if (args.showMessage !== false) {
    const notes = r.notes.length ? ` Note: ${r.notes.join(' ')}` : '';
    const uncertain = r.uncertain ? ' (fail-closed: a condition could not be checked locally)' : '';
    const text = `${r.decision === 'allow' ? 'ALLOWED' : 'DENIED'}${uncertain}: ${r.reason}${notes}`;
    void (r.decision === 'allow' ? prompts.info(text) : prompts.warn(text));
  }
  return r;
}

async function pickDocument(f: EmulatorFeature, given?: string | vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (given) return vscode.workspace.openTextDocument(toUri(given));
  const active = vscode.window.activeTextEditor?.document;
  if (active && (active.languageId === 'json' || active.languageId === 'jsonc') && /"(Statement|policyDocuments)"/.test(active.getText())) return active;
  const uris = (await vscode.workspace.findFiles(POLICY_GLOB, EXCLUDE_GLOB, 500)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  if (uris.length === 0) {
    const files = await f.services.prompts.openDialog({ title: 'Simulate Policy Decision: policy or authorizer response', canSelectMany: false, filters: { JSON: ['json'] } });
    return files?.[0] ? vscode.workspace.openTextDocument(files[0]) : undefined;
  }
  const picked = await f.services.prompts.quickPick(
    uris.map((uri) => ({ label: path.basename(uri.fsPath), detail: vscode.workspace.asRelativePath(uri, false), uri })),
    { title: 'Simulate Policy Decision: which policy or response?', ignoreFocusOut: true },
  );
  return picked ? vscode.workspace.openTextDocument(picked.uri) : undefined;
}
