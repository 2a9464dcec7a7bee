/**
 * Local endpoint benchmarks. Every figure is a ratio against a reference
 * measured in the same run; nothing is asserted on time.
 *  1. New authorized MQTT connections per second (warm handler: CONNECT,
 *     signature check, handler invocation, validation, iot:Connect) against
 *     the same aedes broker with no authentication, over the same transport.
 *  2. Authorized publishes per second (iot:Publish on the way in, iot:Receive
 *     on the way out, each a decision record) against the same aedes broker
 *     with no authorization.
 * Targets (issue 10): at least 300 connections/s; authorization at most 1.5x
 * the unauthorized publish path.
 *
 * The clients run in a worker thread, as devices are other programs: with
 * them on the endpoint's own event loop, the figure would be the clients'
 * speed as much as the endpoint's (each TLS handshake costs the client about
 * what it costs the server). The two sides are measured in alternating rounds
 * after a warm-up of both, and the median round is reported with the spread:
 * a single run in a fixed order measures the JIT and the garbage collector.
 */
import { Aedes } from 'aedes';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 300);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** What the main thread asks the client worker to do; it answers with a rate per second. */
type Job =
  | { kind: 'connections'; url: string; tls?: { ca: string }; clientIdPrefix: string; username?: string }
  | { kind: 'publishes'; url: string; tls?: { ca: string }; username?: string; topic: string };

// ---- the client side (worker thread) -------------------------------------------------------

function connectOnce(url: string, opts: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 20_000, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

const endClient = (c: MqttClient) => new Promise<void>((r) => c.end(true, {}, () => r()));

function clientOptions(job: Job): IClientOptions {
  return {
    ...(job.tls ? { ca: job.tls.ca, servername: 'localhost', ALPNProtocols: ['mqtt'] } : {}),
    ...(job.username !== undefined ? { username: job.username } : {}),
  };
}

/** Opens `CONNECTIONS` connections, `PARALLEL` at a time, each closed once accepted; connections per second. */
async function connectionRate(job: Extract<Job, { kind: 'connections' }>): Promise<number> {
  let next = 0;
  const base = clientOptions(job);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < CONNECTIONS) {
        const i = next++;
        await endClient(await connectOnce(job.url, { ...base, clientId: `${job.clientIdPrefix}${i}` }));
      }
    }),
  );
  return (CONNECTIONS / (performance.now() - t0)) * 1000;
}

/** One publisher, one subscriber: publishes per second until the subscriber has every message. */
async function publishRate(job: Extract<Job, { kind: 'publishes' }>): Promise<number> {
  const base = clientOptions(job);
  const sub = await connectOnce(job.url, { ...base, clientId: 'bench-sub' });
  await sub.subscribeAsync(job.topic.replace(/[^/]+$/, '#'));
  const pub = await connectOnce(job.url, { ...base, clientId: 'bench-pub' });
  let got = 0;
  const all = new Promise<void>((resolve) => sub.on('message', () => ++got === MESSAGES && resolve()));
  const payload = Buffer.from('{"temperature":21.5}');
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) pub.publish(job.topic, payload, { qos: 0 });
  await all;
  const rate = (MESSAGES / (performance.now() - t0)) * 1000;
  await Promise.all([pub, sub].map(endClient));
  return rate;
}

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => {
    (job.kind === 'connections' ? connectionRate(job) : publishRate(job)).then(
      (rate) => parentPort!.postMessage({ rate }),
      (e: Error) => parentPort!.postMessage({ error: e.message }),
    );
  });
}

// ---- the endpoint side (main thread) -------------------------------------------------------

class Clients {
  private readonly worker = new Worker(__filename);
  run(job: Job): Promise<number> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (m: { rate?: number; error?: string }) => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m.rate!)));
      this.worker.postMessage(job);
    });
  }
  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The reference: the same aedes broker and socket options (no Nagle delay), no authentication or authorization hooks, on TLS and plain TCP. */
