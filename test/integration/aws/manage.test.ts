import * as assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestInvokeResult } from '../../../src/core/aws';
import type { CompareOutcome } from '../../../src/extension/aws/commands/compareWithLocal';
import type { DeleteOutcome } from '../../../src/extension/aws/commands/deleteAuthorizer';
import type { DeployOutcome } from '../../../src/extension/aws/commands/deploy';
import type { AuthorizerNode } from '../../../src/extension/aws/explorer/authorizerNode';
import type { ExplorerNode } from '../../../src/extension/explorer/explorerProvider';
import { getApi, restorePrompts, scriptPrompts, waitFor } from '../helpers';
import { ALLOW_POLICY, AwsFixture, awsSection, HANDLER_JS, startAwsFixture } from './fixture';

async function items(nodes: ExplorerNode[]): Promise<vscode.TreeItem[]> {
  return Promise.all(nodes.map((n) => n.getTreeItem()));
}

describe('AWS: status bar, explorer details, test invoke in the panel, manage, errors', function () {
  this.timeout(60_000);
  let fx: AwsFixture;
  let signature: string;

  before(async () => {
    fx = await startAwsFixture('aws-manage');
    const { ep } = fx;
    ep.addFunction({ functionName: 'alpha-fn', localHandler: (e) => ({ isAuthenticated: e.token === 'allow', principalId: 'itDevice', policyDocuments: [ALLOW_POLICY], refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600 }) });
    ep.addFunction({ functionName: 'beta-fn', localHandler: () => ({ isAuthenticated: true, principalId: 'beta', policyDocuments: [] }) });
    ep.addAuthorizer({ authorizerName: 'alpha', authorizerFunctionArn: ep.functionArn('alpha-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: fx.publicPem }, status: 'ACTIVE' });
    ep.addAuthorizer({ authorizerName: 'beta', authorizerFunctionArn: ep.functionArn('beta-fn'), signingDisabled: true, status: 'INACTIVE' });
    ep.defaultAuthorizerName = 'beta';
    signature = sign('RSA-SHA256', Buffer.from('allow'), fx.privateKey).toString('base64');
    // alpha's definition, with a handler: "Compare with local run" applies to it.
    fs.mkdirSync(path.join(fx.abs, 'lambda'), { recursive: true });
    fs.writeFileSync(path.join(fx.abs, 'lambda', 'index.js'), HANDLER_JS);
    fs.writeFileSync(
      path.join(fx.abs, 'alpha.authorizer.json'),
      JSON.stringify({ authorizerName: 'alpha', authorizerFunctionArn: ep.functionArn('alpha-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/m.public.pem' } }, status: 'ACTIVE', region: ep.region, account: ep.account, handler: { runtime: 'nodejs', file: 'lambda/index.js', function: 'handler' } }, null, 2),
    );
  });
  after(async () => {
    await restorePrompts();
    await fx.dispose();
  });
  afterEach(restorePrompts);

  async function listed(): Promise<AuthorizerNode[]> {
    const api = await getApi();
    api.aws.section.refresh();
    await (await awsSection()).getChildren!();
    return api.aws.section.lastNodes!;
  }

  it('the status bar item is hidden until connected, then shows "profile · region" and follows Select AWS Region (kept per workspace, not in settings)', async () => {
    const api = await getApi();
    const bar = api.aws.statusBar!;
    assert.equal(bar.visible, false, 'hidden before the first connection in this workspace');
    await vscode.commands.executeCommand('iotAuthz.aws.connect', { profile: 'it', region: 'us-east-1' });
    assert.equal(bar.visible, true);
    assert.equal(bar.item.text, '$(cloud) it · us-east-1');
    assert.equal(bar.item.command, 'iotAuthz.aws.selectProfile');
    assert.match(bar.tooltipText, /Profile: `it`/);
    const prompts = await scriptPrompts(['eu-west-1']);
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.selectRegion'), 'eu-west-1');
    assert.equal(prompts.asked[0].message, 'Select AWS Region');
    assert.equal(bar.item.text, '$(cloud) it · eu-west-1');
    assert.equal(api.services.context.workspaceState.get('iotAuthz.aws.region'), 'eu-west-1');
    assert.equal(vscode.workspace.getConfiguration('iotAuthz.aws').inspect('region')?.workspaceValue, undefined, 'the choice is not written to the workspace settings');
    await scriptPrompts(['it']);
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.selectProfile'), 'it');
    await vscode.commands.executeCommand('iotAuthz.aws.selectRegion', { region: 'us-east-1' });
    assert.equal(bar.item.text, '$(cloud) it · us-east-1');
    assert.match(String((await (await awsSection()).getTreeItem()).description), /^it · us-east-1/);
  });

  it('the explorer lists the authorizers with status and default mark; expanding one shows its details, a matching workspace key and the missing invoke permission', async () => {
    const nodes = await listed();
    const listItems = await items(nodes);
    assert.deepEqual(listItems.map((i) => [i.label, i.description, i.contextValue]), [
      ['alpha', 'ACTIVE', 'awsAuthorizer.ACTIVE.local'],
      ['beta', 'INACTIVE · default', 'awsAuthorizer.INACTIVE.default'],
    ]);
    assert.equal((listItems[1].iconPath as vscode.ThemeIcon).id, 'circle-slash');
    const describes = () => fx.ep.requests.filter((r) => r.operation === 'DescribeAuthorizer').length;
    // Each row's details load once in the background (the invoke-permission warning shows on the row).
    await waitFor(() => describes() === 2, 10_000, 50, 'one background DescribeAuthorizer per row');
    const alpha = nodes[0];
    const children = await items(await alpha.getChildren());
    const byLabel = Object.fromEntries(children.map((c) => [String(c.label), c]));
    assert.equal(byLabel['Function'].description, 'alpha-fn');
    assert.equal(byLabel['Function'].tooltip, fx.ep.functionArn('alpha-fn'));
    assert.equal(byLabel['Token key name'].description, 'tok');
    assert.equal(byLabel['Signing'].description, 'enabled');
    assert.equal(byLabel['HTTP caching'].description, 'off');
    assert.match(String(byLabel['Key k1'].description), /^RSA 2048 · SHA-256 [0-9A-F:]+… · matches aws-manage\/keys\/m\.(public|private)\.pem$/);
    assert.equal(byLabel['Key k1'].contextValue, 'awsSigningKey.match');
    assert.equal(byLabel['IoT cannot invoke the Lambda'].contextValue, 'awsInvokePermission.missing');
    const after = await alpha.getTreeItem();
    assert.equal(after.description, 'ACTIVE · IoT cannot invoke the Lambda');
    assert.equal((after.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(after.contextValue, 'awsAuthorizer.ACTIVE.noInvoke.local');
    assert.equal(describes(), 2, 'expanding reuses the row\'s details');
    await alpha.getChildren();
    assert.equal(describes(), 2, 'a second expansion reuses the details');
  });

  it('access denied on GetPolicy is a neutral "not checked" note, not a warning', async () => {
    fx.ep.deny('lambda:GetPolicy');
    try {
      const alpha = (await listed())[0];
      const children = await items(await alpha.getChildren());
      const note = children.find((c) => c.label === 'Invoke permission not checked');
      assert.ok(note, `children: ${children.map((c) => c.label).join(', ')}`);
      assert.match(String(note.description), /lambda:GetPolicy/);
      assert.equal((note.iconPath as vscode.ThemeIcon).id, 'info');
      const item = await alpha.getTreeItem();
      assert.equal(item.description, 'ACTIVE');
      assert.doesNotMatch(String(item.contextValue), /noInvoke/);
    } finally {
      fx.ep.resetFaults();
    }
  });

  it('the permission fix shows the exact statement first, adds nothing when dismissed, and adds exactly one statement when confirmed', async () => {
    const declined = await scriptPrompts([undefined]);
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.addPermission', { authorizerName: 'alpha' }), undefined);
    const confirm = declined.asked.find((p) => p.kind === 'confirm')!;
    assert.deepEqual(confirm.choices, ['Add Permission']);
    const detail = String((confirm.options as { detail: string }).detail);
    // The dialog's JSON is indented with no-break spaces (dialogs collapse leading spaces).
    const json = JSON.parse(detail.slice(detail.indexOf('{')).replace(/\u00a0/g, ' '));
    assert.deepEqual(json, {
      Sid: 'iot-authz-alpha',
      Effect: 'Allow',
      Principal: { Service: 'iot.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fx.ep.functionArn('alpha-fn'),
      Condition: { StringEquals: { 'AWS:SourceAccount': fx.ep.account }, ArnLike: { 'AWS:SourceArn': fx.ep.authorizerArn('alpha') } },
    });
    assert.equal(fx.ep.functions.get('alpha-fn')!.statements.length, 0);
    assert.equal(fx.ep.requests.filter((r) => r.operation === 'AddPermission').length, 0);
    await scriptPrompts(['Add Permission']);
    assert.ok(await vscode.commands.executeCommand('iotAuthz.aws.addPermission', { authorizerName: 'alpha' }));
    const policy = JSON.parse(fx.ep.policyOf('alpha-fn')!);
    assert.equal(policy.Statement.length, 1);
    assert.deepEqual(policy.Statement[0], json);
    const alpha = (await listed())[0];
    const children = await items(await alpha.getChildren());
    assert.ok(children.some((c) => c.label === 'IoT can invoke the Lambda'));
    assert.equal((await alpha.getTreeItem()).description, 'ACTIVE');
  });

  it('Test Invoke shows AWS\'s decision in the results panel, with the policies evaluated for the requested operations', async () => {
    const api = await getApi();
    const r = await vscode.commands.executeCommand<TestInvokeResult>('iotAuthz.aws.testInvoke', {
      authorizerName: 'alpha', protocol: 'mqtt', token: 'allow', signature, clientId: 'c1', operations: ['iot:Publish devices/c1/t', 'iot:Subscribe devices/c1/#'],
    });
    assert.equal(r?.isAuthenticated, true);
    const model = api.results.lastModel!;
    assert.equal(model.source, 'aws');
    assert.equal(model.result.outcome, 'accepted');
    assert.equal(model.result.principalId, 'itDevice');
    assert.equal(model.result.connect?.decision, 'allow');
    assert.deepEqual(model.result.decisions?.map((d) => [d.action, d.input, d.decision]), [
      ['iot:Publish', 'devices/c1/t', 'allow'],
      ['iot:Subscribe', 'devices/c1/#', 'deny'],
    ]);
    assert.deepEqual(model.result.responseFindings?.filter((f) => f.severity === 'error'), []);
    const rendered = await waitFor(() => (api.results.lastRendered && api.results.lastRendered.seq === api.results.currentSeq ? api.results.lastRendered : undefined), 20_000, 100, 'the panel rendered the AWS result');
    assert.match(rendered.text, /AWS TestInvokeAuthorizer/);
    assert.match(rendered.text, /itDevice/);
  });

  it('Compare with local run shows the AWS result with the local run in the compare slot', async function () {
    const api = await getApi();
    const out = await vscode.commands.executeCommand<CompareOutcome>('iotAuthz.aws.compareWithLocal', { authorizerName: 'alpha', protocol: 'https', token: 'allow', signature, operations: ['iot:Publish devices/c1/t'] });
    assert.ok(out, 'the command returned an outcome');
    assert.equal(out.aws.outcome, 'accepted');
    assert.equal(out.local?.outcome, 'accepted', out.localSkipped);
    const model = api.results.lastModel!;
    assert.equal(model.source, 'aws');
    assert.equal(model.compare?.source, 'local');
    assert.equal(model.compare?.result.decisions?.[0].decision, 'allow');
    assert.equal(model.result.decisions?.[0].decision, 'allow');
    assert.equal(model.authorizerFile, 'aws-manage/alpha.authorizer.json');
  });

  it('Deploy creates, then updates on the second call (with the diff in the confirmation)', async () => {
    const rel = `${fx.dir}/gamma.authorizer.json`;
    const write = (status: string) =>
      fs.writeFileSync(path.join(fx.abs, 'gamma.authorizer.json'), JSON.stringify({ authorizerName: 'gamma', authorizerFunctionArn: fx.ep.functionArn('alpha-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/m.public.pem' } }, status }, null, 2));
    write('ACTIVE');
    const first = await scriptPrompts(['Create', undefined]);
    const created = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel });
    assert.equal(created?.plan.action, 'create');
    assert.equal(created?.applied, true);
    assert.match(String((first.asked.find((p) => p.kind === 'confirm')!.options as { detail: string }).detail), /Create authorizer 'gamma':\n {2}\+ authorizerFunctionArn: /);
    write('INACTIVE');
    const second = await scriptPrompts(['Update', undefined]);
    const updated = await vscode.commands.executeCommand<DeployOutcome>('iotAuthz.aws.deploy', { uri: rel });
    assert.equal(updated?.plan.action, 'update');
    assert.equal(updated?.applied, true);
    assert.match(String((second.asked.find((p) => p.kind === 'confirm')!.options as { detail: string }).detail), /~ status: ACTIVE -> INACTIVE/);
    const writes = fx.ep.requests.filter((r) => r.path === '/authorizer/gamma' && r.method !== 'GET').map((r) => r.operation);
    assert.deepEqual(writes, ['CreateAuthorizer', 'UpdateAuthorizer']);
    assert.equal(fx.ep.authorizers.get('gamma')?.status, 'INACTIVE');
  });

  it('Activate and Deactivate change the status after a confirmation', async () => {
    const declined = await scriptPrompts([undefined]);
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.activate', { authorizerName: 'gamma' }), undefined);
    assert.match(declined.asked[0].message, /Activate authorizer 'gamma' in us-east-1\?/);
    assert.equal(fx.ep.authorizers.get('gamma')?.status, 'INACTIVE');
    await scriptPrompts(['Activate']);
    await vscode.commands.executeCommand('iotAuthz.aws.activate', { authorizerName: 'gamma' });
    assert.equal(fx.ep.authorizers.get('gamma')?.status, 'ACTIVE');
    await vscode.commands.executeCommand('iotAuthz.aws.deactivate', { authorizerName: 'gamma', confirm: true });
    assert.equal(fx.ep.authorizers.get('gamma')?.status, 'INACTIVE');
    await vscode.commands.executeCommand('iotAuthz.aws.activate', { authorizerName: 'gamma', confirm: true });
    const gamma = (await listed()).find((n) => n.authorizerName === 'gamma')!;
    assert.equal((await gamma.getTreeItem()).contextValue, 'awsAuthorizer.ACTIVE');
  });

  it('Delete asks (modal, naming the authorizer; "Deactivate and Delete" for an ACTIVE one): dismissed deletes nothing, confirmed removes it', async () => {
    const declined = await scriptPrompts([undefined]);
    const no = await vscode.commands.executeCommand<DeleteOutcome>('iotAuthz.aws.delete', { authorizerName: 'gamma' });
    assert.deepEqual(no, { authorizerName: 'gamma', deleted: false, deactivated: false });
    const confirm = declined.asked.find((p) => p.kind === 'confirm')!;
    assert.equal(confirm.message, "Delete authorizer 'gamma' from us-east-1?");
    assert.deepEqual(confirm.choices, ['Deactivate and Delete']);
    assert.ok(fx.ep.authorizers.has('gamma'));
    assert.equal(fx.ep.requests.filter((r) => r.operation === 'DeleteAuthorizer').length, 0);
    await scriptPrompts(['Deactivate and Delete']);
    const yes = await vscode.commands.executeCommand<DeleteOutcome>('iotAuthz.aws.delete', { authorizerName: 'gamma' });
    assert.deepEqual(yes, { authorizerName: 'gamma', deleted: true, deactivated: true });
    assert.equal(fx.ep.authorizers.has('gamma'), false);
    const nodes = await listed();
    assert.deepEqual(nodes.map((n) => n.authorizerName), ['alpha', 'beta']);
  });

  it('Delete refuses the default authorizer before changing anything; an INACTIVE one is offered plain "Delete"', async () => {
    const prompts = await scriptPrompts([]);
    await vscode.commands.executeCommand('iotAuthz.aws.delete', { authorizerName: 'beta' });
    assert.match(prompts.asked.find((p) => p.kind === 'error')!.message, /'beta' is the default authorizer/);
    assert.ok(fx.ep.authorizers.has('beta'));
    fx.ep.addAuthorizer({ authorizerName: 'delta', authorizerFunctionArn: fx.ep.functionArn('beta-fn'), signingDisabled: true, status: 'INACTIVE' });
    const p2 = await scriptPrompts(['Delete']);
    await vscode.commands.executeCommand('iotAuthz.aws.delete', { authorizerName: 'delta' });
    assert.deepEqual(p2.asked.find((p) => p.kind === 'confirm')!.choices, ['Delete']);
    assert.equal(fx.ep.authorizers.has('delta'), false);
  });

  it('Copy ARN, Copy Data Endpoint (remembered), and Sign Token snippets use the remembered endpoint', async () => {
    const api = await getApi();
    const alpha = (await listed())[0];
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.copyArn', alpha), fx.ep.authorizerArn('alpha'));
    assert.equal(await vscode.env.clipboard.readText(), fx.ep.authorizerArn('alpha'));
    await api.services.context.workspaceState.update('iotAuthz.aws.dataEndpoint', undefined);
    assert.equal(await vscode.commands.executeCommand('iotAuthz.aws.copyDataEndpoint'), fx.ep.dataEndpoint);
    assert.equal(await vscode.env.clipboard.readText(), fx.ep.dataEndpoint);
    assert.equal(api.services.context.workspaceState.get('iotAuthz.aws.dataEndpoint'), fx.ep.dataEndpoint);
    assert.match(api.aws.statusBar!.tooltipText, new RegExp(`Data endpoint: \`${fx.ep.dataEndpoint.replace(/\./g, '\\.')}\``));
    assert.equal(vscode.workspace.getConfiguration('iotAuthz.connection').get('endpoint'), '');
    await vscode.env.clipboard.writeText('');
    // The result list comes back after the copy: Esc (undefined) closes it.
    await scriptPrompts(['curl: HTTPS publish', { kind: 'inputBox', answer: 'alpha' }, { kind: 'inputBox', answer: 'tok' }, { kind: 'quickPick', answer: undefined }]);
    await vscode.commands.executeCommand('iotAuthz.signToken', { keyPath: path.join(fx.abs, 'keys', 'm.private.pem'), token: 'allow' });
    const curl = await waitFor(async () => {
      const t = await vscode.env.clipboard.readText();
      return t.startsWith('curl') ? t : undefined;
    }, 10_000, 100, 'the curl snippet on the clipboard');
    assert.ok(curl.includes(fx.ep.dataEndpoint), curl);
  });

  describe('AWS errors become the mapped message', () => {
    const errorOf = async (command: string, arg: unknown): Promise<string> => {
      const prompts = await scriptPrompts([]);
      assert.equal(await vscode.commands.executeCommand(command, arg), undefined);
      const e = prompts.asked.find((p) => p.kind === 'error');
      assert.ok(e, `no error shown; asked: ${JSON.stringify(prompts.asked.map((p) => p.message))}`);
      return e.message;
    };

    it('access denied names the missing permission', async () => {
      fx.ep.deny('iot:DescribeAuthorizer');
      try {
        const m = await errorOf('iotAuthz.aws.delete', { authorizerName: 'alpha' });
        assert.match(m, /Access denied: profile 'it' is not allowed to call iot:DescribeAuthorizer/);
        assert.match(m, /Allow `iot:DescribeAuthorizer`/);
      } finally {
        fx.ep.resetFaults();
      }
    });

    it('not found', async () => {
      const m = await errorOf('iotAuthz.aws.activate', { authorizerName: 'nope', confirm: true });
      assert.match(m, /Authorizer 'nope' was not found in us-east-1/);
    });

    it('throttled after the SDK\'s retries', async () => {
      fx.ep.throttle('DescribeAuthorizer', 10);
      const before = fx.ep.requests.filter((r) => r.operation === 'DescribeAuthorizer').length;
      try {
        const m = await errorOf('iotAuthz.aws.delete', { authorizerName: 'alpha' });
        assert.match(m, /AWS IoT throttled DescribeAuthorizer after 3 attempts/);
        assert.equal(fx.ep.requests.filter((r) => r.operation === 'DescribeAuthorizer').length - before, 3);
      } finally {
        fx.ep.resetFaults();
      }
    });

    it('expired credentials', async () => {
      fx.ep.expireCredentials();
      try {
        const m = await errorOf('iotAuthz.aws.copyDataEndpoint', {});
        assert.match(m, /The credentials of profile 'it' have expired/);
      } finally {
        fx.ep.resetFaults();
      }
    });

    it('an expired SSO session says which `aws sso login` to run', async () => {
      await vscode.commands.executeCommand('iotAuthz.aws.selectProfile', { profile: 'it-sso' });
      try {
        const m = await errorOf('iotAuthz.aws.copyDataEndpoint', {});
        assert.match(m, /SSO session of profile 'it-sso' has expired or is not logged in/);
        assert.match(m, /`aws sso login --profile it-sso`/);
      } finally {
        await vscode.commands.executeCommand('iotAuthz.aws.selectProfile', { profile: 'it' });
      }
    });

    it('an unreachable endpoint', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const saved = process.env.IOT_AUTHZ_ENDPOINT_IOT;
      process.env.IOT_AUTHZ_ENDPOINT_IOT = `http://127.0.0.1:${port}`;
      try {
        const m = await errorOf('iotAuthz.aws.copyDataEndpoint', {});
        assert.match(m, new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): offline or endpoint unreachable`));
      } finally {
        process.env.IOT_AUTHZ_ENDPOINT_IOT = saved;
        await vscode.commands.executeCommand('iotAuthz.aws.refresh');
      }
    });
  });
});
