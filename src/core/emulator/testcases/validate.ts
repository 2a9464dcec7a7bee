import { findNodeAtLocation, getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { Finding, Severity } from '../../authoring/types';
import { normalizeAction, resourceTypeFor } from '../../policy';
import { looksLikeJwt, parseLifetime } from '../../jwt';
import { PROTOCOLS } from '../event';
import { isJwtTokenSpec } from './credentials';

/**
 * Findings for a `*.authz-test.json` text, shaped like the authoring findings
 * (code, severity, message, offset range) so the extension shows them as
 * diagnostics. Never throws.
 */
export const TEST_CODES = {
  TEST_JSON_SYNTAX: 'error',
  TEST_SHAPE: 'error',
  TEST_FIELD_TYPE: 'error',
  TEST_UNKNOWN_PROPERTY: 'warning',
  TEST_AUTHORIZER_MISSING: 'error',
  TEST_AUTHORIZER_NOT_FOUND: 'error',
  TEST_PROTOCOL_INVALID: 'error',
  TEST_CASE_NAME_MISSING: 'warning',
  TEST_CASE_NAME_DUPLICATE: 'warning',
  TEST_EXPECT_MISSING: 'warning',
  TEST_OPERATION_INVALID: 'error',
  TEST_SIGNATURE_INVALID: 'error',
  TEST_SIGN_TOKEN_MISSING: 'error',
  TEST_SIGNING_KEY_NOT_FOUND: 'info',
  TEST_FAILURE_CODE_UNKNOWN: 'error',
  TEST_JWT_INVALID: 'error',
  TEST_PASSWORD_INVALID: 'error',
} as const satisfies Record<string, Severity>;
export type TestCode = keyof typeof TEST_CODES;

const DOCS = 'https://docs.aws.amazon.com/iot/latest/developerguide/config-custom-auth.html';

const CASE_KEYS = new Set([
  '$schema', 'name', 'description', 'authorizer', 'protocol', 'token', 'signature', 'clientId', 'username', 'password',
  'passwordBase64', 'headers', 'query', 'serverName', 'sourceIp', 'thing', 'timeoutSeconds', 'expect',
]);
const FILE_KEYS = new Set(['$schema', 'authorizer', 'defaults', 'cases']);
const EXPECT_KEYS = new Set(['authenticated', 'principalId', 'signatureValid', 'connected', 'failure', 'allowed', 'denied', 'logIncludes']);
const FAILURE_CODES = new Set([
  'SIGNATURE_MISSING', 'SIGNATURE_INVALID', 'TOKEN_MISSING', 'NO_SIGNING_KEYS', 'HANDLER_TIMEOUT', 'HANDLER_CRASH',
  'HANDLER_LOAD_ERROR', 'HANDLER_MISSING_EXPORT', 'HANDLER_ERROR', 'HANDLER_INVALID_RESULT', 'HANDLER_SPAWN_ERROR',
  'RESPONSE_INVALID', 'NOT_AUTHENTICATED', 'CONNECT_DENIED',
]);
const STRING_KEYS = ['name', 'description', 'authorizer', 'clientId', 'username', 'passwordBase64', 'serverName', 'sourceIp'];

const JWT_KEYS = new Set(['key', 'claims', 'expiresIn', 'kid']);

function validLifetime(v: unknown): boolean {
  try {
    parseLifetime(v as string);
    return true;
  } catch {
    return false;
  }
}

export interface ValidateTestOptions {
  /** Whether a path relative to the test file exists; when absent, paths are not checked. */
  fileExists?: (relativePath: string) => boolean;
}

export function validateTestText(text: string, options: ValidateTestOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const add = (code: TestCode, node: Node | undefined, message: string, start?: number, end?: number) => {
    const s = start ?? node?.offset ?? 0;
    const e = end ?? (node ? node.offset + node.length : Math.min(1, text.length));
    findings.push({ code, severity: TEST_CODES[code], message, range: { start: s, end: Math.max(s, e) }, docsUrl: DOCS });
  };
  try {
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    for (const e of errors) add('TEST_JSON_SYNTAX', undefined, `JSON syntax: ${printParseErrorCode(e.error)}.`, e.offset, e.offset + Math.max(1, e.length));
    if (!root) return findings;

    let cases: Node[] = [];
    let fileAuthorizer: string | undefined;
    let defaults: Node | undefined;
    if (root.type === 'array') cases = root.children ?? [];
    else if (root.type === 'object' && findNodeAtLocation(root, ['cases'])) {
      const c = findNodeAtLocation(root, ['cases'])!;
      for (const p of root.children ?? []) {
        const k = p.children?.[0];
        if (k && !FILE_KEYS.has(String(k.value))) add('TEST_UNKNOWN_PROPERTY', k, `"${k.value}" is not a test file property (${[...FILE_KEYS].join(', ')}).`);
      }
      if (c.type !== 'array') add('TEST_FIELD_TYPE', c, '"cases" must be an array of cases.');
      else cases = c.children ?? [];
      const a = findNodeAtLocation(root, ['authorizer']);
      if (a) {
        if (a.type !== 'string') add('TEST_FIELD_TYPE', a, '"authorizer" must be a path string.');
        else {
          fileAuthorizer = a.value;
          checkAuthorizerPath(a);
        }
      }
      defaults = findNodeAtLocation(root, ['defaults']);
      if (defaults) {
        if (defaults.type !== 'object') add('TEST_FIELD_TYPE', defaults, '"defaults" must be an object.');
        else checkCaseFields(defaults, true);
      }
    } else if (root.type === 'object') {
      const keys = (root.children ?? []).map((p) => String(p.children?.[0]?.value));
      if (!keys.some((k) => k !== '$schema' && CASE_KEYS.has(k))) {
        const looksLike = keys.includes('isAuthenticated') || keys.includes('policyDocuments')
          ? ': it looks like an authorizer response (*.authorizer-response.json)'
          : keys.includes('authorizerName') || keys.includes('authorizerFunctionArn')
            ? ': it looks like an authorizer definition (*.authorizer.json)'
            : keys.includes('Statement')
              ? ': it looks like an IoT policy'
              : '';
        add('TEST_SHAPE', root, `This object has none of the test case properties (token, signature, expect, …)${looksLike}. A test file is an object with "cases", an array of cases, or one case object.`, root.offset, root.offset + 1);
        return findings;
      }
      cases = [root];
    }
    else {
      add('TEST_SHAPE', root, 'A test file is an object with "cases", an array of cases, or one case object.');
      return findings;
    }

    const names = new Map<string, Node>();
    const defaultsValue = defaults?.type === 'object' ? (getNodeValue(defaults) as Record<string, unknown>) : {};
    cases.forEach((c, i) => {
      if (c.type !== 'object') {
        add('TEST_FIELD_TYPE', c, `Case #${i + 1} must be an object.`);
        return;
      }
      checkCaseFields(c, false);
      const nameNode = findNodeAtLocation(c, ['name']);
      if (!nameNode) {
        if (cases.length > 1) add('TEST_CASE_NAME_MISSING', c, `Case #${i + 1} has no "name"; reports will call it "case ${i + 1}".`, c.offset, c.offset + 1);
      } else if (nameNode.type === 'string') {
        if (names.has(nameNode.value)) add('TEST_CASE_NAME_DUPLICATE', nameNode, `Another case is also named "${nameNode.value}".`);
        names.set(nameNode.value, nameNode);
      }
      const a = findNodeAtLocation(c, ['authorizer']);
      if (!a && !fileAuthorizer) add('TEST_AUTHORIZER_MISSING', c, `Case #${i + 1} names no "authorizer" definition file.`, c.offset, c.offset + 1);
      else if (a?.type === 'string') checkAuthorizerPath(a);
      if (!findNodeAtLocation(c, ['expect'])) add('TEST_EXPECT_MISSING', c, `Case #${i + 1} has no "expect": it can only fail if it cannot run.`, c.offset, c.offset + 1);
      const sig = findNodeAtLocation(c, ['signature']);
      const hasToken = !!findNodeAtLocation(c, ['token']) || 'token' in defaultsValue;
      const fromJwt = sig?.type === 'object' && findNodeAtLocation(sig, ['fromJwt']);
      const token = findNodeAtLocation(c, ['token']);
      const tokenValue = token ? getNodeValue(token) : defaultsValue.token;
      if (fromJwt) {
        if (!isJwtTokenSpec(tokenValue) && !(typeof tokenValue === 'string' && looksLikeJwt(tokenValue))) {
          add('TEST_SIGNATURE_INVALID', fromJwt, '{"fromJwt": true} signs with the case\'s JWT, but its "token" is not a JWT: give "token": {"jwt": {"key": …}} or a JWT string.');
        }
      } else if (sig?.type === 'object' && !findNodeAtLocation(sig, ['token']) && !hasToken) {
        add('TEST_SIGN_TOKEN_MISSING', sig, 'signWithKey signs the case\'s "token", but the case has none.');
      }
    });

    function checkAuthorizerPath(a: Node) {
      if (options.fileExists && !options.fileExists(a.value)) add('TEST_AUTHORIZER_NOT_FOUND', a, `The authorizer definition ${a.value} does not exist.`);
    }

    function checkCaseFields(c: Node, isDefaults: boolean) {
      for (const p of c.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (!k) continue;
        const key = String(k.value);
        if (!CASE_KEYS.has(key) || (isDefaults && (key === 'name' || key === 'expect'))) {
          add('TEST_UNKNOWN_PROPERTY', k, `"${key}" is not a ${isDefaults ? 'defaults' : 'case'} property.`);
          continue;
        }
        if (!v) continue;
        if (STRING_KEYS.includes(key) && v.type !== 'string') add('TEST_FIELD_TYPE', v, `"${key}" must be a string.`);
        if (key === 'protocol' && (v.type !== 'string' || !(PROTOCOLS as readonly string[]).includes(v.value))) {
          add('TEST_PROTOCOL_INVALID', v, `"protocol" is one of ${PROTOCOLS.join(', ')}.`);
        }
        if (key === 'signature') checkSignature(v);
        if (key === 'token') checkToken(v);
        if (key === 'password') checkPassword(v);
        if (key === 'headers' && v.type !== 'object') add('TEST_FIELD_TYPE', v, '"headers" must be an object of strings.');
        if (key === 'timeoutSeconds' && (v.type !== 'number' || v.value <= 0 || v.value > 5)) {
          add('TEST_FIELD_TYPE', v, '"timeoutSeconds" is a number above 0 and at most 5 (AWS gives the authorizer Lambda 5 seconds).');
        }
        if (key === 'expect') checkExpect(v);
      }
    }

    function checkSignature(v: Node) {
      if (v.type === 'string') return;
      if (v.type !== 'object') {
        add('TEST_SIGNATURE_INVALID', v, '"signature" is the base64 signature, {"signWithKey": "keys/x.private.pem"} or {"fromJwt": true}.');
        return;
      }
      const fj = findNodeAtLocation(v, ['fromJwt']);
      if (fj) {
        if (fj.value !== true) add('TEST_SIGNATURE_INVALID', fj, '"fromJwt" is true: the signature of the case\'s JWT.');
        return;
      }
      const k = findNodeAtLocation(v, ['signWithKey']);
      if (!k || k.type !== 'string' || !/\.pem$/.test(k.value)) {
        add('TEST_SIGNATURE_INVALID', k ?? v, '"signWithKey" is the path of a private key .pem file.');
      } else if (options.fileExists && !options.fileExists(k.value)) {
        add('TEST_SIGNING_KEY_NOT_FOUND', k, `${k.value} does not exist yet; the test runner generates it when the definition lists its public half.`);
      }
    }

    function checkToken(v: Node) {
      if (v.type === 'string' || v.type === 'null') return;
      const jwt = v.type === 'object' ? findNodeAtLocation(v, ['jwt']) : undefined;
      if (!jwt) {
        add('TEST_FIELD_TYPE', v, '"token" is a string or {"jwt": {"key": "keys/idp.private.pem", "claims": {…}, "expiresIn": "15m"}}.');
        return;
      }
      for (const p of v.children ?? []) {
        const k = p.children?.[0];
        if (k && k.value !== 'jwt') add('TEST_UNKNOWN_PROPERTY', k, `"${k.value}" is not a token property (jwt).`);
      }
      if (jwt.type !== 'object') {
        add('TEST_JWT_INVALID', jwt, '"jwt" is an object: {"key": "keys/idp.private.pem", "claims": {…}, "expiresIn": "15m", "kid": "…"}.');
        return;
      }
      for (const p of jwt.children ?? []) {
        const k = p.children?.[0];
        const val = p.children?.[1];
        if (!k || !val) continue;
        const key = String(k.value);
        if (!JWT_KEYS.has(key)) add('TEST_UNKNOWN_PROPERTY', k, `"${key}" is not a jwt property (${[...JWT_KEYS].join(', ')}).`);
        else if (key === 'claims' && val.type !== 'object') add('TEST_JWT_INVALID', val, '"claims" is a JSON object: {"sub": "device1", "iss": "…", "aud": "…"}.');
        else if (key === 'kid' && val.type !== 'string') add('TEST_JWT_INVALID', val, '"kid" must be a string.');
        else if (key === 'expiresIn' && !validLifetime(val.value)) {
          add('TEST_JWT_INVALID', val, `"expiresIn" is a lifetime from now: '15m', '2h', '1d', or '-1m' for an already expired token.`);
        }
      }
      const k = findNodeAtLocation(jwt, ['key']);
      if (!k || k.type !== 'string' || !/\.pem$/.test(k.value)) {
        add('TEST_JWT_INVALID', k ?? jwt, '"key" is the path of the private key .pem file that signs the JWT.');
      } else if (options.fileExists && !options.fileExists(k.value)) {
        add('TEST_SIGNING_KEY_NOT_FOUND', k, `${k.value} does not exist yet; the test runner generates it on first use (with its .public.pem and .jwks.json) when its name ends in .private.pem.`);
      }
    }

    function checkPassword(v: Node) {
      if (v.type === 'string') return;
      if (v.type === 'object' && findNodeAtLocation(v, ['jwt'])) {
        checkToken(v);
        return;
      }
      const b = v.type === 'object' ? findNodeAtLocation(v, ['base64']) : undefined;
      if (!b || b.type !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.value) || (v.children?.length ?? 0) !== 1) {
        add('TEST_PASSWORD_INVALID', b ?? v, '"password" is text, {"base64": "…"} with standard base64 (a binary password), or {"jwt": {…}} (a JWT minted as the password).');
      }
    }

    function checkExpect(v: Node) {
      if (v.type !== 'object') {
        add('TEST_FIELD_TYPE', v, '"expect" must be an object.');
        return;
      }
      for (const p of v.children ?? []) {
        const k = p.children?.[0];
        const val = p.children?.[1];
        if (!k || !val) continue;
        const key = String(k.value);
        if (!EXPECT_KEYS.has(key)) {
          add('TEST_UNKNOWN_PROPERTY', k, `"${key}" is not an expectation (${[...EXPECT_KEYS].join(', ')}).`);
          continue;
        }
        if (['authenticated', 'signatureValid', 'connected'].includes(key) && val.type !== 'boolean') add('TEST_FIELD_TYPE', val, `"${key}" must be true or false.`);
        if ((key === 'principalId' || key === 'logIncludes') && val.type !== 'string') add('TEST_FIELD_TYPE', val, `"${key}" must be a string.`);
        if (key === 'failure' && (val.type !== 'string' || !FAILURE_CODES.has(val.value))) {
          add('TEST_FAILURE_CODE_UNKNOWN', val, `"failure" is one of ${[...FAILURE_CODES].join(', ')}.`);
        }
        if (key === 'allowed' || key === 'denied') {
          if (val.type !== 'array') add('TEST_FIELD_TYPE', val, `"${key}" must be an array of operations.`);
          else for (const op of val.children ?? []) checkOperation(op);
        }
      }
    }

    function checkOperation(op: Node) {
      let action: string | undefined;
      let resource: string | undefined;
      if (op.type === 'string') {
        const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(op.value);
        if (m) [action, resource] = [m[1], m[2]];
      } else if (op.type === 'object') {
        const a = findNodeAtLocation(op, ['action']);
        const r = findNodeAtLocation(op, ['resource']);
        if (a?.type === 'string') action = a.value;
        if (r?.type === 'string') resource = r.value;
        for (const p of op.children ?? []) {
          const k = p.children?.[0];
          if (k && k.value !== 'action' && k.value !== 'resource') add('TEST_UNKNOWN_PROPERTY', k, `"${k.value}" is not an operation property (action, resource).`);
        }
      }
      if (action === undefined || resource === undefined) {
        add('TEST_OPERATION_INVALID', op, 'An operation is {"action": "iot:Publish", "resource": "my/topic"} or "iot:Publish my/topic".');
        return;
      }
      if (!resource.startsWith('arn:') && resource !== '*' && !resourceTypeFor(action)) {
        add('TEST_OPERATION_INVALID', op, `${normalizeAction(action)} is not an IoT data-plane action with a known resource type: give the full resource ARN.`);
      }
    }
  } catch {
    // Never throw from a validator: return what was found.
  }
  return findings.sort((a, b) => a.range.start - b.range.start);
}
