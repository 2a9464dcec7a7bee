import { listProfiles, sharedFilePaths } from '../../core/aws';
import { CliCommand, EXIT_OK, flag } from '../framework';
import { printJson, table } from './awsCommon';

export const awsProfilesCommand: CliCommand = {
  name: 'aws profiles',
  summary: 'List the AWS profiles of ~/.aws/config and ~/.aws/credentials (honours AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).',
  usage: '  iot-authz aws profiles [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const profiles = listProfiles(io.env);
    if (flag(args, 'json')) {
      printJson(io, { files: sharedFilePaths(io.env), profiles });
      return EXIT_OK;
    }
    if (!profiles.length) {
      const f = sharedFilePaths(io.env);
      io.stdout(`No profiles in ${f.configFile} or ${f.credentialsFile}. Create one with \`aws configure\` or \`aws configure sso\`.\n`);
      return EXIT_OK;
    }
    const current = io.env.AWS_PROFILE ?? 'default';
    io.stdout(table([['', 'PROFILE', 'KIND', 'REGION'], ...profiles.map((p) => [p.name === current ? '*' : '', p.name, p.kind, p.region ?? ''])]));
    return EXIT_OK;
  },
};
