import { AuthzError } from '../errors';
import { EndpointOptions, LocalEndpoint } from './types';

/** Default TLS port: IoT Core's 443 is privileged, so 443 with a prefix digit. */
export const DEFAULT_TLS_PORT = 4443;

export async function startLocalEndpoint(options: EndpointOptions): Promise<LocalEndpoint> {
  void options;
  throw new AuthzError('NOT_READY', 'The local endpoint is being built.');
}
