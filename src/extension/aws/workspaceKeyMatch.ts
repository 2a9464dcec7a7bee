import * as vscode from 'vscode';
import { WorkspaceKey } from '../../core/aws';
import { workspaceKeyFingerprints } from './commands/common';
import { AwsFeature } from './feature';

/**
 * The workspace's public keys with their fingerprints, to mark the deployed keys that match:
 * from the keys feature's scan (pairs found by PEM content) when the AWS feature was given it,
 * else from the *.pem files.
 */
export async function workspaceKeysForMatching(f: AwsFeature): Promise<WorkspaceKey[]> {
  if (f.keys) {
    const pairs = await f.keys.keys.list();
    const out: WorkspaceKey[] = [];
    for (const p of pairs) {
      const file = p.publicFile ?? p.privateFile;
      if (p.fingerprint && file) out.push({ label: vscode.workspace.asRelativePath(file, false), fingerprint: p.fingerprint.hex });
    }
    if (out.length) return out;
  }
  return workspaceKeyFingerprints();
}
