import * as path from 'node:path';
import { withResolvedCredentials } from '../../core/emulator';
import { AuthzError } from '../../core/errors';
import {
  buildTestInvokeInput,
  checkRemoteCase,
  describeAuthorizer,
  describeDataEndpoint,
  GatewayProtocol,
  loadRemoteCases,
  remoteCaseInput,
  RemoteOutcome,
  testInvokeAuthorizer,
  testInvokeWarnings,
  TestInvokeResult,
} from '../../core/aws';
import { CliCommand, EXIT_NEGATIVE, EXIT_OK, UsageError, flag, str } from '../framework';
import { AWS_OPTIONS, AWS_USAGE_OPTIONS, printJson, withAws } from './awsCommon';

const PROTOCOLS: GatewayProtocol[] = ['https', 'mqtt', 'wss'];

function formatResult(r: TestInvokeResult): string {
  const lines = [
    `isAuthenticated: ${r.isAuthenticated}`,
    `principalId: ${r.principalId ?? '(none)'}`,
    ...(r.refreshAfterInSeconds !== undefined ? [`refreshAfterInSeconds: ${r.refreshAfterInSeconds}`] : []),
    ...(r.disconnectAfterInSeconds !== undefined ? [`disconnectAfterInSeconds: ${r.disconnectAfterInSeconds}`] : []),
    `policyDocuments: ${r.policyDocuments.length}`,
  ];
  r.policyDocuments.forEach((d, i) => {
    let text = d;
    try {
      text = JSON.stringify(JSON.parse(d), null, 2);
    } catch {
      // keep as sent
    }
    lines.push(`  [${i + 1}] ${text.replace(/\n/g, '\n      ')}`);
  });
  return `${lines.join('\n')}\n`;
}

export const awsTestInvokeCommand: CliCommand = {
  name: 'aws test-invoke',
  summary: 'Call TestInvokeAuthorizer with a token (and the protocol data a device sends), or run *.authz-test.json cases against AWS.',
  usage: `  iot-authz aws test-invoke NAME --token T [--signature S] [--protocol https|mqtt|wss] [--client-id ID] [--username U] [--password P] [--json]
  iot-authz aws test-invoke NAME --case CASES.authz-test.json [--case-name NAME|N] [--json]
  --protocol       the device's protocol (default https): fills the HTTP / MQTT / TLS contexts as IoT Core would
  --no-contexts    send only token and signature (the Lambda then sees no protocolData, unlike a device)
  --server-name H  TLS SNI (default: the account's iot:Data-ATS endpoint)
${AWS_USAGE_OPTIONS}
Exit: 0 authenticated (or every case passed), 1 not authenticated / a case failed / AWS refused.`,
  options: {
    ...AWS_OPTIONS,
    token: { type: 'string' },
    signature: { type: 'string' },
    protocol: { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'server-name': { type: 'string' },
    'no-contexts': { type: 'boolean' },
    case: { type: 'string' },
    'case-name': { type: 'string' },
  },
  allowPositionals: true,
  async run(args, io) {
    const [name, ...rest] = args.positionals;
    if (!name || rest.length) throw new UsageError('Give exactly one authorizer NAME.');
    const caseFile = str(args, 'case');
    const token = str(args, 'token');
    if (caseFile && (token !== undefined || str(args, 'signature') !== undefined)) throw new UsageError('Use either --case or --token/--signature, not both.');
    if (!caseFile && token === undefined) throw new UsageError('Give --token (and --signature for a signing authorizer), or --case FILE.');
    const protocol = (str(args, 'protocol') ?? 'https') as GatewayProtocol;
    if (!PROTOCOLS.includes(protocol)) throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}.`);
    const json = flag(args, 'json');
    return withAws(this.name, args, io, async (c) => {
      const a = await describeAuthorizer(c, name);
      let dataEndpoint = str(args, 'server-name');
      if (!dataEndpoint) {
        try {
          dataEndpoint = await describeDataEndpoint(c);
        } catch (e) {
          if (!(e instanceof AuthzError)) throw e;
          io.stderr(`note: no TLS serverName (DescribeEndpoint failed: ${e.message})\n`);
        }
      }
      if (caseFile) {
        const file = path.resolve(io.cwd, caseFile);
        const cases = loadRemoteCases(file, str(args, 'case-name'));
        const results = [];
        for (const raw of cases) {
          const tc = await withResolvedCredentials(raw, { testDir: path.dirname(file), definitionDir: path.dirname(file), workspaceRoot: io.cwd });
          const input = remoteCaseInput(tc, a, { testFile: file, dataEndpoint, cwd: io.cwd });
          const outcome: RemoteOutcome = {};
          try {
            outcome.result = await testInvokeAuthorizer(c, input);
          } catch (e) {
            if (!(e instanceof AuthzError) || ['AWS_NO_CREDENTIALS', 'AWS_SSO_EXPIRED', 'AWS_BAD_CREDENTIALS', 'AWS_UNREACHABLE', 'AWS_ACCESS_DENIED', 'AWS_NOT_FOUND', 'CANCELLED'].includes(e.code)) throw e;
            outcome.error = e;
          }
          const verdict = checkRemoteCase(tc, a, outcome);
          results.push({ name: tc.name, passed: verdict.passed, failures: verdict.failures, failure: verdict.failure, result: outcome.result, error: outcome.error ? { code: outcome.error.code, message: outcome.error.message } : undefined });
          if (!json) {
            io.stdout(`${verdict.passed ? 'PASS' : 'FAIL'}  ${tc.name}\n`);
            for (const f of verdict.failures) io.stdout(`      ${f}\n`);
          }
        }
        const failed = results.filter((r) => !r.passed).length;
        if (json) printJson(io, { authorizerName: name, passed: results.length - failed, failed, cases: results });
        else io.stdout(`${results.length - failed} passed, ${failed} failed (TestInvokeAuthorizer on ${a.authorizerArn}).\n`);
        return failed ? EXIT_NEGATIVE : EXIT_OK;
      }
      const input = flag(args, 'no-contexts')
        ? { authorizerName: name, token, tokenSignature: str(args, 'signature') }
        : buildTestInvokeInput({
            authorizerName: name,
            protocol,
            token,
            tokenSignature: str(args, 'signature'),
            tokenKeyName: a.tokenKeyName,
            dataEndpoint,
            clientId: str(args, 'client-id'),
            username: str(args, 'username'),
            password: str(args, 'password'),
          });
      if (!a.signingDisabled && input.tokenSignature === undefined) throw new UsageError(`Authorizer '${name}' verifies token signatures: give --signature.`);
      const r = await testInvokeAuthorizer(c, input);
      if (json) printJson(io, { input, result: r });
      else {
        for (const w of testInvokeWarnings(input)) io.stderr(`warning: ${w}\n`);
        io.stdout(formatResult(r));
      }
      return r.isAuthenticated ? EXIT_OK : EXIT_NEGATIVE;
    });
  },
};
