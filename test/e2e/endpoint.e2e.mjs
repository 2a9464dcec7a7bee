// The local IoT endpoint in the real VS Code 1.100 web workbench, on a copy
// of examples/: Start Local IoT Endpoint from the palette, real clients
// (mqtt.js over TLS with ALPN mqtt, curl for HTTPS publish) connect with the
// worked example's token, and the Authorizer Explorer's "Local endpoint"
// section shows the connection and each decision live; a denied decision
// opens in the results panel; Stop leaves nothing listening.
//
//   node test/e2e/endpoint.e2e.mjs                # run the checks
//   node test/e2e/endpoint.e2e.mjs --screenshots  # also refresh docs/images/endpoint.png
//
// Needs dist/ (node scripts/build.mjs) and curl. Prints one line per check and
// `[e2e] N passing, N failing`; exit 1 on failure.
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { isMain, runScenario } from './harness.mjs';

const AUTHORIZER = 'walkthrough-authorizer';
const TOKEN_KEY = 'tokenKeyName';
const TOKEN = 'MyStringThatNeedsToBeSigned';
const DENIED_TOPIC = 'some/other/topic';
const PREFERRED_PORT = 4443;

/** The topic the example's handler allows, read from the handler itself (its spelling has changed before). */
function exampleTopic(folder) {
  const py = readFileSync(join(folder, 'lambda', 'python', 'lambda_function.py'), 'utf8');
  const m = /^TOPIC\s*=\s*"([^"]+)"/m.exec(py);
  if (!m) throw new Error('no TOPIC = "..." in the example handler');
  return m[1];
}

/**
 * The README's step: the walkthrough's policy grants only iot:Publish, so MQTT
 * clients need the three statements the README adds (Connect, Subscribe, Receive).
 */
const README_STATEMENTS = `{"Action": "iot:Connect", "Effect": "Allow", "Resource": "arn:aws:iot:%s:%s:client/\${iot:ClientId}" % (region, account)},
{"Action": ["iot:Subscribe"], "Effect": "Allow", "Resource": "arn:aws:iot:%s:%s:topicfilter/%s" % (region, account, TOPIC)},
{"Action": ["iot:Receive"], "Effect": "Allow", "Resource": "arn:aws:iot:%s:%s:topic/%s" % (region, account, TOPIC)},
`;

