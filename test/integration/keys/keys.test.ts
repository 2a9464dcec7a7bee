import * as assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPrivateKey, loadPublicKey } from '../../../src/core/keys';
import { signToken } from '../../../src/core/tokens';
import type { GenerateKeyPairResult } from '../../../src/extension/keys/commands/generateKeyPair';
import type { SignedToken } from '../../../src/extension/keys/signResult';
import type { VerifyResult } from '../../../src/core/tokens';
import { KeyPairNode } from '../../../src/extension/keys/explorer/keyPairNode';
import { fixtureUri, getApi, isRestrictedPass, restorePrompts, scriptPrompts, waitFor, workspaceFolder } from '../helpers';

function keysDir(): string {
  return path.join(workspaceFolder().uri.fsPath, 'keys');
}

async function generate(name: string, extra: Record<string, unknown> = {}): Promise<GenerateKeyPairResult> {
  const r = await vscode.commands.executeCommand<GenerateKeyPairResult | undefined>('iotAuthz.generateKeyPair', { name, folder: 'keys', bits: 2048, passphrase: '', ...extra });
  assert.ok(r, 'generateKeyPair returned nothing');
  return r;
}

describe('Keys: generate, sign, verify in the extension host', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);

  it('Generate Signing Key Pair writes a PKCS#8 private key with mode 0600 and an SPKI public key', async () => {
    const prompts = await scriptPrompts([undefined]); // the "key pair written" notification's actions: dismissed
    const r = await generate('gen-basic');
    assert.equal(r.privateKeyPath, path.join(keysDir(), 'gen-basic.private.pem'));
    const priv = fs.readFileSync(r.privateKeyPath, 'utf8');
    const pub = fs.readFileSync(r.publicKeyPath, 'utf8');
    assert.match(priv, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(fs.statSync(r.privateKeyPath).mode & 0o777, 0o600);
    assert.equal(loadPublicKey(pub).fingerprint.hex, r.fingerprint);
    assert.equal(loadPrivateKey(priv).bits, 2048);
    assert.ok(prompts.asked.some((p) => p.kind === 'info' && p.message.includes(r.fingerprint)), 'the fingerprint is shown');
  });

  it('refuses to overwrite an existing key pair unless the user confirms', async () => {
    await scriptPrompts([undefined]);
    const first = await generate('gen-twice');
    const before = fs.readFileSync(first.privateKeyPath, 'utf8');
    const prompts = await scriptPrompts([undefined /* confirm dismissed */, undefined]);
    const second = await vscode.commands.executeCommand('iotAuthz.generateKeyPair', { name: 'gen-twice', folder: 'keys', bits: 2048, passphrase: '' });
    assert.equal(second, undefined);
    assert.equal(fs.readFileSync(first.privateKeyPath, 'utf8'), before, 'the private key was not replaced');
    assert.ok(prompts.asked.some((p) => p.kind === 'confirm' && p.choices.includes('Overwrite')));

    await scriptPrompts(['Overwrite', undefined]);
    const third = await vscode.commands.executeCommand<GenerateKeyPairResult>('iotAuthz.generateKeyPair', { name: 'gen-twice', folder: 'keys', bits: 2048, passphrase: '' });
    assert.ok(third);
    assert.notEqual(fs.readFileSync(first.privateKeyPath, 'utf8'), before, 'confirmed overwrite replaced the key');
    assert.equal(fs.statSync(first.privateKeyPath).mode & 0o777, 0o600);
  });

  it('Sign Token returns exactly what the core signs, and the signature verifies', async () => {
    await scriptPrompts([undefined]);
    const r = await generate('gen-sign');
    await scriptPrompts([]);
    const token = 'MyStringThatNeedsToBeSigned';
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token, showResult: false });
    assert.ok(signed);
    const key = loadPrivateKey(fs.readFileSync(r.privateKeyPath, 'utf8'));
    assert.equal(signed.signature, signToken(key, token));
    assert.equal(signed.signatureUrlEncoded, encodeURIComponent(signed.signature));
    assert.equal(signed.keyFingerprint, r.fingerprint);
    const ok = createVerify('SHA256').update(token).verify(fs.readFileSync(r.publicKeyPath, 'utf8'), Buffer.from(signed.signature, 'base64'));
    assert.ok(ok, 'node:crypto verifies the signature with the public key');
  });

  it('asks before signing a token with a trailing newline, and trims when told to', async () => {
    await scriptPrompts([undefined]);
    const r = await generate('gen-newline');
    const prompts = await scriptPrompts(['Trim and Sign']);
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 'abc\n', showResult: false });
    assert.ok(signed);
    assert.equal(signed.token, 'abc');
    assert.equal(signed.signature, signToken(loadPrivateKey(fs.readFileSync(r.privateKeyPath, 'utf8')), 'abc'));
    const asked = prompts.asked.find((p) => p.kind === 'confirm');
    assert.ok(asked, 'a confirmation was asked');
    assert.match(String((asked.options as { detail: string }).detail), /newline/i);
  });

  it('signs with an encrypted key using the passphrase remembered in secret storage, without asking again', async () => {
    await scriptPrompts([undefined]);
    const r = await generate('gen-encrypted', { passphrase: 'correct horse battery', rememberPassphrase: true });
    assert.equal(r.encrypted, true);
    assert.match(fs.readFileSync(r.privateKeyPath, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    const prompts = await scriptPrompts([]);
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 't1', showResult: false });
    assert.ok(signed, 'signed with the stored passphrase');
    assert.equal(prompts.asked.filter((p) => p.kind === 'inputBox').length, 0, 'no passphrase prompt');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('iotAuthz'));
    assert.ok(!settings.includes('correct horse battery'), 'the passphrase is not in settings');
  });

  it('rejects an EC key with a clear message and no result', async () => {
    const prompts = await scriptPrompts([]);
    const result = await vscode.commands.executeCommand('iotAuthz.signToken', { keyPath: fixtureUri('legacy/ec-key.pem').fsPath, token: 'x', showResult: false });
    assert.equal(result, undefined);
    const err = prompts.asked.find((p) => p.kind === 'error');
    assert.ok(err, 'an error message was shown');
    assert.match(err.message, /RSA/);
  });

  it('Verify Token Signature accepts a good signature and diagnoses a URL-encoded one', async () => {
    await scriptPrompts([undefined]);
    const r = await generate('gen-verify');
    await scriptPrompts([]);
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 'tok', showResult: false });
    assert.ok(signed);
    const good = await vscode.commands.executeCommand<VerifyResult>('iotAuthz.verifySignature', { keyPaths: [r.publicKeyPath], token: 'tok', signature: signed.signature, showResult: false });
    assert.equal(good?.valid, true);
    const encoded = encodeURIComponent(signed.signature);
    assert.notEqual(encoded, signed.signature, 'this signature has characters that URL-encoding changes');
    const bad = await vscode.commands.executeCommand<VerifyResult>('iotAuthz.verifySignature', { keyPaths: [r.publicKeyPath], token: 'tok', signature: encoded, showResult: false });
    assert.equal(bad?.valid, false);
    assert.ok(bad?.diagnosis.some((d) => d.code === 'SIGNATURE_URL_ENCODED'), JSON.stringify(bad?.diagnosis));
  });

  it('the Workspace keys node lists key pairs found by PEM content, including a PKCS#1 key in a .key file', async () => {
    const api = await getApi();
    await scriptPrompts([undefined]);
    const r = await generate('gen-tree');
    const legacyFingerprint = loadPublicKey(fs.readFileSync(fixtureUri('legacy/old-device-signer.key').fsPath, 'utf8')).fingerprint.hex;
    const section = api.services.explorer.getSections().find((s) => s.order === 10);
    assert.ok(section, 'the Workspace keys section is registered');
    const nodes = await waitFor(async () => {
      await api.keys.keys.refresh();
      const children = (await section.getChildren!()) as KeyPairNode[];
      const fps = children.map((c) => c.pair?.fingerprint?.hex);
      return fps.includes(r.fingerprint) && fps.includes(legacyFingerprint) ? children : undefined;
    }, 15_000, 250, 'workspace keys listed');
    const legacy = nodes.find((n) => n.pair.fingerprint?.hex === legacyFingerprint)!;
    assert.ok(legacy.pair.privateFile, 'the private half is present');
    assert.equal(legacy.pair.bits, 2048);
    const generated = nodes.find((n) => n.pair.fingerprint?.hex === r.fingerprint)!;
    assert.ok(generated.pair.privateFile && generated.pair.publicFile, 'both halves of a generated pair are paired by fingerprint');
    const item = await generated.getTreeItem();
    assert.match(String(item.description), /2048-bit · private \+ public/);
    // The node shows the start of the fingerprint; the tooltip has all of it.
    assert.ok(String(item.description).endsWith(` · ${r.fingerprint.split(':').slice(0, 4).join(':')}…`), String(item.description));
    assert.ok((item.tooltip as vscode.MarkdownString).value.includes(r.fingerprint));
    // The halves: the private one reads as secret, the public one as shareable; no resourceUri, so a
    // file-icon theme cannot replace these icons.
    const halves = await Promise.all((await generated.getChildren()).map((c) => c.getTreeItem()));
    assert.deepEqual(halves.map((h) => [String(h.description), (h.iconPath as vscode.ThemeIcon).id, h.resourceUri]), [
      ['private key', 'lock', undefined],
      ['public key', 'unlock', undefined],
    ]);
    assert.ok(!nodes.some((n) => n.pair.privateFile?.path.endsWith('notes.pem') || n.pair.publicFile?.path.endsWith('notes.pem')), 'a .pem file without a key is not listed');
    const ec = nodes.find((n) => n.pair.privateFile?.path.endsWith('ec-key.pem'));
    assert.ok(ec?.pair.problem, 'an EC key is listed as not usable');
  });

  it('the tree refreshes by itself when a key file appears', async () => {
    const api = await getApi();
    const section = api.services.explorer.getSections().find((s) => s.order === 10)!;
    await api.keys.keys.list();
    const target = path.join(workspaceFolder().uri.fsPath, 'dropped', 'late.public.pem');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const pem = fs.readFileSync(fixtureUri('legacy/old-device-signer.key').fsPath, 'utf8');
    const pub = loadPublicKey(pem);
    const { publicKeyPem } = await import('../../../src/core/keys');
    fs.writeFileSync(target, publicKeyPem(pub));
    await waitFor(async () => {
      const children = (await section.getChildren!()) as KeyPairNode[];
      return children.some((c) => c.pair.publicFile?.fsPath === target);
    }, 20_000, 250, 'the new public key file is listed without a manual refresh');
  });
});

describe('Keys [restricted]: key generation and signing work in Restricted Mode', function () {
  this.timeout(60_000);
  afterEach(restorePrompts);

  // Selected only in the restricted pass (see test/runner/passes.mjs).
  it('generates and signs in an untrusted workspace', async () => {
    assert.ok(isRestrictedPass(), 'this suite runs in the restricted pass');
    assert.equal(vscode.workspace.isTrusted, false);
    await scriptPrompts([undefined]);
    const r = await generate('restricted-key');
    const signed = await vscode.commands.executeCommand<SignedToken>('iotAuthz.signToken', { keyPath: r.privateKeyPath, token: 'restricted', showResult: false });
    assert.ok(signed?.signature);
  });
});
