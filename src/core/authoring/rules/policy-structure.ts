import { Node } from 'jsonc-parser';
import { LIMITS } from '../../data';
import { cutOff, Reporter } from '../context';
import { entries, prop, propNode } from '../json';
import { PolicyView } from '../model';
import { closest } from '../strings';

const VERSION = LIMITS.policy.version;
const STATEMENT_FIELDS = LIMITS.policy.statementFields;
const DOC_FIELDS = LIMITS.policy.documentFields;

/** Version, Statement, Effect, Action/NotAction, Resource/NotResource: shape and presence. */
export function checkPolicyStructure(v: PolicyView, r: Reporter): void {
  const f = v.frame;
  const version = prop(v.root, 'Version');
  const rootCut = cutOff(f, v.root);
  if (!version) {
    if (!rootCut) r.report('POLICY_VERSION_MISSING', f, v.root.offset, v.root.offset + 1, `The policy has no "Version": add "Version": "${VERSION}" (without it policy variables are not substituted).`);
  } else if (version.value !== VERSION) {
    r.reportNode('POLICY_VERSION_INVALID', f, version, `Version must be "${VERSION}", not ${JSON.stringify(version.value ?? null)}.`, {
      fixes: [{ title: `Set Version to "${VERSION}"`, edits: [{ start: version.offset, end: version.offset + version.length, newText: JSON.stringify(VERSION) }], isPreferred: true }],
    });
  }
  for (const { key, keyNode } of entries(v.root)) {
    if (key === '$schema' || DOC_FIELDS.includes(key)) continue;
    const s = closest(key, DOC_FIELDS, 2);
    r.reportNode('POLICY_UNKNOWN_FIELD', f, keyNode, `"${key}" is not a policy field${s ? `: did you mean "${s}"?` : '.'}`, s ? { data: { suggestion: s }, fixes: [renameKey(keyNode, s)] } : {});
  }
  const st = v.statementNode;
  if (!st) {
    if (rootCut) return;
    r.report('POLICY_STATEMENT_MISSING', f, v.root.offset, v.root.offset + 1, 'The policy has no "Statement".');
    return;
  }
  if (st.type !== 'array' && st.type !== 'object') {
    r.reportNode('POLICY_STATEMENT_TYPE', f, st, '"Statement" must be an array of statements.');
    return;
  }
  if (st.type === 'array' && (st.children?.length ?? 0) === 0 && !cutOff(f, st)) {
    const key = propNode(v.root, 'Statement')?.children?.[0] ?? st;
    r.reportNode('POLICY_STATEMENT_EMPTY', f, key, 'Statement is empty: the policy allows nothing.');
  }
  if (st.type === 'array') for (const c of st.children ?? []) if (c.type !== 'object') r.reportNode('POLICY_STATEMENT_TYPE', f, c, 'A statement must be an object.');

  for (const s of v.statements) {
    const open = { start: s.node.offset, end: s.node.offset + 1 };
    if (!s.effectNode) {
      if (!cutOff(f, s.node)) r.report('POLICY_EFFECT_INVALID', f, open.start, open.end, 'The statement has no "Effect": add "Effect": "Allow" or "Deny".');
    } else if (s.effect !== 'Allow' && s.effect !== 'Deny') {
      const fixTo = typeof s.effect === 'string' ? (s.effect.toLowerCase() === 'allow' ? 'Allow' : s.effect.toLowerCase() === 'deny' ? 'Deny' : undefined) : undefined;
      r.reportNode('POLICY_EFFECT_INVALID', f, s.effectNode, `Effect must be "Allow" or "Deny", not ${JSON.stringify(s.effectNode.value ?? null)}.`, fixTo ? {
        data: { suggestion: fixTo },
        fixes: [{ title: `Change to "${fixTo}"`, edits: [{ start: s.effectNode.offset, end: s.effectNode.offset + s.effectNode.length, newText: JSON.stringify(fixTo) }], isPreferred: true }],
      } : {});
    }
    pair(r, v, s.node, s.action, s.notAction, 'Action', 'NotAction', 'POLICY_ACTION_MISSING');
    pair(r, v, s.node, s.resource, s.notResource, 'Resource', 'NotResource', 'POLICY_RESOURCE_MISSING');
    for (const n of [s.action, s.notAction, s.resource, s.notResource]) if (n) elementType(r, v, n);
    if (s.condition && s.condition.type !== 'object') r.reportNode('POLICY_ELEMENT_TYPE', f, s.condition, '"Condition" must be an object.');
    for (const { key, keyNode } of entries(s.node)) {
      if (STATEMENT_FIELDS.includes(key)) continue;
      const sug = closest(key, STATEMENT_FIELDS, 2);
      const why = key === 'Principal' || key === 'NotPrincipal' ? ' AWS IoT policies are attached to principals; they have no Principal element.' : '';
      r.reportNode('POLICY_UNKNOWN_FIELD', f, keyNode, `"${key}" is not a statement field.${why}${sug && !why ? ` Did you mean "${sug}"?` : ''}`, sug && !why ? { data: { suggestion: sug }, fixes: [renameKey(keyNode, sug)] } : {});
    }
  }
}

function renameKey(keyNode: Node, to: string) {
  return { title: `Rename to "${to}"`, edits: [{ start: keyNode.offset, end: keyNode.offset + keyNode.length, newText: JSON.stringify(to) }], isPreferred: true };
}

function pair(r: Reporter, v: PolicyView, stmt: Node, a: Node | undefined, b: Node | undefined, an: string, bn: string, code: 'POLICY_ACTION_MISSING' | 'POLICY_RESOURCE_MISSING'): void {
  if (!a && !b) {
    if (!cutOff(v.frame, stmt)) r.report(code, v.frame, stmt.offset, stmt.offset + 1, `The statement needs "${an}" (or "${bn}").`);
  } else if (a && b) r.reportNode(code, v.frame, b.parent?.children?.[0] ?? b, `A statement has "${an}" or "${bn}", not both.`);
}

function elementType(r: Reporter, v: PolicyView, n: Node): void {
  const name = n.parent?.children?.[0]?.value ?? 'The element';
  if (n.type === 'string') return;
  if (n.type === 'array') {
    if (!n.children?.length) r.reportNode('POLICY_ELEMENT_TYPE', v.frame, n, `"${name}" is empty.`);
    for (const c of n.children ?? []) if (c.type !== 'string') r.reportNode('POLICY_ELEMENT_TYPE', v.frame, c, `"${name}" items must be strings.`);
    return;
  }
  r.reportNode('POLICY_ELEMENT_TYPE', v.frame, n, `"${name}" must be a string or an array of strings.`);
}
