import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import { ensureKeyPair, loadDefinitionFile } from '../../../../src/core/emulator';
import { loadPrivateKey } from '../../../../src/core/keys';
import { signToken } from '../../../../src/core/tokens';

export const repoRoot = path.resolve(__dirname, '../../../../..');

/**
 * A temporary workspace: the worked example (examples/) plus the endpoint
 * fixtures, signing keys generated on first use as the CLI does.
 */
export async function endpointWorkspace(): Promise<{ dir: string; sign: (keyName: 'walkthrough' | 'fixture', token: string) => string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-ep-'));
  fs.cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}keys${path.sep}`) && !src.endsWith(`${path.sep}keys`) });
  fs.cpSync(path.join(repoRoot, 'test/fixtures/endpoint'), dir, { recursive: true });
  await ensureKeyPair(path.join(dir, 'keys/walkthrough.private.pem'), loadDefinitionFile(path.join(dir, 'walkthrough.authorizer.json')));
  await ensureKeyPair(path.join(dir, 'keys/fixture.private.pem'), loadDefinitionFile(path.join(dir, 'signed.authorizer.json')));
  const sign = (keyName: string, token: string) => signToken(loadPrivateKey(fs.readFileSync(path.join(dir, `keys/${keyName}.private.pem`), 'utf8')), token);
  return { dir, sign, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command with a bound on its time; never rejects. */
export function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (e, out, err) => {
      const code = e ? ((e as NodeJS.ErrnoException & { code?: unknown }).code as number | undefined ?? null) : 0;
      resolve({ code: typeof code === 'number' ? code : e ? -1 : 0, out: String(out), err: String(err) });
    });
  });
}

/** Resolves with the first value `check` returns, or rejects after `ms`. */
export function within<T>(ms: number, what: string, start: (resolve: (v: T) => void) => void | (() => void)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const holder: { cleanup?: void | (() => void) } = {};
    const t = setTimeout(() => {
      settled = true;
      if (holder.cleanup) holder.cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    holder.cleanup = start((v) => {
      if (settled) return;
      settled = true;
      clearTimeout(t);
      // start() may call back before it returned its cleanup: run that once it exists.
      setImmediate(() => holder.cleanup && holder.cleanup());
      resolve(v);
    });
  });
}

export interface Connected {
  client: MqttClient;
  /** CONNACK return code (0 accepted). */
  code: number;
}

/** Connects an mqtt.js client; resolves on CONNACK (accepted or refused) or a close before it; bounded. */
export function connect(url: string, opts: IClientOptions): Promise<Connected> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 8000, ...opts });
  client.on('error', () => undefined);
  return within<Connected>(10_000, `CONNACK from ${url}`, (done) => {
    client.once('connect', (p) => done({ client, code: p.returnCode ?? 0 }));
    client.once('error', (e) => done({ client, code: (e as Error & { code?: number }).code ?? -1 }));
    client.once('close', () => done({ client, code: -2 }));
  });
}

/** Resolves when the client's connection is closed; bounded. */
export function closed(client: MqttClient, ms = 10_000): Promise<void> {
  if (client.disconnected || !client.connected) return Promise.resolve();
  return within<void>(ms, 'the connection to close', (done) => {
    client.once('close', () => done());
  });
}

export function end(...clients: Array<MqttClient | undefined>): Promise<void> {
  return Promise.all(clients.map((c) => (c ? new Promise<void>((r) => c.end(true, {}, () => r())) : undefined))).then(() => undefined);
}
