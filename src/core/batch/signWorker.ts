// Worker thread entry of the batch signer (see pool.ts). Bundled on its own as
// dist/sign-worker.js; in the tsc output it is the signWorker.js next to pool.js.
// It holds the parsed private key (a KeyObject cloned in through workerData) and
// turns each piece of input bytes into output bytes: parsed, checked, signed
// and formatted here, so the coordinating thread only cuts and writes bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { AuthzError } from '../errors';
import { signToken } from '../tokens/sign';
import { processPiece } from './piece';
import type { PieceReply, PieceRequest, RecycleMessage } from './pool';

const { key } = workerData as { key: import('node:crypto').KeyObject };
const encoder = new TextEncoder();
const sign = (token: string) => signToken(key, token);
/** An output buffer given back by the coordinating thread, reused for the next piece when it is large enough. */
let spare: Uint8Array | undefined;

/** The text's UTF-8 bytes, in the spare buffer when they fit, else in a new one with some room to be reused. */
function encode(text: string): Uint8Array {
  if (spare) {
    const buf = spare;
    spare = undefined;
    const { read, written } = encoder.encodeInto(text, buf);
    if (read === text.length) return buf.subarray(0, written);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  const buf = new Uint8Array(bytes + (bytes >> 3));
  return buf.subarray(0, encoder.encodeInto(text, buf).written);
}

parentPort!.on('message', (msg: PieceRequest | RecycleMessage) => {
  if ('recycle' in msg) {
    spare = new Uint8Array(msg.recycle.buffer);
    return;
  }
  const req = msg;
  let reply: PieceReply;
  try {
    const r = processPiece(req.job, req, sign);
    // Bytes in a buffer of their own, moved (not copied) to the coordinating thread: no string lands in its heap.
    const out = encode(r.out);
    reply = { id: req.id, out, rows: r.rows, signed: r.signed, bad: r.bad };
    parentPort!.postMessage(reply, [out.buffer as ArrayBuffer]);
    return;
  } catch (e) {
    const err = e as Error;
    reply = { id: req.id, error: err instanceof AuthzError ? { code: err.code, message: err.message, hint: err.hint } : { message: err.message } };
  }
  parentPort!.postMessage(reply);
});
