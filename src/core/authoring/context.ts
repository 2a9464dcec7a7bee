import { Node } from 'jsonc-parser';
import { CODES, Code } from './codes';
import { Finding, Fix, Severity, TextEdit, ValidateOptions } from './types';

/**
 * A JSON text the rules look at, with a way back to the validated text. The
 * whole document is one frame; a policy document given as a JSON string in a
 * response is another, whose text is the decoded string.
 */
export interface Frame {
  readonly text: string;
  readonly root: Node | undefined;
  /** Maps an offset in `text` to an offset in the validated text. */
  toOuter(offset: number): number;
  /** Writes text inserted into this frame as it must appear in the validated text. */
  encode(s: string): string;
  /** True for a policy document given as a JSON string. */
  readonly inString: boolean;
  /** Index in policyDocuments, for response documents. */
  readonly docIndex?: number;
  /** Offset of the first syntax error in `text`, if any: nodes reaching it were cut off. */
  readonly truncatedAt?: number;
}

export function topFrame(text: string, root: Node | undefined, truncatedAt?: number): Frame {
  return { text, root, toOuter: (o) => o, encode: (s) => s, inString: false, ...(truncatedAt !== undefined ? { truncatedAt } : {}) };
}

/**
 * True when a syntax error cut this node off (its range reaches the first error):
 * what it holds is unknown, so "X is missing / empty" findings on it would be
 * guesses. Rules about absence skip such nodes; JSON_SYNTAX says what is wrong.
 */
export function cutOff(frame: Frame, node: Node): boolean {
  return frame.truncatedAt !== undefined && node.offset + node.length >= frame.truncatedAt;
}

/** A fix in frame coordinates: converted to validated-text edits on report. */
export interface LocalFix {
  title: string;
  edits: { start: number; end: number; newText: string }[];
  isPreferred?: boolean;
}

export interface ReportExtras {
  data?: Record<string, unknown>;
  fixes?: LocalFix[];
  /** Overrides the code's default severity (before user overrides). */
  severity?: Severity;
}

/** Collects findings, applying disabled codes and severity overrides, clamping ranges. */
export class Reporter {
  readonly findings: Finding[] = [];
  private readonly disabled: Set<string>;

  constructor(
    private readonly outerLength: number,
    readonly options: ValidateOptions,
  ) {
    this.disabled = new Set(options.disabledCodes ?? []);
  }

  enabled(code: Code): boolean {
    return !this.disabled.has(code);
  }

  /** Reports on [start, end) of a frame. */
  report(code: Code, frame: Frame, start: number, end: number, message: string, extras: ReportExtras = {}): void {
    if (this.disabled.has(code)) return;
    const info = CODES[code];
    const s = this.clamp(frame.toOuter(this.clampLocal(frame, start)));
    const e = Math.max(s, this.clamp(frame.toOuter(this.clampLocal(frame, Math.max(start, end)))));
    const finding: Finding = {
      code,
      severity: this.options.severityOverrides?.[code] ?? extras.severity ?? info.severity,
      message,
      range: { start: s, end: e },
      docsUrl: info.docsUrl,
    };
    if (extras.data) finding.data = extras.data;
    if (extras.fixes && extras.fixes.length) finding.fixes = extras.fixes.map((f) => this.toFix(frame, f));
    this.findings.push(finding);
  }

  /** Reports on a node of a frame. */
  reportNode(code: Code, frame: Frame, node: Node, message: string, extras?: ReportExtras): void {
    this.report(code, frame, node.offset, node.offset + node.length, message, extras);
  }

  toFix(frame: Frame, f: LocalFix): Fix {
    const edits: TextEdit[] = f.edits.map((e) => {
      const start = frame.toOuter(this.clampLocal(frame, e.start));
      const end = frame.toOuter(this.clampLocal(frame, e.end));
      return { offset: start, length: Math.max(0, end - start), newText: frame.encode(e.newText) };
    });
    const fix: Fix = { title: f.title, edits };
    if (f.isPreferred) fix.isPreferred = true;
    return fix;
  }

  private clampLocal(frame: Frame, o: number): number {
    if (!Number.isFinite(o)) return 0;
    return Math.min(Math.max(0, o), frame.text.length);
  }

  private clamp(o: number): number {
    if (!Number.isFinite(o)) return 0;
    return Math.min(Math.max(0, o), this.outerLength);
  }
}
