import { IOT_ACTIONS } from '../data';
import { AuthzError } from '../errors';
import { suggestIotAction } from '../suggest';

/**
 * Which resource type each IoT data-plane action is authorised against, from
 * the shared data (`src/core/data/iot-actions.json`: AWS's Service Authorization
 * Reference plus the developer guide). Keys are lowercase `iot:action`.
 */
export const ACTION_RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = Object.fromEntries(
  IOT_ACTIONS.dataPlane.map((a) => [`iot:${a.toLowerCase()}`, (IOT_ACTIONS.actions[a]?.[0] ?? '*') as ResourceType]),
);

export type ResourceType = 'client' | 'topic' | 'topicfilter' | 'thing' | 'rolealias' | '*' | string;

/** Canonical spelling of every known action, for messages. */
const CANONICAL: Record<string, string> = Object.fromEntries(Object.keys(IOT_ACTIONS.actions).map((a) => [`iot:${a.toLowerCase()}`, `iot:${a}`]));

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';

/** `Publish`, `iot:publish` → `iot:Publish`; unknown actions are returned trimmed. */
export function normalizeAction(action: string): string {
  const a = action.trim();
  const withPrefix = a.includes(':') ? a : `iot:${a}`;
  return CANONICAL[withPrefix.toLowerCase()] ?? withPrefix;
}

export function resourceTypeFor(action: string): ResourceType | undefined {
  return ACTION_RESOURCE_TYPES[normalizeAction(action).toLowerCase()];
}

export interface ArnParts {
  region?: string;
  account?: string;
}

/**
 * The resource ARN an operation is authorised against. `resource` is a full ARN
 * (returned as is) or a bare name: topic (Publish, Receive, RetainPublish),
 * topic filter (Subscribe), client id (Connect), thing name (shadow and job actions;
 * `thing/shadow` for a named shadow), role alias.
 */
export function resourceArn(action: string, resource: string, parts: ArnParts = {}): string {
  if (resource.startsWith('arn:') || resource === '*') return resource;
  const type = resourceTypeFor(action);
  if (!type) {
    const known = CANONICAL[normalizeAction(action).toLowerCase()];
    const suggestion = known ? undefined : suggestIotAction(action);
    throw new AuthzError(
      'UNKNOWN_ACTION_RESOURCE',
      known
        ? `Cannot build a resource ARN for ${known}: it is not an action a device connection uses, so its resource type is not known here.`
        : `Cannot build a resource ARN for ${action}: it is not an AWS IoT action${suggestion ? `; did you mean ${suggestion}?` : '.'}`,
      suggestion ? `Use ${suggestion}, or give the full resource ARN instead of a bare name.` : 'Give the full resource ARN instead of a bare name.',
    );
  }
  if (type === '*') return '*';
  const region = parts.region || DEFAULT_REGION;
  const account = parts.account || DEFAULT_ACCOUNT;
  return `arn:aws:iot:${region}:${account}:${type}/${resource}`;
}

/** Splits `arn:aws:iot:r:a:type/name` into its parts, or undefined for other strings. */
export function parseIotArn(arn: string): { partition: string; region: string; account: string; type: string; name: string } | undefined {
  const m = /^arn:([^:]+):iot:([^:]*):([^:]*):([^/]+)\/(.*)$/s.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], region: m[2], account: m[3], type: m[4], name: m[5] };
}
