import { AuthzError } from '../errors';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A JWT lifetime relative to now: '15m', '90s', '2h', '1d', and negative
 * ('-1m') for a token that has already expired; a number is seconds.
 */
export function parseLifetime(value: string | number): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const m = typeof value === 'string' ? /^\s*([+-]?)(\d{1,9})\s*([smhd])\s*$/.exec(value) : null;
  if (!m) {
    throw new AuthzError(
      'JWT_LIFETIME_INVALID',
      `${JSON.stringify(value)} is not a lifetime.`,
      "Write a whole number and a unit: '15m', '90s', '2h', '1d'; a negative value such as '-1m' makes a token that has already expired.",
    );
  }
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_SECONDS[m[3]];
}

/** "14 minutes", "2 hours 5 minutes", "3 days": a span of seconds for people. */
export function humanSpan(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const used = parts.filter(([n]) => n > 0).slice(0, 2);
  if (used.length === 0) return '0 seconds';
  return used.map(([n, u]) => `${n} ${u}${n === 1 ? '' : 's'}`).join(' ');
}
