/** IoT policy evaluator: usable on its own, without a handler or a connection. */
export { evaluate, parsePolicyDocument } from './evaluate';
export {
  ACTION_RESOURCE_TYPES,
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  normalizeAction,
  parseIotArn,
  resourceArn,
  resourceTypeFor,
} from './resources';
export type { ArnParts, ResourceType } from './resources';
export { evaluateConditions, ipInCidr } from './conditions';
export { resolveVariable, substitute } from './variables';
export type * from './types';
