import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeTestFile } from '../../../../src/core/emulator';
import { connectionDefaultsFromCases } from '../../../../src/core/emulator/testcases/byDefinition';

const examples = path.resolve(__dirname, '../../../../../examples');
const casesOf = (file: string) => normalizeTestFile(JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')));

describe('core/emulator connectionDefaultsFromCases: what Run Locally prefills', () => {
  it("the walkthrough's token; the MQTT walkthrough's client id and user name", () => {
    assert.deepEqual(connectionDefaultsFromCases(casesOf('walkthrough.authz-test.json'), 'https'), { token: 'MyStringThatNeedsToBeSigned' });
    assert.deepEqual(connectionDefaultsFromCases(casesOf('walkthrough-mqtt.authz-test.json'), 'mqtt'), { clientId: 'walkthroughClient', username: 'walkthrough-device' });
  });

  it('prefers a case expected to be accepted, and the protocol asked for; falls back to other protocols', () => {
    const cases = normalizeTestFile({
      cases: [
        { name: 'bad', token: 'wrong', clientId: 'c-bad', expect: { authenticated: false } },
        { name: 'https', protocol: 'https', token: 'https-tok' },
        { name: 'good', protocol: 'mqtt', token: 'right', clientId: 'c-good' },
      ],
    });
    assert.deepEqual(connectionDefaultsFromCases(cases, 'mqtt'), { token: 'right', clientId: 'c-good' });
    assert.deepEqual(connectionDefaultsFromCases(cases, 'https'), { token: 'https-tok', clientId: 'c-bad' });
    assert.deepEqual(connectionDefaultsFromCases([], 'wss'), {});
  });
});
