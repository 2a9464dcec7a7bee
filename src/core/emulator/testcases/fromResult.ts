import { applyEdits, getNodeValue, modify, parseTree, ParseError } from 'jsonc-parser';
import { AuthzError } from '../../errors';
import { ConnectionInput } from '../event';
import { OperationInput } from '../operations';
import { ConnectionResult } from '../pipeline';
import { TestCase, TestExpectations } from './format';

export interface TestCaseFromRunOptions {
  result: ConnectionResult;
  /** What the device sent in the run. */
  input: ConnectionInput;
  /** The definition's path as the test file will name it (relative to the test file). */
  authorizer: string;
  /**
   * The private key file (relative to the test file) the run signed `input.token` with:
   * the case then signs at run time (`{"signWithKey": ...}`) instead of carrying the signature.
   */
  signWithKey?: string;
  /** The operations the run checked, as written (kept in the case as written). */
  operations?: OperationInput[];
  name?: string;
}

/**
 * The `*.authz-test.json` case that reproduces an ad-hoc run: the device input
 * as sent and the run's outcome as expectations (signature, authentication,
 * principal, connect, failure code, and each checked operation as allowed or
 * denied). Running the case right away passes.
 */
export function testCaseFromRun(o: TestCaseFromRunOptions): TestCase {
  const { result: r, input } = o;
  const tc: TestCase = {
    name: o.name ?? `${input.protocol} ${r.outcome}${r.principalId ? ` as ${r.principalId}` : ''}${r.failure ? ` (${r.failure.code})` : ''}`,
    authorizer: o.authorizer,
    protocol: input.protocol,
  };
  if (input.token !== undefined) tc.token = input.token;
  if (o.signWithKey !== undefined && input.signature !== undefined && input.token !== undefined) tc.signature = { signWithKey: o.signWithKey };
  else if (input.signature !== undefined) tc.signature = input.signature;
  if (input.clientId !== undefined) tc.clientId = input.clientId;
  if (input.username !== undefined) tc.username = input.username;
  if (input.password !== undefined) tc.password = input.password;
  else if (input.passwordBase64 !== undefined) tc.passwordBase64 = input.passwordBase64;
  if (input.headers && Object.keys(input.headers).length) tc.headers = { ...input.headers };
  if (input.query !== undefined && input.query !== '') tc.query = input.query;
  if (input.serverName !== undefined) tc.serverName = input.serverName;
  if (input.sourceIp !== undefined) tc.sourceIp = input.sourceIp;

  const expect: TestExpectations = {};
  if (r.signature.checked) expect.signatureValid = r.signature.valid === true;
  expect.authenticated = r.authenticated;
  if (r.principalId !== undefined) expect.principalId = r.principalId;
  expect.connected = r.connected;
  if (r.failure) expect.failure = r.failure.code;
  const asWritten = (i: number, d: { action: string; input: string }): OperationInput => o.operations?.[i] ?? { action: d.action, resource: d.input };
  const allowed: OperationInput[] = [];
  const denied: OperationInput[] = [];
  if (r.decisions.length) {
    r.decisions.forEach((d, i) => (d.decision === 'allow' ? allowed : denied).push(asWritten(i, d)));
  } else if (!r.connected && o.operations?.length) {
    // A rejected connection denies every operation (the runner checks exactly that).
    denied.push(...o.operations);
  }
  if (allowed.length) expect.allowed = allowed;
  if (denied.length) expect.denied = denied;
  tc.expect = expect;
  return tc;
}

export interface AddedCase {
  text: string;
  /** Index of the new case in the file's cases. */
  index: number;
  /** The name given to the case (made unique within the file). */
  name: string;
}

const FORMAT = { insertSpaces: true, tabSize: 2, eol: '\n' };

/**
 * Adds a case to a test file's text (or starts a new file when `text` is
 * empty or undefined), keeping the existing text's formatting: an object with
 * `cases` gets it appended (without `authorizer` when the file names the same
 * one), an array gets it appended, and a one-case file becomes an object with
 * `cases`. The name is made unique within the file.
 */
export function addCaseToTestFile(text: string | undefined, testCase: TestCase): AddedCase {
  if (text === undefined || text.trim() === '') {
    const { authorizer, ...rest } = testCase;
    const name = rest.name ?? 'case 1';
    const doc = { ...(authorizer !== undefined ? { authorizer } : {}), cases: [{ ...rest, name }] };
    return { text: `${JSON.stringify(doc, null, 2)}\n`, index: 0, name };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length) {
    throw new AuthzError('TEST_FILE_INVALID', 'The test file is not valid JSON, so the case cannot be added to it.', 'Fix the JSON syntax of the test file, or save the case to a new file.');
  }
  const value = getNodeValue(root) as unknown;
  const existingNames = (cases: unknown[]) => new Set(cases.map((c) => (c && typeof c === 'object' ? (c as TestCase).name : undefined)).filter((n): n is string => !!n));
  const unique = (names: Set<string>) => {
    const base = testCase.name ?? `case ${names.size + 1}`;
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base} (${i})`;
    return name;
  };
  if (Array.isArray(value)) {
    const name = unique(existingNames(value));
    const edits = modify(text, [value.length], { ...testCase, name }, { formattingOptions: FORMAT, isArrayInsertion: true });
    return { text: applyEdits(text, edits), index: value.length, name };
  }
  if (!value || typeof value !== 'object') {
    throw new AuthzError('TEST_FILE_INVALID', 'The test file is neither an object nor an array of cases.', 'Save the case to a new file.');
  }
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.cases)) {
    const name = unique(existingNames(o.cases));
    const { authorizer, ...rest } = testCase;
    const c = o.authorizer === authorizer ? { ...rest, name } : { ...testCase, name };
    const edits = modify(text, ['cases', o.cases.length], c, { formattingOptions: FORMAT, isArrayInsertion: true });
    return { text: applyEdits(text, edits), index: o.cases.length, name };
  }
  // One case object: becomes { cases: [it, the new one] }.
  const { $schema, ...single } = o;
  const name = unique(existingNames([single]));
  const doc = { ...($schema !== undefined ? { $schema } : {}), cases: [single, { ...testCase, name }] };
  return { text: `${JSON.stringify(doc, null, 2)}\n`, index: 1, name };
}
