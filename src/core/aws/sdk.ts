/**
 * The AWS SDK chunk. This is the ONLY module that imports the SDK statically,
 * and nothing imports it statically: `loadSdk()` (sdk-loader.ts) requires it
 * lazily. The bundles build it as its own file, dist/aws.js (scripts/build.mjs),
 * so dist/extension.js and dist/cli.js do not contain or parse the SDK until
 * the first AWS operation.
 */
export {
  IoTClient,
  ListAuthorizersCommand,
  DescribeAuthorizerCommand,
  DescribeDefaultAuthorizerCommand,
  CreateAuthorizerCommand,
  UpdateAuthorizerCommand,
  DeleteAuthorizerCommand,
  SetDefaultAuthorizerCommand,
  TestInvokeAuthorizerCommand,
  DescribeEndpointCommand,
  ListDomainConfigurationsCommand,
  DescribeDomainConfigurationCommand,
} from '@aws-sdk/client-iot';
export {
  LambdaClient,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  AddPermissionCommand,
} from '@aws-sdk/client-lambda';
export { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** Marker checked by the loader. */
export const IOT_AUTHZ_SDK_CHUNK = 1;
