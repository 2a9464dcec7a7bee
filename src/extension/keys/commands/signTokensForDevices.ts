import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AtomicFile, BatchFormat, defaultWorkers, formatFromPath, readInputFields, signBatch, Sink } from '../../../core/batch';
import { AuthzError } from '../../../core/errors';
import { KeysFeature } from '../feature';
import { displayPath, loadPrivateKeyFile, pickPrivateKeyFile } from '../keyLoader';

export interface SignTokensForDevicesArgs {
  /** The CSV or JSON Lines file: absolute path or URI (the explorer passes its URI). */
  input?: string | vscode.Uri;
  /** Private key file: absolute path or URI. */
  keyPath?: string | vscode.Uri;
  passphrase?: string;
  /** The CSV column or JSONL field holding the token. */
  tokenField?: string;
  /** Where to write the signed rows. */
  output?: string | vscode.Uri;
  /** What to do with bad rows instead of asking (default: stop, then offer to skip them). */
  onError?: 'skip' | 'fail';
  workers?: number;
}

export interface SignTokensForDevicesResult {
  output: string;
  rows: number;
  signed: number;
  errors: number;
  seconds: number;
}

const FILTERS = { 'Device tokens': ['csv', 'jsonl', 'ndjson'], 'All files': ['*'] };

function toUri(p: string | vscode.Uri): vscode.Uri {
  return typeof p === 'string' ? vscode.Uri.file(p) : p;
}

function localPath(uri: vscode.Uri, what: string): string {
  if (uri.scheme !== 'file') throw new AuthzError('BATCH_NOT_LOCAL', `The ${what} ${uri.toString()} is not a local file.`, 'Batch signing reads and writes files on this machine; choose a local file.');
  return uri.fsPath;
}

/** `devices.csv` -> `devices.signed.csv`, next to it. */
export function defaultOutputPath(input: string): string {
  const ext = path.extname(input);
  return path.join(path.dirname(input), `${path.basename(input, ext)}.signed${ext || '.csv'}`);
}

async function pickInput(f: KeysFeature): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && formatFromPath(active.fsPath)) return active;
  const files = await f.services.prompts.openDialog({ title: 'Sign Tokens for Devices: CSV or JSON Lines file', canSelectMany: false, openLabel: 'Sign these tokens', filters: FILTERS });
  return files?.[0];
}

async function pickField(f: KeysFeature, file: string, format: BatchFormat): Promise<string | undefined> {
  const fields = await readInputFields(file, format);
  if (fields.length === 0) {
    throw new AuthzError('BATCH_EMPTY', `${path.basename(file)} has no ${format === 'csv' ? 'header row' : 'JSON object'} to take the token from.`, 'Give a CSV file with a header, or JSON Lines with one object per line.');
  }
  if (fields.length === 1) return fields[0];
  const picked = await f.services.prompts.quickPick(
    fields.map((name, i) => ({ label: name, description: i === 0 ? (format === 'csv' ? 'first column' : 'first field') : undefined })),
    { title: `Sign Tokens for Devices: which ${format === 'csv' ? 'column' : 'field'} holds the token?`, placeHolder: 'Its text is signed exactly (UTF-8 bytes)', ignoreFocusOut: true },
  );
  return picked?.label;
}

/**
 * Signs the token of every row of a CSV or JSON Lines file on worker threads
 * and writes the rows with signature columns added to a new file, showing a
 * cancellable progress notification. Private key and tokens never reach the log.
 */
