import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { IClientOptions } from 'mqtt';
import { LocalEndpoint, startLocalEndpoint } from '../../../../src/core/endpoint';
import { DecisionRecord, EndpointLogEntry } from '../../../../src/core/endpoint/types';
import { mqttUsername } from '../../../../src/core/tokens/snippets';
import { gone } from '../emulator/helpers';
import { closed, connect, end, endpointWorkspace, run, within } from './helpers';

// Issue 10: real clients (curl, mosquitto, mqtt.js) against the local endpoint and the worked example.
describe('core/endpoint: real clients against the local endpoint', function () {
  this.timeout(60_000);
  let ws: Awaited<ReturnType<typeof endpointWorkspace>>;
  let ep: LocalEndpoint;
  const logs: EndpointLogEntry[] = [];
  let ca: string;
  let port: number;
  let plainPort: number;

  const signedUser = (token: string) => mqttUsername({ authorizerName: 'fixture-signed', tokenKeyName: 'token', token, signature: ws.sign('fixture', token) });
  const tlsOpts = (extra: IClientOptions = {}): IClientOptions => ({ ca, servername: 'localhost', ALPNProtocols: ['mqtt'], ...extra });
  const mqtts = () => `mqtts://localhost:${port}`;
  const decisionsSince = (seq: number) => ep.recentDecisions().filter((d) => d.seq > seq);
  const lastSeq = () => ep.recentDecisions().at(-1)?.seq ?? 0;
  const waitDecision = (pred: (d: DecisionRecord) => boolean, what: string, ms = 10_000) =>
    within<DecisionRecord>(ms, what, (done) => {
      const hit = ep.recentDecisions().find(pred);
      if (hit) {
        done(hit);
        return;
      }
      return ep.onDecision((d) => pred(d) && done(d));
    });
  const waitLog = (re: RegExp, what: string) =>
    within<EndpointLogEntry>(10_000, what, (done) => {
      const hit = logs.find((l) => re.test(l.message));
      if (hit) {
        done(hit);
        return;
      }
      return ep.onLog((l) => re.test(l.message) && done(l));
    });
  const invocations = (name: string) => ep.handlers().find((h) => h.authorizerName === name)?.invocations ?? 0;

  before(async () => {
    ws = await endpointWorkspace();
    ep = await startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: true, port: 0, mqttPlainPort: 0, defaultAuthorizer: 'walkthrough-authorizer' });
    ep.onLog((l) => logs.push(l));
    ca = fs.readFileSync(ep.info.caPath, 'utf8');
    port = ep.info.port;
    plainPort = ep.info.mqttPlainPort!;
  });
  after(async () => {
    await ep?.stop();
    ws?.cleanup();
  });

  const seedCurl = (topic: string, headers: Record<string, string>, data = '{ "message": "Hello World!" }', extra: string[] = []) =>
    run('curl', ['-sS', '--cacert', ep.info.caPath, '-w', '\n%{http_code}', `https://localhost:${port}/topics/${topic}?qos=1`, '-d', data, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), ...extra]);
  const walkthroughHeaders = () => ({
    tokenKeyName: 'MyStringThatNeedsToBeSigned',
    'x-amz-customauthorizer-signature': ws.sign('walkthrough', 'MyStringThatNeedsToBeSigned'),
    'x-amz-customauthorizer-name': 'walkthrough-authorizer',
  });

  it("the TLS material: CA and server keys 0600, the server certificate names localhost", () => {
    const dir = path.dirname(ep.info.caPath);
    for (const f of ['ca.key.pem', 'server.key.pem']) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
    assert.match(new X509Certificate(fs.readFileSync(ep.info.certPath)).subjectAltName ?? '', /DNS:localhost/);
  });

  it("the seed's curl (headers as written, --cacert) publishes; an mqtt.js subscriber receives it", async () => {
    const sub = await connect(mqtts(), tlsOpts({ clientId: 'curl-watcher', username: signedUser('device') }));
    assert.equal(sub.code, 0);
    await sub.client.subscribeAsync('customAuthTestTopic');
    const got = within<string>(10_000, 'the curl message', (done) => {
      sub.client.on('message', (t, p) => done(`${t} ${p}`));
    });
    const r = await seedCurl('customAuthTestTopic', walkthroughHeaders());
    const [body, status] = r.out.split('\n');
    assert.equal(status, '200', r.err + r.out);
    const json = JSON.parse(body);
    assert.equal(json.message, 'OK');
    assert.match(json.traceId, /^[0-9a-f-]{36}$/);
    assert.equal(await got, 'customAuthTestTopic { "message": "Hello World!" }');
    await end(sub.client);
  });

  it('curl to a topic the policy does not allow: 403 with a JSON body, decision denied', async () => {
    const r = await seedCurl('some/other/topic', walkthroughHeaders());
    const [body, status] = r.out.split('\n');
    assert.equal(status, '403');
    assert.equal(JSON.parse(body).message, 'Forbidden');
    const d = await waitDecision((x) => x.kind === 'http-publish' && x.target === 'some/other/topic', 'the denied HTTPS publish');
    assert.equal(d.allowed, false);
    assert.ok(d.result, 'the decision carries the chain');
  });

  it('a bad signature: 401 and the handler never ran (invocation count unchanged)', async () => {
    await seedCurl('customAuthTestTopic', walkthroughHeaders()); // warm, so the count exists
    const before = invocations('walkthrough-authorizer');
    assert.ok(before > 0);
    const r = await seedCurl('customAuthTestTopic', { ...walkthroughHeaders(), 'x-amz-customauthorizer-signature': ws.sign('walkthrough', 'SomeOtherToken') });
    assert.equal(r.out.split('\n')[1], '401');
    assert.equal(invocations('walkthrough-authorizer'), before);
    const d = ep.recentDecisions().filter((x) => x.kind === 'http-publish').at(-1)!;
    assert.equal(d.result?.failure?.code, 'SIGNATURE_INVALID');
  });

  it('an unknown authorizer name is refused (401), naming the known ones', async () => {
    const r = await seedCurl('customAuthTestTopic', { ...walkthroughHeaders(), 'x-amz-customauthorizer-name': 'no-such-authorizer' });
    assert.equal(r.out.split('\n')[1], '401');
    const d = await waitDecision((x) => x.kind === 'http-publish' && /no-such-authorizer/.test(x.reason), 'the refusal');
    assert.match(d.reason, /No authorizer named "no-such-authorizer".*walkthrough-authorizer/);
  });

  it('an INACTIVE authorizer is refused', async () => {
    const r = await seedCurl('customAuthTestTopic', { 'x-amz-customauthorizer-name': 'fixture-inactive' });
    assert.equal(r.out.split('\n')[1], '401');
    assert.ok(ep.recentDecisions().some((d) => /INACTIVE/.test(d.reason)));
  });

  it("an HTTP body over AWS's 128 KB limit: 413, nothing published, the handler not run", async () => {
    const before = invocations('walkthrough-authorizer');
    const big = path.join(ws.dir, 'big.json');
    fs.writeFileSync(big, 'x'.repeat(128 * 1024 + 1));
    const r = await seedCurl('customAuthTestTopic', walkthroughHeaders(), `@${big}`);
    assert.equal(r.out.split('\n').at(-1), '413', r.out + r.err);
    assert.equal(invocations('walkthrough-authorizer'), before);
    const ok = await seedCurl('customAuthTestTopic', walkthroughHeaders(), 'x'.repeat(1000));
    assert.equal(ok.out.split('\n')[1], '200', 'a body under the limit still passes');
  });

  it('a body far over the limit, sent in one go with or without a length: the client reads the 413 (no reset while it is still sending)', async () => {
    const before = invocations('walkthrough-authorizer');
    const big = Buffer.alloc(3 * 1024 * 1024, 'x');
    const post = (chunked: boolean) =>
      new Promise<number>((resolve, reject) => {
        const req = https.request(
          { host: 'localhost', port, path: '/topics/customAuthTestTopic', method: 'POST', ca, headers: { ...walkthroughHeaders(), ...(chunked ? {} : { 'content-length': big.length }) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(big);
      });
    for (const chunked of [false, true, false, true]) assert.equal(await post(chunked), 413, chunked ? 'chunked body' : 'declared length');
    assert.equal(invocations('walkthrough-authorizer'), before, 'the handler is not run for a refused body');
  });

  it("mosquitto_pub --tls-alpn mqtt with Sign Token's username: the worked example has no iot:Connect, so CONNACK not authorized", async () => {
    const username = mqttUsername({ authorizerName: 'walkthrough-authorizer', tokenKeyName: 'tokenKeyName', token: 'MyStringThatNeedsToBeSigned', signature: ws.sign('walkthrough', 'MyStringThatNeedsToBeSigned') });
    const r = await run('mosquitto_pub', ['-h', 'localhost', '-p', String(port), '--tls-alpn', 'mqtt', '--cafile', ep.info.caPath, '-i', 'walkthroughDevice', '-u', username, '-t', 'customAuthTestTopic', '-m', 'hi']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /not authori[sz]ed/i);
    const d = await waitDecision((x) => x.kind === 'connect' && x.clientId === 'walkthroughDevice', 'the refused CONNECT');
    assert.equal(d.allowed, false);
    assert.equal(d.result?.failure?.code, 'CONNECT_DENIED');
    assert.equal(d.result?.authenticated, true, 'the handler authenticated it; the policy lacks iot:Connect');
  });

  it('mosquitto_sub and mosquitto_pub (--tls-alpn mqtt, signed username): an allowed publish is delivered', async () => {
    const common = ['-h', 'localhost', '-p', String(port), '--tls-alpn', 'mqtt', '--cafile', ep.info.caPath];
    const seq = lastSeq();
    const sub = run('mosquitto_sub', [...common, '-i', 'mosq-sub', '-u', signedUser('device'), '-t', 'allowed/#', '-C', '1', '-W', '15', '-v']);
    await waitDecision((d) => d.seq > seq && d.kind === 'subscribe' && d.clientId === 'mosq-sub', 'the mosquitto_sub subscription');
    const pub = await run('mosquitto_pub', [...common, '-i', 'mosq-pub', '-u', signedUser('device'), '-t', 'allowed/one', '-m', 'hello from mosquitto']);
    assert.equal(pub.code, 0, pub.err);
    const got = await sub;
    assert.equal(got.code, 0, got.err);
    assert.equal(got.out.trim(), 'allowed/one hello from mosquitto');
  });

  it('mqtt.js over TLS with ALPN: a denied publish closes the connection', async () => {
    const c = await connect(mqtts(), tlsOpts({ clientId: 'js-denied', username: signedUser('device') }));
    assert.equal(c.code, 0);
    const gone = closed(c.client);
    c.client.publish('forbidden/topic', 'x', { qos: 1 });
    await gone;
    const d = await waitDecision((x) => x.kind === 'publish' && x.clientId === 'js-denied', 'the denied publish');
    assert.equal(d.allowed, false);
    assert.equal(d.action, 'iot:Publish');
    await end(c.client);
  });

  it("a PUBLISH over IoT Core's 128 KB limit closes the connection; one under it passes", async () => {
    const c = await connect(mqtts(), tlsOpts({ clientId: 'js-big', username: signedUser('device') }));
    assert.equal(c.code, 0);
    await c.client.publishAsync('allowed/big', Buffer.alloc(100 * 1024, 1), { qos: 1 });
    const gone = closed(c.client);
    c.client.publish('allowed/big', Buffer.alloc(128 * 1024 + 1, 1), { qos: 1 });
    await gone;
    const d = await waitDecision((x) => x.kind === 'publish' && x.clientId === 'js-big' && !x.allowed, 'the oversized publish');
    assert.match(d.reason, /over IoT Core's 128 KB limit/);
    await end(c.client);
  });

  it("a CONNECT over IoT Core's 128 KB limit (long password and will message) is closed before the handler runs; over TLS and on the plain port", async () => {
    // A field holds at most 65,535 bytes: two of them pass the limit.
    const big = { password: Buffer.alloc(65_535, 0x61), will: { topic: 'allowed/will', payload: Buffer.alloc(65_535, 0x62), qos: 0 as const, retain: false } };
    for (const [url, opts, clientId] of [
      [mqtts(), tlsOpts, 'js-big-connect'],
      [`mqtt://localhost:${plainPort}`, (x: IClientOptions) => x, 'plain-big-connect'],
    ] as const) {
      const before = invocations('fixture-signed');
      const seq = lastSeq();
      const c = await connect(url, opts({ clientId, username: signedUser('device'), ...big }));
      assert.notEqual(c.code, 0, 'no CONNACK accepted');
      await end(c.client);
      const d = await waitDecision((x) => x.seq > seq && x.kind === 'connect' && !x.allowed && /CONNECT is \d+ bytes/.test(x.reason), 'the oversized CONNECT');
      assert.match(d.reason, /over IoT Core's 128 KB limit/);
      assert.equal(invocations('fixture-signed'), before, 'the handler did not run');
    }
    const ok = await connect(mqtts(), tlsOpts({ clientId: 'js-fat-connect', username: signedUser('device'), password: big.password }));
    assert.equal(ok.code, 0, 'a CONNECT under the limit is accepted');
    await end(ok.client);
  });

  it('mqtt.js: an allowed subscribe is granted, a denied one gets SUBACK 0x80 and the connection stays', async () => {
    const c = await connect(mqtts(), tlsOpts({ clientId: 'js-sub', username: signedUser('device') }));
    const granted = await c.client.subscribeAsync('allowed/+');
    assert.equal(granted[0].qos, 0);
    // mqtt.js rejects a SUBACK failure with the packet attached.
    const failure = await c.client.subscribeAsync('secret/#').then(
      () => undefined,
      (e: Error & { packet?: { granted?: number[] } }) => e.packet?.granted,
    );
    assert.deepEqual(failure, [128]);
    assert.ok(c.client.connected);
    const conn = ep.connections().find((x) => x.clientId === 'js-sub')!;
    assert.deepEqual(conn.subscriptions, ['allowed/+']);
    assert.equal(conn.principalId, 'fixtureDevice');
    assert.ok(conn.nextRefreshAt! > Date.now());
    const denied = ep.recentDecisions().find((d) => d.kind === 'subscribe' && d.target === 'secret/#')!;
    assert.equal(denied.allowed, false);
    assert.match(denied.resource!, /:topicfilter\/secret\/#$/);
    await end(c.client);
  });

  it('a receive denied by iot:Receive is not delivered, an allowed one is', async () => {
    const sub = await connect(mqtts(), tlsOpts({ clientId: 'js-receiver', username: signedUser('device') }));
    await sub.client.subscribeAsync(['both/#', 'allowed/#']);
    const got: string[] = [];
    const last = within<void>(10_000, 'the allowed message', (done) => {
      sub.client.on('message', (t) => {
        got.push(t);
        if (t === 'allowed/last') done();
      });
    });
    const pub = await connect(mqtts(), tlsOpts({ clientId: 'js-sender', username: signedUser('device') }));
    await pub.client.publishAsync('both/x', 'not for you', { qos: 1 });
    await pub.client.publishAsync('allowed/last', 'for you', { qos: 1 });
    await last;
    assert.deepEqual(got, ['allowed/last']);
    const d = ep.recentDecisions().find((x) => x.kind === 'receive' && x.target === 'both/x' && x.clientId === 'js-receiver')!;
    assert.equal(d.allowed, false);
    await end(sub.client, pub.client);
  });

  it('mqtt.js over WebSockets with the credentials in the upgrade headers', async () => {
    const token = 'device';
    const c = await connect(`wss://localhost:${port}/mqtt`, {
      ca,
      clientId: 'js-ws',
      wsOptions: { headers: { 'x-amz-customauthorizer-name': 'fixture-signed', token, 'x-amz-customauthorizer-signature': ws.sign('fixture', token) } },
    } as IClientOptions);
    assert.equal(c.code, 0);
    await c.client.publishAsync('allowed/ws', 'over websockets', { qos: 1 });
    const d = await waitDecision((x) => x.kind === 'publish' && x.clientId === 'js-ws', 'the WebSocket publish');
    assert.equal(d.allowed, true);
    assert.equal(d.protocol, 'wss');
    const connectDecision = ep.recentDecisions().find((x) => x.kind === 'connect' && x.clientId === 'js-ws')!;
    assert.deepEqual(connectDecision.result?.event?.protocols, ['tls', 'http', 'mqtt']);
    assert.equal(connectDecision.result?.event?.protocolData.http?.headers.token, 'device');
    await end(c.client);
  });

  it('a handler response without iot:Connect refuses the CONNECT (mqtt.js, CONNACK 5)', async () => {
    const c = await connect(mqtts(), tlsOpts({ clientId: 'js-noconnect', username: signedUser('noconnect') }));
    assert.equal(c.code, 5);
    await end(c.client);
  });

  it('an invalid handler response refuses every connection that gets it, before and after a valid one (validation is memoised by content)', async () => {
    const seq = lastSeq();
    for (const [clientId, token, code] of [['js-invalid-1', 'invalid', 5], ['js-valid', 'device', 0], ['js-invalid-2', 'invalid', 5]] as const) {
      const c = await connect(mqtts(), tlsOpts({ clientId, username: signedUser(token) }));
      assert.equal(c.code, code, clientId);
      await end(c.client);
    }
    const connects = decisionsSince(seq).filter((d) => d.kind === 'connect');
    const [first, valid, second] = ['js-invalid-1', 'js-valid', 'js-invalid-2'].map((id) => connects.find((d) => d.clientId === id));
    assert.equal(first?.result?.failure?.code, 'RESPONSE_INVALID');
    assert.equal(second?.result?.failure?.code, 'RESPONSE_INVALID');
    assert.ok(first?.result?.responseFindings.some((f) => f.severity === 'error' && /policyDocuments/.test(f.message)), JSON.stringify(first?.result?.responseFindings));
    assert.deepEqual(second?.result?.responseFindings, first?.result?.responseFindings);
    assert.equal(valid?.allowed, true);
    assert.equal(valid?.result?.responseFindings.filter((f) => f.severity === 'error').length, 0);
  });

  it('the same client id twice: the first connection is closed', async () => {
    const first = await connect(mqtts(), tlsOpts({ clientId: 'twin', username: signedUser('device') }));
    const gone = closed(first.client);
    const reason = within<string>(10_000, 'the first twin disconnect', (done) => ep.onDisconnect((c, r) => c.clientId === 'twin' && done(r)));
    const second = await connect(mqtts(), tlsOpts({ clientId: 'twin', username: signedUser('device') }));
    assert.equal(second.code, 0);
    await gone;
    assert.equal(await reason, 'DUPLICATE_CLIENTID');
    await end(first.client, second.client);
  });

  it('the plain MQTT port serves MQTT without TLS (signing disabled, password)', async () => {
    const c = await connect(`mqtt://127.0.0.1:${plainPort}`, { clientId: 'plain-1', username: '?x-amz-customauthorizer-name=fixture-open', password: 'device' });
    assert.equal(c.code, 0);
    const conn = ep.connections().find((x) => x.clientId === 'plain-1')!;
    assert.equal(conn.tls, false);
    await end(c.client);
  });

  describe('bad input never stops the endpoint', () => {
    it('garbage bytes on the TLS port and on the plain port, a truncated MQTT packet: a log line each', async () => {
      const send = (p: number, bytes: Buffer) =>
        within<void>(10_000, `port ${p} to close the garbage connection`, (done) => {
          const s = net.connect(p, '127.0.0.1', () => s.end(bytes));
          s.on('error', () => done());
          s.on('close', () => done());
          s.resume();
        });
      await send(port, Buffer.from('GARBAGE\x00\x01\x02 not a TLS hello\r\n\r\n'));
      await waitLog(/TLS handshake from .* failed/, 'the TLS garbage log line');
      await send(plainPort, Buffer.from([0xf0, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]));
      await waitLog(/plain MQTT\) dropped/, 'the plain garbage log line');
      // A CONNECT cut short: the fixed header announces 40 bytes, 5 arrive.
      const seq = logs.length;
      await send(plainPort, Buffer.from([0x10, 40, 0x00, 0x04, 0x4d]));
      assert.ok(logs.length >= seq);
    });

    it('a malformed username query string: CONNACK not authorized and a log line naming it', async () => {
      const c = await connect(mqtts(), tlsOpts({ clientId: 'bad-query', username: '?x-amz-customauthorizer-name=fixture-signed&token=%E0%A4%A&x-amz-customauthorizer-signature=abc' }));
      assert.equal(c.code, 5);
      await waitLog(/malformed percent escape/, 'the malformed query log line');
      await end(c.client);
    });

    it('a handler that crashes and one that hangs: refused with a clear reason, the others go on', async () => {
      const seq = lastSeq();
      const [crash, hang, good] = await Promise.all([
        connect(mqtts(), tlsOpts({ clientId: 'crasher', username: signedUser('crash') })),
        connect(mqtts(), tlsOpts({ clientId: 'hanger', username: signedUser('hang') })),
        connect(mqtts(), tlsOpts({ clientId: 'bystander', username: signedUser('device') })),
      ]);
      assert.equal(crash.code, 5);
      assert.equal(hang.code, 5);
      assert.equal(good.code, 0);
      const reasons = decisionsSince(seq).filter((d) => d.kind === 'connect' && !d.allowed);
      assert.ok(reasons.some((d) => d.clientId === 'crasher' && d.result?.failure?.code === 'HANDLER_CRASH'), JSON.stringify(reasons.map((d) => d.reason)));
      assert.ok(reasons.some((d) => d.clientId === 'hanger' && d.result?.failure?.code === 'HANDLER_TIMEOUT'));
      const after = await connect(mqtts(), tlsOpts({ clientId: 'after-the-storm', username: signedUser('device') }));
      assert.equal(after.code, 0);
      await end(crash.client, hang.client, good.client, after.client);
    });

    it('a client whose SNI is not the endpoint host name is refused, saying so', async () => {
      const c = await connect(`mqtts://127.0.0.1:${port}`, { ca, servername: 'elsewhere.example', ALPNProtocols: ['mqtt'], rejectUnauthorized: false, clientId: 'wrong-sni', username: signedUser('device') });
      assert.equal(c.code, 5);
      const d = await waitDecision((x) => x.clientId === 'wrong-sni', 'the SNI refusal');
      assert.match(d.reason, /SNI is "elsewhere.example", not the endpoint host name "localhost"/);
      await end(c.client);
    });
  });

  it('a busy port is a clear error naming the port and how to change it', async () => {
    await assert.rejects(
      startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: true, port, settingNames: { port: 'iotAuthz.localEndpoint.port' } }),
      (e: Error & { code?: string; hint?: string }) => {
        assert.equal(e.code, 'ENDPOINT_PORT_BUSY');
        assert.match(e.message, new RegExp(`Port ${port}`));
        assert.match(e.hint ?? '', /iotAuthz\.localEndpoint\.port/);
        return true;
      },
    );
  });

  it('refuses to start without permission to run workspace code', async () => {
    await assert.rejects(startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: false, port: 0 }), /not trusted/);
  });
});

