import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../../errors';
import { readJsonFile } from '../../files';
import { loadDefinitionFile, LoadedDefinition, resolveRelative } from '../definition';
import { ConnectionInput } from '../event';
import { OperationDecision, OperationInput } from '../operations';
import { ConnectionResult, runConnection } from '../pipeline';
import { NormalizedCase, normalizeTestFile, TEST_FILE_SUFFIX } from './format';
import { ensureKeyPair, signWithKeyFile } from './keys';

export interface CaseResult {
  name: string;
  index: number;
  passed: boolean;
  /** One message per failed expectation, saying what was expected and what happened. */
  failures: string[];
  /** Set when the case could not run at all (bad input); the case counts as failed. */
  error?: string;
  result?: ConnectionResult;
  durationMs: number;
}

export interface TestFileResult {
  file: string;
  cases: CaseResult[];
  /** The file could not be read or parsed. */
  error?: string;
  /** Key files generated for this run. */
  generatedKeys: string[];
}

export interface TestRunSummary {
  files: TestFileResult[];
  total: number;
  passed: number;
  failed: number;
  durationMs: number;
}

export interface RunTestsOptions {
  allowCodeExecution: boolean;
  workspaceRoot?: string;
  /** Generate missing example key pairs (see keys.ts); default true. */
  generateMissingKeys?: boolean;
  /** Run only the cases with these names. */
  only?: string[];
  nodePath?: string;
  pythonPath?: string;
  /** Cancels the running case: its handler process is killed. */
  signal?: AbortSignal;
  /** Called after each case (progress in the extension). */
  onCase?: (file: string, c: CaseResult) => void;
}

function describeOp(op: OperationInput): string {
  return typeof op === 'string' ? op : `${op.action} ${op.resource}`;
}

/** Compares a connection result with a case's expectations. */
export function checkExpectations(c: NormalizedCase, r: ConnectionResult): string[] {
  const e = c.expect ?? {};
  const out: string[] = [];
  const why = r.failure ? ` (${r.failure.code}: ${r.failure.message})` : '';
  if (e.signatureValid !== undefined) {
    const actual = r.signature.checked ? r.signature.valid === true : undefined;
    if (actual === undefined) out.push(`expected signatureValid ${e.signatureValid}, but signing is disabled for this authorizer, so no signature was checked`);
    else if (actual !== e.signatureValid) out.push(`expected signatureValid ${e.signatureValid}, got ${actual}: ${r.signature.message}`);
  }
  if (e.authenticated !== undefined && r.authenticated !== e.authenticated) {
    out.push(`expected authenticated ${e.authenticated}, got ${r.authenticated}${why}`);
  }
  if (e.principalId !== undefined && r.principalId !== e.principalId) {
    out.push(`expected principalId ${JSON.stringify(e.principalId)}, got ${r.principalId === undefined ? 'none' : JSON.stringify(r.principalId)}${r.principalId === undefined ? why : ''}`);
  }
  if (e.connected !== undefined && r.connected !== e.connected) {
    out.push(`expected connected ${e.connected}, got ${r.connected}${why}`);
  }
  if (e.failure !== undefined && r.failure?.code !== e.failure) {
    out.push(`expected failure ${e.failure}, got ${r.failure ? `${r.failure.code} (${r.failure.message})` : 'no failure'}`);
  }
  const decisionFor = (op: OperationInput, i: number, list: 'allowed' | 'denied'): OperationDecision | undefined => {
    const offset = list === 'allowed' ? 0 : (e.allowed?.length ?? 0);
    return r.decisions[offset + i];
  };
  (e.allowed ?? []).forEach((op, i) => {
    const d = decisionFor(op, i, 'allowed');
    if (!r.connected) out.push(`expected ${describeOp(op)} to be allowed, but the connection was rejected${why}`);
    else if (!d) out.push(`expected ${describeOp(op)} to be allowed, but it was not evaluated`);
    else if (d.decision !== 'allow') out.push(`expected ${describeOp(op)} to be allowed, but it is denied: ${d.reason}`);
  });
  (e.denied ?? []).forEach((op, i) => {
    const d = decisionFor(op, i, 'denied');
    if (r.connected && d && d.decision !== 'deny') out.push(`expected ${describeOp(op)} to be denied, but it is allowed: ${d.reason}`);
  });
  return out;
}

