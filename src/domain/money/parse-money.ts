import { currencyOfSymbol, isCurrency, minorDigits, symbolsOf } from './currency';
import type { Money } from './money';

/**
 * The one parser for money as people type it: `1500`, `1,500`, `1 500`, `1500.50`, `1,500.50`,
 * `1.500,50`, `€1,500`, `$1,500.00`, `1500 EUR`, `EUR 1500`.
 *
 * The rule (stated in the help): with both `.` and `,`, the last one is the decimal mark. A mark
 * that appears twice, or a space, `_` or `'`, groups thousands. A single `.` or `,` followed by
 * exactly three digits (`1.500`, `1,500`) is read as thousands unless the currency has three
 * decimals (KWD, BHD...), where both readings fit and the input is refused naming both. Any other
 * single mark is the decimal mark, and decimals never exceed the currency's (trailing zeros aside).
 * A symbol or code that contradicts the currency is refused. Returns data or an error code; the
 * words are the caller's.
 */

export type MoneyParseError =
  | { code: 'empty' }
  | { code: 'unreadable' }
  | { code: 'negative' }
  | { code: 'unknown-currency'; written: string }
  | { code: 'no-currency' }
  /** `1500 EUR` typed where the currency is USD, or `$` where it is EUR. */
  | { code: 'currency-conflict'; written: string; currency: string }
  | { code: 'ambiguous'; readings: [Money, Money] }
  | { code: 'too-many-decimals'; currency: string; digits: number }
  | { code: 'too-large' };

export type MoneyParse = { ok: true; value: Money } | { ok: false; error: MoneyParseError };

/** The largest amount accepted, in major units of any currency. */
export const MAX_MAJOR = 1_000_000_000_000;

const GROUP_CHARS = ` _'\u00a0\u202f`;

/**
 * `text` in `currency` (the collaboration's, the one typed beside it, or the workspace's). When
 * `currency` is undefined, a code or a symbol naming one currency in the text decides it.
 */
