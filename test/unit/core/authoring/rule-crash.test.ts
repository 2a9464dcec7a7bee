import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_CODES, validateText } from '../../../../src/core/authoring';
import { POLICY_RULES, PolicyRule, STRICT_RULES_ENV } from '../../../../src/core/authoring/validator';
import { CONNECT, policy, response, text } from './helpers';

/** Runs `f` with a rule added to the validator that throws on every policy document. */
function withThrowingRule<T>(f: () => T): T {
  const rule: PolicyRule = {
    name: 'test-throwing-rule',
    check: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'offset')");
    },
  };
  POLICY_RULES.splice(1, 0, rule);
  try {
    return f();
  } finally {
    POLICY_RULES.splice(POLICY_RULES.indexOf(rule), 1);
  }
}

/** Runs `f` with IOT_AUTHZ_STRICT_RULES set to `value` (undefined: unset). */
function withStrict<T>(value: string | undefined, f: () => T): T {
  const saved = process.env[STRICT_RULES_ENV];
  if (value === undefined) delete process.env[STRICT_RULES_ENV];
  else process.env[STRICT_RULES_ENV] = value;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env[STRICT_RULES_ENV];
    else process.env[STRICT_RULES_ENV] = saved;
  }
}

describe('authoring: a rule that throws is never silent', () => {
  const clean = text(policy(CONNECT));

  it('the clean policy used below has no findings', () => {
    assert.deepEqual(validateText(clean, 'policy'), []);
  });

  it('outside the tests: an INTERNAL_RULE_ERROR error naming the rule and the message, the other rules still run', () => {
    const findings = withStrict(undefined, () => withThrowingRule(() => validateText(text(policy({ ...CONNECT, Effect: 'Alow' })), 'policy')));
    const internal = findings.filter((f) => f.code === 'INTERNAL_RULE_ERROR');
    assert.equal(internal.length, 1, JSON.stringify(findings));
    assert.equal(internal[0].severity, 'error');
    assert.match(internal[0].message, /test-throwing-rule/);
    assert.match(internal[0].message, /reading 'offset'/);
    assert.equal(internal[0].data?.rule, 'test-throwing-rule');
    assert.ok(findings.some((f) => f.code === 'POLICY_EFFECT_INVALID'), 'the rules before and after the crash still report');
  });

  it('in a response, the finding is on the document whose check crashed', () => {
    const t = text(response([policy(CONNECT)]));
    const findings = withStrict(undefined, () => withThrowingRule(() => validateText(t, 'response')));
    const [f] = findings.filter((x) => x.code === 'INTERNAL_RULE_ERROR');
    assert.ok(f, JSON.stringify(findings));
    assert.deepEqual(JSON.parse(t.slice(f.range.start, f.range.end)), policy(CONNECT));
  });

  it('a crash with a plain thrown value (not an Error) is reported too, at the document start when there is no node', () => {
    const findings = withStrict(undefined, () => {
      const rule: PolicyRule = { name: 'throws-a-string', check: () => { throw 'boom'; } };
      POLICY_RULES.push(rule);
      try {
        return validateText(clean, 'policy');
      } finally {
        POLICY_RULES.pop();
      }
    });
    const [f] = findings.filter((x) => x.code === 'INTERNAL_RULE_ERROR');
    assert.match(f.message, /throws-a-string check failed on this document \(boom\)/);
  });

  it('disabledCodes can switch it off like any other code', () => {
    const findings = withStrict(undefined, () => withThrowingRule(() => validateText(clean, 'policy', { disabledCodes: ['INTERNAL_RULE_ERROR'] })));
    assert.deepEqual(findings, []);
  });

  it('with IOT_AUTHZ_STRICT_RULES=1 (the unit stage) the crash is rethrown, so the test that hit it fails', () => {
    assert.throws(() => withStrict('1', () => withThrowingRule(() => validateText(clean, 'policy'))), /reading 'offset'/);
  });

  it('every code is offered by the iotAuthz.diagnostics.* settings, and nothing else', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual([...props['iotAuthz.diagnostics.disabled'].items.enum].sort(), [...ALL_CODES].sort());
    assert.deepEqual([...props['iotAuthz.diagnostics.severity'].propertyNames.enum].sort(), [...ALL_CODES].sort());
  });
});
