import * as assert from 'node:assert/strict';
import { applyEdits, DocumentKind, Finding, validateText, ValidateOptions } from '../../../../src/core/authoring';

export const ACCOUNT = '123456789012';
export const arn = (resource: string, region = 'us-east-1', account = ACCOUNT) => `arn:aws:iot:${region}:${account}:${resource}`;

export function policy(...statements: Record<string, unknown>[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

export const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/${iot:ClientId}') };

export function response(docs: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { isAuthenticated: true, principalId: 'device1', disconnectAfterInSeconds: 3600, refreshAfterInSeconds: 300, policyDocuments: docs, ...extra };
}

export function text(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

export function validate(t: string, kind: DocumentKind, options?: ValidateOptions): Finding[] {
  return validateText(t, kind, options);
}

export function codes(t: string, kind: DocumentKind, options?: ValidateOptions): string[] {
  return validate(t, kind, options).map((f) => f.code);
}

/** The findings of one code, asserting there are `count` of them when given. */
export function only(t: string, kind: DocumentKind, code: string, count?: number, options?: ValidateOptions): Finding[] {
  const f = validate(t, kind, options).filter((x) => x.code === code);
  if (count !== undefined) assert.equal(f.length, count, `${code}: expected ${count}, got ${f.length}: ${JSON.stringify(validate(t, kind, options).map((x) => x.code))}`);
  return f;
}

export function slice(t: string, f: Finding): string {
  return t.slice(f.range.start, f.range.end);
}

/** Applies a finding's first (or named) fix and checks the result is valid JSON. */
export function applyFix(t: string, f: Finding, index = 0): string {
  assert.ok(f.fixes && f.fixes[index], `${f.code} has no fix ${index}`);
  const out = applyEdits(t, f.fixes![index].edits);
  assert.doesNotThrow(() => JSON.parse(out), `fix result is not JSON:\n${out}`);
  return out;
}

export function assertNone(t: string, kind: DocumentKind, code: string, options?: ValidateOptions): void {
  const f = validate(t, kind, options).filter((x) => x.code === code);
  assert.equal(f.length, 0, `unexpected ${code}: ${f.map((x) => x.message).join(' | ')}`);
}
