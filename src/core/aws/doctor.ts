import { keyTypePhrase } from '../keys/keys';
import { parseArn, unqualifiedFunctionArn } from './arn';
import { publicKeyInfo, sameFingerprint } from './keyinfo';
import { checkInvokePermission, invokePermissionRequest } from './permission';
import { AuthorizerDescription, DomainAuthorizerConfig, InvokePermissionRequest, LambdaFunctionInfo } from './types';

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** A machine-actionable fix a UI can offer (the CLI prints `description`). */
export type DoctorFix =
  | { kind: 'add-permission'; description: string; request: InvokePermissionRequest }
  | { kind: 'activate'; description: string }
  | { kind: 'set-default'; description: string; authorizerName: string }
  | { kind: 'manual'; description: string };

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  message: string;
  fix?: DoctorFix;
}

/** A workspace public key the user holds the private key for. */
export interface WorkspaceKey {
  /** e.g. a workspace-relative path. */
  label: string;
  /** SHA-256 of the DER SPKI: hex, with or without colons. */
  fingerprint: string;
}

/** Everything the Doctor looks at, as described from AWS (or undefined when not fetched). */
export interface DoctorInput {
  authorizer: AuthorizerDescription;
  /** The Lambda's configuration; `null` when GetFunctionConfiguration said it does not exist. */
  lambda?: LambdaFunctionInfo | null;
  /** Why the Lambda could not be described (e.g. access denied), when that happened. */
  lambdaError?: string;
  /** The resource policy JSON; `null` when the function has none. */
  policy?: string | null;
  policyError?: string;
  /** The account's default authorizer name; `null` when none is set. */
  defaultAuthorizerName?: string | null;
  domainConfigurations?: DomainAuthorizerConfig[];
  workspaceKeys?: WorkspaceKey[];
}

export const LAMBDA_TIMEOUT_LIMIT_SECONDS = 5;
export const MIN_KEY_BITS = 2048;

