// What the results panel shows, and the exact payload sent to its webview.
// No `vscode` import: the payload builder is plain data shaping.
import type { ConnectionInput } from '../../core/emulator/event';
import type { ConnectionResult } from '../../core/emulator/pipeline';
import { shortReason, shortResource } from '../../core/emulator/display';
import { decodeJwtToken, expiryOf, looksLikeJwt } from '../../core/jwt';

/** Where a result comes from: the local emulator or AWS TestInvokeAuthorizer. */
export type ResultSource = 'local' | 'aws';

/**
 * A `ConnectionResult` where everything but the outcome may be missing:
 * TestInvokeAuthorizer gives no signature step, no event and no log, only
 * isAuthenticated, principalId, policy documents (JSON strings) and the
 * refresh / disconnect times. Put those in `response` (and `authenticated`,
 * `principalId`); the panel renders whichever parts are present.
 */
export type PanelResult = Partial<Omit<ConnectionResult, 'signature'>> &
  Pick<ConnectionResult, 'outcome'> & {
    signature?: Partial<ConnectionResult['signature']>;
  };

export interface ResultsModel {
  /** Panel (tab) title and page heading; default "<authorizer>: <outcome>". */
  title?: string;
  source: ResultSource;
  result: PanelResult;
  /**
   * What the device sent (optional). The result alone has no token or
   * signature when the run stopped at the signature step; "Open as test case"
   * and "Copy signature" use this when given.
   */
  input?: ConnectionInput;
  /** Workspace-relative path of the *.authorizer.json, for the test-case skeleton. */
  authorizerFile?: string;
  /** A second result shown next to this one ("Compare with local run"): a table of decisions. */
  compare?: { title?: string; source: ResultSource; result: PanelResult };
}

/** Copy buttons: the webview names what to copy, the extension takes the text from the model. */
export type CopyTarget = 'event' | 'response' | 'signature' | 'correctedSignature' | 'log' | 'policies' | 'token';

/** Messages the webview posts to the extension. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'rendered'; seq: number; text: string; csp: string; highlighted: string[]; deciding: string[] }
  | { type: 'copy'; what: CopyTarget }
  | { type: 'openAsTestCase' }
  | { type: 'error'; message: string };

/** Messages the extension posts to the webview. */
export type HostMessage =
  | { type: 'show'; seq: number; payload: PanelPayload }
  /** Test hook: the webview clicks the element with this id (a real button click, through its own handlers). */
  | { type: 'click'; id: string };

const SOURCE_LABEL: Record<ResultSource, string> = { local: 'Local emulator', aws: 'AWS TestInvokeAuthorizer' };

/** The model as sent to the webview: only result data, strings already decided. */
export interface PanelPayload {
  title: string;
  source: ResultSource;
  sourceLabel: string;
  result: PanelResult;
  /** Policy documents from the response (objects, or strings that did not parse). */
  policies: Array<{ parsed: unknown } | { text: string; error: string }>;
  /** Which copy buttons make sense. */
  copyable: CopyTarget[];
  canOpenAsTestCase: boolean;
  compare?: { title: string; source: ResultSource; sourceLabel: string; result: PanelResult };
  /** Table texts of the connect decision and of each operation decision (same order as result.decisions). */
  decisionTexts: { connect?: DecisionTexts; decisions: DecisionTexts[] };
  /** The token decoded, when it is JWT-shaped (a JWT, or the signed-JWT token header.payload). */
  jwt?: JwtView;
}

/** What the panel shows of a JWT token: decoded, not verified (the run's signature step says whether IoT would accept it). */
export interface JwtView {
  form?: 'jwt' | 'signing-input';
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** "expires in 14 minutes (…)" / "expired 3 minutes ago (…)". */
  expiry?: string;
  expired?: boolean;
  /** Why a JWT-shaped token does not decode (alg none, claims not JSON). */
  error?: string;
}

