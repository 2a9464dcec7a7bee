import * as assert from 'node:assert/strict';
import { ALL_CODES, applyEdits, CODES, detectKindFromContent, DOCUMENT_KINDS, kindFromFileName, LineIndex, refactorsAt, templateFor, toSarif, validateResponseObject, validateText, MAX_VALIDATED_CHARS } from '../../../../src/core/authoring';
import { CONNECT, policy, response, text } from './helpers';

describe('authoring: kinds, templates, positions, SARIF, refactors', () => {
  it('kindFromFileName by default globs and custom globs', () => {
    assert.equal(kindFromFileName('a/b/x.authorizer-response.json'), 'response');
    assert.equal(kindFromFileName('C:\\w\\dev.iot-policy.json'), 'policy');
    assert.equal(kindFromFileName('my.authorizer.json'), 'authorizer');
    assert.equal(kindFromFileName('package.json'), undefined);
    assert.equal(kindFromFileName('policies/p1.json', { response: [], policy: ['policies/*.json'], authorizer: [] }), 'policy');
    assert.equal(kindFromFileName('x/p.json', { response: ['**/{a,p}.json'], policy: [], authorizer: [] }), 'response');
  });

  it('detectKindFromContent', () => {
    assert.equal(detectKindFromContent(text(response([]))), 'response');
    assert.equal(detectKindFromContent(text(policy(CONNECT))), 'policy');
    assert.equal(detectKindFromContent(templateFor('authorizer')), 'authorizer');
    assert.equal(detectKindFromContent('[]'), undefined);
    assert.equal(detectKindFromContent('not json'), undefined);
  });

  it('every template opens clean: no finding of any severity (its files present)', () => {
    for (const k of DOCUMENT_KINDS) {
      const found = validateText(templateFor(k), k, { fileExists: () => true }).map((f) => `${f.severity} ${f.code}`);
      assert.deepEqual(found, [], k);
    }
  });

  it("the authorizer template's default key is a test pair generated on first use: a note until then, not an error", () => {
    const found = validateText(templateFor('authorizer'), 'authorizer', { fileExists: (p) => p.startsWith('lambda/') });
    assert.deepEqual(found.map((f) => `${f.severity} ${f.code}`), ['info AUTHORIZER_KEY_FILE_MISSING']);
    const withKey = JSON.parse(templateFor('authorizer', { keyPath: 'keys/team.public.pem' }));
    assert.deepEqual(withKey.tokenSigningPublicKeys, { key1: { path: 'keys/team.public.pem' } });
  });

  it('every code has a severity, an https docs link and a title', () => {
    for (const c of ALL_CODES) {
      assert.match(c, /^[A-Z][A-Z0-9_]+$/);
      assert.match(CODES[c].docsUrl, /^https:\/\//);
      assert.ok(CODES[c].title.length > 5);
    }
  });

  it('LineIndex converts offsets to 0-based lines and characters (CRLF too)', () => {
    const li = new LineIndex('ab\r\ncd\ne');
    assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(li.positionAt(5), { line: 1, character: 1 });
    assert.deepEqual(li.positionAt(8), { line: 2, character: 1 });
    assert.deepEqual(li.positionAt(999), { line: 2, character: 1 });
    assert.equal(li.offsetAt({ line: 1, character: 1 }), 5);
  });

  it('validateResponseObject validates an object as the emulator has it', () => {
    const { text: t, findings } = validateResponseObject({ isAuthenticated: true, principalId: 'a-b', policyDocuments: [policy(CONNECT)] });
    const f = findings.find((x) => x.code === 'RESPONSE_PRINCIPAL_ID_INVALID')!;
    assert.equal(t.slice(f.range.start, f.range.end), '"a-b"');
    assert.doesNotThrow(() => validateResponseObject(undefined));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(validateResponseObject(cyclic).findings[0].code, 'JSON_NOT_OBJECT');
  });

  it('toSarif builds a 2.1.0 log with rules, 1-based regions and levels', () => {
    const t = text({ ...response([policy(CONNECT)]), principalId: 'a-b' });
    const findings = validateText(t, 'response');
    type Sarif = { version: string; runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const log = toSarif([{ uri: 'x.authorizer-response.json', text: t, findings }]) as unknown as Sarif;
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.ok(run.tool.driver.rules.some((r) => r.id === 'RESPONSE_PRINCIPAL_ID_INVALID' && r.helpUri));
    const res = run.results.find((r) => r.ruleId === 'RESPONSE_PRINCIPAL_ID_INVALID')!;
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 3);
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
  });

  it('refactorsAt converts a document object → string → object, each result valid', () => {
    const t = text(response([policy(CONNECT)]));
    const at = t.indexOf('"Version"');
    const [toString] = refactorsAt(t, 'response', at);
    const s = applyEdits(t, toString.edits);
    const parsed = JSON.parse(s);
    assert.equal(typeof parsed.policyDocuments[0], 'string');
    assert.deepEqual(JSON.parse(parsed.policyDocuments[0]), policy(CONNECT));
    const [toObject] = refactorsAt(s, 'response', s.indexOf('\\"Version'));
    const o = applyEdits(s, toObject.edits);
    assert.deepEqual(JSON.parse(o), JSON.parse(t));
    assert.deepEqual(refactorsAt(t, 'policy', at), []);
  });
});

describe('authoring: oversized documents', () => {
  it('a 5 MB text gets one DOCUMENT_TOO_LARGE_TO_CHECK finding at the start, without parsing', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:us-east-1:123456789012:topic/a' }] };
    const text = JSON.stringify({ isAuthenticated: true, principalId: 'x', policyDocuments: Array.from({ length: 45000 }, () => doc) });
    assert.ok(text.length > 5_000_000, `${text.length}`);
    const findings = validateText(text, 'response');
    assert.deepEqual(findings.map((f) => f.code), ['DOCUMENT_TOO_LARGE_TO_CHECK']);
    assert.equal(findings[0].severity, 'error');
    assert.deepEqual(findings[0].range, { start: 0, end: 1 });
    assert.match(findings[0].message, /MB/);
  });

  it('near miss: a text just under the limit is validated normally', () => {
    const pad = ' '.repeat(MAX_VALIDATED_CHARS - 200);
    const text = `{"isAuthenticated": false${pad}}`;
    assert.ok(text.length <= MAX_VALIDATED_CHARS);
    const codes = validateText(text, 'response').map((f) => f.code);
    assert.ok(!codes.includes('DOCUMENT_TOO_LARGE_TO_CHECK'), codes.join(','));
  });
});
