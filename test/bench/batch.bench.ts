// Batch signing throughput (sign --batch) against OpenSSL on the same machine in the same run:
// tokens/s with 1 worker, 2 workers and every core vs `openssl speed -multi <cores> rsa2048`,
// vs one `printf | openssl dgst | openssl base64` pipeline per token (the headline ratio),
// and the peak RSS of whole batches of two sizes (flat memory: the ratio should stay near 1).
// Run: npx tsc -p . && node out/test/bench/batch.bench.js [seconds]
// BATCH_BENCH_LARGE_ROWS sets the large RSS run (default 100000; 1000000 takes ~1000/rate seconds).
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Readable, Writable } from 'node:stream';
import { defaultWorkers, signBatch, Sink } from '../../src/core/batch';

/** Rows of a generated CSV, produced as they are read (nothing held in memory). */
function generated(rows: number): Readable {
  return Readable.from(
    (function* () {
      yield 'serial,site\n';
      for (let i = 0; i < rows; i += 1000) {
        let block = '';
        for (let j = i; j < Math.min(rows, i + 1000); j++) block += `device-${String(j).padStart(8, '0')},site-${j % 97}\n`;
        yield block;
      }
    })(),
  );
}

/** A sink that drops everything (like /dev/null, without the syscalls). */
function nullSink(): Sink {
  return new Sink(new Writable({ write: (_c, _e, cb) => cb() }));
}

interface Rate {
  /** Tokens per wall-clock second. */
  wall: number;
  /** Tokens per CPU second of the whole process (main thread and workers): what `openssl speed` reports by default. */
  cpu: number;
  /** CPU seconds per wall second: how many cores the run actually got. */
  cores: number;
}

async function batchRate(key: KeyObject, workers: number, rows: number): Promise<Rate> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const s = await signBatch({ input: generated(rows), output: nullSink(), format: 'csv', key, workers });
  if (s.signed !== rows) throw new Error(`signed ${s.signed} of ${rows}`);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { wall: rows / wall, cpu: rows / cpu, cores: cpu / wall };
}

// Child mode: one whole batch in a fresh process, as a user runs it (`iot-authz sign --batch FILE --out FILE`,
// the CLI's own code reading a real file written beforehand by the parent), reporting its peak RSS.
if (process.argv[2] === '--rss') {
  const dir = process.argv[3];
  void (async () => {
    const { main: cli } = await import('../../src/cli/main');
    let err = '';
    const t0 = Date.now();
    const code = await cli(['sign', '--key', 'k.pem', '--batch', 'devices.csv', '--out', 'signed.csv'], { stdout: () => undefined, stderr: (t) => void (err += t), env: {}, cwd: dir });
    if (code !== 0) throw new Error(`iot-authz sign --batch exited ${code}: ${err}`);
    const young = v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space');
    process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, seconds: (Date.now() - t0) / 1000, newSpaceKiB: Math.round((young?.space_size ?? 0) / 1024) }));
  })();
} else {
  void main();
}

/**
 * `openssl speed -mr -multi N rsa2048`: the total sign/s of N processes (last `+F2:` line without "from").
 * Without -elapsed, openssl speed divides by CPU user time: on a loaded machine it is what N free cores would do.
 */
function opensslMulti(cores: number, seconds: number): number | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-mr', '-multi', String(cores), '-seconds', String(seconds), 'rsa2048'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    const lines = out.split('\n').filter((l) => /^\+F2:\d+:2048:/.test(l));
    const m = /^\+F2:\d+:2048:([\d.]+):/.exec(lines[lines.length - 1] ?? '');
    if (!m) return undefined;
    const v = Number(m[1]);
    // OpenSSL 3 prints ops/s; 1.1 printed seconds per op (summed per process).
    return v >= 1 ? v : cores / v;
  } catch {
    return undefined;
  }
}

/** `openssl speed -mr rsa2048` in one process: sign/s per CPU second (its default divisor), i.e. per free core. */
function opensslSingle(seconds: number): number | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-mr', '-seconds', String(seconds), 'rsa2048'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    const m = /\+F2:\d+:2048:([\d.]+):/.exec(out);
    return m ? (Number(m[1]) >= 1 ? Number(m[1]) : 1 / Number(m[1])) : undefined;
  } catch {
    return undefined;
  }
}

