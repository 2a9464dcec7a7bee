// Shared by the batch tests: an openssl-made key, helpers to run signBatch on text and read its output.
import { createPrivateKey, createPublicKey, KeyObject, verify } from 'node:crypto';
import * as fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { BatchOptions, BatchSummary, signBatch, Sink } from '../../../../src/core/batch';
import { opensslKey } from '../keys/opensslKeys';

export function batchKey(): { path: string; key: KeyObject; publicKey: KeyObject } {
  const k = opensslKey(2048);
  const key = createPrivateKey(fs.readFileSync(k.pkcs8Path));
  return { path: k.pkcs8Path, key, publicKey: createPublicKey(key) };
}

/** True when `signature` (base64) is a valid RSA-SHA256 PKCS#1 v1.5 signature of the token's UTF-8 bytes. */
export function verifies(publicKey: KeyObject, token: string, signature: string): boolean {
  return verify('sha256', Buffer.from(token, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
}

export function collector(): { sink: Sink; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { sink: new Sink(stream), text: () => parts.join('') };
}

export async function runOn(
  input: string,
  options: Omit<BatchOptions, 'input' | 'output' | 'key'> & { key?: KeyObject },
  pieceSize = 7,
): Promise<{ summary: BatchSummary; out: string }> {
  const c = collector();
  // Small pieces, so rows (and UTF-8 characters) straddle chunk boundaries.
  const bytes = Buffer.from(input, 'utf8');
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += pieceSize) pieces.push(bytes.subarray(i, i + pieceSize));
  const summary = await signBatch({ ...options, key: options.key ?? batchKey().key, input: Readable.from(pieces), output: c.sink });
  return { summary, out: c.text() };
}
