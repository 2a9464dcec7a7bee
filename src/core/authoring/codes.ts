import { Severity } from './types';

const GUIDE = 'https://docs.aws.amazon.com/iot/latest/developerguide';
const DOC = {
  response: `${GUIDE}/config-custom-auth.html#custom-auth-lambda`,
  policies: `${GUIDE}/iot-policies.html`,
  actions: `${GUIDE}/iot-policy-actions.html`,
  resources: `${GUIDE}/iot-action-resources.html`,
  pubsub: `${GUIDE}/pub-sub-policy.html`,
  variables: `${GUIDE}/iot-policy-variables.html`,
  basicVariables: `${GUIDE}/basic-policy-variables.html`,
  thingVariables: `${GUIDE}/thing-policy-variables.html`,
  certVariables: `${GUIDE}/cert-policy-variables.html`,
  iamElements: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html',
  iamVersion: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html',
  arns: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  createAuthorizer: 'https://docs.aws.amazon.com/iot/latest/apireference/API_CreateAuthorizer.html',
  configAuth: `${GUIDE}/config-custom-auth.html`,
  json: 'https://www.rfc-editor.org/rfc/rfc8259',
};

export interface CodeInfo {
  readonly severity: Severity;
  readonly docsUrl: string;
  /** One line: what the rule checks. */
  readonly title: string;
}

/**
 * Every diagnostic code, its default severity and its explanation link.
 * Codes are stable: tools and settings refer to them. Add, never rename.
 */
