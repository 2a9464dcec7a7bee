import { addInvokePermission, DoctorCheck, diagnoseAuthorizer, overallStatus, setDefaultAuthorizer, updateAuthorizer } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, isArgs, pickAuthorizer, workspaceKeyFingerprints } from './common';

export interface DoctorArgs {
  authorizerName?: string;
  /** Apply the invoke-permission fix without asking (other fixes always ask). */
  fix?: boolean;
  /** Show the checks in a quick pick (default true; tests pass false). */
  show?: boolean;
}

export interface DoctorOutcome {
  status: 'pass' | 'warn' | 'fail';
  checks: DoctorCheck[];
  fixed: string[];
}

const ICON = { pass: '$(pass)', warn: '$(warning)', fail: '$(error)' } as const;

/**
 * Authorizer Doctor: describes the authorizer, its Lambda, the Lambda's resource policy, the
 * default authorizer and domain configurations, compares the keys with the workspace's, and
 * lists the checks; picking a failed check with a fix applies it after confirmation.
 */
export async function doctorCommand(f: AwsFeature, ref: AuthorizerRef | DoctorArgs): Promise<DoctorOutcome | undefined> {
  const args: DoctorArgs = isArgs<DoctorArgs>(ref) ? ref : {};
  const name = await pickAuthorizer(f, ref as AuthorizerRef, 'Authorizer Doctor');
  if (!name) return undefined;
  const workspaceKeys = await workspaceKeyFingerprints();
  const run = () => f.connection.run(`Checking ${name}`, (c, signal) => diagnoseAuthorizer(c, name, { signal, workspaceKeys }));
  let { checks } = await run();
  const fixed: string[] = [];
  for (const ch of checks) f.services.log.info(`Doctor ${name}: ${ch.status.toUpperCase()} ${ch.id}: ${ch.message}`);
  if (args.fix) {
    for (const ch of checks) {
      if (ch.status === 'fail' && ch.fix?.kind === 'add-permission') {
        const req = ch.fix.request;
        await f.connection.run('Adding the Lambda permission', (c, signal) => addInvokePermission(c, req, { signal }));
        fixed.push(`${ch.id}: added statement ${req.StatementId}`);
      }
    }
    if (fixed.length) checks = (await run()).checks;
  }
  if (args.show !== false) {
    const items = checks.map((ch) => ({
      label: `${ICON[ch.status]} ${ch.message}`,
      detail: ch.fix && ch.status !== 'pass' ? `Fix: ${ch.fix.description}` : undefined,
      check: ch,
    }));
    const picked = await f.services.prompts.quickPick(items, { title: `Authorizer Doctor: ${name} (${overallStatus(checks)})`, placeHolder: 'Pick a check with a fix to apply it', matchOnDetail: true });
    const fix = picked?.check.fix;
    if (fix && picked.check.status !== 'pass' && fix.kind !== 'manual') {
      const ok = await f.services.prompts.confirm(fix.description, `Authorizer ${name}`, 'Apply');
      if (ok === 'Apply') {
        await f.connection.run('Applying the fix', async (c, signal) => {
          if (fix.kind === 'add-permission') await addInvokePermission(c, fix.request, { signal });
          else if (fix.kind === 'set-default') await setDefaultAuthorizer(c, fix.authorizerName, { signal });
          else if (fix.kind === 'activate') await updateAuthorizer(c, { authorizerName: name, status: 'ACTIVE' }, { signal });
        });
        fixed.push(`${picked.check.id}: ${fix.kind}`);
        f.section.refresh();
        checks = (await run()).checks;
        void f.services.prompts.info(`Applied: ${fix.description} Doctor now says: ${overallStatus(checks)}.`);
      }
    } else if (fix?.kind === 'manual' && picked?.check.status !== 'pass') {
      void f.services.prompts.info(fix.description);
    }
  }
  return { status: overallStatus(checks), checks, fixed };
}