/** Pure: the Doctor's checks, in a stable order. */
export function runDoctor(input: DoctorInput): DoctorCheck[] {
  const a = input.authorizer;
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => checks.push(c);

  // 1. Status.
  if (a.status === 'ACTIVE') add({ id: 'authorizer.active', status: 'pass', message: `Authorizer '${a.authorizerName}' is ACTIVE.` });
  else
    add({
      id: 'authorizer.active',
      status: 'fail',
      message: `Authorizer '${a.authorizerName}' is ${a.status ?? 'of unknown status'}: IoT Core does not use it.`,
      fix: { kind: 'activate', description: `Set it ACTIVE (aws iot update-authorizer --authorizer-name ${a.authorizerName} --status ACTIVE).` },
    });

  // 2. Signing and token key name.
  const keys = Object.entries(a.tokenSigningPublicKeys ?? {});
  if (a.signingDisabled) {
    add({
      id: 'authorizer.signing',
      status: 'warn',
      message: 'Token signing is disabled: IoT Core invokes the Lambda for every connection attempt, including forged ones (cost, abuse).',
      fix: { kind: 'manual', description: 'Signing cannot be enabled on an existing authorizer: create a new authorizer with signing enabled and move devices to it.' },
    });
  } else {
    if (!a.tokenKeyName) add({ id: 'authorizer.tokenKeyName', status: 'fail', message: 'Signing is enabled but no token key name is set: devices cannot send a token IoT Core verifies.' });
    else add({ id: 'authorizer.tokenKeyName', status: 'pass', message: `Devices send the token in '${a.tokenKeyName}' (header, query parameter or username parameter).` });
    if (keys.length === 0) add({ id: 'authorizer.signing', status: 'fail', message: 'Signing is enabled but the authorizer has no token signing public keys.' });
    else add({ id: 'authorizer.signing', status: 'pass', message: `Signing is enabled with ${keys.length} public key${keys.length === 1 ? '' : 's'} (${keys.map(([k]) => k).join(', ')}).` });
  }

  // 3. Keys: size and workspace match.
  const ws = input.workspaceKeys;
  for (const [name, pem] of keys) {
    const info = publicKeyInfo(pem);
    if (info.problem || info.type !== 'rsa') {
      add({ id: `key.${name}.size`, status: 'fail', message: `Key '${name}' is not a readable RSA public key${info.problem ? ` (${info.problem})` : ` (it is ${keyTypePhrase(info.type)})`}.` });
      continue;
    }
    if ((info.bits ?? 0) < MIN_KEY_BITS) add({ id: `key.${name}.size`, status: 'fail', message: `Key '${name}' has ${info.bits} bits; AWS IoT needs at least ${MIN_KEY_BITS}.`, fix: { kind: 'manual', description: 'Generate a 2048-bit (or larger) key pair and replace this key.' } });
    else add({ id: `key.${name}.size`, status: 'pass', message: `Key '${name}' is RSA ${info.bits} bits (${info.fingerprint}).` });
    if (ws !== undefined) {
      const match = ws.find((k) => sameFingerprint(k.fingerprint, info.fingerprint));
      if (match) add({ id: `key.${name}.workspace`, status: 'pass', message: `Key '${name}' matches the workspace key ${match.label}.` });
      else add({ id: `key.${name}.workspace`, status: 'warn', message: `Key '${name}' matches no public key in the workspace: tokens signed with workspace keys will be rejected by this key.` });
    }
  }

  // 4. The Lambda.
  const fnArn = a.authorizerFunctionArn;
  if (!fnArn) add({ id: 'lambda.exists', status: 'fail', message: 'The authorizer names no Lambda function.' });
  else if (input.lambda === null) {
    add({ id: 'lambda.exists', status: 'fail', message: `The Lambda function ${fnArn} does not exist (or is in another region or account).`, fix: { kind: 'manual', description: 'Deploy the function, or point the authorizer at the right ARN.' } });
  } else if (input.lambda) {
    const l = input.lambda;
    const state = l.state && l.state !== 'Active' ? ` but its state is ${l.state}` : '';
    add({ id: 'lambda.exists', status: state ? 'warn' : 'pass', message: `The Lambda function ${l.functionName} exists${state}${l.runtime ? ` (${l.runtime})` : ''}.` });
    if (l.timeout !== undefined) {
      if (l.timeout > LAMBDA_TIMEOUT_LIMIT_SECONDS)
        add({
          id: 'lambda.timeout',
          status: 'warn',
          message: `The function's timeout is ${l.timeout} s, but IoT Core waits at most ${LAMBDA_TIMEOUT_LIMIT_SECONDS} s: slower answers fail the connection silently.`,
          fix: { kind: 'manual', description: `Set the timeout to ${LAMBDA_TIMEOUT_LIMIT_SECONDS} s or less (aws lambda update-function-configuration --function-name ${l.functionName} --timeout ${LAMBDA_TIMEOUT_LIMIT_SECONDS}) and keep the handler fast.` },
        });
      else add({ id: 'lambda.timeout', status: 'pass', message: `The function's timeout (${l.timeout} s) is within IoT Core's ${LAMBDA_TIMEOUT_LIMIT_SECONDS} s.` });
    }
  } else if (input.lambdaError) add({ id: 'lambda.exists', status: 'warn', message: `The Lambda function could not be checked: ${input.lambdaError}` });

  // 5. Resource policy.
  if (fnArn && input.lambda !== null) {
    if (input.policyError) add({ id: 'lambda.permission', status: 'warn', message: `The function's resource policy could not be read: ${input.policyError}` });
    else if (input.policy !== undefined) {
      const r = checkInvokePermission(input.policy ?? undefined, a.authorizerArn, fnArn);
      const arn = parseArn(a.authorizerArn);
      if (r.allowed) add({ id: 'lambda.permission', status: r.warnings.length ? 'warn' : 'pass', message: [r.reason, ...r.warnings].join(' ') });
      else
        add({
          id: 'lambda.permission',
          status: 'fail',
          message: `${r.reason} IoT Core cannot invoke the function for this authorizer; connections fail without the Lambda being called.`,
          fix: arn
            ? { kind: 'add-permission', description: `Add a statement letting iot.amazonaws.com invoke ${unqualifiedFunctionArn(fnArn) === fnArn ? 'the function' : fnArn} from ${a.authorizerArn}.`, request: invokePermissionRequest(fnArn, a.authorizerArn) }
            : undefined,
        });
    }
  }

  // 6. Default authorizer and domain configurations.
  const domains = input.domainConfigurations ?? [];
  const domainDefaults = domains.filter((d) => d.defaultAuthorizerName === a.authorizerName);
  if (input.defaultAuthorizerName !== undefined) {
    if (input.defaultAuthorizerName === a.authorizerName) add({ id: 'authorizer.default', status: 'pass', message: 'It is the account\'s default authorizer: devices that name no authorizer use it.' });
    else
      add({
        id: 'authorizer.default',
        status: domainDefaults.length ? 'pass' : 'warn',
        message: `${input.defaultAuthorizerName ? `The account's default authorizer is '${input.defaultAuthorizerName}'` : 'The account has no default authorizer'}: devices must name '${a.authorizerName}' (x-amz-customauthorizer-name)${domainDefaults.length ? ', or connect through a domain configuration that uses it' : ''}.`,
        fix: domainDefaults.length ? undefined : { kind: 'set-default', description: `Make it the default (aws iot set-default-authorizer --authorizer-name ${a.authorizerName}) if devices do not name it.`, authorizerName: a.authorizerName },
      });
  }
  for (const d of domains) {
    if (d.defaultAuthorizerName === a.authorizerName) {
      add({ id: `domain.${d.domainConfigurationName}`, status: d.status && d.status !== 'ENABLED' ? 'warn' : 'pass', message: `Domain configuration '${d.domainConfigurationName}' uses it as its default authorizer${d.status && d.status !== 'ENABLED' ? ` but is ${d.status}` : ''}.` });
    } else if (d.defaultAuthorizerName && d.allowAuthorizerOverride === false) {
      add({ id: `domain.${d.domainConfigurationName}`, status: 'warn', message: `Domain configuration '${d.domainConfigurationName}' forces authorizer '${d.defaultAuthorizerName}' (allowAuthorizerOverride false): devices connecting through ${d.domainName ?? 'it'} cannot use '${a.authorizerName}'.` });
    }
  }
  return checks;
}

/** The worst status of a set of checks. */
export function overallStatus(checks: DoctorCheck[]): CheckStatus {
  return checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
}

const REPORT_MARK: Record<CheckStatus, string> = { pass: '✓ ok  ', warn: '⚠ WARN', fail: '✗ FAIL' };

/** The Doctor's report as Markdown: every check on its own line, in full, with its fix. */
export function formatDoctorReport(authorizerName: string, where: string, checks: DoctorCheck[], fixed: string[] = []): string {
  const n = (st: CheckStatus) => checks.filter((c) => c.status === st).length;
  const lines = [`# Authorizer Doctor: ${authorizerName}`, '', `${where} · ${n('pass')} ok, ${n('warn')} warning(s), ${n('fail')} failed`, ''];
  for (const f of fixed) lines.push(`- Fixed: ${f}`);
  if (fixed.length) lines.push('');
  for (const c of checks) {
    lines.push(`- ${REPORT_MARK[c.status]} ${c.message}`);
    if (c.fix && c.status !== 'pass') lines.push(`  - Fix${c.fix.kind === 'manual' ? '' : ' (IoT Authorizer: Authorizer Doctor applies it)'}: ${c.fix.description}`);
  }
  return `${lines.join('\n')}\n`;
}
