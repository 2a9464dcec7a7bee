// No `vscode` import: unit-tested in plain Node.
import { AuthzError } from '../../core/errors';
import type { EndpointSettings } from './settings';

const SECTION = 'iotAuthz.endpoint';
const IN_USE = /in use|busy/i;

/**
 * A busy or forbidden port becomes an error naming the setting to change;
 * anything else is passed on unchanged (AuthzErrors carry their own hint).
 */
export function explainStartError(e: unknown, s: EndpointSettings): unknown {
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? e.message : String(e);
  const inUse = code === 'EADDRINUSE' || /EADDRINUSE/.test(message) || (typeof code === 'string' && /PORT/.test(code) && IN_USE.test(message));
  const denied = code === 'EACCES' || /EACCES|permission denied/i.test(message);
  if (!inUse && !denied) return e;
  // The core names the setting when it is told its name (settings.ts): keep its message.
  if (message.includes(`${SECTION}.`) || (e instanceof AuthzError && e.hint?.includes(`${SECTION}.`))) return e;
  const plain = s.mqttPlainPort !== null && s.mqttPlainPort !== s.port && new RegExp(`\\b${s.mqttPlainPort}\\b`).test(message);
  const key = plain ? 'mqttPlainPort' : 'port';
  const port = plain ? s.mqttPlainPort : s.port;
  return new AuthzError(
    inUse ? 'ENDPOINT_PORT_IN_USE' : 'ENDPOINT_PORT_DENIED',
    `The local IoT endpoint cannot listen on ${s.host}:${port}: ${inUse ? 'another program is using that port' : 'this user may not open that port'}.`,
    `Change the setting ${SECTION}.${key} (${inUse ? '0 picks any free port' : 'ports below 1024 need privileges; the default is 4443'}), or stop the other program.`,
  );
}
