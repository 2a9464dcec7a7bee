import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadDefinitionFile, resolveRelative } from '../../../core/emulator/definition';
import { LocatedCase, locateCases } from '../../../core/emulator/testcases/locate';
import { CaseResult } from '../../../core/emulator/testcases/runner';
import { Services } from '../../services';
import { EXCLUDE_GLOB, TEST_FILE_GLOB, workspaceRootOf } from '../workspaceFiles';
import { RunRecord, TestRunner } from './runner';

export const CONTROLLER_ID = 'iotAuthz.tests';
export const CONTROLLER_LABEL = 'IoT Authorizer tests';
const DEBOUNCE_MS = 300;
/** Files in a handler's folder whose change re-runs its cases (not logs, markers or keys the run itself writes). */
const SOURCE_FILE = /\.(js|mjs|cjs|ts|py|json)$/i;

/** What the runner needs to know about a case item. */
export interface CaseData {
  file: vscode.Uri;
  located: LocatedCase;
}

interface FileEntry {
  uri: vscode.Uri;
  item: vscode.TestItem;
  /** Per case id: the files it depends on (test file excluded): definition (exact), handler folder (prefix). */
  deps: Map<string, { files: Set<string>; dirs: Set<string> }>;
}

/** The last result of a case item, for "Show Result". */
export interface LastCaseResult {
  file: vscode.Uri;
  caseName: string;
  /** The definition the case ran (absolute), when known. */
  authorizerFile?: string;
  result: CaseResult;
}

interface ContinuousWatch {
  include?: readonly vscode.TestItem[];
  exclude?: readonly vscode.TestItem[];
  profile?: vscode.TestRunProfile;
}

/**
 * The "IoT Authorizer tests" controller: every *.authz-test.json in the
 * workspace is a file item with one child per case (with the case's range, so
 * the editor shows a run button on it). Kept up to date from the file system
 * and from open documents. One Run profile (the default), which supports
 * continuous runs: while one is active, a change to a test file, to the
 * definition a case names, or to a file in the definition's handler folder
 * re-runs the affected cases.
 */
