import * as path from 'node:path';
import * as readline from 'node:readline';
import { AuthzError } from '../../core/errors';
import {
  addInvokePermission,
  applyDeploy,
  checkInvokePermission,
  findAuthorizer,
  formatPlan,
  getFunctionPolicy,
  invokePermissionRequest,
  loadDefinitionFile,
  planDeploy,
} from '../../core/aws';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, UsageError, flag } from '../framework';
import { AWS_OPTIONS, AWS_USAGE_OPTIONS, printJson, withAws } from './awsCommon';

/** Asks y/N on the terminal; false when there is none (tests, pipes, CI). */
async function confirmOnTty(question: string, io: CliIo): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY || io.env.CI) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const awsDeployCommand: CliCommand = {
  name: 'aws deploy',
  summary: 'Create or update a custom authorizer from a definition file, showing the field-by-field diff first.',
  usage: `  iot-authz aws deploy DEF.authorizer.json [--yes] [--add-permission] [--profile P] [--region R] [--endpoint URL] [--json]
  --yes              apply without asking (otherwise asks y/N on a terminal; without one, only shows the plan)
  --add-permission   also add the Lambda resource-policy statement letting IoT invoke the function, if missing
  --allow-outside-workspace  let key paths lead outside the current folder and the definition's folder
${AWS_USAGE_OPTIONS.replace(/^ {2}--region R .*$/m, '  --region R      region (default: the definition\'s "region", then AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)')}
Exit: 0 applied or nothing to change, 1 not applied (declined or no terminal) or AWS refused, 2 bad definition or setup.`,
  options: { ...AWS_OPTIONS, yes: { type: 'boolean', short: 'y' }, 'add-permission': { type: 'boolean' }, 'allow-outside-workspace': { type: 'boolean' } },
  allowPositionals: true,
  async run(args, io) {
    const [file, ...rest] = args.positionals;
    if (!file || rest.length) throw new UsageError('Give exactly one definition file.');
    const abs = path.resolve(io.cwd, file);
    const json = flag(args, 'json');
    let def;
    try {
      def = loadDefinitionFile(abs, [path.dirname(abs), io.cwd], { allowOutsideWorkspace: flag(args, 'allow-outside-workspace') });
    } catch (e) {
      if (e instanceof AuthzError) {
        io.stderr(`iot-authz ${this.name}: ${e.display}\n`);
        return 2;
      }
      throw e;
    }
    return withAws(
      this.name,
      args,
      io,
      async (c) => {
        const current = await findAuthorizer(c, def.authorizerName);
        const plan = planDeploy(def, current);
        if (!json) io.stdout(formatPlan(plan));
        const report: Record<string, unknown> = { action: plan.action, authorizerName: plan.authorizerName, changes: plan.changes, notes: plan.notes, applied: false };
        let authorizerArn = current?.authorizerArn;
        if (plan.action !== 'none') {
          const ok = flag(args, 'yes') || (!json && (await confirmOnTty(`Apply to ${c.target.region}${c.target.profile ? ` (profile ${c.target.profile})` : ''}? [y/N] `, io)));
          if (!ok) {
            if (json) printJson(io, report);
            else io.stderr('Not applied. Run again with --yes to apply.\n');
            return EXIT_NEGATIVE;
          }
          const applied = await applyDeploy(c, plan);
          authorizerArn = applied?.authorizerArn || authorizerArn;
          report.applied = true;
          report.authorizerArn = authorizerArn;
          if (!json) io.stdout(`${plan.action === 'create' ? 'Created' : 'Updated'} ${authorizerArn}.\n`);
        }
        // The invoke permission: without it IoT Core never calls the Lambda.
        if (authorizerArn) {
          try {
            const policy = await getFunctionPolicy(c, def.authorizerFunctionArn);
            const check = checkInvokePermission(policy?.policy, authorizerArn, def.authorizerFunctionArn);
            report.permission = { allowed: check.allowed, reason: check.reason, warnings: check.warnings };
            if (!check.allowed) {
              const req = invokePermissionRequest(def.authorizerFunctionArn, authorizerArn);
              if (flag(args, 'add-permission')) {
                await addInvokePermission(c, req);
                report.permission = { allowed: true, added: req };
                if (!json) io.stdout(`Added permission ${req.StatementId}: iot.amazonaws.com may invoke ${def.authorizerFunctionArn} from ${authorizerArn}.\n`);
              } else if (!json) {
                io.stderr(
                  `warning: ${check.reason} IoT Core cannot invoke the Lambda for this authorizer.\n  Fix: iot-authz aws deploy ${file} --yes --add-permission, or\n  aws lambda add-permission --function-name ${req.FunctionName} --statement-id ${req.StatementId} --action ${req.Action} --principal ${req.Principal} --source-arn ${req.SourceArn} --source-account ${req.SourceAccount}\n`,
                );
              }
            }
          } catch (e) {
            if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
            report.permission = { error: e.display };
            if (!json) io.stderr(`warning: could not check the Lambda's resource policy: ${e.display}\n`);
          }
        }
        if (json) printJson(io, report);
        return EXIT_OK;
      },
      def.region,
    );
  },
};
