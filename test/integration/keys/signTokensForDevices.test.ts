import * as assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'csv-parse/sync';
import type { GenerateKeyPairResult } from '../../../src/extension/keys/commands/generateKeyPair';
import type { SignTokensForDevicesResult } from '../../../src/extension/keys/commands/signTokensForDevices';
import { restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';

const ROWS = [
  ['serial', 'site'],
  ['dev,001', 'Zürich "HQ"'],
  ['dév-002=&x y', 'two\nlines'],
  ['设备-003', ''],
];

function csv(rows: string[][]): string {
  return `${rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n')}\n`;
}

describe('Keys: Sign Tokens for Devices', function () {
  this.timeout(120_000);
  afterEach(restorePrompts);
  const dir = () => path.join(workspaceFolder().uri.fsPath, 'fleet');
  let pair: GenerateKeyPairResult;

  before(async () => {
    fs.mkdirSync(dir(), { recursive: true });
    await scriptPrompts([undefined]);
    const r = await vscode.commands.executeCommand<GenerateKeyPairResult>('iotAuthz.generateKeyPair', { name: 'fleet-batch', folder: 'keys', bits: 2048, passphrase: '' });
    assert.ok(r);
    pair = r;
    await vscode.commands.executeCommand('iotAuthz.explorer.refresh');
  });

  it('from the explorer menu: picks the workspace key, the column and the output file; every signature verifies; Open Result opens it', async () => {
    const input = path.join(dir(), 'devices.csv');
    fs.writeFileSync(input, csv(ROWS));
    const prompts = await scriptPrompts([
      { kind: 'quickPick', answer: 'fleet-batch' },
      { kind: 'quickPick', answer: 'serial' },
      { kind: 'saveDialog', answer: 'fleet/devices.signed.csv' },
      { kind: 'info', answer: 'Open Result' },
    ]);
    const result = await vscode.commands.executeCommand<SignTokensForDevicesResult>('iotAuthz.signTokensForDevices', vscode.Uri.file(input));
    assert.ok(result, JSON.stringify(prompts.asked));
    assert.deepEqual({ rows: result.rows, signed: result.signed, errors: result.errors }, { rows: 3, signed: 3, errors: 0 });
    const columnPick = prompts.asked.find((p) => p.kind === 'quickPick' && /column/.test(p.message));
    assert.deepEqual(columnPick?.choices, ['serial', 'site']);
    const save = prompts.asked.find((p) => p.kind === 'saveDialog');
    assert.equal((save?.options as vscode.SaveDialogOptions).defaultUri?.fsPath, path.join(dir(), 'devices.signed.csv'));

    const out = parse(fs.readFileSync(path.join(dir(), 'devices.signed.csv'))) as string[][];
    assert.deepEqual(out[0], ['serial', 'site', 'signature', 'signatureUrlEncoded']);
    assert.deepEqual(out.map((r) => r.slice(0, 2)), ROWS);
    const publicKey = createPublicKey(fs.readFileSync(pair.publicKeyPath));
    for (const r of out.slice(1)) {
      assert.ok(verify('sha256', Buffer.from(r[0], 'utf8'), publicKey, Buffer.from(r[2], 'base64')), `signature of ${r[0]} verifies`);
      assert.equal(r[3], encodeURIComponent(r[2]));
    }
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(dir(), 'devices.signed.csv'), 10_000, 50, 'the result opened');
    assert.equal(fs.readdirSync(dir()).filter((f) => f.endsWith('.tmp')).length, 0);
  });

  it('JSON Lines with a bad row: offers to skip it, then signs the rest', async () => {
    const input = path.join(dir(), 'devices.jsonl');
    fs.writeFileSync(input, '{"sn":"a-1","n":1}\n{"sn":42}\n{"sn":"a-3"}\n');
    const output = path.join(dir(), 'devices.signed.jsonl');
    const prompts = await scriptPrompts([
      { kind: 'warn', answer: 'Skip Bad Rows' },
      { kind: 'info', answer: undefined },
    ]);
    const result = await vscode.commands.executeCommand<SignTokensForDevicesResult>('iotAuthz.signTokensForDevices', { input, keyPath: pair.privateKeyPath, output, tokenField: 'sn' });
    assert.ok(result, JSON.stringify(prompts.asked));
    assert.ok(prompts.asked.some((p) => p.kind === 'warn' && /Line 2: the 'sn' field is a number, not text/.test(p.message)));
    assert.deepEqual({ signed: result.signed, errors: result.errors }, { signed: 2, errors: 1 });
    const objs = fs.readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(objs.map((o) => o.sn), ['a-1', 'a-3']);
    const publicKey = createPublicKey(fs.readFileSync(pair.publicKeyPath));
    for (const o of objs) assert.ok(verify('sha256', Buffer.from(o.sn), publicKey, Buffer.from(o.signature, 'base64')));
  });

  it('is on the explorer context menu of .csv/.jsonl files and in the palette', () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.contributes?.commands?.some((c: { command: string }) => c.command === 'iotAuthz.signTokensForDevices'));
    assert.ok(ext);
    const menus = ext.packageJSON.contributes.menus as Record<string, { command: string; when?: string }[]>;
    const item = menus['explorer/context'].find((m) => m.command === 'iotAuthz.signTokensForDevices');
    assert.ok(item?.when);
    const re = new RegExp(/=~ \/(.*)\/i$/.exec(item.when)![1], 'i');
    assert.ok(re.test('devices.csv') && re.test('fleet.JSONL') && !re.test('devices.csv.bak'));
    assert.ok(!(menus.commandPalette ?? []).some((m) => m.command === 'iotAuthz.signTokensForDevices' && m.when === 'false'));
  });
});