function addReadmeStatements(folder) {
  const file = join(folder, 'lambda', 'python', 'lambda_function.py');
  const py = readFileSync(file, 'utf8');
  if (!py.includes('"Statement": [\n')) throw new Error('the example handler has no "Statement": [ line to extend');
  writeFileSync(file, py.replace('"Statement": [\n', `"Statement": [\n${README_STATEMENTS}`));
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function listening(port) {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function username(signature) {
  return `?x-amz-customauthorizer-name=${encodeURIComponent(AUTHORIZER)}&${TOKEN_KEY}=${encodeURIComponent(TOKEN)}&x-amz-customauthorizer-signature=${encodeURIComponent(signature)}`;
}

export function runE2E({ screenshots = false, log, timeoutMs = 300_000 } = {}) {
  let port = PREFERRED_PORT;
  const prepare = async (folder) => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'keygen', '--out', 'keys', '--name', 'walkthrough'], { cwd: folder, stdio: 'pipe' });
    addReadmeStatements(folder);
    // The README's port when it is free (the screenshot shows it), any free port otherwise.
    if (!(await portFree(PREFERRED_PORT))) port = 0;
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'iotAuthz.endpoint.port': port }, null, 2));
  };
  return runScenario({ name: 'endpoint', prepare, screenshots, log, timeoutMs }, async (t) => {
    const { page, check, shot, folder } = t;
    const topic = exampleTopic(folder);
    const signature = sign('RSA-SHA256', Buffer.from(TOKEN), readFileSync(join(folder, 'keys', 'walkthrough.private.pem'))).toString('base64');
    const caPath = join(folder, '.iot-authz', 'ca.pem');
    const statusItem = page.locator('.statusbar-item', { hasText: /IoT endpoint :\d+/ }).first();
    const clients = [];

    await check('the Local endpoint section offers Start while stopped', async () => {
      await t.open();
      await t.showExplorer();
      await t.treeRow('Local endpoint').waitFor({ state: 'visible', timeout: 60_000 });
      await t.treeRow('Start Local IoT Endpoint').waitFor({ state: 'visible' });
    });

    await check('Start Local IoT Endpoint from the palette: status bar item, URL and CA in the section', async () => {
      await t.runCommand('IoT Authorizer: Start Local IoT Endpoint');
      await statusItem.waitFor({ state: 'visible', timeout: 60_000 });
      const text = await statusItem.innerText();
      port = Number(/IoT endpoint :(\d+)/.exec(text)[1]);
      await t.treeRow('URL').waitFor({ state: 'visible' });
      await t.treeRow('CA certificate').waitFor({ state: 'visible' });
      if (!existsSync(caPath)) throw new Error(`no CA at ${caPath}`);
    });

    await check('mqtt.js clients connect over TLS with ALPN mqtt; an allowed publish reaches the subscriber', async () => {
      const options = (clientId) => ({ protocol: 'mqtts', host: '127.0.0.1', port, servername: 'localhost', ALPNProtocols: ['mqtt'], ca: readFileSync(caPath), clientId, username: username(signature), reconnectPeriod: 0, connectTimeout: 20_000 });
      const sensor = await mqtt.connectAsync(options('sensor-1'));
      clients.push(sensor);
      await sensor.subscribeAsync(topic, { qos: 1 });
      const got = new Promise((resolve) => sensor.once('message', (_t, p) => resolve(p.toString())));
      const app = await mqtt.connectAsync(options('dashboard'));
      clients.push(app);
      await app.publishAsync(topic, '{"temperature":21.5}', { qos: 1 });
      if ((await got) !== '{"temperature":21.5}') throw new Error('the subscriber did not get the message');
      const closed = new Promise((resolve) => app.once('close', resolve));
      app.publish(DENIED_TOPIC, 'nope', { qos: 0 });
      await closed; // a denied publish closes the connection, as IoT Core does
    });

    await check("curl's HTTPS publish with the authorizer headers is answered 200 OK", async () => {
      const out = execFileSync('curl', [
        '--silent', '--show-error', '--cacert', caPath, '-X', 'POST', `https://localhost:${port}/topics/${encodeURIComponent(topic)}?qos=1`,
        '-H', `x-amz-customauthorizer-name: ${AUTHORIZER}`, '-H', `${TOKEN_KEY}: ${TOKEN}`, '-H', `x-amz-customauthorizer-signature: ${signature}`,
        '--data', '{"hello":"world"}',
      ], { encoding: 'utf8' });
      if (!/"message"\s*:\s*"OK"/.test(out)) throw new Error(`curl answered ${out}`);
    });

    await check('the section shows the live connection and the allow and deny decisions', async () => {
      await t.treeRow('sensor-1').waitFor({ state: 'visible', timeout: 15_000 });
      await t.treeRow(`publish ${DENIED_TOPIC}`).waitFor({ state: 'visible' });
      await t.treeRow(`receive ${topic}`).waitFor({ state: 'visible' });
      await t.parkMouse();
      await page.waitForTimeout(500);
    });
    await shot('endpoint.png');

    await check('a denied decision opens in the results panel with its deciding step', async () => {
      await t.treeRow(`publish ${DENIED_TOPIC}`).click();
      await t.webview.locator('body', { hasText: DENIED_TOPIC }).waitFor({ timeout: 20_000 });
      await t.webview.locator('body', { hasText: /Local IoT endpoint/ }).waitFor();
    });

    await check('Stop Local IoT Endpoint closes the clients and the port', async () => {
      const closed = clients.filter((c) => c.connected).map((c) => new Promise((resolve) => c.once('close', resolve)));
      await t.runCommand('IoT Authorizer: Stop Local IoT Endpoint');
      await Promise.all(closed);
      await t.treeRow('Start Local IoT Endpoint').waitFor({ state: 'visible', timeout: 30_000 });
      await statusItem.waitFor({ state: 'hidden' });
      if (await listening(port)) throw new Error(`port ${port} still listening`);
    });
    for (const c of clients) c.end(true);
  });
}

if (isMain(import.meta.url)) process.exit((await runE2E({ screenshots: process.argv.includes('--screenshots') })).failed ? 1 : 0);
