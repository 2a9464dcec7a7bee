/**
 * The local emulator: what AWS IoT Core does for one connection through a
 * custom authorizer (signature, event, handler in a child process, response
 * validation, policy decisions), and the *.authz-test.json test cases.
 * Running a handler executes workspace code: every entry point that does
 * takes `allowCodeExecution` and refuses without it.
 */
export { runConnection } from './pipeline';
export type { ConnectionResult, FailureCode, RunConnectionOptions, Step, StepName, StepStatus } from './pipeline';
export { buildEvent, EVENT_PROTOCOLS, PROTOCOLS, queryStringOf } from './event';
export type { ConnectionInput, EventContext, IoTAuthorizerEvent, Protocol } from './event';
export { AWS_AUTHORIZER_TIMEOUT_MS, defaultFunctionName, INIT_TIMEOUT_MS, runHandler } from './handler';
export type { HandlerRun, HandlerRuntime, HandlerSpec, HandlerStatus, LogChunk, RunHandlerOptions } from './handler';
export { loadDefinition, loadDefinitionFile, resolveRelative } from './definition';
export type { LoadDefinitionOptions, LoadedDefinition } from './definition';
export { decide, parseOperation } from './operations';
export type { Operation, OperationDecision, OperationInput } from './operations';
export { normalizeTestFile, TEST_FILE_SUFFIX } from './testcases/format';
export type { NormalizedCase, SignWithKey, TestCase, TestExpectations, TestFileObject } from './testcases/format';
export { checkExpectations, findTestFiles, runCase, runTestFile, runTests } from './testcases/runner';
export type { CaseResult, RunTestsOptions, TestFileResult, TestRunSummary } from './testcases/runner';
export { ensureKeyPair, signWithKeyFile } from './testcases/keys';
export { ensureJwtKey, resolveCaseKeyPath, resolveCredentials, withResolvedCredentials } from './testcases/credentials';
export type { CredentialContext, FromJwtSignature, JwtTokenSpec, PasswordSpec, ResolvedCredentials } from './testcases/credentials';
export { formatConnectionResult, formatTestRun } from './report';
export { TEST_CODES, validateTestText } from './testcases/validate';
export type { TestCode, ValidateTestOptions } from './testcases/validate';
