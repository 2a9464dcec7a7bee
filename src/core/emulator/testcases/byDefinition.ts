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
