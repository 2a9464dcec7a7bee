import * as assert from 'node:assert/strict';
import { formatConnectionResult, formatTestRun } from '../../../../src/core/emulator/report';
import { ConnectionResult } from '../../../../src/core/emulator/pipeline';
import { TestRunSummary } from '../../../../src/core/emulator/testcases/runner';

// The plain-text reports of `iot-authz invoke` and `iot-authz test` (and the
// extension's output channel), in full.
describe('core/emulator report: the plain-text renderings', () => {
  it('a test run: generated keys, passes and failures with their reasons, a file that failed, a file with no case, the verdict', () => {
    const s = {
      files: [
        {
          file: '/w/a.authz-test.json',
          generatedKeys: ['/w/keys/k.private.pem'],
          cases: [
            { name: 'allowed', passed: true, durationMs: 12.4, failures: [] },
            { name: 'denied', passed: false, durationMs: 7.6, error: 'handler crashed', failures: ['expected connected true, got false', 'log lacks "hi"'] },
          ],
        },
        { file: '/w/b.authz-test.json', generatedKeys: [], error: 'not valid JSON', cases: [] },
        { file: '/w/c.authz-test.json', generatedKeys: [], cases: [] },
      ],
      total: 2,
      passed: 1,
      failed: 1,
      durationMs: 1234,
    } as unknown as TestRunSummary;
    assert.equal(formatTestRun(s, (f) => f.replace('/w/', '')), "a.authz-test.json\n  (generated keys/k.private.pem)\n  ok   allowed (12 ms)\n  FAIL denied (8 ms)\n       error: handler crashed\n       - expected connected true, got false\n       - log lacks \"hi\"\nb.authz-test.json\n  FAIL not valid JSON\nc.authz-test.json\n\nc.authz-test.json: holds no case.\nFAILED: 1 passed, 1 failed, 2 total in 3 files (1.23 s)\n");
  });

  it('the verdict when nothing ran, and when all passed (one file: no plural)', () => {
    const empty = { files: [{ file: 'x.json', generatedKeys: [], cases: [] }], total: 0, passed: 0, failed: 0, durationMs: 5 } as unknown as TestRunSummary;
    assert.equal(formatTestRun(empty), "x.json\n\nx.json: holds no case.\nNO CASES RAN: 0 passed, 0 failed, 0 total in 1 file (0.01 s)\n");
    const ok = { files: [{ file: 'x.json', generatedKeys: [], cases: [{ name: 'c', passed: true, durationMs: 1, failures: [] }] }], total: 1, passed: 1, failed: 0, durationMs: 10 } as unknown as TestRunSummary;
    assert.equal(formatTestRun(ok), "x.json\n  ok   c (1 ms)\n\nPASSED: 1 passed, 0 failed, 1 total in 1 file (0.01 s)\n");
  });

  const result = {
    outcome: 'rejected',
    authorizerName: 'fleet',
    protocol: 'mqtt',
    summary: 'The handler answered isAuthenticated: false.',
    steps: [
      { name: 'signature', status: 'passed', durationMs: 0.42, message: 'Valid.' },
      { name: 'handler', status: 'failed', durationMs: 12.345, message: 'Crashed.' },
      { name: 'connect', status: 'skipped', message: 'Not reached.' },
    ],
    signature: { checked: true, message: '', diagnosis: [{ code: 'SIGNATURE_WHITESPACE', message: 'Trim it.' }] },
    event: { token: 't' },
    logText: 'line1\n\u001b[31mred\n',
    handler: { error: { stack: ['Error: x\n', '    at f\n'] } },
    response: { isAuthenticated: false },
    responseText: '{\n  "isAuthenticated": false\n}',
    responseFindings: [{ severity: 'warning', code: 'RESPONSE_X', message: 'Hmm.' }],
    connect: { resource: 'arn:aws:iot:us-east-1:1:client/d1', decision: 'deny', reason: 'No statement allows it.' },
    decisions: [
      { decision: 'allow', action: 'iot:Publish', resource: 'arn:x:topic/a', reason: 'Allowed.', notes: ['n1'] },
      { decision: 'deny', action: 'iot:Subscribe', resource: 'arn:x:topicfilter/b', reason: 'Denied.', notes: [] },
    ],
  };

  it('a connection: steps with times, diagnosis, event, log (escape sequences shown, not obeyed), stack, response, findings, iot:Connect, operations', () => {
    assert.equal(formatConnectionResult(result as unknown as ConnectionResult), "REJECTED  fleet over mqtt: The handler answered isAuthenticated: false.\n\n  ok   signature      0.4 ms  Valid.\n  FAIL handler       12.3 ms  Crashed.\n  --   connect                Not reached.\n\nSignature diagnosis:\n  - SIGNATURE_WHITESPACE: Trim it.\n\nEvent sent to the Lambda:\n    {\n      \"token\": \"t\"\n    }\n\nLambda log:\n    line1\n    \\x1b[31mred\n\nStack:\n    Error: x\n        at f\n\nResponse:\n    {\n      \"isAuthenticated\": false\n    }\n\nResponse findings:\n  warning RESPONSE_X: Hmm.\n\niot:Connect arn:aws:iot:us-east-1:1:client/d1: DENY (No statement allows it.)\n\nOperations:\n  ALLOW iot:Publish arn:x:topic/a\n        Allowed.\n        note: n1\n  DENY  iot:Subscribe arn:x:topicfilter/b\n        Denied.\n");
  });

  it('a connection with nothing but its summary', () => {
    const bare = { ...result, outcome: 'accepted', signature: { checked: false, message: '' }, event: undefined, logText: '', handler: undefined, response: undefined, responseText: undefined, responseFindings: [], connect: undefined, decisions: [], steps: [] };
    assert.equal(formatConnectionResult(bare as unknown as ConnectionResult), "ACCEPTED  fleet over mqtt: The handler answered isAuthenticated: false.\n\n");
  });
});
