import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

describe('cli invoke: the ad-hoc form (no case file)', function () {
  this.timeout(60_000);
  const def = path.join(repo, 'examples', 'walkthrough.authorizer.json');
  let dir: string;
  before(() => {
    // A fresh copy without keys: --sign-with generates the pair the definition names, as a case would.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-invoke-'));
    fs.cpSync(path.join(repo, 'examples'), dir, { recursive: true, filter: (src) => !src.endsWith(`${path.sep}keys`) });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--token, --sign-with, --protocol, --header, --operation: same result as the equivalent case', async () => {
    const adHoc = await cli(['invoke', '--authorizer', 'walkthrough.authorizer.json', '--token', 'MyStringThatNeedsToBeSigned', '--sign-with', 'keys/walkthrough.private.pem',
      '--protocol', 'https', '--header', 'x-device: d1', '--operation', 'iot:Publish customAuthTestTopic', '--operation', 'iot:Publish some/other/topic', '--json'], dir);
    assert.equal(adHoc.code, 0, adHoc.err);
    const a = JSON.parse(adHoc.out);
    assert.deepEqual(a.generatedKeys.map((g: string) => path.relative(dir, g)).sort(), [path.join('keys', 'walkthrough.private.pem'), path.join('keys', 'walkthrough.public.pem')]);
    assert.equal(a.result.outcome, 'accepted');
    assert.deepEqual(a.result.decisions.map((d: { decision: string }) => d.decision), ['allow', 'deny']);
    assert.equal(a.result.event.protocolData.http.headers['x-device'], 'd1');
    const viaCase = JSON.parse((await cli(['invoke', '--authorizer', 'walkthrough.authorizer.json', '--case', 'walkthrough.authz-test.json', '--json'], dir)).out);
    assert.equal(viaCase.result.signature.valid, a.result.signature.valid);
    assert.equal(viaCase.result.principalId, a.result.principalId);
    // Text output: the same report as with --case.
    const text = await cli(['invoke', '--authorizer', 'walkthrough.authorizer.json', '--token', 'MyStringThatNeedsToBeSigned', '--sign-with', 'keys/walkthrough.private.pem', '--operation', 'iot:Publish customAuthTestTopic'], dir);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /customAuthTestTopic/);
  });

  it('--signature as the device sends it: a garbage one is rejected (exit 1)', async () => {
    const r = await cli(['invoke', '--authorizer', def, '--token', 'MyStringThatNeedsToBeSigned', '--signature', 'bm90IGEgc2lnbmF0dXJl', '--json'], dir);
    assert.equal(r.code, 1, r.err);
    assert.equal(JSON.parse(r.out).result.failure.code, 'SIGNATURE_INVALID');
  });

  it('mqtt with client id, username and password reaches the handler', async () => {
    const r = await cli(['invoke', '--authorizer', 'walkthrough-mqtt.authorizer.json', '--protocol', 'mqtt', '--client-id', 'walkthroughClient', '--username', 'walkthrough-device', '--password', 'example-password-not-a-secret', '--json'], dir);
    const out = JSON.parse(r.out);
    assert.equal(out.result.authenticated, true, r.out);
    assert.equal(out.result.event.protocolData.mqtt.clientId, 'walkthroughClient');
  });

  it('bad usage exits 2 with the reason: mixed forms, both signatures, bad protocol or header, --sign-with without a token', async () => {
    const base = ['invoke', '--authorizer', def];
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--case', 'walkthrough.authz-test.json', '--token', 'x'], /leave out --token/],
      [[...base, '--token', 'x', '--signature', 'a', '--sign-with', 'k.private.pem'], /not both/],
      [[...base, '--token', 'x', '--protocol', 'http'], /--protocol must be https, mqtt, wss/],
      [[...base, '--token', 'x', '--header', 'novalue'], /NAME:VALUE/],
      [[...base, '--sign-with', 'keys/walkthrough.private.pem'], /give --token too/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, re);
    }
  });
});
