// Worker thread entry of the batch signer (see pool.ts). Bundled on its own as
// dist/sign-worker.js; in the tsc output it is the signWorker.js next to pool.js.
// It holds the parsed private key (a KeyObject cloned in through workerData) and
// answers each chunk of tokens with their signatures, in the same order.
import { parentPort, workerData } from 'node:worker_threads';
import { signToken } from '../tokens/sign';
import type { ChunkReply, ChunkRequest } from './pool';

const { key } = workerData as { key: import('node:crypto').KeyObject };

parentPort!.on('message', (req: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    reply = { id: req.id, signatures: req.tokens.map((t) => signToken(key, t)) };
  } catch (e) {
    reply = { id: req.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
