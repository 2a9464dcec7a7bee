import * as path from 'node:path';
import { formatConnectionResult, NormalizedCase, normalizeTestFile, PROTOCOLS, Protocol, runCase, validateTestText } from '../../core/emulator';
import { AuthzError } from '../../core/errors';
import { lineColumn, parseJsonText, readTextFile } from '../../core/files';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, flag, list, ParsedArgs, requireStr, str, UsageError } from '../framework';

/** The options of the ad-hoc form: what the device sends, given on the command line instead of in a case file. */
const AD_HOC = ['token', 'signature', 'sign-with', 'protocol', 'client-id', 'username', 'password', 'header', 'operation'] as const;

export const invokeCommand: CliCommand = {
  name: 'invoke',
  summary: 'Run one connection through the authorizer locally: signature, event, handler, response, decisions.',
  usage: [
    '  iot-authz invoke --authorizer DEF.authorizer.json --case CASE.authz-test.json [--name CASE_NAME] [--json]',
    '  iot-authz invoke --authorizer DEF.authorizer.json [--token T] [--signature BASE64 | --sign-with PRIVATE.pem]',
    '                   [--protocol https|mqtt|wss] [--client-id ID] [--username U] [--password P]',
    '                   [--header NAME:VALUE ...] [--operation "iot:Publish topic/x" ...] [--json]',
    '',
    '  The second form describes the connection on the command line: --sign-with signs the token at run',
    "  time (generating the definition's example key pair when it names that key file and neither half",
    '  exists yet); --operation is decided against the returned policies. The output is the same.',
    '  Runs the named case of the file (default: its first case) against DEF, whatever the case file names',
    '  as its authorizer, and prints every step: the signature check, the event the Lambda receives, its log,',
    '  its response and the decision for each operation in the case expectations. Expectations are checked.',
    '  Exit 0 when the case\'s expectations hold (a case without expectations: when the connection is accepted),',
    '  1 otherwise, 2 on bad input.',
  ].join('\n'),
  options: {
    authorizer: { type: 'string' },
    case: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
    token: { type: 'string' },
    signature: { type: 'string' },
    'sign-with': { type: 'string' },
    protocol: { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    header: { type: 'string', multiple: true },
    operation: { type: 'string', multiple: true },
  },
  async run(args: ParsedArgs, io: CliIo) {
    const definition = path.resolve(io.cwd, requireStr(args, 'authorizer'));
    const adHoc = AD_HOC.filter((o) => args.values[o] !== undefined);
    if (str(args, 'case') === undefined) {
      if (!adHoc.length) throw new UsageError('Give --case CASE.authz-test.json, or describe the connection with --token, --signature or --sign-with, --protocol, ... (see below).');
      if (str(args, 'name') !== undefined) throw new UsageError('--name picks a case of --case; without --case there is no case to pick.');
      return runAndPrint(adHocCase(args), path.join(io.cwd, 'command line'), definition, args, io);
    }
    if (adHoc.length) throw new UsageError(`--case describes the connection: leave out ${adHoc.map((o) => `--${o}`).join(', ')}, or leave out --case.`);
    const caseFile = path.resolve(io.cwd, requireStr(args, 'case'));
    const text = readTextFile(caseFile, 'test case');
    // The case file is checked first: any JSON (an authorizer response, a definition) would otherwise run as a case.
    // --authorizer replaces the file's, so a case without one is fine here.
    const errors = validateTestText(text).filter((f) => f.severity === 'error' && f.code !== 'TEST_AUTHORIZER_MISSING');
    if (errors.length) {
      const shown = path.relative(io.cwd, caseFile) || caseFile;
      for (const f of errors) {
        const at = lineColumn(text, f.range.start);
        io.stderr(`${shown}:${at.line}:${at.column}: error ${f.code} ${f.message}\n`);
      }
      io.stderr(`iot-authz invoke: ${shown} is not a valid test case file (${errors.length} error(s)). Fix it (schemas/authz-test.schema.json describes the format), or run iot-authz validate ${shown}.\n`);
      return EXIT_USAGE;
    }
    const doc = parseJsonText(text, `The test case file ${caseFile}`);
    const cases = normalizeTestFile(doc);
    const name = str(args, 'name');
    const chosen = name === undefined ? cases[0] : cases.find((c) => c.name === name);
    if (!chosen) {
      throw new AuthzError('TEST_CASE_NOT_FOUND', name ? `No case named "${name}" in ${caseFile}.` : `${caseFile} holds no case.`, `Cases: ${cases.map((c) => JSON.stringify(c.name)).join(', ') || 'none'}.`);
    }
    return runAndPrint(chosen, caseFile, definition, args, io);
  },
};

/** The case the ad-hoc options describe; relative key paths are resolved against the current directory. */
function adHocCase(args: ParsedArgs): NormalizedCase {
  const protocol = str(args, 'protocol') ?? 'https';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw new UsageError(`--protocol must be ${PROTOCOLS.join(', ')}, not '${protocol}'.`);
  const signature = str(args, 'signature');
  const signWith = str(args, 'sign-with');
  if (signature !== undefined && signWith !== undefined) throw new UsageError('Give --signature or --sign-with, not both.');
  const token = str(args, 'token');
  if (signWith !== undefined && token === undefined) throw new UsageError('--sign-with signs the token: give --token too.');
  const headers: Record<string, string> = {};
  for (const h of list(args, 'header')) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header takes NAME:VALUE, not '${h}'.`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const optional = (name: string) => str(args, name);
  return {
    name: 'command line',
    index: 0,
    protocol: protocol as Protocol,
    ...(token !== undefined ? { token } : {}),
    ...(signature !== undefined ? { signature } : {}),
    ...(signWith !== undefined ? { signature: { signWithKey: signWith } } : {}),
    ...(optional('client-id') !== undefined ? { clientId: optional('client-id') } : {}),
    ...(optional('username') !== undefined ? { username: optional('username') } : {}),
    ...(optional('password') !== undefined ? { password: optional('password') } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    checkOperations: list(args, 'operation'),
  };
}

async function runAndPrint(chosen: NormalizedCase, caseFile: string, definition: string, args: ParsedArgs, io: CliIo): Promise<number> {
  const generated: string[] = [];
  const r = await runCase({ ...chosen, authorizer: definition }, caseFile, { allowCodeExecution: true, workspaceRoot: io.cwd }, generated);
  if (r.error) throw new AuthzError('INVOKE_FAILED', r.error);
  const result = r.result!;
  if (flag(args, 'json')) {
    io.stdout(`${JSON.stringify({ case: r.name, passed: r.passed, failures: r.failures, generatedKeys: generated, result }, null, 2)}\n`);
  } else {
    for (const g of generated) io.stdout(`(generated ${path.relative(io.cwd, g)})\n`);
    io.stdout(formatConnectionResult(result));
    if (chosen.expect) {
      io.stdout(r.passed ? `\nExpectations of "${r.name}": all hold.\n` : `\nExpectations of "${r.name}" that fail:\n${r.failures.map((f) => `  - ${f}`).join('\n')}\n`);
    }
  }
  const ok = chosen.expect ? r.passed : result.outcome === 'accepted';
  return ok ? EXIT_OK : EXIT_NEGATIVE;
}
