import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthzError } from '../../../src/core/errors';
import { MAX_JSON_FILE_BYTES, readJsonFile } from '../../../src/core/files';

function rejects(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof AuthzError && e.code === code && message.test(e.display));
}

describe('readJsonFile: size-capped, clear messages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-json-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const f = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('reads valid JSON (a byte order mark is ignored)', () => {
    assert.deepEqual(readJsonFile(f('ok.json', '\uFEFF{"a": [1, 2]}'), 'test case'), { a: [1, 2] });
  });
  it('missing file', () => rejects(() => readJsonFile(path.join(dir, 'nope.json'), 'test case'), 'FILE_NOT_FOUND', /The test case file .*nope\.json does not exist\. Check the path/));
  it('a directory', () => rejects(() => readJsonFile(dir, 'test case'), 'FILE_UNREADABLE', /is a directory, not a test case file/));
  it('too large: refused before reading', () => {
    const p = f('big.json', `[${'1,'.repeat(MAX_JSON_FILE_BYTES / 2 + 10)}1]`);
    rejects(() => readJsonFile(p, 'policies'), 'FILE_TOO_LARGE', /over the 1 MB limit/);
  });
  it('invalid JSON: line and column of the first error', () => {
    rejects(() => readJsonFile(f('bad.json', '{\n  "a": 1,\n  "b": }\n'), 'policies'), 'FILE_INVALID_JSON', /bad\.json is not valid JSON: a value is expected at line 3, column 8\. Fix the JSON syntax/);
    rejects(() => readJsonFile(f('comment.json', '{"a": 1 // no\n}'), 'policies'), 'FILE_INVALID_JSON', /line 1, column 9/);
    rejects(() => readJsonFile(f('empty.json', '  \n'), 'policies'), 'FILE_INVALID_JSON', /is empty/);
  });
  it('jsonc: comments and trailing commas accepted on request', () => {
    assert.deepEqual(readJsonFile(f('c.json', '{"a": 1, // x\n}'), 'definition', { jsonc: true }), { a: 1 });
  });
});
