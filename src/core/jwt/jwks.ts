import { createPublicKey, KeyObject } from 'node:crypto';
import { exportJWK, JWK } from 'jose';
import { AuthzError } from '../errors';
import { algorithmOf } from './keys';
import { defaultKid } from './mint';

export interface Jwks {
  keys: JWK[];
}

export interface JwksEntry {
  /** A public key, or a private key whose public half is published. */
  key: KeyObject;
  /** Default: the key's JWK thumbprint (the default `kid` of minted JWTs). */
  kid?: string;
}

/** A JSON Web Key Set of public keys, each with `kid`, `alg` and `use: "sig"`; never private parts. */
export async function buildJwks(entries: JwksEntry[]): Promise<Jwks> {
  const keys: JWK[] = [];
  for (const e of entries) {
    const pub = e.key.type === 'private' ? createPublicKey(e.key) : e.key;
    const kid = e.kid ?? (await defaultKid(pub));
    if (keys.some((k) => k.kid === kid)) {
      throw new AuthzError('JWKS_KID_DUPLICATE', `Two keys have the kid '${kid}'.`, 'Give each key its own kid (or list each key once).');
    }
    keys.push({ ...(await exportJWK(pub)), kid, alg: algorithmOf(pub), use: 'sig' });
  }
  return { keys };
}

/** Reads a JWKS document: an object with a `keys` array of public JWKs. */
export function parseJwks(text: string, source = 'JWKS'): Jwks {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AuthzError('JWKS_INVALID', `The ${source} is not JSON (${(e as Error).message}).`, 'Give a JWKS file: {"keys": [ ...public JWKs... ]} (iot-authz jwt jwks writes one).');
  }
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.some((k) => !k || typeof k !== 'object' || typeof (k as JWK).kty !== 'string')) {
    throw new AuthzError('JWKS_INVALID', `The ${source} has no "keys" array of JWKs.`, 'Give a JWKS file: {"keys": [ ...public JWKs... ]} (iot-authz jwt jwks writes one).');
  }
  if (keys.some((k) => 'd' in (k as object))) {
    throw new AuthzError('JWKS_HAS_PRIVATE_KEY', `The ${source} contains a private key ("d"): a JWKS publishes public keys only.`, 'Write it again from the public keys (iot-authz jwt jwks --key PUBLIC.pem).');
  }
  return { keys: keys as JWK[] };
}
