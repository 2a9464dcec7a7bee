import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTestFiles, formatTestRun, runTests, TEST_FILE_SUFFIX } from '../../core/emulator';
import { pathGlobMatcher } from '../../core/glob';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, flag, ParsedArgs, UsageError } from '../framework';

/** Files for the command's arguments: files, folders (searched for *.authz-test.json) and globs. */
export function resolveTestArgs(args: string[], cwd: string): string[] {
  if (args.length === 0) return findTestFiles([cwd]);
  const out: string[] = [];
  for (const a of args) {
    if (/[*?]/.test(a)) {
      const abs = path.resolve(cwd, a).split(path.sep).join('/');
      const firstGlob = abs.search(/[*?]/);
      const base = abs.slice(0, abs.lastIndexOf('/', firstGlob) + 1) || '/';
      const re = pathGlobMatcher(abs);
      const matched = findTestFiles([base]).filter((f) => re.test(f.split(path.sep).join('/')));
      // A glob naming folders (examples/*) also finds the tests inside them.
      const dirs = fs.existsSync(base)
        ? findTestFiles([base]).filter((f) => !matched.includes(f) && [...parents(f, base)].some((d) => re.test(d)))
        : [];
      if (matched.length + dirs.length === 0) throw new UsageError(`${a} matches no *${TEST_FILE_SUFFIX} file.`);
      out.push(...matched, ...dirs);
      continue;
    }
    const p = path.resolve(cwd, a);
    if (!fs.existsSync(p)) throw new UsageError(`${a} does not exist.`);
    if (fs.statSync(p).isFile() && !p.endsWith(TEST_FILE_SUFFIX)) throw new UsageError(`${a} is not a *${TEST_FILE_SUFFIX} file.`);
    out.push(...findTestFiles([p]));
  }
  return [...new Set(out)];
}

function* parents(file: string, base: string): Generator<string> {
  let d = path.dirname(file);
  while (d.length >= base.length && d !== path.dirname(d)) {
    yield d.split(path.sep).join('/');
    d = path.dirname(d);
  }
}

export const testCommand: CliCommand = {
  name: 'test',
  summary: 'Run *.authz-test.json test cases through the local emulator (runs the handlers).',
  usage: [
    '  iot-authz test [FILE_DIR_OR_GLOB...] [--json] [--allow-outside-workspace]',
    '',
    `  Runs every case of the given files; folders are searched for *${TEST_FILE_SUFFIX} (node_modules and`,
    '  dot folders skipped); with no argument, the current folder. Missing example key pairs whose public',
    '  half the definition lists are generated first (private keys are never committed: keep them ignored).',
    '  Key paths (signWithKey, the definition\'s keys) must stay inside the current folder or the file\'s own',
    '  folder unless --allow-outside-workspace.',
    '  Exit 0 when every case passes, 1 when any fails or no case ran, 2 on bad usage.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'allow-outside-workspace': { type: 'boolean' } },
  allowPositionals: true,
  async run(args: ParsedArgs, io: CliIo) {
    const files = resolveTestArgs(args.positionals, io.cwd);
    if (files.length === 0) {
      throw new UsageError(`No *${TEST_FILE_SUFFIX} files found${args.positionals.length ? ` in ${args.positionals.join(' ')}` : ' under the current folder'}.`);
    }
    const summary = await runTests(files, { allowCodeExecution: true, workspaceRoot: io.cwd, allowOutsideWorkspace: flag(args, 'allow-outside-workspace') });
    if (flag(args, 'json')) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else io.stdout(formatTestRun(summary, (f) => path.relative(io.cwd, f) || f));
    if (summary.total === 0) {
      // A CI check must not go green on nothing: an empty "cases" array runs nothing.
      const shown = files.map((f) => path.relative(io.cwd, f) || f).join(', ');
      io.stderr(`iot-authz test: no test case ran: ${shown} ${files.length === 1 ? 'holds' : 'hold'} no case. Add cases to "cases" (schemas/authz-test.schema.json), or remove the file.\n`);
      return EXIT_NEGATIVE;
    }
    return summary.failed === 0 ? EXIT_OK : EXIT_NEGATIVE;
  },
};
