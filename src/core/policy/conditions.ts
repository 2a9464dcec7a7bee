import { PolicyContext, PolicyStatement } from './types';
import { lookupConditionKey, matcherOf, substitute } from './variables';

/**
 * IAM condition evaluation for the keys a custom-authorizer connection has.
 *
 * Three outcomes: true, false, or 'unknown' when a key's value or an operator is
 * not available locally (e.g. aws:SourceIp not given, Date operators). The caller
 * decides what 'unknown' means; the evaluator is fail-closed (see evaluate.ts).
 */
export type Tri = true | false | 'unknown';

type KeyValue = { state: 'present'; values: string[] } | { state: 'missing' } | { state: 'unknown'; why: string };

const THING_ATTR_KEY = /^iot:connection\.thing\.attributes\[(.+)\]$/i;

/** What the connection says about one condition key. */
export function conditionKeyValue(key: string, ctx: PolicyContext): KeyValue {
  const extra = lookupConditionKey(ctx, key);
  if (extra !== undefined) return { state: 'present', values: Array.isArray(extra) ? extra : [extra] };
  const lower = key.toLowerCase();
  switch (lower) {
    case 'iot:clientid':
      // No client id (HTTPS publish, or none given) means the key is absent.
      return ctx.clientId !== undefined ? { state: 'present', values: [ctx.clientId] } : { state: 'missing' };
    case 'aws:sourceip':
      return ctx.sourceIp !== undefined
        ? { state: 'present', values: [ctx.sourceIp] }
        : { state: 'unknown', why: 'the client IP (aws:SourceIp) was not given' };
    case 'iot:connection.thing.thingname':
    case 'iot:connection.thing.thingtypename':
    case 'iot:connection.thing.isattached': {
      if (!ctx.thing) return { state: 'unknown', why: `${key} needs registry facts that were not given` };
      const v =
        lower.endsWith('thingname') && !lower.endsWith('typename')
          ? ctx.thing.thingName
          : lower.endsWith('thingtypename')
            ? ctx.thing.thingTypeName
            : ctx.thing.isAttached === undefined
              ? undefined
              : String(ctx.thing.isAttached);
      return v === undefined ? { state: 'missing' } : { state: 'present', values: [v] };
    }
  }
  const attr = THING_ATTR_KEY.exec(key);
  if (attr) {
    if (!ctx.thing) return { state: 'unknown', why: `${key} needs registry facts that were not given` };
    const v = ctx.thing.attributes?.[attr[1]];
    return v === undefined ? { state: 'missing' } : { state: 'present', values: [v] };
  }
  // X.509 certificate keys cannot exist on a custom-authorizer connection.
  if (lower.startsWith('iot:certificate.')) return { state: 'missing' };
  return { state: 'unknown', why: `the condition key ${key} is not known locally` };
}

function ipv4ToBigInt(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!ip.includes(':')) return undefined;
  const [head, tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  if (fill < 0 || (tail === undefined && h.length !== 8)) return undefined;
  const groups = [...h, ...Array(fill).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Whether `ip` lies in `cidr` (IPv4 or IPv6; a bare address is a /32 or /128). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const v4 = ipv4ToBigInt(ip);
  const n4 = ipv4ToBigInt(net);
  if (v4 !== undefined && n4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!(bits >= 0 && bits <= 32)) return false;
    const shift = BigInt(32 - bits);
    return v4 >> shift === n4 >> shift;
  }
  const v6 = ipv6ToBigInt(ip);
  const n6 = ipv6ToBigInt(net);
  if (v6 !== undefined && n6 !== undefined) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (!(bits >= 0 && bits <= 128)) return false;
    const shift = BigInt(128 - bits);
    return v6 >> shift === n6 >> shift;
  }
  return false;
}

type Matcher = (ctxValue: string, policyValue: string) => boolean | 'unknown';

const likeMatch = (ignoreCase: boolean) => (v: string, p: string) => matcherOf(substitute(p, {}), ignoreCase).test(v);

