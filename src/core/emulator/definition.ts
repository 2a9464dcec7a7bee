import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNotPrivateKey, keyEntrySource } from '../definitionKeys';
import { AuthzError, errorText } from '../errors';
import { assertInsideWorkspace } from '../paths';
import { readInputFile, readJsonFile } from '../files';
import { loadPublicKey } from '../keys';
import { NamedKey } from '../tokens';
import { AWS_AUTHORIZER_TIMEOUT_MS, defaultFunctionName, HandlerRuntime, HandlerSpec } from './handler';

/**
 * An authorizer definition (`*.authorizer.json`, schemas/authorizer-definition.schema.json)
 * read for a local run. Relative paths (keys, handler file) are tried against the
 * definition's own folder first, then the workspace root.
 */
export interface LoadedDefinition {
  /** Absolute path of the definition file (undefined when given as an object). */
  file?: string;
  dir: string;
  raw: Record<string, unknown>;
  authorizerName: string;
  tokenKeyName?: string;
  signingDisabled: boolean;
  region: string;
  account: string;
  /** Function name from authorizerFunctionArn, used for the Lambda context. */
  functionName: string;
  keys: NamedKey[];
  /** Key entries that could not be read, by name: shown as a failed signature step. */
  keyErrors: Array<{ name: string; message: string; path?: string }>;
  /** Resolved key entries that point at files (for key generation). */
  keyFiles: Array<{ name: string; path: string }>;
  handler?: HandlerSpec;
}

export interface LoadDefinitionOptions {
  /** Workspace root for workspace-relative paths; default: the definition's folder. */
  workspaceRoot?: string;
  /** Let key paths lead outside the workspace and the definition's folder (CLI --allow-outside-workspace). */
  allowOutsideWorkspace?: boolean;
}

/** Finds a relative path next to the definition first, then under the workspace root. */
export function resolveRelative(p: string, dirs: Array<string | undefined>): string {
  if (path.isAbsolute(p)) return p;
  const candidates = dirs.filter((d): d is string => !!d).map((d) => path.resolve(d, p));
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0] ?? path.resolve(p);
}

export function loadDefinitionFile(file: string, options: LoadDefinitionOptions = {}): LoadedDefinition {
  const abs = path.resolve(file);
  const raw = readJsonFile(abs, 'authorizer definition');
  return loadDefinition(raw, { ...options, file: abs });
}

export function loadDefinition(raw: unknown, options: LoadDefinitionOptions & { file?: string } = {}): LoadedDefinition {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AuthzError('DEFINITION_INVALID', 'The authorizer definition must be a JSON object.', 'See schemas/authorizer-definition.schema.json.');
  }
  const d = raw as Record<string, unknown>;
  const dir = options.file ? path.dirname(options.file) : (options.workspaceRoot ?? process.cwd());
  const dirs = [dir, options.workspaceRoot];
  const fnArn = typeof d.authorizerFunctionArn === 'string' ? d.authorizerFunctionArn : '';
  const arnParts = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)/.exec(fnArn);
  const region = typeof d.region === 'string' ? d.region : (arnParts?.[1] ?? 'us-east-1');
  const account = typeof d.account === 'string' ? d.account : (arnParts?.[2] ?? '123456789012');
  const signingDisabled = d.signingDisabled === true;

  const keys: NamedKey[] = [];
  const keyErrors: LoadedDefinition['keyErrors'] = [];
  const keyFiles: LoadedDefinition['keyFiles'] = [];
  const entries = d.tokenSigningPublicKeys && typeof d.tokenSigningPublicKeys === 'object' ? Object.entries(d.tokenSigningPublicKeys) : [];
  for (const [name, v] of entries) {
    const source = keyEntrySource(v);
    let pem = source && 'pem' in source ? source.pem : undefined;
    const file = source && 'path' in source ? source.path : undefined;
    try {
      if (file !== undefined) {
        const abs = resolveRelative(file, dirs);
        // Confined when a workspace is known (the CLI's current folder, VS Code's workspace folder).
        if (options.workspaceRoot) assertInsideWorkspace(abs, dirs, `public key file of key "${name}"`, options.allowOutsideWorkspace);
        keyFiles.push({ name, path: abs });
        if (!fs.existsSync(abs)) {
          keyErrors.push({ name, path: abs, message: `The public key file ${file} of key "${name}" does not exist.` });
          continue;
        }
        pem = readInputFile(abs, 'public key').toString('utf8');
      }
      if (pem === undefined) {
        keyErrors.push({ name, message: `Key "${name}" is neither a PEM text, a .pem path, {"path"} nor {"pem"}.` });
        continue;
      }
      assertNotPrivateKey(name, pem, file);
      keys.push({ name, key: loadPublicKey(pem) });
    } catch (e) {
      keyErrors.push({ name, ...(file ? { path: file } : {}), message: `Key "${name}" cannot be used: ${errorText(e)}` });
    }
  }

  let handler: HandlerSpec | undefined;
  const h = d.handler as Record<string, unknown> | undefined;
  if (h && typeof h === 'object' && typeof h.file === 'string') {
    const runtime: HandlerRuntime = h.runtime === 'python' ? 'python' : 'nodejs';
    const environment: Record<string, string> = {};
    if (h.environment && typeof h.environment === 'object') {
      for (const [k, v] of Object.entries(h.environment)) environment[k] = String(v);
    }
    handler = {
      runtime,
      file: resolveRelative(h.file, dirs),
      functionName: typeof h.function === 'string' && h.function ? h.function : defaultFunctionName(runtime),
      timeoutMs: typeof h.timeoutSeconds === 'number' ? Math.round(h.timeoutSeconds * 1000) : AWS_AUTHORIZER_TIMEOUT_MS,
      environment,
    };
  }

  return {
    ...(options.file ? { file: options.file } : {}),
    dir,
    raw: d,
    authorizerName: typeof d.authorizerName === 'string' ? d.authorizerName : 'local-authorizer',
    ...(typeof d.tokenKeyName === 'string' ? { tokenKeyName: d.tokenKeyName } : {}),
    signingDisabled,
    region,
    account,
    functionName: arnParts?.[3] ?? (typeof d.authorizerName === 'string' ? d.authorizerName : 'local-authorizer'),
    keys,
    keyErrors,
    keyFiles,
    ...(handler ? { handler } : {}),
  };
}
