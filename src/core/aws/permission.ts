import { AuthzError } from '../errors';
import { arnLike, functionNameOf, parseArn, unqualifiedFunctionArn, wildcardMatch } from './arn';
import { InvokePermissionRequest } from './types';

export const IOT_PRINCIPAL = 'iot.amazonaws.com';
export const INVOKE_ACTION = 'lambda:InvokeFunction';

export interface PermissionCheck {
  /** True when some statement lets IoT invoke the function for this authorizer and no Deny blocks it. */
  allowed: boolean;
  /** The Sid of the statement that allows it. */
  statementId?: string;
  /** Why (one sentence). */
  reason: string;
  /** Things that work but deserve attention (e.g. no SourceArn condition). */
  warnings: string[];
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function principalMatches(p: unknown): { match: boolean; wildcard: boolean } {
  if (p === '*') return { match: true, wildcard: true };
  if (p && typeof p === 'object') {
    const obj = p as Record<string, unknown>;
    if (asList(obj.Service).some((s) => s === IOT_PRINCIPAL)) return { match: true, wildcard: false };
    if (asList(obj.AWS).includes('*')) return { match: true, wildcard: true };
  }
  if (p === IOT_PRINCIPAL) return { match: true, wildcard: false };
  return { match: false, wildcard: false };
}

function actionMatches(s: Statement): boolean {
  if (s.Action !== undefined) return asList(s.Action).some((a) => wildcardMatch(a.toLowerCase(), INVOKE_ACTION.toLowerCase()));
  if (s.NotAction !== undefined) return !asList(s.NotAction).some((a) => wildcardMatch(a.toLowerCase(), INVOKE_ACTION.toLowerCase()));
  return false;
}

function resourceMatches(s: Statement, functionArn: string | undefined): boolean {
  if (!functionArn || s.Resource === undefined) return true;
  const fn = unqualifiedFunctionArn(functionArn);
  return asList(s.Resource).some((r) => wildcardMatch(r, functionArn) || wildcardMatch(r, fn) || unqualifiedFunctionArn(r) === fn);
}

interface ConditionResult {
  ok: boolean;
  hasSourceArn: boolean;
  hasSourceAccount: boolean;
  why?: string;
}

/** Evaluates the condition block for the keys we know (AWS:SourceArn, AWS:SourceAccount). */
function conditionsHold(cond: Statement['Condition'], authorizerArn: string, account: string | undefined): ConditionResult {
  const res: ConditionResult = { ok: true, hasSourceArn: false, hasSourceAccount: false };
  for (const [op, block] of Object.entries(cond ?? {})) {
    for (const [rawKey, rawValues] of Object.entries(block ?? {})) {
      const key = rawKey.toLowerCase();
      const values = asList(rawValues);
      const operator = op.replace(/^ForAnyValue:|^ForAllValues:/, '').replace(/IfExists$/, '');
      let actual: string | undefined;
      if (key === 'aws:sourcearn') {
        res.hasSourceArn = true;
        actual = authorizerArn;
      } else if (key === 'aws:sourceaccount') {
        res.hasSourceAccount = true;
        actual = account;
      } else {
        continue; // a key we cannot evaluate: assume it holds
      }
      if (actual === undefined) continue;
      let holds: boolean;
      switch (operator) {
        case 'ArnLike':
          holds = values.some((v) => arnLike(v, actual!));
          break;
        case 'ArnNotLike':
          holds = !values.some((v) => arnLike(v, actual!));
          break;
        case 'ArnEquals':
        case 'StringEquals':
          holds = values.includes(actual);
          break;
        case 'StringEqualsIgnoreCase':
          holds = values.some((v) => v.toLowerCase() === actual!.toLowerCase());
          break;
        case 'StringLike':
          holds = values.some((v) => wildcardMatch(v, actual!));
          break;
        case 'ArnNotEquals':
        case 'StringNotEquals':
          holds = !values.includes(actual);
          break;
        case 'StringNotLike':
          holds = !values.some((v) => wildcardMatch(v, actual!));
          break;
        default:
          holds = true;
      }
      if (!holds) {
        res.ok = false;
        res.why = `${op} ${rawKey} ${JSON.stringify(rawValues)} does not match ${actual}`;
      }
    }
  }
  return res;
}

/**
 * Does the Lambda resource policy let AWS IoT invoke the function for this authorizer?
 * Needs an Allow statement with principal iot.amazonaws.com (or `*`), action
 * lambda:InvokeFunction (or a wildcard), and conditions that hold for SourceArn =
 * the authorizer ARN and SourceAccount = its account (ArnLike wildcards honoured);
 * a matching Deny wins.
 */
export function checkInvokePermission(
  policy: string | object | undefined,
  authorizerArn: string,
  functionArn?: string,
): PermissionCheck {
  if (policy === undefined || policy === '') {
    return { allowed: false, reason: 'The function has no resource policy, so AWS IoT cannot invoke it.', warnings: [] };
  }
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = typeof policy === 'string' ? JSON.parse(policy) : (policy as typeof doc);
  } catch {
    return { allowed: false, reason: 'The function\'s resource policy is not valid JSON.', warnings: [] };
  }
  const account = parseArn(authorizerArn)?.account;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  let allow: { s: Statement; cond: ConditionResult; wildcard: boolean } | undefined;
  const nearMisses: string[] = [];
  for (const s of statements) {
    const principal = principalMatches(s.Principal);
    if (!principal.match || !actionMatches(s) || !resourceMatches(s, functionArn)) continue;
    const cond = conditionsHold(s.Condition, authorizerArn, account);
    if (s.Effect === 'Deny' && cond.ok) {
      return { allowed: false, statementId: s.Sid, reason: `Statement ${s.Sid ?? '(no Sid)'} denies AWS IoT from invoking the function.`, warnings: [] };
    }
    if (s.Effect !== 'Allow') continue;
    if (!cond.ok) {
      nearMisses.push(`${s.Sid ?? '(no Sid)'}: ${cond.why}`);
      continue;
    }
    if (!allow || (allow.wildcard && !principal.wildcard) || (!allow.cond.hasSourceArn && cond.hasSourceArn)) allow = { s, cond, wildcard: principal.wildcard };
  }
  if (!allow) {
    return {
      allowed: false,
      reason: nearMisses.length
        ? `No statement allows this authorizer: ${nearMisses.join('; ')}.`
        : `No statement allows ${IOT_PRINCIPAL} to call ${INVOKE_ACTION}.`,
      warnings: [],
    };
  }
  const warnings: string[] = [];
  if (!allow.cond.hasSourceArn) warnings.push(`Statement ${allow.s.Sid ?? '(no Sid)'} has no AWS:SourceArn condition: any IoT authorizer (of any account) may invoke the function.`);
  if (allow.wildcard) warnings.push(`Statement ${allow.s.Sid ?? '(no Sid)'} allows principal "*".`);
  if (allow.cond.hasSourceArn && !allow.cond.hasSourceAccount) warnings.push(`Statement ${allow.s.Sid ?? '(no Sid)'} has no AWS:SourceAccount condition.`);
  return { allowed: true, statementId: allow.s.Sid, reason: `Statement ${allow.s.Sid ?? '(no Sid)'} allows AWS IoT to invoke the function for this authorizer.`, warnings };
}

