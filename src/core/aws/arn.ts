/** ARN helpers (pure). */
import { iamGlobMatch } from '../glob';
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): Arn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

/** arn:<partition>:iot:<region>:<account>:authorizer/<name> */
export function authorizerArn(region: string, account: string, name: string, partition = 'aws'): string {
  return `arn:${partition}:iot:${region}:${account}:authorizer/${name}`;
}

/** The function ARN without a version or alias qualifier. */
export function unqualifiedFunctionArn(functionArn: string): string {
  const m = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+)(:.+)?$/.exec(functionArn);
  return m ? m[1] : functionArn;
}

/** The Lambda function name from a function ARN (or a name as-is). */
export function functionNameOf(functionArn: string): string {
  const m = /:function:([^:]+)/.exec(functionArn);
  return m ? m[1] : functionArn;
}

/**
 * IAM-style wildcard match used by ArnLike / StringLike: `*` any run of characters,
 * `?` one character; case-sensitive.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  return iamGlobMatch(pattern, value);
}

/**
 * ArnLike: each of the six colon-separated ARN parts is matched separately
 * (a `*` does not cross into the next part), the resource part as a whole.
 */
export function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(':');
  const a = arn.split(':');
  if (pattern === '*') return true;
  if (p.length < 6 || a.length < 6) return false;
  const pHead = p.slice(0, 5);
  const aHead = a.slice(0, 5);
  if (!pHead.every((part, i) => wildcardMatch(part, aHead[i]))) return false;
  return wildcardMatch(p.slice(5).join(':'), a.slice(5).join(':'));
}
