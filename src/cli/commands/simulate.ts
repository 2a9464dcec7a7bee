import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError } from '../../core/errors';
import { readJsonFile } from '../../core/files';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, evaluate, normalizeAction, PolicyContext, PolicyDocument, resourceArn } from '../../core/policy';
import { CliCommand, CliIo, EXIT_NEGATIVE, EXIT_OK, flag, ParsedArgs, requireStr, str } from '../framework';

/**
 * Policy documents from a file: one document, an array of documents (objects
 * or JSON strings), or a whole authorizer response ({"policyDocuments": [...]}).
 */
export function readPolicies(file: string): Array<PolicyDocument | string> {
  const doc = readJsonFile(file, 'policies');
  if (Array.isArray(doc)) return doc as Array<PolicyDocument | string>;
  if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o.policyDocuments)) return o.policyDocuments as Array<PolicyDocument | string>;
    if ('Statement' in o) return [o as unknown as PolicyDocument];
  }
  throw new AuthzError(
    'POLICY_FILE_SHAPE',
    `${file} holds neither a policy document, an array of them, nor an authorizer response.`,
    'Give {"Version": "2012-10-17", "Statement": [...]}, [doc, ...] or {"isAuthenticated": ..., "policyDocuments": [...]}.',
  );
}

/** Region and account from the first *.authorizer.json in dir (not recursive), if any. */
export function arnDefaultsFromCwd(dir: string): { region?: string; account?: string; from?: string } {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.authorizer.json')).sort();
  } catch {
    return {};
  }
  for (const n of names) {
    try {
      const d = readJsonFile(path.join(dir, n), 'authorizer definition') as Record<string, unknown>;
      const arn = typeof d.authorizerFunctionArn === 'string' ? /^arn:[^:]+:lambda:([^:]+):(\d{12}):/.exec(d.authorizerFunctionArn) : null;
      const region = typeof d.region === 'string' ? d.region : arn?.[1];
      const account = typeof d.account === 'string' ? d.account : arn?.[2];
      if (region || account) return { region, account, from: n };
    } catch {
      /* not readable: try the next */
    }
  }
  return {};
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'Decide whether IoT policies allow one operation (explicit Deny wins; nothing matching denies).',
  usage: [
    '  iot-authz simulate --policies FILE.json --action iot:Publish --resource TOPIC_OR_ARN',
    '                     [--client-id ID] [--source-ip IP] [--thing-name NAME] [--region R] [--account A] [--json]',
    '',
    '  FILE.json: a policy document, an array of documents, or a whole authorizer response.',
    '  --resource: a full ARN, or a bare topic (Publish/Receive/RetainPublish), topic filter (Subscribe),',
    '  client id (Connect) or thing name (shadow and job actions), completed into',
    '  arn:aws:iot:REGION:ACCOUNT:TYPE/NAME. REGION and ACCOUNT come from --region/--account, else from',
    `  the first *.authorizer.json in the current folder, else ${DEFAULT_REGION} / ${DEFAULT_ACCOUNT}.`,
    '  --client-id resolves ${iot:ClientId}; --thing-name resolves ${iot:Connection.Thing.ThingName}.',
    '  Exit 0 allowed, 1 denied, 2 bad input. --json prints {"decision", "decidedBy", "reason", ...}.',
  ].join('\n'),
  options: {
    policies: { type: 'string' },
    action: { type: 'string' },
    resource: { type: 'string' },
    'client-id': { type: 'string' },
    'source-ip': { type: 'string' },
    'thing-name': { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args: ParsedArgs, io: CliIo) {
    const policies = readPolicies(path.resolve(io.cwd, requireStr(args, 'policies')));
    const action = normalizeAction(requireStr(args, 'action'));
    const defaults = arnDefaultsFromCwd(io.cwd);
    const region = str(args, 'region') ?? defaults.region ?? DEFAULT_REGION;
    const account = str(args, 'account') ?? defaults.account ?? DEFAULT_ACCOUNT;
    const resource = resourceArn(action, requireStr(args, 'resource'), { region, account });
    const context: PolicyContext = {};
    const clientId = str(args, 'client-id');
    if (clientId !== undefined) context.clientId = clientId;
    const ip = str(args, 'source-ip');
    if (ip !== undefined) context.sourceIp = ip;
    const thing = str(args, 'thing-name');
    if (thing !== undefined) context.thing = { thingName: thing };
    const r = evaluate({ policies, action, resource, context });
    if (flag(args, 'json')) {
      io.stdout(`${JSON.stringify({ decision: r.decision, decidedBy: r.decidedBy ?? null, reason: r.reason, action, resource, uncertain: r.uncertain, notes: r.notes, matchedStatements: r.matchedStatements }, null, 2)}\n`);
    } else {
      io.stdout(`${r.decision === 'allow' ? 'ALLOW' : 'DENY'}  ${action} on ${resource}\n${r.reason}\n`);
      for (const n of r.notes) io.stdout(`  note: ${n}\n`);
      if (r.uncertain) io.stdout('  The decision is uncertain: a condition could not be checked locally (see notes).\n');
    }
    return r.decision === 'allow' ? EXIT_OK : EXIT_NEGATIVE;
  },
};
