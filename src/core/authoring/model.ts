import { Node } from 'jsonc-parser';
import { IOT_ACTIONS, LIMITS } from '../data';
import { Frame } from './context';
import { entries, prop, stringItems } from './json';
import { iamGlob, hasWildcard } from './strings';

/** One statement of a policy, with the nodes the rules need. */
export interface StatementView {
  node: Node;
  effect?: string;
  effectNode?: Node;
  action?: Node;
  notAction?: Node;
  resource?: Node;
  notResource?: Node;
  condition?: Node;
}

export interface PolicyView {
  frame: Frame;
  root: Node;
  statementNode?: Node;
  statements: StatementView[];
}

export function policyView(frame: Frame): PolicyView | undefined {
  const root = frame.root;
  if (!root || root.type !== 'object') return undefined;
  const statementNode = prop(root, 'Statement');
  const nodes = statementNode?.type === 'array' ? statementNode.children ?? [] : statementNode?.type === 'object' ? [statementNode] : [];
  const statements: StatementView[] = [];
  for (const n of nodes) {
    if (n.type !== 'object') continue;
    const s: StatementView = { node: n };
    for (const { key, value } of entries(n)) {
      if (!value) continue;
      switch (key) {
        case 'Effect':
          s.effectNode = value;
          s.effect = typeof value.value === 'string' ? value.value : undefined;
          break;
        case 'Action': s.action = value; break;
        case 'NotAction': s.notAction = value; break;
        case 'Resource': s.resource = value; break;
        case 'NotResource': s.notResource = value; break;
        case 'Condition': s.condition = value; break;
      }
    }
    statements.push(s);
  }
  return { frame, root, statementNode, statements };
}

// ------------------------------------------------------------------ actions

const ACTION_NAMES = Object.keys(IOT_ACTIONS.actions);
const ACTION_BY_LOWER = new Map(ACTION_NAMES.map((a) => [a.toLowerCase(), a]));

export const ALL = '*';

export interface ResolvedAction {
  /** 'iot' actions known exactly or by case; 'pattern' wildcard; 'all' for * and iot:*. */
  kind: 'exact' | 'case' | 'pattern' | 'all' | 'unknown' | 'foreign' | 'malformed';
  /** Matched IoT action names (without prefix). */
  names: string[];
}

const resolveCache = new Map<string, ResolvedAction>();

/** Which IoT actions an Action string names. IAM matches actions case-insensitively. */
export function resolveAction(value: string): ResolvedAction {
  let r = resolveCache.get(value);
  if (r) return r;
  r = resolveUncached(value);
  if (resolveCache.size > 5000) resolveCache.clear();
  resolveCache.set(value, r);
  return r;
}

function resolveUncached(value: string): ResolvedAction {
  if (value === '*') return { kind: 'all', names: ACTION_NAMES };
  const colon = value.indexOf(':');
  if (colon < 0) return { kind: 'malformed', names: [] };
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (service.toLowerCase() !== 'iot') {
    if (hasWildcard(service) && iamGlob(service, true).test('iot')) return { kind: 'pattern', names: matchNames(name) };
    return { kind: 'foreign', names: [] };
  }
  if (name === '*') return { kind: service === 'iot' ? 'all' : 'case', names: ACTION_NAMES };
  if (hasWildcard(name)) return { kind: 'pattern', names: matchNames(name) };
  if (service === 'iot' && IOT_ACTIONS.actions[name]) return { kind: 'exact', names: [name] };
  const byCase = ACTION_BY_LOWER.get(name.toLowerCase());
  if (byCase) return { kind: 'case', names: [byCase] };
  return { kind: 'unknown', names: [] };
}

function matchNames(pattern: string): string[] {
  const re = iamGlob(pattern, true);
  return ACTION_NAMES.filter((a) => re.test(a));
}

export function actionNames(): readonly string[] {
  return ACTION_NAMES;
}

/** Resource prefixes an action works on; empty: only `*`. */
export function resourceTypesOf(action: string): readonly string[] {
  return IOT_ACTIONS.actions[action] ?? [];
}

/** Does this Allow statement allow iot:Connect (ignoring resources and conditions)? */
export function statementAllowsConnect(s: StatementView): boolean {
  if (s.effect !== 'Allow') return false;
  if (s.action) {
    return stringItems(s.action).strings.some((n) => typeof n.value === 'string' && resolveAction(n.value).names.includes('Connect'));
  }
  if (s.notAction) {
    return !stringItems(s.notAction).strings.some((n) => typeof n.value === 'string' && resolveAction(n.value).names.includes('Connect'));
  }
  return false;
}

// ---------------------------------------------------------------------- ARNs

/** Offsets of one ARN part within the string value. */
export interface Part {
  value: string;
  start: number;
  end: number;
}

export interface ArnView {
  partition: Part;
  service: Part;
  region: Part;
  account: Part;
  /** Everything after the fifth colon. */
  resource: Part;
  /** Up to the first `/` of the resource. */
  type: Part;
  /** After the first `/` (may be empty). */
  name: Part;
  hasSlash: boolean;
}

/** Splits an ARN string; undefined when it does not start with `arn:` and have six parts. */
export function parseArn(s: string): ArnView | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const parts: Part[] = [];
  let start = 0;
  for (let k = 0; k < 5; k++) {
    const c = colonOutsideVariables(s, start);
    if (c < 0) return undefined;
    parts.push({ value: s.slice(start, c), start, end: c });
    start = c + 1;
  }
  const resource: Part = { value: s.slice(start), start, end: s.length };
  const slash = s.indexOf('/', start);
  const typeEnd = slash < 0 ? s.length : slash;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource,
    type: { value: s.slice(start, typeEnd), start, end: typeEnd },
    name: { value: slash < 0 ? '' : s.slice(slash + 1), start: slash < 0 ? s.length : slash + 1, end: s.length },
    hasSlash: slash >= 0,
  };
}

/** The next `:` at or after `from` that is not inside a `${…}` policy variable. */
function colonOutsideVariables(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) return i;
    if (c === 36 && s.charCodeAt(i + 1) === 123) {
      const close = s.indexOf('}', i + 2);
      if (close < 0) return -1;
      i = close;
    }
  }
  return -1;
}

/** A part that is a wildcard pattern or contains a policy variable: not checked literally. */
export function isDynamic(v: string): boolean {
  return hasWildcard(v) || v.includes('${');
}

const PREFIXES = IOT_ACTIONS.resourcePrefixes;

/** Resource prefixes an ARN's type part can stand for; undefined when it cannot be known. */
export function typesOfArn(arn: ArnView): readonly string[] | undefined {
  const t = arn.type.value;
  if (t.includes('${')) return undefined;
  if (hasWildcard(t)) {
    const re = iamGlob(t);
    return PREFIXES.filter((p) => re.test(p));
  }
  return PREFIXES.includes(t) ? [t] : undefined;
}

export const REGION_RE = new RegExp(LIMITS.arn.regionPattern);
export const ACCOUNT_RE = new RegExp(LIMITS.arn.accountPattern);
