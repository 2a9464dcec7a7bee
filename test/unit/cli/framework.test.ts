import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './simulate.test';

const repo = path.resolve(__dirname, '../../../..');

describe('cli framework: first-run details', () => {
  it('an unknown option names the closest known one', async () => {
    const r = await cli(['sign', '--key', 'k.pem', '--tokn', 'abc'], repo);
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown option '--tokn'\. Did you mean --token\?/);
    assert.match(r.err, /Usage:/);
  });

  it('an option far from every known one gets no guess', async () => {
    const r = await cli(['sign', '--zzzzzzzz'], repo);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.err, /Did you mean/);
  });

  it('`iot-authz version` prints the package version, as --version does (npx keeps --version for itself)', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    const word = await cli(['version'], repo);
    assert.equal(word.code, 0);
    assert.equal(word.out, `${pkg.version}\n`);
    assert.equal((await cli(['--version'], repo)).out, word.out);
  });
});
