import * as vscode from 'vscode';
import { classifyPem, FoundPemBlock, Fingerprint, looksLikePem, pairKeyBlocks } from '../../core/keys';

/** A key pair (or half of one) found in the workspace by its PEM content. */
export interface WorkspaceKeyPair {
  /** Fingerprint hex when known, else the file path: stable across refreshes. */
  readonly id: string;
  /** File name without the .private/.public/.pem decorations. */
  readonly name: string;
  readonly bits?: number;
  readonly fingerprint?: Fingerprint;
  readonly privateFile?: vscode.Uri;
  readonly publicFile?: vscode.Uri;
  /** The private half is passphrase-protected (its fingerprint is then known only from the public half). */
  readonly encrypted: boolean;
  /** Why AWS would refuse this key (EC, under 2048 bits, unreadable). */
  readonly problem?: string;
}

const DEFAULT_SEARCH_GLOB = '**/*.{pem,key,pub,crt,cer}';

function searchGlob(): string {
  return vscode.workspace.getConfiguration('iotAuthz.keys').get<string>('searchGlob') || DEFAULT_SEARCH_GLOB;
}

/** Key files are small; anything bigger is not a key and is skipped unread. */
const MAX_KEY_FILE_BYTES = 64 * 1024;
const MAX_FILES = 500;

/**
 * Finds key files in the workspace and pairs private and public halves by
 * fingerprint (or, for encrypted private keys, by file name). The scan runs
 * on demand and after file changes, never inside the tree provider.
 */
export class WorkspaceKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private cache: Promise<WorkspaceKeyPair[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private debounce: ReturnType<typeof setTimeout> | undefined;

  /** The watcher of the files `iotAuthz.keys.searchGlob` names; rebuilt when the setting changes. */
  private watcher: vscode.Disposable | undefined;
  /** The glob the current watcher was built from (tests read it). */
  watchedGlob = '';

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('iotAuthz.keys.searchGlob')) {
          this.watch();
          this.invalidate();
        }
      }),
    );
  }

  /** (Re)creates the file watcher from the setting, so keys in any searched file are noticed. */
  private watch(): void {
    const glob = searchGlob();
    if (this.watcher && glob === this.watchedGlob) return;
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(glob);
    const onFile = () => this.invalidate();
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile));
    this.watchedGlob = glob;
  }

  /** Drops the cache and tells listeners, debounced so a burst of file events scans once. */
  invalidate(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.cache = undefined;
      this.changed.fire();
    }, 300);
  }

  /** Rescans now (used by the Refresh command and by tests). */
  async refresh(): Promise<WorkspaceKeyPair[]> {
    this.cache = undefined;
    const result = await this.list();
    this.changed.fire();
    return result;
  }

  list(): Promise<WorkspaceKeyPair[]> {
    this.cache ??= this.scan().catch((e) => {
      this.log.error(`Scanning the workspace for keys failed: ${(e as Error).message}`);
      return [];
    });
    return this.cache;
  }

  private async scan(): Promise<WorkspaceKeyPair[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    const glob = searchGlob();
    const uris = await vscode.workspace.findFiles(glob, '**/{node_modules,.git,.vscode-test,out,dist,.iot-authz}/**', MAX_FILES);
    const blocks: FoundPemBlock[] = [];
    const byKey = new Map<string, vscode.Uri>();
    for (const uri of uris) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_KEY_FILE_BYTES) continue;
        const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        if (!looksLikePem(text)) continue;
        byKey.set(uri.path, uri);
        for (const info of classifyPem(text)) blocks.push({ file: uri.path, info });
      } catch (e) {
        // A damaged PEM is listed as a problem rather than hidden.
        byKey.set(uri.path, uri);
        blocks.push({ file: uri.path, info: { label: 'unreadable', line: 1, kind: 'other', format: 'other', problem: (e as Error).message } });
      }
    }
    const toUri = (f?: string) => (f ? byKey.get(f) : undefined);
    return pairKeyBlocks(blocks).map((e) => ({ ...e, privateFile: toUri(e.privateFile), publicFile: toUri(e.publicFile) }));
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
