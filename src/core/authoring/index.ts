/**
 * Authoring core: validation of authorizer responses, IoT policies and
 * authorizer definitions; quick-fix edits; templates; SARIF. No VS Code here.
 *
 *   validateText(text, 'response' | 'policy' | 'authorizer', options?) → Finding[]
 *   validateResponseObject(obj) → { text, findings }   (for a Lambda's returned object)
 */
export { validateText, validateResponseObject, MAX_VALIDATED_CHARS } from './validator';
export type { DocumentKind, Finding, Fix, OffsetRange, Severity, TextEdit, ValidateOptions } from './types';
export { DOCUMENT_KINDS } from './types';
export { CODES, ALL_CODES } from './codes';
export type { Code, CodeInfo } from './codes';
export { LineIndex, positionAt, applyEdits } from './positions';
export type { LineColumn } from './positions';
export { DEFAULT_GLOBS, kindFromFileName, detectKindFromContent, isDocumentKind } from './kinds';
export { handlerTemplate, templateFor, TEMPLATE_FILE_NAMES } from './templates';
export { toSarif } from './sarif';
export type { SarifInput } from './sarif';
export { refactorsAt } from './refactors';