export class AuthzTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly runProfile: vscode.TestRunProfile;
  private readonly files = new Map<string, FileEntry>();
  private readonly caseData = new WeakMap<vscode.TestItem, CaseData>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly watches = new Set<ContinuousWatch>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runner: TestRunner;
  private discovery: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the items changed (discovery, edits, file events). */
  readonly onDidChangeItems = this.changed.event;
  private readonly definitionChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a *.authorizer.json was created, changed or deleted (from the same file watcher). */
  readonly onDidChangeDefinitionFile = this.definitionChanged.event;

  constructor(private readonly services: Services) {
    this.controller = vscode.tests.createTestController(CONTROLLER_ID, CONTROLLER_LABEL);
    this.runner = new TestRunner(services, this.controller, (item) => this.caseData.get(item), () => this.allCaseItems());
    this.runProfile = this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.runHandler(request, token), true, undefined, true);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = async () => {
      this.discovery = undefined;
      await this.discover();
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      this.controller,
      this.changed,
      this.definitionChanged,
      this.runner,
      watcher,
      watcher.onDidCreate((u) => this.onFileEvent(u, 'create')),
      watcher.onDidChange((u) => this.onFileEvent(u, 'change')),
      watcher.onDidDelete((u) => this.onFileEvent(u, 'delete')),
      vscode.workspace.onDidOpenTextDocument((d) => this.isTestFile(d.uri) && this.updateFromText(d.uri, d.getText())),
      vscode.workspace.onDidChangeTextDocument((e) => this.isTestFile(e.document.uri) && this.schedule(e.document)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.discovery = undefined;
        void this.discover();
      }),
    );
    void this.discover();
  }

  /** Last results per case item id. */
  get lastResults(): ReadonlyMap<string, LastCaseResult> {
    return this.runner.lastResults;
  }

  /** Every run's record (what was reported to VS Code), oldest first; the last 50 are kept. */
  get runs(): readonly RunRecord[] {
    return this.runner.runs;
  }

  /** Fires when a run (normal or one triggered by a continuous run) has ended. */
  get onDidEndRun(): vscode.Event<RunRecord> {
    return this.runner.onDidEndRun;
  }

  /** Number of active continuous runs (tests). */
  get continuousWatches(): number {
    return this.watches.size;
  }

  /** Finds every test file (once; again after refresh). */
  discover(): Promise<void> {
    this.discovery ??= (async () => {
      const uris = await vscode.workspace.findFiles(TEST_FILE_GLOB, EXCLUDE_GLOB, 2000);
      const seen = new Set(uris.map((u) => u.toString()));
      for (const [key, entry] of this.files) {
        if (!seen.has(key)) this.remove(entry.uri);
      }
      for (const uri of uris) await this.updateFromDisk(uri);
      this.changed.fire();
    })().catch((e) => {
      this.services.log.error(`Finding *.authz-test.json files failed: ${(e as Error).message}`);
    });
    return this.discovery;
  }

  /** The file item of a test file, if discovered. */
  fileItem(uri: vscode.Uri): vscode.TestItem | undefined {
    return this.files.get(uri.toString())?.item;
  }

  /** The case items of a file, in file order. */
  caseItems(uri: vscode.Uri): vscode.TestItem[] {
    const item = this.fileItem(uri);
    const out: vscode.TestItem[] = [];
    item?.children.forEach((c) => out.push(c));
    return out.sort((a, b) => (this.caseData.get(a)?.located.case.index ?? 0) - (this.caseData.get(b)?.located.case.index ?? 0));
  }

  caseDataOf(item: vscode.TestItem): CaseData | undefined {
    return this.caseData.get(item);
  }

  /** Every discovered test file with its cases (as last read), sorted by path. */
  testFiles(): Array<{ uri: vscode.Uri; cases: LocatedCase[] }> {
    return [...this.files.values()]
      .sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath))
      .map((e) => ({ uri: e.uri, cases: this.caseItems(e.uri).map((i) => this.caseData.get(i)?.located).filter((c): c is LocatedCase => !!c) }));
  }

  /** Runs the request through the profile's run handler (what the Test Explorer does). */
  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    await this.discover();
    if (request.continuous) {
      const watch: ContinuousWatch = { include: request.include, exclude: request.exclude, profile: request.profile };
      this.watches.add(watch);
      this.services.log.info(`Continuous test run started for ${request.include ? `${request.include.length} item(s)` : 'all IoT Authorizer tests'}.`);
      token.onCancellationRequested(() => {
        this.watches.delete(watch);
        this.services.log.info('Continuous test run stopped.');
      });
      return;
    }
    await this.runner.run(request, token);
  }

  private allCaseItems(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    const files = [...this.files.values()].sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
    for (const f of files) out.push(...this.caseItems(f.uri));
    return out;
  }

  private isTestFile(uri: vscode.Uri): boolean {
    return uri.scheme === 'file' && uri.path.endsWith('.authz-test.json') && !/\/(node_modules|\.git)\//.test(uri.path);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.updateFromText(doc.uri, doc.getText());
        this.changed.fire();
      }, DEBOUNCE_MS),
    );
  }

  private async updateFromDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && open.isDirty) return this.updateFromText(uri, open.getText());
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      this.updateFromText(uri, text);
    } catch {
      this.remove(uri);
    }
  }

  /** Re-reads a test file's cases from its text, keeping the items (and their state) whose id is unchanged. */
  updateFromText(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    let entry = this.files.get(key);
    if (!entry) {
      const item = this.controller.createTestItem(key, vscode.workspace.asRelativePath(uri, false), uri);
      item.sortText = vscode.workspace.asRelativePath(uri, false);
      this.controller.items.add(item);
      entry = { uri, item, deps: new Map() };
      this.files.set(key, entry);
    }
    const located = locateCases(text);
    if (located.error) {
      // Keep the last good cases while the file is being edited.
      entry.item.error = `Cannot read the test cases: ${located.error}`;
      return;
    }
    entry.item.error = undefined;
    const lines = lineStarts(text);
    const children: vscode.TestItem[] = [];
    entry.deps.clear();
    const testDir = path.dirname(uri.fsPath);
    const root = workspaceRootOf(uri);
    for (const lc of located.cases) {
      const id = `${key}#${lc.key}`;
      const item = entry.item.children.get(id) ?? this.controller.createTestItem(id, lc.case.name, uri);
      item.label = lc.case.name;
      // No description: the Testing view would read it as the row's accessible name instead of the
      // case name. The protocol is a tag instead (filter with @iotAuthz.tests:mqtt).
      item.description = undefined;
      item.tags = [protocolTag(lc.case.protocol)];
      item.range = new vscode.Range(positionAt(lines, text, lc.start), positionAt(lines, text, lc.end));
      item.sortText = String(lc.case.index).padStart(5, '0');
      item.error = lc.case.authorizer ? undefined : 'The case names no "authorizer" definition file.';
      this.caseData.set(item, { file: uri, located: lc });
      entry.deps.set(id, dependenciesOf(lc, testDir, root));
      children.push(item);
    }
    entry.item.children.replace(children);
  }

  private remove(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.files.delete(key)) return;
    this.controller.items.delete(key);
  }

  private onFileEvent(uri: vscode.Uri, kind: 'create' | 'change' | 'delete'): void {
    if (uri.scheme !== 'file' || /[\\/](node_modules|\.git)[\\/]/.test(uri.fsPath)) return;
    if (uri.path.endsWith('.authorizer.json')) this.definitionChanged.fire(uri);
    const affected: vscode.TestItem[] = [];
    if (this.isTestFile(uri)) {
      if (kind === 'delete') {
        this.remove(uri);
        this.changed.fire();
        return;
      }
      void this.updateFromDisk(uri).then(() => {
        this.changed.fire();
        this.triggerContinuous(this.caseItems(uri), uri);
      });
      return;
    }
    const p = uri.fsPath;
    const touched = new Set<FileEntry>();
    for (const entry of this.files.values()) {
      for (const [id, deps] of entry.deps) {
        if (deps.files.has(p) || (SOURCE_FILE.test(p) && [...deps.dirs].some((d) => p.startsWith(d + path.sep)))) {
          const item = entry.item.children.get(id);
          if (item) affected.push(item);
          touched.add(entry);
        }
      }
    }
    if (!affected.length) return;
    // A changed definition may name another handler: recompute those files' dependencies.
    for (const entry of touched) void this.updateFromDisk(entry.uri);
    this.triggerContinuous(affected, uri);
  }

  /** Starts a run of the affected items that an active continuous run covers. */
  private triggerContinuous(affected: vscode.TestItem[], cause: vscode.Uri): void {
    if (!affected.length || this.watches.size === 0) return;
    const selected = new Set<vscode.TestItem>();
    let profile: vscode.TestRunProfile | undefined;
    for (const w of this.watches) {
      for (const item of affected) {
        if (w.include && !w.include.some((i) => covers(i, item))) continue;
        if (w.exclude?.some((i) => covers(i, item))) continue;
        selected.add(item);
        profile = w.profile ?? profile;
      }
    }
    if (!selected.size) return;
    this.services.log.info(`${vscode.workspace.asRelativePath(cause, false)} changed: re-running ${selected.size} IoT Authorizer test(s).`);
    const request = new vscode.TestRunRequest([...selected], undefined, profile ?? this.runProfile, true);
    const cts = new vscode.CancellationTokenSource();
    void this.runner.run(request, cts.token, `continuous: ${vscode.workspace.asRelativePath(cause, false)} changed`).finally(() => cts.dispose());
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.watches.clear();
    for (const d of this.disposables) d.dispose();
  }
}

