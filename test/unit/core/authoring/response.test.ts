import * as assert from 'node:assert/strict';
import { applyFix, assertNone, CONNECT, only, policy, response, slice, text } from './helpers';

const ok = () => response([policy(CONNECT)]);

describe('authoring: response rules', () => {
  it('a well-formed response has no findings', () => {
    const t = text(ok());
    assert.deepEqual(only(t, 'response', 'x'), []);
    for (const code of ['RESPONSE_FIELD_TYPE', 'RESPONSE_PRINCIPAL_ID_INVALID', 'RESPONSE_TIME_OUT_OF_RANGE', 'POLICY_NO_CONNECT']) assertNone(t, 'response', code);
  });

  it('RESPONSE_IS_AUTHENTICATED_MISSING when isAuthenticated is absent, not when false', () => {
    const { isAuthenticated: _drop, ...rest } = ok();
    only(text(rest), 'response', 'RESPONSE_IS_AUTHENTICATED_MISSING', 1);
    assertNone(text({ isAuthenticated: false }), 'response', 'RESPONSE_IS_AUTHENTICATED_MISSING');
  });

  it('RESPONSE_FIELD_TYPE on a string isAuthenticated, with the value range', () => {
    const t = text({ ...ok(), isAuthenticated: 'true' });
    const [f] = only(t, 'response', 'RESPONSE_FIELD_TYPE', 1);
    assert.equal(slice(t, f), '"true"');
  });

  it('RESPONSE_PRINCIPAL_ID_INVALID on "-", fix strips it; alphanumeric passes', () => {
    const t = text({ ...ok(), principalId: 'dev-01@x' });
    const [f] = only(t, 'response', 'RESPONSE_PRINCIPAL_ID_INVALID', 1);
    assert.equal(slice(t, f), '"dev-01@x"');
    assert.equal(JSON.parse(applyFix(t, f)).principalId, 'dev01x');
    assertNone(text({ ...ok(), principalId: 'Dev01' }), 'response', 'RESPONSE_PRINCIPAL_ID_INVALID');
    only(text({ ...ok(), principalId: 'a'.repeat(129) }), 'response', 'RESPONSE_PRINCIPAL_ID_INVALID', 1);
    assertNone(text({ ...ok(), principalId: 'a'.repeat(128) }), 'response', 'RESPONSE_PRINCIPAL_ID_INVALID');
  });

  it('RESPONSE_PRINCIPAL_ID_MISSING only when authenticated', () => {
    const { principalId: _p, ...rest } = ok();
    only(text(rest), 'response', 'RESPONSE_PRINCIPAL_ID_MISSING', 1);
    assertNone(text({ isAuthenticated: false }), 'response', 'RESPONSE_PRINCIPAL_ID_MISSING');
  });

  it('RESPONSE_TIME_OUT_OF_RANGE: 299 and 86401 fail and clamp; 300 and 86400 pass', () => {
    const t = text({ ...ok(), refreshAfterInSeconds: 299, disconnectAfterInSeconds: 86401 });
    const fs = only(t, 'response', 'RESPONSE_TIME_OUT_OF_RANGE', 2);
    assert.deepEqual(fs.map((f) => slice(t, f)).sort(), ['299', '86401']);
    const fixed = applyFix(applyFix(t, fs[1]), only(applyFix(t, fs[1]), 'response', 'RESPONSE_TIME_OUT_OF_RANGE', 1)[0]);
    const o = JSON.parse(fixed);
    assert.equal(o.disconnectAfterInSeconds + o.refreshAfterInSeconds, 86400 + 300);
    assertNone(text({ ...ok(), refreshAfterInSeconds: 300, disconnectAfterInSeconds: 86400 }), 'response', 'RESPONSE_TIME_OUT_OF_RANGE');
  });

  it('RESPONSE_TIME_NOT_INTEGER on 600.5 and 6e2, fix rounds', () => {
    const t = '{"isAuthenticated": false, "refreshAfterInSeconds": 600.5, "disconnectAfterInSeconds": 6e2}';
    const fs = only(t, 'response', 'RESPONSE_TIME_NOT_INTEGER', 2);
    assert.equal(slice(t, fs[0]), '600.5');
    assert.equal(JSON.parse(applyFix(t, fs[0])).refreshAfterInSeconds, 601);
    assertNone('{"isAuthenticated": false, "refreshAfterInSeconds": 600}', 'response', 'RESPONSE_TIME_NOT_INTEGER');
  });

  it('RESPONSE_TOO_MANY_DOCUMENTS at 11, covering the extra documents; 10 pass', () => {
    const docs = Array.from({ length: 11 }, () => policy(CONNECT));
    const t = text(response(docs));
    const [f] = only(t, 'response', 'RESPONSE_TOO_MANY_DOCUMENTS', 1);
    assert.deepEqual(JSON.parse(slice(t, f)), docs[10]);
    assertNone(text(response(docs.slice(0, 10))), 'response', 'RESPONSE_TOO_MANY_DOCUMENTS');
  });

  it('exactly 10 documents: the checks after the count still run on the whole response', () => {
    // A limit check that reads past the end of the list would throw here and hide these findings.
    const docs: unknown[] = [...Array.from({ length: 9 }, () => policy(CONNECT)), 42];
    const t = text(response(docs, { isAuthenticatd: true }));
    assertNone(t, 'response', 'RESPONSE_TOO_MANY_DOCUMENTS');
    assertNone(t, 'response', 'INTERNAL_RULE_ERROR');
    const [type] = only(t, 'response', 'RESPONSE_DOCUMENT_TYPE', 1);
    assert.equal(slice(t, type), '42');
    const [unknown] = only(t, 'response', 'RESPONSE_UNKNOWN_FIELD', 1);
    assert.equal(slice(t, unknown), '"isAuthenticatd"');
  });

  it('RESPONSE_DOCUMENT_TOO_LARGE for a string of 2049 characters, not 2048', () => {
    const make = (n: number) => {
      const base = JSON.stringify(policy({ ...CONNECT, Sid: '' }));
      return base.replace('"Sid":""', `"Sid":"${'A'.repeat(n - base.length)}"`);
    };
    assert.equal(make(2049).length, 2049);
    only(text(response([make(2049)])), 'response', 'RESPONSE_DOCUMENT_TOO_LARGE', 1);
    assertNone(text(response([make(2048)])), 'response', 'RESPONSE_DOCUMENT_TOO_LARGE');
    // Objects are measured as compact JSON: indentation does not count.
    assertNone(text(response([JSON.parse(make(2048))])), 'response', 'RESPONSE_DOCUMENT_TOO_LARGE');
    only(text(response([JSON.parse(make(2049))])), 'response', 'RESPONSE_DOCUMENT_TOO_LARGE', 1);
  });

  it('RESPONSE_DOCUMENT_TYPE for a number document; RESPONSE_DOCUMENT_INVALID_JSON for a bad string', () => {
    only(text(response([42])), 'response', 'RESPONSE_DOCUMENT_TYPE', 1);
    const t = text(response(['{"Version": "2012-10-17", "Statement": [}']));
    const [f] = only(t, 'response', 'RESPONSE_DOCUMENT_INVALID_JSON', 1);
    assert.equal(slice(t, f), '}');
    assertNone(text(response([JSON.stringify(policy(CONNECT))])), 'response', 'RESPONSE_DOCUMENT_INVALID_JSON');
  });

  it('RESPONSE_DOCUMENTS_WHEN_UNAUTHENTICATED on the key; not when authenticated', () => {
    const t = text({ isAuthenticated: false, policyDocuments: [policy(CONNECT)] });
    const [f] = only(t, 'response', 'RESPONSE_DOCUMENTS_WHEN_UNAUTHENTICATED', 1);
    assert.equal(slice(t, f), '"policyDocuments"');
    assertNone(text(ok()), 'response', 'RESPONSE_DOCUMENTS_WHEN_UNAUTHENTICATED');
  });

  it('RESPONSE_NO_DOCUMENTS when authenticated with an empty list', () => {
    only(text(response([])), 'response', 'RESPONSE_NO_DOCUMENTS', 1);
    assertNone(text(ok()), 'response', 'RESPONSE_NO_DOCUMENTS');
  });

  it('RESPONSE_UNKNOWN_FIELD: a typo is a warning with a rename fix; other fields are info', () => {
    const t = text({ ...ok(), refreshAfterInSecond: 300, password: 'x' });
    const fs = only(t, 'response', 'RESPONSE_UNKNOWN_FIELD', 2);
    const typo = fs.find((f) => slice(t, f) === '"refreshAfterInSecond"')!;
    assert.equal(typo.severity, 'warning');
    assert.equal(typo.data?.suggestion, 'refreshAfterInSeconds');
    const fixed = applyFix(t, typo);
    assert.ok('refreshAfterInSeconds' in JSON.parse(fixed));
    assert.equal(fs.find((f) => slice(t, f) === '"password"')!.severity, 'info');
  });

  it('JSON_SYNTAX with the parse error range; JSON_NOT_OBJECT for an array', () => {
    const t = '{"isAuthenticated": true,, "principalId": "a"}';
    const [f] = only(t, 'response', 'JSON_SYNTAX', 1);
    assert.equal(f.range.start, t.indexOf(',,') + 1);
    only('[1]', 'response', 'JSON_NOT_OBJECT', 1);
    only('', 'response', 'JSON_SYNTAX', 1);
  });

  it('JSON_DUPLICATE_KEY on the second key', () => {
    const t = '{"isAuthenticated": true, "isAuthenticated": false}';
    const [f] = only(t, 'response', 'JSON_DUPLICATE_KEY', 1);
    assert.equal(f.range.start, t.lastIndexOf('"isAuthenticated"'));
  });

  it('disabledCodes and severityOverrides apply', () => {
    const t = text({ ...ok(), principalId: 'a-b' });
    assertNone(t, 'response', 'RESPONSE_PRINCIPAL_ID_INVALID', { disabledCodes: ['RESPONSE_PRINCIPAL_ID_INVALID'] });
    const [f] = only(t, 'response', 'RESPONSE_PRINCIPAL_ID_INVALID', 1, { severityOverrides: { RESPONSE_PRINCIPAL_ID_INVALID: 'info' } });
    assert.equal(f.severity, 'info');
  });
});
