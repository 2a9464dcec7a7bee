import { Node } from 'jsonc-parser';
import { jsonTooDeepAt, MAX_JSON_DEPTH } from '../jsonDepth';
import { Frame, Reporter, topFrame } from './context';
import { decodeStringLiteral, escapeForJsonString, parseJson, prop, propNode } from './json';
import { PolicyView, policyView } from './model';
import { checkActions } from './rules/policy-actions';
import { checkArns, checkConsistency } from './rules/arns';
import { checkAuthorizer } from './rules/authorizer';
import { checkDuplicateKeys, checkSyntax } from './rules/json-syntax';
import { reportNoConnect } from './rules/policy-connect';
import { checkResources } from './rules/policy-resources';
import { checkPolicyStructure } from './rules/policy-structure';
import { checkVariables } from './rules/policy-variables';
import { checkDocumentSize, checkResponseFields } from './rules/response';
import { DocumentKind, Finding, ValidateOptions } from './types';

type ArnsSeen = Parameters<typeof checkArns>[2];

/** One rule run on each policy document (of a policy file or of a response). */
export interface PolicyRule {
  /** Named in the INTERNAL_RULE_ERROR finding when the rule throws. */
  readonly name: string;
  check(view: PolicyView, r: Reporter, ctx: { customAuthorizer: boolean; seen: ArnsSeen }): void;
}

/**
 * The per-document policy rules, in order. Exported so that tests can add a
 * rule (e.g. one that throws) and take it out again.
 */
export const POLICY_RULES: PolicyRule[] = [
  { name: 'policy-structure', check: (v, r) => checkPolicyStructure(v, r) },
  { name: 'policy-actions', check: (v, r) => checkActions(v, r) },
  { name: 'arns', check: (v, r, c) => checkArns(v, r, c.seen) },
  { name: 'policy-resources', check: (v, r) => checkResources(v, r) },
  { name: 'policy-variables', check: (v, r, c) => checkVariables(v, r, c.customAuthorizer) },
];

/** Set to 1 by the unit test stage: a rule that throws then fails the test instead of becoming a finding. */
export const STRICT_RULES_ENV = 'IOT_AUTHZ_STRICT_RULES';

/**
 * Validates a response, policy or authorizer definition. Never throws; every
 * range is within [0, text.length]; findings are sorted by position.
 */
/**
 * No valid response, policy or definition comes near this size (a response
 * holds at most 10 policy documents of 2,048 characters). Larger texts get one
 * finding instead of a parse that would stall the editor on every keystroke.
 */
export const MAX_VALIDATED_CHARS = 256 * 1024;

export function validateText(text: string, kind: DocumentKind, options: ValidateOptions = {}): Finding[] {
  const t = typeof text === 'string' ? text : String(text ?? '');
  const r = new Reporter(t.length, options);
  if (t.length > MAX_VALIDATED_CHARS) {
    const size = t.length >= 1024 * 1024 ? `${(t.length / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(t.length / 1024)} KB`;
    r.report(
      'DOCUMENT_TOO_LARGE_TO_CHECK',
      topFrame(t, undefined),
      0,
      Math.min(t.length, 1),
      `This ${kindName(kind).replace(/^An? /, '').toLowerCase()} is ${size}: far beyond what AWS accepts (a response carries at most 10 policy documents of 2,048 characters each), so it was not checked further. Is this the right file?`,
    );
    return finish(r);
  }
  const deepAt = jsonTooDeepAt(t);
  if (deepAt !== undefined) {
    r.report('JSON_TOO_DEEP', topFrame(t, undefined), deepAt, deepAt + 1, tooDeepMessage);
    return finish(r);
  }
  try {
    const { root, errors } = parseJson(t);
    const frame = topFrame(t, root, errors[0]?.offset);
    guard(r, 'json-syntax', frame, undefined, () => checkSyntax(frame, errors, r));
    guard(r, 'json-duplicate-keys', frame, root, () => checkDuplicateKeys(frame, root, r));
    if (!root) return finish(r);
    if (root.type !== 'object') {
      r.reportNode('JSON_NOT_OBJECT', frame, root, `${kindName(kind)} must be a JSON object.`);
      return finish(r);
    }
    if (kind === 'response') validateResponse(frame, root, r, options, errors.length === 0);
    else if (kind === 'policy') validatePolicies([policyView(frame)!], r, options.customAuthorizer ?? true, 'policy', frame, propNode(root, 'Statement')?.children?.[0] ?? root);
    else if (kind === 'authorizer') guard(r, 'authorizer', frame, root, () => checkAuthorizer(frame, root, r, options));
  } catch (e) {
    // A bug outside the rules (parsing, the policy model) must not take the editor
    // down either: keep what was found and say that the check is incomplete.
    crashed(r, 'validator', topFrame(t, undefined), undefined, e);
  }
  return finish(r);
}

/**
 * Validates a parsed Lambda response object (as the emulator has it): the
 * object is serialised with two-space indentation and validated as text, so
 * ranges refer to `text` in the result.
 */
export function validateResponseObject(obj: unknown, options: ValidateOptions = {}): { text: string; findings: Finding[] } {
  let text: string;
  try {
    text = JSON.stringify(obj, null, 2) ?? 'null';
  } catch (e) {
    text = 'null';
    return { text, findings: [{ code: 'JSON_NOT_OBJECT', severity: 'error', message: `The response cannot be serialised as JSON: ${(e as Error).message}`, range: { start: 0, end: 4 }, docsUrl: 'https://www.rfc-editor.org/rfc/rfc8259' }] };
  }
  return { text, findings: validateText(text, 'response', options) };
}

