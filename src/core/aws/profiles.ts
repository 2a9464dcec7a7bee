import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthzError } from '../errors';
import { AwsTarget } from './types';

/** Sections of an AWS shared config or credentials file: section name -> key -> value. */
export type IniSections = Record<string, Record<string, string>>;

/**
 * Parses an AWS shared config/credentials file the way the AWS CLI reads it:
 * `[section]` headers, `key = value` lines, `#` / `;` comment lines, and indented
 * sub-properties (e.g. under `s3 =`), which are skipped.
 */
export function parseIni(text: string): IniSections {
  const out: IniSections = {};
  let current: Record<string, string> | undefined;
  let nestedUnder: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*([#;].*)?$/.exec(raw);
    if (header) {
      const name = header[1].trim();
      current = out[name] ??= {};
      nestedUnder = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(raw) && nestedUnder !== undefined) continue; // nested sub-property
    const kv = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!kv) continue;
    const key = kv[1].toLowerCase();
    const value = kv[2];
    current[key] = value;
    nestedUnder = value === '' ? key : undefined;
  }
  return out;
}

export type ProfileKind = 'static' | 'sso' | 'assume-role' | 'process' | 'web-identity' | 'login' | 'other';

export interface ProfileInfo {
  name: string;
  /** Which files define it. */
  sources: Array<'config' | 'credentials'>;
  region?: string;
  kind: ProfileKind;
  /** For SSO profiles: the sso-session name, else the profile itself (legacy). */
  ssoSession?: string;
  roleArn?: string;
  sourceProfile?: string;
}

export interface SharedFiles {
  configFile: string;
  credentialsFile: string;
}

