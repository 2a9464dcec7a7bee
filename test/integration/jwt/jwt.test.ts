import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionResult } from '../../../src/core/emulator/pipeline';
import type { MintJwtResult } from '../../../src/extension/jwt/commands/mintJwt';
import type { WriteJwksResult } from '../../../src/extension/jwt/commands/writeJwks';
import type { RunRecord } from '../../../src/extension/emulator/testing/runner';
import { fixtureUri, getApi, restorePrompts, scriptPrompts, waitFor } from '../helpers';

const REPO = path.resolve(__dirname, '../../../..');
const DIR = 'jwt-examples';

/** The two example folders, copied into the opened workspace (without keys: the run generates them). */
function copyExamples(): void {
  for (const name of ['jwt', 'username-password']) {
    const from = path.join(REPO, 'examples', name);
    const to = fixtureUri(`${DIR}/${name}`).fsPath;
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(from)) if (fs.statSync(path.join(from, f)).isFile()) fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
}

async function emulator() {
  const api = await getApi();
  return api.emulator;
}

async function caseItems(rel: string, count: number): Promise<vscode.TestItem[]> {
  const f = await emulator();
  // File-system events reach the Test Explorer late on a busy machine: opening the file is read at once.
  await vscode.workspace.openTextDocument(fixtureUri(rel));
  return waitFor(() => {
    const items = f.tests.caseItems(fixtureUri(rel));
    return items.length === count ? items : undefined;
  }, 30_000, 100, `${count} case items of ${rel}`);
}

async function runThroughProfile(include: vscode.TestItem[]): Promise<RunRecord> {
  const f = await emulator();
  await f.tests.runProfile.runHandler(new vscode.TestRunRequest(include, undefined, f.tests.runProfile), new vscode.CancellationTokenSource().token);
  const record = f.tests.runs[f.tests.runs.length - 1];
  assert.ok(record?.ended, 'the run handler made and ended a test run');
  return record;
}

describe('JWT and username/password: examples in the Test Explorer, Mint Test JWT, Write JWKS', function () {
  this.timeout(180_000);
  before(copyExamples);
  afterEach(restorePrompts);
  // Other suites count the workspace's test files: leave none behind.
  after(async () => {
    fs.rmSync(fixtureUri(DIR).fsPath, { recursive: true, force: true });
    // Nor the generated keys in the key list the next suites read.
    await (await getApi()).keys.keys.refresh();
  });

  it("the examples' cases pass in the Test Explorer; the expired JWT fails as the handler decides", async () => {
    const f = await emulator();
    const files = [`${DIR}/jwt/jwt.authz-test.json`, `${DIR}/jwt/signed-jwt.authz-test.json`, `${DIR}/username-password/username-password.authz-test.json`];
    const counts = [7, 3, 6];
    const items = (await Promise.all(files.map((file, i) => caseItems(file, counts[i])))).flat();
    const record = await runThroughProfile(files.map((file) => f.tests.fileItem(fixtureUri(file))!));
    const final = new Map(record.reports.filter((r) => !['enqueued', 'started'].includes(r.state)).map((r) => [r.id, r]));
    for (const item of items) assert.equal(final.get(item.id)?.state, 'passed', `${item.label}: ${JSON.stringify(final.get(item.id))}`);
    assert.match(record.output, /Generated jwt-examples\/jwt\/keys\/idp\.private\.pem/);
    const expired = items.find((i) => i.label === 'an expired JWT is refused by the handler')!;
    const last = f.tests.lastResults.get(expired.id)?.result.result;
    assert.equal(last?.authenticated, false);
    assert.equal(last?.failure?.code, 'NOT_AUTHENTICATED');
    assert.match(last?.logText ?? '', /rejected: token expired/, 'the handler itself refused the expired token');
  });

  it('Mint Test JWT through its prompts, copy the signed-token pair, and a local run with it is accepted', async () => {
    const api = await getApi();
    await api.keys.keys.refresh();
    let copiedSignature: Thenable<string> | undefined;
    const prompts = await scriptPrompts([
      '$(key) idp',
      '{"sub": "sensor7", "iss": "https://idp.example.com", "aud": "iot-devices"}',
      '15m',
      'example-idp',
      'Signed-JWT token and signature',
      'Signature (base64)',
      (items) => {
        // Read what the previous action copied before the next copy replaces it.
        copiedSignature = vscode.env.clipboard.readText();
        return items.find((i) => i.label.includes('Token (header.payload)'));
      },
      { kind: 'quickPick', answer: undefined },
    ]);
    const minted = await vscode.commands.executeCommand<MintJwtResult>('iotAuthz.jwt.mint');
    assert.ok(minted, 'the command returns what it minted');
    await waitFor(() => prompts.remaining.length === 0, 20_000, 50, 'every prompt answered');
    assert.deepEqual(prompts.asked.filter((p) => p.kind !== 'info').slice(0, 5).map((p) => p.message), [
      'Mint Test JWT (1/5): signing key',
      'Mint Test JWT (2/5): claims',
      'Mint Test JWT (3/5): lifetime',
      'Mint Test JWT (4/5): key id (kid)',
      'Mint Test JWT (5/5): output',
    ]);
    const token = await vscode.env.clipboard.readText();
    const signature = await copiedSignature!;
    assert.equal(token, minted.token);
    assert.equal(signature, minted.signature);
    assert.equal(token.split('.').length, 2);
    assert.match(signature, /^[A-Za-z0-9+/]+==$/, 'standard base64 with the padding of a 2048-bit signature');

    await scriptPrompts([]);
    const result = await vscode.commands.executeCommand<ConnectionResult>('iotAuthz.emulator.runLocally', {
      definition: `${DIR}/jwt/signed-jwt.authorizer.json`,
      protocol: 'https',
      token,
      signature,
      operations: 'iot:Publish devices/sensor7/telemetry',
    });
    assert.equal(result?.outcome, 'accepted', result?.summary);
    assert.equal(result.signature.valid, true);
    assert.equal(result.principalId, 'sensor7');
    assert.deepEqual(result.decisions.map((d) => d.decision), ['allow']);
    // The results panel shows the token decoded.
    const f = await emulator();
    await waitFor(() => (f.results.lastRendered?.seq === f.results.currentSeq ? f.results.lastRendered : undefined), 30_000, 50, 'panel rendered');
    assert.match(f.results.lastRendered!.text, /JWT token/);
    assert.match(f.results.lastRendered!.text, /signed-JWT token \(header\.payload/);
    assert.match(f.results.lastRendered!.text, /expires in 1[45] minutes/);
  });

  it('Write JWKS writes the chosen public key under the kid given, matching the key the examples generated', async () => {
    await (await getApi()).keys.keys.refresh();
    await scriptPrompts(['$(key) idp', 'example-idp', `${DIR}/out/jwks.json`]);
    const r = await vscode.commands.executeCommand<WriteJwksResult>('iotAuthz.jwt.writeJwks');
    assert.ok(r);
    const written = JSON.parse(fs.readFileSync(fixtureUri(`${DIR}/out/jwks.json`).fsPath, 'utf8'));
    const generated = JSON.parse(fs.readFileSync(fixtureUri(`${DIR}/jwt/keys/idp.jwks.json`).fsPath, 'utf8'));
    assert.deepEqual(written, generated);
    assert.ok(!JSON.stringify(written).includes('"d"'));
  });
});
