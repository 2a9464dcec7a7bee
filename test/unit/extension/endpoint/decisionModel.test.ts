import * as assert from 'node:assert/strict';
import type { DecisionRecord } from '../../../../src/core/endpoint';
import type { ConnectionResult } from '../../../../src/core/emulator/pipeline';
import { decisionResultsModel, operationDecision } from '../../../../src/extension/endpoint/decisionModel';
import { toPayload } from '../../../../src/extension/panels/model';

const ARN = 'arn:aws:iot:us-east-1:123456789012';

const chain = (): ConnectionResult =>
  ({
    outcome: 'accepted',
    summary: 'Connected',
    protocol: 'mqtt',
    authorizerName: 'auth',
    authenticated: true,
    connected: true,
    principalId: 'p1',
    steps: [],
    signature: { checked: true, valid: true, message: 'ok' },
    response: { isAuthenticated: true, principalId: 'p1', policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/a/*` }] }] },
    responseFindings: [],
    log: [],
    logText: '',
    connect: { action: 'iot:Connect', input: 'dev1', resource: `${ARN}:client/dev1`, decision: 'allow', reason: 'ok', matchedStatements: [], uncertain: false, notes: [] },
    decisions: [],
    totalMs: 3,
  }) as ConnectionResult;

function record(over: Partial<DecisionRecord>): DecisionRecord {
  return { seq: 1, time: 0, connectionId: 'c1', clientId: 'dev1', principalId: 'p1', protocol: 'mqtt', authorizerName: 'auth', kind: 'publish', allowed: true, reason: 'Allowed.', ...over };
}

describe('extension/endpoint decisionModel', () => {
  it('a publish shows its connection chain with only that decision, so the panel selects its deciding statement', () => {
    const evaluation = { decision: 'allow' as const, decidedBy: { document: 0, statement: 0, effect: 'Allow' as const }, reason: 'Allowed by statement 1.', matchedStatements: [], uncertain: false, notes: ['n'] };
    const d = record({ action: 'iot:Publish', resource: `${ARN}:topic/a/b`, target: 'a/b', evaluation, decidedBy: evaluation.decidedBy });
    const model = decisionResultsModel(d, chain());
    assert.equal(model.source, 'endpoint');
    assert.equal(model.title, 'dev1: publish a/b allowed (local endpoint)');
    assert.equal(model.result.decisions?.length, 1);
    assert.deepEqual(model.result.decisions?.[0], { action: 'iot:Publish', input: 'a/b', resource: `${ARN}:topic/a/b`, ...evaluation });
    assert.equal(model.result.connect?.decision, 'allow', 'the chain (connect, response) is kept');
    const payload = toPayload(model);
    assert.equal(payload.sourceLabel, 'Local IoT endpoint');
    assert.equal(payload.policies.length, 1);
    assert.equal(payload.decisionTexts.decisions[0].resource, 'topic/a/b');
  });

  it('a connect shows its own chain unchanged', () => {
    const own = chain();
    const model = decisionResultsModel(record({ kind: 'connect', action: 'iot:Connect', resource: `${ARN}:client/dev1`, result: own }), undefined);
    assert.equal(model.result, own);
    assert.match(model.title!, /connect dev1 allowed/);
  });

  it('without an evaluation or a chain, the decision is rebuilt from the record (a deny with no statement)', () => {
    const d = record({ kind: 'subscribe', action: 'iot:Subscribe', resource: `${ARN}:topicfilter/x/#`, target: 'x/#', allowed: false, reason: 'No statement allows it.' });
    assert.deepEqual(operationDecision(d), { action: 'iot:Subscribe', input: 'x/#', resource: `${ARN}:topicfilter/x/#`, decision: 'deny', reason: 'No statement allows it.', matchedStatements: [], uncertain: false, notes: [] });
    const model = decisionResultsModel(d, undefined);
    assert.equal(model.result.outcome, 'rejected');
    assert.equal(model.result.decisions?.[0].decision, 'deny');
    assert.match(model.title!, /subscribe x\/# denied/);
  });

  it('a disconnect has no operation: the chain with the reason as its summary', () => {
    const model = decisionResultsModel(record({ kind: 'disconnect', allowed: false, reason: 'disconnectAfterInSeconds reached.' }), chain());
    assert.deepEqual(model.result.decisions, []);
    assert.match(model.result.summary!, /disconnectAfterInSeconds reached/);
    assert.match(model.title!, /disconnect closed/);
  });
});
