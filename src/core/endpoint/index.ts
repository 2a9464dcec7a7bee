/**
 * The local IoT endpoint: real MQTT, MQTT-over-WebSockets and HTTPS clients
 * connect to a local data plane that authorises them through the workspace's
 * custom authorizers (the emulator's stages, with warm handler processes) and
 * decides every publish, subscribe and delivery against the cached policies.
 */
export { startLocalEndpoint } from './endpoint';
export { DEFAULT_TLS_PORT } from './constants';
/** Marks this module as the endpoint chunk (loader.ts checks it). */
export const IOT_AUTHZ_ENDPOINT_CHUNK = 1;
export { formatDecision } from './format';
export type * from './types';
