import { DocumentKind } from './types';

/** Suggested file names for new documents. */
export const TEMPLATE_FILE_NAMES: Readonly<Record<DocumentKind, string>> = {
  response: 'example.authorizer-response.json',
  policy: 'device.iot-policy.json',
  authorizer: 'my-authorizer.authorizer.json',
};

export interface TemplateOptions {
  region?: string;
  account?: string;
  /**
   * Authorizer definitions: the public key file, relative to the definition. Default
   * keys/dev.public.pem, marked generateOnFirstUse (a test pair the first local run makes).
   */
  keyPath?: string;
}

/** A new document of a kind, every field filled with a sensible, valid example. */
export function templateFor(kind: DocumentKind, o: TemplateOptions = {}): string {
  const region = o.region ?? 'us-east-1';
  const account = o.account ?? '123456789012';
  const arn = (t: string) => `arn:aws:iot:${region}:${account}:${t}`;
  // One device's own client id and topics: ${iot:ClientId} in a topic filter would widen to every
  // topic for a client that connects as "+" or "#" (IOT_CLIENTID_IN_TOPICFILTER).
  const device = 'device123';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${device}`) },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: arn(`topic/devices/${device}/*`) },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn(`topicfilter/devices/${device}/*`) },
    ],
  };
  let doc: unknown;
  switch (kind) {
    case 'response':
      doc = {
        isAuthenticated: true,
        principalId: device,
        disconnectAfterInSeconds: 86400,
        refreshAfterInSeconds: 300,
        policyDocuments: [policy],
      };
      break;
    case 'policy':
      doc = policy;
      break;
    case 'authorizer':
      doc = {
        authorizerName: 'MyAuthorizer',
        authorizerFunctionArn: `arn:aws:lambda:${region}:${account}:function:my-authorizer`,
        tokenKeyName: 'x-token',
        tokenSigningPublicKeys: { key1: o.keyPath ? { path: o.keyPath } : { path: 'keys/dev.public.pem', generateOnFirstUse: true } },
        status: 'ACTIVE',
        signingDisabled: false,
        enableCachingForHttp: false,
        tags: [{ Key: 'project', Value: 'iot-authz' }],
        region,
        account,
        handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler', timeoutSeconds: 5, environment: { LOG_LEVEL: 'info' } },
      };
      break;
  }
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * A handler that answers like the walkthrough's: the token in EXPECTED_TOKEN (from the
 * definition's handler.environment) is authenticated with a policy for one device. With
 * signing enabled IoT Core has refused a bad signature before calling it.
 */
export function handlerTemplate(runtime: 'nodejs' | 'python', functionName = runtime === 'python' ? 'lambda_handler' : 'handler'): string {
  if (runtime === 'python') {
    return [
      '"""Custom authorizer handler: authenticates the token in EXPECTED_TOKEN."""',
      'import os',
      '',
      '',
      `def ${functionName}(event, context):`,
      '    if event.get("token") != os.environ.get("EXPECTED_TOKEN", "allow"):',
      '        return {"isAuthenticated": False, "principalId": "unknown", "policyDocuments": [],',
      '                "disconnectAfterInSeconds": 300, "refreshAfterInSeconds": 300}',
      '    _, _, _, region, account = context.invoked_function_arn.split(":")[:5]',
      '    arn = "arn:aws:iot:%s:%s:" % (region, account)',
      '    return {',
      '        "isAuthenticated": True,',
      '        "principalId": "device123",',
      '        "disconnectAfterInSeconds": 86400,',
      '        "refreshAfterInSeconds": 300,',
      '        "policyDocuments": [{"Version": "2012-10-17", "Statement": [',
      '            {"Effect": "Allow", "Action": "iot:Connect", "Resource": arn + "client/device123"},',
      '            {"Effect": "Allow", "Action": "iot:Publish", "Resource": arn + "topic/devices/device123/*"},',
      '        ]}],',
      '    }',
      '',
    ].join('\n');
  }
  return [
    "// Custom authorizer handler: authenticates the token in EXPECTED_TOKEN.",
    "'use strict';",
    '',
    `exports.${functionName} = async (event, context) => {`,
    "  if (event.token !== (process.env.EXPECTED_TOKEN || 'allow')) {",
    "    return { isAuthenticated: false, principalId: 'unknown', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };",
    '  }',
    "  const [, , , region, account] = context.invokedFunctionArn.split(':');",
    '  const arn = `arn:aws:iot:${region}:${account}:`;',
    '  return {',
    '    isAuthenticated: true,',
    "    principalId: 'device123',",
    '    disconnectAfterInSeconds: 86400,',
    '    refreshAfterInSeconds: 300,',
    '    policyDocuments: [{',
    "      Version: '2012-10-17',",
    '      Statement: [',
    "        { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}client/device123` },",
    "        { Effect: 'Allow', Action: 'iot:Publish', Resource: `${arn}topic/devices/device123/*` },",
    '      ],',
    '    }],',
    '  };',
    '};',
    '',
  ].join('\n');
}
