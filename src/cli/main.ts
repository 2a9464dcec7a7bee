import { commands } from './commands/index';
import { CliIo, EXIT_OK, EXIT_USAGE, runCommand } from './framework';
import { cliVersion } from './version';

export { cliVersion };

const VERSION = cliVersion();

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `iot-authz ${VERSION}: AWS IoT Core custom authorizer tools\n\nUsage: iot-authz <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'iot-authz <command> --help' for a command's options.\nExit codes: 0 success, 1 a negative result, 2 bad usage or bad input.\n`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(usage());
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  if (argv[0] === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  // Longest name first, so "aws list" wins over a hypothetical "aws".
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const c of sorted) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return runCommand(c, argv.slice(words.length), io);
  }
  io.stderr(`iot-authz: unknown command '${argv.slice(0, 2).join(' ')}'.\n\n${usage()}`);
  return EXIT_USAGE;
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`iot-authz: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
