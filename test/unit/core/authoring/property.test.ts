import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DOCUMENT_KINDS, Finding, validateText } from '../../../../src/core/authoring';

function checkRanges(t: string, fs: Finding[]): void {
  for (const f of fs) {
    assert.ok(Number.isInteger(f.range.start) && Number.isInteger(f.range.end), f.code);
    assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= t.length, `${f.code} ${f.range.start}-${f.range.end} of ${t.length}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= t.length, `fix of ${f.code}`);
  }
}

const kind = fc.constantFrom(...DOCUMENT_KINDS);
const action = fc.oneof(fc.constantFrom('iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:*', 'iot:Get*', 'iot:pubish', 's3:x', '*', 'Publish'), fc.string());
const resource = fc.oneof(
  fc.constantFrom('*', 'arn:aws:iot:us-east-1:123456789012:topic/a/+', 'arn:aws:iot:*:*:topicfilter/a/*/b', 'arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}', 'arn:aws:us-east-1:1:topic/${iot:Certificate.Subject.CommonName}', 'arn:aws:iot:eu-west-1:1:thing/${x'),
  fc.string(),
);
const statement = fc.record({
  Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow'), fc.jsonValue()),
  Action: fc.oneof(action, fc.array(action), fc.jsonValue()),
  Resource: fc.oneof(resource, fc.array(resource), fc.jsonValue()),
}, { requiredKeys: [] });
const policyDoc = fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), fc.jsonValue()), Statement: fc.oneof(fc.array(statement), fc.jsonValue()) }, { requiredKeys: [] });
const responseObj = fc.record({
  isAuthenticated: fc.oneof(fc.boolean(), fc.jsonValue()),
  principalId: fc.oneof(fc.string(), fc.jsonValue()),
  refreshAfterInSeconds: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
  policyDocuments: fc.oneof(fc.array(fc.oneof(policyDoc, policyDoc.map((p) => JSON.stringify(p)), fc.jsonValue(), fc.string())), fc.jsonValue()),
}, { requiredKeys: [] });

describe('authoring: validateText is total and in range (property)', () => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), kind, (t, k) => checkRanges(t, validateText(t, k))), { numRuns: 300 });
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.json(), kind, (t, k) => checkRanges(t, validateText(t, k))), { numRuns: 300 });
  });

  it('response shapes with policies as objects and strings, pretty or compact', () => {
    fc.assert(fc.property(responseObj, fc.constantFrom(0, 2), (o, indent) => {
      const t = JSON.stringify(o, null, indent);
      checkRanges(t, validateText(t, 'response'));
    }), { numRuns: 300 });
  });

  it('truncated responses (as typed in an editor)', () => {
    fc.assert(fc.property(responseObj, fc.nat(), (o, cut) => {
      const full = JSON.stringify(o, null, 2);
      const t = full.slice(0, cut % (full.length + 1));
      checkRanges(t, validateText(t, 'response'));
    }), { numRuns: 300 });
  });

  it('every fix on a generated response leaves valid JSON', () => {
    fc.assert(fc.property(responseObj, (o) => {
      const t = JSON.stringify(o, null, 2);
      for (const f of validateText(t, 'response')) {
        for (const fix of f.fixes ?? []) {
          const sorted = [...fix.edits].sort((a, b) => b.offset - a.offset);
          let out = t;
          for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
          JSON.parse(out);
        }
      }
    }), { numRuns: 300 });
  });
});