export function parseMoney(raw: string | number, currency?: string): MoneyParse {
  const fail = (error: MoneyParseError): MoneyParse => ({ ok: false, error });
  const expected = currency?.toUpperCase();
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail({ code: 'unreadable' });
    if (raw < 0) return fail({ code: 'negative' });
    raw = String(raw);
    if (/e/i.test(raw)) return fail({ code: 'unreadable' });
  }
  let text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return fail({ code: 'empty' });
  const negative = /^-|^[^\d]*-\s*\d/.test(text);
  text = text.replace(/^-\s*|(?<=^[^\d]*)-\s*(?=\d)/, '');

  const match = /^([^\d\s.,]*)\s?(\d[\d.,_' \u00a0\u202f]*?)\s?([^\d\s.,]*)$/u.exec(text);
  if (!match) return fail({ code: 'unreadable' });
  const [, before, number, after] = match as unknown as [string, string, string, string];
  const markers = [before, after].filter(Boolean);
  if (markers.length === 2 && currencyOfSymbol(before) && currencyOfSymbol(after) && currencyOfSymbol(before) !== currencyOfSymbol(after)) {
    return fail({ code: 'currency-conflict', written: before, currency: currencyOfSymbol(after)! });
  }

  let resolved = expected;
  if (expected && !isCurrency(expected)) return fail({ code: 'unknown-currency', written: expected });
  for (const marker of markers) {
    if (expected) {
      if (!symbolsOf(expected).includes(marker.toUpperCase())) {
        if (/^[A-Za-z]{3}$/.test(marker) && !isCurrency(marker)) return fail({ code: 'unknown-currency', written: marker });
        return fail({ code: 'currency-conflict', written: marker, currency: expected });
      }
    } else {
      const named = currencyOfSymbol(marker);
      if (!named) return /^[A-Za-z]{3}$/.test(marker) ? fail({ code: 'unknown-currency', written: marker }) : fail({ code: 'no-currency' });
      resolved = named;
    }
  }
  if (negative) return fail({ code: 'negative' });
  if (!resolved) return fail({ code: 'no-currency' });

  const readings = readNumber(number, minorDigits(resolved));
  if (readings === undefined) return fail({ code: 'unreadable' });
  if (readings.some((reading) => Number(reading.whole) > MAX_MAJOR)) return fail({ code: 'too-large' });
  const fitting = readings.map((reading) => toMinorExact(reading, resolved));
  const ok = fitting.filter((minor): minor is number => minor !== undefined);
  if (ok.length === 2 && ok[0] !== ok[1]) {
    return fail({ code: 'ambiguous', readings: [{ amountMinor: ok[0]!, currency: resolved }, { amountMinor: ok[1]!, currency: resolved }] });
  }
  if (ok.length === 0) return fail({ code: 'too-many-decimals', currency: resolved, digits: minorDigits(resolved) });
  return { ok: true, value: { amountMinor: ok[0]!, currency: resolved } };
}

/** A number as digits and an optional decimal part, e.g. `{ whole: '1500', decimals: '50' }`. */
interface Reading {
  whole: string;
  decimals: string;
}

/**
 * The readings of a typed number: one, or two for a single `.`/`,` before exactly three digits
 * (thousands, and a decimal part that only a three-decimal currency can hold; for the others that
 * reading does not fit and drops out). Undefined when the grouping is malformed (`1,50,0`).
 */
function readNumber(text: string, digits: number): Reading[] | undefined {
  const compact = text.replace(/\s+/g, ' ');
  const marks = [...compact].filter((c) => c === '.' || c === ',');
  const kinds = new Set(marks);
  const grouped = (whole: string, sep: string | undefined): string | undefined => {
    const groupChars = `${GROUP_CHARS}${sep ?? ''}`;
    const usedSeps = new Set([...whole].filter((c) => groupChars.includes(c)));
    if (usedSeps.size === 0) return /^\d+$/.test(whole) ? whole : undefined;
    if (usedSeps.size > 1) return undefined;
    const parts = whole.split([...usedSeps][0]!);
    return /^\d{1,3}$/.test(parts[0]!) && parts.slice(1).every((p) => /^\d{3}$/.test(p)) ? parts.join('') : undefined;
  };
  const split = (decimalMark: string | undefined, groupMark: string | undefined): Reading | undefined => {
    const at = decimalMark ? compact.lastIndexOf(decimalMark) : -1;
    const wholeText = at >= 0 ? compact.slice(0, at) : compact;
    const decimals = at >= 0 ? compact.slice(at + 1) : '';
    if (at >= 0 && !/^\d+$/.test(decimals)) return undefined;
    const whole = grouped(wholeText, groupMark);
    return whole === undefined ? undefined : { whole, decimals };
  };
  if (kinds.size === 2) {
    const decimalMark = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
    const groupMark = decimalMark === '.' ? ',' : '.';
    if (marks.filter((m) => m === decimalMark).length !== 1) return undefined;
    const reading = split(decimalMark, groupMark);
    return reading ? [reading] : undefined;
  }
  if (kinds.size === 0) {
    const reading = split(undefined, undefined);
    return reading ? [reading] : undefined;
  }
  const mark = [...kinds][0]!;
  if (marks.length > 1) {
    const reading = split(undefined, mark);
    return reading ? [reading] : undefined;
  }
  const asDecimal = split(mark, undefined);
  const threeAfter = /^\d{3}$/.test(compact.slice(compact.indexOf(mark) + 1));
  const asThousands = threeAfter ? split(undefined, mark) : undefined;
  if (asThousands && asDecimal) {
    // Only a currency with three decimals can hold `1.500` as 1.5: elsewhere it is thousands.
    return digits >= 3 ? [asThousands, asDecimal] : [asThousands];
  }
  const reading = asThousands ?? asDecimal;
  return reading ? [reading] : undefined;
}

/** Digits to minor units without floating point; undefined when a non-zero decimal is beyond the currency's. */
function toMinorExact(reading: Reading, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const extra = reading.decimals.slice(digits);
  if (/[1-9]/.test(extra)) return undefined;
  const minorText = `${reading.whole}${reading.decimals.slice(0, digits).padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  const minor = Number(minorText);
  return Number.isSafeInteger(minor) ? minor : undefined;
}
