import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from './simulate.test';

const repo = path.resolve(__dirname, '../../../..');

describe('cli test and invoke', function () {
  this.timeout(60_000);

  it('iot-authz test examples passes with a summary line', async () => {
    const r = await cli(['test', 'examples'], repo);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /examples\/walkthrough\.authz-test\.json\n/);
    assert.match(r.out, /\nPASSED: 7 passed, 0 failed, 7 total in 2 files/);
  });

  it('--json gives the structured summary; a glob selects files', async () => {
    const r = await cli(['test', 'examples/*-mqtt.authz-test.json', '--json'], repo);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.files.length, 1);
    assert.equal(j.files[0].cases[0].result.failure.code, 'CONNECT_DENIED');
  });

  it('exit 2 when nothing is found', async () => {
    const r = await cli(['test', 'src'], repo);
    assert.equal(r.code, 2);
    assert.match(r.err, /No \*\.authz-test\.json files found/);
  });

  it('invoke prints every step of one case', async () => {
    const r = await cli(['invoke', '--authorizer', 'examples/walkthrough.authorizer.json', '--case', 'examples/walkthrough.authz-test.json'], repo);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^ACCEPTED {2}walkthrough-authorizer over https/);
    assert.match(r.out, /ok {3}signature .* verifies with key "FirstKey"/);
    assert.match(r.out, /Lambda log:\n {4}connection /);
    assert.match(r.out, /ALLOW iot:Publish arn:aws:iot:us-east-1:123456789012:topic\/customAuthTestTopic/);
  });

  it('invoke --name --json on a rejected case', async () => {
    const r = await cli(
      ['invoke', '--authorizer', 'examples/walkthrough.authorizer.json', '--case', 'examples/walkthrough.authz-test.json', '--name', 'a garbage signature is rejected before the Lambda', '--json'],
      repo,
    );
    assert.equal(r.code, 0, 'the case expects the rejection');
    const j = JSON.parse(r.out);
    assert.equal(j.result.failure.code, 'SIGNATURE_INVALID');
    assert.equal(j.result.handler, undefined);
  });
});
