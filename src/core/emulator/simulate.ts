import { findNodeAtLocation, getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { AuthzError } from '../errors';
import { assertJsonDepth } from '../files';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, evaluate, EvaluationResult, parseIotArn, PolicyContext, PolicyDocument, resourceArn } from '../policy';

export interface SimulateRequest {
  /** An IoT policy document or an authorizer response (its policyDocuments), as JSON text. */
  text: string;
  action: string;
  /** A full ARN, or a bare topic / topic filter / client id / thing name. */
  resource: string;
  clientId?: string;
  /** For bare resources; default: the region and account of the first IoT ARN in the document. */
  region?: string;
  account?: string;
}

export interface SimulateResult extends EvaluationResult {
  kind: 'policy' | 'response';
  /** The resource ARN evaluated. */
  resource: string;
  action: string;
  /** Offset range of the deciding statement in the text (for a policy document given as a JSON string: that string). */
  decidingRange?: { start: number; end: number };
}

/**
 * "Would this device be allowed to do X?" for one policy document or an
 * authorizer response's policyDocuments, with where the deciding statement is
 * in the text. AuthzError when the text is neither.
 */
export function simulateDecision(req: SimulateRequest): SimulateResult {
  assertJsonDepth(req.text, 'The document');
  const errors: ParseError[] = [];
  const root = parseTree(req.text, errors, { allowTrailingComma: true });
  if (!root || errors.length) {
    const e = errors[0];
    throw new AuthzError('SIMULATE_INVALID_JSON', `The document is not valid JSON${e ? ` (${printParseErrorCode(e.error)} at offset ${e.offset})` : ''}.`, 'Fix the JSON syntax first.');
  }
  const value = getNodeValue(root) as Record<string, unknown>;
  let kind: SimulateResult['kind'];
  let policies: Array<PolicyDocument | string>;
  let docNodes: Array<Node | undefined>;
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Statement' in value) {
    kind = 'policy';
    policies = [value as unknown as PolicyDocument];
    docNodes = [root];
  } else if (value && typeof value === 'object' && Array.isArray(value.policyDocuments)) {
    kind = 'response';
    policies = value.policyDocuments as Array<PolicyDocument | string>;
    docNodes = policies.map((_p, i) => findNodeAtLocation(root, ['policyDocuments', i]));
  } else {
    throw new AuthzError(
      'SIMULATE_NOT_A_POLICY',
      'The document is neither an IoT policy (with "Statement") nor an authorizer response (with "policyDocuments").',
      'Open a *.iot-policy.json or *.authorizer-response.json file.',
    );
  }
  const parts = arnPartsOf(policies);
  const resource = resourceArn(req.action, req.resource.trim(), { region: req.region ?? parts.region, account: req.account ?? parts.account });
  const context: PolicyContext = req.clientId ? { clientId: req.clientId } : {};
  const result = evaluate({ policies, action: req.action, resource, context });
  let decidingRange: SimulateResult['decidingRange'];
  const by = result.decidedBy;
  const docNode = by ? docNodes[by.document] : undefined;
  if (by && docNode) {
    if (docNode.type === 'string') decidingRange = { start: docNode.offset, end: docNode.offset + docNode.length };
    else {
      const st = findNodeAtLocation(docNode, ['Statement']);
      const node = st?.type === 'array' ? st.children?.[by.statement] : st;
      if (node) decidingRange = { start: node.offset, end: node.offset + node.length };
    }
  }
  return { ...result, kind, resource, action: req.action, ...(decidingRange ? { decidingRange } : {}) };
}

/** Region and account of the first IoT ARN the documents' statements name, else the defaults. */
export function arnPartsOf(policies: Array<PolicyDocument | string>): { region: string; account: string } {
  for (const p of policies) {
    let doc: unknown = p;
    if (typeof p === 'string') {
      try {
        doc = JSON.parse(p);
      } catch {
        continue;
      }
    }
    const st = (doc as PolicyDocument | undefined)?.Statement;
    for (const s of Array.isArray(st) ? st : st ? [st] : []) {
      for (const r of ([] as unknown[]).concat(s?.Resource ?? [], s?.NotResource ?? [])) {
        const a = typeof r === 'string' ? parseIotArn(r) : undefined;
        if (a && /^[a-z0-9-]+$/.test(a.region) && /^\d{12}$/.test(a.account)) return { region: a.region, account: a.account };
      }
    }
  }
  return { region: DEFAULT_REGION, account: DEFAULT_ACCOUNT };
}
