import { printableExcerpt } from '../printable';
import { AuthzError } from '../errors';

export type AwsService = 'iot' | 'lambda';

/** What was being done when an SDK call failed; used to phrase the message. */
export interface AwsCallContext {
  service: AwsService;
  /** The API operation, e.g. "ListAuthorizers". */
  operation: string;
  profile?: string;
  /** How the profile gets credentials (from the shared files), e.g. 'sso'. */
  profileKind?: string;
  region?: string;
  /** The endpoint URL called (override or the public one). */
  endpoint?: string;
  /** What the call was about, e.g. "Authorizer 'my-authz'". */
  resource?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  Message?: string;
  errors?: Array<{ code?: string }>;
  $metadata?: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number };
  $fault?: string;
}

function nameOf(e: SdkLikeError): string {
  return String(e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? e.name ?? ''));
}

function messageOf(e: SdkLikeError): string {
  const m = e.message || e.Message || '';
  return m === 'UnknownError' ? '' : m;
}

/** "iot:ListAuthorizers" from "... is not authorized to perform: iot:ListAuthorizers on resource: ...". */
export function deniedActionFromMessage(message: string): string | undefined {
  const m = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message);
  return m?.[1];
}

/** The IAM action an operation needs, e.g. ("lambda", "GetFunction") -> "lambda:GetFunction". */
export function actionForOperation(service: AwsService, operation: string): string {
  // GetFunctionConfiguration is authorised by lambda:GetFunctionConfiguration; the rest are 1:1.
  return `${service}:${operation}`;
}

/** The identity, for "Access denied: <who> is not allowed ...". */
function who(ctx: AwsCallContext): string {
  return ctx.profile ? `profile '${ctx.profile}'` : 'the identity of AWS_ACCESS_KEY_ID';
}

/** The credentials, for "... rejected <creds>". */
function creds(ctx: AwsCallContext): string {
  return ctx.profile ? `the credentials of profile '${ctx.profile}'` : 'the credentials from the environment (AWS_ACCESS_KEY_ID)';
}

function ssoLogin(ctx: AwsCallContext): string {
  return `aws sso login${ctx.profile && ctx.profile !== 'default' ? ` --profile ${ctx.profile}` : ''}`;
}

function isSsoExpiry(text: string): boolean {
  return /sso/i.test(text) && /(expired|invalid|refresh|sso login|token)/i.test(text);
}

