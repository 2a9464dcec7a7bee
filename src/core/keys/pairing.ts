import * as path from 'node:path';
import { Fingerprint, PemBlockInfo } from './keys';

/** One PEM block found in a file of the workspace. */
export interface FoundPemBlock {
  /** A path (or any string whose last segment is the file name, such as a URI path). */
  file: string;
  info: PemBlockInfo;
}

/** A key pair, or half of one, assembled from found blocks. */
export interface KeyPairEntry {
  /** Fingerprint hex when known, else the file: stable across scans. */
  id: string;
  /** File name without the .private/.public/.pem decorations. */
  name: string;
  bits?: number;
  fingerprint?: Fingerprint;
  privateFile?: string;
  publicFile?: string;
  /** The private half is passphrase-protected (its fingerprint is then known only from the public half). */
  encrypted: boolean;
  /** Why AWS would refuse this key (EC, under 2048 bits, unreadable). */
  problem?: string;
}

/** `dev.private.pem`, `dev.public.pem`, `dev.pem`, `dev.pub`, `dev_key.pem` → `dev`. */
export function keyStem(file: string): string {
  const base = path.posix.basename(file.replace(/\\/g, '/'));
  const stem = base.replace(/\.(pem|key|pub|crt|cer)$/i, '').replace(/([._-](private|public|priv|pub|key))+$/i, '');
  return stem || base;
}

/**
 * Pairs private and public halves by fingerprint, and an encrypted private
 * key (whose fingerprint needs its passphrase) with the public key of the
 * same name in the same folder. Certificates count as public halves.
 * Blocks that are not keys are dropped; damaged ones are kept with a problem.
 */
export function pairKeyBlocks(blocks: FoundPemBlock[]): KeyPairEntry[] {
  type Draft = Omit<KeyPairEntry, 'id'>;
  const byFingerprint = new Map<string, Draft>();
  const encrypted: FoundPemBlock[] = [];
  const broken: Draft[] = [];
  for (const { file, info } of blocks) {
    if (info.kind === 'encrypted-private') {
      encrypted.push({ file, info });
      continue;
    }
    if (info.kind === 'other') {
      if (info.problem) broken.push({ name: keyStem(file), privateFile: file, encrypted: false, problem: info.problem });
      continue;
    }
    if (!info.fingerprint) {
      const half = info.kind === 'private' ? { privateFile: file } : { publicFile: file };
      broken.push({ name: keyStem(file), ...half, encrypted: false, problem: info.problem ?? 'unreadable key' });
      continue;
    }
    const d = byFingerprint.get(info.fingerprint.hex) ?? { name: keyStem(file), encrypted: false };
    d.bits ??= info.bits;
    d.fingerprint = info.fingerprint;
    d.problem ??= info.problem;
    if (info.kind === 'private') {
      // The private file names the pair: it is the one users pick to sign with.
      if (!d.privateFile) d.name = keyStem(file);
      d.privateFile ??= file;
    } else {
      d.publicFile ??= file;
    }
    byFingerprint.set(info.fingerprint.hex, d);
  }
  const drafts = [...byFingerprint.values()];
  for (const { file, info } of encrypted) {
    const stem = keyStem(file);
    const dir = path.posix.dirname(file.replace(/\\/g, '/'));
    const mate = drafts.find((d) => !d.privateFile && d.publicFile && keyStem(d.publicFile) === stem && path.posix.dirname(d.publicFile.replace(/\\/g, '/')) === dir);
    if (mate) {
      mate.privateFile = file;
      mate.encrypted = true;
    } else {
      drafts.push({ name: stem, privateFile: file, encrypted: true, problem: info.algorithm === 'ec' ? 'EC key: AWS token signing keys are RSA' : undefined });
    }
  }
  return [...drafts, ...broken]
    .map((d) => ({ ...d, id: d.fingerprint?.hex ?? (d.privateFile ?? d.publicFile)! }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