describe('core/endpoint: policy refresh and disconnect, time-scaled', function () {
  this.timeout(60_000);
  let ws: Awaited<ReturnType<typeof endpointWorkspace>>;
  let ep: LocalEndpoint;
  before(async () => {
    ws = await endpointWorkspace();
    // 300 s pass in 1 s.
    ep = await startLocalEndpoint({ workspaceRoot: ws.dir, allowCodeExecution: true, port: 0, timeScale: 300, authorizers: 'signed.authorizer.json' });
  });
  after(async () => {
    await ep?.stop();
    ws?.cleanup();
  });
  const user = (token: string) => mqttUsername({ authorizerName: 'fixture-signed', tokenKeyName: 'token', token, signature: ws.sign('fixture', token) });
  const opts = (clientId: string, token: string): IClientOptions => ({ ca: fs.readFileSync(ep.info.caPath), servername: 'localhost', ALPNProtocols: ['mqtt'], clientId, username: user(token) });

  it('a refresh replaces the policies: the first allows refresh/first, the refreshed one only refresh/second', async () => {
    const c = await connect(`mqtts://localhost:${ep.info.port}`, opts('refresher', 'refresh'));
    assert.equal(c.code, 0);
    await c.client.publishAsync('refresh/first', 'before', { qos: 1 });
    const refreshed = await within<DecisionRecord>(10_000, 'the refresh', (done) => ep.onDecision((d) => d.kind === 'refresh' && d.clientId === 'refresher' && done(d)));
    assert.equal(refreshed.allowed, true);
    assert.equal(ep.connections().find((x) => x.clientId === 'refresher')?.authorizations, 2);
    await c.client.publishAsync('refresh/second', 'after', { qos: 1 });
    const gone = closed(c.client);
    c.client.publish('refresh/first', 'no longer', { qos: 1 });
    await gone;
    const pubs = ep.recentDecisions().filter((d) => d.kind === 'publish' && d.clientId === 'refresher').map((d) => `${d.target} ${d.allowed}`);
    assert.deepEqual(pubs, ['refresh/first true', 'refresh/second true', 'refresh/first false']);
    await end(c.client);
  });

  it('disconnectAfterInSeconds closes the connection', async () => {
    const c = await connect(`mqtts://localhost:${ep.info.port}`, opts('short-lived', 'short'));
    assert.equal(c.code, 0);
    const reason = await within<string>(10_000, 'the TTL disconnect', (done) => ep.onDisconnect((x, r) => x.clientId === 'short-lived' && done(r)));
    assert.equal(reason, 'CUSTOMAUTH_TTL_EXPIRATION');
    await closed(c.client);
    const d = ep.recentDecisions().find((x) => x.kind === 'disconnect' && x.clientId === 'short-lived')!;
    assert.match(d.reason, /disconnectAfterInSeconds \(300 s/);
    await end(c.client);
  });

  it('stop() leaves no handler process', async () => {
    const pids = ep.handlers().map((h) => h.pid).filter((p): p is number => !!p);
    assert.ok(pids.length > 0);
    await ep.stop();
    for (const pid of pids) assert.ok(await gone(pid), `handler process ${pid} still runs`);
  });
});