const PROTOCOL_TAGS = new Map<string, vscode.TestTag>();

/** The tag of a case's protocol: its id is the protocol ("https", "mqtt", "wss"). */
export function protocolTag(protocol: string): vscode.TestTag {
  let tag = PROTOCOL_TAGS.get(protocol);
  if (!tag) PROTOCOL_TAGS.set(protocol, (tag = new vscode.TestTag(protocol)));
  return tag;
}

function covers(parent: vscode.TestItem, item: vscode.TestItem): boolean {
  for (let i: vscode.TestItem | undefined = item; i; i = i.parent) if (i === parent || i.id === parent.id) return true;
  return false;
}

/** The definition a case names and its handler's folder (a handler may require files next to it). */
function dependenciesOf(lc: LocatedCase, testDir: string, root: string | undefined): { files: Set<string>; dirs: Set<string> } {
  const files = new Set<string>();
  const dirs = new Set<string>();
  if (!lc.case.authorizer) return { files, dirs };
  const defPath = resolveRelative(lc.case.authorizer, [testDir, root]);
  files.add(defPath);
  try {
    if (fs.existsSync(defPath)) {
      const def = loadDefinitionFile(defPath, { workspaceRoot: root });
      if (def.handler) {
        files.add(def.handler.file);
        dirs.add(path.dirname(def.handler.file));
      }
    }
  } catch {
    // An unreadable definition is reported when the case runs.
  }
  return { files, dirs };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionAt(starts: number[], text: string, offset: number): vscode.Position {
  const o = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return new vscode.Position(lo, o - starts[lo]);
}
