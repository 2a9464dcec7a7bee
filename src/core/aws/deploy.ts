import * as path from 'node:path';
import { parse as parseJsonc, ParseError } from 'jsonc-parser';
import { assertNotPrivateKey, keyEntrySource } from '../definitionKeys';
import { AuthzError } from '../errors';
import { assertInsideWorkspace, isInside } from '../paths';
import { assertJsonDepth, readInputFile, readTextFile } from '../files';
import { parseArn } from './arn';
import { AwsClients } from './clients';
import { publicKeyInfo } from './keyinfo';
import { createAuthorizer, updateAuthorizer } from './operations';
import { AuthorizerDescription, AuthorizerInput, AuthorizerStatus, AuthorizerSummary, AuthorizerUpdate, OpOptions } from './types';

/** An authorizer definition with its keys resolved to PEM text (schemas/authorizer-definition.schema.json): what CreateAuthorizer takes, plus local-run defaults. */
export interface DeployDefinition extends AuthorizerInput {
  /** Local-run fields (not sent to AWS). */
  region?: string;
  account?: string;
}

export interface LoadDefinitionOptions {
  /** The definition's path, for messages and relative key paths. */
  file?: string;
  /** Directories to resolve key paths against, in order (e.g. the workspace root, then the file's folder). */
  baseDirs?: string[];
  /** Let key paths lead outside baseDirs (CLI --allow-outside-workspace). */
  allowOutsideWorkspace?: boolean;
  /** Reads a key file (default fs.readFileSync utf8). */
  readFile?: (p: string) => string;
}

function bad(msg: string, file?: string): AuthzError {
  return new AuthzError('DEFINITION_INVALID', `${file ? `${file}: ` : ''}${msg}`, 'Fix the definition file (schemas/authorizer-definition.schema.json describes it).');
}

/** Parses a definition (JSON with comments allowed) and resolves key paths to PEM text. */
export function loadDefinition(text: string, opts: LoadDefinitionOptions = {}): DeployDefinition {
  assertJsonDepth(text, opts.file ? `The definition ${opts.file}` : 'The definition');
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length || !raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('is not a JSON object.', opts.file);
  const d = raw as Record<string, unknown>;
  for (const k of ['authorizerName', 'authorizerFunctionArn'] as const) {
    if (typeof d[k] !== 'string' || d[k] === '') throw bad(`'${k}' is required.`, opts.file);
  }
  if (!/^[\w=,@-]{1,128}$/.test(d.authorizerName as string)) throw bad(`'authorizerName' may hold letters, digits, _ = , @ - (1 to 128 characters).`, opts.file);
  if (d.status !== undefined && d.status !== 'ACTIVE' && d.status !== 'INACTIVE') throw bad(`'status' must be ACTIVE or INACTIVE.`, opts.file);
  const readFile = opts.readFile ?? ((p: string) => readInputFile(p, 'public key').toString('utf8'));
  const bases = opts.baseDirs?.length ? opts.baseDirs : [opts.file ? path.dirname(opts.file) : process.cwd()];
  const resolveKey = (name: string, v: unknown): string => {
    const source = keyEntrySource(v);
    if (source && 'pem' in source) {
      assertNotPrivateKey(name, source.pem);
      return source.pem;
    }
    const rel = source?.path;
    if (rel === undefined) throw bad(`key '${name}' must be a PEM string, a .pem path, {"path": ...} or {"pem": ...}.`, opts.file);
    const all = path.isAbsolute(rel) ? [rel] : bases.map((b) => path.resolve(b, rel!));
    const candidates = all.filter((c) => opts.allowOutsideWorkspace || isInside(c, bases));
    if (!candidates.length) assertInsideWorkspace(all[0], bases, `public key file of key '${name}'`);
    for (const c of candidates) {
      let pem: string;
      try {
        pem = readFile(c);
      } catch {
        continue;
      }
      assertNotPrivateKey(name, pem, c);
      return pem;
    }
    throw new AuthzError('DEFINITION_KEY_MISSING', `Key '${name}': ${rel} was not found (looked in ${candidates.join(', ')}).`, 'Fix the path (workspace-relative) or generate the key (iot-authz keygen).');
  };
  let keys: Record<string, string> | undefined;
  if (d.tokenSigningPublicKeys !== undefined) {
    if (!d.tokenSigningPublicKeys || typeof d.tokenSigningPublicKeys !== 'object') throw bad(`'tokenSigningPublicKeys' must be an object.`, opts.file);
    keys = {};
    for (const [k, v] of Object.entries(d.tokenSigningPublicKeys as Record<string, unknown>)) keys[k] = resolveKey(k, v);
  }
  const def: DeployDefinition = {
    authorizerName: d.authorizerName as string,
    authorizerFunctionArn: d.authorizerFunctionArn as string,
    tokenKeyName: typeof d.tokenKeyName === 'string' ? d.tokenKeyName : undefined,
    tokenSigningPublicKeys: keys,
    status: d.status as AuthorizerStatus | undefined,
    signingDisabled: typeof d.signingDisabled === 'boolean' ? d.signingDisabled : undefined,
    enableCachingForHttp: typeof d.enableCachingForHttp === 'boolean' ? d.enableCachingForHttp : undefined,
    tags: Array.isArray(d.tags) ? (d.tags as Array<{ Key: string; Value?: string }>) : undefined,
    region: typeof d.region === 'string' ? d.region : undefined,
    account: typeof d.account === 'string' ? d.account : undefined,
  };
  if (!def.signingDisabled) {
    if (!def.tokenKeyName) throw bad(`'tokenKeyName' is required unless 'signingDisabled' is true.`, opts.file);
    if (!keys || Object.keys(keys).length === 0) throw bad(`'tokenSigningPublicKeys' needs at least one key unless 'signingDisabled' is true.`, opts.file);
  }
  return def;
}

