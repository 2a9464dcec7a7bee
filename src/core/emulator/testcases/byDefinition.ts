import * as path from 'node:path';
import { resolveRelative } from '../definition';
import { OperationInput } from '../operations';
import { NormalizedCase } from './format';

/** A test file's cases as the editor read them. */
export interface TestFileCases {
  /** Absolute path of the *.authz-test.json. */
  file: string;
  cases: NormalizedCase[];
}

/** The cases of one test file that run one definition. */
export interface DefinitionTestFile {
  file: string;
  cases: NormalizedCase[];
}

/**
 * The test files whose cases name `definitionFile` (their "authorizer" path,
 * resolved as the runner does: the test file's folder first, then the
 * workspace root), each with only those cases, in the order given.
 */
export function testFilesForDefinition(files: readonly TestFileCases[], definitionFile: string, workspaceRoot?: string): DefinitionTestFile[] {
  const target = path.resolve(definitionFile);
  const out: DefinitionTestFile[] = [];
  for (const f of files) {
    const dir = path.dirname(f.file);
    const cases = f.cases.filter((c) => !!c.authorizer && path.resolve(resolveRelative(c.authorizer, [dir, workspaceRoot])) === target);
    if (cases.length) out.push({ file: f.file, cases });
  }
  return out;
}

/** "iot:Publish topic/x", as Run Authorizer Locally's operations box takes it. */
export function operationText(op: OperationInput): string {
  return typeof op === 'string' ? op.trim() : `${op.action} ${op.resource}`;
}

/**
 * The operations a definition's test cases check: those of the first case
 * that expects some (its `allowed`, then its `denied`), without repeats.
 * Undefined when no case lists operations.
 */
export function operationsFromCases(cases: readonly NormalizedCase[]): string[] | undefined {
  for (const c of cases) {
    const listed = [c.expect?.allowed, c.expect?.denied].flatMap((l) => (Array.isArray(l) ? l : []));
    const ops = listed.filter(isOperationInput).map(operationText).filter(Boolean);
    if (ops.length) return [...new Set(ops)];
  }
  return undefined;
}

function isOperationInput(op: unknown): op is OperationInput {
  if (typeof op === 'string') return true;
  return !!op && typeof op === 'object' && typeof (op as { action?: unknown }).action === 'string' && typeof (op as { resource?: unknown }).resource === 'string';
}

/** What Run Authorizer Locally can prefill from a definition's test cases. */
export interface CaseConnectionDefaults {
  token?: string;
  clientId?: string;
  username?: string;
}

/**
 * Token, client id and user name to suggest for a protocol: each from the first
 * case of that protocol that gives it (a case that expects to be accepted first,
 * so the suggestion is one the authorizer accepts), else from any case.
 */
export function connectionDefaultsFromCases(cases: readonly NormalizedCase[], protocol?: NormalizedCase['protocol']): CaseConnectionDefaults {
  const ofProtocol = protocol ? cases.filter((c) => c.protocol === protocol) : [...cases];
  const accepted = (c: NormalizedCase) => c.expect?.authenticated !== false && c.expect?.failure === undefined && c.expect?.signatureValid !== false;
  const ordered = [...ofProtocol.filter(accepted), ...ofProtocol.filter((c) => !accepted(c)), ...cases.filter((c) => !ofProtocol.includes(c))];
  const first = (pick: (c: NormalizedCase) => unknown): string | undefined => {
    for (const c of ordered) {
      const v = pick(c);
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const out: CaseConnectionDefaults = {};
  const token = first((c) => c.token);
  const clientId = first((c) => c.clientId);
  const username = first((c) => c.username);
  if (token !== undefined) out.token = token;
  if (clientId !== undefined) out.clientId = clientId;
  if (username !== undefined) out.username = username;
  return out;
}
