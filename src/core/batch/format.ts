import { stringify } from 'csv-stringify/sync';
import { urlEncodeSignature } from '../tokens/signature';
import { mqttUsername } from '../tokens/snippets';
import type { BatchFormat, InputHeader, InputRow } from './rows';

/** Names of the fields a batch adds to each row (replaced in place when the input already has them). */
export const SIGNATURE_FIELD = 'signature';
export const SIGNATURE_URL_FIELD = 'signatureUrlEncoded';
export const MQTT_USERNAME_FIELD = 'mqttUsername';

/** How signed rows are written: sent to the workers with each chunk (small, plain data). */
export interface FormatSpec {
  format: BatchFormat;
  /** CSV: where the added columns go. */
  columns?: { sig: number; url: number; user: number };
  mqtt?: { authorizerName: string; tokenKeyName: string };
}

/** A row as a worker needs it to write it out: CSV fields, or the JSON line (and its object only when fields must be replaced). */
export interface WireRow {
  token: string;
  fields?: string[];
  text?: string;
  object?: Record<string, unknown>;
}

/** CSV: the output header (added columns appended, existing ones of those names reused) and the spec. */
export function csvHeader(h: InputHeader, mqtt: FormatSpec['mqtt']): { spec: FormatSpec; text: string } {
  const out = [...h.columns!];
  const at = (name: string) => {
    const i = out.indexOf(name);
    if (i >= 0) return i;
    out.push(name);
    return out.length - 1;
  };
  const columns = { sig: at(SIGNATURE_FIELD), url: at(SIGNATURE_URL_FIELD), user: mqtt ? at(MQTT_USERNAME_FIELD) : -1 };
  return { spec: { format: 'csv', columns, mqtt }, text: stringify([out]) };
}

const ADDED = [SIGNATURE_FIELD, SIGNATURE_URL_FIELD, MQTT_USERNAME_FIELD];

/** The wire form of a parsed row (JSONL objects travel only when the row already has an added field). */
export function wireRow(r: InputRow): WireRow {
  if (r.fields) return { token: r.token!, fields: r.fields };
  const obj = r.object!;
  const replace = ADDED.some((k) => Object.prototype.hasOwnProperty.call(obj, k));
  return replace ? { token: r.token!, object: obj } : { token: r.token!, text: r.text };
}

function added(spec: FormatSpec, token: string, signature: string): [string, string][] {
  const fields: [string, string][] = [
    [SIGNATURE_FIELD, signature],
    [SIGNATURE_URL_FIELD, urlEncodeSignature(signature)],
  ];
  if (spec.mqtt) fields.push([MQTT_USERNAME_FIELD, mqttUsername({ ...spec.mqtt, token, signature })]);
  return fields;
}

/** A field csv-stringify writes as it is (no comma, quote or line break): most tokens, and every signature. */
const PLAIN_FIELD = /^[^",\r\n]*$/;

/**
 * One CSV record and its line break, exactly as csv-stringify writes it (a
 * test holds them equal): fields that need no quoting are joined here, which
 * is about 2% of a signing worker's time saved per row; any other record goes
 * through csv-stringify.
 */
export function csvLine(record: string[]): string {
  for (const f of record) if (!PLAIN_FIELD.test(f)) return stringify([record]);
  return `${record.join(',')}\n`;
}

/** The output text of signed rows, CSV or JSON Lines. */
export function formatRows(spec: FormatSpec, rows: WireRow[], signatures: string[]): string {
  if (spec.format === 'csv') {
    const c = spec.columns!;
    const records = rows.map((r, i) => {
      const rec = [...r.fields!];
      const [[, sig], [, url], user] = added(spec, r.token, signatures[i]);
      while (rec.length <= Math.max(c.sig, c.url, c.user)) rec.push('');
      rec[c.sig] = sig;
      rec[c.url] = url;
      if (user) rec[c.user] = user[1];
      return rec;
    });
    let text = '';
    for (const rec of records) text += csvLine(rec);
    return text;
  }
  let text = '';
  rows.forEach((r, i) => {
    const extra = added(spec, r.token, signatures[i]);
    if (r.text === undefined) {
      // Re-signing an earlier output: replace the fields in place.
      text += `${JSON.stringify({ ...r.object, ...Object.fromEntries(extra) })}\n`;
    } else {
      // Appended to the line as read, so other fields (big numbers, key order, escapes) are kept byte for byte.
      // The object has at least the token field, so a comma always separates.
      const body = r.text.trimEnd().slice(0, -1).trimEnd();
      const pairs = extra.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
      text += `${body},${pairs}}\n`;
    }
  });
  return text;
}
