import { Node } from 'jsonc-parser';
import { LIMITS } from '../../data';
import { cutOff, Frame, Reporter } from '../context';
import { entries, prop, propNode } from '../json';
import { closest } from '../strings';
import { ValidateOptions } from '../types';

const A = LIMITS.authorizer;
const NAME = new RegExp(`^${A.namePattern}$`);
const TOKEN_KEY = new RegExp(`^${A.tokenKeyNamePattern}$`);
const KEY_NAME = new RegExp(`^${A.keyNamePattern}$`);
const FUNCTION_ARN = new RegExp(A.functionArnPattern);
const REGION = new RegExp(A.regionPattern);
const ACCOUNT = /^[0-9]{12}$/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An authorizer definition: CreateAuthorizer fields plus the local-run fields. */
export function checkAuthorizer(f: Frame, root: Node, r: Reporter, options: ValidateOptions): void {
  for (const { key, keyNode } of entries(root)) {
    if (A.fields.includes(key)) continue;
    const sug = closest(key, A.fields, 3);
    r.reportNode('AUTHORIZER_UNKNOWN_FIELD', f, keyNode, `"${key}" is not an authorizer field${sug ? `: did you mean "${sug}"?` : '.'}`, sug ? {
      data: { suggestion: sug },
      fixes: [{ title: `Rename to "${sug}"`, edits: [{ start: keyNode.offset, end: keyNode.offset + keyNode.length, newText: JSON.stringify(sug) }], isPreferred: true }],
    } : {});
  }
  const str = (key: string): Node | undefined => {
    const n = prop(root, key);
    if (n && n.type !== 'string') {
      r.reportNode('AUTHORIZER_FIELD_TYPE', f, n, `"${key}" must be a string.`);
      return undefined;
    }
    return n;
  };
  const bool = (key: string): boolean | undefined => {
    const n = prop(root, key);
    if (n && n.type !== 'boolean') r.reportNode('AUTHORIZER_FIELD_TYPE', f, n, `"${key}" must be true or false.`);
    return n?.type === 'boolean' ? n.value : undefined;
  };
  const missing = (key: string): void => {
    if (!cutOff(f, root)) r.report('AUTHORIZER_FIELD_MISSING', f, root.offset, root.offset + 1, `The definition has no "${key}".`);
  };

  const name = str('authorizerName');
  if (!prop(root, 'authorizerName')) missing('authorizerName');
  else if (name && (!NAME.test(name.value) || name.value.length > A.nameMaxLength)) {
    r.reportNode('AUTHORIZER_NAME_INVALID', f, name, `"authorizerName" must be 1 to ${A.nameMaxLength} characters of letters, digits, "_", "=", ",", "@", "-".`);
  }

  const arn = str('authorizerFunctionArn');
  let arnRegion: string | undefined;
  let arnAccount: string | undefined;
  if (!prop(root, 'authorizerFunctionArn')) missing('authorizerFunctionArn');
  else if (arn) {
    if (!FUNCTION_ARN.test(arn.value)) {
      r.reportNode('AUTHORIZER_FUNCTION_ARN_INVALID', f, arn, '"authorizerFunctionArn" must be a Lambda function ARN: arn:aws:lambda:<region>:<12-digit account>:function:<name>[:<alias or version>].');
    } else {
      const parts = String(arn.value).split(':');
      arnRegion = parts[3];
      arnAccount = parts[4];
    }
  }

  const signingDisabled = bool('signingDisabled') === true;
  bool('enableCachingForHttp');
  const tokenKey = str('tokenKeyName');
  if (tokenKey && (!TOKEN_KEY.test(tokenKey.value) || tokenKey.value.length > A.tokenKeyNameMaxLength)) {
    r.reportNode('AUTHORIZER_TOKEN_KEY_NAME_INVALID', f, tokenKey, `"tokenKeyName" must be 1 to ${A.tokenKeyNameMaxLength} characters of letters, digits, "_" and "-".`);
  }
  const keys = prop(root, 'tokenSigningPublicKeys');
  if (keys && keys.type !== 'object') r.reportNode('AUTHORIZER_FIELD_TYPE', f, keys, '"tokenSigningPublicKeys" must be an object: key name → PEM, path, {"path"} or {"pem"}.');
  const keyEntries = keys?.type === 'object' ? entries(keys) : [];
  if (!signingDisabled) {
    if (!prop(root, 'tokenKeyName')) r.report('AUTHORIZER_SIGNING_FIELDS_REQUIRED', f, root.offset, root.offset + 1, 'Signing is enabled (signingDisabled is not true): "tokenKeyName" is required.');
    if (!keys || (keys.type === 'object' && keyEntries.length === 0)) {
      const at = keys ?? root;
      r.report('AUTHORIZER_SIGNING_FIELDS_REQUIRED', f, at.offset, keys ? at.offset + at.length : at.offset + 1, 'Signing is enabled (signingDisabled is not true): "tokenSigningPublicKeys" needs at least one key.');
    }
  } else if (keyEntries.length || prop(root, 'tokenKeyName')) {
    const key = propNode(root, 'signingDisabled')?.children?.[0];
    if (key) r.reportNode('AUTHORIZER_SIGNING_FIELDS_UNUSED', f, key, 'Signing is disabled: "tokenKeyName" and "tokenSigningPublicKeys" are not used (and signingDisabled cannot be changed after creation).');
  }
  for (const { key, keyNode, value } of keyEntries) {
    if (!KEY_NAME.test(key) || key.length > A.keyNameMaxLength) {
      r.reportNode('AUTHORIZER_KEY_NAME_INVALID', f, keyNode, `Key name "${key}" must be 1 to ${A.keyNameMaxLength} characters of letters, digits, ":", "_", "-".`);
    }
    if (value) checkKeyValue(f, value, r, options);
  }

  const status = prop(root, 'status');
  if (status && !(status.type === 'string' && A.statuses.includes(status.value))) {
    const up = typeof status.value === 'string' ? String(status.value).toUpperCase() : '';
    r.reportNode('AUTHORIZER_STATUS_INVALID', f, status, `"status" must be "ACTIVE" or "INACTIVE".`, A.statuses.includes(up) ? {
      data: { suggestion: up },
      fixes: [{ title: `Change to "${up}"`, edits: [{ start: status.offset, end: status.offset + status.length, newText: JSON.stringify(up) }], isPreferred: true }],
    } : {});
  }

  const tags = prop(root, 'tags');
  if (tags && tags.type !== 'array') r.reportNode('AUTHORIZER_FIELD_TYPE', f, tags, '"tags" must be an array of {"Key": …, "Value": …}.');
  for (const t of tags?.type === 'array' ? tags.children ?? [] : []) {
    if (t.type !== 'object' || prop(t, 'Key')?.type !== 'string' || prop(t, 'Value')?.type !== 'string') {
      r.reportNode('AUTHORIZER_FIELD_TYPE', f, t, 'A tag is {"Key": "…", "Value": "…"}.');
    }
  }

  const region = str('region');
  if (region && !REGION.test(region.value)) r.reportNode('AUTHORIZER_REGION_INVALID', f, region, `"${region.value}" is not a region name (e.g. us-east-1).`);
  const account = str('account');
  if (account && !ACCOUNT.test(account.value)) r.reportNode('AUTHORIZER_ACCOUNT_INVALID', f, account, `"${account.value}" is not a 12-digit account id.`);
  if (arn && arnRegion && region && REGION.test(region.value) && region.value !== arnRegion) {
    r.reportNode('AUTHORIZER_REGION_MISMATCH', f, arn, `The function is in ${arnRegion} but "region" is ${region.value}: an authorizer invokes a Lambda function in its own region.`);
  }
  if (arn && arnAccount && account && ACCOUNT.test(account.value) && account.value !== arnAccount) {
    r.reportNode('AUTHORIZER_REGION_MISMATCH', f, arn, `The function is in account ${arnAccount} but "account" is ${account.value}.`);
  }

  const handler = prop(root, 'handler');
  if (handler) checkHandler(f, handler, r, options);
}

