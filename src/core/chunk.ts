import * as fs from 'node:fs';

/**
 * Loads the first of `candidates` (absolute paths) that exists and that
 * `isChunk` recognises: a lazily loaded part of the bundle (dist/aws.js,
 * dist/local-endpoint.js) or, in the tsc output, the module it is built from.
 * Undefined when none is found; the caller says what is missing and how to fix it.
 */
export function loadChunk<T>(candidates: string[], isChunk: (mod: T | undefined) => boolean): T | undefined {
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    // A computed path: esbuild leaves this require alone, so the chunk stays a separate file.
    const req = require;
    const mod = req(file) as T | undefined;
    if (isChunk(mod)) return mod;
  }
  return undefined;
}
