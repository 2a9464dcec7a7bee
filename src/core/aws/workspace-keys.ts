import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInputFile } from '../files';
import { loadPublicKey } from '../keys/keys';
import { WorkspaceKey } from './doctor';

const SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test']);

/** The public-key fingerprint of a PEM file (public key, certificate or unencrypted private key); undefined when unusable. */
export function pemFileFingerprint(file: string): string | undefined {
  try {
    const text = readInputFile(file, 'key', 256 * 1024).toString('utf8');
    return loadPublicKey(text).fingerprint.hex;
  } catch {
    return undefined;
  }
}

/**
 * Fingerprints of the RSA keys in `*.pem` files under `root` (depth-limited, skipping
 * node_modules, .git, out, dist). Labels are paths relative to root. For the CLI; the
 * extension uses the workspace's file search instead.
 */
export function scanWorkspaceKeys(root: string, o: { maxDepth?: number; maxFiles?: number } = {}): WorkspaceKey[] {
  const out: WorkspaceKey[] = [];
  const maxDepth = o.maxDepth ?? 4;
  const maxFiles = o.maxFiles ?? 200;
  const seen = new Set<string>();
  const walk = (dir: string, depth: number) => {
    if (depth > maxDepth || out.length >= maxFiles) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.isFile() && e.name.endsWith('.pem')) {
        const fp = pemFileFingerprint(p);
        if (fp && !seen.has(`${fp}:${p}`)) {
          seen.add(`${fp}:${p}`);
          out.push({ label: path.relative(root, p) || e.name, fingerprint: fp });
        }
      }
    }
  };
  walk(root, 0);
  // Public keys first, so a match is reported against the file that holds the public key.
  const rank = (k: WorkspaceKey) => (/public|\.pub\b/i.test(path.basename(k.label)) ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}
