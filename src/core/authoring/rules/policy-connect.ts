import { Node } from 'jsonc-parser';
import { cutOff, Frame, LocalFix, Reporter } from '../context';
import { indentAt } from '../json';
import { PolicyView, statementAllowsConnect } from '../model';

/** The statement the "allow iot:Connect" fix adds. */
export function connectStatement(region = '*', account = '*'): Record<string, unknown> {
  return { Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:${region}:${account}:client/\${iot:ClientId}` };
}

export function anyAllowsConnect(views: readonly PolicyView[]): boolean {
  return views.some((v) => v.statements.some(statementAllowsConnect));
}

/**
 * A fix adding an Allow iot:Connect statement to a policy's Statement array,
 * formatted like its neighbours (compact inside a string document).
 */
export function addConnectFix(v: PolicyView, region?: string, account?: string): LocalFix | undefined {
  const st = v.statementNode;
  if (!st || st.type !== 'array') return undefined;
  const stmt = connectStatement(region, account);
  const f = v.frame;
  const children = st.children ?? [];
  const title = 'Add a statement allowing iot:Connect for client/${iot:ClientId}';
  const multiline = !f.inString && f.text.slice(st.offset, st.offset + st.length).includes('\n');
  if (!multiline) {
    const body = JSON.stringify(stmt);
    if (children.length) {
      const last = children[children.length - 1];
      return { title, edits: [{ start: last.offset + last.length, end: last.offset + last.length, newText: `, ${body}` }] };
    }
    return { title, edits: [{ start: st.offset + 1, end: st.offset + 1, newText: body }] };
  }
  if (children.length) {
    const last: Node = children[children.length - 1];
    const indent = indentAt(f.text, last.offset);
    const body = JSON.stringify(stmt, null, 2).split('\n').map((l, i) => (i === 0 ? l : indent + l)).join('\n');
    return { title, edits: [{ start: last.offset + last.length, end: last.offset + last.length, newText: `,\n${indent}${body}` }] };
  }
  const outer = indentAt(f.text, st.offset);
  const indent = outer + '  ';
  const body = JSON.stringify(stmt, null, 2).split('\n').map((l, i) => (i === 0 ? l : indent + l)).join('\n');
  return { title, edits: [{ start: st.offset + 1, end: st.offset + st.length - 1, newText: `\n${indent}${body}\n${outer}` }] };
}

/** Hint when nothing allows iot:Connect. `anchor` is where to show it. */
export function reportNoConnect(views: readonly PolicyView[], r: Reporter, anchorFrame: Frame, anchor: Node, region?: string, account?: string): void {
  if (!r.enabled('POLICY_NO_CONNECT') || anyAllowsConnect(views)) return;
  // A document cut off by a syntax error may allow it further on.
  if (views.some((v) => cutOff(v.frame, v.root)) || cutOff(anchorFrame, anchor)) return;
  const target = views.find((v) => v.statementNode?.type === 'array');
  const fix = target ? addConnectFix(target, region, account) : undefined;
  r.reportNode('POLICY_NO_CONNECT', anchorFrame, anchor, 'No statement allows iot:Connect: MQTT and MQTT-over-WebSocket connections will be refused (HTTPS publish still works).');
  // The fix lives in the target frame, which may differ from the anchor's: attach it afterwards.
  if (fix && target) {
    const last = r.findings[r.findings.length - 1];
    if (last && last.code === 'POLICY_NO_CONNECT') last.fixes = [r.toFix(target.frame, fix)];
  }
}
