import { CliCommand, EXIT_OK } from '../framework';
import { cliVersion } from '../version';

/**
 * `iot-authz version`: the same as `--version`, as a word, because
 * `npx iot-authz --version` gives the flag to npx, which prints its own.
 */
export const versionCommand: CliCommand = {
  name: 'version',
  summary: 'Print the iot-authz version (the same as --version; npx keeps --version for itself).',
  usage: '  iot-authz version',
  options: {},
  async run(_args, io) {
    io.stdout(`${cliVersion()}\n`);
    return EXIT_OK;
  },
};
