import { PolicyContext } from '../../policy';
import { Protocol } from '../event';
import { OperationInput } from '../operations';

/**
 * `*.authz-test.json` (schemas/authz-test.schema.json). One file holds:
 *  - an object with `cases` (and shared `authorizer`, optional `defaults`), or
 *  - an array of cases (each with its `authorizer`), or
 *  - a single case object (with `authorizer`).
 * Paths are relative to the test file first, then the definition's folder,
 * then the workspace root.
 */
export const TEST_FILE_SUFFIX = '.authz-test.json';

export interface SignWithKey {
  /** Private key file to sign the token with at run time (never commit it). */
  signWithKey: string;
  /** Sign this text instead of the case's token (to test a mismatched signature). */
  token?: string;
}

export interface TestExpectations {
  authenticated?: boolean;
  principalId?: string;
  /** True: verified with one of the keys; false: rejected before the Lambda. */
  signatureValid?: boolean;
  /** Authenticated and, for MQTT / WebSockets, iot:Connect allowed. */
  connected?: boolean;
  /** Expected failure code (e.g. SIGNATURE_INVALID, NOT_AUTHENTICATED, CONNECT_DENIED, HANDLER_TIMEOUT). */
  failure?: string;
  /** Operations the policies must allow (on an accepted connection). */
  allowed?: OperationInput[];
  /** Operations that must be denied (a rejected connection denies everything). */
  denied?: OperationInput[];
}

export interface TestCase {
  name?: string;
  description?: string;
  /** Authorizer definition (*.authorizer.json) path; inherited from the file. */
  authorizer?: string;
  protocol?: Protocol;
  token?: string;
  signature?: string | SignWithKey;
  clientId?: string;
  username?: string;
  password?: string;
  passwordBase64?: string;
  headers?: Record<string, string>;
  query?: string | Record<string, string>;
  serverName?: string;
  sourceIp?: string;
  thing?: PolicyContext['thing'];
  /** Lower than the definition's handler timeout. */
  timeoutSeconds?: number;
  expect?: TestExpectations;
}

export interface TestFileObject {
  $schema?: string;
  authorizer?: string;
  /** Values every case starts from. */
  defaults?: Omit<TestCase, 'name' | 'expect'>;
  cases: TestCase[];
}

/** A case with file-level defaults applied and a display name. */
export interface NormalizedCase extends TestCase {
  name: string;
  index: number;
  protocol: Protocol;
  /** Operations decided after the expected ones, with no expectation (the ad-hoc `iot-authz invoke --operation`). */
  checkOperations?: OperationInput[];
}

/** Reads the three accepted shapes into a list of cases. Throws on an unusable top level. */
export function normalizeTestFile(doc: unknown): NormalizedCase[] {
  let cases: unknown[];
  let shared: Record<string, unknown> = {};
  if (Array.isArray(doc)) cases = doc;
  else if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o.cases)) {
      cases = o.cases;
      shared = { ...((o.defaults as Record<string, unknown>) ?? {}), ...(typeof o.authorizer === 'string' ? { authorizer: o.authorizer } : {}) };
    } else cases = [o];
  } else {
    throw new Error('A test file is an object with "cases", an array of cases, or one case object.');
  }
  return cases.map((c, index) => {
    const tc = { ...shared, ...((c && typeof c === 'object' ? c : {}) as TestCase) } as TestCase;
    return { ...tc, index, protocol: tc.protocol ?? 'https', name: tc.name ?? `case ${index + 1}` };
  });
}
