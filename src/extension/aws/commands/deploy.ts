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
import { confirmAddPermission } from './addPermission';
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
  // Every question is asked between progress notifications, never while one spins: a question
  // under a spinning "Deploying" toast can hide in the notification centre and stall the deploy.
  const { plan, target, current } = await f.connection.run(
    `Reading ${def.authorizerName} in AWS`,
    async (c, signal) => {
      const current = await findAuthorizer(c, def.authorizerName, { signal });
      return { plan: planDeploy(def, current), target: c.target, current };
    },
    { region },
  );
  const out: DeployOutcome = { plan, applied: false, authorizerArn: current?.authorizerArn };
  if (plan.action === 'none') {
    void prompts.info(`Authorizer '${def.authorizerName}' in ${target.region} already matches ${vscode.workspace.asRelativePath(uri)}.`);
  } else {
    const verb = plan.action === 'create' ? 'Create' : 'Update';
    const ok = args.apply || (await prompts.confirm(`${verb} authorizer '${def.authorizerName}' in ${target.region}${target.profile ? ` (profile ${target.profile})` : ''}?`, formatPlan(plan), verb)) === verb;
    if (!ok) return out;
    const applied = await f.connection.run(`Deploying ${def.authorizerName}`, (c, signal) => applyDeploy(c, plan, { signal }), { region });
    out.applied = true;
    out.authorizerArn = applied?.authorizerArn || out.authorizerArn;
    f.services.log.info(`${verb}d ${out.authorizerArn}:\n${formatPlan(plan)}`);
    f.section.refresh();
  }
  const authorizerArn = out.authorizerArn;
  if (authorizerArn) {
    try {
      const check = await f.connection.run(
        `Checking the Lambda permission of ${def.authorizerName}`,
        async (c, signal) => checkInvokePermission((await getFunctionPolicy(c, def.authorizerFunctionArn, { signal }))?.policy, authorizerArn, def.authorizerFunctionArn),
        { region },
      );
      out.permission = { allowed: check.allowed, reason: check.reason };
      if (!check.allowed) {
        const req = invokePermissionRequest(def.authorizerFunctionArn, authorizerArn);
        if (args.addPermission || (await confirmAddPermission(f, def.authorizerName, `${check.reason} IoT Core cannot invoke the Lambda for '${def.authorizerName}'.`, req))) {
          await f.connection.run('Adding the Lambda permission', (c, signal) => addInvokePermission(c, req, { signal }), { region });
          out.permission = { allowed: true, added: true, reason: `Added statement ${req.StatementId}.` };
          f.services.log.info(`Added Lambda permission ${req.StatementId} on ${req.FunctionName} for ${req.SourceArn}.`);
          f.section.refresh();
        }
      }
    } catch (e) {
      if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
      f.services.log.warn(`Could not check the Lambda's resource policy: ${e.display}`);
    }
  }
  if (out.applied) void prompts.info(`${plan.action === 'create' ? 'Created' : 'Updated'} authorizer '${def.authorizerName}' in ${target.region}.`);
  return out;
}
