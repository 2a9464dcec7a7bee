import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from './simulate.test';

const repo = path.resolve(__dirname, '../../../..');

describe('cli invoke: bad input', () => {
  it('exit 2 for an unknown case name', async () => {
    const r = await cli(['invoke', '--authorizer', 'examples/walkthrough.authorizer.json', '--case', 'examples/walkthrough.authz-test.json', '--name', 'nope'], repo);
    assert.equal(r.code, 2);
    assert.match(r.err, /No case named "nope"/);
  });
  it('exit 2 without --case', async () => {
    assert.equal((await cli(['invoke', '--authorizer', 'examples/walkthrough.authorizer.json'], repo)).code, 2);
  });
});
