import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../../../../src/core/authoring';
import { TEST_CODES, validateTestText } from '../../../../src/core/emulator';

/**
 * Every finding in full for a corpus of broken `*.authz-test.json` files, one or
 * more mistakes each (a wrong type, an unknown property, a bad operation, a JWT
 * spec without its key, a missing file...). The editor shows exactly these
 * messages and ranges; a change to one is a change users see (issue 14: the
 * mutation run of the emulator showed that most of them could change with no
 * test failing).
 *
 * After a reviewed change of a message, rewrite the recorded findings with
 *   IOT_AUTHZ_UPDATE_SNAPSHOT=1 npx mocha out/test/unit/core/emulator/testcaseFindings.test.js
 * (after `npx tsc -p .`) and review `git diff` of the file.
 */

interface Entry {
  text: string;
  /** Answers of the fileExists callback by path; absent: paths are not checked. */
  fileExists?: Record<string, boolean>;
  findings: Finding[];
}

const SNAPSHOT = path.resolve(__dirname, '../../../../../test/fixtures/testcases/findings.snapshot.json');

function run(e: Omit<Entry, 'findings'>): Finding[] {
  const answers = e.fileExists;
  const findings = validateTestText(
    e.text,
    answers
      ? {
          fileExists: (p) => {
            assert.ok(p in answers, `the validation asked whether ${p} exists, which the snapshot did not record`);
            return answers[p];
          },
        }
      : {},
  );
  return JSON.parse(JSON.stringify(findings)) as Finding[];
}

describe('core/emulator: test file findings, in full, for a corpus of broken test files', () => {
  const entries = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as Entry[];

  if (process.env.IOT_AUTHZ_UPDATE_SNAPSHOT === '1') {
    it('rewrites the snapshot', () => {
      fs.writeFileSync(SNAPSHOT, `${JSON.stringify(entries.map((e) => ({ ...e, findings: run(e) })), null, 1)}\n`);
    });
    return;
  }

  it('the corpus raises every test file code', () => {
    const seen = new Set(entries.flatMap((e) => e.findings.map((f) => f.code)));
    assert.deepEqual(
      Object.keys(TEST_CODES).filter((c) => !seen.has(c)),
      [],
    );
  });

  it('every file: the same findings as recorded', () => {
    for (const [i, e] of entries.entries()) {
      assert.deepEqual(run(e), e.findings, `entry ${i}: ${e.text.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
  });
});
