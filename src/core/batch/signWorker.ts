// Worker thread entry of the batch signer (see pool.ts). Bundled on its own as
// dist/sign-worker.js; in the tsc output it is the signWorker.js next to pool.js.
// It holds the parsed private key (a KeyObject cloned in through workerData) and
// answers each chunk of rows with their output text (signed and formatted here,
// so the main thread only parses and writes).
import { parentPort, workerData } from 'node:worker_threads';
import { signToken } from '../tokens/sign';
import { formatRows } from './format';
import type { ChunkReply, ChunkRequest } from './pool';

const { key } = workerData as { key: import('node:crypto').KeyObject };

parentPort!.on('message', (req: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const signatures = req.rows.map((r) => signToken(key, r.token));
    reply = { id: req.id, text: formatRows(req.spec, req.rows, signatures) };
  } catch (e) {
    reply = { id: req.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