async function plainBroker(material: { key: string; cert: string }): Promise<{ tlsPort: number; tcpPort: number; close: () => Promise<void> }> {
  const broker = new Aedes();
  await broker.listen();
  const server = tls.createServer({ noDelay: true, key: material.key, cert: material.cert, ALPNProtocols: ['mqtt'] }, (s) => broker.handle(s));
  const plain = net.createServer({ noDelay: true }, (s) => broker.handle(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  return {
    tlsPort: (server.address() as net.AddressInfo).port,
    tcpPort: (plain.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => plain.close(() => server.close(() => broker.close(() => r())))),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}`;

/** Warm-up of both, then `ROUNDS` alternating rounds (which goes first alternates too); the rates of each side. */
async function alternate(clients: Clients, auth: Job, ref: Job): Promise<{ auth: number[]; ref: number[] }> {
  await clients.run(auth);
  await clients.run(ref);
  const out = { auth: [] as number[], ref: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      out.auth.push(await clients.run(auth));
      out.ref.push(await clients.run(ref));
    } else {
      out.ref.push(await clients.run(ref));
      out.auth.push(await clients.run(auth));
    }
  }
  return out;
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the worker thread needs none of it.
  const { startLocalEndpoint } = await import('../../src/core/endpoint');
  const { ensureTlsMaterial } = await import('../../src/core/endpoint/tls');
  const { mqttUsername } = await import('../../src/core/tokens/snippets');
  const { endpointWorkspace } = await import('../unit/core/endpoint/helpers');

  const ws = await endpointWorkspace();
  const ep = await startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: true, port: 0, authorizers: ['signed.authorizer.json'], mqttPlainPort: 0 });
  const material = await ensureTlsMaterial(`${ws.dir}/.iot-authz`, 'localhost', () => undefined);
  const ref = await plainBroker(material);
  const clients = new Clients();
  try {
    const ca = { ca: fs.readFileSync(ep.info.caPath, 'utf8') };
    const username = mqttUsername({ authorizerName: 'fixture-signed', tokenKeyName: 'token', token: 'device', signature: ws.sign('fixture', 'device') });
    const authUrl = `mqtts://127.0.0.1:${ep.info.port}`; // SNI stays localhost (servername); the IP skips an IPv6 attempt
    const refUrl = `mqtts://127.0.0.1:${ref.tlsPort}`;
    console.log(`(clients in a worker thread; ${CONNECTIONS} connections ${PARALLEL} at a time and ${MESSAGES} publishes per round; ${ROUNDS} alternating rounds after a warm-up; median and range)`);

    const conn = await alternate(clients, { kind: 'connections', url: authUrl, tls: ca, clientIdPrefix: 'dev', username }, { kind: 'connections', url: refUrl, tls: ca, clientIdPrefix: 'dev' });
    const invocations = ep.handlers()[0]?.invocations ?? 0;
    console.log(
      `endpoint connections: ${Math.round(median(conn.auth))} authorized connections/s over TLS with a warm handler (${spread(conn.auth)}; ${invocations} invocations, ${ep.handlers()[0]?.starts} process start); ` +
        `same aedes broker without authorization ${Math.round(median(conn.ref))}/s (${spread(conn.ref)}); authorization costs ${(median(conn.ref) / median(conn.auth)).toFixed(2)}x [target >= 300/s]`,
    );
    const tcp = await alternate(clients, { kind: 'connections', url: `mqtt://127.0.0.1:${ep.info.mqttPlainPort}`, clientIdPrefix: 'tcp', username }, { kind: 'connections', url: `mqtt://127.0.0.1:${ref.tcpPort}`, clientIdPrefix: 'tcp' });
    console.log(
      `endpoint connections without TLS: ${Math.round(median(tcp.auth))} authorized connections/s on the plain MQTT port (${spread(tcp.auth)}); ` +
        `same aedes broker without authorization ${Math.round(median(tcp.ref))}/s (${spread(tcp.ref)}); authorization costs ${(median(tcp.ref) / median(tcp.auth)).toFixed(2)}x`,
    );

    const pub = await alternate(clients, { kind: 'publishes', url: authUrl, tls: ca, username, topic: 'allowed/bench' }, { kind: 'publishes', url: refUrl, tls: ca, topic: 'allowed/bench' });
    console.log(
      `endpoint publishes: ${Math.round(median(pub.auth))} authorized publishes/s (${spread(pub.auth)}; iot:Publish + iot:Receive decided and recorded per message); ` +
        `same aedes broker without authorization ${Math.round(median(pub.ref))}/s (${spread(pub.ref)}); authorization costs ${(median(pub.ref) / median(pub.auth)).toFixed(2)}x [target <= 1.5x]`,
    );
  } finally {
    await clients.close();
    await ref.close();
    await ep.stop();
    ws.cleanup();
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
