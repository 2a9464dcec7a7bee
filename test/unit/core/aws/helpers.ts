import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsTestEndpoint, EndpointOptions } from '../../../aws-endpoint/server';

/** A started endpoint; stop it in after(). */
export async function startEndpoint(options: EndpointOptions = {}): Promise<AwsTestEndpoint> {
  const ep = new AwsTestEndpoint(options);
  await ep.start();
  return ep;
}

export interface TempAwsDir {
  dir: string;
  config: string;
  credentials: string;
  /** Env with AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / HOME pointing here, no env keys. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  remove(): void;
}

/** A temp ~/.aws with the given config and credentials texts (never the real ~/.aws). */
export function tempAwsDir(config: string, credentials: string): TempAwsDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-aws-'));
  const c = path.join(dir, 'config');
  const k = path.join(dir, 'credentials');
  fs.writeFileSync(c, config);
  fs.writeFileSync(k, credentials);
  return {
    dir,
    config: c,
    credentials: k,
    env: (extra = {}) => ({ HOME: dir, AWS_CONFIG_FILE: c, AWS_SHARED_CREDENTIALS_FILE: k, AWS_EC2_METADATA_DISABLED: 'true', ...extra }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Endpoint env minus the static env keys (so a profile is used). */
export function endpointOnlyEnv(ep: AwsTestEndpoint): NodeJS.ProcessEnv {
  const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _b, ...rest } = ep.env();
  return rest;
}

let cachedKeys: Array<{ privateKey: KeyObject; publicPem: string }> | undefined;

/** Two 2048-bit RSA key pairs, generated once per run. */
export function testKeys(): Array<{ privateKey: KeyObject; publicPem: string }> {
  cachedKeys ??= [0, 1].map(() => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  });
  return cachedKeys;
}

export function signTok(privateKey: KeyObject, token: string): string {
  return sign('RSA-SHA256', Buffer.from(token, 'utf8'), privateKey).toString('base64');
}

/** Sets process.env keys for the duration of a test; returns a restore function. */
export function withProcessEnv(vars: NodeJS.ProcessEnv): () => void {
  const saved: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  return () => {
    for (const k of Object.keys(saved)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
