// Test helper: RSA keys made by the openssl binary (an independent implementation),
// generated once per mocha run in a temp dir and shared by every suite.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OpensslKey {
  bits: number;
  /** PKCS#1 `BEGIN RSA PRIVATE KEY` (openssl genrsa -traditional / openssl rsa -traditional). */
  pkcs1Path: string;
  /** PKCS#8 `BEGIN PRIVATE KEY` (openssl genpkey / openssl pkey). */
  pkcs8Path: string;
  /** SPKI `BEGIN PUBLIC KEY`. */
  spkiPath: string;
}

export const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-keys-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));

export function openssl(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Buffer {
  return execFileSync('openssl', args, { input: options.input, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

const cache = new Map<number, OpensslKey>();

/** 2048 and 3072 from genrsa -traditional, 4096 from genpkey: both generators are exercised. */
export function opensslKey(bits: 2048 | 3072 | 4096): OpensslKey {
  let k = cache.get(bits);
  if (k) return k;
  const base = path.join(tmpRoot, `ossl-${bits}`);
  k = { bits, pkcs1Path: `${base}.pkcs1.pem`, pkcs8Path: `${base}.pkcs8.pem`, spkiPath: `${base}.spki.pem` };
  if (bits === 4096) {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', k.pkcs8Path]);
    openssl(['rsa', '-in', k.pkcs8Path, '-traditional', '-out', k.pkcs1Path]);
  } else {
    openssl(['genrsa', '-traditional', '-out', k.pkcs1Path, String(bits)]);
    openssl(['pkey', '-in', k.pkcs1Path, '-out', k.pkcs8Path]);
  }
  openssl(['pkey', '-in', k.pkcs8Path, '-pubout', '-out', k.spkiPath]);
  cache.set(bits, k);
  return k;
}

/** The reference signature: openssl dgst -sha256 -sign key.pem | openssl base64 -A. */
export function opensslSign(keyPath: string, token: string | Buffer): string {
  const sig = openssl(['dgst', '-sha256', '-sign', keyPath], { input: token });
  return openssl(['base64', '-A'], { input: sig }).toString('utf8');
}

export function tmpFile(name: string, content: string | Buffer): string {
  const p = path.join(tmpRoot, name);
  fs.writeFileSync(p, content);
  return p;
}

export function read(p: string): string {
  return fs.readFileSync(p, 'utf8');
}
