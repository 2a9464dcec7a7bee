import { Node } from 'jsonc-parser';
import { LIMITS } from '../../data';
import { cutOff, Frame, Reporter } from '../context';
import { entries, prop, propNode } from '../json';
import { closest } from '../strings';

const R = LIMITS.response;
const PRINCIPAL = new RegExp(R.principalIdPattern);

/** The response's own fields (policy documents are checked by the policy rules). */
export function checkResponseFields(f: Frame, root: Node, r: Reporter): void {
  const auth = prop(root, 'isAuthenticated');
  if (!auth) {
    if (!cutOff(f, root)) r.report('RESPONSE_IS_AUTHENTICATED_MISSING', f, root.offset, root.offset + 1, 'The response has no "isAuthenticated": IoT Core refuses the connection.');
  } else if (auth.type !== 'boolean') r.reportNode('RESPONSE_FIELD_TYPE', f, auth, `"isAuthenticated" must be true or false, not ${describe(auth)}.`);
  const authenticated = auth?.value === true;

  const pid = prop(root, 'principalId');
  if (!pid) {
    if (authenticated && !cutOff(f, root)) r.report('RESPONSE_PRINCIPAL_ID_MISSING', f, root.offset, root.offset + 1, 'The response has no "principalId" (1 to 128 letters and digits).');
  } else if (pid.type !== 'string') {
    r.reportNode('RESPONSE_FIELD_TYPE', f, pid, `"principalId" must be a string, not ${describe(pid)}.`);
  } else if (!PRINCIPAL.test(pid.value)) {
    const cleaned = String(pid.value).replace(/[^a-zA-Z0-9]/g, '').slice(0, 128);
    const what = pid.value.length === 0 ? 'is empty' : pid.value.length > 128 ? `has ${pid.value.length} characters` : 'contains characters other than letters and digits';
    r.reportNode('RESPONSE_PRINCIPAL_ID_INVALID', f, pid, `"principalId" ${what}: it must match [a-zA-Z0-9]{1,128} (no "-", "_", "@", ".").`, cleaned ? {
      data: { suggestion: cleaned },
      fixes: [{ title: `Change to "${cleaned}"`, edits: [{ start: pid.offset, end: pid.offset + pid.length, newText: JSON.stringify(cleaned) }], isPreferred: true }],
    } : {});
  }

  for (const field of R.timeFields) {
    const n = prop(root, field);
    if (!n) continue;
    if (n.type !== 'number') {
      r.reportNode('RESPONSE_FIELD_TYPE', f, n, `"${field}" must be an integer number of seconds, not ${describe(n)}.`);
      continue;
    }
    const value = Number(n.value);
    const raw = f.text.slice(n.offset, n.offset + n.length);
    const clamped = Math.min(R.maxSeconds, Math.max(R.minSeconds, Math.round(value)));
    const fix = { title: `Change to ${clamped}`, edits: [{ start: n.offset, end: n.offset + n.length, newText: String(clamped) }], isPreferred: true };
    if (!Number.isInteger(value) || /[.eE]/.test(raw)) {
      r.reportNode('RESPONSE_TIME_NOT_INTEGER', f, n, `"${field}" must be an integer, not ${raw}.`, { data: { suggestion: clamped }, fixes: [fix] });
    } else if (value < R.minSeconds || value > R.maxSeconds) {
      r.reportNode('RESPONSE_TIME_OUT_OF_RANGE', f, n, `"${field}" is ${raw}: it must be from ${R.minSeconds} to ${R.maxSeconds} seconds.`, { data: { suggestion: clamped }, fixes: [fix] });
    }
  }

  const docs = prop(root, 'policyDocuments');
  const docsKey = propNode(root, 'policyDocuments')?.children?.[0];
  if (docs && docs.type !== 'array') r.reportNode('RESPONSE_FIELD_TYPE', f, docs, `"policyDocuments" must be an array, not ${describe(docs)}.`);
  const list = docs?.type === 'array' ? docs.children ?? [] : [];
  if (auth?.value === false && list.length > 0 && docsKey) {
    r.reportNode('RESPONSE_DOCUMENTS_WHEN_UNAUTHENTICATED', f, docsKey, '"isAuthenticated" is false: the connection is refused and these policy documents are ignored.');
  }
  if (authenticated && list.length === 0) {
    r.reportNode('RESPONSE_NO_DOCUMENTS', f, docsKey ?? auth!, 'The connection is authenticated but no policy documents are returned: every action will be denied.');
  }
  if (list.length > R.maxPolicyDocuments) {
    const first = list[R.maxPolicyDocuments];
    const last = list[list.length - 1];
    r.report('RESPONSE_TOO_MANY_DOCUMENTS', f, first.offset, last.offset + last.length, `${list.length} policy documents: at most ${R.maxPolicyDocuments} are allowed.`);
  }
  for (const d of list) {
    if (d.type !== 'string' && d.type !== 'object') r.reportNode('RESPONSE_DOCUMENT_TYPE', f, d, `A policy document is an object or a JSON string, not ${describe(d)}.`);
  }

  for (const { key, keyNode } of entries(root)) {
    if (key === '$schema' || R.fields.includes(key)) continue;
    const sug = closest(key, R.fields, 3);
    r.reportNode('RESPONSE_UNKNOWN_FIELD', f, keyNode, sug ? `"${key}" is not a response field: did you mean "${sug}"?` : `"${key}" is not a response field: IoT Core ignores it.`, sug ? {
      severity: 'warning',
      data: { suggestion: sug },
      fixes: [{ title: `Rename to "${sug}"`, edits: [{ start: keyNode.offset, end: keyNode.offset + keyNode.length, newText: JSON.stringify(sug) }], isPreferred: true }],
    } : {});
  }
}

/** Characters of a JSON text once insignificant whitespace is removed. */
export function compactLength(text: string, start = 0, end = text.length): number {
  let n = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      n++;
      if (c === 92) { n++; i++; } else if (c === 34) inString = false;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      continue;
    } else {
      n++;
      if (c === 34) inString = true;
    }
  }
  return n;
}

/** Size of one policy document element. */
export function checkDocumentSize(f: Frame, d: Node, decodedLength: number | undefined, r: Reporter): void {
  const max = R.maxPolicyDocumentChars;
  if (d.type === 'string' && decodedLength !== undefined) {
    if (decodedLength > max) r.reportNode('RESPONSE_DOCUMENT_TOO_LARGE', f, d, `This policy document has ${decodedLength} characters: at most ${max} are allowed.`, { data: { length: decodedLength } });
  } else if (d.type === 'object') {
    const len = compactLength(f.text, d.offset, d.offset + d.length);
    if (len > max) r.reportNode('RESPONSE_DOCUMENT_TOO_LARGE', f, d, `This policy document has ${len} characters as compact JSON: at most ${max} are allowed.`, { data: { length: len } });
  }
}

function describe(n: Node): string {
  switch (n.type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return String(n.value);
    case 'null': return 'null';
    case 'array': return 'an array';
    case 'object': return 'an object';
    default: return 'this';
  }
}
