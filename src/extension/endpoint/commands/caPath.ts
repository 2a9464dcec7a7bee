import { AuthzError } from '../../../core/errors';
import { EndpointFeature } from '../feature';

/** The running endpoint's CA certificate file; an AuthzError when it is not running. */
export function requireCaPath(f: EndpointFeature): string {
  const info = f.controller.info;
  if (!info) throw new AuthzError('ENDPOINT_NOT_RUNNING', 'The local IoT endpoint is not running, so it has no CA certificate in use.', 'Run Start Local IoT Endpoint first.');
  return info.caPath;
}