/** The shared file paths, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): SharedFiles {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const expand = (p: string) => (p.startsWith('~/') || p === '~' ? path.join(home, p.slice(1)) : p);
  return {
    configFile: expand(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')),
    credentialsFile: expand(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')),
  };
}

function readIni(file: string): IniSections {
  try {
    return parseIni(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AuthzError('AWS_CONFIG_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}.`, 'Check the file permissions.');
  }
}

function kindOf(p: Record<string, string>): ProfileKind {
  if (p.sso_session || p.sso_start_url || p.sso_account_id) return 'sso';
  if (p.role_arn && p.web_identity_token_file) return 'web-identity';
  if (p.role_arn) return 'assume-role';
  if (p.credential_process) return 'process';
  if (p.login_session) return 'login';
  if (p.aws_access_key_id) return 'static';
  return 'other';
}

/** Pure: profiles from the parsed config and credentials files, sorted by name, "default" first. */
export function profilesFromIni(config: IniSections, credentials: IniSections): ProfileInfo[] {
  const merged = new Map<string, { config?: Record<string, string>; credentials?: Record<string, string> }>();
  for (const [section, values] of Object.entries(config)) {
    let name: string | undefined;
    if (section === 'default') name = 'default';
    else {
      const m = /^profile\s+(.+)$/.exec(section);
      if (m) name = m[1].trim();
    }
    if (!name) continue; // sso-session, services, ...
    merged.set(name, { ...merged.get(name), config: values });
  }
  for (const [section, values] of Object.entries(credentials)) {
    const name = section.trim();
    merged.set(name, { ...merged.get(name), credentials: values });
  }
  const out: ProfileInfo[] = [];
  for (const [name, f] of merged) {
    const all = { ...(f.config ?? {}), ...(f.credentials ?? {}) };
    const kind = kindOf(all);
    out.push({
      name,
      sources: [...(f.config ? ['config' as const] : []), ...(f.credentials ? ['credentials' as const] : [])],
      region: f.config?.region ?? f.credentials?.region,
      kind,
      ssoSession: kind === 'sso' ? (all.sso_session ?? name) : undefined,
      roleArn: all.role_arn,
      sourceProfile: all.source_profile,
    });
  }
  return out.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Profiles defined in the shared config and credentials files (never throws for missing files). */
export function listProfiles(env: NodeJS.ProcessEnv = process.env): ProfileInfo[] {
  const files = sharedFilePaths(env);
  return profilesFromIni(readIni(files.configFile), readIni(files.credentialsFile));
}

export interface ResolvedTarget {
  /** The profile used, or undefined when credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. */
  profile?: string;
  region: string;
  endpoints: { iot?: string; lambda?: string };
  env: NodeJS.ProcessEnv;
  files: SharedFiles;
  /** The profile's entry in the shared files, when it has one (undefined: env credentials, or a profile only the environment can satisfy). */
  profileInfo?: ProfileInfo;
  /** Static credentials from the environment (used when no profile was named). */
  envCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * The endpoints of an endpoint override setting (`iotAuthz.aws.endpoint`): a URL
 * for both services, or {"iot": URL, "lambda": URL} (either may be left out; the
 * environment's IOT_AUTHZ_ENDPOINT_* then applies). Empty or other values: none.
 */
export function endpointsFromSetting(value: unknown): AwsTarget['endpoints'] {
  if (typeof value === 'string') {
    const url = value.trim();
    return url ? { iot: url, lambda: url } : undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const out: NonNullable<AwsTarget['endpoints']> = {};
  for (const service of ['iot', 'lambda'] as const) {
    const v = o[service];
    if (typeof v === 'string' && v.trim()) out[service] = v.trim();
  }
  return out.iot || out.lambda ? out : undefined;
}

/**
 * Resolves profile, region, endpoints and credential source the way the AWS CLI does:
 * an explicit profile wins; otherwise AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; otherwise
 * AWS_PROFILE or "default". Region: explicit, AWS_REGION, AWS_DEFAULT_REGION, the profile's.
 * Endpoints: explicit, then IOT_AUTHZ_ENDPOINT_IOT / IOT_AUTHZ_ENDPOINT_LAMBDA.
 */
export function resolveTarget(target: AwsTarget = {}): ResolvedTarget {
  const env = target.env ?? process.env;
  const files = sharedFilePaths(env);
  const named = target.profile || env.AWS_PROFILE;
  const envCredentials =
    !target.profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
      : undefined;
  const profile = envCredentials ? undefined : (named ?? 'default');
  let profiles: ProfileInfo[] | undefined;
  if (profile && named) {
    profiles = listProfiles(env);
    if (!profiles.some((p) => p.name === profile)) {
      const names = profiles.map((p) => p.name);
      throw new AuthzError(
        'AWS_PROFILE_NOT_FOUND',
        `The AWS profile '${profile}' is not defined in ${files.configFile} or ${files.credentialsFile}.`,
        names.length
          ? `Use one of: ${names.join(', ')}; or create it with \`aws configure --profile ${profile}\`.`
          : `Create it with \`aws configure --profile ${profile}\` (or \`aws configure sso --profile ${profile}\`).`,
      );
    }
  }
  if (profile) profiles ??= listProfiles(env);
  const profileInfo = profile ? profiles?.find((p) => p.name === profile) : undefined;
  const region = target.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileInfo?.region;
  if (!region) {
    throw new AuthzError(
      'AWS_NO_REGION',
      `No AWS region is set${profile ? ` for profile '${profile}'` : ''}.`,
      `Pass a region (--region us-east-1), set AWS_REGION, or run \`aws configure set region us-east-1${profile && profile !== 'default' ? ` --profile ${profile}` : ''}\`.`,
    );
  }
  const endpoints = {
    iot: target.endpoints?.iot || env.IOT_AUTHZ_ENDPOINT_IOT || undefined,
    lambda: target.endpoints?.lambda || env.IOT_AUTHZ_ENDPOINT_LAMBDA || undefined,
  };
  for (const [service, url] of Object.entries(endpoints)) {
    if (url && !/^https?:\/\/[^/\s]+/.test(url)) {
      throw new AuthzError('AWS_BAD_ENDPOINT', `The ${service} endpoint '${url}' is not an http(s) URL.`, 'Use a URL like http://127.0.0.1:4566.');
    }
  }
  return { profile, region, endpoints, env, files, envCredentials, profileInfo };
}
