import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AuthzError } from '../../../../src/core/errors';
import { csvLine, isBlankLine, Piece, PieceJob, pieceRows, PieceSplitter, processPiece } from '../../../../src/core/batch';

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTIONS = { chunkRows: 5, chunkBytes: 1 << 20, maxRecordBytes: 1 << 20 };

/** Feeds `input` in pieces of `step` bytes (UTF-8 characters and \r\n pairs straddle them) and collects what comes out. */
function split(input: string | Buffer, format: 'csv' | 'jsonl', step: number, options = OPTIONS): { splitter: PieceSplitter; pieces: Piece[] } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const splitter = new PieceSplitter(format, options);
  const pieces: Piece[] = [];
  for (let i = 0; i < bytes.length; i += step) pieces.push(...splitter.push(Buffer.from(bytes.subarray(i, i + step))));
  pieces.push(...splitter.end());
  if (splitter.error) throw splitter.error;
  return { splitter, pieces };
}

/** The records csv-parse makes of the whole input at once. */
function wholeFile(input: string, delimiter?: string): string[][] {
  return parse(input, { bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: delimiter ? [delimiter] : undefined }) as string[][];
}

const FIELDS = ['plain', 'with,comma', 'say "hi"', 'two\nlines', 'crlf\r\ninside', '', 'dév-设备-🚀', ' padded ', '"', 'a=b&c'];

/** A random CSV, and the line (as an editor numbers them: line feeds before it, plus 1) where each data row starts. */
function randomCsv(r: () => number, eol: string): { text: string; lines: number[] } {
  let text = stringify([['sn', 'note', 'x']], { record_delimiter: eol });
  const lines: number[] = [];
  const n = 1 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    // Empty lines here and there (csv-parse skips them; they still count as lines).
    if (r() < 0.15) text += eol;
    lines.push(text.split('\n').length);
    text += stringify([[`d${i}`, FIELDS[Math.floor(r() * FIELDS.length)], FIELDS[Math.floor(r() * FIELDS.length)]]], { record_delimiter: eol });
  }
  // Sometimes no line break at the end.
  return { text: r() < 0.3 ? text.slice(0, -eol.length) : text, lines };
}

