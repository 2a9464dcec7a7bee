import { Node } from 'jsonc-parser';
import { IOT_ACTIONS, LIMITS } from '../../data';
import { Frame, Reporter } from '../context';
import { stringItems, valueOffsets } from '../json';
import { ACCOUNT_RE, isDynamic, parseArn, PolicyView, REGION_RE } from '../model';
import { closest, iamGlob, hasWildcard } from '../strings';

const PARTITIONS = LIMITS.arn.partitions;
const PREFIXES = IOT_ACTIONS.resourcePrefixes;

interface Seen {
  frame: Frame;
  node: Node;
  region?: { value: string; start: number; end: number };
  account?: { value: string; start: number; end: number };
}

/** Malformed ARNs in Resource / NotResource; returns the literal regions and accounts seen. */
export function checkArns(v: PolicyView, r: Reporter, seen: Seen[]): void {
  for (const s of v.statements) {
    for (const list of [s.resource, s.notResource]) {
      if (!list) continue;
      for (const n of stringItems(list).strings) checkArn(v.frame, n, r, seen);
    }
  }
}

function checkArn(f: Frame, n: Node, r: Reporter, seen: Seen[]): void {
  const value = String(n.value);
  if (value === '*') return;
  const arn = parseArn(value);
  const at = valueOffsets(f.text, n);
  if (!arn) {
    const msg = value.startsWith('arn:')
      ? `"${value}" is not a complete ARN: arn:aws:iot:<region>:<account>:<type>/<name> has six colon-separated parts.`
      : `"${value}" is not an ARN: use arn:aws:iot:<region>:<account>:<type>/<name>, or "*".`;
    const noService = /^arn:([^:]*):[a-z]{2}(-gov)?-[a-z]+-[0-9]+:/.exec(value);
    if (noService) {
      const pos = 5 + noService[1].length;
      r.report('ARN_MALFORMED', f, at(0), at(value.length), `"${value}" has no service part: AWS IoT ARNs are arn:aws:iot:<region>:<account>:<type>/<name>.`, {
        fixes: [{ title: 'Insert "iot:"', edits: [{ start: at(pos), end: at(pos), newText: 'iot:' }], isPreferred: true }],
      });
      return;
    }
    r.report('ARN_MALFORMED', f, at(0), at(value.length), msg);
    return;
  }
  const part = (p: { start: number; end: number }) => [at(p.start), at(Math.max(p.end, p.start))] as const;
  const p = arn.partition.value;
  if (!isDynamic(p) && !PARTITIONS.includes(p)) {
    const [a, b] = part(arn.partition);
    r.report('ARN_PARTITION_INVALID', f, a, b === a ? a + 1 : b, `"${p}" is not a partition: use aws, aws-cn or aws-us-gov.`);
  }
  const svc = arn.service.value;
  if (svc !== 'iot' && !(hasWildcard(svc) && iamGlob(svc).test('iot'))) {
    const [a, b] = part(arn.service);
    const fix = svc.toLowerCase() === 'iot';
    r.report('ARN_SERVICE_NOT_IOT', f, a, b === a ? a + 1 : b, `"${svc}" is not iot: AWS IoT policies govern AWS IoT resources only.`, fix ? {
      fixes: [{ title: 'Change to "iot"', edits: [{ start: a, end: b, newText: 'iot' }], isPreferred: true }],
    } : {});
    return;
  }
  const region = arn.region.value;
  const account = arn.account.value;
  const entry: Seen = { frame: f, node: n };
  if (!isDynamic(region)) {
    if (!REGION_RE.test(region)) {
      const [a, b] = part(arn.region);
      r.report('ARN_REGION_INVALID', f, a, b === a ? a + 1 : b, region === '' ? 'The region is empty: AWS IoT resources are regional (e.g. us-east-1), or use "*".' : `"${region}" is not a region name (e.g. us-east-1).`);
    } else entry.region = { value: region, start: at(arn.region.start), end: at(arn.region.end) };
  }
  if (!isDynamic(account)) {
    if (!ACCOUNT_RE.test(account)) {
      const [a, b] = part(arn.account);
      r.report('ARN_ACCOUNT_INVALID', f, a, b === a ? a + 1 : b, account === '' ? 'The account is empty: use the 12-digit account id, or "*".' : `"${account}" is not a 12-digit account id.`);
    } else entry.account = { value: account, start: at(arn.account.start), end: at(arn.account.end) };
  }
  seen.push(entry);
  const type = arn.type.value;
  if (!isDynamic(type)) {
    if (!PREFIXES.includes(type)) {
      const sug = closest(type, PREFIXES, 3);
      const [a, b] = part(arn.type);
      r.report('ARN_RESOURCE_TYPE_UNKNOWN', f, a, b === a ? a + 1 : b, `"${type}" is not an AWS IoT resource type${sug ? `: did you mean "${sug}"?` : ' (client, topic, topicfilter, thing, …).'}`, sug ? {
        data: { suggestion: sug },
        fixes: [{ title: `Change to "${sug}"`, edits: [{ start: a, end: b, newText: sug }], isPreferred: true }],
      } : {});
    } else if (!arn.hasSlash) {
      r.report('ARN_MALFORMED', f, at(arn.type.start), at(arn.type.end), `The ARN names the type "${type}" but no resource: add "/<name>" (or "/*").`);
    }
  }
}

/** Regions and accounts that differ from the document's majority. */
export function checkConsistency(seen: Seen[], r: Reporter, scope: string): void {
  for (const which of ['region', 'account'] as const) {
    const counts = new Map<string, number>();
    for (const s of seen) {
      const p = s[which];
      if (p) counts.set(p.value, (counts.get(p.value) ?? 0) + 1);
    }
    if (counts.size < 2) continue;
    let major = '';
    let best = -1;
    for (const [k, c] of counts) if (c > best) { best = c; major = k; }
    const code = which === 'region' ? 'ARN_REGION_INCONSISTENT' : 'ARN_ACCOUNT_INCONSISTENT';
    for (const s of seen) {
      const p = s[which];
      if (!p || p.value === major) continue;
      // Offsets in p are already frame-local.
      r.report(code, s.frame, p.start, p.end, `${which === 'region' ? 'Region' : 'Account'} "${p.value}" differs from "${major}" used by the other ARNs in this ${scope}: a connection lives in one ${which}, so this ARN never matches.`, {
        data: { suggestion: major },
        fixes: [{ title: `Change to "${major}"`, edits: [{ start: p.start, end: p.end, newText: major }] }],
      });
    }
  }
}
