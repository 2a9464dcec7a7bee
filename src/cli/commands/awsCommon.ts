import { AuthzError } from '../../core/errors';
import type { AwsClients, AwsTarget } from '../../core/aws';
import { createAwsClients } from '../../core/aws';
import { CliIo, CliOptions, EXIT_NEGATIVE, EXIT_USAGE, ParsedArgs, UsageError, flag, str } from '../framework';

/** Options every `aws` command takes. */
export const AWS_OPTIONS: CliOptions = {
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
};

export const AWS_USAGE_OPTIONS = `  --profile P     named profile from ~/.aws/config / credentials (default: AWS_PROFILE, then env keys or "default")
  --region R      region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --endpoint URL  endpoint override for IoT and Lambda (also IOT_AUTHZ_ENDPOINT_IOT / IOT_AUTHZ_ENDPOINT_LAMBDA)
  --timeout S     give up on an AWS call (retries included) after S seconds (default 30)
  --json          machine-readable output`;

/** Setup problems (exit 2) as opposed to AWS answering no (exit 1). */
const SETUP_CODES = new Set([
  'AWS_PROFILE_NOT_FOUND',
  'AWS_NO_REGION',
  'AWS_BAD_ENDPOINT',
  'AWS_NO_CREDENTIALS',
  'AWS_SSO_EXPIRED',
  'AWS_CREDENTIALS_EXPIRED',
  'AWS_BAD_CREDENTIALS',
  'AWS_CONFIG_UNREADABLE',
  'AWS_SDK_MISSING',
  'AWS_UNREACHABLE',
  'AWS_TIMEOUT',
  'DEFINITION_INVALID',
  'DEFINITION_KEY_MISSING',
  'FILE_NOT_FOUND',
  'TEST_FILE_INVALID',
  'TEST_CASE_NOT_FOUND',
  'TEST_SIGNING_KEY_NOT_FOUND',
  'KEY_IS_PRIVATE',
  'PATH_OUTSIDE_WORKSPACE',
  'AWS_NAME_INVALID',
]);

/** Bad local input (a file that is missing, too large, not JSON, not a regular file, ...): exit 2. */
function isSetupError(e: AuthzError): boolean {
  return SETUP_CODES.has(e.code) || e.code.startsWith('FILE_');
}

export function targetFrom(args: ParsedArgs, io: CliIo, region?: string): AwsTarget {
  const endpoint = str(args, 'endpoint');
  const timeout = str(args, 'timeout');
  const timeoutSeconds = timeout === undefined ? undefined : Number(timeout);
  if (timeoutSeconds !== undefined && !(/^\d+(\.\d+)?$/.test(timeout!) && timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
    throw new UsageError(`--timeout must be a number of seconds above 0 and at most 3600, not '${timeout}'.`);
  }
  return {
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    profile: str(args, 'profile'),
    region: str(args, 'region') ?? region,
    endpoints: endpoint ? { iot: endpoint, lambda: endpoint } : undefined,
    env: io.env,
  };
}

/**
 * Runs `fn` with clients, destroying them after. AWS errors are printed (one clear message)
 * and mapped to exit codes: 2 for setup problems (credentials, region, profile, network,
 * bad files), 1 for AWS answering no (not found, access denied, throttled, conflict).
 */
export async function withAws(command: string, args: ParsedArgs, io: CliIo, fn: (c: AwsClients) => Promise<number>, region?: string): Promise<number> {
  let clients: AwsClients | undefined;
  try {
    clients = await createAwsClients(targetFrom(args, io, region));
    return await fn(clients);
  } catch (e) {
    if (e instanceof AuthzError) {
      if (flag(args, 'json')) io.stdout(`${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint } }, null, 2)}\n`);
      io.stderr(`iot-authz ${command}: ${e.display}\n`);
      return isSetupError(e) ? EXIT_USAGE : EXIT_NEGATIVE;
    }
    throw e;
  } finally {
    clients?.destroy();
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v), 2)}\n`);
}

/** Left-aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_c, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}
