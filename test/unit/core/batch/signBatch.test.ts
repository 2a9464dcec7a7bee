import * as assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AuthzError } from '../../../../src/core/errors';
import { BadRow, CHUNK_MAX_CHARS, MAX_ROW_BYTES, parseShard, signBatch, signWorkerCandidates, Sink } from '../../../../src/core/batch';
import { mqttUsername } from '../../../../src/core/tokens';
import { opensslSign } from '../keys/opensslKeys';
import { batchKey, runOn, verifies } from './batchFixtures';

/** Tokens that break naive CSV or shell handling. */
const TOKENS = ['device,with,commas', 'say "hi"', 'line1\u2028still one line', 'dév-ünïcödé-设备-🚀', 'a=b&c=d', 'with inner spaces', 'plain-001', 'x=='];

/** A CSV of `total` rows `d<i>,<pad>` produced as it is read, and how many rows were produced so far. */
function paddedRows(total: number, pad: string): { input: Readable; produced: () => number } {
  let produced = 0;
  const input = Readable.from(
    (function* () {
      yield 'sn,pad\n';
      for (let i = 0; i < total; i++) {
        produced++;
        yield `d${i},${pad}\n`;
      }
    })(),
  );
  return { input, produced: () => produced };
}

describe('core/batch signBatch', function () {
  this.timeout(120_000);

  it('CSV: each signature equals openssl dgst -sha256 -sign of its token; quoted fields with commas, quotes and newlines round-trip', async () => {
    const { path: keyPath } = batchKey();
    const rows = TOKENS.map((t, i) => [t, `note ${i}, "quoted"\nsecond line`, i % 2 ? '' : 'ü']);
    const input = stringify([['token', 'note', 'extra'], ...rows]);
    const { out, summary } = await runOn(input, { format: 'csv', workers: 2, chunkSize: 3 });
    const parsed = parse(out) as string[][];
    assert.deepEqual(parsed[0], ['token', 'note', 'extra', 'signature', 'signatureUrlEncoded']);
    assert.equal(parsed.length, rows.length + 1);
    parsed.slice(1).forEach((r, i) => {
      assert.deepEqual(r.slice(0, 3), rows[i], `row ${i} keeps its other columns`);
      assert.equal(r[3], opensslSign(keyPath, Buffer.from(rows[i][0], 'utf8')), `signature of ${JSON.stringify(rows[i][0])}`);
      assert.equal(r[4], encodeURIComponent(r[3]));
    });
    assert.deepEqual({ rows: summary.rows, signed: summary.signed, errors: summary.errors, tokenName: summary.tokenName }, { rows: 8, signed: 8, errors: 0, tokenName: 'token' });
  });

  it('CSV: --column picks the token column; mqttUsername is the snippets builder\'s; an existing signature column is overwritten in place', async () => {
    const { publicKey } = batchKey();
    const input = 'signature,id,serial\nold,1,"sn 1=&"\nold,2,sn-2\n';
    const { out } = await runOn(input, { format: 'csv', tokenName: 'serial', workers: 1, mqtt: { authorizerName: 'my auth', tokenKeyName: 'tok' } });
    const parsed = parse(out) as string[][];
    assert.deepEqual(parsed[0], ['signature', 'id', 'serial', 'signatureUrlEncoded', 'mqttUsername']);
    for (const r of parsed.slice(1)) {
      assert.ok(verifies(publicKey, r[2], r[0]), `signature of ${r[2]} verifies`);
      assert.equal(r[4], mqttUsername({ authorizerName: 'my auth', tokenKeyName: 'tok', token: r[2], signature: r[0] }));
    }
  });

  it('JSON Lines: signatures match openssl; other fields are kept byte for byte (big numbers, escapes, key order)', async () => {
    const { path: keyPath } = batchKey();
    const lines = TOKENS.map((t, i) => `{"id":12345678901234567890${i},"token":${JSON.stringify(t)},"meta":{"a":[1,2]},"esc":"\\u00e9"}`);
    const input = `${lines.join('\r\n')}\n\n`;
    const { out, summary } = await runOn(input, { format: 'jsonl', tokenName: 'token', workers: 2, chunkSize: 2 });
    const outLines = out.split('\n');
    assert.equal(outLines.pop(), '');
    assert.equal(outLines.length, TOKENS.length);
    outLines.forEach((l, i) => {
      const sig = opensslSign(keyPath, Buffer.from(TOKENS[i], 'utf8'));
      assert.equal(l, `${lines[i].slice(0, -1)},"signature":${JSON.stringify(sig)},"signatureUrlEncoded":${JSON.stringify(encodeURIComponent(sig))}}`);
    });
    assert.equal(summary.tokenName, 'token');
  });

  it('JSON Lines: re-signing an earlier output replaces its signature fields in place', async () => {
    const { publicKey } = batchKey();
    const { out } = await runOn('{"sn":"a","signature":"old","signatureUrlEncoded":"old","x":1}\n', { format: 'jsonl', workers: 1 });
    const o = JSON.parse(out);
    assert.deepEqual(Object.keys(o), ['sn', 'signature', 'signatureUrlEncoded', 'x']);
    assert.ok(verifies(publicKey, 'a', o.signature));
    assert.equal(o.signatureUrlEncoded, encodeURIComponent(o.signature));
  });

  it('JSON Lines: the default field is the first field of the first object; an empty object is a bad row', async () => {
    const { publicKey } = batchKey();
    const { out } = await runOn('{"sn":"a"}\n{"sn":"b","x":1}\n', { format: 'jsonl', workers: 1 });
    const objs = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(objs.map((o) => o.sn), ['a', 'b']);
    for (const o of objs) assert.ok(verifies(publicKey, o.sn, o.signature));
    const bad: BadRow[] = [];
    const r = await runOn('{}\n', { format: 'jsonl', workers: 1, onError: 'skip', onBadRow: (b) => bad.push(b) });
    assert.equal(r.out, '');
    assert.equal(bad.length, 1);
  });

  it('keeps input order with 2 workers over many small pieces, and every signature verifies', async () => {
    const { publicKey } = batchKey();
    const tokens = Array.from({ length: 500 }, (_, i) => `device-${String(i).padStart(5, '0')}`);
    const { out } = await runOn(`sn\n${tokens.join('\n')}\n`, { format: 'csv', workers: 2, chunkSize: 7 });
    const parsed = (parse(out) as string[][]).slice(1);
    assert.deepEqual(parsed.map((r) => r[0]), tokens);
    for (const r of parsed) assert.ok(verifies(publicKey, r[0], r[1]), r[0]);
  });

  it('bad rows are reported with their line numbers (multi-line quoted fields counted) and skipped', async () => {
    const input = ['sn,note', 'ok-1,"two', 'lines"', ',empty token', '" padded",x', 'ok-2,x', 'short', '', 'ok-3,"a,b"', 'trailing ,x'].join('\n');
    const bad: BadRow[] = [];
    const { out, summary } = await runOn(input, { format: 'csv', workers: 1, onError: 'skip', onBadRow: (b) => bad.push(b) });
    assert.deepEqual(
      bad.map((b) => b.line),
      [4, 5, 7, 10],
    );
    assert.match(bad[0].message, /empty/);
    assert.match(bad[1].message, /starts with whitespace/);
    assert.match(bad[2].message, /1 field and the header 2/);
    assert.match(bad[3].message, /ends with whitespace/);
    assert.deepEqual((parse(out) as string[][]).slice(1).map((r) => r[0]), ['ok-1', 'ok-2', 'ok-3']);
    assert.deepEqual({ rows: summary.rows, signed: summary.signed, errors: summary.errors }, { rows: 7, signed: 3, errors: 4 });
  });

  it('JSON Lines bad rows: a number, an object, null, a missing field, not JSON, not an object', async () => {
    const lines = ['{"sn":"ok-1"}', '{"sn":42}', '{"sn":{"a":1}}', '{"sn":null}', '{"other":"x"}', 'not json', '[1]', '{"sn":"ok-2"}'];
    const bad: BadRow[] = [];
    const { out } = await runOn(lines.join('\n'), { format: 'jsonl', tokenName: 'sn', workers: 1, onError: 'skip', onBadRow: (b) => bad.push(b) });
    assert.deepEqual(bad.map((b) => b.line), [2, 3, 4, 5, 6, 7]);
    assert.match(bad[0].message, /'sn' field is a number, not text/);
    assert.match(bad[1].message, /an object, not text/);
    assert.match(bad[2].message, /null, not text/);
    assert.match(bad[3].message, /no 'sn' field/);
    assert.match(bad[4].message, /not valid JSON/);
    assert.match(bad[5].message, /an array, not a JSON object/);
    assert.deepEqual(out.trim().split('\n').map((l) => JSON.parse(l).sn), ['ok-1', 'ok-2']);
  });

  it('with onError fail (the default) the first bad row stops the batch with its line number', async () => {
    const input = 'sn\nok\nalso-ok\n\n"x\n"\n';
    await assert.rejects(
      runOn(input, { format: 'csv', workers: 1 }),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_BAD_ROW' && /^Line 5: The token ends with a newline/.test(e.message),
    );
  });

  it('unknown column, empty input and a broken quote are clear errors', async () => {
    await assert.rejects(runOn('a,b\n1,2\n', { format: 'csv', tokenName: 'sn' }), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_COLUMN_NOT_FOUND' && /'a', 'b'/.test(e.message));
    await assert.rejects(runOn('', { format: 'csv' }), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_EMPTY');
    await assert.rejects(runOn('sn\n"open\n', { format: 'csv' }), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_CSV_INVALID');
    // A file with no line breaks (or a quote never closed) is refused before it fills memory.
    const huge = 'x'.repeat(MAX_ROW_BYTES + 10);
    await assert.rejects(runOn(`sn\n"${huge}`, { format: 'csv' }, 4096), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_CSV_INVALID' && /max_record_size|record/i.test(e.message));
    await assert.rejects(runOn(`{"sn":"a"}\n{"sn":"${huge}`, { format: 'jsonl' }, 4096), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_ROW_TOO_LONG' && /^Line 2 /.test(e.message));
  });

  it('shards K/N partition the rows by index modulo N, and their outputs concatenate to the full set', async () => {
    const tokens = Array.from({ length: 23 }, (_, i) => `t${i}`);
    const input = `sn,i\n${tokens.map((t, i) => `${t},${i}`).join('\n')}\n`;
    const full = (parse((await runOn(input, { format: 'csv', workers: 2, chunkSize: 4 })).out) as string[][]).slice(1);
    const shards: string[][][] = [];
    for (let k = 0; k < 3; k++) {
      const rows = (parse((await runOn(input, { format: 'csv', workers: 1, shard: { index: k, count: 3 } })).out) as string[][]).slice(1);
      assert.ok(rows.every((r) => Number(r[1]) % 3 === k), `shard ${k} holds only rows with index % 3 == ${k}`);
      shards.push(rows);
    }
    const key = (r: string[]) => r.join('\u0000');
    assert.deepEqual(shards.flat().map(key).sort(), full.map(key).sort());
  });

  it('parseShard accepts 0 <= K < N only', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/3', 'a/b', '1', '']) assert.throws(() => parseShard(bad), (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_SHARD_INVALID', bad);
  });

  it('reads ahead only a bounded number of rows while the output is slow (memory stays flat)', async () => {
    const { key } = batchKey();
    const total = 3000;
    const pad = 'p'.repeat(300);
    let written = 0;
    let maxAhead = 0;
    const { input, produced } = paddedRows(total, pad);
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        written += chunk.toString('utf8').split('\n').length - 1;
        maxAhead = Math.max(maxAhead, produced() - written);
        setImmediate(cb);
      },
    });
    const summary = await signBatch({ input, output: new Sink(slow), format: 'csv', key, workers: 2, chunkSize: 50 });
    assert.equal(summary.signed, total);
    // In flight: 2 pieces per worker plus the one being gathered; plus Readable.from's 16 pieces of input.
    const bound = (2 * 2 + 1) * 50 + 16 + 4;
    assert.ok(maxAhead <= bound, `read ${maxAhead} rows ahead of the output (bound ${bound})`);
    assert.ok(maxAhead > 0);
  });

  it('long rows make smaller pieces: a piece is cut at about 1 MiB of input, whatever the row count', async () => {
    const { key, publicKey } = batchKey();
    const total = 150;
    const rowChars = 100 * 1024; // a piece of the default 256 rows would be 25 MiB
    const perChunk = Math.ceil(CHUNK_MAX_CHARS / rowChars);
    let written = 0;
    let maxAhead = 0;
    const { input, produced } = paddedRows(total, 'p'.repeat(rowChars));
    let lines = 0;
    let firstRow = '';
    let partial = '';
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop()!;
        for (const l of parts) if (lines++ === 1) firstRow = l;
        written = Math.max(0, lines - 1); // the header line
        maxAhead = Math.max(maxAhead, produced() - written);
        setImmediate(cb);
      },
    });
    const summary = await signBatch({ input, output: new Sink(slow), format: 'csv', key, workers: 1 });
    assert.equal(summary.signed, total);
    // In flight: 2 pieces for the worker plus the one being gathered; plus Readable.from's 16 pieces of input.
    const bound = (2 + 1) * perChunk + 16 + 4;
    assert.ok(bound < total, 'the bound discriminates');
    assert.ok(maxAhead <= bound, `read ${maxAhead} rows ahead of the output (bound ${bound}, ${perChunk} rows per chunk)`);
    const first = firstRow.split(',');
    assert.equal(first[0], 'd0');
    assert.ok(verifies(publicKey, 'd0', first[2]), 'the first row is signed correctly');
  });

  it('retains nothing per piece written: the heap after GC does not grow with the rows done', async () => {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { key } = batchKey();
    // Wide rows make anything kept per row (its output text, say) megabytes over a few thousand rows.
    const pad = 'p'.repeat(3000);
    const input = Readable.from(
      (function* () {
        yield 'sn,pad\n';
        for (let i = 0; i < 5000; i++) yield `d${i},${pad}\n`;
      })(),
    );
    const heap: Record<number, number> = {};
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await signBatch({
      input,
      output: new Sink(sink),
      format: 'csv',
      key,
      workers: 1,
      chunkSize: 100,
      progressIntervalMs: 0,
      onProgress: (p) => {
        for (const at of [1000, 4000]) {
          if (p.signed >= at && heap[at] === undefined) {
            gc();
            heap[at] = process.memoryUsage().heapUsed;
          }
        }
      },
    });
    const grown = heap[4000] - heap[1000];
    // 3000 rows of ~3.7 KB output each would be ~11 MB if kept.
    assert.ok(grown < 3 * 1024 * 1024, `heap grew ${(grown / 1048576).toFixed(1)} MiB between 1000 and 4000 rows`);
  });

  it('gives each output buffer back to its worker once written: external memory does not pile up between collections', async () => {
    const { key } = batchKey();
    // Short rows, read in one piece: the input makes no garbage, so this thread collects rarely; each row's
    // output (about 0.7 KB with its signatures) left to the collector would add up, 3.5 MB over the batch.
    const parts = [Buffer.from(`sn\n${Array.from({ length: 5000 }, (_, i) => `d${i}\n`).join('')}`)];
    const base = process.memoryUsage().external;
    let peak = 0;
    const summary = await signBatch({
      input: Readable.from(parts),
      output: new Sink(new Writable({ write: (_c, _e, cb) => cb() })),
      format: 'csv',
      key,
      workers: 2,
      chunkSize: 100,
      progressIntervalMs: 0,
      onProgress: () => (peak = Math.max(peak, process.memoryUsage().external - base)),
    });
    assert.equal(summary.signed, 5000);
    // In flight: 4 pieces of about 70 KB.
    assert.ok(peak < 1.5 * 1024 * 1024, `external memory rose ${(peak / 1048576).toFixed(1)} MiB above where it started`);
  });

  it('an abort stops the batch with BATCH_CANCELLED and lets the process go (no worker kept alive)', async () => {
    const { key } = batchKey();
    const controller = new AbortController();
    const input = Readable.from(
      (function* () {
        yield 'sn\n';
        for (let i = 0; i < 1e6; i++) yield `d${i}\n`;
      })(),
    );
    let writes = 0;
    const out = new Writable({
      write(_c, _e, cb) {
        if (++writes === 2) controller.abort();
        cb();
      },
    });
    await assert.rejects(
      signBatch({ input, output: new Sink(out), format: 'csv', key, workers: 2, chunkSize: 16, signal: controller.signal }),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_CANCELLED',
    );
    assert.ok(input.destroyed, 'the input is closed');
  });

  it('refuses a public key before starting', async () => {
    const { publicKey } = batchKey();
    await assert.rejects(runOn('sn\na\n', { format: 'csv', key: publicKey }), (e: unknown) => e instanceof AuthzError && e.code === 'KEY_NOT_PRIVATE');
  });

  it('finds its worker as dist/sign-worker.js (bundles) or signWorker.js (tsc output)', () => {
    const c = signWorkerCandidates('/x/dist');
    assert.deepEqual(c, ['/x/dist/sign-worker.js', '/x/dist/signWorker.js']);
  });
});
