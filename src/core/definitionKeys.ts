/**
 * One entry of an authorizer definition's tokenSigningPublicKeys
 * (schemas/authorizer-definition.schema.json): an inline PEM, a path to a
 * .pem file, {"path": ...} or {"pem": ...}. Shared by the emulator (local
 * runs) and deployment, so both read a definition the same way.
 */
export type KeyEntrySource = { pem: string } | { path: string };

/** Where a key entry's PEM comes from; undefined for a value of no known form. */
export function keyEntrySource(value: unknown): KeyEntrySource | undefined {
  if (typeof value === 'string') return value.trimStart().startsWith('-----BEGIN') ? { pem: value } : { path: value };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.pem === 'string') return { pem: o.pem };
    if (typeof o.path === 'string') return { path: o.path };
  }
  return undefined;
}
