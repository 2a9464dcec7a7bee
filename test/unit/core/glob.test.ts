import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { iamGlobMatch, pathGlobMatcher } from '../../../src/core/glob';
import { evaluate } from '../../../src/core/policy';
import { wildcardMatch } from '../../../src/core/aws/arn';
import { globToMatcher } from '../../../src/core/authoring/kinds';
import { resolveAction } from '../../../src/core/authoring/model';

// Reference matchers: the regular expressions the code used before (backtracking; small inputs only).
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
function refIam(pattern: string, value: string, ignoreCase: boolean): boolean {
  const src = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : esc(c))).join('');
  return new RegExp(`^${src}$`, ignoreCase ? 'is' : 's').test(value);
}
function refPath(glob: string, value: string, braces: boolean, ignoreCase: boolean): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{' && braces && glob.indexOf('}', i) > 0) {
      const close = glob.indexOf('}', i);
      re += `(?:${glob.slice(i + 1, close).split(',').map(esc).join('|')})`;
      i = close;
    } else re += esc(c);
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}

// Small alphabets so matches are frequent; a few odd characters for case folding and code units.
const chars = fc.constantFrom('a', 'b', 'A', '/', '.', 'ß', 'é', 'É', 'ſ', 'K', '\u212a', '\ud83d', '\ude00', '\n');
const text = fc.array(chars, { maxLength: 12 }).map((a) => a.join(''));
const iamPattern = fc.array(fc.oneof(chars, fc.constantFrom('*', '?')), { maxLength: 8 }).map((a) => a.join(''));
const pathPattern = fc.array(fc.oneof(chars, fc.constantFrom('*', '?', '**', '**/', '{a,b/}', '{', '}', ',')), { maxLength: 7 }).map((a) => a.join(''));

describe('glob: wildcard matching without backtracking', () => {
  it('IAM wildcards agree with the regular expression they replace (case-sensitive and not)', () => {
    fc.assert(
      fc.property(iamPattern, text, fc.boolean(), (p, v, ci) => iamGlobMatch(p, v, ci) === refIam(p, v, ci)),
      { numRuns: 3000 },
    );
  });

  it('path globs (**, **/, * and ? within a segment, braces) agree with the regular expression they replace', () => {
    fc.assert(
      fc.property(pathPattern, text, fc.boolean(), fc.boolean(), (p, v, braces, ci) => pathGlobMatcher(p, { braces, ignoreCase: ci }).test(v) === refPath(p, v, braces, ci)),
      { numRuns: 3000 },
    );
  });

  it('a value matching only because of a wildcard is found, literals stay literal', () => {
    assert.equal(iamGlobMatch('topic/*/x?', 'topic/a/b/xy'), true);
    assert.equal(iamGlobMatch('topic/*/x?', 'topic/a/b/x'), false);
    assert.equal(iamGlobMatch('a.b', 'axb'), false);
    assert.equal(pathGlobMatcher('src/*/x.json').test('src/a/b/x.json'), false);
    assert.equal(pathGlobMatcher('src/**/x.json').test('src/x.json'), true);
    assert.equal(globToMatcher('**/*.{iot-policy,policy}.json').test('a/B.IOT-POLICY.json'), true);
  });

  describe('worst cases from the audit (issue 8, finding 3) end at once', function () {
    // These hung for minutes with the backtracking expressions; mocha's timeout is the guard.
    this.timeout(20000);
    const stars = (n: number) => '*a'.repeat(n) + '*b';
    const value = (n: number) => 'a'.repeat(n);

    it('a Resource with 12 wildcards against a 1024-character topic', () => {
      const r = evaluate({
        policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:us-east-1:123456789012:topic/${stars(12)}` }] }],
        action: 'iot:Publish',
        resource: `arn:aws:iot:us-east-1:123456789012:topic/${value(1024)}`,
        context: {},
      });
      assert.equal(r.decision, 'deny');
    });

    it('an Action with 12 wildcards, Lambda permission wildcards and authoring action patterns', () => {
      const r = evaluate({
        policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: `iot:${stars(12)}`, Resource: '*' }] }],
        action: `iot:${value(120)}`,
        resource: 'arn:aws:iot:us-east-1:123456789012:topic/t',
        context: {},
      });
      assert.equal(r.decision, 'deny');
      assert.equal(wildcardMatch(stars(12), value(200)), false);
      assert.equal(resolveAction(`iot:${stars(30)}`).names.length, 0);
    });

    it('a test-file glob with 12 wildcards against a long path', () => {
      assert.equal(pathGlobMatcher(`/x/${stars(12)}`).test(`/x/${value(512)}`), false);
      assert.equal(pathGlobMatcher(`/x/**${stars(12)}`).test(`/x/${'a/'.repeat(100)}${value(300)}`), false);
    });
  });
});
