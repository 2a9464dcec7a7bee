import { isUtf8 } from 'node:buffer';
import { tokenBytes } from './sign';

export interface TokenWarning {
  code:
    | 'TOKEN_TRAILING_NEWLINE'
    | 'TOKEN_REPLACEMENT_CHARACTER'
    | 'TOKEN_TRAILING_CRLF'
    | 'TOKEN_TRAILING_WHITESPACE'
    | 'TOKEN_LEADING_WHITESPACE'
    | 'TOKEN_INNER_NEWLINE'
    | 'TOKEN_NOT_UTF8';
  message: string;
}

/**
 * Looks for the `echo` mistake and its relatives: whitespace that a shell,
 * editor or file added around the token. The signature covers those bytes
 * too, so the device's token must contain them exactly, which it rarely does.
 */
export function inspectToken(token: string | Uint8Array): TokenWarning[] {
  const bytes = tokenBytes(token);
  const warnings: TokenWarning[] = [];
  if (typeof token !== 'string' && !isUtf8(bytes)) {
    warnings.push({
      code: 'TOKEN_NOT_UTF8',
      message: 'The token bytes are not valid UTF-8; MQTT usernames and HTTP headers carry text, so the device cannot send these bytes unchanged.',
    });
  }
  const text = bytes.toString('utf8');
  if (isUtf8(bytes) && text.includes('\uFFFD')) {
    // Node decodes a command-line argument with invalid UTF-8 into U+FFFD, so --token cannot carry those bytes.
    warnings.push({
      code: 'TOKEN_REPLACEMENT_CHARACTER',
      message: 'The token holds U+FFFD (the replacement character): text that was not valid UTF-8 (e.g. a command-line argument) was replaced, so the signature covers EF BF BD instead of the original bytes. Put the exact bytes in a file and use --token-file.',
    });
  }
  if (/\r\n$/.test(text)) {
    warnings.push({
      code: 'TOKEN_TRAILING_CRLF',
      message: 'The token ends with CRLF (\\r\\n), which is signed too; a device sending the token without it will be rejected. Remove the line ending (a file saved with Windows line endings).',
    });
  } else if (/\n$/.test(text)) {
    warnings.push({
      code: 'TOKEN_TRAILING_NEWLINE',
      message: "The token ends with a newline, which is signed too; a device sending the token without it will be rejected. Use printf '%s' or echo -n, or save the file without a final newline.",
    });
  } else if (/[ \t\r\f\v]$/.test(text)) {
    warnings.push({ code: 'TOKEN_TRAILING_WHITESPACE', message: 'The token ends with whitespace, which is signed too. Remove it unless the device really sends it.' });
  }
  if (/^\s/.test(text)) {
    warnings.push({ code: 'TOKEN_LEADING_WHITESPACE', message: 'The token starts with whitespace, which is signed too. Remove it unless the device really sends it.' });
  }
  if (/[\r\n]/.test(text.replace(/\r?\n$/, ''))) {
    warnings.push({
      code: 'TOKEN_INNER_NEWLINE',
      message: 'The token contains a line break; MQTT usernames and HTTP headers cannot carry it. A JSON or JWT token must be on one line.',
    });
  }
  return warnings;
}
