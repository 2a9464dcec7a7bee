import { AuthzError, errorText } from '../errors';
import { evaluateConditions } from './conditions';
import { normalizeAction, parseIotArn } from './resources';
import {
  Effect,
  EvaluationRequest,
  EvaluationResult,
  PolicyContext,
  PolicyDocument,
  PolicyStatement,
  StatementMatch,
  StatementRef,
} from './types';
import { matchPattern } from './variables';
import { jsonTooDeepAt, MAX_JSON_DEPTH, valueDepthExceeds } from '../jsonDepth';

/**
 * Evaluates IoT policies the way AWS IoT Core authorises one operation
 * (iot-policies.md, pub-sub-policy.md):
 *  - an explicit Deny in any document wins; otherwise an Allow is needed;
 *    nothing applying means deny;
 *  - actions match case-insensitively with `*` and `?` (IAM grammar);
 *  - resources match case-sensitively; `*` is any run of characters including `/`,
 *    `?` one character; MQTT `+` and `#` are literal characters;
 *  - Action/NotAction, Resource/NotResource, Condition;
 *  - policy variables from the connection; an unresolved one stays as literal text.
 *
 * Conditions this module cannot evaluate locally make the result `uncertain`
 * and are resolved fail-closed: an Allow that depends on them is not counted,
 * a Deny that depends on them is.
 */
export function evaluate(request: EvaluationRequest): EvaluationResult {
  try {
    return evaluateRequest(request);
  } catch (e) {
    if (e instanceof AuthzError) throw e;
    // A bug here must not read as a decision: no allow, and no deny that looks like the policies' answer.
    throw new AuthzError(
      'POLICY_EVALUATION_FAILED',
      `The policy evaluator failed on ${String(request?.action)} ${String(request?.resource)} (${errorText(e)}), so there is no decision: neither allow nor deny.`,
      'This is a bug in IoT Custom Authorizer Studio, not in the policies: please report it with the policies and the request.',
    );
  }
}

function evaluateRequest(request: EvaluationRequest): EvaluationResult {
  const ctx: PolicyContext = request.context ?? {};
  const action = normalizeAction(request.action);
  const resource = request.resource;
  const documents = request.policies.map((p, i) => parsePolicyDocument(p, i));
  const matched: StatementMatch[] = [];
  const notes = new Set<string>();
  let uncertain = false;

  documents.forEach((doc, d) => {
    statementsOf(doc).forEach((st, s) => {
      const effect = normalizeEffect(st.Effect);
      const ref = (e: Effect): StatementRef => ({ document: d, statement: s, ...(st.Sid ? { sid: st.Sid } : {}), effect: e });
      if (!effect) {
        notes.add(`${where(d, s)}: Effect ${JSON.stringify(st.Effect)} is neither Allow nor Deny; the statement is ignored.`);
        return;
      }
      const a = matchActions(st, action);
      if (!a) return;
      const r = matchResources(st, resource, ctx, notes, d, s);
      if (!r) return;
      const cond = evaluateConditions(st.Condition, ctx);
      if (cond.result === false) return;
      let assumed = false;
      if (cond.result === 'unknown') {
        uncertain = true;
        for (const n of cond.notes) notes.add(`${where(d, s)}: ${n}`);
        if (effect === 'Allow') {
          notes.add(`${where(d, s)}: this Allow is not counted because its condition could not be checked locally (fail-closed).`);
          return;
        }
        notes.add(`${where(d, s)}: this Deny is counted although its condition could not be checked locally (fail-closed).`);
        assumed = true;
      }
      matched.push({
        ...ref(effect),
        actionPattern: a.pattern,
        resourcePattern: r.pattern,
        via: { action: a.via, resource: r.via },
        ...(assumed ? { assumed: true } : {}),
      });
    });
  });

  if (action.toLowerCase() === 'iot:subscribe') subscribeCaveat(documents, resource, notes);

  const deny = matched.find((m) => m.effect === 'Deny');
  const allow = matched.find((m) => m.effect === 'Allow');
  const strip = (m: StatementMatch): StatementRef => ({
    document: m.document,
    statement: m.statement,
    ...(m.sid ? { sid: m.sid } : {}),
    effect: m.effect,
  });
  let result: EvaluationResult;
  if (deny) {
    result = {
      decision: 'deny',
      decidedBy: strip(deny),
      reason: `${action} on ${resource} is denied explicitly by ${where(deny.document, deny.statement, deny.sid)} (${deny.via.resource} ${deny.resourcePattern}); an explicit Deny overrides any Allow.`,
      matchedStatements: matched,
      uncertain,
      notes: [...notes],
    };
  } else if (allow) {
    result = {
      decision: 'allow',
      decidedBy: strip(allow),
      reason: `${action} on ${resource} is allowed by ${where(allow.document, allow.statement, allow.sid)} (${allow.via.resource} ${allow.resourcePattern}).`,
      matchedStatements: matched,
      uncertain,
      notes: [...notes],
    };
  } else {
    result = {
      decision: 'deny',
      reason: `No statement allows ${action} on ${resource}${documents.length === 0 ? ' (no policy documents)' : ''}.`,
      matchedStatements: matched,
      uncertain,
      notes: [...notes],
    };
  }
  return result;
}

