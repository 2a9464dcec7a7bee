import { GlobMatcher, globMatcher, iamGlobParts } from '../glob';
// Shared with the policy simulator's suggestions (src/core/suggest.ts).
export { closest, editDistance } from '../suggest';

/** IAM-style wildcard matcher: `*` any run of characters, `?` one character (no backtracking). */
export function iamGlob(pattern: string, caseInsensitive = false): GlobMatcher {
  return globMatcher(iamGlobParts(pattern), caseInsensitive, `iam:${pattern}`);
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
