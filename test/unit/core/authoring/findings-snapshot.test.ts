import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentKind, Finding, validateText, ValidateOptions } from '../../../../src/core/authoring';

/**
 * Every finding in full (message, range, severity, data, quick-fix edits) for a
 * corpus of documents: the responses, policies and authorizer definitions the
 * rule tests use, recorded once. The rule tests assert the codes and the
 * points each test is about; this one notices any other change in what users
 * read and apply (issue 14: the mutation run of the rules showed that messages,
 * ranges and fixes could change with no test failing).
 *
 * A deliberate change of a message or a fix: review the difference this test
 * prints, then rewrite the snapshot with
 *   IOT_AUTHZ_UPDATE_SNAPSHOT=1 npx mocha out/test/unit/core/authoring/findings-snapshot.test.js
 * (after `npx tsc -p .`) and review `git diff` of the file.
 */

interface Entry {
  kind: DocumentKind;
  text: string;
  options: { disabledCodes?: string[]; severityOverrides?: ValidateOptions['severityOverrides']; customAuthorizer?: boolean };
  /** The answers of the workspace file callbacks the validation asked, by path (null: no file / unreadable). */
  answers?: { fileExists: Record<string, boolean>; readKeyFile: Record<string, string | null> };
  findings: Finding[];
}

const SNAPSHOT = path.resolve(__dirname, '../../../../../test/fixtures/authoring/findings.snapshot.json');

function run(e: Omit<Entry, 'findings'>): Finding[] {
  const options: ValidateOptions = { ...e.options };
  if (e.answers) {
    const { fileExists, readKeyFile } = e.answers;
    options.fileExists = (p) => {
      assert.ok(p in fileExists, `the validation asked whether ${p} exists, which the snapshot did not record`);
      return fileExists[p];
    };
    options.readKeyFile = (p) => {
      assert.ok(p in readKeyFile, `the validation read ${p}, which the snapshot did not record`);
      return readKeyFile[p] ?? undefined;
    };
  }
  // Through JSON, as the snapshot holds them (undefined members dropped).
  return JSON.parse(JSON.stringify(validateText(e.text, e.kind, options))) as Finding[];
}

describe('core/authoring: the findings of the rule tests’ documents, in full', () => {
  const entries = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as Entry[];

  if (process.env.IOT_AUTHZ_UPDATE_SNAPSHOT === '1') {
    it('rewrites the snapshot', () => {
      const updated = entries.map((e) => ({ ...e, findings: run(e) }));
      fs.writeFileSync(SNAPSHOT, `${JSON.stringify(updated, null, 1)}\n`);
    });
    return;
  }

  it('the corpus covers every kind and most of the finding codes', () => {
    const kinds = new Set(entries.map((e) => e.kind));
    assert.deepEqual([...kinds].sort(), ['authorizer', 'policy', 'response']);
    const codes = new Set(entries.flatMap((e) => e.findings.map((f) => f.code)));
    assert.ok(codes.size >= 60, `${codes.size} distinct codes`);
  });

  for (const kind of ['response', 'policy', 'authorizer'] as const) {
    it(`${kind} documents: the same findings as recorded`, () => {
      let n = 0;
      for (const [i, e] of entries.entries()) {
        if (e.kind !== kind) continue;
        n++;
        const first = e.text.split('\n').slice(0, 3).join(' ').slice(0, 120);
        assert.deepEqual(run(e), e.findings, `entry ${i} (${kind}): ${first}`);
      }
      assert.ok(n > 10, `${n} ${kind} documents`);
    });
  }
});