describe('core/batch PieceSplitter and pieces', () => {
  it('cuts random CSV (quoted commas, quotes, line breaks, empty lines, \\n or \\r\\n) into pieces that parse to exactly the whole file\'s records and lines', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const eol = seed % 2 ? '\n' : '\r\n';
      const csv = randomCsv(r, eol);
      const input = (seed % 5 === 0 ? '\ufeff' : '') + csv.text;
      const step = 1 + Math.floor(r() * 13);
      const { splitter, pieces } = split(input, 'csv', step);
      const expected = wholeFile(input);
      assert.deepEqual(parse(splitter.header!.toString('utf8'))[0], ['sn', 'note', 'x'], `seed ${seed}: the header`);
      assert.equal(splitter.delimiter, eol, `seed ${seed}: the delimiter`);
      const job: PieceJob = { format: 'csv', spec: { format: 'csv' }, width: 3, tokenIndex: 0, delimiter: splitter.delimiter };
      const got = pieces.flatMap((p) => pieceRows(job, p, true)).map((row) => ({ record: row.fields!, line: row.line, index: row.index }));
      assert.deepEqual(
        got,
        expected.slice(1).map((record, index) => ({ record, line: csv.lines[index], index })),
        `seed ${seed} (step ${step})`,
      );
      assert.ok(pieces.every((p) => p.records > 0 && p.records <= OPTIONS.chunkRows), `seed ${seed}: piece sizes`);
    }
  });

  it('a lone \\r as the line break (as csv-parse detects it) splits the same way', () => {
    const input = 'sn,note\r"a\r1",x\rb,y\r\rc,"z,z"\r';
    const { splitter, pieces } = split(input, 'csv', 3, { ...OPTIONS, chunkRows: 1 });
    assert.equal(splitter.delimiter, '\r');
    const job: PieceJob = { format: 'csv', spec: { format: 'csv' }, width: 2, tokenIndex: 0, delimiter: '\r' };
    assert.deepEqual(
      pieces.flatMap((p) => pieceRows(job, p, true)).map((row) => [row.fields, row.line]),
      [
        [['a\r1', 'x'], 2],
        [['b', 'y'], 4],
        [['c', 'z,z'], 6],
      ],
    );
    assert.deepEqual(wholeFile(input).slice(1), [['a\r1', 'x'], ['b', 'y'], ['c', 'z,z']]);
    assert.equal(pieces.length, 3);
  });

  it('cuts after chunkRows records or chunkBytes bytes, whichever comes first', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `d${i},${'p'.repeat(i < 10 ? 10 : 100)}`);
    const { pieces } = split(`sn,pad\n${rows.join('\n')}\n`, 'csv', 1000, { chunkRows: 4, chunkBytes: 250, maxRecordBytes: 1000 });
    // 10 short rows (15 bytes): by count, 4 + 4 + 2 more with the long ones; long rows (106 bytes): 3 to a piece.
    assert.deepEqual(
      pieces.map((p) => p.records),
      [4, 4, 4, 3, 3, 2],
    );
    assert.deepEqual(
      pieces.map((p) => p.index),
      [0, 4, 8, 12, 15, 18],
    );
    assert.deepEqual(
      pieces.map((p) => p.line),
      [2, 6, 10, 14, 17, 20],
    );
  });

  it('a byte order mark split across the first pushes is dropped; a short input still ends', () => {
    const bom = Buffer.from('\ufeffsn\na\n', 'utf8');
    const { splitter, pieces } = split(bom, 'csv', 1);
    assert.equal(splitter.header!.toString(), 'sn');
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0].bytes.toString(), 'a\n');
    const tiny = split('s', 'csv', 1);
    assert.equal(tiny.splitter.header!.toString(), 's');
    assert.equal(tiny.pieces.length, 0);
  });

  it('a record longer than maxRecordBytes is refused with the line it starts on', () => {
    const options = { chunkRows: 5, chunkBytes: 1000, maxRecordBytes: 100 };
    assert.throws(
      () => split(`sn\nok\n"two\nlines${'x'.repeat(200)}`, 'csv', 7, options),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_CSV_INVALID' && /at line 3: its record is longer than 100 bytes/.test(e.message),
    );
    assert.throws(
      () => split(`{"a":1}\n\n{"a":"${'x'.repeat(200)}`, 'jsonl', 7, options),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_ROW_TOO_LONG' && /^Line 3 is longer/.test(e.message),
    );
    // The records before the long one are still given (their rows come first); nothing after it.
    const splitter = new PieceSplitter('csv', options);
    const got = splitter.push(`sn\n${'a\n'.repeat(7)}"${'z'.repeat(200)}\nb\n`);
    assert.deepEqual(got.map((p) => p.records), [5, 2]);
    assert.match(splitter.error!.message, /at line 9:/);
    assert.deepEqual([...splitter.push('c\n'), ...splitter.end()], []);
    // Long but within the limit: accepted.
    assert.equal(split(`sn\n${'y'.repeat(90)}\n`, 'csv', 7, options).pieces[0].records, 1);
  });

  it('JSON Lines: blank lines (ASCII whitespace) are no rows but count as lines; \\r\\n endings', () => {
    const input = '{"sn":"a"}\r\n  \t\r\n\n{"sn":"b"}\n{"sn":"c"}';
    const { pieces } = split(input, 'jsonl', 4, { ...OPTIONS, chunkRows: 2 });
    const job: PieceJob = { format: 'jsonl', spec: { format: 'jsonl' }, field: 'sn' };
    const rows = pieces.flatMap((p) => pieceRows(job, p));
    assert.deepEqual(
      rows.map((r) => [r.token, r.line, r.index]),
      [
        ['a', 1, 0],
        ['b', 4, 1],
        ['c', 5, 2],
      ],
    );
    assert.ok(isBlankLine(Buffer.from(' \t\r\v\f')));
    assert.ok(!isBlankLine(Buffer.from(' \u00a0'))); // not ASCII whitespace: a row (and a JSON error), not skipped
  });

  it('processPiece: shard selection by the global row index, bad rows with their lines, the output of the good ones', () => {
    const input = 'sn\nt0\nt1\n t2\nt3\nt4\n';
    const { pieces } = split(input, 'csv', 100, { ...OPTIONS, chunkRows: 2 });
    const job: PieceJob = { format: 'csv', spec: { format: 'csv', columns: { sig: 1, url: 2, user: -1 } }, width: 1, tokenIndex: 0, delimiter: '\n', shard: { index: 0, count: 2 } };
    const results = pieces.map((p) => processPiece(job, p, (t) => `sig(${t})`));
    assert.deepEqual(
      results.map((r) => r.out),
      ['t0,sig(t0),sig(t0)\n', '', 't4,sig(t4),sig(t4)\n'],
    );
    assert.deepEqual(
      results.map((r) => [r.rows, r.signed, r.bad.map((b) => b.line)]),
      [
        [1, 1, []],
        [1, 0, [4]],
        [1, 1, []],
      ],
    );
  });

  it('a piece whose parsed rows disagree with the splitter\'s count is refused, not mis-numbered', () => {
    const job: PieceJob = { format: 'csv', spec: { format: 'csv' }, width: 1, tokenIndex: 0, delimiter: '\n' };
    assert.throws(
      () => pieceRows(job, { bytes: Buffer.from('a\nb\n'), line: 7, index: 0, records: 3 }),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_SPLIT_MISMATCH' && /Lines 7 onwards: 2 rows were parsed where 3/.test(e.message),
    );
  });

  it('csvLine writes every record exactly as csv-stringify does (its fast path for plain fields included)', () => {
    const r = rng(7);
    const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\n', '\r', '=', '+', '-', '@', '#', '\t', 'é', '🚀', '/', '%', "'"];
    for (let n = 0; n < 2000; n++) {
      const record = Array.from({ length: 1 + Math.floor(r() * 4) }, () =>
        Array.from({ length: Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(''),
      );
      if (record.length === 1 && record[0] === '') continue; // not a record our output has (it always adds two signature fields)
      assert.equal(csvLine(record), stringify([record]), JSON.stringify(record));
    }
  });

  it('a CSV error in a piece is reported at its line in the whole input', () => {
    const job: PieceJob = { format: 'csv', spec: { format: 'csv' }, width: 1, tokenIndex: 0, delimiter: '\n' };
    assert.throws(
      () => pieceRows(job, { bytes: Buffer.from('a\n"open\n'), line: 40, index: 0, records: 2 }),
      (e: unknown) => e instanceof AuthzError && e.code === 'BATCH_CSV_INVALID' && /line 41/.test(e.message) && !/line 2\b/.test(e.message),
    );
  });
});
