import { IOT_ACTIONS } from './data';

/** Levenshtein distance, bounded: returns max+1 as soon as the distance exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The closest candidate (case-insensitive), if within a sensible distance. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const w = word.toLowerCase();
  const limit = maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), bestD - 1 < 0 ? 0 : bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
      if (d === 0) break;
    }
  }
  return bestD <= limit ? best : undefined;
}

const ACTION_NAMES = Object.keys(IOT_ACTIONS.actions);

/**
 * The known IoT action closest to a misspelt one (`iot:Publsh`, `Publsh` →
 * `iot:Publish`), or undefined. Shared by the IOT_ACTION_UNKNOWN rule and the
 * policy simulator.
 */
export function suggestIotAction(value: string): string | undefined {
  const name = value.includes(':') ? value.slice(value.indexOf(':') + 1) : value;
  const s = closest(name, ACTION_NAMES);
  return s ? `iot:${s}` : undefined;
}
