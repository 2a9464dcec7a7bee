import { Node } from 'jsonc-parser';
import { decodeStringLiteral, indentAt, parseJson, prop } from './json';
import { DocumentKind, Fix } from './types';

/**
 * Refactorings offered at an offset, independent of findings: convert a
 * response's policy document between object and JSON-string form.
 */
export function refactorsAt(text: string, kind: DocumentKind, offset: number): Fix[] {
  if (kind !== 'response') return [];
  try {
    const { root } = parseJson(text);
    const docs = prop(root, 'policyDocuments');
    if (!docs || docs.type !== 'array') return [];
    const out: Fix[] = [];
    for (const d of docs.children ?? []) {
      if (offset < d.offset || offset > d.offset + d.length) continue;
      const fix = convertDocument(text, d);
      if (fix) out.push(fix);
    }
    return out;
  } catch {
    return [];
  }
}

/** Object → compact JSON string literal; string → pretty object at the element's indentation. */
export function convertDocument(text: string, d: Node): Fix | undefined {
  if (d.type === 'object') {
    const value = JSON.parse(text.slice(d.offset, d.offset + d.length));
    return {
      title: 'Convert policy document to a JSON string',
      edits: [{ offset: d.offset, length: d.length, newText: JSON.stringify(JSON.stringify(value)) }],
    };
  }
  if (d.type === 'string') {
    const { value } = decodeStringLiteral(text, d.offset, d.offset + d.length);
    const inner = parseJson(value);
    if (inner.errors.length || inner.root?.type !== 'object') return undefined;
    const indent = indentAt(text, d.offset);
    const pretty = JSON.stringify(JSON.parse(value), null, 2).split('\n').map((l, i) => (i === 0 ? l : indent + l)).join('\n');
    return { title: 'Convert policy document to an object', edits: [{ offset: d.offset, length: d.length, newText: pretty }] };
  }
  return undefined;
}
