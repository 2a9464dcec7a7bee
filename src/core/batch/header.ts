import * as fs from 'node:fs';
import * as path from 'node:path';
import { BatchFormat, readRows } from './rows';

/** The format a file name implies: .csv, or .jsonl / .ndjson (JSON Lines); undefined otherwise. */
export function formatFromPath(file: string): BatchFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

/**
 * The names a token can be taken from: the CSV header's columns, or the fields
 * of the first JSON Lines object. Reads only the start of the file.
 */
export async function readInputFields(file: string, format: BatchFormat): Promise<string[]> {
  const input = fs.createReadStream(file);
  try {
    let columns: string[] = [];
    for await (const row of readRows(input, { format }, (h) => (columns = h.columns ?? []))) {
      if (format === 'csv') break;
      if (row.object) return Object.keys(row.object);
    }
    return columns;
  } finally {
    input.destroy();
  }
}