export function loadDefinitionFile(file: string, baseDirs?: string[], options: Pick<LoadDefinitionOptions, 'allowOutsideWorkspace'> = {}): DeployDefinition {
  const text = readTextFile(file, 'authorizer definition');
  return loadDefinition(text, { file, baseDirs: baseDirs ?? [path.dirname(file)], ...options });
}

/** "Download as definition file": a described authorizer as a definition (inline PEM keys). */
export function definitionFromDescription(d: AuthorizerDescription, extra: { region?: string; schema?: string } = {}): Record<string, unknown> {
  const arn = parseArn(d.authorizerArn);
  const out: Record<string, unknown> = {
    ...(extra.schema ? { $schema: extra.schema } : {}),
    authorizerName: d.authorizerName,
    authorizerFunctionArn: d.authorizerFunctionArn,
  };
  if (d.tokenKeyName) out.tokenKeyName = d.tokenKeyName;
  if (d.tokenSigningPublicKeys && Object.keys(d.tokenSigningPublicKeys).length) out.tokenSigningPublicKeys = { ...d.tokenSigningPublicKeys };
  if (d.status) out.status = d.status;
  out.signingDisabled = d.signingDisabled === true;
  out.enableCachingForHttp = d.enableCachingForHttp === true;
  const region = extra.region ?? arn?.region;
  if (region) out.region = region;
  if (arn?.account) out.account = arn.account;
  return out;
}

export interface FieldChange {
  field: string;
  from?: string;
  to?: string;
}

export interface DeployPlan {
  action: 'create' | 'update' | 'none';
  authorizerName: string;
  changes: FieldChange[];
  /** Remarks that do not block (e.g. tags ignored on update). */
  notes: string[];
  create?: AuthorizerInput;
  update?: AuthorizerUpdate;
}

function keyLabel(pem: string): string {
  const i = publicKeyInfo(pem);
  if (i.problem) return 'unreadable key';
  const fp = i.fingerprint ? i.fingerprint.slice(0, 23) : '?';
  return `${(i.type ?? '?').toUpperCase()} ${i.bits ?? '?'} bits, SHA-256 ${fp}…`;
}