export const CODES = {
  JSON_SYNTAX: { severity: 'error', docsUrl: DOC.json, title: 'The text is not valid JSON.' },
  JSON_DUPLICATE_KEY: { severity: 'warning', docsUrl: DOC.json, title: 'A key appears twice in one object; only the last one counts.' },
  JSON_NOT_OBJECT: { severity: 'error', docsUrl: DOC.json, title: 'The document must be a JSON object.' },
  JSON_TOO_DEEP: { severity: 'error', docsUrl: DOC.json, title: 'The JSON nests deeper than any valid document (64 levels), so it is not checked further.' },
  JSON_INVALID_UTF8: { severity: 'error', docsUrl: DOC.json, title: 'The file is not valid UTF-8 (AWS requires UTF-8 JSON).' },
  DOCUMENT_TOO_LARGE_TO_CHECK: { severity: 'error', docsUrl: DOC.response, title: 'The text is far larger than any valid document of its kind, so it is not checked further.' },
  INTERNAL_RULE_ERROR: { severity: 'error', docsUrl: DOC.configAuth, title: 'A check crashed on this document (a bug in the extension): its findings are missing, so the document is not known to be valid.' },

  RESPONSE_IS_AUTHENTICATED_MISSING: { severity: 'error', docsUrl: DOC.response, title: 'isAuthenticated is required.' },
  RESPONSE_FIELD_TYPE: { severity: 'error', docsUrl: DOC.response, title: 'A response field has the wrong JSON type.' },
  RESPONSE_PRINCIPAL_ID_INVALID: { severity: 'error', docsUrl: DOC.response, title: 'principalId must be 1 to 128 letters and digits.' },
  RESPONSE_PRINCIPAL_ID_MISSING: { severity: 'warning', docsUrl: DOC.response, title: 'An authenticated response should carry a principalId.' },
  RESPONSE_TIME_OUT_OF_RANGE: { severity: 'error', docsUrl: DOC.response, title: 'refreshAfterInSeconds and disconnectAfterInSeconds must be 300 to 86400.' },
  RESPONSE_TIME_NOT_INTEGER: { severity: 'error', docsUrl: DOC.response, title: 'refreshAfterInSeconds and disconnectAfterInSeconds must be integers.' },
  RESPONSE_TOO_MANY_DOCUMENTS: { severity: 'error', docsUrl: DOC.response, title: 'At most 10 policy documents.' },
  RESPONSE_DOCUMENT_TOO_LARGE: { severity: 'error', docsUrl: DOC.response, title: 'A policy document has at most 2048 characters.' },
  RESPONSE_DOCUMENT_TYPE: { severity: 'error', docsUrl: DOC.response, title: 'A policy document is an object or a JSON string.' },
  RESPONSE_DOCUMENT_INVALID_JSON: { severity: 'error', docsUrl: DOC.response, title: 'A policy document given as a string is not valid JSON.' },
  RESPONSE_DOCUMENTS_WHEN_UNAUTHENTICATED: { severity: 'warning', docsUrl: DOC.response, title: 'policyDocuments are ignored when isAuthenticated is false.' },
  RESPONSE_NO_DOCUMENTS: { severity: 'warning', docsUrl: DOC.response, title: 'An authenticated response without policy documents allows nothing.' },
  RESPONSE_UNKNOWN_FIELD: { severity: 'info', docsUrl: DOC.response, title: 'A field IoT Core does not read.' },

  POLICY_VERSION_INVALID: { severity: 'error', docsUrl: DOC.iamVersion, title: 'Version must be "2012-10-17".' },
  POLICY_VERSION_MISSING: { severity: 'warning', docsUrl: DOC.iamVersion, title: 'Version "2012-10-17" is missing (policy variables need it).' },
  POLICY_STATEMENT_MISSING: { severity: 'error', docsUrl: DOC.policies, title: 'A policy needs a Statement.' },
  POLICY_STATEMENT_EMPTY: { severity: 'error', docsUrl: DOC.policies, title: 'Statement is empty: the policy allows nothing.' },
  POLICY_STATEMENT_TYPE: { severity: 'error', docsUrl: DOC.iamElements, title: 'A statement must be an object; Statement an array.' },
  POLICY_EFFECT_INVALID: { severity: 'error', docsUrl: DOC.iamElements, title: 'Effect must be "Allow" or "Deny".' },
  POLICY_ACTION_MISSING: { severity: 'error', docsUrl: DOC.iamElements, title: 'A statement needs exactly one of Action and NotAction.' },
  POLICY_RESOURCE_MISSING: { severity: 'error', docsUrl: DOC.iamElements, title: 'A statement needs exactly one of Resource and NotResource.' },
  POLICY_ELEMENT_TYPE: { severity: 'error', docsUrl: DOC.iamElements, title: 'Action and Resource take a string or a non-empty array of strings.' },
  POLICY_UNKNOWN_FIELD: { severity: 'warning', docsUrl: DOC.policies, title: 'A field AWS IoT policies do not have (e.g. Principal).' },

  IOT_ACTION_UNKNOWN: { severity: 'error', docsUrl: DOC.actions, title: 'Not an AWS IoT action.' },
  IOT_ACTION_CASE: { severity: 'warning', docsUrl: DOC.actions, title: 'An AWS IoT action spelled with different letter case.' },
  IOT_ACTION_PATTERN_MATCHES_NOTHING: { severity: 'warning', docsUrl: DOC.actions, title: 'A wildcard action that matches no AWS IoT action.' },
  IOT_ACTION_FOREIGN_SERVICE: { severity: 'warning', docsUrl: DOC.actions, title: 'An action of another service: AWS IoT ignores it.' },
  IOT_ALLOW_ALL_ACTIONS: { severity: 'warning', docsUrl: DOC.policies, title: 'Allow on every action.' },
  IOT_ALLOW_ALL_RESOURCES: { severity: 'warning', docsUrl: DOC.policies, title: 'Allow on every resource.' },
  IOT_RESOURCE_TYPE_MISMATCH: { severity: 'warning', docsUrl: DOC.resources, title: "A resource whose type none of the statement's actions uses." },
  IOT_STATEMENT_NEVER_MATCHES: { severity: 'error', docsUrl: DOC.resources, title: "No resource of the statement can match any of its actions: the statement has no effect." },
  IOT_MQTT_WILDCARD_IN_TOPIC: { severity: 'warning', docsUrl: DOC.pubsub, title: 'MQTT + and # are literal characters in a topic/ resource.' },
  IOT_MQTT_WILDCARD_IN_TOPICFILTER: { severity: 'info', docsUrl: DOC.pubsub, title: 'MQTT + and # in a topicfilter/ resource match only that literal filter.' },
  IOT_POLICY_WILDCARD_IN_TOPICFILTER: { severity: 'hint', docsUrl: DOC.pubsub, title: 'Policy wildcards * and ? in a topicfilter/ resource are not MQTT wildcards.' },
  IOT_CLIENTID_IN_TOPICFILTER: { severity: 'info', docsUrl: DOC.basicVariables, title: '${iot:ClientId} in a topic filter: a client id of + or # widens it.' },

  ARN_MALFORMED: { severity: 'error', docsUrl: DOC.arns, title: 'Not an ARN of the form arn:partition:iot:region:account:type/name.' },
  ARN_PARTITION_INVALID: { severity: 'error', docsUrl: DOC.arns, title: 'The ARN partition must be aws, aws-cn or aws-us-gov.' },
  ARN_SERVICE_NOT_IOT: { severity: 'error', docsUrl: DOC.resources, title: 'AWS IoT policy resources are iot ARNs.' },
  ARN_REGION_INVALID: { severity: 'error', docsUrl: DOC.arns, title: 'The ARN region is not a region name.' },
  ARN_ACCOUNT_INVALID: { severity: 'error', docsUrl: DOC.arns, title: 'The ARN account must be 12 digits.' },
  ARN_RESOURCE_TYPE_UNKNOWN: { severity: 'error', docsUrl: DOC.resources, title: 'Not an AWS IoT resource type.' },
  ARN_REGION_INCONSISTENT: { severity: 'warning', docsUrl: DOC.resources, title: 'ARNs in one document name different regions.' },
  ARN_ACCOUNT_INCONSISTENT: { severity: 'warning', docsUrl: DOC.resources, title: 'ARNs in one document name different accounts.' },

  POLICY_VARIABLE_UNKNOWN: { severity: 'warning', docsUrl: DOC.variables, title: 'Not an AWS IoT policy variable.' },
  POLICY_VARIABLE_UNTERMINATED: { severity: 'warning', docsUrl: DOC.variables, title: 'A policy variable without its closing }.' },
  POLICY_VARIABLE_UNAVAILABLE: { severity: 'warning', docsUrl: DOC.certVariables, title: 'A variable that never resolves on a custom-authorizer connection.' },
  POLICY_VARIABLE_THING: { severity: 'info', docsUrl: DOC.thingVariables, title: 'Thing variables resolve only when the client id is a registered thing name.' },

  POLICY_NO_CONNECT: { severity: 'info', docsUrl: DOC.actions, title: 'No statement allows iot:Connect: MQTT and WebSocket connections are refused.' },

  AUTHORIZER_FIELD_MISSING: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'A required authorizer field is missing.' },
  AUTHORIZER_FIELD_TYPE: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'An authorizer field has the wrong JSON type.' },
  AUTHORIZER_UNKNOWN_FIELD: { severity: 'warning', docsUrl: DOC.createAuthorizer, title: 'A field the authorizer definition does not have.' },
  AUTHORIZER_NAME_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'authorizerName: 1 to 128 of letters, digits, _ = , @ -.' },
  AUTHORIZER_FUNCTION_ARN_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'authorizerFunctionArn must be a Lambda function ARN.' },
  AUTHORIZER_TOKEN_KEY_NAME_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'tokenKeyName: 1 to 128 of letters, digits, _ -.' },
  AUTHORIZER_SIGNING_FIELDS_REQUIRED: { severity: 'error', docsUrl: DOC.configAuth, title: 'tokenKeyName and tokenSigningPublicKeys are required unless signingDisabled.' },
  AUTHORIZER_SIGNING_FIELDS_UNUSED: { severity: 'info', docsUrl: DOC.configAuth, title: 'signingDisabled: the token key name and keys are not used.' },
  AUTHORIZER_KEY_NAME_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'A key name: 1 to 128 of letters, digits, : _ -.' },
  AUTHORIZER_KEY_VALUE_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'A key is an inline PEM, a path to a .pem file, {"path"} or {"pem"}.' },
  AUTHORIZER_KEY_PRIVATE: { severity: 'error', docsUrl: DOC.configAuth, title: 'A private key where a public key belongs.' },
  AUTHORIZER_KEY_FILE_MISSING: { severity: 'error', docsUrl: DOC.configAuth, title: 'The key file does not exist.' },
  AUTHORIZER_STATUS_INVALID: { severity: 'error', docsUrl: DOC.createAuthorizer, title: 'status must be ACTIVE or INACTIVE.' },
  AUTHORIZER_REGION_INVALID: { severity: 'error', docsUrl: DOC.arns, title: 'region is not a region name.' },
  AUTHORIZER_ACCOUNT_INVALID: { severity: 'error', docsUrl: DOC.arns, title: 'account must be 12 digits.' },
  AUTHORIZER_REGION_MISMATCH: { severity: 'warning', docsUrl: DOC.configAuth, title: "The function ARN's region or account differs from the definition's." },
  AUTHORIZER_HANDLER_INVALID: { severity: 'error', docsUrl: DOC.configAuth, title: 'The local handler settings are incomplete or wrong.' },
  AUTHORIZER_HANDLER_TIMEOUT: { severity: 'error', docsUrl: DOC.configAuth, title: 'IoT Core gives the authorizer Lambda at most 5 seconds.' },
  AUTHORIZER_HANDLER_FILE_MISSING: { severity: 'warning', docsUrl: DOC.configAuth, title: 'The handler file does not exist.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
export const ALL_CODES = Object.keys(CODES) as Code[];