/** Tokens/s of the shell way: one printf | openssl dgst -sign | openssl base64 pipeline per token. */
function pipelineRate(keyPath: string, tokens: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < tokens; i++) {
    const r = spawnSync('sh', ['-c', 'printf %s "$T" | openssl dgst -sha256 -sign "$K" | openssl base64 -A'], { env: { ...process.env, T: `device-${i}`, K: keyPath } });
    if (r.status !== 0 || r.stdout.length === 0) throw new Error(`pipeline failed: ${r.stderr}`);
  }
  return tokens / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Peak RSS of `iot-authz sign --batch` over a CSV file of `rows` rows (written first, outside the measured process). */
async function rss(key: KeyObject, rows: number): Promise<{ maxRssKiB: number; seconds: number; newSpaceKiB: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-bench-rss-'));
  try {
    fs.writeFileSync(path.join(dir, 'k.pem'), key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await new Promise<void>((resolve, reject) => generated(rows).pipe(fs.createWriteStream(path.join(dir, 'devices.csv'))).on('finish', resolve).on('error', reject));
    const r = spawnSync(process.execPath, [__filename, '--rss', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`RSS run of ${rows} rows failed: ${r.stderr}`);
    const signed = fs.readFileSync(path.join(dir, 'signed.csv'), 'utf8').split('\n').length - 2;
    if (signed !== rows) throw new Error(`the RSS run of ${rows} rows wrote ${signed}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4);
  const cores = defaultWorkers();
  const largeRows = Number(process.env.BATCH_BENCH_LARGE_ROWS ?? 100_000);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-bench-'));
  const keyPath = path.join(dir, 'k.pem');
  fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    // The machine's speed drifts (a shared host): each of our runs is measured right after
    // its OpenSSL reference (or right before it, alternately), in ROUNDS rounds, and the medians are compared.
    const rounds = Number(process.env.BATCH_BENCH_ROUNDS ?? 3);
    const refMulti: number[] = [];
    const refSingle: number[] = [];
    const ones: Rate[] = [];
    const twos: Rate[] = [];
    const alls: Rate[] = [];
    await batchRate(privateKey, 1, 200); // warm-up (JIT, first worker start)
    // Runs are sized from the first OpenSSL figures to take about `seconds` each (worker start-up and parsing included).
    const sizing = { single: opensslSingle(1) ?? 1000, multi: opensslMulti(cores, 1) ?? 1000 * cores };
    for (let i = 0; i < rounds; i++) {
      // Which goes first alternates: a host that slows under sustained load must not favour one side.
      const pair = async (ref: () => number | undefined, refs: number[], ours: () => Promise<void>) => {
        if (i % 2 === 0) {
          const r = ref();
          await ours();
          if (r) refs.push(r);
        } else {
          await ours();
          const r = ref();
          if (r) refs.push(r);
        }
      };
      await pair(() => opensslSingle(seconds), refSingle, async () => {
        ones.push(await batchRate(privateKey, 1, Math.max(3000, Math.round(sizing.single * seconds))));
      });
      await pair(() => opensslMulti(cores, seconds), refMulti, async () => {
        twos.push(await batchRate(privateKey, 2, Math.max(3000, Math.round((sizing.multi * 2 * seconds) / cores))));
        if (cores !== 2) alls.push(await batchRate(privateKey, cores, Math.max(3000, Math.round(sizing.multi * seconds))));
      });
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const medRate = (rs: Rate[]): Rate => ({ wall: med(rs.map((r) => r.wall)), cpu: med(rs.map((r) => r.cpu)), cores: med(rs.map((r) => r.cores)) });
    const openssl = refMulti.length ? med(refMulti) : undefined;
    const perCoreCpu = refSingle.length ? med(refSingle) : undefined;
    const perCore = openssl ? openssl / cores : 1000;
    const one = medRate(ones);
    const two = medRate(twos);
    const all = cores === 2 ? two : medRate(alls);
    // Ratios per round (a run against the reference measured just before it), then their median.
    const perRound = (f: (i: number) => number | undefined) => {
      const xs = Array.from({ length: rounds }, (_, i) => f(i)).filter((x): x is number => x !== undefined && Number.isFinite(x));
      return xs.length ? med(xs) : undefined;
    };
    const oneVsSingleCpu = perRound((i) => (refSingle[i] ? ones[i].cpu / refSingle[i] : undefined));
    const oneVsPerCore = perRound((i) => (refMulti[i] ? ones[i].wall / (refMulti[i] / cores) : undefined));
    const allVsMulti = perRound((i) => (refMulti[i] ? (cores === 2 ? twos[i] : alls[i]).wall / refMulti[i] : undefined));
    const twoVsOne = perRound((i) => twos[i].wall / ones[i].wall)!;
    const twoVsOneCores = perRound((i) => twos[i].cores / ones[i].cores)!;
    const twoVsOneCpu = perRound((i) => (2 * twos[i].cpu) / ones[i].cpu)!;
    const pipeline = pipelineRate(keyPath, 20);
    const small = await rss(privateKey, 10_000);
    const large = await rss(privateKey, largeRows);

    const f = (v: number, d = 0) => v.toFixed(d);
    const mark = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET');
    console.log(`Batch signing (sign --batch), RSA-2048, ${cores} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians of ${rounds} rounds, each run next to its OpenSSL reference (order alternating)`);
    console.log('tokens/s per wall second, and per CPU second (as openssl speed divides in one process; its -multi figures are per wall second here); "cores" = CPU s / wall s the run got');
    console.log('| run                        | wall tok/s | CPU tok/s | cores |');
    console.log('|----------------------------|------------|-----------|-------|');
    const runRow = (name: string, r: Rate) => console.log(`| ${name.padEnd(26)} | ${f(r.wall).padStart(10)} | ${f(r.cpu).padStart(9)} | ${f(r.cores, 2).padStart(5)} |`);
    runRow('1 worker', one);
    runRow('2 workers', two);
    if (cores !== 2) runRow(`${cores} workers (all cores)`, all);
    console.log(`| shell pipeline per token   | ${f(pipeline, 1).padStart(10)} |           |       |`);
    console.log('');
    console.log('| ratio                                          | value | target          |');
    console.log('|------------------------------------------------|-------|-----------------|');
    const ratio = (name: string, v: number, target = '') => console.log(`| ${name.padEnd(46)} | ${f(v, 2).padStart(5)} | ${target.padEnd(15)} |`);
    if (perCoreCpu && oneVsSingleCpu !== undefined) ratio(`1 worker / openssl 1 process (${f(perCoreCpu)}/s), CPU`, oneVsSingleCpu, `>= 0.9 ${mark(oneVsSingleCpu >= 0.9)}`);
    if (openssl && oneVsPerCore !== undefined && allVsMulti !== undefined) {
      ratio(`1 worker / openssl -multi per core (${f(perCore)}/s), wall`, oneVsPerCore, `>= 0.9 ${mark(oneVsPerCore >= 0.9)}`);
      ratio(`all cores / openssl -multi ${cores} (${f(openssl)}/s), wall`, allVsMulti);
    }
    if (!openssl || !perCoreCpu) {
      console.log('(openssl speed unavailable: no OpenSSL reference)');
    }
    ratio('2 workers / 1 worker, wall', twoVsOne, `>= 1.8 ${mark(twoVsOne >= 1.8)}`);
    ratio('2 workers / 1 worker, cores granted', twoVsOneCores);
    ratio('2 workers / 1 worker, per CPU second (x2)', twoVsOneCpu, `>= 1.8 ${mark(twoVsOneCpu >= 1.8)}`);
    ratio('HEADLINE all cores / one pipeline per token', all.wall / pipeline);
    console.log('');
    console.log('| peak RSS of a whole batch | rows      | MiB   | seconds |');
    console.log('|---------------------------|-----------|-------|---------|');
    console.log(`| small                     | ${String(10_000).padStart(9)} | ${f(small.maxRssKiB / 1024, 1).padStart(5)} | ${f(small.seconds, 1).padStart(7)} |`);
    console.log(`| large                     | ${String(largeRows).padStart(9)} | ${f(large.maxRssKiB / 1024, 1).padStart(5)} | ${f(large.seconds, 1).padStart(7)} |`);
    console.log(`RSS large/small: ${f(large.maxRssKiB / small.maxRssKiB, 2)} (flat memory: near 1, whatever the row count)`);
    if (two.cores < 1.8) {
      console.log(
        `note: the 2-worker run got ${f(two.cores, 2)} cores of CPU (load average ${os.loadavg()[0].toFixed(1)}): the machine is shared, so the wall ratio shows the scheduler's share; the per-CPU-second ratio is what 2 free cores give.`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
