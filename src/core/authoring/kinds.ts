import { GlobMatcher, pathGlobMatcher } from '../glob';
import { parseJson, prop } from './json';
import { DocumentKind } from './types';

/** Default file-name globs per kind (also the defaults of the iotAuthz.authoring.*Globs settings). */
export const DEFAULT_GLOBS: Readonly<Record<DocumentKind, readonly string[]>> = {
  response: ['**/*.authorizer-response.json'],
  policy: ['**/*.iot-policy.json'],
  authorizer: ['**/*.authorizer.json'],
};

/** Minimal glob: `**` any path, `*` within a segment, `?` one character, `{a,b}` alternatives; case-insensitive. */
export function globToMatcher(glob: string): GlobMatcher {
  return pathGlobMatcher(glob, { ignoreCase: true, braces: true });
}

/**
 * The kind a path's name says, by the globs (matched against the
 * workspace-relative path with `/` separators, and against the base name).
 */
export function kindFromFileName(path: string, globs: Readonly<Record<DocumentKind, readonly string[]>> = DEFAULT_GLOBS): DocumentKind | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  // Check the most specific suffixes first: x.authorizer-response.json also ends in .json.
  for (const kind of ['response', 'policy', 'authorizer'] as DocumentKind[]) {
    for (const g of globs[kind] ?? []) {
      const re = globToMatcher(g);
      if (re.test(p) || re.test(base) || re.test('/' + p)) return kind;
    }
  }
  return undefined;
}

/** Guesses the kind from the content (fallback for the Set Document Kind command and the CLI). */
export function detectKindFromContent(text: string): DocumentKind | undefined {
  const { root } = parseJson(text);
  if (!root || root.type !== 'object') return undefined;
  const has = (k: string) => prop(root, k) !== undefined;
  if (has('isAuthenticated') || has('policyDocuments') || has('principalId') || has('refreshAfterInSeconds') || has('disconnectAfterInSeconds')) return 'response';
  if (has('Statement') || has('Version')) return 'policy';
  if (has('authorizerName') || has('authorizerFunctionArn') || has('tokenSigningPublicKeys') || has('tokenKeyName') || has('handler')) return 'authorizer';
  return undefined;
}

export function isDocumentKind(v: unknown): v is DocumentKind {
  return v === 'response' || v === 'policy' || v === 'authorizer';
}
