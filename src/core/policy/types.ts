/** Types of the IoT policy evaluator. Indexes in results are 0-based; texts say "#1" for index 0. */

export type Effect = 'Allow' | 'Deny';

/** One value or a list, as the IAM grammar allows. */
export type OneOrMany<T> = T | T[];

export interface PolicyStatement {
  Sid?: string;
  Effect: Effect | string;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<string | number | boolean>>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: OneOrMany<PolicyStatement>;
}

/** What is known about the connection whose policies are evaluated. */
export interface PolicyContext {
  /** MQTT client id (`${iot:ClientId}`); absent for HTTPS publish. */
  clientId?: string;
  /** Client IP address (`aws:SourceIp`, conditions only). Unknown when absent. */
  sourceIp?: string;
  /**
   * Registry facts for thing policy variables (`${iot:Connection.Thing.*}`).
   * AWS takes the thing name from the client id (thing-policy-variables.md),
   * MQTT and WebSockets only. Without this, thing variables stay unresolved.
   */
  thing?: {
    thingName: string;
    thingTypeName?: string;
    attributes?: Record<string, string>;
    isAttached?: boolean;
  };
  /** Extra condition keys and values (lowercase or any case), e.g. {"aws:CurrentTime": "..."}. */
  conditionKeys?: Record<string, string | string[]>;
}

export interface EvaluationRequest {
  /** Policy documents: objects or JSON strings (TestInvokeAuthorizer returns strings). */
  policies: Array<PolicyDocument | string>;
  /** e.g. `iot:Publish` (matched case-insensitively, as IAM action names are). */
  action: string;
  /** Full ARN, e.g. `arn:aws:iot:us-east-1:123456789012:topic/a/b`. */
  resource: string;
  context?: PolicyContext;
}

export interface StatementRef {
  /** Index of the policy document (0-based). */
  document: number;
  /** Index of the statement within the document (0-based). */
  statement: number;
  sid?: string;
  effect: Effect;
}

export interface StatementMatch extends StatementRef {
  /** The Action (or NotAction) pattern that made the action apply. */
  actionPattern: string;
  /** The Resource (or NotResource) pattern that made the resource apply, after variable substitution. */
  resourcePattern: string;
  via: { action: 'Action' | 'NotAction'; resource: 'Resource' | 'NotResource' };
  /** True when the statement applies only because of a condition this evaluator could not check (fail-closed). */
  assumed?: boolean;
}

export interface EvaluationResult {
  decision: 'allow' | 'deny';
  decidedBy?: StatementRef;
  /** One sentence a person can read. */
  reason: string;
  /** Every statement that applies to the request, Deny and Allow, in document order. */
  matchedStatements: StatementMatch[];
  /**
   * True when a condition could not be evaluated locally: the decision is then the
   * fail-closed one (such an Allow is not counted, such a Deny is) and may differ from AWS's.
   */
  uncertain: boolean;
  /** Things a person should know: unresolved variables, unevaluated conditions, caveats. */
  notes: string[];
}
