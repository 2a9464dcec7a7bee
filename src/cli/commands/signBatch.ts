// `iot-authz sign --batch`: the streaming, multi-core side of the sign command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { AtomicFile, BatchFormat, BatchProgress, defaultWorkers, formatFromPath, parseShard, signBatch, Sink } from '../../core/batch';
import { AuthzError } from '../../core/errors';
import { loadPrivateKey, readInputFile } from '../../core/keys';
import { CliIo, EXIT_OK, flag, ParsedArgs, requireStr, str, UsageError } from '../framework';
import { passphraseFromEnv, withPassphraseHint } from './keygen';

/** Options of `sign` that only --batch uses (merged into the sign command's options). */
export const batchOptions = {
  batch: { type: 'string' },
  column: { type: 'string' },
  field: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
  authorizer: { type: 'string' },
  'token-key-name': { type: 'string' },
  'on-error': { type: 'string' },
  shard: { type: 'string' },
} as const;

export const batchUsage = [
  '  iot-authz sign --key PRIVATE.pem --batch FILE|- [--column NAME | --field NAME] [--format csv|jsonl]',
  '                 [--out FILE] [--workers N] [--authorizer NAME --token-key-name K]',
  '                 [--on-error skip|fail] [--shard K/N] [--passphrase-env VAR] [--json]',
  '',
  '  Signs the token of every row of a CSV file (with a header; --column, default the first column)',
  '  or JSON Lines file (--field, default the first field) and writes the rows, in input order, with',
  '  signature and signatureUrlEncoded added (and mqttUsername with --authorizer and',
  '  --token-key-name), to --out (written to a temporary file, renamed at the end; mode 0600) or',
  '  standard output. - reads standard input (CSV unless --format jsonl or --field). Streams in',
  '  constant memory on --workers threads (default: every core). Bad rows (empty token, surrounding',
  '  whitespace, a field that is not text) stop the run (--on-error fail, the default: nothing is',
  '  left at --out) or are reported on stderr and left out (skip). --shard K/N signs only the rows',
  '  whose index is K modulo N (0 <= K < N): N runs on N machines, outputs concatenated. --json',
  '  prints a summary (rows, signed, errors, seconds) on stdout, or on stderr when the rows go to',
  '  stdout. Ctrl-C removes the temporary file (exit 130; SIGTERM 143).',
];

/** Bad rows printed one by one; past that only counted (a broken million-row file must not flood the terminal). */
const MAX_BAD_ROWS_SHOWN = 100;

function batchFormat(args: ParsedArgs, input: string): BatchFormat {
  const given = str(args, 'format');
  if (given !== undefined) {
    if (given !== 'csv' && given !== 'jsonl') throw new UsageError(`--format must be csv or jsonl, not '${given}'.`);
    return given;
  }
  const byName = input === '-' ? undefined : formatFromPath(input);
  if (byName) return byName;
  return str(args, 'field') !== undefined ? 'jsonl' : 'csv';
}

