/**
 * Short texts for showing policy decisions in a table (the results panel):
 * the resource without the ARN prefix the definition adds, and the reason
 * without what other columns already say (the operation, the deciding
 * statement). Pure functions of a decision's fields.
 */

/** The fields of an OperationDecision these helpers read. */
export interface DecisionText {
  action: string;
  /** The resource as written (bare or ARN). */
  input?: string;
  /** Full ARN. */
  resource: string;
  reason: string;
}

const ARN_PREFIX = /^arn:[^:]+:iot:[^:]*:[^:]*:/;

/**
 * "topic/devices/d1" for arn:aws:iot:<region>:<account>:topic/devices/d1 when
 * the operation was written bare (so region and account are the
 * definition's); an ARN written as such stays whole.
 */
export function shortResource(d: Pick<DecisionText, 'input' | 'resource'>): string {
  if (d.input !== undefined && d.input === d.resource) return d.resource;
  return d.resource.replace(ARN_PREFIX, '');
}

const WHERE = String.raw`statement #\d+(?: \(Sid [^)]*\))? of policy document #\d+`;
const VIA = String.raw`(?: \((Resource|NotResource) (\S+)\))?`;

/**
 * The evaluator's reason without the operation (its own column), without
 * "statement #n of policy document #m" (the deciding-statement column), and
 * with ARNs of the operation's account and region shortened:
 *   "Allowed: matches Resource topic/devices/d1/*."
 *   "Explicit Deny: matches Resource topic/admin/*; it overrides any Allow."
 *   "No statement allows it."
 * Reasons of another form are only shortened.
 */
export function shortReason(d: DecisionText): string {
  const prefix = ARN_PREFIX.exec(d.resource)?.[0];
  const short = (s: string) => (prefix ? s.split(prefix).join('') : s);
  const subject = `${escapeRe(d.action)} on ${escapeRe(d.resource)}`;
  const viaText = (via?: string, pattern?: string) => (via && pattern ? `${via === 'NotResource' ? 'outside' : 'matches'} ${via} ${short(pattern)}` : undefined);
  let m = new RegExp(`^${subject} is allowed by ${WHERE}${VIA}\\.$`).exec(d.reason);
  if (m) {
    const v = viaText(m[1], m[2]);
    return v ? `Allowed: ${v}.` : 'Allowed.';
  }
  m = new RegExp(`^${subject} is denied explicitly by ${WHERE}${VIA}; an explicit Deny overrides any Allow\\.$`).exec(d.reason);
  if (m) {
    const v = viaText(m[1], m[2]);
    return v ? `Explicit Deny: ${v}; it overrides any Allow.` : 'Explicit Deny: it overrides any Allow.';
  }
  m = new RegExp(`^No statement allows ${subject}( \\(no policy documents\\))?\\.$`).exec(d.reason);
  if (m) return `No statement allows it${m[1] ?? ''}.`;
  return short(d.reason);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
