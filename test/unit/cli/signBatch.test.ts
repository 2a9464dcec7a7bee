import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { CliIo } from '../../../src/cli/framework';
import { main } from '../../../src/cli/main';
import { progressLine } from '../../../src/cli/commands/signBatch';
import { opensslKey, opensslSign, openssl } from '../core/keys/opensslKeys';
import { verifies, batchKey } from '../core/batch/batchFixtures';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'out', 'src', 'cli', 'main.js');

describe('cli sign --batch', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-batch-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const key = () => opensslKey(2048).pkcs8Path;

  async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: dir, ...extra };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('--out writes the signed CSV (mode 0600) and --json prints the summary; signatures equal openssl\'s', async () => {
    write('devices.csv', 'serial,site\n"sn,1","Zürich ""HQ"""\nsn 2=&x,"multi\nline"\n');
    const r = await run(['sign', '--key', key(), '--batch', 'devices.csv', '--out', 'signed.csv', '--workers', '2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual({ rows: summary.rows, signed: summary.signed, errors: summary.errors, workers: summary.workers, tokenField: summary.tokenField }, { rows: 2, signed: 2, errors: 0, workers: 2, tokenField: 'serial' });
    assert.equal(typeof summary.seconds, 'number');
    const rows = parse(fs.readFileSync(path.join(dir, 'signed.csv'))) as string[][];
    assert.deepEqual(rows.map((x) => x.slice(0, 2)), [['serial', 'site'], ['sn,1', 'Zürich "HQ"'], ['sn 2=&x', 'multi\nline']]);
    for (const row of rows.slice(1)) assert.equal(row[2], opensslSign(key(), Buffer.from(row[0])));
    assert.equal(fs.statSync(path.join(dir, 'signed.csv')).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(), []);
  });

  it('JSON Lines from standard input to standard output, with the MQTT username; --json then goes to stderr', async () => {
    const input = Readable.from([Buffer.from('{"id":1,"sn":"dev-1"}\n{"id":2,"sn":"dév 2"}\n')]);
    const r = await run(['sign', '--key', key(), '--batch', '-', '--field', 'sn', '--authorizer', 'fleet-auth', '--token-key-name', 'device', '--json'], { stdin: input });
    assert.equal(r.code, 0, r.stderr);
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(objs.map((o) => o.id), [1, 2]);
    const { publicKey } = batchKey();
    for (const o of objs) {
      assert.ok(verifies(publicKey, o.sn, o.signature));
      assert.equal(o.mqttUsername, `?x-amz-customauthorizer-name=fleet-auth&device=${encodeURIComponent(o.sn)}&x-amz-customauthorizer-signature=${encodeURIComponent(o.signature)}`);
    }
    assert.equal(JSON.parse(r.stderr).signed, 2);
  });

  it('a bad row fails the run (exit 2, line number) and leaves nothing at --out; --on-error skip reports and signs the rest', async () => {
    write('bad.csv', 'sn\nok-1\n\n" padded"\nok-2\n');
    const f = await run(['sign', '--key', key(), '--batch', 'bad.csv', '--out', 'bad-out.csv', '--workers', '1']);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /Line 4: The token starts with whitespace.*--on-error skip.*Nothing was written to .*bad-out\.csv/s);
    assert.equal(fs.existsSync(path.join(dir, 'bad-out.csv')), false);
    assert.deepEqual(leftovers(), []);
    // An earlier output under that name is left as it was, not truncated.
    fs.writeFileSync(path.join(dir, 'bad-out.csv'), 'earlier run');
    assert.equal((await run(['sign', '--key', key(), '--batch', 'bad.csv', '--out', 'bad-out.csv', '--workers', '1'])).code, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'bad-out.csv'), 'utf8'), 'earlier run');
    const s = await run(['sign', '--key', key(), '--batch', 'bad.csv', '--out', 'bad-out.csv', '--workers', '1', '--on-error', 'skip']);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /line 4: The token starts with whitespace.*\(skipped\)/);
    assert.match(s.stderr, /signed 2 rows, skipped 1 bad rows/);
    assert.deepEqual((parse(fs.readFileSync(path.join(dir, 'bad-out.csv'))) as string[][]).map((x) => x[0]), ['sn', 'ok-1', 'ok-2']);
  });

  it('a wrong passphrase fails before any row is read', async () => {
    const enc = path.join(dir, 'enc.pem');
    openssl(['pkcs8', '-topk8', '-in', key(), '-out', enc, '-v2', 'aes-256-cbc', '-passout', 'pass:right']);
    let reads = 0;
    const stdin = new Readable({
      read() {
        reads++;
        this.push('sn\na\n');
        this.push(null);
      },
    });
    const r = await run(['sign', '--key', enc, '--batch', '-', '--passphrase-env', 'P'], { stdin, env: { P: 'wrong' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /passphrase/i);
    assert.equal(reads, 0);
    const ok = await run(['sign', '--key', enc, '--batch', '-', '--passphrase-env', 'P'], { stdin: Readable.from([Buffer.from('sn\na\n')]), env: { P: 'right' } });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('usage errors exit 2 with a clear message', async () => {
    write('u.csv', 'sn\na\n');
    const cases: [string[], RegExp][] = [
      [['--batch', 'u.csv', '--field', 'sn'], /--field names a JSON Lines field/],
      [['--batch', 'u.csv', '--workers', '0'], /--workers must be a whole number/],
      [['--batch', 'u.csv', '--shard', '3/3'], /not a shard K\/N/],
      [['--batch', 'u.csv', '--authorizer', 'a'], /--authorizer and --token-key-name go together/],
      [['--batch', 'u.csv', '--on-error', 'ignore'], /--on-error must be skip or fail/],
      [['--batch', 'u.csv', '--token', 'x'], /give no --token/],
      [['--batch', 'missing.csv'], /does not exist/],
      [['--batch', 'u.csv', '--column', 'nope'], /no column 'nope'/],
      [['--token', 'x', '--out', 'o.csv'], /--out is an option of --batch/],
    ];
    for (const [args, re] of cases) {
      const r = await run(['sign', '--key', key(), ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
  });

  it('shows progress on stderr only when it is a terminal', async () => {
    write('p.csv', 'sn\na\nb\n');
    const quiet = await run(['sign', '--key', key(), '--batch', 'p.csv', '--out', 'p1.csv']);
    assert.equal(quiet.stderr, '');
    const tty = await run(['sign', '--key', key(), '--batch', 'p.csv', '--out', 'p2.csv'], { stderrIsTTY: true });
    assert.ok(tty.stderr.startsWith('\r\u001b[K2 signed  '), JSON.stringify(tty.stderr));
    assert.match(tty.stderr, /2 signed {2}\d+ rows\/s {2}ETA \d+:\d\d\n$/);
    assert.equal(progressLine({ rows: 10, signed: 10, errors: 1, bytesRead: 50, totalBytes: 100, seconds: 2 }), '10 signed  5 rows/s  1 bad  ETA 0:02');
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-run removes the temporary file, leaves nothing at --out and exits ${code} with no worker left`, async () => {
      const big = path.join(dir, `big-${signal}.csv`);
      const lines = ['sn'];
      for (let i = 0; i < 200_000; i++) lines.push(`device-${i}`);
      fs.writeFileSync(big, `${lines.join('\n')}\n`);
      const out = path.join(dir, `big-${signal}.signed.csv`);
      const child = spawn(process.execPath, [CLI, 'sign', '--key', key(), '--batch', big, '--out', out, '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })));
      // Wait until signed rows reach the temporary file, then interrupt.
      const tmpName = new RegExp(`^\\.big-${signal}\\.signed\\.csv\\.${child.pid}-[0-9a-f]+\\.tmp$`);
      for (;;) {
        const tmp = fs.readdirSync(dir).find((f) => tmpName.test(f));
        if (tmp && fs.statSync(path.join(dir, tmp)).size > 1000) break;
        if (child.exitCode !== null) assert.fail(`the CLI ended before it was interrupted: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill(signal);
      const end = await exited;
      // It handled the signal and exited on its own: had a worker thread stayed alive, the process would not end.
      assert.deepEqual(end, { code, signal: null }, stderr);
      assert.match(stderr, /interrupted; big-SIG\w+\.signed\.csv was not written/);
      assert.equal(fs.existsSync(out), false);
      assert.deepEqual(fs.readdirSync(dir).filter((f) => tmpName.test(f)), []);
    });
  }

  it('the bundled CLI and its worker (as scripts/build.mjs bundles them) sign a batch', async () => {
    const esbuild = await import('esbuild');
    const bundleDir = path.join(dir, 'dist');
    const options = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/esbuild-options.json'), 'utf8'));
    await esbuild.build({ ...options, entryPoints: { cli: path.join(ROOT, 'src/cli/main.ts'), 'sign-worker': path.join(ROOT, 'src/core/batch/signWorker.ts') }, outdir: bundleDir, logLevel: 'silent' });
    assert.match(fs.readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8'), /entryPoints: \{ 'sign-worker': 'src\/core\/batch\/signWorker\.ts' \}/);
    write('b.jsonl', '{"sn":"a b=&c"}\n');
    const out = execFileSync(process.execPath, [path.join(bundleDir, 'cli.js'), 'sign', '--key', key(), '--batch', 'b.jsonl', '--workers', '1'], { cwd: dir }).toString();
    assert.equal(JSON.parse(out).signature, opensslSign(key(), Buffer.from('a b=&c')));
  });
});
