/**
 * Wildcard matching without backtracking. Patterns compile to a small Thompson
 * NFA that is simulated one input character at a time over the set of live
 * states, so a match costs at most (input length) x (pattern length) steps,
 * whatever the pattern: `*a*a*a*a*b` against a long topic cannot blow up as it
 * does in a backtracking regular expression.
 */

export type GlobPart =
  | { kind: 'text'; text: string }
  /** `?`: one character (UTF-16 code unit, as a regular expression without `u`). */
  | { kind: 'one'; notSlash?: boolean }
  /** `*`: any run of characters. */
  | { kind: 'star'; notSlash?: boolean }
  /** `**&#47;` in a path glob: nothing, or any run of characters ending in `/`. */
  | { kind: 'dirs' }
  /** `{a,b}`: one of the literal alternatives. */
  | { kind: 'alt'; options: string[] };

const CHAR = 0;
const ANY = 1;
const ANY_NOT_SLASH = 2;
const SPLIT = 3;
const JMP = 4;
const MATCH = 5;
const SLASH = 47;

export interface GlobMatcher {
  test(value: string): boolean;
}

/**
 * Case folding as a regular expression with the `i` flag and no `u` flag does
 * (ECMA-262 Canonicalize), so ignoreCase matching keeps its old meaning exactly.
 */
function fold(c: number): number {
  const ch = String.fromCharCode(c);
  const up = ch.toUpperCase();
  if (up.length !== 1) return c;
  const u = up.charCodeAt(0);
  return c >= 128 && u < 128 ? c : u;
}

class Program implements GlobMatcher {
  private readonly op: number[] = [];
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  /** Pattern without wildcards: a plain comparison. */
  private literal?: string;
  private marks!: Int32Array;
  private gen = 0;
  private cur!: Int32Array;
  private next!: Int32Array;
  private stack!: Int32Array;

  constructor(parts: readonly GlobPart[], private readonly ignoreCase: boolean) {
    if (parts.every((p) => p.kind === 'text')) {
      const text = parts.map((p) => (p as { text: string }).text).join('');
      this.literal = ignoreCase ? foldString(text) : text;
      return;
    }
    for (const p of parts) this.compile(p);
    this.emit(MATCH);
    const n = this.op.length;
    this.marks = new Int32Array(n);
    this.cur = new Int32Array(n);
    this.next = new Int32Array(n);
    this.stack = new Int32Array(n + 1);
  }

  private emit(op: number, a = 0, b = 0): number {
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.op.length - 1;
  }

  private text(s: string): void {
    for (let i = 0; i < s.length; i++) this.emit(CHAR, this.ignoreCase ? fold(s.charCodeAt(i)) : s.charCodeAt(i));
  }

  /** A run of `op` characters: L: SPLIT(L+1, end); L+1: op; JMP L; end. */
  private loop(anyOp: number): void {
    const split = this.emit(SPLIT);
    this.emit(anyOp);
    this.emit(JMP, split);
    this.a[split] = split + 1;
    this.b[split] = this.op.length;
  }

  private compile(p: GlobPart): void {
    switch (p.kind) {
      case 'text':
        this.text(p.text);
        break;
      case 'one':
        this.emit(p.notSlash ? ANY_NOT_SLASH : ANY);
        break;
      case 'star':
        this.loop(p.notSlash ? ANY_NOT_SLASH : ANY);
        break;
      case 'dirs': {
        const skip = this.emit(SPLIT);
        this.loop(ANY);
        this.emit(CHAR, SLASH);
        this.a[skip] = skip + 1;
        this.b[skip] = this.op.length;
        break;
      }
      case 'alt': {
        // SPLIT chains to each option; every option jumps to the end.
        const jumps: number[] = [];
        p.options.forEach((o, i) => {
          const last = i === p.options.length - 1;
          const split = last ? -1 : this.emit(SPLIT);
          if (split >= 0) this.a[split] = split + 1;
          this.text(o);
          if (!last) jumps.push(this.emit(JMP));
          if (split >= 0) this.b[split] = this.op.length;
        });
        for (const j of jumps) this.a[j] = this.op.length;
        break;
      }
    }
  }

