import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addCaseToTestFile, testCaseFromRun } from '../../../core/emulator/testcases/fromResult';
import { locateCases } from '../../../core/emulator/testcases/locate';
import type { ResultsModel } from '../../panels/model';
import { buildTestCaseSkeleton } from '../../panels/testCaseSkeleton';
import { EmulatorFeature, LocalRunContext } from '../feature';
import { relativePosix, toUri } from '../workspaceFiles';

export interface SaveAsTestCaseArgs {
  /** The *.authz-test.json to add the case to (created when missing); otherwise asked. */
  file?: string | vscode.Uri;
  name?: string;
}

export interface SavedTestCase {
  file: vscode.Uri;
  name: string;
  index: number;
}

/**
 * The results panel's "Open as test case" for runs of Run Authorizer Locally:
 * adds a case reproducing the run (signing at run time with the same key when
 * the run signed with a workspace key) to a `*.authz-test.json`, by default
 * `<definition>.authz-test.json` next to the definition, and opens it at the
 * new case. Results the emulator did not produce keep the panel's own
 * behaviour (an untitled skeleton).
 */
export async function saveAsTestCase(f: EmulatorFeature, model: ResultsModel, args: SaveAsTestCaseArgs = {}): Promise<SavedTestCase | undefined> {
  const ctx = f.localRuns.get(model);
  if (!ctx) {
    const content = `${JSON.stringify(buildTestCaseSkeleton(model), null, 2)}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    return undefined;
  }
  const target = args.file !== undefined ? toUri(args.file) : await chooseTarget(f, ctx);
  if (!target) return undefined;
  const testDir = path.dirname(target.fsPath);
  const tc = testCaseFromRun({
    result: model.result as Parameters<typeof testCaseFromRun>[0]['result'],
    input: ctx.input,
    operations: ctx.operations,
    authorizer: relativePosix(testDir, ctx.definitionFile),
    ...(ctx.signedWithKey ? { signWithKey: relativePosix(testDir, ctx.signedWithKey) } : {}),
    ...(args.name ? { name: args.name } : {}),
  });

  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  const existing = open ? open.getText() : fs.existsSync(target.fsPath) ? fs.readFileSync(target.fsPath, 'utf8') : undefined;
  const added = addCaseToTestFile(existing, tc);
  if (existing === undefined) {
    await vscode.workspace.fs.writeFile(target, Buffer.from(added.text, 'utf8'));
  } else {
    const doc = open ?? (await vscode.workspace.openTextDocument(target));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), added.text);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
  }
  f.tests.updateFromText(target, added.text);
  const doc = await vscode.workspace.openTextDocument(target);
  const located = locateCases(doc.getText()).cases[added.index];
  const selection = located ? new vscode.Range(doc.positionAt(located.start), doc.positionAt(located.start)) : undefined;
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One, ...(selection ? { selection } : {}) });
  const rel = vscode.workspace.asRelativePath(target, false);
  f.services.log.info(`Saved test case "${added.name}" to ${rel}.`);
  void f.services.prompts.info(`Saved test case "${added.name}" to ${rel}. Run it from the Test Explorer or the gutter.`);
  return { file: target, name: added.name, index: added.index };
}

async function chooseTarget(f: EmulatorFeature, ctx: LocalRunContext): Promise<vscode.Uri | undefined> {
  const stem = path.basename(ctx.definitionFile).replace(/\.authorizer\.json$|\.json$/, '');
  const next = vscode.Uri.file(path.join(path.dirname(ctx.definitionFile), `${stem}.authz-test.json`));
  const exists = fs.existsSync(next.fsPath);
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [
    { label: exists ? `$(add) Add to ${path.basename(next.fsPath)}` : `$(new-file) Create ${path.basename(next.fsPath)}`, detail: vscode.workspace.asRelativePath(next, false), uri: next },
    { label: '$(save-as) Save to another file…' },
  ];
  const picked = await f.services.prompts.quickPick(items, { title: 'Save the run as a test case', placeHolder: 'Where to put the test case', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  return f.services.prompts.saveDialog({ title: 'Save the run as a test case', defaultUri: next, filters: { 'Authorizer tests': ['authz-test.json', 'json'] }, saveLabel: 'Save test case' });
}