/** The decoded view of a run's token, when it looks like a JWT. */
export function jwtViewOf(token: string | undefined, now?: number): JwtView | undefined {
  if (!looksLikeJwt(token)) return undefined;
  try {
    const d = decodeJwtToken(token!, { allowSigningInput: true });
    const e = expiryOf(d.claims, now);
    return { form: d.form, header: { ...d.header }, claims: { ...d.claims }, expiry: e.text, expired: e.expired };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** How the decisions table shows one decision. */
export interface DecisionTexts {
  /** The resource without the definition's ARN prefix ("topic/a/b"); the full ARN is result's `resource`. */
  resource: string;
  /** The reason without the operation and the deciding statement (their own columns). */
  reason: string;
}

function decisionTexts(d: { action?: string; input?: string; resource?: string; reason?: string }): DecisionTexts {
  const resource = String(d.resource ?? '');
  const t = { action: String(d.action ?? ''), input: d.input, resource, reason: String(d.reason ?? '') };
  return { resource: shortResource(t), reason: shortReason(t) };
}

export function defaultTitle(model: Pick<ResultsModel, 'title' | 'result' | 'source'>): string {
  if (model.title) return model.title;
  const name = model.result.authorizerName ?? 'Authorizer';
  return `${name}: ${model.result.outcome}${model.source === 'aws' ? ' (AWS)' : ''}`;
}

/** The policy documents of the response (objects or JSON strings, as TestInvokeAuthorizer returns them). */
export function policyDocumentsOf(result: PanelResult): unknown[] {
  const r = result.response;
  if (!r || typeof r !== 'object') return [];
  const docs = (r as Record<string, unknown>).policyDocuments;
  return Array.isArray(docs) ? docs : [];
}

function parsePolicies(result: PanelResult): PanelPayload['policies'] {
  return policyDocumentsOf(result).map((d) => {
    if (typeof d !== 'string') return { parsed: d };
    try {
      return { parsed: JSON.parse(d) as unknown };
    } catch (e) {
      return { text: d, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** The text each copy button copies, or undefined when there is nothing. */
export function copyText(model: ResultsModel, what: CopyTarget): string | undefined {
  const r = model.result;
  switch (what) {
    case 'event':
      return r.event === undefined ? undefined : JSON.stringify(r.event, null, 2);
    case 'response':
      return r.responseText ?? (r.response === undefined ? undefined : JSON.stringify(r.response, null, 2));
    case 'policies': {
      const docs = policyDocumentsOf(r);
      return docs.length ? JSON.stringify(docs.map((d) => (typeof d === 'string' ? safeParse(d) : d)), null, 2) : undefined;
    }
    case 'log':
      return r.logText || (r.log && r.log.length ? r.log.map((c) => c.text).join('') : undefined);
    case 'signature':
      return model.input?.signature ?? signatureFromEvent(r);
    case 'correctedSignature':
      return r.signature?.correctedSignature ?? r.signature?.diagnosis?.find((d) => d.correctedSignature)?.correctedSignature;
    case 'token':
      return model.input?.token ?? r.event?.token;
  }
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const SIGNATURE_PARAM = 'x-amz-customauthorizer-signature';

/** The signature the device sent, as far as the event shows it (HTTP header, query or MQTT username). */
export function signatureFromEvent(r: PanelResult): string | undefined {
  const pd = r.event?.protocolData;
  const headers = pd?.http?.headers ?? {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === SIGNATURE_PARAM) return v;
  for (const q of [pd?.http?.queryString, pd?.mqtt?.username?.includes('?') ? pd.mqtt.username.slice(pd.mqtt.username.indexOf('?')) : undefined]) {
    if (!q) continue;
    const v = new URLSearchParams(q.startsWith('?') ? q.slice(1) : q).get(SIGNATURE_PARAM);
    if (v) return v;
  }
  return undefined;
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Copies only the ConnectionResult fields the panel renders (whatever else an
 * object carries stays in the extension) and drops any string that holds a
 * PEM private key: none should be there, this is a second line of defence.
 */
export function sanitizeResult(r: PanelResult): PanelResult {
  const picked: PanelResult = {
    outcome: r.outcome,
    summary: r.summary,
    protocol: r.protocol,
    authorizerName: r.authorizerName,
    authenticated: r.authenticated,
    connected: r.connected,
    principalId: r.principalId,
    failure: r.failure,
    steps: r.steps,
    signature: r.signature,
    event: r.event,
    handler: r.handler,
    response: r.response,
    responseText: r.responseText,
    responseFindings: r.responseFindings,
    log: r.log,
    logText: undefined, // the chunks carry the same text
    connect: r.connect,
    decisions: r.decisions,
    refreshAfterInSeconds: r.refreshAfterInSeconds,
    disconnectAfterInSeconds: r.disconnectAfterInSeconds,
    totalMs: r.totalMs,
  };
  return JSON.parse(
    JSON.stringify(picked, (_k, v: unknown) => (typeof v === 'string' && PRIVATE_KEY.test(v) ? '[private key removed]' : v)),
  ) as PanelResult;
}

/** The exact object posted to the webview for a model. */
export function toPayload(model: ResultsModel, canOpenAsTestCase = true): PanelPayload {
  const result = sanitizeResult(model.result);
  const copyable = (['event', 'response', 'policies', 'log', 'token', 'signature', 'correctedSignature'] as CopyTarget[]).filter(
    (w) => copyText(model, w) !== undefined,
  );
  const jwt = jwtViewOf(copyText(model, 'token'));
  return {
    ...(jwt ? { jwt } : {}),
    title: defaultTitle(model),
    source: model.source,
    sourceLabel: SOURCE_LABEL[model.source] ?? String(model.source),
    result,
    policies: parsePolicies(result),
    copyable,
    canOpenAsTestCase,
    decisionTexts: {
      ...(result.connect ? { connect: decisionTexts(result.connect) } : {}),
      decisions: (result.decisions ?? []).map(decisionTexts),
    },
    ...(model.compare
      ? {
          compare: {
            title: model.compare.title ?? SOURCE_LABEL[model.compare.source],
            source: model.compare.source,
            sourceLabel: SOURCE_LABEL[model.compare.source] ?? String(model.compare.source),
            result: sanitizeResult(model.compare.result),
          },
        }
      : {}),
  };
}
