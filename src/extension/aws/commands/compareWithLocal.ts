import * as vscode from 'vscode';
import { AuthzError } from '../../../core/errors';
import type { ConnectionResult } from '../../../core/emulator/pipeline';
import type { ResultsModel } from '../../panels/model';
import { AwsFeature } from '../feature';
import { runnableDefinitionFor } from '../localDefinitions';
import { AuthorizerRef, isArgs, nameOf } from './common';
import { awsModel, PROTOCOL_LABEL, runTestInvoke, TestInvokeArgs } from './testInvoke';

export interface CompareArgs extends TestInvokeArgs {
  /** The *.authorizer.json to run locally (default: the workspace definition with this authorizerName and a handler). */
  definition?: string;
}

export interface CompareOutcome {
  aws: ConnectionResult;
  /** Undefined when the local run was not possible (Restricted Mode) or failed. */
  local?: ConnectionResult;
  /** Why there is no local result. */
  localSkipped?: string;
  model: ResultsModel;
}

/** Shown (non-modal) when the workspace is not trusted: only the AWS side runs. */
export const RESTRICTED_COMPARE_MESSAGE =
  'Compare with local run: this workspace is in Restricted Mode, and running the authorizer locally executes its handler (workspace code). Showing the AWS result only; trust the workspace to compare.';

/**
 * Compare with Local Run: Test in AWS, then the same token, signature and contexts through the
 * local emulator with the workspace definition of this authorizer, both in the results panel
 * (the local run in the compare slot). Local runs need workspace trust: in Restricted Mode
 * this says so and shows the AWS result alone.
 */
export async function compareWithLocalCommand(f: AwsFeature, ref: AuthorizerRef | CompareArgs): Promise<CompareOutcome | undefined> {
  const args: CompareArgs = isArgs<CompareArgs>(ref) ? ref : {};
  const given = nameOf(ref as AuthorizerRef);
  let definition: vscode.Uri | undefined = args.definition ? toUri(args.definition) : undefined;
  if (!definition && given) {
    definition = (await runnableDefinitionFor(given))?.uri;
    if (!definition) {
      throw new AuthzError(
        'AWS_NO_LOCAL_DEFINITION',
        `No *.authorizer.json with "authorizerName": "${given}" and a handler section in this workspace, so there is nothing to run locally.`,
        'Download it as a definition file and add "handler": {"runtime": "nodejs", "file": "lambda/index.js"}.',
      );
    }
  }
  const run = await runTestInvoke(f, ref as AuthorizerRef | TestInvokeArgs, 'Compare with Local Run');
  if (!run) return undefined;
  const name = run.authorizer.authorizerName;
  definition ??= (await runnableDefinitionFor(name))?.uri;
  let local: ConnectionResult | undefined;
  let localSkipped: string | undefined;
  if (!definition) localSkipped = `No workspace definition of ${name} with a handler.`;
  else if (!vscode.workspace.isTrusted) {
    localSkipped = RESTRICTED_COMPARE_MESSAGE;
    void f.services.prompts.warn(RESTRICTED_COMPARE_MESSAGE);
  } else {
    const i = run.input;
    // Every answer is given, so the local run asks nothing; its failures show as its own error.
    local = await vscode.commands.executeCommand<ConnectionResult | undefined>('iotAuthz.emulator.runLocally', {
      definition: definition.fsPath,
      protocol: run.protocol,
      token: i.token ?? '',
      signature: i.signature ?? '',
      clientId: i.clientId ?? '',
      username: i.username ?? '',
      password: i.password ?? '',
      operations: run.operations,
      showResult: false,
    });
    if (!local) localSkipped = 'The local run did not finish (see the error or the log).';
  }
  const model: ResultsModel = {
    ...awsModel(run),
    title: `${name} (${PROTOCOL_LABEL[run.protocol]}): AWS ${run.result.outcome}${local ? `, local ${local.outcome}` : ''}`,
    ...(definition ? { authorizerFile: vscode.workspace.asRelativePath(definition, false) } : {}),
    ...(local ? { compare: { title: `Local run (${vscode.workspace.asRelativePath(definition!, false)})`, source: 'local' as const, result: local } } : {}),
  };
  if (localSkipped) f.services.log.info(`Compare ${name}: ${localSkipped}`);
  if (args.show !== false && f.results) await f.results.show(model);
  return { aws: run.result, local, localSkipped, model };
}

function toUri(p: string): vscode.Uri {
  if (/^([a-zA-Z]:[\\/]|\/)/.test(p)) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...p.split(/[\\/]/).filter(Boolean)) : vscode.Uri.file(p);
}
