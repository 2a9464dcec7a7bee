import { Reporter } from '../context';
import { stringItems } from '../json';
import { suggestIotAction } from '../../suggest';
import { actionNames, PolicyView, resolveAction } from '../model';

const QUALIFIED = actionNames().map((a) => `iot:${a}`);
/** Services whose actions legitimately appear in AWS IoT policies. */
const KNOWN_FOREIGN = new Set(['greengrass']);

/** Unknown, miscased, empty-pattern and foreign actions; Allow on every action. */
export function checkActions(v: PolicyView, r: Reporter): void {
  const f = v.frame;
  for (const s of v.statements) {
    for (const node of [s.action, s.notAction]) {
      if (!node) continue;
      for (const n of stringItems(node).strings) {
        const value = String(n.value);
        const res = resolveAction(value);
        const inner = { start: n.offset + 1, end: n.offset + n.length - 1 };
        switch (res.kind) {
          case 'exact':
            break;
          case 'all':
            if (s.effect === 'Allow' && node === s.action) {
              r.reportNode('IOT_ALLOW_ALL_ACTIONS', f, n, `"${value}" allows every action${value === '*' ? '' : ' of AWS IoT'}: list the actions the device needs (iot:Connect, iot:Publish, …).`);
            }
            break;
          case 'case': {
            const fixed = value === '*' || value.endsWith(':*') ? 'iot:*' : `iot:${res.names[0]}`;
            r.report('IOT_ACTION_CASE', f, inner.start, inner.end, `"${value}" should be spelled "${fixed}".`, {
              data: { suggestion: fixed },
              fixes: [{ title: `Change to "${fixed}"`, edits: [{ start: inner.start, end: inner.end, newText: fixed }], isPreferred: true }],
            });
            break;
          }
          case 'pattern':
            if (res.names.length === 0) r.report('IOT_ACTION_PATTERN_MATCHES_NOTHING', f, inner.start, inner.end, `"${value}" matches no AWS IoT action.`);
            break;
          case 'foreign': {
            const service = value.slice(0, value.indexOf(':'));
            if (!KNOWN_FOREIGN.has(service.toLowerCase())) {
              r.report('IOT_ACTION_FOREIGN_SERVICE', f, inner.start, inner.end, `"${value}" is not an AWS IoT action: AWS IoT ignores it in a device policy.`);
            }
            break;
          }
          case 'unknown':
          case 'malformed': {
            const full = suggestIotAction(res.kind === 'malformed' ? `iot:${value}` : value);
            const msg = res.kind === 'malformed'
              ? `"${value}" is not a service:action name${full ? `: did you mean "${full}"?` : '.'}`
              : `"${value}" is not an AWS IoT action${full ? `: did you mean "${full}"?` : '.'}`;
            r.report('IOT_ACTION_UNKNOWN', f, inner.start, inner.end, msg, full ? {
              data: { suggestion: full },
              fixes: [{ title: `Change to "${full}"`, edits: [{ start: inner.start, end: inner.end, newText: full }], isPreferred: true }],
            } : {});
            break;
          }
        }
      }
    }
  }
}

export { QUALIFIED as QUALIFIED_IOT_ACTIONS };
