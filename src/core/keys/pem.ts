import { AuthzError } from '../errors';

/** One `-----BEGIN X-----` ... `-----END X-----` block of a PEM text. */
export interface PemBlock {
  /** The label between BEGIN and END, e.g. `RSA PRIVATE KEY`. */
  label: string;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy encrypted keys. */
  headers: Record<string, string>;
  /** The base64 body, whitespace removed. */
  base64: string;
  /** The block exactly as PEM text (normalised line endings), ready for node:crypto. */
  text: string;
  /** 1-based line of the BEGIN line in the original text. */
  line: number;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

function malformed(message: string, hint: string): AuthzError {
  return new AuthzError('PEM_MALFORMED', message, hint);
}

/**
 * Splits a text into its PEM blocks, checking each one's structure: a
 * matching END line and a well-formed base64 body. Text outside blocks is
 * ignored (OpenSSL writes "Bag Attributes" and certificate dumps there).
 * Throws PEM_MALFORMED when there is no block or a block is damaged.
 */
export function splitPem(text: string): PemBlock[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i].trim());
    if (!begin) continue;
    const label = begin[1];
    const startLine = i + 1;
    const headers: Record<string, string> = {};
    const body: string[] = [];
    let ended = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i].trim();
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label) {
          throw malformed(
            `The PEM block at line ${startLine} begins with '${label}' but ends with '${end[1]}'.`,
            'The file was probably assembled from two keys; export the key again.',
          );
        }
        ended = true;
        break;
      }
      if (BEGIN.test(line)) break;
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (header && body.length === 0) headers[header[1]] = header[2];
      else body.push(line);
    }
    if (!ended) {
      throw malformed(
        `The PEM block '${label}' at line ${startLine} has no '-----END ${label}-----' line: the text is truncated.`,
        'Copy the whole key, including its END line.',
      );
    }
    const base64 = body.join('');
    if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64_BODY.test(base64)) {
      throw malformed(
        `The PEM block '${label}' at line ${startLine} has a damaged base64 body (${
          base64.length === 0 ? 'empty' : !BASE64_BODY.test(base64) ? 'invalid characters' : 'truncated'
        }).`,
        'Copy the key again without changes, or export it again.',
      );
    }
    const headerLines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
    const wrapped = base64.match(/.{1,64}/g) ?? [];
    const parts = [`-----BEGIN ${label}-----`, ...headerLines, ...(headerLines.length ? [''] : []), ...wrapped, `-----END ${label}-----`, ''];
    blocks.push({ label, headers, base64, text: parts.join('\n'), line: startLine });
  }
  if (blocks.length === 0) {
    throw malformed(
      'The text is not PEM: no "-----BEGIN ...-----" line was found.',
      'Use a PEM key file (text starting with -----BEGIN PRIVATE KEY----- or -----BEGIN PUBLIC KEY-----); convert DER with `openssl pkey -inform DER`.',
    );
  }
  return blocks;
}

/** True when the text contains at least one BEGIN line, without validating it (cheap pre-filter for scanners). */
export function looksLikePem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text);
}
