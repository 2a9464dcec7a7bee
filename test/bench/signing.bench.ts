// Sign and verify throughput of the core for 2048-bit keys, as a ratio to
// `openssl speed rsa2048` measured in the same run (same machine, same load).
// Run: npx tsc -p . && node out/test/bench/signing.bench.js [seconds]
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { signToken, verifyToken } from '../../src/core/tokens';

const seconds = Number(process.argv[2] ?? 2);
const TOKEN = 'device-42:2025-01-01T00:00:00Z';

function opsPerSecond(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let n = 0;
  while (process.hrtime.bigint() < end) {
    fn();
    n++;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** `openssl speed -mr` prints `+F2:<n>:2048:<sign>:<verify>`: ops/s in OpenSSL 3, seconds per op in 1.1. */
function opensslSpeed(): { sign: number; verify: number } | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-mr', '-seconds', String(seconds), 'rsa2048'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    const m = /\+F2:\d+:2048:([\d.]+):([\d.]+)/.exec(out);
    const rate = (v: string) => (Number(v) >= 1 ? Number(v) : 1 / Number(v));
    return m ? { sign: rate(m[1]), verify: rate(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signature = signToken(privateKey, TOKEN);
const keys = [{ name: 'bench', key: publicKey }];

const ours = {
  sign: opsPerSecond(() => signToken(privateKey, TOKEN)),
  verify: opsPerSecond(() => {
    if (!verifyToken(keys, TOKEN, signature).valid) throw new Error('bench signature did not verify');
  }),
};
const ref = opensslSpeed();

const row = (op: string, v: number, r?: number) =>
  `| ${op.padEnd(6)} | ${v.toFixed(0).padStart(10)} | ${(r ? r.toFixed(0) : 'n/a').padStart(12)} | ${(r ? (v / r).toFixed(2) : 'n/a').padStart(5)} |`;
console.log(`RSA-2048 token signatures, ${seconds}s per measurement, node ${process.version}`);
console.log('| op     | core ops/s | openssl op/s | ratio |');
console.log('|--------|------------|--------------|-------|');
console.log(row('sign', ours.sign, ref?.sign));
console.log(row('verify', ours.verify, ref?.verify));
if (!ref) console.log('(openssl speed unavailable: no reference)');
