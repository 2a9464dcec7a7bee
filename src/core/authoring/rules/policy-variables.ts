import { Node } from 'jsonc-parser';
import { POLICY_VARIABLES, VariableAvailability } from '../../data';
import { Frame, Reporter } from '../context';
import { entries, stringItems, valueOffsets } from '../json';
import { PolicyView } from '../model';
import { closest } from '../strings';

const KNOWN = [...Object.keys(POLICY_VARIABLES.exact).filter((k) => k.length > 1), ...POLICY_VARIABLES.certificate];

export function availabilityOf(name: string): VariableAvailability | undefined {
  const exact = POLICY_VARIABLES.exact[name];
  if (exact) return exact;
  for (const p of POLICY_VARIABLES.prefixes) {
    if (name.startsWith(p.prefix) && name.length > p.prefix.length + (p.suffix?.length ?? 0) && (!p.suffix || name.endsWith(p.suffix))) return p.availability;
  }
  return undefined;
}

/** ${…} variables in resources and condition values; certificate condition keys. */
export function checkVariables(v: PolicyView, r: Reporter, customAuthorizer: boolean): void {
  for (const s of v.statements) {
    for (const list of [s.resource, s.notResource]) {
      if (!list) continue;
      for (const n of stringItems(list).strings) scan(v.frame, n, r, customAuthorizer);
    }
    if (s.condition?.type === 'object') {
      for (const op of entries(s.condition)) {
        if (op.value?.type !== 'object') continue;
        for (const { key, keyNode, value } of entries(op.value)) {
          if (customAuthorizer && /^iot:Certificate\./i.test(key)) {
            r.reportNode('POLICY_VARIABLE_UNAVAILABLE', v.frame, keyNode, `The condition key "${key}" comes from an X.509 client certificate: a custom-authorizer connection has none, so this condition never matches.`);
          }
          if (value) for (const n of stringItems(value).strings) scan(v.frame, n, r, customAuthorizer);
        }
      }
    }
  }
}

function scan(f: Frame, n: Node, r: Reporter, customAuthorizer: boolean): void {
  const value = String(n.value);
  let i = value.indexOf('${');
  if (i < 0) return;
  const at = valueOffsets(f.text, n);
  let count = 0;
  while (i >= 0 && count++ < 20) {
    const close = value.indexOf('}', i + 2);
    if (close < 0) {
      r.report('POLICY_VARIABLE_UNTERMINATED', f, at(i), at(value.length), 'The policy variable has no closing "}": it is taken literally.');
      return;
    }
    const name = value.slice(i + 2, close);
    const a = at(i);
    const b = at(close + 1);
    const availability = availabilityOf(name);
    if (!availability) {
      const sug = closest(name, KNOWN, Math.max(3, Math.floor(name.length / 3)));
      const msg = `"\${${name}}" is not an AWS IoT policy variable${sug ? `: did you mean "\${${sug}}"?` : ''}. Unknown variables are not substituted, so the resource or condition never matches.`;
      r.report('POLICY_VARIABLE_UNKNOWN', f, a, b, msg, sug ? {
        data: { suggestion: `\${${sug}}` },
        fixes: [{ title: `Change to "\${${sug}}"`, edits: [{ start: at(i + 2), end: at(close), newText: sug }], isPreferred: true }],
        severity: name.startsWith('aws:') ? 'info' : undefined,
      } : { severity: name.startsWith('aws:') ? 'info' : undefined });
    } else if (customAuthorizer && availability === 'never') {
      r.report('POLICY_VARIABLE_UNAVAILABLE', f, a, b, `"\${${name}}" needs ${name.startsWith('cognito') ? 'an Amazon Cognito identity' : 'an X.509 client certificate'}: it never resolves on a custom-authorizer connection, so this never matches.`);
    } else if (customAuthorizer && availability === 'thing') {
      r.report('POLICY_VARIABLE_THING', f, a, b, `"\${${name}}" resolves only when the client id equals the name of a registered thing, and only over MQTT or WebSockets (not HTTPS publish).`);
    }
    if (name === 'iot:ClientId' && /:topicfilter\//.test(value) && value.indexOf('${', 0) >= 0) {
      r.report('IOT_CLIENTID_IN_TOPICFILTER', f, a, b, 'A client that connects with client id "+" or "#" turns this into an MQTT wildcard filter. Restrict the client ids that may connect with iot:Connect.');
    }
    i = value.indexOf('${', close + 1);
  }
}
