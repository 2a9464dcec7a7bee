import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from './errors';
import { readInputFile } from './files';

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

/** A PEM block of any private key kind (PKCS#8, PKCS#1, SEC1, encrypted, OpenSSH). */
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Whether text holds a private key, whatever the file is called. */
export function holdsPrivateKey(text: string): boolean {
  return PRIVATE_PEM.test(text);
}

/** Where a private key's public half goes: `k.private.pem` → `k.public.pem`, `k.pem` → `k.public.pem`. */
export function publicPathFor(privatePath: string): string {
  const stem = privatePath.replace(/\.pem$/i, '').replace(/[._-]?private$/i, '');
  return `${stem || privatePath}.public.pem`;
}

/**
 * Refuses a private key given as a token signing public key: IoT Core needs the
 * public half, and a private key must never leave the machine (issue 8).
 */
export function assertNotPrivateKey(name: string, pem: string, file?: string): void {
  if (!holdsPrivateKey(pem)) return;
  const where = file ? `the file ${file}` : 'the inline PEM';
  const derive = file
    ? `Derive the public half and point the key at it: openssl pkey -in ${file} -pubout -out ${publicPathFor(file)} (or make a new pair with iot-authz keygen and use its .public.pem).`
    : 'Replace it with the public half (openssl pkey -in KEY.pem -pubout, or a new pair from iot-authz keygen), and treat the private key as exposed if this file was shared.';
  throw new AuthzError('KEY_IS_PRIVATE', `Key '${name}': ${where} holds a PRIVATE key; tokenSigningPublicKeys takes public keys only, and a private key is never sent anywhere.`, derive);
}

/** Reads a definition's relative key path from the first base folder holding it (size-capped; undefined when unreadable). */
export function keyFileReader(bases: readonly string[]): (relativePath: string) => string | undefined {
  return (rel) => {
    for (const b of bases) {
      const abs = path.resolve(b, rel);
      if (!fs.existsSync(abs)) continue;
      try {
        return readInputFile(abs, 'key').toString('utf8');
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}
