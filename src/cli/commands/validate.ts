import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DocumentKind, detectKindFromContent, Finding, isDocumentKind, kindFromFileName, LineIndex, toSarif, validateText,
} from '../../core/authoring';
import { TEST_FILE_SUFFIX, validateTestText } from '../../core/emulator';
import { AuthzError } from '../../core/errors';
import { readTextFile } from '../../core/files';
import { CliCommand, EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, flag, list, str, UsageError } from '../framework';

/** Files larger than this are refused: authorizer documents are small. */
export const MAX_VALIDATE_BYTES = 1024 * 1024;

/** The authoring kinds, plus local test-case files (*.authz-test.json). */
type FileKind = DocumentKind | 'test';

interface FileResult {
  file: string;
  kind: FileKind;
  text: string;
  findings: Finding[];
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Validate authorizer responses, IoT policies, authorizer definitions and test-case files.',
  usage: [
    '  iot-authz validate FILE|DIR... [--kind response|policy|authorizer|test] [--format text|json|sarif] [--json]',
    '                    [--disable CODE ...]',
    '',
    '  The kind comes from the file name (*.authorizer-response.json, *.iot-policy.json,',
    '  *.authorizer.json, *.authz-test.json), else from --kind, else from the content.',
    '  A DIR is searched (with its subfolders, not node_modules or dot-folders) for files',
    '  named by those four suffixes.',
    '  Text output: FILE:LINE:COLUMN: SEVERITY CODE MESSAGE (1-based line and column).',
    '  Key and handler paths of authorizer definitions are resolved against the current',
    "  directory and the definition's own directory.",
    '  Exit 0 when no errors, 1 when any finding is an error, 2 on bad usage or unreadable files.',
  ].join('\n'),
  options: {
    kind: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    disable: { type: 'string', multiple: true },
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('Give at least one FILE or DIR.');
    const files = args.positionals.flatMap((p) => documentsIn(p, io.cwd));
    const kindOpt = str(args, 'kind');
    if (kindOpt !== undefined && !isDocumentKind(kindOpt) && kindOpt !== 'test') throw new UsageError(`--kind must be response, policy, authorizer or test, not '${kindOpt}'.`);
    const format = flag(args, 'json') ? 'json' : str(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${format}'.`);
    const disabledCodes = list(args, 'disable');

    const results: FileResult[] = [];
    let badInput = false;
    for (const file of files) {
      const abs = path.resolve(io.cwd, file);
      let text: string;
      try {
        text = readLimited(abs);
      } catch (e) {
        io.stderr(`iot-authz validate: ${e instanceof AuthzError ? e.display : (e as Error).message}\n`);
        badInput = true;
        continue;
      }
      const kind: FileKind | undefined =
        (file.endsWith(TEST_FILE_SUFFIX) ? 'test' : kindFromFileName(file)) ?? (kindOpt as FileKind | undefined) ?? detectKindFromContent(text);
      if (!kind) {
        io.stderr(`iot-authz validate: ${file}: cannot tell whether this is a response, a policy, an authorizer definition or a test-case file. Pass --kind.\n`);
        badInput = true;
        continue;
      }
      const dir = path.dirname(abs);
      const fileExists = (rel: string) => [io.cwd, dir].some((base) => fs.existsSync(path.resolve(base, rel)));
      const findings =
        kind === 'test'
          ? validateTestText(text, { fileExists: (rel) => fs.existsSync(path.resolve(dir, rel)) }).filter((f) => !disabledCodes.includes(f.code))
          : validateText(text, kind, { disabledCodes, fileExists });
      results.push({ file, kind, text, findings });
    }

    if (format === 'sarif') {
      const log = toSarif(results.map((r) => ({ uri: r.file.split(path.sep).join('/'), text: r.text, findings: r.findings })));
      io.stdout(`${JSON.stringify(log, null, 2)}\n`);
    } else if (format === 'json') {
      const out = results.map((r) => {
        const li = new LineIndex(r.text);
        return {
          file: r.file,
          kind: r.kind,
          findings: r.findings.map((f) => {
            const s = li.positionAt(f.range.start);
            const e = li.positionAt(f.range.end);
            return { ...f, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
          }),
        };
      });
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const lines: string[] = [];
      for (const r of results) {
        const li = new LineIndex(r.text);
        for (const f of r.findings) {
          const p = li.positionAt(f.range.start);
          lines.push(`${r.file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code} ${f.message}`);
        }
      }
      if (lines.length) io.stdout(`${lines.join('\n')}\n`);
      const count = (s: string) => results.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0);
      io.stderr(`${results.length} file(s) checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} note(s).\n`);
    }
    if (badInput) return EXIT_USAGE;
    return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_NEGATIVE : EXIT_OK;
  },
};

/** A file as given; a folder: the files in it (and below) whose names give their kind, as paths relative to the cwd. */
function documentsIn(given: string, cwd: string): string[] {
  const abs = path.resolve(cwd, given);
  let isDir = false;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    // missing: reported when read
  }
  if (!isDir) return [given];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && (e.name.endsWith(TEST_FILE_SUFFIX) || kindFromFileName(e.name))) out.push(path.relative(cwd, p) || p);
    }
  };
  walk(abs);
  if (!out.length) throw new UsageError(`${given} holds no *.authorizer-response.json, *.iot-policy.json, *.authorizer.json or *.authz-test.json file.`);
  return out;
}

function readLimited(abs: string): string {
  return readTextFile(abs, 'document', MAX_VALIDATE_BYTES);
}
