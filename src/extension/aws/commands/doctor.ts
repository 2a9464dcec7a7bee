import * as vscode from 'vscode';
import { addInvokePermission, DoctorCheck, diagnoseAuthorizer, formatDoctorReport, overallStatus, setDefaultAuthorizer, updateAuthorizer } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, isArgs, pickAuthorizer, workspaceKeyFingerprints } from './common';

export interface DoctorArgs {
  authorizerName?: string;
  /** Apply the invoke-permission fix without asking (other fixes always ask). */
  fix?: boolean;
  /** Show the report (a read-only document) and offer its fixes (default true; tests pass false). */
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
 * opens the report as a read-only document; the fixes are offered as a quick pick, and the
 * report refreshes after each one applied.
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
    // The report stays open as a read-only document (full lines, refreshed after a fix); the
    // quick pick offers only the fixes, so Enter on a passing check cannot close anything.
    const where = `${f.connection.describe().profile} · ${f.connection.describe().region}`;
    const uri = f.documents?.uriFor('doctor', `${name}.md`);
    const showReport = async () => {
      const text = formatDoctorReport(name, where, checks, fixed);
      if (f.documents && uri) await f.documents.show(uri, text, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
      else f.services.log.info(text);
    };
    await showReport();
    for (;;) {
      const fixes = checks.filter((ch) => ch.status !== 'pass' && ch.fix && ch.fix.kind !== 'manual');
      if (!fixes.length) {
        void f.services.prompts.info(`Authorizer Doctor: ${name}: ${overallStatus(checks) === 'pass' ? 'every check passed' : `${overallStatus(checks)}; the report lists what to do`}.`);
        break;
      }
      const picked = await f.services.prompts.quickPick(
        fixes.map((ch) => ({ label: `${ICON[ch.status]} ${ch.fix!.description}`, detail: ch.message, check: ch })),
        { title: `Authorizer Doctor: ${name} (${overallStatus(checks)}): apply a fix`, placeHolder: 'The full report is open beside; Escape keeps it', matchOnDetail: true, ignoreFocusOut: true },
      );
      const fix = picked?.check.fix;
      if (!picked || !fix || fix.kind === 'manual') break;
      const ok = await f.services.prompts.confirm(fix.description, `Authorizer ${name}: ${picked.check.message}`, 'Apply');
      if (ok !== 'Apply') break;
      await f.connection.run('Applying the fix', async (c, signal) => {
        if (fix.kind === 'add-permission') await addInvokePermission(c, fix.request, { signal });
        else if (fix.kind === 'set-default') await setDefaultAuthorizer(c, fix.authorizerName, { signal });
        else if (fix.kind === 'activate') await updateAuthorizer(c, { authorizerName: name, status: 'ACTIVE' }, { signal });
      });
      fixed.push(`${picked.check.id}: ${fix.kind}`);
      f.section.refresh();
      checks = (await run()).checks;
      await showReport();
    }
  }
  return { status: overallStatus(checks), checks, fixed };
}
