import { KeyObject } from 'node:crypto';
import { fingerprintOf } from '../keys';
import { LoadedDefinition } from './definition';

/** The definition's token signing keys with their SHA-256 fingerprints (hex, as the keys module shows them). */
export function definitionKeyFingerprints(def: Pick<LoadedDefinition, 'keys'>): Array<{ name: string; fingerprint: string }> {
  return def.keys.map((k) => ({ name: k.name, fingerprint: k.key instanceof KeyObject ? fingerprintOf(k.key).hex : k.key.fingerprint.hex }));
}

/**
 * Of the given private keys (by fingerprint), the ones whose public half is one
 * of the definition's tokenSigningPublicKeys: a token they sign verifies.
 */
export function matchingSigningKeys<T extends { fingerprint?: string }>(def: Pick<LoadedDefinition, 'keys'>, candidates: readonly T[]): Array<T & { keyName: string }> {
  const byFp = new Map(definitionKeyFingerprints(def).map((k) => [k.fingerprint, k.name]));
  const out: Array<T & { keyName: string }> = [];
  for (const c of candidates) {
    const name = c.fingerprint ? byFp.get(c.fingerprint) : undefined;
    if (name !== undefined) out.push({ ...c, keyName: name });
  }
  return out;
}
