import { AuthzError } from '../../core/errors';
import { AuthorizerStatus, describeDefaultAuthorizer, listAuthorizers } from '../../core/aws';
import { CliCommand, EXIT_OK, UsageError, flag, str } from '../framework';
import { AWS_OPTIONS, AWS_USAGE_OPTIONS, printJson, table, withAws } from './awsCommon';

export const awsListCommand: CliCommand = {
  name: 'aws list',
  summary: 'List the account\'s custom authorizers (the default one marked *).',
  usage: `  iot-authz aws list [--status ACTIVE|INACTIVE] [--profile P] [--region R] [--endpoint URL] [--json]\n${AWS_USAGE_OPTIONS}`,
  options: { ...AWS_OPTIONS, status: { type: 'string' } },
  async run(args, io) {
    const status = str(args, 'status');
    if (status !== undefined && status !== 'ACTIVE' && status !== 'INACTIVE') throw new UsageError('--status must be ACTIVE or INACTIVE.');
    return withAws(this.name, args, io, async (c) => {
      const list = await listAuthorizers(c, { status });
      // The listing carries no status: a second, INACTIVE-only listing tells them apart (as the explorer does).
      let inactive: Set<string> | undefined;
      if (status) inactive = new Set(status === 'INACTIVE' ? list.map((a) => a.authorizerName) : []);
      else {
        try {
          inactive = new Set((await listAuthorizers(c, { status: 'INACTIVE' })).map((a) => a.authorizerName));
        } catch (e) {
          if (!(e instanceof AuthzError) || e.code === 'CANCELLED') throw e;
        }
      }
      const statusOf = (n: string): AuthorizerStatus | undefined => (inactive ? (inactive.has(n) ? 'INACTIVE' : 'ACTIVE') : undefined);
      let def: string | undefined;
      try {
        def = (await describeDefaultAuthorizer(c))?.authorizerName;
      } catch (e) {
        if (!(e instanceof AuthzError)) throw e; // e.g. no iot:DescribeDefaultAuthorizer: list without the mark
      }
      if (flag(args, 'json')) {
        printJson(io, { region: c.target.region, defaultAuthorizerName: def ?? null, authorizers: list.map((a) => ({ ...a, status: statusOf(a.authorizerName) ?? null, isDefault: a.authorizerName === def })) });
        return EXIT_OK;
      }
      if (!list.length) {
        io.stdout(`No custom authorizers${status ? ` with status ${status}` : ''} in ${c.target.region}.\n`);
        return EXIT_OK;
      }
      io.stdout(table([['', 'NAME', 'STATUS', 'ARN'], ...list.map((a) => [a.authorizerName === def ? '*' : '', a.authorizerName, statusOf(a.authorizerName) ?? '?', a.authorizerArn])]));
      return EXIT_OK;
    });
  },
};
