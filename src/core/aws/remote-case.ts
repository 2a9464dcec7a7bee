import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from '../errors';
import { readJsonFile } from '../files';
import { decide, normalizeTestFile, parseOperation, signWithKeyFile } from '../emulator';
import type { NormalizedCase, OperationDecision, OperationInput } from '../emulator';
import type { PolicyContext } from '../policy';
import { parseArn } from './arn';
import { buildTestInvokeInput } from './testinvoke';
import { AuthorizerDescription, TestInvokeInput, TestInvokeResult } from './types';

/**
 * Running `*.authz-test.json` cases (the emulator's format) against the real
 * TestInvokeAuthorizer: the same case file checks the local run and the deployed authorizer.
 */

/** Reads a test file's cases; `name` picks one case (by name or 1-based index). */
export function loadRemoteCases(file: string, name?: string): NormalizedCase[] {
  const doc = readJsonFile(file, 'test case');
  const cases = normalizeTestFile(doc);
  if (name === undefined) return cases;
  const picked = cases.filter((c, i) => c.name === name || String(i + 1) === name);
  if (!picked.length) throw new AuthzError('TEST_CASE_NOT_FOUND', `No case '${name}' in ${file}.`, `Cases: ${cases.map((c, i) => `${i + 1}. ${c.name}`).join('; ')}.`);
  return picked;
}

/** The TestInvokeAuthorizer input for a case: signature signed now when the case names a key file. */
export function remoteCaseInput(c: NormalizedCase, a: AuthorizerDescription, o: { testFile: string; dataEndpoint?: string; cwd?: string }): TestInvokeInput {
  let signature: string | undefined;
  if (typeof c.signature === 'string') signature = c.signature;
  else if (c.signature && typeof c.signature === 'object' && 'signWithKey' in c.signature) {
    const keyPath = [path.dirname(o.testFile), o.cwd ?? process.cwd()].map((d) => path.resolve(d, (c.signature as { signWithKey: string }).signWithKey)).find((p) => fs.existsSync(p));
    if (!keyPath) throw new AuthzError('TEST_SIGNING_KEY_NOT_FOUND', `The signing key ${c.signature.signWithKey} of case '${c.name}' does not exist.`, 'Generate it or fix the path (relative to the test file).');
    signature = signWithKeyFile(keyPath, c.signature.token ?? (typeof c.token === 'string' ? c.token : ''));
  }
  // Generated credentials (a JWT token, a base64 password object) are resolved before: withResolvedCredentials.
  const password = c.passwordBase64 !== undefined ? Buffer.from(c.passwordBase64, 'base64') : typeof c.password === 'string' ? c.password : undefined;
  const input = buildTestInvokeInput({
    authorizerName: a.authorizerName,
    protocol: c.protocol,
    token: typeof c.token === 'string' ? c.token : undefined,
    tokenSignature: signature,
    tokenKeyName: a.tokenKeyName,
    dataEndpoint: c.serverName ?? o.dataEndpoint,
    clientId: c.clientId,
    username: c.username,
    password,
    headers: c.headers,
  });
  if (c.query !== undefined && input.httpContext) {
    const q = typeof c.query === 'string' ? c.query : new URLSearchParams(c.query).toString();
    if (q) input.httpContext.queryString = q.startsWith('?') ? q : `?${q}`;
  }
  return input;
}

export interface RemoteOutcome {
  /** TestInvokeAuthorizer's answer, or the error it gave (e.g. the signature was rejected). */
  result?: TestInvokeResult;
  error?: AuthzError;
}

export interface RemoteCaseVerdict {
  passed: boolean;
  failures: string[];
  connected: boolean;
  failure?: string;
  decisions: OperationDecision[];
}

const describeOp = (op: OperationInput) => (typeof op === 'string' ? op : `${op.action} ${op.resource}`);

/** Compares AWS's answer with the case's `expect`, evaluating the returned policies locally. */
export function checkRemoteCase(c: NormalizedCase, a: AuthorizerDescription, outcome: RemoteOutcome): RemoteCaseVerdict {
  const e = c.expect ?? {};
  const arn = parseArn(a.authorizerArn);
  const region = arn?.region ?? 'us-east-1';
  const account = arn?.account ?? '123456789012';
  const failures: string[] = [];
  const r = outcome.result;
  const sigRejected = !r && outcome.error?.code === 'AWS_INVALID_REQUEST' && /signature/i.test(outcome.error.message);
  let failure: string | undefined;
  let connected = false;
  let decisions: OperationDecision[] = [];
  if (!r) failure = sigRejected ? 'SIGNATURE_INVALID' : 'INVOKE_FAILED';
  else if (!r.isAuthenticated) failure = 'NOT_AUTHENTICATED';
  else {
    const isMqtt = c.protocol !== 'https';
    const ctx: PolicyContext = isMqtt ? { clientId: c.clientId ?? 'iot-authz-test' } : {};
    if (isMqtt) {
      const d = decide(parseOperation({ action: 'iot:Connect', resource: ctx.clientId ?? '' }, region, account), r.policyDocuments, ctx);
      connected = d.decision === 'allow';
      if (!connected) failure = 'CONNECT_DENIED';
    } else connected = true;
    decisions = [...(e.allowed ?? []), ...(e.denied ?? [])].map((op) => decide(parseOperation(op, region, account), r.policyDocuments, ctx));
  }
  if (e.signatureValid !== undefined) {
    if (a.signingDisabled) failures.push(`expected signatureValid ${e.signatureValid}, but signing is disabled for this authorizer`);
    else if (e.signatureValid === sigRejected) failures.push(`expected signatureValid ${e.signatureValid}, got ${!sigRejected}${outcome.error ? `: ${outcome.error.message}` : ''}`);
  }
  const authenticated = r?.isAuthenticated === true;
  if (e.authenticated !== undefined && e.authenticated !== authenticated) failures.push(`expected authenticated ${e.authenticated}, got ${authenticated}${outcome.error ? ` (${outcome.error.message})` : ''}`);
  if (e.principalId !== undefined && r?.principalId !== e.principalId) failures.push(`expected principalId ${JSON.stringify(e.principalId)}, got ${r?.principalId === undefined ? 'none' : JSON.stringify(r.principalId)}`);
  if (e.connected !== undefined && e.connected !== connected) failures.push(`expected connected ${e.connected}, got ${connected}`);
  if (e.failure !== undefined && e.failure !== failure) failures.push(`expected failure ${e.failure}, got ${failure ?? 'no failure'}`);
  const nAllowed = e.allowed?.length ?? 0;
  (e.allowed ?? []).forEach((op, i) => {
    if (!connected) failures.push(`expected ${describeOp(op)} to be allowed, but the connection was rejected (${failure})`);
    else if (decisions[i]?.decision !== 'allow') failures.push(`expected ${describeOp(op)} to be allowed, but it is denied: ${decisions[i]?.reason}`);
  });
  (e.denied ?? []).forEach((op, i) => {
    const d = decisions[nAllowed + i];
    if (connected && d && d.decision !== 'deny') failures.push(`expected ${describeOp(op)} to be denied, but it is allowed: ${d.reason}`);
  });
  // Without expectations, a case passes when the connection is accepted.
  const hasExpect = Object.keys(e).length > 0;
  const passed = hasExpect ? failures.length === 0 : connected;
  if (!hasExpect && !connected) failures.push(`the connection was rejected (${failure}${outcome.error ? `: ${outcome.error.message}` : ''})`);
  return { passed, failures, connected, failure, decisions };
}
