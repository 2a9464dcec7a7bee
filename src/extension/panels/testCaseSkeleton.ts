// The best-effort *.authz-test.json case built from a shown result, used by
// "Open as test case" when the emulator feature registered no handler.
// One function, no `vscode`: the emulator feature may replace it.
import type { TestCase } from '../../core/emulator/testcases/format';
import type { ResultsModel } from './model';
import { signatureFromEvent } from './model';

const SIGNATURE_PARAM = 'x-amz-customauthorizer-signature';
const AUTHORIZER_PARAM = 'x-amz-customauthorizer-name';

/**
 * A test case (the `*.authz-test.json` case shape: schemas/authz-test.schema.json,
 * src/core/emulator/testcases/format.ts) reproducing the result: what the device
 * sent (from `model.input`, else recovered from the event) and the outcome as
 * expectations. Decisions become `expect.allowed` / `expect.denied`.
 */
export function buildTestCaseSkeleton(model: ResultsModel): TestCase & { $comment?: string } {
  const r = model.result;
  const input = model.input;
  const event = r.event;
  const mqtt = event?.protocolData?.mqtt;
  const http = event?.protocolData?.http;
  const protocol = input?.protocol ?? r.protocol ?? 'https';

  const tc: TestCase & { $comment?: string } = {
    name: `${r.authorizerName ?? 'authorizer'} ${protocol} ${r.outcome}${r.principalId ? ` as ${r.principalId}` : ''}`,
    authorizer: model.authorizerFile ?? `${r.authorizerName ?? 'my-authorizer'}.authorizer.json`,
    protocol,
  };
  if (!input && !event) {
    tc.$comment = 'The result carries no event (the run stopped before the Lambda): fill in token and signature.';
  }

  const token = input?.token ?? event?.token;
  if (token !== undefined) tc.token = token;
  const signature = input?.signature ?? signatureFromEvent(r);
  if (signature !== undefined) tc.signature = signature;

  const clientId = input?.clientId ?? mqtt?.clientId;
  if (clientId !== undefined) tc.clientId = clientId;
  // An MQTT username that only carries the authorizer parameters is rebuilt from token and signature.
  const username = input?.username ?? (mqtt?.username && !(protocol === 'mqtt' && mqtt.username.includes(SIGNATURE_PARAM)) ? mqtt.username : undefined);
  if (username !== undefined) tc.username = username;
  if (input?.password !== undefined) tc.password = input.password;
  else if (input?.passwordBase64 !== undefined) tc.passwordBase64 = input.passwordBase64;
  else if (mqtt?.password !== undefined) tc.passwordBase64 = mqtt.password;

  let headers = input?.headers;
  if (!headers && http?.headers) {
    // Drop what the emulator adds from token and signature, so the case does not carry them twice.
    headers = Object.fromEntries(
      Object.entries(http.headers).filter(([k, v]) => {
        const l = k.toLowerCase();
        return l !== SIGNATURE_PARAM && l !== AUTHORIZER_PARAM && v !== token;
      }),
    );
  }
  if (headers && Object.keys(headers).length) tc.headers = headers;
  const query = input?.query ?? http?.queryString;
  if (query !== undefined && query !== '') tc.query = query;
  if (input?.serverName) tc.serverName = input.serverName;
  if (input?.sourceIp) tc.sourceIp = input.sourceIp;

  const expect: NonNullable<TestCase['expect']> = {};
  if (r.signature?.checked) expect.signatureValid = r.signature.valid === true;
  if (r.authenticated !== undefined) expect.authenticated = r.authenticated;
  if (r.principalId !== undefined) expect.principalId = r.principalId;
  if (r.connected !== undefined) expect.connected = r.connected;
  if (r.failure) expect.failure = r.failure.code;
  const decisions = r.decisions ?? [];
  const op = (d: (typeof decisions)[number]) => ({ action: d.action, resource: d.input ?? d.resource });
  const allowed = decisions.filter((d) => d.decision === 'allow').map(op);
  const denied = decisions.filter((d) => d.decision === 'deny').map(op);
  if (allowed.length) expect.allowed = allowed;
  if (denied.length) expect.denied = denied;
  tc.expect = expect;
  return tc;
}