/** Positive operators; the Not- forms negate them. */
const MATCHERS: Record<string, Matcher> = {
  stringequals: (v, p) => v === p,
  stringequalsignorecase: (v, p) => v.toLowerCase() === p.toLowerCase(),
  stringlike: likeMatch(false),
  arnequals: likeMatch(false),
  arnlike: likeMatch(false),
  numericequals: (v, p) => numeric(v, p, (a, b) => a === b),
  numericlessthan: (v, p) => numeric(v, p, (a, b) => a < b),
  numericlessthanequals: (v, p) => numeric(v, p, (a, b) => a <= b),
  numericgreaterthan: (v, p) => numeric(v, p, (a, b) => a > b),
  numericgreaterthanequals: (v, p) => numeric(v, p, (a, b) => a >= b),
  bool: (v, p) => v.toLowerCase() === p.toLowerCase(),
  ipaddress: (v, p) => ipInCidr(v, p),
};

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
  notipaddress: 'ipaddress',
};

function numeric(v: string, p: string, cmp: (a: number, b: number) => boolean): boolean | 'unknown' {
  const a = Number(v);
  const b = Number(p);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return cmp(a, b);
}

export interface ConditionOutcome {
  result: Tri;
  /** Why the outcome is 'unknown', or why it is false, for the trace. */
  notes: string[];
}

/** Evaluates a statement's Condition block: operators AND keys AND; values of one key OR. */
export function evaluateConditions(condition: PolicyStatement['Condition'], ctx: PolicyContext): ConditionOutcome {
  if (!condition || typeof condition !== 'object') return { result: true, notes: [] };
  const notes: string[] = [];
  let overall: Tri = true;
  for (const [rawOperator, block] of Object.entries(condition)) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, rawValues] of Object.entries(block)) {
      const r = evaluateOne(rawOperator, key, rawValues, ctx);
      if (r.note) notes.push(r.note);
      if (r.result === false) return { result: false, notes };
      if (r.result === 'unknown') overall = 'unknown';
    }
  }
  return { result: overall, notes };
}

function evaluateOne(rawOperator: string, key: string, rawValues: unknown, ctx: PolicyContext): { result: Tri; note?: string } {
  let op = rawOperator.trim();
  let setMode: 'any' | 'all' | undefined;
  const prefix = /^(ForAnyValue|ForAllValues):/i.exec(op);
  if (prefix) {
    setMode = prefix[1].toLowerCase() === 'foranyvalue' ? 'any' : 'all';
    op = op.slice(prefix[0].length);
  }
  let ifExists = false;
  if (/IfExists$/i.test(op)) {
    ifExists = true;
    op = op.slice(0, -'IfExists'.length);
  }
  const lowerOp = op.toLowerCase();
  const policyValues = (Array.isArray(rawValues) ? rawValues : [rawValues]).map((v) => substitute(String(v), ctx).display);
  const kv = conditionKeyValue(key, ctx);
  const label = `${rawOperator} on ${key}`;

  if (lowerOp === 'null') {
    if (kv.state === 'unknown') return { result: 'unknown', note: `Condition ${label} not evaluated locally: ${kv.why}.` };
    const wantsMissing = policyValues.some((v) => v.toLowerCase() === 'true');
    return { result: (kv.state === 'missing') === wantsMissing };
  }
  const negatedBase = NEGATED[lowerOp];
  const matcher = MATCHERS[negatedBase ?? lowerOp];
  if (!matcher) {
    return { result: 'unknown', note: `Condition ${label} not evaluated locally: the operator ${op} is not supported here.` };
  }
  if (kv.state === 'unknown') return { result: 'unknown', note: `Condition ${label} not evaluated locally: ${kv.why}.` };
  if (kv.state === 'missing') {
    // IAM: a missing key fails positive operators, satisfies negated ones, and
    // satisfies ...IfExists and ForAllValues.
    if (ifExists || setMode === 'all') return { result: true };
    if (setMode === 'any') return { result: false, note: `Condition ${label}: the key is absent.` };
    return negatedBase ? { result: true } : { result: false, note: `Condition ${label}: the key is absent.` };
  }
  const matchesOne = (v: string): Tri => {
    let unknown = false;
    for (const p of policyValues) {
      const m = matcher(v, p);
      if (m === true) return true;
      if (m === 'unknown') unknown = true;
    }
    return unknown ? 'unknown' : false;
  };
  const perValue = kv.values.map((v) => {
    const m = matchesOne(v);
    return negatedBase && m !== 'unknown' ? !m : m;
  });
  let result: Tri;
  if (setMode === 'all') result = perValue.every((x) => x === true) ? true : perValue.some((x) => x === false) ? false : 'unknown';
  else result = perValue.some((x) => x === true) ? true : perValue.every((x) => x === false) ? false : 'unknown';
  return result === false ? { result, note: `Condition ${label} is not met (value ${JSON.stringify(kv.values.join(', '))}).` } : { result };
}