function sameKey(a: string, b: string): boolean {
  const fa = publicKeyInfo(a).fingerprint;
  const fb = publicKeyInfo(b).fingerprint;
  if (fa && fb) return fa === fb;
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

const show = (v: unknown) => (v === undefined ? '(unset)' : String(v));

/**
 * Compares a definition with the current authorizer (undefined: it does not exist) and
 * plans CreateAuthorizer or UpdateAuthorizer. Fields the definition omits are left as they
 * are on update. Throws SIGNING_DISABLED_IMMUTABLE when signingDisabled would change.
 */
export function planDeploy(def: DeployDefinition, current: AuthorizerDescription | undefined): DeployPlan {
  const notes: string[] = [];
  const fnRegion = parseArn(def.authorizerFunctionArn)?.region;
  if (current) {
    const curRegion = parseArn(current.authorizerArn)?.region;
    if (fnRegion && curRegion && fnRegion !== curRegion) notes.push(`The Lambda is in ${fnRegion} but the authorizer in ${curRegion}: IoT Core invokes functions of its own region only.`);
  }
  if (!current) {
    const create: AuthorizerInput = {
      authorizerName: def.authorizerName,
      authorizerFunctionArn: def.authorizerFunctionArn,
      status: def.status ?? 'ACTIVE',
      signingDisabled: def.signingDisabled ?? false,
    };
    if (!create.signingDisabled) {
      create.tokenKeyName = def.tokenKeyName;
      create.tokenSigningPublicKeys = def.tokenSigningPublicKeys;
    }
    if (def.enableCachingForHttp !== undefined) create.enableCachingForHttp = def.enableCachingForHttp;
    if (def.tags?.length) create.tags = def.tags;
    const changes: FieldChange[] = [
      { field: 'authorizerFunctionArn', to: create.authorizerFunctionArn },
      { field: 'status', to: create.status },
      { field: 'signingDisabled', to: String(create.signingDisabled) },
    ];
    if (create.tokenKeyName) changes.push({ field: 'tokenKeyName', to: create.tokenKeyName });
    for (const [k, pem] of Object.entries(create.tokenSigningPublicKeys ?? {})) changes.push({ field: `tokenSigningPublicKeys.${k}`, to: keyLabel(pem) });
    if (create.enableCachingForHttp !== undefined) changes.push({ field: 'enableCachingForHttp', to: String(create.enableCachingForHttp) });
    for (const t of create.tags ?? []) changes.push({ field: `tags.${t.Key}`, to: t.Value ?? '' });
    if (def.signingDisabled) notes.push('signingDisabled cannot be changed after creation: to enable signing later you must create a new authorizer.');
    return { action: 'create', authorizerName: def.authorizerName, changes, notes, create };
  }

  const wantDisabled = def.signingDisabled ?? false;
  const isDisabled = current.signingDisabled ?? false;
  if (wantDisabled !== isDisabled) {
    throw new AuthzError(
      'SIGNING_DISABLED_IMMUTABLE',
      `Authorizer '${def.authorizerName}' was created with signingDisabled=${isDisabled}; the definition says ${wantDisabled}, and AWS IoT cannot change it after creation.`,
      `Recreate it: deploy the definition under a new authorizerName (then move devices), or set it INACTIVE, delete it and deploy again.`,
    );
  }
  const update: AuthorizerUpdate = { authorizerName: def.authorizerName };
  const changes: FieldChange[] = [];
  if (def.authorizerFunctionArn !== current.authorizerFunctionArn) {
    update.authorizerFunctionArn = def.authorizerFunctionArn;
    changes.push({ field: 'authorizerFunctionArn', from: show(current.authorizerFunctionArn), to: def.authorizerFunctionArn });
  }
  if (def.status !== undefined && def.status !== current.status) {
    update.status = def.status;
    changes.push({ field: 'status', from: show(current.status), to: def.status });
  }
  if (!wantDisabled && def.tokenKeyName !== undefined && def.tokenKeyName !== current.tokenKeyName) {
    update.tokenKeyName = def.tokenKeyName;
    changes.push({ field: 'tokenKeyName', from: show(current.tokenKeyName), to: def.tokenKeyName });
  }
  if (!wantDisabled && def.tokenSigningPublicKeys) {
    const cur = current.tokenSigningPublicKeys ?? {};
    const want = def.tokenSigningPublicKeys;
    const keyChanges: FieldChange[] = [];
    for (const [k, pem] of Object.entries(want)) {
      if (!(k in cur)) keyChanges.push({ field: `tokenSigningPublicKeys.${k}`, to: keyLabel(pem) });
      else if (!sameKey(cur[k], pem)) keyChanges.push({ field: `tokenSigningPublicKeys.${k}`, from: keyLabel(cur[k]), to: keyLabel(pem) });
    }
    for (const k of Object.keys(cur)) if (!(k in want)) keyChanges.push({ field: `tokenSigningPublicKeys.${k}`, from: keyLabel(cur[k]) });
    if (keyChanges.length) {
      update.tokenSigningPublicKeys = want;
      changes.push(...keyChanges);
      if (keyChanges.some((c) => c.to === undefined)) notes.push('Removing a key rejects the tokens signed with it at once: keep the old key until devices use the new one.');
    }
  }
  if (def.enableCachingForHttp !== undefined && def.enableCachingForHttp !== (current.enableCachingForHttp ?? false)) {
    update.enableCachingForHttp = def.enableCachingForHttp;
    changes.push({ field: 'enableCachingForHttp', from: show(current.enableCachingForHttp ?? false), to: String(def.enableCachingForHttp) });
  }
  if (def.tags?.length) notes.push('Tags are only applied when the authorizer is created; UpdateAuthorizer ignores them (use `aws iot tag-resource`).');
  if (changes.length === 0) return { action: 'none', authorizerName: def.authorizerName, changes, notes };
  return { action: 'update', authorizerName: def.authorizerName, changes, notes, update };
}

/** The plan as text lines: "+ field: value" (create/add), "~ field: from -> to", "- field: from". */
export function formatPlan(plan: DeployPlan): string {
  const head =
    plan.action === 'create'
      ? `Create authorizer '${plan.authorizerName}':`
      : plan.action === 'update'
        ? `Update authorizer '${plan.authorizerName}':`
        : `Authorizer '${plan.authorizerName}' is up to date; nothing to change.`;
  const lines = [head];
  for (const c of plan.changes) {
    if (c.from === undefined) lines.push(`  + ${c.field}: ${c.to}`);
    else if (c.to === undefined) lines.push(`  - ${c.field}: ${c.from}`);
    else lines.push(`  ~ ${c.field}: ${c.from} -> ${c.to}`);
  }
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

/** Applies a plan (CreateAuthorizer or UpdateAuthorizer); undefined for 'none'. */
export async function applyDeploy(c: AwsClients, plan: DeployPlan, opts: OpOptions = {}): Promise<AuthorizerSummary | undefined> {
  if (plan.action === 'create' && plan.create) return createAuthorizer(c, plan.create, opts);
  if (plan.action === 'update' && plan.update) return updateAuthorizer(c, plan.update, opts);
  return undefined;
}
