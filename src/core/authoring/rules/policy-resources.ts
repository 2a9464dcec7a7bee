import { Node } from 'jsonc-parser';
import { Reporter } from '../context';
import { stringItems, valueOffsets } from '../json';
import { parseArn, PolicyView, resolveAction, resourceTypesOf, StatementView, typesOfArn } from '../model';

const ALLOW_ALL_ARN = /^arn:[^:]*:iot:\*:\*:\*$/;
const TOPIC_ACTIONS = new Set(['Publish', 'Receive', 'RetainPublish', 'GetRetainedMessage']);

/** Resource types versus actions, allow-everything resources, MQTT wildcards in topic resources. */
export function checkResources(v: PolicyView, r: Reporter): void {
  for (const s of v.statements) {
    if (!s.resource) continue;
    const resources = stringItems(s.resource).strings;
    const actions = statementActions(s);
    checkAllowAll(v, r, s, resources, actions);
    if (actions && actions.length) checkTypes(v, r, s, resources, actions);
    for (const n of resources) checkTopicCharacters(v, r, n);
  }
}

/** The concrete IoT actions of a statement's Action; undefined for NotAction or nothing known. */
function statementActions(s: StatementView): string[] | undefined {
  if (!s.action) return undefined;
  const names = new Set<string>();
  for (const n of stringItems(s.action).strings) for (const a of resolveAction(String(n.value)).names) names.add(a);
  return [...names];
}

function checkAllowAll(v: PolicyView, r: Reporter, s: StatementView, resources: Node[], actions: string[] | undefined): void {
  if (s.effect !== 'Allow') return;
  // Actions that only take `*` (ListRetainedMessages, …) need it: not a finding.
  if (actions && actions.length && actions.every((a) => resourceTypesOf(a).length === 0)) return;
  for (const n of resources) {
    const value = String(n.value);
    if (value === '*' || ALLOW_ALL_ARN.test(value)) {
      r.reportNode('IOT_ALLOW_ALL_RESOURCES', v.frame, n, `"${value}" allows these actions on every resource (any client id, any topic): name the resources, e.g. arn:aws:iot:<region>:<account>:client/\${iot:ClientId}.`);
    }
  }
}

function checkTypes(v: PolicyView, r: Reporter, s: StatementView, resources: Node[], actions: string[]): void {
  const wanted = new Set<string>();

  for (const a of actions) {
    const t = resourceTypesOf(a);

    for (const x of t) wanted.add(x);
  }
  let anyMatch = false;
  let checked = 0;
  const mismatches: { node: Node; type: string }[] = [];
  for (const n of resources) {
    const value = String(n.value);
    if (value === '*') {
      anyMatch = true;
      continue;
    }
    const arn = parseArn(value);
    if (!arn) {
      anyMatch = true; // malformed: the ARN rule reports it
      continue;
    }
    const types = typesOfArn(arn);
    if (!types) {
      anyMatch = true;
      continue;
    }
    checked++;
    if (types.some((t) => wanted.has(t))) anyMatch = true;
    else mismatches.push({ node: n, type: arn.type.value });
  }
  const wantedList = [...wanted].sort();
  const wantText = wantedList.length ? wantedList.map((t) => `${t}/`).join(', ') : '';
  const actionText = actions.length <= 3 ? actions.map((a) => `iot:${a}`).join(', ') : `${actions.length} actions`;
  for (const { node, type } of mismatches) {
    const value = String(node.value);
    const arn = parseArn(value)!;
    const at = valueOffsets(v.frame.text, node);
    const target = switchTarget(type, actions, wantedList);
    const message = wantedList.length
      ? `${actionText} ${actions.length === 1 ? 'takes' : 'take'} ${wantText} resources, not ${type}/.${target ? ` Use ${target}/.` : ''}`
      : `${actionText} ${actions.length === 1 ? 'takes' : 'take'} only Resource "*".`;
    // When no resource of the statement can match, the grant (or Deny) is lost: an error on
    // the resource type itself. A stray resource beside working ones stays a warning.
    const severity = !anyMatch && checked > 0 ? ({ severity: 'error' } as const) : {};
    r.report('IOT_RESOURCE_TYPE_MISMATCH', v.frame, at(arn.type.start), at(arn.type.end), message, target ? {
      ...severity,
      data: { suggestion: target, expected: wantedList },
      fixes: [{ title: `Change ${type}/ to ${target}/`, edits: [{ start: at(arn.type.start), end: at(arn.type.end), newText: target }], isPreferred: true }],
    } : { ...severity, data: { expected: wantedList } });
  }
  if (!anyMatch && checked > 0) {
    r.reportNode('IOT_STATEMENT_NEVER_MATCHES', v.frame, s.resource!, `No resource here can match ${actionText}: this ${s.effect === 'Deny' ? 'Deny' : 'statement'} has no effect.${wantText ? ` The actions take ${wantText} resources.` : ' The actions take only Resource "*".'}`);
  }
}

