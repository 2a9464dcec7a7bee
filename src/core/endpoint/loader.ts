import * as path from 'node:path';
import { loadChunk } from '../chunk';
import { AuthzError } from '../errors';
import type * as EndpointModule from './index';
import type { EndpointOptions, LocalEndpoint } from './types';

export type EndpointApi = typeof EndpointModule;

let cached: EndpointApi | undefined;

/**
 * Where the endpoint's code lives: in the bundles (dist/extension.js,
 * dist/cli.js), `dist/local-endpoint.js` next to them (scripts/build.mjs builds
 * it from src/core/endpoint/index.ts); in the tsc output, `index.js` next to
 * this file. The MQTT broker, WebSocket server and certificate code (most of
 * the extension's weight) load only when an endpoint starts, as the AWS SDK
 * loads only at the first AWS call.
 */
export function endpointChunkCandidates(dir: string = __dirname): string[] {
  return [path.join(dir, 'local-endpoint.js'), path.join(dir, 'index.js')];
}

export function loadEndpointModule(): EndpointApi {
  if (cached) return cached;
  cached = loadChunk<EndpointApi>(endpointChunkCandidates(), (m) => m?.IOT_AUTHZ_ENDPOINT_CHUNK === 1);
  if (cached) return cached;
  throw new AuthzError(
    'ENDPOINT_CODE_MISSING',
    `The local endpoint's code was not found next to ${__dirname} (looked for local-endpoint.js and index.js).`,
    'Rebuild with `npm run build` (it writes dist/local-endpoint.js) or reinstall the extension.',
  );
}

/** True once the endpoint's code has been loaded in this process (tests, the activation bench). */
export function isEndpointLoaded(): boolean {
  return cached !== undefined;
}

/** Starts a local endpoint, loading its code on first use. */
export function startLocalEndpoint(options: EndpointOptions): Promise<LocalEndpoint> {
  return loadEndpointModule().startLocalEndpoint(options);
}
