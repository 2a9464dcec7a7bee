import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyPem, Fingerprint, looksLikePem, PemBlockInfo } from '../../core/keys';

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

/** Key files are small; anything bigger is not a key and is skipped unread. */
const MAX_KEY_FILE_BYTES = 64 * 1024;
const MAX_FILES = 500;

interface FoundBlock {
  uri: vscode.Uri;
  info: PemBlockInfo;
}

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

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const onFile = (uri: vscode.Uri) => {
      if (/\.(pem|key|pub|crt|cer)$/i.test(uri.path) || !path.extname(uri.path)) this.invalidate();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('iotAuthz.keys.searchGlob')) this.invalidate();
      }),
    );
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
    const glob = vscode.workspace.getConfiguration('iotAuthz.keys').get<string>('searchGlob') || '**/*.{pem,key,pub,crt,cer}';
    const uris = await vscode.workspace.findFiles(glob, '**/{node_modules,.git,.vscode-test,out,dist}/**', MAX_FILES);
    const blocks: FoundBlock[] = [];
    for (const uri of uris) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_KEY_FILE_BYTES) continue;
        const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        if (!looksLikePem(text)) continue;
        for (const info of classifyPem(text)) blocks.push({ uri, info });
      } catch (e) {
        // A damaged PEM is listed as a problem rather than hidden.
        blocks.push({ uri, info: { label: 'unreadable', line: 1, kind: 'other', format: 'other', problem: (e as Error).message } });
      }
    }
    return pairBlocks(blocks);
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
  }
}

/** `dev.private.pem`, `dev.public.pem`, `dev.pem`, `dev.pub`, `dev_key.pem` → `dev`. */
export function keyStem(uri: vscode.Uri): string {
  let base = path.basename(uri.path);
  base = base.replace(/\.(pem|key|pub|crt|cer)$/i, '');
  base = base.replace(/([._-](private|public|priv|pub|key))+$/i, '');
  return base || path.basename(uri.path);
}

function pairBlocks(blocks: FoundBlock[]): WorkspaceKeyPair[] {
  interface Draft {
    name: string;
    bits?: number;
    fingerprint?: Fingerprint;
    privateFile?: vscode.Uri;
    publicFile?: vscode.Uri;
    encrypted: boolean;
    problem?: string;
  }
  const byFingerprint = new Map<string, Draft>();
  const encrypted: FoundBlock[] = [];
  const broken: Draft[] = [];
  for (const { uri, info } of blocks) {
    if (info.kind === 'encrypted-private') {
      encrypted.push({ uri, info });
      continue;
    }
    if (info.kind === 'other') {
      if (info.problem) broken.push({ name: keyStem(uri), privateFile: uri, encrypted: false, problem: info.problem });
      continue;
    }
    if (!info.fingerprint) {
      broken.push({ name: keyStem(uri), publicFile: uri, encrypted: false, problem: info.problem ?? 'unreadable key' });
      continue;
    }
    const d = byFingerprint.get(info.fingerprint.hex) ?? { name: keyStem(uri), encrypted: false };
    d.bits ??= info.bits;
    d.fingerprint = info.fingerprint;
    d.problem ??= info.problem;
    if (info.kind === 'private') {
      d.privateFile ??= uri;
      d.name = keyStem(uri);
    } else {
      d.publicFile ??= uri;
    }
    byFingerprint.set(info.fingerprint.hex, d);
  }
  const drafts = [...byFingerprint.values()];
  // An encrypted private key's fingerprint is unknown without its passphrase: pair it by name in the same folder.
  for (const { uri, info } of encrypted) {
    const stem = keyStem(uri);
    const dir = path.dirname(uri.path);
    const mate = drafts.find((d) => !d.privateFile && d.publicFile && keyStem(d.publicFile) === stem && path.dirname(d.publicFile.path) === dir);
    if (mate) {
      mate.privateFile = uri;
      mate.encrypted = true;
    } else {
      drafts.push({ name: stem, privateFile: uri, encrypted: true, problem: info.algorithm === 'ec' ? 'EC key: AWS token signing keys are RSA' : undefined });
    }
  }
  return [...drafts, ...broken]
    .map((d) => ({ ...d, id: d.fingerprint?.hex ?? (d.privateFile ?? d.publicFile)!.toString() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