function validateResponse(frame: Frame, root: Node, r: Reporter, options: ValidateOptions, outerClean: boolean): void {
  guard(r, 'response', frame, root, () => checkResponseFields(frame, root, r));
  const docs = prop(root, 'policyDocuments');
  if (!docs || docs.type !== 'array') return;
  const views: PolicyView[] = [];
  (docs.children ?? []).forEach((d, index) => {
    guard(r, 'response-documents', frame, d, () => {
      if (d.type === 'object') {
        checkDocumentSize(frame, d, undefined, r);
        views.push(policyView({ ...frame, root: d, docIndex: index })!);
      } else if (d.type === 'string') {
        // jsonc-parser has decoded the literal already; the offset map is only
        // built when a finding inside the document needs it.
        const trusted = outerClean && typeof d.value === 'string';
        let decoded = trusted ? undefined : decodeStringLiteral(frame.text, d.offset, d.offset + d.length);
        const value = decoded ? decoded.value : (d.value as string);
        const mapOf = () => (decoded ??= decodeStringLiteral(frame.text, d.offset, d.offset + d.length)).map;
        checkDocumentSize(frame, d, value.length, r);
        if (jsonTooDeepAt(value) !== undefined) {
          r.reportNode('JSON_TOO_DEEP', frame, d, tooDeepMessage);
          return;
        }
        const inner = parseJson(value);
        const sub: Frame = {
          text: value,
          root: inner.root,
          toOuter: (o) => {
            const map = mapOf();
            return map[Math.min(Math.max(0, o | 0), map.length - 1)];
          },
          encode: escapeForJsonString,
          inString: true,
          docIndex: index,
          ...(inner.errors.length ? { truncatedAt: inner.errors[0].offset } : {}),
        };
        if (inner.errors.length) checkSyntax(sub, inner.errors, r, 'RESPONSE_DOCUMENT_INVALID_JSON');
        checkDuplicateKeys(sub, inner.root, r);
        if (inner.root?.type === 'object') views.push(policyView(sub)!);
        else if (inner.root && !inner.errors.length) r.reportNode('RESPONSE_DOCUMENT_TYPE', frame, d, 'This string does not hold a JSON object: a policy document is an object.');
      }
    });
  });
  const authenticated = prop(root, 'isAuthenticated')?.value === true;
  const anchor = propNode(root, 'policyDocuments')?.children?.[0] ?? docs;
  validatePolicies(views, r, options.customAuthorizer ?? true, 'response', authenticated && views.length ? frame : undefined, anchor);
}

function validatePolicies(views: PolicyView[], r: Reporter, customAuthorizer: boolean, scope: string, connectFrame: Frame | undefined, connectAnchor: Node): void {
  const seen: ArnsSeen = [];
  for (const v of views) {
    for (const rule of POLICY_RULES) guard(r, rule.name, v.frame, v.frame.root, () => rule.check(v, r, { customAuthorizer, seen }));
  }
  guard(r, 'arn-consistency', connectFrame ?? views[0]?.frame, connectAnchor, () => checkConsistency(seen, r, scope));
  if (connectFrame && views.some((v) => v.statements.length)) {
    const region = majority(seen.map((s) => s.region?.value));
    const account = majority(seen.map((s) => s.account?.value));
    guard(r, 'policy-connect', connectFrame, connectAnchor, () => reportNoConnect(views, r, connectFrame, connectAnchor, region, account));
  }
}

function majority(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [k, c] of counts) if (c > n) { n = c; best = k; }
  return best;
}

const tooDeepMessage = `The JSON nests more than ${MAX_JSON_DEPTH} levels deep here: no policy, response or definition does, so it was not checked further.`;

/**
 * Runs one rule. A rule that throws leaves the others' findings intact and is
 * reported as INTERNAL_RULE_ERROR (on `node`, else at the document start), so
 * a crash never reads as "no findings". Under IOT_AUTHZ_STRICT_RULES=1 (the
 * unit tests) it rethrows instead, so a crashing rule fails the suite.
 */
function guard(r: Reporter, rule: string, frame: Frame | undefined, node: Node | undefined, f: () => void): void {
  try {
    f();
  } catch (e) {
    crashed(r, rule, frame, node, e);
  }
}

function crashed(r: Reporter, rule: string, frame: Frame | undefined, node: Node | undefined, e: unknown): void {
  if (process.env[STRICT_RULES_ENV] === '1') throw e;
  const why = e instanceof Error ? e.message : String(e);
  const message = `The ${rule} check failed on this document (${why}), so its findings are missing. This is a bug in IoT Custom Authorizer Studio, not in the document: please report it with the document.`;
  const at = frame ?? topFrame('', undefined);
  if (node && frame) r.reportNode('INTERNAL_RULE_ERROR', at, node, message, { data: { rule } });
  else r.report('INTERNAL_RULE_ERROR', at, 0, 1, message, { data: { rule } });
}

function finish(r: Reporter): Finding[] {
  return r.findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}

function kindName(kind: DocumentKind): string {
  return kind === 'response' ? 'An authorizer response' : kind === 'policy' ? 'An IoT policy' : 'An authorizer definition';
}
