import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, getApi } from './helpers';

/** Activation events that would wake the extension for files or events that are not ours. */
const BROAD = [/^\*$/, /^onLanguage:json$/, /^onLanguage:jsonc$/, /^onStartupFinished$/, /^onFileSystem:/];

describe('activation', () => {
  it('activates only for our files, commands and views, records how long activate() took, and loads no AWS SDK', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    const broad = events.filter((e) => BROAD.some((re) => re.test(e)));
    assert.deepEqual(broad, [], `activation events that are not about our files: ${broad.join(', ')}`);
    for (const e of events) assert.match(e, /^(workspaceContains:\*\*\/\*\.(pem|authorizer\.json|authz-test\.json|authorizer-response\.json|iot-policy\.json)|onCommand:iotAuthz\.|onView:iotAuthz\.)/, e);
    const api = await getApi();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs > 0, 'activate() measured its own duration');
    // Recorded, not asserted: timings are for npm run bench (test/bench/activation.bench.ts).
    console.log(`[it] activation: activate() took ${api.activationMs.toFixed(1)} ms; events: ${events.join(', ')}`);
    const sdk = Object.keys(require.cache).filter((k) => /[/\\]dist[/\\]aws\.js$/.test(k) || /[/\\]@aws-sdk[/\\]/.test(k));
    assert.deepEqual(sdk, [], 'activation loaded AWS SDK code');
    const endpointCode = Object.keys(require.cache).filter((k) => /[/\\]dist[/\\]local-endpoint\.js$/.test(k) || /[/\\]node_modules[/\\](aedes|@peculiar)[/\\]/.test(k));
    assert.deepEqual(endpointCode, [], 'activation loaded the local endpoint\'s code');
  });

  it('contributes the Getting Started walkthrough; each step has a command button, a completion event and media that exists', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const walkthroughs: Array<{ id: string; title: string; steps: Array<{ id: string; description: string; completionEvents?: string[]; media: { markdown?: string; image?: string } }> }> = ext.packageJSON.contributes.walkthroughs;
    const w = walkthroughs.find((x) => x.id === 'getStarted');
    assert.ok(w, 'walkthrough getStarted');
    assert.equal(w.title, 'Get started with IoT custom authorizers');
    assert.deepEqual(w.steps.map((s) => s.id), ['generateKeyPair', 'signToken', 'writeResponse', 'runLocally', 'runTests', 'connectAws']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const s of w.steps) {
      const buttons = [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(buttons.length > 0, `${s.id} has a button`);
      for (const b of buttons) assert.ok(registered.has(b), `${s.id}: ${b} is a registered command`);
      assert.ok(s.completionEvents?.length, `${s.id} has a completion event`);
      const media = s.media.markdown ?? s.media.image;
      assert.ok(media, `${s.id} has media`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, media));
    }
  });

  it('Add the Worked Example copies the example without keys and opens its definition; a second run keeps the user\'s edits', async () => {
    await getApi();
    const r = await vscode.commands.executeCommand<{ folder: vscode.Uri; definition: vscode.Uri; created: boolean }>('iotAuthz.walkthrough.addExample', { folder: 'walkthrough-example' });
    assert.ok(r);
    assert.equal(r.created, true);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, r.definition.fsPath);
    const names = (await vscode.workspace.fs.readDirectory(r.folder)).map(([n]) => n);
    assert.ok(names.includes('walkthrough.authz-test.json'), names.join(', '));
    assert.ok(!names.includes('keys'), 'no keys are copied');
    await vscode.workspace.fs.writeFile(r.definition, Buffer.from('{"edited": true}'));
    const again = await vscode.commands.executeCommand<{ created: boolean }>('iotAuthz.walkthrough.addExample', { folder: 'walkthrough-example', open: false });
    assert.equal(again?.created, false);
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(r.definition)).toString(), '{"edited": true}');
    await vscode.workspace.fs.delete(r.folder, { recursive: true });
  });
});
