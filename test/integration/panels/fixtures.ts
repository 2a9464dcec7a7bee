// Hand-built results for the results panel tests (no emulator run: the panel
// is tested on its own, with data shaped exactly like ConnectionResult).
import type { ConnectionInput } from '../../../src/core/emulator/event';
import type { ConnectionResult } from '../../../src/core/emulator/pipeline';
import type { PanelResult } from '../../../src/extension/panels/model';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
export const TOKEN = 'eyJkZXZpY2UiOiJkZXZpY2UtNDIifQ';
export const SIGNATURE = 'k3n1G2x+Q0Zr5mPq8yVw7tHc6bNf/ZuD1aEoSj4iLk9XhYv2M0RnTp3sUq8gWe5c==';
export const CORRECTED = 'k3n1G2x+Q0Zr5mPq8yVw7tHc6bNf/ZuD1aEoSj4iLk9XhYv2M0RnTp3sUq8gWe5d==';

export const POLICY_0 = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ConnectAsSelf', Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` },
    { Sid: 'PublishOwnTopics', Effect: 'Allow', Action: ['iot:Publish'], Resource: [`${ARN}:topic/devices/device-42/*`] },
  ],
};
export const POLICY_1 = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoAdmin', Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/admin/*` }],
};

export const RESPONSE = {
  isAuthenticated: true,
  principalId: 'device42',
  disconnectAfterInSeconds: 86400,
  refreshAfterInSeconds: 300,
  policyDocuments: [POLICY_0, POLICY_1],
};

export const ACCEPTED_INPUT: ConnectionInput = { protocol: 'mqtt', token: TOKEN, signature: SIGNATURE, clientId: 'device-42', password: 'hunter2' };

const USERNAME = `?x-amz-customauthorizer-name=my-authorizer&token=${encodeURIComponent(TOKEN)}&x-amz-customauthorizer-signature=${encodeURIComponent(SIGNATURE)}`;

export const PUBLISH_ALLOW_REASON = `iot:Publish on ${ARN}:topic/devices/device-42/telemetry is allowed by statement #2 (Sid PublishOwnTopics) of policy document #1 (Resource ${ARN}:topic/devices/device-42/*).`;
export const PUBLISH_DENY_REASON = `iot:Publish on ${ARN}:topic/admin/reboot is denied explicitly by statement #1 (Sid NoAdmin) of policy document #2 (Resource ${ARN}:topic/admin/*); an explicit Deny overrides any Allow.`;
/** The reasons as the decisions table shows them: no operation, no statement (their own columns), no ARN prefix. */
export const PUBLISH_ALLOW_SHOWN = 'Allowed: matches Resource topic/devices/device-42/*.';
export const PUBLISH_DENY_SHOWN = 'Explicit Deny: matches Resource topic/admin/*; it overrides any Allow.';

/** An accepted MQTT connection: connect allowed by doc 0 statement 0, publish allowed by doc 0 statement 1, one publish denied by doc 1 statement 0. */
export function acceptedResult(): ConnectionResult {
  const log = [
    { stream: 'stdout' as const, text: 'START RequestId: 1f0c7a52-9a57-4c55-9d1e-5a3f2d0e6b11\nchecking token for device-42\n' },
    { stream: 'stderr' as const, text: 'warning: token expires in 40 seconds\n' },
    { stream: 'stdout' as const, text: 'END RequestId: 1f0c7a52-9a57-4c55-9d1e-5a3f2d0e6b11\n' },
  ];
  return {
    outcome: 'accepted',
    summary: 'Accepted: authenticated as device42; 1/2 operation(s) allowed.',
    protocol: 'mqtt',
    authorizerName: 'my-authorizer',
    authenticated: true,
    connected: true,
    principalId: 'device42',
    steps: [
      { name: 'signature', status: 'passed', durationMs: 0.84, message: 'The signature verifies with key "key-2025".' },
      { name: 'event', status: 'passed', durationMs: 0.12, message: 'Event for mqtt: protocols ["tls","mqtt"].' },
      { name: 'handler', status: 'passed', durationMs: 91.5, message: 'The handler returned a result in 3.2 ms.' },
      { name: 'response', status: 'passed', durationMs: 1.3, message: 'Valid response: authenticated as device42. 1 finding(s) below error level.' },
      { name: 'connect', status: 'passed', durationMs: 0.2, message: `iot:Connect on ${ARN}:client/device-42 is allowed by statement #1 (Sid ConnectAsSelf) of policy document #1 (Resource ${ARN}:client/device-42).` },
      { name: 'decisions', status: 'passed', durationMs: 0.3, message: '1 of 2 operation(s) allowed by the policies.' },
    ],
    signature: { checked: true, valid: true, keyName: 'key-2025', message: 'The signature verifies with key "key-2025".' },
    event: {
      token: TOKEN,
      signatureVerified: true,
      protocols: ['tls', 'mqtt'],
      protocolData: {
        tls: { serverName: 'iot-authz-local-ats.iot.us-east-1.amazonaws.com' },
        mqtt: { username: USERNAME, password: Buffer.from('hunter2').toString('base64'), clientId: 'device-42' },
      },
      connectionMetadata: { id: '8b0a6b5e-3f1e-4f55-9f0e-0c1d2e3f4a5b' },
    },
    handler: {
      status: 'ok',
      message: 'The handler returned a result in 3.2 ms.',
      result: RESPONSE,
      rawResult: JSON.stringify(RESPONSE),
      durationMs: 3.2,
      wallMs: 91.5,
      timeoutMs: 5000,
      exitCode: 0,
      signal: null,
      requestId: '1f0c7a52-9a57-4c55-9d1e-5a3f2d0e6b11',
      logTruncated: false,
    },
    response: RESPONSE,
    responseText: JSON.stringify(RESPONSE, null, 2),
    responseFindings: [
      {
        code: 'RESPONSE_REFRESH_SHORT',
        severity: 'warning',
        message: 'refreshAfterInSeconds is 300: devices re-authorise every 5 minutes.',
        range: { start: 0, end: 1 },
        docsUrl: 'https://docs.aws.amazon.com/iot/latest/developerguide/config-custom-auth.html',
      },
    ],
    log,
    logText: log.map((c) => c.text).join(''),
    connect: {
      action: 'iot:Connect',
      input: 'device-42',
      resource: `${ARN}:client/device-42`,
      decision: 'allow',
      decidedBy: { document: 0, statement: 0, sid: 'ConnectAsSelf', effect: 'Allow' },
      reason: `iot:Connect on ${ARN}:client/device-42 is allowed by statement #1 (Sid ConnectAsSelf) of policy document #1 (Resource ${ARN}:client/device-42).`,
      matchedStatements: [],
      uncertain: false,
      notes: [],
    },
    decisions: [
      {
        action: 'iot:Publish',
        input: 'devices/device-42/telemetry',
        resource: `${ARN}:topic/devices/device-42/telemetry`,
        decision: 'allow',
        decidedBy: { document: 0, statement: 1, sid: 'PublishOwnTopics', effect: 'Allow' },
        reason: PUBLISH_ALLOW_REASON,
        matchedStatements: [],
        uncertain: false,
        notes: [],
      },
      {
        action: 'iot:Publish',
        input: 'admin/reboot',
        resource: `${ARN}:topic/admin/reboot`,
        decision: 'deny',
        decidedBy: { document: 1, statement: 0, sid: 'NoAdmin', effect: 'Deny' },
        reason: PUBLISH_DENY_REASON,
        matchedStatements: [],
        uncertain: false,
        notes: [],
      },
    ],
    refreshAfterInSeconds: 300,
    disconnectAfterInSeconds: 86400,
    totalMs: 97.4,
  };
}

