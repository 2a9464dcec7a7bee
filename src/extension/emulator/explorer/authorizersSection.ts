import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadDefinitionFile } from '../../../core/emulator/definition';
import { DefinitionTestFile, testFilesForDefinition } from '../../../core/emulator/testcases/byDefinition';
import { errorText } from '../../../core/errors';
import { ActionNode } from '../../explorer/actionNode';
import { ExplorerNode, ExplorerSection } from '../../explorer/explorerProvider';
import type { AuthzTests } from '../testing/authzTests';
import { findDefinitions, workspaceRootOf } from '../workspaceFiles';
import { DefinitionNode, WorkspaceDefinition } from './definitionNode';

const DEBOUNCE_MS = 300;

/**
 * The "Workspace authorizers" section: the *.authorizer.json definitions with
 * the test files whose cases run them; with none, a New Authorizer Definition action. It scans
 * for definitions once and again after a definition file changes (events from
 * the Test Explorer controller's file watcher); test files come from the
 * controller's own discovery, not from a second scan.
 */
export class AuthorizersSection implements ExplorerSection, vscode.Disposable {
  readonly order = 20;
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  private cache: Promise<WorkspaceDefinition[]> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private pendingRescan = false;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly tests: AuthzTests,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      tests.onDidChangeDefinitionFile(() => this.invalidate(true)),
      tests.onDidChangeItems(() => this.invalidate(false)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate(true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('iotAuthz.authoring.authorizerGlobs')) this.invalidate(true);
      }),
    );
  }

  /**
   * Tells the tree, debounced; `rescan` drops the definitions read so far.
   * Only a change between none and some definitions refreshes from the root
   * (the section appears or disappears); anything else refreshes this
   * section's subtree, so the other sections are not asked again.
   */
  private invalidate(rescan: boolean): void {
    this.pendingRescan ||= rescan;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.fireChange();
    }, DEBOUNCE_MS);
  }

  private async fireChange(): Promise<void> {
    const before = this.cache ? (await this.cache).length > 0 : undefined;
    if (this.pendingRescan) this.cache = undefined;
    this.pendingRescan = false;
    const after = (await this.list()).length > 0;
    this.changed.fire(before === after && after ? this : undefined);
  }

  /** The definitions, read once per change (tests and the Refresh command call it too). */
  list(): Promise<WorkspaceDefinition[]> {
    this.cache ??= this.scan().catch((e) => {
      this.log.error(`Finding *.authorizer.json files failed: ${(e as Error).message}`);
      return [];
    });
    return this.cache;
  }

  /** Rescans now and refreshes the tree. */
  async reload(): Promise<WorkspaceDefinition[]> {
    this.cache = undefined;
    const out = await this.list();
    this.changed.fire(undefined);
    return out;
  }

  private async scan(): Promise<WorkspaceDefinition[]> {
    const uris = await findDefinitions();
    return uris.map((uri) => {
      const fallback = path.basename(uri.fsPath, '.authorizer.json');
      try {
        const def = loadDefinitionFile(uri.fsPath, { workspaceRoot: workspaceRootOf(uri) });
        return {
          uri,
          name: def.authorizerName,
          ...(def.handler ? { runtime: def.handler.runtime, handlerFile: vscode.workspace.asRelativePath(def.handler.file, false) } : {}),
          signingDisabled: def.signingDisabled,
        };
      } catch (e) {
        return { uri, name: fallback, problem: errorText(e) };
      }
    });
  }

  /** The test files whose cases run `uri`, from the Test Explorer controller's items. */
  testFilesFor(uri: vscode.Uri): DefinitionTestFile[] {
    const files = this.tests.testFiles().map((t) => ({ file: t.uri.fsPath, cases: t.cases.map((c) => c.case) }));
    return testFilesForDefinition(files, uri.fsPath, workspaceRootOf(uri));
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const defs = await this.list();
    const item = new vscode.TreeItem('Workspace authorizers', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'section:authorizers';
    item.iconPath = new vscode.ThemeIcon('gear');
    item.description = `${defs.length}`;
    item.tooltip = 'Authorizer definitions (*.authorizer.json) in this workspace, with the test files (*.authz-test.json) that run them';
    item.contextValue = 'authorizersSection';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    await this.tests.discover();
    const defs = await this.list();
    if (!defs.length) return [new ActionNode('New Authorizer Definition…', 'iotAuthz.authoring.newAuthorizer')];
    return defs.map((d) => new DefinitionNode(d, async () => this.testFilesFor(d.uri)));
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
  }
}