  /** Adds pc and everything reachable from it without input to list; returns the new length. */
  private add(list: Int32Array, len: number, pc: number): number {
    const { op, a, b, marks, stack, gen } = this;
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const s = stack[--sp];
      if (marks[s] === gen) continue;
      marks[s] = gen;
      const o = op[s];
      if (o === JMP) stack[sp++] = a[s];
      else if (o === SPLIT) {
        // b first so a is explored first (order does not matter for a yes/no answer).
        stack[sp++] = b[s];
        stack[sp++] = a[s];
      } else list[len++] = s;
    }
    return len;
  }

  test(value: string): boolean {
    if (this.literal !== undefined) return (this.ignoreCase ? foldString(value) : value) === this.literal;
    const { op, a } = this;
    let cur = this.cur;
    let next = this.next;
    this.gen++;
    if (this.gen > 0x3fffffff) {
      this.marks.fill(0);
      this.gen = 0;
    }
    let n = this.add(cur, 0, 0);
    for (let i = 0; i < value.length && n > 0; i++) {
      const raw = value.charCodeAt(i);
      const c = this.ignoreCase ? fold(raw) : raw;
      this.gen++;
      let m = 0;
      for (let k = 0; k < n; k++) {
        const s = cur[k];
        const o = op[s];
        if ((o === CHAR && a[s] === c) || o === ANY || (o === ANY_NOT_SLASH && raw !== SLASH)) m = this.add(next, m, s + 1);
      }
      [cur, next] = [next, cur];
      n = m;
    }
    for (let k = 0; k < n; k++) if (op[cur[k]] === MATCH) return true;
    return false;
  }
}

function foldString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(fold(s.charCodeAt(i)));
  return out;
}

const cache = new Map<string, GlobMatcher>();

function cached(key: string, make: () => GlobMatcher): GlobMatcher {
  let m = cache.get(key);
  if (!m) {
    m = make();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, m);
  }
  return m;
}

/** Empties the matcher cache (mutation runs: a matcher built before a mutant was switched on must not hide it). */
export function clearGlobCache(): void {
  cache.clear();
}

/** A matcher for parts; `key` identifies them for the cache (undefined: not cached). */
export function globMatcher(parts: readonly GlobPart[], ignoreCase = false, key?: string): GlobMatcher {
  if (key === undefined) return new Program(parts, ignoreCase);
  return cached(`${ignoreCase ? 'i' : 's'}${key}`, () => new Program(parts, ignoreCase));
}

/** IAM-style parts: `*` any run of characters (across `/`), `?` one character, the rest literal. */
export function iamGlobParts(pattern: string): GlobPart[] {
  const parts: GlobPart[] = [];
  let text = '';
  for (const c of pattern) {
    if (c === '*' || c === '?') {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push(c === '*' ? { kind: 'star' } : { kind: 'one' });
    } else text += c;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** IAM-style wildcard match (`*`, `?`), case-sensitive unless ignoreCase. */
export function iamGlobMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return globMatcher(iamGlobParts(pattern), ignoreCase, `iam:${pattern}`).test(value);
}

/**
 * Path glob over `/`-separated paths: `**&#47;` any folders (or none), `**` any run,
 * `*` and `?` within one segment; with braces, `{a,b}` literal alternatives.
 */
export function pathGlobMatcher(glob: string, options: { ignoreCase?: boolean; braces?: boolean } = {}): GlobMatcher {
  const key = `path:${options.braces ? 'b' : '-'}:${glob}`;
  return globMatcher(pathGlobParts(glob, options.braces ?? false), options.ignoreCase ?? false, key);
}

function pathGlobParts(glob: string, braces: boolean): GlobPart[] {
  const parts: GlobPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      flush();
      if (glob[i + 2] === '/') {
        parts.push({ kind: 'dirs' });
        i += 2;
      } else {
        parts.push({ kind: 'star' });
        i += 1;
      }
    } else if (c === '*' || c === '?') {
      flush();
      parts.push(c === '*' ? { kind: 'star', notSlash: true } : { kind: 'one', notSlash: true });
    } else if (c === '{' && braces && glob.indexOf('}', i) > 0) {
      flush();
      const close = glob.indexOf('}', i);
      parts.push({ kind: 'alt', options: glob.slice(i + 1, close).split(',') });
      i = close;
    } else text += c;
  }
  flush();
  return parts;
}
