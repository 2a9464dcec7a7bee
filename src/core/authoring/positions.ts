/** 0-based line and character (UTF-16 code units), as LSP and VS Code count them. */
export interface LineColumn {
  line: number;
  character: number;
}

/** Line start offsets of a text, for repeated offset → position conversions. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): LineColumn {
    const o = Math.min(Math.max(0, offset | 0), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: LineColumn): number {
    const line = Math.min(Math.max(0, pos.line), this.starts.length - 1);
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return Math.min(this.starts[line] + Math.max(0, pos.character), next);
  }
}

export function positionAt(text: string, offset: number): LineColumn {
  return new LineIndex(text).positionAt(offset);
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly { offset: number; length: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}
