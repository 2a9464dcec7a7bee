import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import * as mqtt from 'mqtt';
import type { DecisionRecord, EndpointInfo } from '../../../src/core/endpoint';
import { loadDefinitionFile } from '../../../src/core/emulator/definition';
import { ensureKeyPair, signWithKeyFile } from '../../../src/core/emulator/testcases/keys';
import { mqttUsername } from '../../../src/core/tokens';
import type { ExplorerNode } from '../../../src/extension/explorer/explorerProvider';
import type { ConnectionNode } from '../../../src/extension/endpoint/explorer/connectionNode';
import type { DecisionNode } from '../../../src/extension/endpoint/explorer/decisionNode';
import type { EndpointFeature } from '../../../src/extension/endpoint/feature';
import { fixtureUri, getApi, isRestrictedPass, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';

// The worked example's authorizer (examples/walkthrough.authorizer.json: its name,
// token key name, token and signing key), with the Node handler README step 7
// describes: it also allows iot:Connect, so an MQTT device gets past CONNECT.
const DIR = 'endpoint-it';
const AUTHORIZER = 'walkthrough-authorizer';
const TOKEN_KEY = 'tokenKeyName';
const TOKEN = 'MyStringThatNeedsToBeSigned';
const TOPIC = 'customAuthTestTopic';
const CLIENT_ID = 'itEndpointDevice';
const MARKER = `${DIR}/handler-ran.marker`;
/** Workspace state of Sign Token's authorizer and token key names. */
const NAMES_KEY = 'iotAuthz.connectionNames';
const execFileAsync = promisify(execFile);

const HANDLER_JS = `'use strict';
const fs = require('fs');
const path = require('path');
exports.handler = async (event, context) => {
  fs.appendFileSync(path.join(__dirname, '..', 'handler-ran.marker'), event.connectionMetadata.id + '\\n');
  if (!event.signatureVerified || event.token !== process.env.EXPECTED_TOKEN) {
    return { isAuthenticated: false, principalId: 'unknown', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };
  }
  const [, , , region, account] = context.invokedFunctionArn.split(':');
  const arn = 'arn:aws:iot:' + region + ':' + account;
  return {
    isAuthenticated: true,
    principalId: 'walkthroughDevice',
    disconnectAfterInSeconds: 86400,
    refreshAfterInSeconds: 300,
    policyDocuments: [{
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: arn + ':client/\${iot:ClientId}' },
        // Both spellings: Sign Token's snippets have used AWS's walkthrough one (customAuhtTestTopic) too.
        { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [arn + ':topic/${TOPIC}', arn + ':topic/customAuhtTestTopic'] },
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn + ':topicfilter/${TOPIC}' },
      ],
    }],
  };
};
`;

const DEFINITION = {
  authorizerName: AUTHORIZER,
  authorizerFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${AUTHORIZER}`,
  tokenKeyName: TOKEN_KEY,
  tokenSigningPublicKeys: { FirstKey: { path: 'keys/walkthrough.public.pem' } },
  status: 'ACTIVE',
  region: 'us-east-1',
  account: '123456789012',
  handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler', timeoutSeconds: 5, environment: { EXPECTED_TOKEN: TOKEN } },
};

async function feature(): Promise<EndpointFeature> {
  const api = await getApi();
  assert.ok(api.endpoint, 'activate() returns { endpoint }');
  return api.endpoint;
}

async function labelOf(node: ExplorerNode): Promise<string> {
  const item = await node.getTreeItem();
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The section's child with this label, and its children: read through the tree data provider, as the view does. */
async function group(f: EndpointFeature, label: string): Promise<ExplorerNode[]> {
  const api = await getApi();
  const roots = await api.services.explorer.getChildren();
  assert.ok(roots.includes(f.section), 'the Local endpoint section is shown at the root');
  for (const child of await api.services.explorer.getChildren(f.section)) {
    if ((await labelOf(child)) === label) return api.services.explorer.getChildren(child);
  }
  throw new Error(`no "${label}" under Local endpoint`);
}

async function decisionNodes(f: EndpointFeature): Promise<DecisionNode[]> {
  return (await group(f, 'Recent decisions')) as DecisionNode[];
}

function hasDecision(nodes: DecisionNode[], kind: DecisionRecord['kind'], target: string, allowed: boolean): DecisionNode | undefined {
  return nodes.find((n) => n.decision.kind === kind && (n.decision.target ?? n.decision.clientId) === target && n.decision.allowed === allowed);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Local endpoint: Start, a real MQTT client, live explorer section, Stop', function () {
  this.timeout(120_000);
  let signature: string;
  const config = () => vscode.workspace.getConfiguration('iotAuthz.endpoint', workspaceFolder().uri);

  before(async () => {
    const dir = fixtureUri(DIR).fsPath;
    fs.mkdirSync(path.join(dir, 'lambda'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lambda', 'index.js'), HANDLER_JS);
    fs.writeFileSync(path.join(dir, 'walkthrough.authorizer.json'), JSON.stringify(DEFINITION, null, 2));
    const def = loadDefinitionFile(path.join(dir, 'walkthrough.authorizer.json'), { workspaceRoot: workspaceFolder().uri.fsPath });
    const key = path.join(dir, 'keys', 'walkthrough.private.pem');
    await ensureKeyPair(key, def);
    signature = signWithKeyFile(key, TOKEN);
    // Any free port; only this suite's definition (the fixture workspace has others, some broken on purpose).
    await config().update('port', 0, vscode.ConfigurationTarget.Workspace);
    await config().update('authorizerGlobs', [`${DIR}/*.authorizer.json`], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await restorePrompts();
    await vscode.commands.executeCommand('iotAuthz.endpoint.stop');
    await config().update('port', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('authorizerGlobs', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('starts from the command, a client connects over TLS with ALPN mqtt, its connection and decisions show, and Stop leaves nothing listening', async () => {
    const f = await feature();
    const prompts = await scriptPrompts([]);
    const info = await vscode.commands.executeCommand<EndpointInfo>('iotAuthz.endpoint.start');
    assert.ok(info, `Start returned the endpoint's info; asked: ${JSON.stringify(prompts.asked)}`);
    assert.ok(info.port > 0, 'an ephemeral port was chosen (setting 0)');
    assert.ok(fs.existsSync(info.caPath), `the CA certificate exists: ${info.caPath}`);
    assert.ok(info.caPath.startsWith(fixtureUri('.iot-authz').fsPath), 'in the tlsFolder setting (default .iot-authz/)');
    assert.ok(info.authorizers.some((a) => a.name === AUTHORIZER));
    assert.equal(f.statusBar.visible, true, 'the status bar item shows while it runs');
    assert.match(f.statusBar.item.text, new RegExp(`:${info.port}`));
    const sectionItem = await f.section.getTreeItem();
    assert.equal(sectionItem.contextValue, 'endpointSection.running');
    const facts = await Promise.all((await (await getApi()).services.explorer.getChildren(f.section)).map(async (n) => `${await labelOf(n)}: ${String((await n.getTreeItem()).description)}`));
    assert.ok(facts.includes(`URL: ${info.urls.mqtts}`), JSON.stringify(facts));
    assert.ok(facts.some((t) => t.startsWith('CA certificate: ') && t.endsWith('ca.pem')), JSON.stringify(facts));

    const client = await mqtt.connectAsync({
      protocol: 'mqtts',
      host: '127.0.0.1',
      port: info.port,
      servername: info.hostName,
      ALPNProtocols: ['mqtt'],
      ca: fs.readFileSync(info.caPath),
      clientId: CLIENT_ID,
      username: mqttUsername({ authorizerName: AUTHORIZER, tokenKeyName: TOKEN_KEY, token: TOKEN, signature }),
      reconnectPeriod: 0,
      connectTimeout: 15_000,
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    try {
      const granted = await client.subscribeAsync(TOPIC, { qos: 1 });
      assert.equal(granted[0].qos, 1, 'the subscription is granted');
      const received = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
      await client.publishAsync(TOPIC, 'hello from the integration test', { qos: 1 });
      assert.equal(await received, 'hello from the integration test', 'the allowed publish is delivered to the subscriber');

      // The connection, live, in the explorer section.
      const conn = await waitFor(async () => ((await group(f, 'Connections')) as ConnectionNode[]).find((n) => n.connection.clientId === CLIENT_ID), 10_000, 100, 'the connection in the explorer');
      const connItem = await conn.getTreeItem();
      assert.equal(connItem.label, CLIENT_ID);
      assert.match(String(connItem.description), /^MQTT · walkthroughDevice · up \d+s · refresh in 4m \d\ds$/);

      // The denied publish: IoT Core closes the connection.
      client.publish('some/other/topic', 'not allowed', { qos: 0 });
      await closed;
    } finally {
      client.end(true);
    }

    const nodes = await waitFor(async () => {
      const all = await decisionNodes(f);
      return hasDecision(all, 'publish', 'some/other/topic', false) ? all : undefined;
    }, 10_000, 100, 'the denied publish in Recent decisions');
    for (const [kind, target] of [['connect', CLIENT_ID], ['subscribe', TOPIC], ['publish', TOPIC], ['receive', TOPIC]] as const) {
      assert.ok(hasDecision(nodes, kind, target, true), `${kind} ${target} allowed, in ${nodes.map((n) => `${n.decision.kind} ${n.decision.target} ${n.decision.allowed}`).join('; ')}`);
    }
    const denied = hasDecision(nodes, 'publish', 'some/other/topic', false)!;
    const deniedItem = await denied.getTreeItem();
    assert.equal((deniedItem.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal(deniedItem.contextValue, 'endpointDecision.deny');
    assert.equal((await hasDecision(nodes, 'publish', TOPIC, true)!.getTreeItem()).contextValue, 'endpointDecision.allow');
    assert.ok(fs.readFileSync(fixtureUri(MARKER).fsPath, 'utf8').trim().split('\n').length >= 1, 'the handler ran');

    // Selecting the decision opens the results panel on it: the connection's chain and the decision.
    const api = await getApi();
    await vscode.commands.executeCommand(deniedItem.command!.command, ...(deniedItem.command!.arguments ?? []));
    const model = api.results.lastModel!;
    assert.equal(model.source, 'endpoint');
    assert.equal(model.result.decisions?.length, 1);
    assert.equal(model.result.decisions![0].decision, 'deny');
    assert.equal(model.result.decisions![0].action, 'iot:Publish');
    assert.equal(model.result.connect?.decision, 'allow', "the connection's chain is shown with it");
    assert.equal(model.result.principalId, 'walkthroughDevice');

    // Sign Token offers the same snippets pointed at the running endpoint; the copied mosquitto_pub works as written.
    const state = api.services.context.workspaceState;
    await state.update(NAMES_KEY, { authorizerName: AUTHORIZER, tokenKeyName: TOKEN_KEY });
    try {
      const signPrompts = await scriptPrompts(['mosquitto_pub: local endpoint', { kind: 'quickPick', answer: undefined }]);
      await vscode.commands.executeCommand('iotAuthz.signToken', { keyPath: fixtureUri(`${DIR}/keys/walkthrough.private.pem`).fsPath, token: TOKEN });
      await waitFor(() => signPrompts.remaining.length === 0, 10_000, 50, 'the local mosquitto_pub snippet copied');
      const list = signPrompts.asked.find((p) => p.kind === 'quickPick')!;
      assert.ok(['curl: local endpoint', 'mqtt.js: local endpoint'].every((l) => list.choices.some((c) => c.includes(l))), JSON.stringify(list.choices));
      const command = await vscode.env.clipboard.readText();
      assert.match(command, new RegExp(`-p ${info.port} --tls-alpn mqtt`));
      assert.ok(command.includes(`--cafile '${info.caPath}'`), command);
      await execFileAsync('sh', ['-c', command], { timeout: 30_000 });
      await waitFor(async () => (await decisionNodes(f)).some((n) => n.decision.kind === 'publish' && n.decision.clientId === 'myClientId' && n.decision.allowed), 10_000, 100, "the snippet's publish, allowed");
    } finally {
      await state.update(NAMES_KEY, undefined);
    }

    // Stop: nothing listening, no handler process left.
    const pids = f.controller.handlerPids();
    assert.ok(pids.length >= 1, 'a warm handler process ran');
    assert.equal(await vscode.commands.executeCommand('iotAuthz.endpoint.stop'), true);
    assert.equal(f.controller.state, 'stopped');
    assert.equal(await canConnect(info.port), false, 'nothing listens on the port any more');
    await waitFor(() => pids.every((pid) => !processAlive(pid)), 10_000, 100, 'handler processes gone');
    assert.equal(f.statusBar.visible, false);
    assert.equal((await f.section.getTreeItem()).contextValue, 'endpointSection.stopped');
    const stoppedChildren = await (await getApi()).services.explorer.getChildren(f.section);
    assert.equal(await labelOf(stoppedChildren[0]), 'Start Local IoT Endpoint');
  });

  it('a busy port is an error naming the setting', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    await vscode.commands.executeCommand('iotAuthz.endpoint.stop');
    try {
      await config().update('port', port, vscode.ConfigurationTarget.Workspace);
      const prompts = await scriptPrompts([]);
      const out = await vscode.commands.executeCommand('iotAuthz.endpoint.start');
      assert.equal(out, undefined);
      const error = prompts.asked.find((p) => p.kind === 'error');
      assert.ok(error, `an error was shown: ${JSON.stringify(prompts.asked)}`);
      assert.match(error.message, new RegExp(`${port}`));
      assert.match(error.message, /iotAuthz\.endpoint\.port/);
      assert.equal((await feature()).controller.state, 'stopped');
    } finally {
      blocker.close();
      await config().update('port', 0, vscode.ConfigurationTarget.Workspace);
    }
  });
});

// Runs only in the restricted pass (the launcher selects titles with "[restricted]").
describe('Local endpoint: [restricted] Start in Restricted Mode', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);

  it('refuses with a message about workspace trust, and nothing starts', async () => {
    assert.equal(isRestrictedPass(), true);
    assert.equal(vscode.workspace.isTrusted, false);
    const f = await feature();
    const prompts = await scriptPrompts([undefined]);
    const out = await vscode.commands.executeCommand('iotAuthz.endpoint.start');
    assert.equal(out, undefined);
    const warn = prompts.asked.find((p) => p.kind === 'warn');
    assert.ok(warn, `a warning was shown: ${JSON.stringify(prompts.asked)}`);
    assert.match(warn.message, /Restricted Mode/);
    assert.match(warn.message, /workspace trust/);
    assert.deepEqual(warn.choices, ['Manage Workspace Trust']);
    assert.equal(f.controller.state, 'stopped');
    assert.equal(f.statusBar.visible, false);
    assert.equal(fs.existsSync(fixtureUri('.iot-authz').fsPath), false, 'no TLS material was generated');
  });
});
