import * as path from 'node:path';
import { AuthzError } from '../../core/errors';
import { addInvokePermission, diagnoseAuthorizer, overallStatus, pemFileFingerprint, scanWorkspaceKeys, WorkspaceKey } from '../../core/aws';
import { CliCommand, EXIT_NEGATIVE, EXIT_OK, UsageError, flag, list } from '../framework';
import { AWS_OPTIONS, AWS_USAGE_OPTIONS, printJson, withAws } from './awsCommon';

const MARK = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export const awsDoctorCommand: CliCommand = {
  name: 'aws doctor',
  summary: 'Check a deployed authorizer: status, keys, Lambda, invoke permission, timeout, default / domain settings.',
  usage: `  iot-authz aws doctor NAME [--key FILE.pem ...] [--no-scan] [--fix] [--profile P] [--region R] [--endpoint URL] [--json]
  --key FILE    a public (or private) key of yours to match against the authorizer's keys (repeatable)
  --no-scan     do not look for *.pem files under the current folder
  --fix         apply the fixes that are safe to automate (the Lambda invoke permission)
${AWS_USAGE_OPTIONS}
Exit: 0 no failed check, 1 a check failed or AWS refused.`,
  options: { ...AWS_OPTIONS, key: { type: 'string', multiple: true }, 'no-scan': { type: 'boolean' }, fix: { type: 'boolean' } },
  allowPositionals: true,
  async run(args, io) {
    const [name, ...rest] = args.positionals;
    if (!name || rest.length) throw new UsageError('Give exactly one authorizer NAME.');
    const keys: WorkspaceKey[] = [];
    for (const k of list(args, 'key')) {
      const fp = pemFileFingerprint(path.resolve(io.cwd, k));
      if (!fp) throw new UsageError(`${k} holds no readable RSA key.`);
      keys.push({ label: k, fingerprint: fp });
    }
    if (!flag(args, 'no-scan')) keys.push(...scanWorkspaceKeys(io.cwd));
    // --no-scan without --key: nothing was looked at, so no key is said to match nothing.
    const workspaceKeys = flag(args, 'no-scan') && !keys.length ? undefined : keys;
    return withAws(this.name, args, io, async (c) => {
      let { checks } = await diagnoseAuthorizer(c, name, { workspaceKeys });
      const fixed: string[] = [];
      if (flag(args, 'fix')) {
        for (const ch of checks) {
          if (ch.status === 'fail' && ch.fix?.kind === 'add-permission') {
            try {
              await addInvokePermission(c, ch.fix.request);
              fixed.push(`${ch.id}: added statement ${ch.fix.request.StatementId}`);
            } catch (e) {
              if (!(e instanceof AuthzError)) throw e;
              fixed.push(`${ch.id}: not fixed: ${e.display}`);
            }
          }
        }
        if (fixed.length) checks = (await diagnoseAuthorizer(c, name, { workspaceKeys })).checks;
      }
      const status = overallStatus(checks);
      if (flag(args, 'json')) printJson(io, { authorizerName: name, status, checks, fixed });
      else {
        for (const f of fixed) io.stdout(`fixed: ${f}\n`);
        for (const ch of checks) {
          io.stdout(`${MARK[ch.status]}  ${ch.message}\n`);
          if (ch.fix && ch.status !== 'pass') io.stdout(`      fix: ${ch.fix.description}${ch.fix.kind === 'add-permission' && !flag(args, 'fix') ? ' (iot-authz aws doctor --fix does it)' : ''}\n`);
        }
        const n = (s: string) => checks.filter((x) => x.status === s).length;
        io.stdout(`${n('pass')} ok, ${n('warn')} warning(s), ${n('fail')} failed.\n`);
      }
      return status === 'fail' ? EXIT_NEGATIVE : EXIT_OK;
    });
  },
};