/** Turns any error thrown by an SDK call into an AuthzError that says what to do. */
export function mapAwsError(err: unknown, ctx: AwsCallContext): AuthzError {
  if (err instanceof AuthzError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = nameOf(e);
  const msg = messageOf(e);
  const svc = ctx.service === 'iot' ? 'AWS IoT' : 'AWS Lambda';
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const detail = msg ? ` (${printableExcerpt(msg.replace(/\.$/, ''), 500)})` : '';

  if (name === 'AbortError' || /aborted/i.test(name)) {
    return new AuthzError('CANCELLED', `${ctx.operation} was cancelled.`);
  }

  // A body that is not JSON (a proxy's error page, a wrong endpoint): one line, no SDK internals.
  const raw = err as { $responseBodyText?: unknown; $response?: { statusCode?: number } };
  if (typeof raw.$responseBodyText === 'string' || /Deserialization error/.test(msg)) {
    const status = raw.$response?.statusCode ?? e.$metadata?.httpStatusCode;
    // The SDK has consumed the body by now; JSON.parse's message quotes its start.
    const quoted = /"([\s\S]*)"(\.\.\.)? is not valid JSON/.exec(msg);
    const body = typeof raw.$responseBodyText === 'string' ? raw.$responseBodyText : quoted ? quoted[1] + (quoted[2] ? '…' : '') : '';
    const excerpt = body.trim() ? `: "${printableExcerpt(body.trim())}"` : ' (empty)';
    const serverSide = (status ?? 0) >= 500;
    return new AuthzError(
      serverSide ? 'AWS_SERVICE_ERROR' : 'AWS_BAD_RESPONSE',
      `${ctx.operation}: ${ctx.endpoint ?? svc} answered HTTP ${status ?? '(no status)'} with a body that is not JSON${excerpt}.`,
      serverSide
        ? 'The service (or a proxy in between) failed; retry in a moment.'
        : 'Something other than AWS answered (a proxy, a captive portal, a wrong endpoint override): check the endpoint and the network.',
    );
  }

  // Credentials: nothing found, or an SSO session to refresh.
  if (/CredentialsProviderError|TokenProviderError/.test(name) || /Could not load credentials/i.test(msg)) {
    if (isSsoExpiry(msg) || ctx.profileKind === 'sso') {
      return new AuthzError('AWS_SSO_EXPIRED', `The AWS SSO session of ${ctx.profile ? `profile '${ctx.profile}'` : 'the default profile'} has expired or is not logged in${detail}.`, `Run \`${ssoLogin(ctx)}\`, then retry.`);
    }
    return new AuthzError(
      'AWS_NO_CREDENTIALS',
      `No AWS credentials were found${ctx.profile ? ` for profile '${ctx.profile}'` : ''}${detail}.`,
      ctx.profile && ctx.profile !== 'default'
        ? `Configure them with \`aws configure --profile ${ctx.profile}\` (or \`aws configure sso --profile ${ctx.profile}\`), or choose another profile.`
        : 'Configure them with `aws configure` (or `aws configure sso`), set AWS_PROFILE to a configured profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
  }
  if (/ExpiredToken|RequestExpired|TokenRefreshRequired/.test(name)) {
    if (ctx.profileKind === 'sso') return new AuthzError('AWS_SSO_EXPIRED', `The AWS SSO credentials of profile '${ctx.profile}' have expired${detail}.`, `Run \`${ssoLogin(ctx)}\`, then retry.`);
    return new AuthzError(
      'AWS_CREDENTIALS_EXPIRED',
      `${creds(ctx).replace(/^the/, 'The')} have expired${detail}.`,
      `Refresh them (for an SSO profile: \`${ssoLogin(ctx)}\`; for temporary keys: get new ones), then retry.`,
    );
  }
  if (/UnrecognizedClient|InvalidClientTokenId|InvalidSignature|SignatureDoesNotMatch|IncompleteSignature/.test(name)) {
    return new AuthzError(
      'AWS_BAD_CREDENTIALS',
      `${svc} rejected ${creds(ctx)}: ${name}${detail}.`,
      'Check the access key id and secret access key (`aws configure list`), and that the computer clock is right.',
    );
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedException|Forbidden)$/.test(name) || e.$metadata?.httpStatusCode === 403) {
    const action = deniedActionFromMessage(msg) ?? actionForOperation(ctx.service, ctx.operation);
    return new AuthzError(
      'AWS_ACCESS_DENIED',
      `Access denied: ${who(ctx)} is not allowed to call ${action}${detail}.`,
      `Allow \`${action}\` in the IAM policy of that identity${ctx.resource ? ` for ${ctx.resource}` : ''}.`,
    );
  }
  if (/NotFound/.test(name)) {
    return new AuthzError(
      'AWS_NOT_FOUND',
      `${ctx.resource ?? 'The resource'} was not found${where}${detail}.`,
      `Check the name, the region${ctx.region ? ` (${ctx.region})` : ''} and the account (${ctx.profile ? `profile '${ctx.profile}'` : 'AWS_ACCESS_KEY_ID'}).`,
    );
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name)) {
    const attempts = e.$metadata?.attempts;
    return new AuthzError(
      'AWS_THROTTLED',
      `${svc} throttled ${ctx.operation}${attempts ? ` after ${attempts} attempts (the SDK already retried with backoff)` : ' (the SDK already retried with backoff)'}${detail}.`,
      'Wait a little and retry; lower the request rate if it keeps happening.',
    );
  }
  if (/ResourceConflict|ResourceAlreadyExists|ConflictingResourceUpdate|DeleteConflict|Conflict/.test(name)) {
    let hint = 'Refresh and retry.';
    if (ctx.operation === 'AddPermission') hint = 'A statement with this id already exists: the permission may be in place already; remove it with `aws lambda remove-permission --function-name <fn> --statement-id <id>` to replace it.';
    else if (ctx.operation === 'CreateAuthorizer') hint = 'An authorizer with this name exists: deploy again to update it instead.';
    else if (ctx.operation === 'DeleteAuthorizer') hint = 'Set the authorizer INACTIVE and make sure it is not the default or a domain configuration\'s authorizer, then delete it.';
    else if (ctx.service === 'lambda') hint = 'The function is being updated; wait a few seconds and retry.';
    return new AuthzError('AWS_CONFLICT', `${ctx.operation} conflicts with the current state${ctx.resource ? ` of ${ctx.resource}` : ''}: ${name}${detail}.`, hint);
  }
  if (/LimitExceeded/.test(name)) {
    return new AuthzError('AWS_LIMIT_EXCEEDED', `${ctx.operation} exceeds a ${svc} quota${detail}.`, 'Delete unused resources or request a quota increase.');
  }
  if (/InvalidRequest|InvalidParameter|Validation|InvalidResponse|SerializationException/.test(name)) {
    return new AuthzError('AWS_INVALID_REQUEST', `${svc} rejected ${ctx.operation}: ${name}${detail}.`, 'Fix the value the message names and retry.');
  }
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  if ((code && NETWORK_CODES.has(code)) || /TimeoutError|RequestTimeout/.test(name)) {
    return new AuthzError(
      'AWS_UNREACHABLE',
      `Cannot reach ${ctx.endpoint ?? svc} (${code ?? name}): offline or endpoint unreachable.`,
      'Check the network connection, proxy settings and any endpoint override, then retry.',
    );
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new AuthzError('AWS_SERVICE_ERROR', `${svc} failed on ${ctx.operation}: ${name || 'server error'}${detail}.`, 'This is on the AWS side; retry in a moment.');
  }
  return new AuthzError('AWS_ERROR', `${ctx.operation} failed: ${name || 'error'}${detail}.`);
}
