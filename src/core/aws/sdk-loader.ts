import * as path from 'node:path';
import { loadChunk } from '../chunk';
import { AuthzError } from '../errors';
import type * as SdkModule from './sdk';

export type Sdk = typeof SdkModule;

let cached: Sdk | undefined;

/**
 * Where the SDK chunk lives:
 * - in the bundles (dist/extension.js, dist/cli.js), `dist/aws.js`, next to them
 *   (built by scripts/build.mjs from src/core/aws/sdk.ts);
 * - in the tsc output (out/src/core/aws/), the compiled `sdk.js` next to this file.
 * The require path is computed at run time, so esbuild neither follows nor inlines it.
 */
export function sdkChunkCandidates(dir: string = __dirname): string[] {
  return [path.join(dir, 'aws.js'), path.join(dir, 'sdk.js')];
}

/**
 * Loads the AWS SDK on first use (a few hundred ms and several MB of code),
 * never at activation. Synchronous require under an async signature so callers
 * can treat it like `await import()`.
 */
export async function loadSdk(): Promise<Sdk> {
  if (cached) return cached;
  // The SDK warns on every Node < 22 via process.emitWarning (VS Code 1.100 runs Node 20):
  // noise in the extension host and on the CLI's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  cached = loadChunk<Sdk>(sdkChunkCandidates(), (m) => m?.IOT_AUTHZ_SDK_CHUNK === 1);
  if (cached) return cached;
  throw new AuthzError(
    'AWS_SDK_MISSING',
    `The AWS SDK chunk was not found next to ${__dirname} (looked for aws.js and sdk.js).`,
    'Rebuild with `npm run build` (it writes dist/aws.js) or reinstall the extension.',
  );
}

/** True once the SDK has been loaded in this process (for tests and diagnostics). */
export function isSdkLoaded(): boolean {
  return cached !== undefined;
}
