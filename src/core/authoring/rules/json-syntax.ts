import { Node, ParseError } from 'jsonc-parser';
import { Code } from '../codes';
import { Frame, Reporter } from '../context';
import { parseErrorMessage } from '../json';

/** Syntax errors of a frame, reported under `code` (JSON_SYNTAX, or RESPONSE_DOCUMENT_INVALID_JSON inside a string). */
export function checkSyntax(frame: Frame, errors: readonly ParseError[], r: Reporter, code: Code = 'JSON_SYNTAX'): void {
  // The first error is the real one; the rest usually follow from it.
  const e = errors[0];
  if (!e) return;
  const prefix = code === 'JSON_SYNTAX' ? '' : 'The policy document string is not valid JSON: ';
  const msg = parseErrorMessage(e);
  r.report(code, frame, e.offset, e.offset + Math.max(e.length, 0), prefix ? prefix + msg.slice('Invalid JSON: '.length) : msg, {
    data: { errorCount: errors.length },
  });
}

/** Keys that appear twice in one object: JSON.parse keeps the last, which surprises. */
export function checkDuplicateKeys(frame: Frame, root: Node | undefined, r: Reporter): void {
  if (!root || !r.enabled('JSON_DUPLICATE_KEY')) return;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'object' && n.children && n.children.length > 1) {
      const seen = new Set<string>();
      for (const p of n.children) {
        const k = p.children?.[0];
        if (k && typeof k.value === 'string') {
          if (seen.has(k.value)) r.reportNode('JSON_DUPLICATE_KEY', frame, k, `Duplicate key "${k.value}": only the last value counts.`);
          seen.add(k.value);
        }
      }
    }
    if (n.children) for (const c of n.children) if (c.children) stack.push(c);
  }
}