function where(d: number, s: number, sid?: string): string {
  return `statement #${s + 1}${sid ? ` (Sid ${sid})` : ''} of policy document #${d + 1}`;
}

/** A document from an object or a JSON string; AuthzError when it is not a policy. */
export function parsePolicyDocument(p: PolicyDocument | string, index = 0): PolicyDocument {
  let doc: unknown = p;
  const tooDeep = () =>
    new AuthzError(
      'POLICY_TOO_DEEP',
      `Policy document #${index + 1} nests more than ${MAX_JSON_DEPTH} levels deep: no IoT policy does, so it was not evaluated.`,
      'Check the policy document: IoT policies nest a few levels at most.',
    );
  if (typeof p === 'string' ? jsonTooDeepAt(p) !== undefined : valueDepthExceeds(p)) throw tooDeep();
  if (typeof p === 'string') {
    try {
      doc = JSON.parse(p);
    } catch (e) {
      throw new AuthzError(
        'POLICY_INVALID_JSON',
        `Policy document #${index + 1} is not valid JSON: ${(e as Error).message}`,
        'Check the quoting and commas of the policy document.',
      );
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('Statement' in doc)) {
    throw new AuthzError(
      'POLICY_NO_STATEMENT',
      `Policy document #${index + 1} has no Statement.`,
      'An IoT policy document is {"Version": "2012-10-17", "Statement": [...]}.',
    );
  }
  return doc as PolicyDocument;
}

function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  const s = doc.Statement;
  if (Array.isArray(s)) return s.filter((x) => x && typeof x === 'object');
  return s && typeof s === 'object' ? [s] : [];
}

function normalizeEffect(e: unknown): Effect | undefined {
  return e === 'Allow' || e === 'Deny' ? e : undefined;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function matchActions(st: PolicyStatement, action: string): { pattern: string; via: 'Action' | 'NotAction' } | undefined {
  // Action names have no variables; match with an empty context, ignoring case.
  if (st.Action !== undefined) {
    for (const p of list(st.Action)) if (matchPattern(p, action, {}, true).matched) return { pattern: p, via: 'Action' };
    return undefined;
  }
  if (st.NotAction !== undefined) {
    const pats = list(st.NotAction);
    if (pats.some((p) => matchPattern(p, action, {}, true).matched)) return undefined;
    return { pattern: `NotAction ${pats.join(', ')}`, via: 'NotAction' };
  }
  return undefined;
}

function matchResources(
  st: PolicyStatement,
  resource: string,
  ctx: PolicyContext,
  notes: Set<string>,
  d: number,
  s: number,
): { pattern: string; via: 'Resource' | 'NotResource' } | undefined {
  const noteUnresolved = (u: Array<{ variable: string; why: string }>) => {
    for (const x of u) {
      notes.add(`${where(d, s)}: ${x.variable} is not resolved (${x.why}); it stays as literal text, so the resource matches only a name containing it.`);
    }
  };
  if (st.Resource !== undefined) {
    for (const p of list(st.Resource)) {
      const m = matchPattern(p, resource, ctx);
      noteUnresolved(m.sub.unresolved);
      if (m.matched) return { pattern: m.sub.display, via: 'Resource' };
    }
    return undefined;
  }
  if (st.NotResource !== undefined) {
    const pats = list(st.NotResource);
    for (const p of pats) {
      const m = matchPattern(p, resource, ctx);
      noteUnresolved(m.sub.unresolved);
      if (m.matched) return undefined;
    }
    return { pattern: pats.join(', '), via: 'NotResource' };
  }
  return undefined;
}

/**
 * pub-sub-policy.md: `+` and `#` are literal in policies, so a Deny on
 * `topicfilter/a/restricted/*` does not stop a subscription to `a/#`, which
 * still delivers messages from a/restricted/... Say so when it applies.
 */
function subscribeCaveat(documents: PolicyDocument[], resource: string, notes: Set<string>): void {
  const arn = parseIotArn(resource);
  if (!arn || arn.type !== 'topicfilter') return;
  const filter = arn.name;
  const wildcardAt = filter.search(/[+#]/);
  if (wildcardAt < 0) return;
  const prefix = filter.slice(0, wildcardAt);
  for (const doc of documents) {
    for (const st of statementsOf(doc)) {
      if (st.Effect !== 'Deny' || !list(st.Action).some((a) => /^(iot:\*|\*|iot:subscribe)$/i.test(a))) continue;
      for (const p of list(st.Resource)) {
        const pa = parseIotArn(p);
        if (pa && pa.type === 'topicfilter' && pa.name.startsWith(prefix) && pa.name !== filter) {
          notes.add(
            `The topic filter ${filter} is matched literally against the Deny on topicfilter/${pa.name}; MQTT still delivers matching messages ` +
              `under it. To keep them out, deny or restrict iot:Receive on the topics (pub-sub-policy.md).`,
          );
        }
      }
    }
  }
}
