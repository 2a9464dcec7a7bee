import * as assert from 'node:assert/strict';
import { KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeployOutcome } from '../../../src/extension/aws/commands/deploy';
import type { DoctorOutcome } from '../../../src/extension/aws/commands/doctor';
import type { ExplorerNode, ExplorerSection } from '../../../src/extension/explorer/explorerProvider';
import type { AuthorizerDescription, TestInvokeResult } from '../../../src/core/aws';
import { AwsTestEndpoint } from '../../aws-endpoint/server';
import { getApi, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';
import { AwsFixture, startAwsFixture } from './fixture';

async function awsSection(): Promise<ExplorerSection | undefined> {
  const api = await getApi();
  for (const s of api.services.explorer.getSections()) {
    const item = await s.getTreeItem();
    if (item.id === 'section:aws') return s;
  }
  return undefined;
}

async function labels(nodes: ExplorerNode[]): Promise<string[]> {
  return Promise.all(nodes.map(async (n) => String((await n.getTreeItem()).label)));
}

describe('AWS: explorer, deploy, test-invoke, doctor against the local endpoint', function () {
  this.timeout(60_000);
  let fx: AwsFixture;
  let ep: AwsTestEndpoint;
  const sdkInCache = () => Object.keys(require.cache).some((k) => /[/\\]dist[/\\]aws\.js$/.test(k) || /node_modules[/\\]@aws-sdk[/\\]/.test(k));
  let privateKey: KeyObject;

  before(async () => {
    fx = await startAwsFixture('aws-it');
    ep = fx.ep;
    privateKey = fx.privateKey;
    ep.addFunction({
      functionName: 'it-authz-fn',
      timeout: 3,
      localHandler: (e) => ({
        isAuthenticated: e.token === 'allow',
        principalId: 'itDevice',
        policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }] }],
        refreshAfterInSeconds: 300,
        disconnectAfterInSeconds: 3600,
      }),
    });
  });

  after(async () => {
    restorePrompts();
    await vscode.workspace.getConfiguration('iotAuthz.aws').update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('iotAuthz.aws').update('region', undefined, vscode.ConfigurationTarget.Workspace);
    await fx.dispose();
  });
  afterEach(restorePrompts);

  function writeDefinition(extra: object = {}): string {
    const rel = 'aws-it/it.authorizer.json';
    fs.writeFileSync(
      path.join(workspaceFolder().uri.fsPath, rel),
      JSON.stringify({ authorizerName: 'it-authz', authorizerFunctionArn: ep.functionArn('it-authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/m.public.pem' } }, status: 'ACTIVE', ...extra }, null, 2),
    );
    return rel;
  }

  it('activation did not load the AWS SDK; before connecting, the AWS section offers Connect to AWS…', async () => {
    const api = await getApi();
    assert.equal(sdkInCache(), false, 'dist/aws.js or @aws-sdk was loaded before any AWS command');
    const s = await awsSection();
    assert.ok(s, 'the AWS section is registered');
    assert.ok((await api.services.explorer.getChildren()).includes(s), 'shown at the root');
    assert.equal((await s.getTreeItem()).description, 'not connected');
    const children = await s.getChildren!();
    assert.deepEqual(await labels(children), ['Connect to AWS…']);
    assert.equal((await children[0].getTreeItem()).command?.command, 'iotAuthz.aws.connect');
    assert.equal(sdkInCache(), false, 'showing the section loads no SDK');
  });

  it('Connect to AWS picks a profile and a region; the section lists the authorizers (default marked)', async () => {
    ep.addAuthorizer({ authorizerName: 'listed-1', authorizerFunctionArn: ep.functionArn('it-authz-fn'), signingDisabled: true });
    ep.addAuthorizer({ authorizerName: 'listed-2', authorizerFunctionArn: ep.functionArn('it-authz-fn'), signingDisabled: true });
    ep.defaultAuthorizerName = 'listed-2';
    const prompts = await scriptPrompts(['it', 'us-east-1']);
    const r = await vscode.commands.executeCommand<{ profile?: string; region: string }>('iotAuthz.aws.connect');
    assert.deepEqual(r, { profile: 'it', region: 'us-east-1' });
    assert.ok(prompts.asked[0].choices.includes('it'));
    const s = await awsSection();
    assert.notEqual((await s!.getTreeItem()).description, 'not connected');
    assert.match(String((await s!.getTreeItem()).description), /it · us-east-1/);
    const children = await s!.getChildren!();
    assert.deepEqual(await labels(children), ['listed-1', 'listed-2']);
    assert.equal((await children[1].getTreeItem()).contextValue, 'awsAuthorizer.ACTIVE.default');
    assert.equal(sdkInCache(), true, 'the SDK chunk is loaded at the first AWS call');
  });

  it('an AWS error shows in the section with what to do', async () => {
    ep.deny('iot:ListAuthorizers');
    try {
      await vscode.commands.executeCommand('iotAuthz.aws.refresh');
      const children = await (await awsSection())!.getChildren!();
      const text = (await labels(children)).join('\n');
      assert.match(text, /not allowed to call iot:ListAuthorizers/);
      assert.match(text, /Allow `iot:ListAuthorizers`/);
      assert.match(text, /Retry/);
    } finally {
      ep.resetFaults();
    }
  });

  it('Deploy creates from the definition (no confirmation with apply) and adds the invoke permission', async () => {
    const rel = writeDefinition();
    await scriptPrompts([undefined]);
    const out = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel, apply: true, addPermission: true });
    assert.ok(out);
    assert.equal(out.plan.action, 'create');
    assert.equal(out.applied, true);
    assert.equal(out.authorizerArn, ep.authorizerArn('it-authz'));
    assert.deepEqual(out.permission, { allowed: true, added: true, reason: 'Added statement iot-authz-it-authz.' });
    assert.equal(ep.authorizers.get('it-authz')?.tokenKeyName, 'tok');
    assert.equal(ep.functions.get('it-authz-fn')!.statements.length, 1);
  });

  it('Deploy shows the field-by-field diff in the confirmation and updates only when confirmed', async () => {
    const rel = writeDefinition({ status: 'INACTIVE' });
    const declined = await scriptPrompts([undefined]);
    const no = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel });
    assert.equal(no?.applied, false);
    const confirm = declined.asked.find((p) => p.kind === 'confirm');
    assert.ok(confirm, 'a confirmation was asked');
    assert.deepEqual(confirm.choices, ['Update']);
    assert.equal(ep.authorizers.get('it-authz')?.status, 'ACTIVE');
    await scriptPrompts(['Update', undefined]);
    const yes = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel });
    assert.equal(yes?.applied, true);
    assert.deepEqual(yes?.plan.changes, [{ field: 'status', from: 'ACTIVE', to: 'INACTIVE' }]);
    assert.equal(ep.authorizers.get('it-authz')?.status, 'INACTIVE');
    writeDefinition({ status: 'ACTIVE' });
    await scriptPrompts([undefined]);
    await vscode.commands.executeCommand('iotAuthz.aws.deploy', { uri: rel, apply: true });
  });

  it('Test in AWS sends the protocol contexts and returns AWS\'s answer', async () => {
    const signature = sign('RSA-SHA256', Buffer.from('allow'), privateKey).toString('base64');
    const r = await vscode.commands.executeCommand<TestInvokeResult>('iotAuthz.aws.testInvoke', { authorizerName: 'it-authz', protocol: 'mqtt', token: 'allow', signature, clientId: 'c1', show: false });
    assert.equal(r?.isAuthenticated, true);
    assert.equal(r?.principalId, 'itDevice');
    const body = JSON.parse(ep.requests.filter((q) => q.operation === 'TestInvokeAuthorizer').at(-1)!.body);
    assert.equal(body.mqttContext.clientId, 'c1');
    assert.match(body.mqttContext.username, /x-amz-customauthorizer-signature=/);
    assert.equal(body.tlsContext.serverName, ep.dataEndpoint);
  });

  it('Doctor finds a missing permission, matches the workspace key, and fixes it', async () => {
    ep.functions.get('it-authz-fn')!.statements.length = 0;
    const before = await vscode.commands.executeCommand<DoctorOutcome>('iotAuthz.aws.doctor', { authorizerName: 'it-authz', show: false });
    assert.equal(before?.status, 'fail');
    assert.equal(before?.checks.find((c) => c.id === 'lambda.permission')?.status, 'fail');
    assert.match(before!.checks.find((c) => c.id === 'key.k1.workspace')!.message, /aws-it\/keys\/m\.public\.pem/);
    const after = await vscode.commands.executeCommand<DoctorOutcome>('iotAuthz.aws.doctor', { authorizerName: 'it-authz', show: false, fix: true });
    assert.deepEqual(after?.fixed, ['lambda.permission: added statement iot-authz-it-authz']);
    assert.notEqual(after?.status, 'fail');
    assert.equal(ep.functions.get('it-authz-fn')!.statements.length, 1);
  });

  it('Describe and Download as Definition File round-trip the deployed authorizer', async () => {
    const d = await vscode.commands.executeCommand<AuthorizerDescription>('iotAuthz.aws.describe', { authorizerName: 'it-authz' });
    assert.equal(d?.authorizerArn, ep.authorizerArn('it-authz'));
    const file = await vscode.commands.executeCommand<string>('iotAuthz.aws.downloadDefinition', { authorizerName: 'it-authz', path: 'aws-it/downloaded.authorizer.json' });
    assert.ok(file && fs.existsSync(file));
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(json.authorizerName, 'it-authz');
    assert.match(json.tokenSigningPublicKeys.k1, /BEGIN PUBLIC KEY/);
    const again = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: 'aws-it/downloaded.authorizer.json', apply: true });
    assert.equal(again?.plan.action, 'none');
  });

  it('Set as Default and the explorer mark follow', async () => {
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.setDefault', { authorizerName: 'it-authz', confirm: false }), true);
    assert.equal(ep.defaultAuthorizerName, 'it-authz');
    const nodes = await waitFor(async () => {
      const children = await (await awsSection())!.getChildren!();
      const items = await Promise.all(children.map((c) => c.getTreeItem()));
      return items.find((i) => i.label === 'it-authz' && /^awsAuthorizer\.ACTIVE\.default/.test(String(i.contextValue))) ? items : undefined;
    }, 10_000, 100, 'it-authz marked default');
    assert.ok(nodes.length >= 3);
  });
});
