import { findNodeAtLocation, getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { NormalizedCase, normalizeTestFile } from './format';

/** A case of a test file with where its object is in the text (offsets). */
export interface LocatedCase {
  case: NormalizedCase;
  /** Offset range of the case's object (for one-case files: the whole top-level object). */
  start: number;
  end: number;
  /** Offset range of the case's "name" value, when it has one. */
  nameRange?: { start: number; end: number };
  /** A stable id within the file: the name when unique in the file, else `#<index>`. */
  key: string;
}

export interface LocatedTestFile {
  cases: LocatedCase[];
  /** Why the text cannot be read as a test file (syntax error or unusable shape). */
  error?: string;
}

/**
 * Reads a `*.authz-test.json` text into its normalized cases (the same
 * defaults and names as `normalizeTestFile`, which the runner uses) with the
 * offset range of each case object, for editors (Test Explorer items, gutter
 * buttons, failure locations). Never throws.
 */
export function locateCases(text: string): LocatedTestFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const e = errors[0];
    return { cases: [], error: e ? `JSON syntax: ${printParseErrorCode(e.error)} at offset ${e.offset}.` : 'The file is empty.' };
  }
  let normalized: NormalizedCase[];
  try {
    normalized = normalizeTestFile(getNodeValue(root));
  } catch (e) {
    return { cases: [], error: (e as Error).message };
  }
  let nodes: Node[];
  if (root.type === 'array') nodes = root.children ?? [];
  else {
    const cases = findNodeAtLocation(root, ['cases']);
    nodes = cases?.type === 'array' ? (cases.children ?? []) : [root];
  }
  const counts = new Map<string, number>();
  for (const c of normalized) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const out: LocatedCase[] = normalized.map((c, i) => {
    const node = nodes[i] ?? root;
    const name = node.type === 'object' ? findNodeAtLocation(node, ['name']) : undefined;
    return {
      case: c,
      start: node.offset,
      end: node.offset + node.length,
      ...(name ? { nameRange: { start: name.offset, end: name.offset + name.length } } : {}),
      key: counts.get(c.name) === 1 ? c.name : `#${i}`,
    };
  });
  return { cases: out };
}