/** The one resource type to switch to, when it is obvious. */
function switchTarget(type: string, actions: string[], wanted: string[]): string | undefined {
  if (type === 'topic' && actions.every((a) => a === 'Subscribe')) return 'topicfilter';
  if (type === 'topicfilter' && actions.every((a) => TOPIC_ACTIONS.has(a))) return 'topic';
  return wanted.length === 1 ? wanted[0] : undefined;
}

/** MQTT + and # in topic/ (literal there), and policy wildcards in topicfilter/. */
function checkTopicCharacters(v: PolicyView, r: Reporter, n: Node): void {
  const value = String(n.value);
  if (!value.includes(':topic')) return;
  const arn = parseArn(value);
  if (!arn || (arn.type.value !== 'topic' && arn.type.value !== 'topicfilter')) return;
  const name = arn.name.value;
  const base = arn.name.start;
  const at = valueOffsets(v.frame.text, n);
  const outsideVars = maskVariables(name);
  if (arn.type.value === 'topic') {
    let reported = 0;
    for (let i = 0; i < outsideVars.length && reported < 8; i++) {
      const c = outsideVars[i];
      if (c !== '+' && c !== '#') continue;
      reported++;
      r.report('IOT_MQTT_WILDCARD_IN_TOPIC', v.frame, at(base + i), at(base + i + 1), `"${c}" is a literal character in a topic/ resource: it matches only a topic containing "${c}". Use "*" to match any topic level(s).`, {
        data: { suggestion: '*' },
        fixes: [{ title: `Replace "${c}" with "*"`, edits: [{ start: at(base + i), end: at(base + i + 1), newText: '*' }], isPreferred: true }],
      });
    }
    return;
  }
  // topicfilter/: Subscribe's requested filter is compared as a string.
  if (/[+#]/.test(outsideVars)) {
    r.report('IOT_MQTT_WILDCARD_IN_TOPICFILTER', v.frame, at(base), at(arn.name.end), `In a topicfilter/ resource "+" and "#" are compared literally: this allows subscribing to exactly the filter "${name}", not to topics it would match (a subscription to a concrete topic such as "${concreteExample(name)}" is refused). That is right if devices subscribe with this filter; use "*" to allow more filters.`);
  }
  const levels = outsideVars.split('/');
  let pos = 0;
  for (let li = 0; li < levels.length; li++) {
    const level = levels[li];
    const isLast = li === levels.length - 1;
    if ((level === '*' && !isLast) || level.includes('?')) {
      r.report('IOT_POLICY_WILDCARD_IN_TOPICFILTER', v.frame, at(base + pos), at(base + pos + level.length), level.includes('?')
        ? `"?" matches exactly one character of the requested filter, not one topic level: "a/?/b" allows "a/+/b" and "a/x/b" but not "a/xy/b". If one level was meant, "*" is the policy wildcard ("+" would be literal).`
        : `"*" matches any characters including "/": this allows filters with several levels here (e.g. "x/y") and "#", not just one level. If one level was meant, policies cannot express it; "+" here would match only the literal filter.`);
    }
    pos += level.length + 1;
  }
}

function maskVariables(s: string): string {
  return s.replace(/\$\{[^}]*\}/g, (m) => '_'.repeat(m.length));
}

function concreteExample(filter: string): string {
  return filter.split('/').map((l) => (l === '+' ? 'x' : l === '#' ? 'x/y' : l)).join('/');
}
