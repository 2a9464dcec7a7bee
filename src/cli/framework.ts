import { parseArgs, ParseArgsConfig } from 'node:util';
import { AuthzError } from '../core/errors';
import { closest } from '../core/suggest';

/** Exit codes of every iot-authz command. */
export const EXIT_OK = 0;
/** A negative result: invalid signature, validation errors, a denied operation, a failed test. */
export const EXIT_NEGATIVE = 1;
/** Bad usage or bad input; the reason is on stderr. */
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface CliCommand {
  /** One word, or two for a group ("aws list"). */
  readonly name: string;
  readonly summary: string;
  /** Usage lines shown by --help and on a usage error. */
  readonly usage: string;
  readonly options: CliOptions;
  readonly allowPositionals?: boolean;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Thrown for a usage mistake: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError(withOptionSuggestion(e as Error & { code?: string }, Object.keys(command.options)));
  }
}

/** parseArgs' "Unknown option '--tokn'" with the closest known option appended, when one is close. */
function withOptionSuggestion(e: Error & { code?: string }, known: string[]): string {
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'--([^'=]+)/.exec(e.message)?.[1] : undefined;
  const near = unknown ? closest(unknown, [...known, 'help']) : undefined;
  return near ? `${e.message}. Did you mean --${near}?` : e.message;
}

/** A string option's value, or undefined. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(args: ParsedArgs, name: string): string {
  const v = str(args, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required.`);
  return v;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}

/** Runs a command, mapping thrown errors to messages and exit codes. */
export async function runCommand(command: CliCommand, argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandArgs(command, argv);
    if (args.values.help) {
      io.stdout(`${command.summary}\n\nUsage:\n${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`iot-authz ${command.name}: ${e.message}\nUsage:\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof AuthzError) {
      io.stderr(`iot-authz ${command.name}: ${e.display}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`iot-authz ${command.name}: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT_USAGE;
  }
}
