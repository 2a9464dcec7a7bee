/**
 * Text from outside (an HTTP body, a handler's log) made safe to print: control
 * characters, escape sequences (ANSI colours, cursor moves, OSC title changes)
 * and bidi overrides are shown as \xNN / \uNNNN instead of acting on the terminal.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Escapes control characters; keeps tab and newline unless oneLine. */
export function escapeControls(text: string, oneLine = false): string {
  return text.replace(oneLine ? CONTROL_OR_NEWLINE : CONTROL, escapeChar);
}

/** One printable line of at most max characters (an ellipsis marks a cut). */
export function printableExcerpt(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return escapeControls(cut, true);
}
