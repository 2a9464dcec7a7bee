/**
 * Nesting limit for every JSON input (policies, responses, definitions, test
 * cases). AWS policy documents nest about six levels; recursive parsers and
 * walkers overflow the stack somewhere past a few thousand, so the text is
 * scanned (without recursion) before anything builds a tree from it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The offset of the `[` or `{` that opens level maxDepth + 1, or undefined when
 * the text nests no deeper than maxDepth. Brackets inside strings do not count;
 * the text need not be valid JSON.
 */
export function jsonTooDeepAt(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** The depth of a parsed value, without recursion; stops counting past limit. */
export function valueDepthExceeds(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    if (d + 1 > maxDepth) return true;
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}
