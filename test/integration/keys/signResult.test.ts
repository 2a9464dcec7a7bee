import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateKeyPairResult } from '../../../src/extension/keys/commands/generateKeyPair';
import type { SignedToken } from '../../../src/extension/keys/signResult';
import { connectionNames } from '../../../src/extension/keys/connectionNames';
import type { Prompts } from '../../../src/extension/prompts';
import { AskedPrompt, getApi, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';

const NAMES_KEY = 'iotAuthz.connectionNames';

async function keyPair(name: string): Promise<GenerateKeyPairResult> {
  await scriptPrompts([undefined]); // the "key pair written" notification: dismissed
  const r = await vscode.commands.executeCommand<GenerateKeyPairResult | undefined>('iotAuthz.generateKeyPair', { name, folder: 'keys', bits: 2048, passphrase: '' });
  assert.ok(r);
  return r;
}

const quickPicks = (asked: AskedPrompt[]) => asked.filter((p) => p.kind === 'quickPick');

describe('Sign Token result list', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);

  it('comes back after each copy until Esc: two copies in a row', async () => {
    const r = await keyPair('result-loop');
    const prompts = await scriptPrompts(['Signature (base64)', 'Signature, URL-encoded', { kind: 'quickPick', answer: undefined }]);
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 'loop-token' });
    assert.ok(signed);
    await waitFor(() => quickPicks(prompts.asked).length === 3 && prompts.remaining.length === 0, 10_000, 50, 'the list shown three times');
    const infos = prompts.asked.filter((p) => p.kind === 'info').map((p) => p.message);
    assert.ok(infos.includes('Copied the signature to the clipboard.'), infos.join(' | '));
    assert.ok(infos.includes('Copied the URL-encoded signature to the clipboard.'), infos.join(' | '));
    assert.equal(await vscode.env.clipboard.readText(), signed.signatureUrlEncoded, 'the second copy is on the clipboard');
  });

  it('"Change authorizer / token key name…" asks again, prefilled, and the snippets use the new names', async () => {
    const api = await getApi();
    const state = api.services.context.workspaceState;
    await state.update(NAMES_KEY, undefined);
    try {
      const r = await keyPair('result-names');
      const prompts = await scriptPrompts([
        'MQTT username',
        { kind: 'inputBox', answer: 'FirstAuth' },
        { kind: 'inputBox', answer: 'tok-a' },
        'Change authorizer / token key name',
        { kind: 'inputBox', answer: 'SecondAuth' },
        { kind: 'inputBox', answer: 'tok-b' },
        'MQTT username',
        { kind: 'quickPick', answer: undefined },
      ]);
      await vscode.commands.executeCommand('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 'names-token' });
      await waitFor(() => prompts.remaining.length === 0 && quickPicks(prompts.asked).length === 4, 10_000, 50, 'every answer used');
      const inputs = prompts.asked.filter((p) => p.kind === 'inputBox');
      assert.equal(inputs.length, 4, 'asked once at first, and again on Change (remembered names are not asked again)');
      assert.equal((inputs[2].options as vscode.InputBoxOptions).value, 'FirstAuth', 'Change prefills the remembered authorizer name');
      assert.equal((inputs[3].options as vscode.InputBoxOptions).value, 'tok-a', 'Change prefills the remembered token key name');
      const username = await vscode.env.clipboard.readText();
      assert.match(username, /x-amz-customauthorizer-name=SecondAuth/);
      assert.match(username, /tok-b=/);
      assert.deepEqual(state.get(NAMES_KEY), { authorizerName: 'SecondAuth', tokenKeyName: 'tok-b' });
      // The list shows the names in use.
      const lastList = quickPicks(prompts.asked)[3];
      assert.ok(lastList.choices.some((c) => c.includes('Change authorizer / token key name')));
    } finally {
      await state.update(NAMES_KEY, undefined);
    }
  });

  it('prefills the names from the workspace authorizer definition when exactly one matches', async () => {
    const values: Array<string | undefined> = [];
    const answers = ['DevAuthorizer', 'x-token'];
    const prompts = {
      inputBox: async (o: vscode.InputBoxOptions) => {
        values.push(o.value);
        return answers.shift();
      },
    } as unknown as Prompts;
    const store = new Map<string, unknown>();
    const memento = { get: (k: string) => store.get(k), update: async (k: string, v: unknown) => void store.set(k, v), keys: () => [...store.keys()] } as unknown as vscode.Memento;
    const names = await connectionNames(memento, prompts, {}, { definitionsGlob: 'authoring/dev.authorizer.json' });
    assert.deepEqual(values, ['DevAuthorizer', 'x-token'], 'prefilled from authoring/dev.authorizer.json');
    assert.deepEqual(names, { authorizerName: 'DevAuthorizer', tokenKeyName: 'x-token' });
    // Near miss: two definitions match, so neither is guessed.
    values.length = 0;
    answers.push('A', 'b');
    store.clear();
    await connectionNames(memento, prompts, {}, { definitionsGlob: '{authoring/dev,emulator/local}.authorizer.json' });
    assert.deepEqual(values, [undefined, undefined]);
  });
});

describe('Workspace keys follow iotAuthz.keys.searchGlob', function () {
  this.timeout(60_000);
  const rel = path.join('glob-watch', 'late-key.txt');

  after(async () => {
    await vscode.workspace.getConfiguration('iotAuthz.keys').update('searchGlob', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(path.join(workspaceFolder().uri.fsPath, 'glob-watch'), { recursive: true, force: true });
  });

  it('a key in a .txt file appearing after start is listed with searchGlob **/*.txt', async () => {
    const api = await getApi();
    const keys = api.keys.keys;
    await vscode.workspace.getConfiguration('iotAuthz.keys').update('searchGlob', '**/*.txt', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => keys.watchedGlob === '**/*.txt', 10_000, 50, 'the watcher rebuilt from the setting');
    // Let the setting change's own invalidation pass, then fill the cache without the new file.
    await new Promise((r) => setTimeout(r, 500));
    const before = await keys.list();
    assert.ok(!before.some((k) => k.publicFile?.path.endsWith('late-key.txt')));

    const abs = path.join(workspaceFolder().uri.fsPath, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(abs, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    // Only the watcher can drop the cache here: list() is not refreshed by the test.
    await waitFor(async () => (await keys.list()).some((k) => k.publicFile?.path.endsWith('late-key.txt')), 15_000, 200, 'the new .txt key listed');
  });
});
