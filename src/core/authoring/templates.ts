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
}

/** A new document of a kind, every field filled with a sensible, valid example. */
export function templateFor(kind: DocumentKind, o: TemplateOptions = {}): string {
  const region = o.region ?? 'us-east-1';
  const account = o.account ?? '123456789012';
  const arn = (t: string) => `arn:aws:iot:${region}:${account}:${t}`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/${iot:ClientId}') },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: arn('topic/devices/${iot:ClientId}/*') },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter/devices/${iot:ClientId}/*') },
    ],
  };
  let doc: unknown;
  switch (kind) {
    case 'response':
      doc = {
        isAuthenticated: true,
        principalId: 'device123',
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
        tokenSigningPublicKeys: { key1: { path: 'keys/dev.public.pem' } },
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