export async function signTokensForDevicesCommand(f: KeysFeature, args: SignTokensForDevicesArgs = {}): Promise<SignTokensForDevicesResult | undefined> {
  const { prompts, log } = f.services;
  const inputUri = args.input ? toUri(args.input) : await pickInput(f);
  if (!inputUri) return undefined;
  const input = localPath(inputUri, 'input');
  const format = formatFromPath(input);
  if (!format) throw new AuthzError('BATCH_FORMAT_UNKNOWN', `${path.basename(input)} is neither .csv nor .jsonl.`, 'Choose a CSV file (with a header row) or a JSON Lines file (.jsonl).');

  // The key before any row: a wrong key or passphrase stops here.
  const keyFile = args.keyPath ? toUri(args.keyPath) : await pickPrivateKeyFile(prompts, f.keys, 'Sign Tokens for Devices: private key');
  if (!keyFile) return undefined;
  const loaded = await loadPrivateKeyFile(keyFile, prompts, f.passphrases, args.passphrase !== undefined ? { passphrase: args.passphrase } : undefined);
  if (!loaded) return undefined;

  const tokenField = args.tokenField ?? (await pickField(f, input, format));
  if (tokenField === undefined) return undefined;

  const outputUri =
    (args.output ? toUri(args.output) : undefined) ??
    (await prompts.saveDialog({ title: 'Sign Tokens for Devices: save the signed rows as', defaultUri: vscode.Uri.file(defaultOutputPath(input)), saveLabel: 'Sign', filters: FILTERS }));
  if (!outputUri) return undefined;
  const output = localPath(outputUri, 'output');
  if (path.resolve(output) === path.resolve(input)) throw new AuthzError('BATCH_OUTPUT_IS_INPUT', 'The output file is the input file.', 'Choose another name for the signed rows.');

  let onError = args.onError ?? 'fail';
  for (;;) {
    try {
      const result = await runWithProgress(f, { input, output, format, tokenField, key: loaded.key.key, onError, workers: args.workers ?? defaultWorkers() });
      if (!result) return undefined;
      log.info(
        `Signed ${result.signed} tokens from ${displayPath(inputUri)} into ${displayPath(outputUri)} with ${displayPath(keyFile)} (SHA-256 ${loaded.key.fingerprint.hex}) in ${result.seconds.toFixed(1)} s` +
          (result.errors ? `; ${result.errors} bad rows skipped` : ''),
      );
      const skipped = result.errors ? ` ${result.errors} bad row${result.errors === 1 ? ' was' : 's were'} skipped (see the log).` : '';
      void prompts.info(`Signed ${result.signed} tokens into ${path.basename(output)}.${skipped}`, 'Open Result').then(async (choice) => {
        if (choice === 'Open Result') await vscode.window.showTextDocument(vscode.Uri.file(output));
      });
      return result;
    } catch (e) {
      if (!(e instanceof AuthzError && e.code === 'BATCH_BAD_ROW' && args.onError === undefined && onError === 'fail')) throw e;
      const choice = await prompts.warn(`${e.message}. Nothing was written.`, 'Skip Bad Rows');
      if (choice !== 'Skip Bad Rows') return undefined;
      onError = 'skip';
    }
  }
}

interface Run {
  input: string;
  output: string;
  format: BatchFormat;
  tokenField: string;
  key: import('node:crypto').KeyObject;
  onError: 'skip' | 'fail';
  workers: number;
}

async function runWithProgress(f: KeysFeature, r: Run): Promise<SignTokensForDevicesResult | undefined> {
  const title = `Signing the tokens of ${path.basename(r.input)}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const controller = new AbortController();
    const sub = cancel.onCancellationRequested(() => controller.abort());
    const totalBytes = fs.statSync(r.input).size;
    const file = new AtomicFile(r.output);
    const input = fs.createReadStream(r.input, { highWaterMark: 256 * 1024 });
    let reported = 0;
    try {
      const summary = await signBatch({
        input,
        output: new Sink(file.stream),
        format: r.format,
        key: r.key,
        tokenName: r.tokenField,
        workers: r.workers,
        onError: r.onError,
        signal: controller.signal,
        totalBytes,
        onBadRow: (bad) => f.services.log.warn(`Sign Tokens for Devices: ${path.basename(r.input)} line ${bad.line}: ${bad.message} (skipped)`),
        onProgress: (p) => {
          const percent = totalBytes ? (100 * p.bytesRead) / totalBytes : 0;
          const rate = p.seconds > 0 ? Math.round(p.signed / p.seconds) : 0;
          progress.report({ message: `${p.signed.toLocaleString('en-US')} signed · ${rate.toLocaleString('en-US')} rows/s`, increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        },
      });
      await file.commit();
      return { output: r.output, rows: summary.rows, signed: summary.signed, errors: summary.errors, seconds: summary.seconds };
    } catch (e) {
      await file.discard();
      if (e instanceof AuthzError && e.code === 'BATCH_CANCELLED') {
        void f.services.prompts.info(`Cancelled: ${path.basename(r.output)} was not written.`);
        return undefined;
      }
      throw e;
    } finally {
      sub.dispose();
    }
  });
}
