// Core regression tests for the security and reliability audit (issue 8).
import * as assert from 'node:assert/strict';
import { validateText } from '../../../src/core/authoring';
import { validateTestText } from '../../../src/core/emulator';
import { evaluate } from '../../../src/core/policy';
import { jsonTooDeepAt, MAX_JSON_DEPTH } from '../../../src/core/jsonDepth';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
/** The audit's policy: three errors, plus one field nested `n` arrays deep. */
const badPolicy = (n: number) => `{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"iot:Foo","Resource":"arn:aws:s3:::b","X":${deep(n)}}]}`;

describe('audit (issue 8): core', () => {
  describe('finding 4: deeply nested JSON', () => {
    it('the nesting scan finds the bracket that opens one level too many, ignoring brackets in strings', () => {
      assert.equal(jsonTooDeepAt(deep(MAX_JSON_DEPTH)), undefined);
      assert.equal(jsonTooDeepAt(deep(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH);
      assert.equal(jsonTooDeepAt(`["${'['.repeat(500)}\\"${'{'.repeat(500)}"]`), undefined);
      assert.equal(jsonTooDeepAt(deep(7000)), MAX_JSON_DEPTH);
    });

    it('validate never passes a 7,000-deep policy silently: JSON_TOO_DEEP where the limit is exceeded', () => {
      const shallow = validateText(badPolicy(3), 'policy');
      assert.ok(shallow.filter((f) => f.severity === 'error').length >= 3, 'the same policy without the nesting has errors');
      const text = badPolicy(7000);
      const findings = validateText(text, 'policy');
      const deepOnes = findings.filter((f) => f.code === 'JSON_TOO_DEEP');
      assert.equal(deepOnes.length, 1, JSON.stringify(findings));
      assert.equal(deepOnes[0].severity, 'error');
      assert.equal(deepOnes[0].range.start, text.indexOf('[[') + MAX_JSON_DEPTH - 3, 'the bracket opening level 65 (the first array of X is level 4)');
      assert.doesNotMatch(deepOnes[0].message, /call stack/);
    });

    it('a response with a deep policy document string, and a deep test case file, get a finding', () => {
      const response = JSON.stringify({ isAuthenticated: true, principalId: 'a', refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600, policyDocuments: [badPolicy(7000)] });
      assert.ok(validateText(response, 'response').some((f) => f.code === 'JSON_TOO_DEEP'));
      const testFile = `{"cases":[{"name":"a","authorizer":"a.authorizer.json","expect":{"authenticated":true},"x":${deep(7000)}}]}`;
      assert.ok(validateTestText(testFile).some((f) => f.code === 'TEST_JSON_TOO_DEEP' && f.severity === 'error'));
    });

    it('the evaluator refuses a deep policy document (object or string) with a clear error', () => {
      let x: unknown = [];
      for (let i = 0; i < 7000; i++) x = [x];
      const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: x, Resource: '*' }] };
      for (const p of [doc, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":${deep(7000)},"Resource":"*"}]}`]) {
        assert.throws(
          () => evaluate({ policies: [p as never], action: 'iot:Connect', resource: 'arn:aws:iot:us-east-1:123456789012:client/c' }),
          (e: Error & { code?: string }) => e.code === 'POLICY_TOO_DEEP' && /more than 64 levels/.test(e.message),
        );
      }
    });
  });

  describe('finding 10: a test case thing without thingName', () => {
    it('is a TEST_FIELD_TYPE finding at the thing', () => {
      const text = '{"authorizer":"a.authorizer.json","protocol":"mqtt","thing":{"attributes":{"fleet":"f1"}},"expect":{"authenticated":true}}';
      const f = validateTestText(text).filter((x) => x.severity === 'error');
      assert.equal(f.length, 1, JSON.stringify(f));
      assert.equal(f[0].code, 'TEST_FIELD_TYPE');
      assert.match(f[0].message, /thingName/);
      assert.equal(f[0].range.start, text.indexOf('{"attributes"'));
    });

    it('the evaluator treats a missing thing name as an unresolved variable, not a TypeError', () => {
      const r = evaluate({
        policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingName}' }] }],
        action: 'iot:Publish',
        resource: 'arn:aws:iot:us-east-1:123456789012:topic/x',
        context: { thing: { attributes: { fleet: 'f1' } } as never },
      });
      assert.equal(r.decision, 'deny');
    });
  });
});