/** Statement ids allow [a-zA-Z0-9-_.], up to 100 characters. */
export function invokeStatementId(authorizerName: string): string {
  return `iot-authz-${authorizerName.replace(/[^a-zA-Z0-9\-_.]/g, '-')}`.slice(0, 100);
}

/**
 * The exact AddPermission request that lets IoT invoke `functionArn` for this authorizer:
 * StatementId iot-authz-<name>, principal iot.amazonaws.com, lambda:InvokeFunction,
 * SourceArn = the authorizer ARN, SourceAccount = its account.
 */
export function invokePermissionRequest(functionArn: string, authorizerArn: string): InvokePermissionRequest {
  const arn = parseArn(authorizerArn);
  if (!arn || arn.service !== 'iot' || !arn.resource.startsWith('authorizer/')) {
    throw new AuthzError('AWS_BAD_ARN', `Not an IoT authorizer ARN: ${authorizerArn}.`, 'Expected arn:aws:iot:<region>:<account>:authorizer/<name>.');
  }
  return {
    FunctionName: functionArn,
    StatementId: invokeStatementId(arn.resource.slice('authorizer/'.length)),
    Action: INVOKE_ACTION,
    Principal: IOT_PRINCIPAL,
    SourceArn: authorizerArn,
    SourceAccount: arn.account,
  };
}

/** The statement Lambda stores for such a request (what `aws lambda get-policy` then shows). */
export function statementForRequest(req: InvokePermissionRequest, functionArn = req.FunctionName): Record<string, unknown> {
  return {
    Sid: req.StatementId,
    Effect: 'Allow',
    Principal: { Service: req.Principal },
    Action: req.Action,
    Resource: functionArn,
    Condition: {
      StringEquals: { 'AWS:SourceAccount': req.SourceAccount },
      ArnLike: { 'AWS:SourceArn': req.SourceArn },
    },
  };
}

/**
 * The text of the "let IoT invoke the Lambda?" question: why, and the exact statement
 * AddPermission adds. Dialogs render their detail as HTML text, which collapses leading
 * spaces, so the JSON is indented with no-break spaces to keep its shape.
 */
export function permissionQuestionDetail(reason: string, req: InvokePermissionRequest): string {
  const json = JSON.stringify(statementForRequest(req), null, 2).replace(/^ +/gm, (sp) => '\u00a0'.repeat(sp.length));
  return `${reason}\n\nAddPermission adds this statement to the resource policy of ${functionNameOf(req.FunctionName)}:\n\n${json}`;
}
