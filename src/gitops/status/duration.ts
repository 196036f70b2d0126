import { GitOpsError } from '../errors';

/** `90s`, `5m`, `1h`, `1m30s`, or a number of seconds, in milliseconds. */
export function parseDurationFlag(value: string, flag: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== text.length || text.length === 0) throw new GitOpsError(`${flag} must be a duration such as 90s, 5m, 1h or 1m30s, not "${value}"`);
  return Math.round(total);
}
