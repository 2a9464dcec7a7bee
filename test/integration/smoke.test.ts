import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, getApi, restorePrompts, scriptPrompts, waitFor, fixtureUri } from './helpers';

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

function manifest(): { contributes: Record<string, unknown>; activationEvents?: string[] } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} not found`);
  return ext.packageJSON;
}

describe('smoke', () => {
  it('activates and returns its API', async () => {
    const api = await getApi();
    assert.ok(api.services.log, 'services.log');
    assert.ok(api.services.explorer, 'services.explorer');
    assert.ok(api.services.prompts, 'services.prompts');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('contributes the activity-bar container and the Authorizer Explorer view', () => {
    const c = manifest().contributes as {
      viewsContainers?: { activitybar?: { id: string; title: string }[] };
      views?: Record<string, { id: string; name: string }[]>;
    };
    const container = c.viewsContainers?.activitybar?.find((v) => v.id === 'iotAuthorizerStudio');
    assert.ok(container, 'activity-bar container iotAuthorizerStudio');
    assert.equal(container.title, 'IoT Authorizer');
    const views = c.views?.iotAuthorizerStudio ?? [];
    const view = views.find((v) => v.id === 'iotAuthz.explorer');
    assert.ok(view, 'view iotAuthz.explorer in container iotAuthorizerStudio');
    assert.equal(view.name, 'Authorizer Explorer');
  });

  it('declares workspaceContains activation events', () => {
    const events = manifest().activationEvents ?? [];
    assert.ok(events.some((e) => e.startsWith('workspaceContains:')), JSON.stringify(events));
  });

  it('registers every contributed command', async () => {
    await getApi();
    const declared = ((manifest().contributes.commands ?? []) as CommandContribution[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });

  it('puts every command in the "IoT Authorizer" category', () => {
    const commands = (manifest().contributes.commands ?? []) as CommandContribution[];
    const wrong = commands.filter((c) => c.category !== 'IoT Authorizer').map((c) => c.command);
    assert.deepEqual(wrong, [], `commands without category "IoT Authorizer": ${wrong.join(', ')}`);
  });

  it('names AWS commands one way and keeps tree-only commands out of the palette until they can work', () => {
    const c = manifest().contributes as { commands?: CommandContribution[]; menus?: Record<string, Array<{ command: string; when?: string }>> };
    const aws = (c.commands ?? []).filter((x) => x.command.startsWith('iotAuthz.aws.'));
    // Every AWS command says so: "… (AWS)", or "AWS" inside a title where a suffix reads badly ("Select AWS Region").
    const unnamed = aws.filter((x) => !x.title.endsWith(' (AWS)') && !/\bAWS\b/.test(x.title)).map((x) => `${x.command}: ${x.title}`);
    assert.deepEqual(unnamed, [], 'every AWS command title names AWS');
    const palette = new Map((c.menus?.commandPalette ?? []).map((e) => [e.command, e.when]));
    // Commands about a deployed authorizer ask for one when run from the palette: shown only once connected.
    for (const id of ['describe', 'downloadDefinition', 'testInvoke', 'doctor', 'addPermission', 'setDefault', 'activate', 'deactivate', 'delete', 'copyArn']) {
      assert.equal(palette.get(`iotAuthz.aws.${id}`), 'iotAuthz.aws.connected', id);
    }
    // Commands that only make sense on a tree node are never in the palette.
    for (const id of ['iotAuthz.keys.signWithKey', 'iotAuthz.keys.reveal', 'iotAuthz.emulator.openFile', 'iotAuthz.emulator.showTestResult']) assert.equal(palette.get(id), 'false', id);
    // Connecting, deploying and running locally stay available.
    for (const id of ['iotAuthz.aws.connect', 'iotAuthz.aws.deploy', 'iotAuthz.emulator.runLocally']) assert.ok(!palette.has(id), id);
  });

  it('opens the fixture workspace (a writable temp copy)', async () => {
    const readme = await vscode.workspace.fs.readFile(fixtureUri('README.md'));
    assert.match(Buffer.from(readme).toString('utf8'), /fixture/i);
    const scratch = fixtureUri('.scratch/smoke.txt');
    await vscode.workspace.fs.writeFile(scratch, Buffer.from('ok'));
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(scratch)).toString(), 'ok');
    await vscode.workspace.fs.delete(fixtureUri('.scratch'), { recursive: true });
  });

  it('the workspace is trusted in the main pass', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  describe('scriptPrompts', () => {
    afterEach(() => restorePrompts());

    it('answers prompts from a queue and records the questions', async () => {
      const script = await scriptPrompts(['beta', 'typed', 'Yes']);
      const { prompts } = (await getApi()).services;
      const pick = await prompts.quickPick([{ label: 'alpha' }, { label: 'beta' }], { placeHolder: 'Pick one' });
      assert.equal(pick?.label, 'beta');
      assert.equal(await prompts.inputBox({ prompt: 'Type' }), 'typed');
      assert.equal(await prompts.confirm('Sure?', 'detail', 'Yes', 'No'), 'Yes');
      await prompts.info('done');
      assert.deepEqual(script.asked.map((a) => `${a.kind}:${a.message}`), ['quickPick:Pick one', 'inputBox:Type', 'confirm:Sure?', 'info:done']);
      assert.equal(script.remaining.length, 0);
      await assert.rejects(prompts.inputBox({ prompt: 'unexpected' }), /no answer queued/);
    });

    it('waitFor polls until the predicate holds', async () => {
      let n = 0;
      assert.equal(await waitFor(() => (++n >= 3 ? n : 0), 2000, 10), 3);
      await assert.rejects(waitFor(() => false, 100, 10), /timed out/);
    });
  });
});

// Runs only in the restricted pass (workspace trust enabled, folder not
// trusted): the launcher selects suites whose title contains "[restricted]".
describe('[restricted] smoke', () => {
  it('runs with an untrusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const trust = vscode.workspace.getConfiguration('security.workspace.trust');
    assert.equal(trust.get('enabled'), true);
    // The launcher's user settings reached the workbench: no trust prompt blocks the run.
    assert.equal(trust.get('startupPrompt'), 'never');
  });

  it('the extension still activates in Restricted Mode', async () => {
    const api = await getApi();
    assert.ok(api.services.explorer);
  });
});
