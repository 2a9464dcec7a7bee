import * as path from 'node:path';
import { formatConnectionResult, normalizeTestFile, runCase, validateTestText } from '../../core/emulator';
import { AuthzError } from '../../core/errors';
import { lineColumn, parseJsonText, readTextFile } from '../../core/files';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, flag, ParsedArgs, requireStr, str } from '../framework';

export const invokeCommand: CliCommand = {
  name: 'invoke',
  summary: 'Run one connection through the authorizer locally: signature, event, handler, response, decisions.',
  usage: [
    '  iot-authz invoke --authorizer DEF.authorizer.json --case CASE.authz-test.json [--name CASE_NAME] [--json]',
    '',
    '  Runs the named case of the file (default: its first case) against DEF, whatever the case file names',
    '  as its authorizer, and prints every step: the signature check, the event the Lambda receives, its log,',
    '  its response and the decision for each operation in the case expectations. Expectations are checked.',
    '  Exit 0 when the case\'s expectations hold (a case without expectations: when the connection is accepted),',
    '  1 otherwise, 2 on bad input. Key paths must stay inside the current folder or the file\'s own folder',
    '  unless --allow-outside-workspace.',
  ].join('\n'),
  options: {
    authorizer: { type: 'string' },
    case: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
    'allow-outside-workspace': { type: 'boolean' },
  },
  async run(args: ParsedArgs, io: CliIo) {
    const definition = path.resolve(io.cwd, requireStr(args, 'authorizer'));
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
    const generated: string[] = [];
    const r = await runCase({ ...chosen, authorizer: definition }, caseFile, { allowCodeExecution: true, workspaceRoot: io.cwd, allowOutsideWorkspace: flag(args, 'allow-outside-workspace') }, generated);
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
  },
};