function positiveInt(args: ParsedArgs, name: string, fallback: number, max: number): number {
  const text = str(args, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, not '${text}'.`);
  return Number(text);
}

function duration(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One progress line: rows, rows/s and (for files, from the bytes read) the ETA. */
export function progressLine(p: BatchProgress): string {
  const rate = p.seconds > 0 ? p.signed / p.seconds : 0;
  let eta = '';
  if (p.totalBytes && p.bytesRead > 0 && p.seconds > 0) {
    const left = (p.seconds * (p.totalBytes - p.bytesRead)) / p.bytesRead;
    eta = `  ETA ${duration(left)}`;
  }
  const errors = p.errors ? `  ${p.errors.toLocaleString('en-US')} bad` : '';
  return `${p.signed.toLocaleString('en-US')} signed  ${Math.round(rate).toLocaleString('en-US')} rows/s${errors}${eta}`;
}

/** A Writable over io.stdout for hosts that give no stream (tests). */
function textWritable(io: CliIo): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      io.stdout(chunk.toString('utf8'));
      cb();
    },
  });
}

export async function runSignBatch(args: ParsedArgs, io: CliIo): Promise<number> {
  const keyFile = requireStr(args, 'key');
  const inputArg = requireStr(args, 'batch');
  if (str(args, 'token') !== undefined || str(args, 'token-file') !== undefined) throw new UsageError('--batch signs the tokens of a file: give no --token or --token-file with it.');
  const format = batchFormat(args, inputArg);
  if (format === 'csv' && str(args, 'field') !== undefined) throw new UsageError('--field names a JSON Lines field; for CSV use --column.');
  if (format === 'jsonl' && str(args, 'column') !== undefined) throw new UsageError('--column names a CSV column; for JSON Lines use --field.');
  const tokenName = str(args, 'column') ?? str(args, 'field');
  const workers = positiveInt(args, 'workers', defaultWorkers(), 256);
  const onError = str(args, 'on-error') ?? 'fail';
  if (onError !== 'skip' && onError !== 'fail') throw new UsageError(`--on-error must be skip or fail, not '${onError}'.`);
  const shardText = str(args, 'shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const authorizerName = str(args, 'authorizer');
  const tokenKeyName = str(args, 'token-key-name');
  if ((authorizerName === undefined) !== (tokenKeyName === undefined)) throw new UsageError('--authorizer and --token-key-name go together (they make the MQTT username).');
  const mqtt = authorizerName !== undefined ? { authorizerName, tokenKeyName: tokenKeyName! } : undefined;
  const outArg = str(args, 'out');
  const json = flag(args, 'json');

  // The key first: a wrong passphrase or key fails before a single row is read.
  const passphrase = passphraseFromEnv(args, io);
  const keyText = readInputFile(path.resolve(io.cwd, keyFile), 'key').toString('utf8');
  const key = withPassphraseHint(() => loadPrivateKey(keyText, { passphrase }));

  let totalBytes: number | undefined;
  let input: NodeJS.ReadableStream & AsyncIterable<Buffer | string>;
  if (inputArg === '-') {
    input = (io.stdin ?? process.stdin) as NodeJS.ReadableStream & AsyncIterable<Buffer | string>;
  } else {
    const inputPath = path.resolve(io.cwd, inputArg);
    const stat = fs.statSync(inputPath, { throwIfNoEntry: false });
    if (!stat) throw new AuthzError('BATCH_INPUT_MISSING', `The input file ${inputPath} does not exist.`, 'Check the path given to --batch.');
    if (!stat.isFile()) throw new AuthzError('BATCH_INPUT_NOT_FILE', `The input ${inputPath} is not a file.`, 'Give a CSV or JSON Lines file to --batch, or - for standard input.');
    totalBytes = stat.size;
    input = fs.createReadStream(inputPath, { highWaterMark: 256 * 1024 });
  }

  const file = outArg !== undefined ? new AtomicFile(path.resolve(io.cwd, outArg)) : undefined;
  const sink = new Sink((file?.stream ?? (io.stdoutStream as Writable | undefined) ?? textWritable(io)) as Writable);
  const controller = new AbortController();
  let signalExit = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signalExit = signal === 'SIGINT' ? 130 : 143;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // If the process dies another way, the temporary file must still go.
  const onExit = () => file?.discardSync();
  process.on('exit', onExit);

  const progress = io.stderrIsTTY === true;
  let badShown = 0;
  try {
    const summary = await signBatch({
      input,
      output: sink,
      format,
      key: key.key,
      tokenName,
      workers,
      onError,
      shard,
      mqtt,
      signal: controller.signal,
      totalBytes,
      onBadRow: (bad) => {
        if (badShown++ < MAX_BAD_ROWS_SHOWN) io.stderr(`iot-authz sign: line ${bad.line}: ${bad.message} (skipped)\n`);
      },
      onProgress: progress ? (p) => io.stderr(`\r\x1b[K${progressLine(p)}`) : undefined,
    });
    if (file) await file.commit();
    else if (io.stdoutStream) await new Promise<void>((r) => (io.stdoutStream!.write('', () => r())));
    if (progress) io.stderr('\n');
    if (summary.errors > MAX_BAD_ROWS_SHOWN) io.stderr(`iot-authz sign: ${summary.errors - MAX_BAD_ROWS_SHOWN} more bad rows skipped (not shown)\n`);
    if (summary.errors > 0) io.stderr(`iot-authz sign: signed ${summary.signed} rows, skipped ${summary.errors} bad rows\n`);
    if (json) {
      const text = `${JSON.stringify(
        {
          rows: summary.rows,
          signed: summary.signed,
          errors: summary.errors,
          seconds: Number(summary.seconds.toFixed(3)),
          tokensPerSecond: Math.round(summary.signed / Math.max(summary.seconds, 1e-9)),
          workers: summary.workers,
          format: summary.format,
          tokenField: summary.tokenName,
          shard: shard ? `${shard.index}/${shard.count}` : undefined,
          out: file?.targetPath,
        },
        null,
        2,
      )}\n`;
      if (file) io.stdout(text);
      else io.stderr(text);
    }
    return EXIT_OK;
  } catch (e) {
    await file?.discard();
    if (progress) io.stderr('\n');
    if (signalExit && e instanceof AuthzError && e.code === 'BATCH_CANCELLED') {
      io.stderr(`iot-authz sign: interrupted${file ? `; ${path.basename(file.targetPath)} was not written` : ''}\n`);
      return signalExit;
    }
    if (file && e instanceof AuthzError) throw new AuthzError(e.code, e.message, `${e.hint ?? ''} Nothing was written to ${file.targetPath}.`.trim());
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}