function checkKeyValue(f: Frame, value: Node, r: Reporter, options: ValidateOptions): void {
  let pem: Node | undefined;
  let path: Node | undefined;
  let generated = false;
  if (value.type === 'string') {
    const s = String(value.value);
    if (s.trimStart().startsWith('-----BEGIN')) pem = value;
    else if (/\.pem$/i.test(s.trim())) path = value;
  } else if (value.type === 'object') {
    const p = prop(value, 'path');
    const m = prop(value, 'pem');
    if (p?.type === 'string' && !m) path = p;
    const g = prop(value, 'generateOnFirstUse');
    generated = g?.type === 'boolean' && g.value === true;
    if (m?.type === 'string' && !p) pem = m;
  }
  if (!pem && !path) {
    r.reportNode('AUTHORIZER_KEY_VALUE_INVALID', f, value, 'A key is an inline PEM ("-----BEGIN PUBLIC KEY-----…"), a workspace-relative path ending in .pem, {"path": "keys/k.pem"} or {"pem": "-----BEGIN…"}.');
    return;
  }
  if (pem) {
    const s = String(pem.value);
    if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(s)) {
      r.reportNode('AUTHORIZER_KEY_PRIVATE', f, pem, 'This is a PRIVATE key: IoT Core needs the public key. Remove it from this file (and treat it as exposed if committed).');
    } else if (s.length > A.keyValueMaxLength) {
      r.reportNode('AUTHORIZER_KEY_VALUE_INVALID', f, pem, `The key has ${s.length} characters: at most ${A.keyValueMaxLength}.`);
    } else if (!/-----END [A-Z ]+-----\s*$/.test(s)) {
      r.reportNode('AUTHORIZER_KEY_VALUE_INVALID', f, pem, 'The PEM has no "-----END … -----" line.');
    }
  }
  if (path) {
    const p = String(path.value).trim();
    if (/private/i.test(p)) {
      r.reportNode('AUTHORIZER_KEY_PRIVATE', f, path, `"${p}" looks like a private key file: IoT Core needs the public key.`, { severity: 'warning' });
    }
    if (options.fileExists && !safeExists(options.fileExists, p)) {
      // A test pair marked generateOnFirstUse is expected to be absent in a fresh clone (keys are never committed).
      const privateHalf = p.replace(/\.public\.pem$/i, '.private.pem');
      if (generated && privateHalf !== p && !safeExists(options.fileExists, privateHalf)) {
        r.reportNode('AUTHORIZER_KEY_FILE_MISSING', f, path, `"${p}" does not exist yet: the first local run that signs with ${privateHalf} generates both halves, as "generateOnFirstUse" says.`, { severity: 'info' });
      } else {
        r.reportNode('AUTHORIZER_KEY_FILE_MISSING', f, path, `"${p}" does not exist in the workspace.`);
      }
    }
  }
}

