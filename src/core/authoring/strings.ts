// Shared with the policy simulator's suggestions (src/core/suggest.ts).
export { closest, editDistance } from '../suggest';

const globCache = new Map<string, RegExp>();

/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function globToRegExp(pattern: string, caseInsensitive = false): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = globCache.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    if (globCache.size > 2000) globCache.clear();
    globCache.set(key, re);
  }
  return re;
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