/** Runs one case: resolves the definition and signature, runs the connection, checks expectations. */
export async function runCase(c: NormalizedCase, testFile: string, o: RunTestsOptions, generated: string[]): Promise<CaseResult> {
  const t0 = performance.now();
  const testDir = path.dirname(path.resolve(testFile));
  const done = (partial: Omit<CaseResult, 'name' | 'index' | 'durationMs'>): CaseResult => ({
    name: c.name,
    index: c.index,
    ...partial,
    durationMs: performance.now() - t0,
  });
  try {
    if (!c.authorizer) return done({ passed: false, failures: [], error: 'The case names no "authorizer" definition file.' });
    const defPath = resolveRelative(c.authorizer, [testDir, o.workspaceRoot]);
    const def: LoadedDefinition = loadDefinitionFile(defPath, { workspaceRoot: o.workspaceRoot });
    let signature: string | undefined;
    if (typeof c.signature === 'string') signature = c.signature;
    else if (c.signature && typeof c.signature === 'object') {
      const keyPath = resolveRelative(c.signature.signWithKey, [testDir, def.dir, o.workspaceRoot]);
      if (o.generateMissingKeys !== false) {
        const written = await ensureKeyPair(keyPath, def);
        if (written.length) {
          generated.push(...written);
          // The definition read before generation lacked the new public key.
          Object.assign(def, loadDefinitionFile(defPath, { workspaceRoot: o.workspaceRoot }));
        }
      }
      const toSign = c.signature.token ?? c.token;
      if (toSign === undefined) return done({ passed: false, failures: [], error: 'signWithKey needs a "token" to sign.' });
      signature = signWithKeyFile(keyPath, toSign);
    }
    const input: ConnectionInput = {
      protocol: c.protocol,
      ...(c.token !== undefined ? { token: c.token } : {}),
      ...(signature !== undefined ? { signature } : {}),
      ...(c.clientId !== undefined ? { clientId: c.clientId } : {}),
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(c.passwordBase64 !== undefined ? { passwordBase64: c.passwordBase64 } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
      ...(c.query !== undefined ? { query: c.query } : {}),
      ...(c.serverName !== undefined ? { serverName: c.serverName } : {}),
      ...(c.sourceIp !== undefined ? { sourceIp: c.sourceIp } : {}),
    };
    const result = await runConnection({
      definition: def,
      input,
      operations: [...(c.expect?.allowed ?? []), ...(c.expect?.denied ?? []), ...(c.checkOperations ?? [])],
      allowCodeExecution: o.allowCodeExecution,
      workspaceRoot: o.workspaceRoot,
      ...(c.timeoutSeconds !== undefined ? { timeoutMs: Math.round(c.timeoutSeconds * 1000) } : {}),
      ...(c.thing ? { thing: c.thing } : {}),
      nodePath: o.nodePath,
      pythonPath: o.pythonPath,
      signal: o.signal,
    });
    const failures = checkExpectations(c, result);
    return done({ passed: failures.length === 0, failures, result });
  } catch (e) {
    if ((e as { code?: string }).code === 'CODE_EXECUTION_NOT_ALLOWED') throw e;
    return done({ passed: false, failures: [], error: errorText(e) });
  }
}

/** Runs every case of one `*.authz-test.json` file, in order. */
export async function runTestFile(file: string, o: RunTestsOptions): Promise<TestFileResult> {
  const abs = path.resolve(file);
  const generatedKeys: string[] = [];
  let cases: NormalizedCase[];
  try {
    cases = normalizeTestFile(readJsonFile(abs, 'test case'));
  } catch (e) {
    return { file: abs, cases: [], error: `Cannot read ${file}: ${errorText(e)}`, generatedKeys };
  }
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (o.only && !o.only.includes(c.name)) continue;
    const r = await runCase(c, abs, o, generatedKeys);
    results.push(r);
    o.onCase?.(abs, r);
  }
  return { file: abs, cases: results, generatedKeys };
}

/** Every `*.authz-test.json` under the given files or folders, skipping node_modules and dot folders. */
export function findTestFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (p.endsWith(TEST_FILE_SUFFIX)) out.push(path.resolve(p));
      return;
    }
    if (!st.isDirectory()) return;
    for (const name of fs.readdirSync(p).sort()) {
      if (name === 'node_modules' || name.startsWith('.') || name === 'out' || name === 'dist') continue;
      walk(path.join(p, name));
    }
  };
  roots.forEach(walk);
  return [...new Set(out)];
}

/** Runs the files one after another (each handler is its own process; the machine may be shared). */
export async function runTests(files: string[], o: RunTestsOptions): Promise<TestRunSummary> {
  const t0 = performance.now();
  const results: TestFileResult[] = [];
  for (const f of files) results.push(await runTestFile(f, o));
  const all = results.flatMap((f) => f.cases);
  const fileErrors = results.filter((f) => f.error).length;
  const passed = all.filter((c) => c.passed).length;
  return {
    files: results,
    total: all.length + fileErrors,
    passed,
    failed: all.length - passed + fileErrors,
    durationMs: performance.now() - t0,
  };
}
