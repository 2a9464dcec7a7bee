import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import {
  addInvokePermission,
  applyDeploy,
  checkInvokePermission,
  DeployPlan,
  findAuthorizer,
  formatPlan,
  getFunctionPolicy,
  invokePermissionRequest,
  loadDefinitionFile,
  planDeploy,
} from '../../../core/aws';
import { AwsFeature } from '../feature';
import { isArgs } from './common';

export interface DeployArgs {
  /** The definition: absolute path, workspace-relative path or Uri; default the active editor or a pick. */
  uri?: string | vscode.Uri;
  /** Apply without the confirmation (tests, automation). */
  apply?: boolean;
  /** Add the Lambda invoke permission when missing, without asking. */
  addPermission?: boolean;
}

export interface DeployOutcome {
  plan: DeployPlan;
  applied: boolean;
  authorizerArn?: string;
  permission?: { allowed: boolean; added?: boolean; reason: string };
}

async function pickDefinition(f: AwsFeature, given: DeployArgs['uri']): Promise<vscode.Uri | undefined> {
  if (given instanceof vscode.Uri) return given;
  if (typeof given === 'string') {
    if (path.isAbsolute(given)) return vscode.Uri.file(given);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, given) : vscode.Uri.file(path.resolve(given));
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.fsPath.endsWith('.authorizer.json')) return active;
  const files = await vscode.workspace.findFiles('**/*.authorizer.json', '**/node_modules/**', 100);
  if (!files.length) {
    void f.services.prompts.info('No *.authorizer.json in the workspace. Create one with "IoT Authorizer: New Authorizer Definition".');
    return undefined;
  }
  const picked = await f.services.prompts.quickPick(
    files.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { title: 'Deploy Authorizer: definition file' },
  );
  return picked?.uri;
}

/**
 * Deploy Authorizer: definition file → CreateAuthorizer or UpdateAuthorizer after showing the
 * field-by-field plan; then checks the Lambda's invoke permission and offers to add it.
 */
export async function deployCommand(f: AwsFeature, argOrUri?: DeployArgs | vscode.Uri): Promise<DeployOutcome | undefined> {
  const args: DeployArgs = argOrUri instanceof vscode.Uri ? { uri: argOrUri } : isArgs<DeployArgs>(argOrUri) ? argOrUri : {};
  const { prompts } = f.services;
  const uri = await pickDefinition(f, args.uri);
  if (!uri) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const def = loadDefinitionFile(uri.fsPath, [path.dirname(uri.fsPath), ...(root ? [root] : [])]);
  const region = def.region;
  return f.connection.run(
    `Deploying ${def.authorizerName}`,
    async (c, signal) => {
      const current = await findAuthorizer(c, def.authorizerName, { signal });
      const plan = planDeploy(def, current);
      const out: DeployOutcome = { plan, applied: false, authorizerArn: current?.authorizerArn };
      if (plan.action === 'none') {
        void prompts.info(`Authorizer '${def.authorizerName}' in ${c.target.region} already matches ${vscode.workspace.asRelativePath(uri)}.`);
      } else {
        const verb = plan.action === 'create' ? 'Create' : 'Update';
        const ok = args.apply || (await prompts.confirm(`${verb} authorizer '${def.authorizerName}' in ${c.target.region}${c.target.profile ? ` (profile ${c.target.profile})` : ''}?`, formatPlan(plan), verb)) === verb;
        if (!ok) return out;
        const applied = await applyDeploy(c, plan, { signal });
        out.applied = true;
        out.authorizerArn = applied?.authorizerArn || out.authorizerArn;
        f.services.log.info(`${verb}d ${out.authorizerArn}:\n${formatPlan(plan)}`);
        f.section.refresh();
      }
      if (out.authorizerArn) {
        try {
          const policy = await getFunctionPolicy(c, def.authorizerFunctionArn, { signal });
          const check = checkInvokePermission(policy?.policy, out.authorizerArn, def.authorizerFunctionArn);
          out.permission = { allowed: check.allowed, reason: check.reason };
          if (!check.allowed) {
            const req = invokePermissionRequest(def.authorizerFunctionArn, out.authorizerArn);
            const choice = args.addPermission ? 'Add Permission' : await prompts.warn(`${check.reason} IoT Core cannot invoke the Lambda for '${def.authorizerName}'.`, 'Add Permission');
            if (choice === 'Add Permission') {
              await addInvokePermission(c, req, { signal });
              out.permission = { allowed: true, added: true, reason: `Added statement ${req.StatementId}.` };
              f.services.log.info(`Added Lambda permission ${req.StatementId} on ${req.FunctionName} for ${req.SourceArn}.`);
            }
          }
        } catch (e) {
          if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
          f.services.log.warn(`Could not check the Lambda's resource policy: ${e.display}`);
        }
      }
      if (out.applied) void prompts.info(`${plan.action === 'create' ? 'Created' : 'Updated'} authorizer '${def.authorizerName}' in ${c.target.region}.`);
      return out;
    },
    { region },
  );
}
