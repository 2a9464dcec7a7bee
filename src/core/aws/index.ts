/**
 * The AWS feature's core: profiles, clients, thin IoT / Lambda operations with every error
 * mapped to an AuthzError, and pure logic (resource-policy check, Doctor, deploy planning,
 * test-invoke contexts). Importing this module does NOT load the AWS SDK: only
 * createAwsClients() does, through sdk-loader.ts.
 */
export * from './types';
export * from './arn';
export * from './aws-errors';
export * from './profiles';
export { createAwsClients, send } from './clients';
export type { AwsClients } from './clients';
export { loadSdk, isSdkLoaded } from './sdk-loader';
export type { Sdk } from './sdk-loader';
export * from './operations';
export * from './permission';
export * from './keyinfo';
export * from './doctor';
export * from './diagnose';
export * from './deploy';
export * from './testinvoke';
export * from './remote-case';
export * from './workspace-keys';
export * from './testInvokeResult';
