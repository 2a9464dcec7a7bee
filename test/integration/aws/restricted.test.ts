import * as assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareOutcome } from '../../../src/extension/aws/commands/compareWithLocal';
import { getApi, isRestrictedPass, restorePrompts, scriptPrompts } from '../helpers';
import { ALLOW_POLICY, AwsFixture, HANDLER_JS, startAwsFixture } from './fixture';

// Runs only in the restricted pass (the launcher selects titles with "[restricted]").
describe('AWS: [restricted] Compare with local run in Restricted Mode', function () {
  this.timeout(60_000);
  let fx: AwsFixture;

  before(async () => {
    fx = await startAwsFixture('aws-restricted');
    fx.ep.addFunction({ functionName: 'r-fn', localHandler: (e) => ({ isAuthenticated: e.token === 'allow', principalId: 'itDevice', policyDocuments: [ALLOW_POLICY] }) });
    fx.ep.addAuthorizer({ authorizerName: 'r-authz', authorizerFunctionArn: fx.ep.functionArn('r-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: fx.publicPem } });
    fs.mkdirSync(path.join(fx.abs, 'lambda'), { recursive: true });
    fs.writeFileSync(path.join(fx.abs, 'lambda', 'index.js'), HANDLER_JS);
    fs.writeFileSync(
      path.join(fx.abs, 'r.authorizer.json'),
      JSON.stringify({ authorizerName: 'r-authz', authorizerFunctionArn: fx.ep.functionArn('r-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: { k1: { path: 'keys/m.public.pem' } }, handler: { runtime: 'nodejs', file: 'lambda/index.js' } }),
    );
    await vscode.commands.executeCommand('iotAuthz.aws.connect', { profile: 'it', region: 'us-east-1' });
  });
  after(async () => {
    await restorePrompts();
    await fx.dispose();
  });

  it('says why there is no local run and shows the AWS result alone', async () => {
    assert.equal(isRestrictedPass(), true);
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await getApi();
    const prompts = await scriptPrompts([]);
    const signature = sign('RSA-SHA256', Buffer.from('allow'), fx.privateKey).toString('base64');
    const out = await vscode.commands.executeCommand<CompareOutcome>('iotAuthz.aws.compareWithLocal', { authorizerName: 'r-authz', protocol: 'https', token: 'allow', signature, operations: ['iot:Publish a/b'] });
    assert.ok(out);
    assert.equal(out.aws.outcome, 'accepted');
    assert.equal(out.local, undefined);
    assert.match(prompts.asked.find((p) => p.kind === 'warn')!.message, /Restricted Mode/);
    const model = api.results.lastModel!;
    assert.equal(model.source, 'aws');
    assert.equal(model.compare, undefined);
    assert.equal(model.result.decisions?.[0].decision, 'allow');
  });
});
