import * as fs from 'node:fs';
import * as path from 'node:path';
import { definitionFromDescription, describeAuthorizer, publicKeyInfo } from '../../core/aws';
import { CliCommand, EXIT_OK, UsageError, flag, str } from '../framework';
import { AWS_OPTIONS, AWS_USAGE_OPTIONS, printJson, withAws } from './awsCommon';

export const awsDescribeCommand: CliCommand = {
  name: 'aws describe',
  summary: 'Describe a custom authorizer; --definition prints it as an authorizer definition file.',
  usage: `  iot-authz aws describe NAME [--definition] [--out FILE] [--profile P] [--region R] [--endpoint URL] [--json]
  --definition    print the authorizer as a *.authorizer.json definition (keys inline)
  --out FILE      write the definition to FILE (implies --definition; refuses to overwrite)
${AWS_USAGE_OPTIONS}`,
  options: { ...AWS_OPTIONS, definition: { type: 'boolean' }, out: { type: 'string' } },
  allowPositionals: true,
  async run(args, io) {
    const [name, ...rest] = args.positionals;
    if (!name || rest.length) throw new UsageError('Give exactly one authorizer NAME.');
    return withAws(this.name, args, io, async (c) => {
      const d = await describeAuthorizer(c, name);
      const out = str(args, 'out');
      if (flag(args, 'definition') || out) {
        const text = `${JSON.stringify(definitionFromDescription(d, { region: c.target.region }), null, 2)}\n`;
        if (out) {
          const file = path.resolve(io.cwd, out);
          if (fs.existsSync(file)) throw new UsageError(`${out} exists; choose another file.`);
          fs.writeFileSync(file, text);
          io.stdout(`Wrote ${out}.\n`);
        } else io.stdout(text);
        return EXIT_OK;
      }
      if (flag(args, 'json')) {
        printJson(io, d);
        return EXIT_OK;
      }
      const lines = [
        `${d.authorizerName}  (${d.status ?? 'unknown status'})`,
        `  ARN:               ${d.authorizerArn}`,
        `  Lambda:            ${d.authorizerFunctionArn ?? '(none)'}`,
        `  Signing:           ${d.signingDisabled ? 'disabled' : 'enabled'}`,
      ];
      if (!d.signingDisabled) lines.push(`  Token key name:    ${d.tokenKeyName ?? '(none)'}`);
      for (const [k, pem] of Object.entries(d.tokenSigningPublicKeys ?? {})) {
        const i = publicKeyInfo(pem);
        lines.push(`  Key ${k}: ${i.problem ? `unreadable (${i.problem})` : `${(i.type ?? '?').toUpperCase()} ${i.bits ?? '?'} bits, SHA-256 ${i.fingerprint}`}`);
      }
      lines.push(`  HTTP caching:      ${d.enableCachingForHttp ? 'on' : 'off'}`);
      if (d.creationDate) lines.push(`  Created:           ${d.creationDate.toISOString()}`);
      if (d.lastModifiedDate) lines.push(`  Modified:          ${d.lastModifiedDate.toISOString()}`);
      io.stdout(`${lines.join('\n')}\n`);
      return EXIT_OK;
    });
  },
};