function checkHandler(f: Frame, h: Node, r: Reporter, options: ValidateOptions): void {
  if (h.type !== 'object') {
    r.reportNode('AUTHORIZER_HANDLER_INVALID', f, h, '"handler" must be an object: {"runtime": "nodejs", "file": "lambda/index.js", "function": "handler"}.');
    return;
  }
  const key = propNode(h.parent?.parent, 'handler')?.children?.[0] ?? h;
  for (const { key: k, keyNode } of entries(h)) {
    if (!A.handlerFields.includes(k)) {
      const sug = closest(k, A.handlerFields, 3);
      r.reportNode('AUTHORIZER_HANDLER_INVALID', f, keyNode, `"${k}" is not a handler field${sug ? `: did you mean "${sug}"?` : ` (${A.handlerFields.join(', ')}).`}`);
    }
  }
  const runtime = prop(h, 'runtime');
  if (!runtime) r.reportNode('AUTHORIZER_HANDLER_INVALID', f, key, 'The handler has no "runtime" ("nodejs" or "python").');
  else if (!(runtime.type === 'string' && A.runtimes.includes(runtime.value))) r.reportNode('AUTHORIZER_HANDLER_INVALID', f, runtime, '"runtime" must be "nodejs" or "python".');
  const file = prop(h, 'file');
  if (!file) r.reportNode('AUTHORIZER_HANDLER_INVALID', f, key, 'The handler has no "file" (workspace-relative path of the handler source).');
  else if (file.type !== 'string' || !file.value) r.reportNode('AUTHORIZER_HANDLER_INVALID', f, file, '"file" must be a workspace-relative path.');
  else if (options.fileExists && !safeExists(options.fileExists, file.value)) r.reportNode('AUTHORIZER_HANDLER_FILE_MISSING', f, file, `"${file.value}" does not exist in the workspace.`);
  const fn = prop(h, 'function');
  if (fn && !(fn.type === 'string' && IDENT.test(fn.value))) r.reportNode('AUTHORIZER_HANDLER_INVALID', f, fn, '"function" must be an identifier, e.g. "handler".');
  const timeout = prop(h, 'timeoutSeconds');
  if (timeout) {
    const max = A.lambdaTimeoutSeconds;
    if (timeout.type !== 'number' || !(timeout.value > 0)) r.reportNode('AUTHORIZER_HANDLER_TIMEOUT', f, timeout, '"timeoutSeconds" must be a positive number.');
    else if (timeout.value > max) {
      r.reportNode('AUTHORIZER_HANDLER_TIMEOUT', f, timeout, `"timeoutSeconds" is ${timeout.value}: IoT Core gives the authorizer Lambda at most ${max} seconds.`, {
        data: { suggestion: max },
        fixes: [{ title: `Change to ${max}`, edits: [{ start: timeout.offset, end: timeout.offset + timeout.length, newText: String(max) }], isPreferred: true }],
      });
    }
  }
  const env = prop(h, 'environment');
  if (env && env.type !== 'object') r.reportNode('AUTHORIZER_HANDLER_INVALID', f, env, '"environment" must be an object of strings.');
  for (const { value } of entries(env)) if (value && value.type !== 'string') r.reportNode('AUTHORIZER_HANDLER_INVALID', f, value, 'Environment values must be strings.');
}

function safeExists(fileExists: (p: string) => boolean, p: string): boolean {
  try {
    return fileExists(p);
  } catch {
    return false;
  }
}
