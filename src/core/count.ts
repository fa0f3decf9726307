/**
 * Counts (followers, reach, impressions, likes...) read the way cards print them: `15000`,
 * `15,000`, `15 000`, `18k`, `1.2M`, `2B`. A count is whole and never negative. A `.` is only ever a
 * decimal point before a `k`/`M`/`B` suffix, so `1.200` (1.2 or 1200?) is refused with both readings.
 */

export type CountParseError =
  | { code: 'empty' }
  | { code: 'unreadable' }
  | { code: 'negative' }
  | { code: 'not-whole'; value: number }
  | { code: 'ambiguous'; readings: [number, number] }
  | { code: 'too-large' };

export type CountParse = { ok: true; value: number } | { ok: false; error: CountParseError };

const SUFFIX: Record<string, number> = { k: 1_000, m: 1_000_000, b: 1_000_000_000 };
const GROUPED = /^\d{1,3}(?:[, _\u00a0\u202f]\d{3})+$/;

export function parseCount(raw: string | number): CountParse {
  const fail = (error: CountParseError): CountParse => ({ ok: false, error });
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail({ code: 'unreadable' });
    if (raw < 0) return fail({ code: 'negative' });
    if (!Number.isInteger(raw)) return fail({ code: 'not-whole', value: raw });
    return raw > Number.MAX_SAFE_INTEGER ? fail({ code: 'too-large' }) : { ok: true, value: raw };
  }
  const text = raw.trim();
  if (text === '') return fail({ code: 'empty' });
  if (text.startsWith('-')) return fail({ code: 'negative' });
  const suffixed = /^(\d+(?:\.\d+)?)\s?([kmb])$/i.exec(text);
  if (suffixed) {
    const value = Math.round(Number(suffixed[1]) * SUFFIX[suffixed[2]!.toLowerCase()]! * 1e6) / 1e6;
    if (!Number.isInteger(value)) return fail({ code: 'not-whole', value });
    return value > Number.MAX_SAFE_INTEGER ? fail({ code: 'too-large' }) : { ok: true, value };
  }
  if (/^\d{1,3}\.\d{3}$/.test(text)) return fail({ code: 'ambiguous', readings: [Number(text), Number(text.replace('.', ''))] });
  if (/^\d+\.\d+$/.test(text)) return fail({ code: 'not-whole', value: Number(text) });
  if (!/^\d+$/.test(text) && !GROUPED.test(text)) return fail({ code: 'unreadable' });
  const value = Number(text.replace(/[, _\u00a0\u202f]/g, ''));
  return value > Number.MAX_SAFE_INTEGER ? fail({ code: 'too-large' }) : { ok: true, value };
}

/** `1,200` below 10,000; `48k`, `1.2M`, `3B` above: how cards print followers. */
export function formatCompactCount(n: number): string {
  // Rounded first, so 999,999 prints as 1M rather than 1000k.
  if (n >= 999_950_000) return `${trim1(n / 1_000_000_000)}B`;
  if (n >= 999_950) return `${trim1(n / 1_000_000)}M`;
  if (n >= 10_000) return `${trim1(n / 1000)}k`;
  return formatCount(n);
}

/** `12,000`. */
export const formatCount = (value: number): string => value.toLocaleString('en-US');

const trim1 = (n: number) => (Math.round(n * 10) / 10).toString();
