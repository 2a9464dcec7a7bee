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
 */
import { Aedes } from 'aedes';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import { startLocalEndpoint } from '../../src/core/endpoint';
import { ensureTlsMaterial } from '../../src/core/endpoint/tls';
import { mqttUsername } from '../../src/core/tokens/snippets';
import { endpointWorkspace } from '../unit/core/endpoint/helpers';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 300);
const PARALLEL = 20;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);

function connectOnce(url: string, opts: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 20_000, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** Opens `CONNECTIONS` connections, `PARALLEL` at a time, each closed once accepted; connections per second. */
async function connectionRate(url: string, opts: (i: number) => IClientOptions): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < CONNECTIONS) {
        const i = next++;
        const c = await connectOnce(url, opts(i));
        await new Promise<void>((r) => c.end(true, {}, () => r()));
      }
    }),
  );
  return (CONNECTIONS / (performance.now() - t0)) * 1000;
}

/** One publisher, one subscriber: publishes per second until the subscriber has every message. */
async function publishRate(url: string, pubOpts: IClientOptions, subOpts: IClientOptions, topic: string): Promise<number> {
  const sub = await connectOnce(url, subOpts);
  await sub.subscribeAsync(topic.replace(/[^/]+$/, '#'));
  const pub = await connectOnce(url, pubOpts);
  let got = 0;
  const all = new Promise<void>((resolve) => sub.on('message', () => ++got === MESSAGES && resolve()));
  const payload = Buffer.from('{"temperature":21.5}');
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) pub.publish(topic, payload, { qos: 0 });
  await all;
  const rate = (MESSAGES / (performance.now() - t0)) * 1000;
  await Promise.all([pub, sub].map((c) => new Promise<void>((r) => c.end(true, {}, () => r()))));
  return rate;
}

/** The reference: the same aedes broker, no authentication or authorization hooks, on TLS and plain TCP. */
async function plainBroker(material: { key: string; cert: string }): Promise<{ tlsPort: number; tcpPort: number; close: () => Promise<void> }> {
  const broker = new Aedes();
  await broker.listen();
  const server = tls.createServer({ key: material.key, cert: material.cert, ALPNProtocols: ['mqtt'] }, (s) => broker.handle(s));
  const plain = net.createServer((s) => broker.handle(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  return {
    tlsPort: (server.address() as net.AddressInfo).port,
    tcpPort: (plain.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => plain.close(() => server.close(() => broker.close(() => r())))),
  };
}

async function main(): Promise<void> {
  const ws = await endpointWorkspace();
  const ep = await startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: true, port: 0, authorizers: ['signed.authorizer.json'], mqttPlainPort: 0 });
  const material = await ensureTlsMaterial(`${ws.dir}/.iot-authz`, 'localhost', () => undefined);
  const ref = await plainBroker(material);
  try {
    const ca = fs.readFileSync(ep.info.caPath);
    const user = mqttUsername({ authorizerName: 'fixture-signed', tokenKeyName: 'token', token: 'device', signature: ws.sign('fixture', 'device') });
    const base: IClientOptions = { ca, servername: 'localhost', ALPNProtocols: ['mqtt'] };
    const authUrl = `mqtts://127.0.0.1:${ep.info.port}`; // SNI stays localhost (servername); the IP skips an IPv6 attempt
    const refUrl = `mqtts://127.0.0.1:${ref.tlsPort}`;
    // Warm-up: the handler process, TLS session code paths, JIT.
    await connectionRate(authUrl, (i) => ({ ...base, clientId: `warm${i}`, username: user }));
    await connectionRate(refUrl, (i) => ({ ...base, clientId: `warm${i}` }));

    const authConn = await connectionRate(authUrl, (i) => ({ ...base, clientId: `dev${i}`, username: user }));
    const refConn = await connectionRate(refUrl, (i) => ({ ...base, clientId: `dev${i}` }));
    const authTcp = await connectionRate(`mqtt://127.0.0.1:${ep.info.mqttPlainPort}`, (i) => ({ clientId: `tcp${i}`, username: user }));
    const refTcp = await connectionRate(`mqtt://127.0.0.1:${ref.tcpPort}`, (i) => ({ clientId: `tcp${i}` }));
    const invocations = ep.handlers()[0]?.invocations ?? 0;
    console.log(
      `endpoint connections: ${Math.round(authConn)} authorized connections/s over TLS with a warm handler (${invocations} invocations, ${ep.handlers()[0]?.starts} process start); ` +
        `same aedes broker without authorization ${Math.round(refConn)}/s; authorization costs ${(refConn / authConn).toFixed(2)}x [target >= 300/s]`,
    );
    console.log(
      `endpoint connections without TLS: ${Math.round(authTcp)} authorized connections/s on the plain MQTT port; ` +
        `same aedes broker without authorization ${Math.round(refTcp)}/s; authorization costs ${(refTcp / authTcp).toFixed(2)}x`,
    );

    const authPub = await publishRate(authUrl, { ...base, clientId: 'bench-pub', username: user }, { ...base, clientId: 'bench-sub', username: user }, 'allowed/bench');
    const refPub = await publishRate(refUrl, { ...base, clientId: 'bench-pub' }, { ...base, clientId: 'bench-sub' }, 'allowed/bench');
    console.log(
      `endpoint publishes: ${Math.round(authPub)} authorized publishes/s (iot:Publish + iot:Receive decided and recorded per message); ` +
        `same aedes broker without authorization ${Math.round(refPub)}/s; authorization costs ${(refPub / authPub).toFixed(2)}x [target <= 1.5x]`,
    );
  } finally {
    await ref.close();
    await ep.stop();
    ws.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
