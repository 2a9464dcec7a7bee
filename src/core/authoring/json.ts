import { Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';

/** A JSON text parsed with exact offsets; JSON syntax only (no comments, no trailing commas). */
export interface ParsedJson {
  root: Node | undefined;
  errors: ParseError[];
}

export function parseJson(text: string): ParsedJson {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    root = undefined;
  }
  return { root, errors };
}

export function parseErrorMessage(e: ParseError): string {
  const name = printParseErrorCode(e.error);
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `Invalid JSON: ${words}.`;
}

/** The value node of `key` in an object node (the last one, as JSON.parse does). */
export function prop(obj: Node | undefined, key: string): Node | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  let found: Node | undefined;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k && k.value === key && p.children && p.children.length > 1) found = p.children[1];
  }
  return found;
}

/** The property node (key + value) of `key`. */
export function propNode(obj: Node | undefined, key: string): Node | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  let found: Node | undefined;
  for (const p of obj.children) if (p.children?.[0]?.value === key) found = p;
  return found;
}

/** Key node of a property node. */
export function keyOf(property: Node): Node | undefined {
  return property.children?.[0];
}

/** [key string, key node, value node] for every property of an object. */
export function entries(obj: Node | undefined): { key: string; keyNode: Node; value: Node | undefined; property: Node }[] {
  if (!obj || obj.type !== 'object' || !obj.children) return [];
  const out: { key: string; keyNode: Node; value: Node | undefined; property: Node }[] = [];
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (!k || typeof k.value !== 'string') continue;
    out.push({ key: k.value, keyNode: k, value: p.children?.[1], property: p });
  }
  return out;
}

/** A string or an array of strings as nodes; non-string items are returned separately. */
export function stringItems(node: Node | undefined): { strings: Node[]; others: Node[] } {
  const strings: Node[] = [];
  const others: Node[] = [];
  if (!node) return { strings, others };
  if (node.type === 'string') strings.push(node);
  else if (node.type === 'array') for (const c of node.children ?? []) (c.type === 'string' ? strings : others).push(c);
  else others.push(node);
  return { strings, others };
}

/**
 * Decodes the JSON string literal text[start, end) (quotes included) and maps
 * every decoded character back to the raw text: `map[i]` is the offset in
 * `text` where decoded character i starts; `map[value.length]` is the closing
 * quote. Never throws; tolerates unterminated literals and bad escapes.
 */
export function decodeStringLiteral(text: string, start: number, end: number): { value: string; map: Int32Array } {
  const last = Math.min(end, text.length);
  let i = text.charCodeAt(start) === 34 ? start + 1 : start;
  const close = last - 1 >= i && text.charCodeAt(last - 1) === 34 ? last - 1 : last;
  const map = new Int32Array(Math.max(0, close - i) + 1);
  let value = '';
  let n = 0;
  while (i < close) {
    let bs = text.indexOf('\\', i);
    if (bs < 0 || bs > close) bs = close;
    if (bs > i) {
      for (let k = i; k < bs; k++) map[n++] = k;
      value += text.slice(i, bs);
      i = bs;
    }
    if (i >= close) break;
    map[n++] = i;
    const e = text.charAt(i + 1);
    let ch: string;
    let len = 2;
    switch (e) {
      case '"': ch = '"'; break;
      case '\\': ch = '\\'; break;
      case '/': ch = '/'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'n': ch = '\n'; break;
      case 'r': ch = '\r'; break;
      case 't': ch = '\t'; break;
      case 'u': {
        const hex = text.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          ch = String.fromCharCode(parseInt(hex, 16));
          len = 6;
        } else {
          ch = 'u';
        }
        break;
      }
      default:
        ch = e;
        if (e === '') len = 1;
    }
    value += ch;
    i = Math.min(i + len, close);
  }
  map[n] = close;
  return { value, map: n + 1 === map.length ? map : map.slice(0, n + 1) };
}

/** Text as the body of a JSON string literal (no quotes). */
export function escapeForJsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Leading whitespace of the line containing offset. */
export function indentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

/**
 * For a string node of `text`: maps an index into its decoded value to the
 * offset of that character in `text` (escapes make them differ).
 */
export function valueOffsets(text: string, node: Node): (index: number) => number {
  const v = typeof node.value === 'string' ? node.value : '';
  if (node.length === v.length + 2) return (i) => node.offset + 1 + Math.min(Math.max(i, 0), v.length);
  const { map } = decodeStringLiteral(text, node.offset, node.offset + node.length);
  return (i) => map[Math.min(Math.max(i, 0), map.length - 1)];
}
