import { clearGlobCache, GlobMatcher, globMatcher, GlobPart } from '../glob';
import { PolicyContext } from './types';

/**
 * Policy variables (basic-policy-variables.md, thing-policy-variables.md,
 * cert-policy-variables.md). A variable that cannot be resolved is left in the
 * text as `${name}`, as AWS does ("leaving the ${policy-variable} text in the
 * policy document. This might cause authorization failure": cert-policy-variables.md),
 * so it only matches a resource containing that text literally.
 */

export type Resolution = { value: string } | { unresolved: string };

const THING_ATTR = /^iot:connection\.thing\.attributes\[(.+)\]$/i;

/** Resolves one variable name (without `${` `}`) against the connection context. */
export function resolveVariable(name: string, ctx: PolicyContext): Resolution {
  const n = name.trim();
  // IAM's special characters: ${*} ${?} ${$} stand for the literal characters.
  if (n === '*' || n === '?' || n === '$') return { value: n };
  const lower = n.toLowerCase();
  switch (lower) {
    case 'iot:clientid':
      return ctx.clientId !== undefined ? { value: ctx.clientId } : { unresolved: 'the connection has no client id' };
    case 'aws:sourceip':
      return ctx.sourceIp !== undefined ? { value: ctx.sourceIp } : { unresolved: 'no source IP was given' };
    case 'iot:connection.thing.thingname':
      // Checked by type: a test case's "thing" may lack its name (validateTestText reports it).
      return typeof ctx.thing?.thingName === 'string' ? { value: ctx.thing.thingName } : { unresolved: 'no registry thing name was given for the connection' };
    case 'iot:connection.thing.thingtypename':
      return ctx.thing?.thingTypeName !== undefined
        ? { value: ctx.thing.thingTypeName }
        : { unresolved: 'no thing type was given for the connection' };
    case 'iot:connection.thing.isattached':
      return ctx.thing?.isAttached !== undefined
        ? { value: String(ctx.thing.isAttached) }
        : { unresolved: 'whether the thing is attached was not given' };
  }
  const attr = THING_ATTR.exec(n);
  if (attr) {
    const v = ctx.thing?.attributes?.[attr[1]];
    return v !== undefined ? { value: v } : { unresolved: `the thing has no attribute "${attr[1]}" in the given context` };
  }
  if (lower.startsWith('iot:certificate.')) {
    return { unresolved: 'certificate variables never resolve for a custom-authorizer connection (no X.509 client certificate)' };
  }
  const extra = lookupConditionKey(ctx, n);
  if (typeof extra === 'string') return { value: extra };
  return { unresolved: 'not a variable this evaluator knows for a custom-authorizer connection' };
}

/** Case-insensitive lookup in the caller's extra condition keys. */
export function lookupConditionKey(ctx: PolicyContext, key: string): string | string[] | undefined {
  const keys = ctx.conditionKeys;
  if (!keys) return undefined;
  if (key in keys) return keys[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(keys)) if (k.toLowerCase() === lower) return keys[k];
  return undefined;
}

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'star' }
  | { kind: 'one' }
  | { kind: 'var'; name: string; raw: string };

const parsedCache = new Map<string, Segment[]>();

/** Splits a policy pattern into literal text, `*`, `?` and `${var}` segments. */
export function parsePattern(pattern: string): Segment[] {
  const cached = parsedCache.get(pattern);
  if (cached) return cached;
  const out: Segment[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        flush();
        out.push({ kind: 'var', name: pattern.slice(i + 2, end), raw: pattern.slice(i, end + 1) });
        i = end;
        continue;
      }
    }
    if (c === '*') {
      flush();
      out.push({ kind: 'star' });
    } else if (c === '?') {
      flush();
      out.push({ kind: 'one' });
    } else text += c;
  }
  flush();
  // Stryker disable next-line ConditionalExpression,EqualityOperator: when the cache is emptied changes memory use, not a result
  if (parsedCache.size > 10_000) parsedCache.clear();
  parsedCache.set(pattern, out);
  return out;
}

export interface Substituted {
  /** The pattern with variables replaced, for display. */
  display: string;
  /** What to match: wildcards, and substituted values as literal text. */
  parts: GlobPart[];
  /** Identifies parts (wildcards as-is, literal text escaped), for the matcher cache. */
  key: string;
  unresolved: Array<{ variable: string; why: string }>;
}

const escapeKey = (s: string) => s.replace(/[\\*?]/g, '\\$&');

/**
 * Substitutes variables and builds what to match. Substituted values are
 * matched literally: a client id `*` does not become a wildcard.
 */
export function substitute(pattern: string, ctx: PolicyContext): Substituted {
  const segments = parsePattern(pattern);
  let display = '';
  let key = '';
  const parts: GlobPart[] = [];
  const unresolved: Substituted['unresolved'] = [];
  const text = (t: string) => {
    display += t;
    key += escapeKey(t);
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + t };
    else parts.push({ kind: 'text', text: t });
  };
  for (const s of segments) {
    switch (s.kind) {
      case 'text':
        text(s.text);
        break;
      case 'star':
        display += '*';
        key += '*';
        parts.push({ kind: 'star' });
        break;
      case 'one':
        display += '?';
        key += '?';
        parts.push({ kind: 'one' });
        break;
      case 'var': {
        const r = resolveVariable(s.name, ctx);
        if ('value' in r) text(r.value);
        else {
          unresolved.push({ variable: s.raw, why: r.unresolved });
          text(s.raw);
        }
      }
    }
  }
  return { display, parts, key, unresolved };
}

/** The (cached) matcher for a substituted pattern. */
export function matcherOf(sub: Substituted, ignoreCase: boolean): GlobMatcher {
  return globMatcher(sub.parts, ignoreCase, `policy:${sub.key}`);
}

/** Matches a value against a policy pattern (with `*`, `?` and variables). */
export function matchPattern(pattern: string, value: string, ctx: PolicyContext, ignoreCase = false): { matched: boolean; sub: Substituted } {
  const sub = substitute(pattern, ctx);
  return { matched: matcherOf(sub, ignoreCase).test(value), sub };
}

/**
 * Empties the parse and matcher caches. For mutation runs, which reuse one process:
 * a result cached before a mutant was switched on must not hide the mutant.
 */
export function clearPatternCaches(): void {
  parsedCache.clear();
  clearGlobCache();
}