export const BAD_SIGNATURE_INPUT: ConnectionInput = { protocol: 'https', token: TOKEN, signature: SIGNATURE, headers: { 'x-device': 'sensor' } };
export const SIGNATURE_MESSAGE =
  'The signature does not verify with key "key-2025": The signature was made over the token with a trailing newline. The Lambda is not invoked.';

/** Rejected at the signature step (HTTPS): no event, no handler, no decisions. */
export function signatureFailedResult(): ConnectionResult {
  return {
    outcome: 'rejected',
    summary: `Rejected at signature: ${SIGNATURE_MESSAGE}`,
    protocol: 'https',
    authorizerName: 'my-authorizer',
    authenticated: false,
    connected: false,
    failure: { step: 'signature', code: 'SIGNATURE_INVALID', message: SIGNATURE_MESSAGE },
    steps: [
      { name: 'signature', status: 'failed', durationMs: 2.1, message: SIGNATURE_MESSAGE },
      { name: 'event', status: 'skipped', durationMs: 0, message: 'Not reached.' },
      { name: 'handler', status: 'skipped', durationMs: 0, message: 'Not reached.' },
      { name: 'response', status: 'skipped', durationMs: 0, message: 'Not reached.' },
      { name: 'connect', status: 'skipped', durationMs: 0, message: 'Not reached.' },
      { name: 'decisions', status: 'skipped', durationMs: 0, message: 'Not reached.' },
    ],
    signature: {
      checked: true,
      valid: false,
      diagnosis: [
        {
          code: 'SIGNATURE_OVER_NEWLINE',
          message: 'The signature was made over the token with a trailing newline: sign the token without it.',
          correctedSignature: CORRECTED,
          keyName: 'key-2025',
        },
      ],
      correctedSignature: CORRECTED,
      message: SIGNATURE_MESSAGE,
    },
    responseFindings: [],
    log: [],
    logText: '',
    decisions: [],
    totalMs: 2.6,
  };
}

/** What TestInvokeAuthorizer gives: no signature step, no event, no log; policy documents as JSON strings. */
export function awsResult(): PanelResult {
  const ARN_ = ARN;
  return {
    outcome: 'accepted',
    summary: 'AWS: authenticated as device42.',
    authorizerName: 'my-authorizer',
    authenticated: true,
    principalId: 'device42',
    response: {
      isAuthenticated: true,
      principalId: 'device42',
      policyDocuments: [JSON.stringify(POLICY_0), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN_}:topic/admin/*` }] })],
      refreshAfterInSeconds: 300,
      disconnectAfterInSeconds: 86400,
    },
    decisions: [
      { ...acceptedResult().decisions[0] },
      {
        ...acceptedResult().decisions[1],
        decision: 'allow',
        decidedBy: { document: 1, statement: 0, effect: 'Allow' },
        reason: `iot:Publish on ${ARN_}:topic/admin/reboot is allowed by statement #1 of policy document #2.`,
      },
    ],
    refreshAfterInSeconds: 300,
    disconnectAfterInSeconds: 86400,
  };
}
