import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezonePlugin from 'dayjs/plugin/timezone.js';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

/**
 * The one calendar module. A calendar date (`2026-11-15`) is a day on the workspace's calendar:
 * due days, deliverable days, start/end and birthdays are calendar dates, and arithmetic on them
 * (`addDays`, `addMonths`, months, periods) never involves a timezone. An instant (`Date`) becomes a
 * calendar date only through `localDay(at, timezone)`, and a calendar date becomes an instant only
 * through `atLocalTime`/`startOfLocalDay`/`endOfLocalDay`. Nothing else in the code does either.
 */

/** `YYYY-MM-DD`. */
export type CalendarDate = string;
/** `YYYY-MM`. */
export type MonthKey = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** True for a real `YYYY-MM-DD` day (`2026-02-30` is not one). */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(`${match[1]}-${match[2]}`) && y >= 1;
}

export function dateOf(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(month: MonthKey): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Day number since 1970-01-01 (UTC calendar), for day arithmetic without a timezone. */
const dayNumber = (date: CalendarDate): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const fromDayNumber = (day: number): CalendarDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** `2026-11-28` + 3 -> `2026-12-01`. */
export const addDays = (date: CalendarDate, days: number): CalendarDate => fromDayNumber(dayNumber(date) + days);

/** Whole calendar days from `from` to `to` (`2027-02-27` -> `2027-03-01` is 2). */
export const daysBetween = (from: CalendarDate, to: CalendarDate): number => dayNumber(to) - dayNumber(from);

/** `2027-01-31` + 1 month -> `2027-02-28`: the same day of the month, clamped to the month's last day. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const month = addMonthsToMonth(monthOf(date), months);
  return dayInMonth(month, Number(date.slice(8, 10)));
}

/** `2026-11` + 2 -> `2027-01`. */
export function addMonthsToMonth(month: MonthKey, months: number): MonthKey {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${pad2((index % 12) + 1)}`;
}

export const nextMonth = (month: MonthKey): MonthKey => addMonthsToMonth(month, 1);

/** `day` of `month`, clamped to its last day (31 -> Feb 28). */
export function dayInMonth(month: MonthKey, day: number): CalendarDate {
  return `${month}-${pad2(Math.min(Math.max(1, Math.trunc(day)), daysInMonth(month)))}`;
}

export const monthOf = (date: CalendarDate): MonthKey => date.slice(0, 7);
export const firstOfMonth = (month: MonthKey): CalendarDate => `${month}-01`;
export const lastOfMonth = (month: MonthKey): CalendarDate => `${month}-${pad2(daysInMonth(month))}`;

/** Every month from `from` to `to`, both included (`2026-11`, `2026-12`, ...). */
export function monthsFrom(from: MonthKey, to: MonthKey): MonthKey[] {
  const months: MonthKey[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

/** Calendar months from the month of `from` to the month of `to`, both counted (Nov 30 -> Dec 1 is 2); 0 when `to` is before. */
export function monthsBegun(from: CalendarDate, to: CalendarDate): number {
  const [ay, am] = from.split('-').map(Number) as [number, number];
  const [by, bm] = to.split('-').map(Number) as [number, number];
  return Math.max(0, (by - ay) * 12 + (bm - am) + 1);
}

export const minDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b);
export const maxDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);

// ---------------------------------------------------------------------------------------------
// Instants and calendar dates: the only crossings.

/**
 * `YYYY-MM-DD` of an instant in `timezone`. One Intl formatter per zone, kept: dayjs' `.tz()`
 * rebuilds its answer from `formatToParts` on every call, which made a 20-line payment list cost
 * milliseconds of CPU. (The kept formatters are a cache of immutable values, not state.)
 */
export function localDay(at: Date, timezone: string): CalendarDate {
  // The hot path (a list formats a few days per line): en-CA writes a day as 2026-11-30, and
  // format() costs less than half of formatToParts().
  let format = DAY_FORMATS.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    DAY_FORMATS.set(timezone, format);
  }
  const written = format.format(at);
  if (ISO_DAY.test(written)) return written;
  // A year before 1000, or locale data that writes en-CA otherwise: read the parts.
  const value = partsIn(at, timezone);
  return `${value('year').padStart(4, '0')}-${value('month')}-${value('day')}`;
}
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-11-23 11:00`: an instant's day and time of day in `timezone`. */
export function localDateTime(at: Date, timezone: string): string {
  const value = partsIn(at, timezone);
  return `${value('year')}-${value('month')}-${value('day')} ${value('hour')}:${value('minute')}`;
}

function partsIn(at: Date, timezone: string): (type: Intl.DateTimeFormatPartTypes) => string {
  let format = FORMATS.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    FORMATS.set(timezone, format);
  }
  const parts = format.formatToParts(at);
  return (type) => parts.find((part) => part.type === type)!.value;
}
const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** `2026-11`: the month `at` falls in, in `timezone`. */
export const localMonth = (at: Date, timezone: string): MonthKey => monthOf(localDay(at, timezone));

/** `2027-03-14` + `09:00` in America/New_York -> 13:00 UTC. A time skipped by DST moves forward. */
export function atLocalTime(date: CalendarDate, time: string, timezone: string): Date {
  return dayjs.tz(`${date} ${time}`, timezone).toDate();
}

/** The first instant of a calendar day in `timezone`. */
export const startOfLocalDay = (date: CalendarDate, timezone: string): Date => atLocalTime(date, '00:00', timezone);

/** The last millisecond of a calendar day in `timezone`. */
export const endOfLocalDay = (date: CalendarDate, timezone: string): Date =>
  new Date(startOfLocalDay(addDays(date, 1), timezone).getTime() - 1);

/** The first instant of a `YYYY-MM` month in `timezone`, and the first instant of the next. */
export function monthBounds(month: MonthKey, timezone: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(firstOfMonth(month), timezone), end: startOfLocalDay(firstOfMonth(nextMonth(month)), timezone) };
}

// ---------------------------------------------------------------------------------------------
// Words for days: one way to print each.

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
const SHORT_MONTHS = MONTH_NAMES.map((name) => name.slice(0, 3));

/** `Nov 15`, or `Nov 15, 2026` with the year. */
export const formatShortDate = (date: CalendarDate, options: { year?: boolean } = {}): string =>
  `${SHORT_MONTHS[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}${options.year ? `, ${Number(date.slice(0, 4))}` : ''}`;

/** `November 15, 2026`. */
export const formatLongDate = (date: CalendarDate): string =>
  `${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}, ${Number(date.slice(0, 4))}`;

/** `November 2026`. */
export const formatMonth = (month: MonthKey): string => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${Number(month.slice(0, 4))}`;

/** `Feb 28` for month 2 day 28. */
export const formatMonthDay = (month: number, day: number): string => `${SHORT_MONTHS[month - 1]} ${day}`;

/** `Nov 15` of an instant, read in `timezone`. */
export const formatDayOf = (at: Date, timezone: string): string => formatShortDate(localDay(at, timezone));

// ---------------------------------------------------------------------------------------------
// Yearly days (birthdays).

/**
 * The day a yearly date (a birthday) falls on in `year`: 29 February falls on 28 February in
 * years without one.
 */
export function yearlyDate(month: number, day: number, year: number): CalendarDate {
  const clamped = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  return dateOf(year, month, clamped);
}

/** `02-29`, or `1994-02-29` with the year: a yearly date as it is typed and exported. */
export const formatYearlyDate = (month: number, day: number, year?: number | null): string =>
  `${year ? `${year}-` : ''}${pad2(month)}-${pad2(day)}`;

/** The next day (today included) a yearly date falls on, from `today`. */
export function nextYearly(month: number, day: number, today: CalendarDate): CalendarDate {
  const year = Number(today.slice(0, 4));
  const thisYear = yearlyDate(month, day, year);
  return thisYear >= today ? thisYear : yearlyDate(month, day, year + 1);
}

// ---------------------------------------------------------------------------------------------
// The one date parser.

/**
 * What a typed date means before "today" is known: a fixed day, days from today, or a month and
 * day without a year. Parsing (and every refusal) happens in the argument schema; `resolveDate`
 * turns it into a calendar date with the workspace's today, which only the command knows.
 */
export type DateInput =
  | { kind: 'date'; date: CalendarDate }
  | { kind: 'offset'; days: number }
  | { kind: 'month-day'; month: number; day: number };

export type DateParseError =
  | { code: 'empty' }
  | { code: 'unreadable' }
  | { code: 'impossible'; text: string }
  | { code: 'ambiguous'; readings: [CalendarDate, CalendarDate] }
  | { code: 'out-of-range' };

export type DateParse = { ok: true; value: DateInput } | { ok: false; error: DateParseError };

const MONTH_WORDS: Record<string, number> = Object.fromEntries(
  MONTH_NAMES.flatMap((name, i) => [
    [name.toLowerCase(), i + 1],
    [name.slice(0, 3).toLowerCase(), i + 1],
    ...(name === 'September' ? [['sept', i + 1] as const] : []),
  ]),
);

/** For help: the one rule every date argument and form field is read by. */
export const DATE_RULE =
  'Dates: 2026-11-28, today, yesterday, tomorrow, in 3 days, 3 days ago, Nov 28, 28 Nov, 28 November 2026, 30/11/2026. ' +
  'A day and month without a year is the nearest such day (up to six months back or ahead); 10/11/2026 reads two ways and is refused with both.';

/** Years a typed date may name: far enough for birthdays, near enough to catch typos like 20266. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

/**
 * `2026-11-28`, `today`, `yesterday`, `tomorrow`, `in 3 days`, `3 days ago`, `Nov 28`, `28 Nov`,
 * `28 November 2026`, `November 28, 2026`, `30/11/2026`. A numeric date with `/` or `.` whose day and
 * month could swap (`10/11/2026`) is refused with both readings; `2026-02-30` is refused as impossible.
 */
export function parseDate(text: string): DateParse {
  const fail = (error: DateParseError): DateParse => ({ ok: false, error });
  const ok = (value: DateInput): DateParse => ({ ok: true, value });
  const input = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (input === '') return fail({ code: 'empty' });
  if (input === 'today') return ok({ kind: 'offset', days: 0 });
  if (input === 'yesterday') return ok({ kind: 'offset', days: -1 });
  if (input === 'tomorrow') return ok({ kind: 'offset', days: 1 });
  const relative = /^(?:in (\d{1,4}) (day|week)s?|(\d{1,4}) (day|week)s? ago)$/.exec(input);
  if (relative) {
    const n = Number(relative[1] ?? relative[3]) * ((relative[2] ?? relative[4]) === 'week' ? 7 : 1);
    return ok({ kind: 'offset', days: relative[1] !== undefined ? n : -n });
  }
  const exact = (y: number, m: number, d: number): DateParse => {
    if (y < MIN_YEAR || y > MAX_YEAR) return fail({ code: 'out-of-range' });
    const date = dateOf(y, m, d);
    return isCalendarDate(date) ? ok({ kind: 'date', date }) : fail({ code: 'impossible', text: text.trim() });
  };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input);
  if (iso) return exact(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(input);
  if (numeric) {
    const [a, b, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    const dayFirst = isCalendarDate(dateOf(y, b, a)) ? dateOf(y, b, a) : undefined;
    const monthFirst = isCalendarDate(dateOf(y, a, b)) ? dateOf(y, a, b) : undefined;
    if (dayFirst && monthFirst && dayFirst !== monthFirst) return fail({ code: 'ambiguous', readings: [dayFirst, monthFirst] });
    if (dayFirst ?? monthFirst) return exact(y, Number((dayFirst ?? monthFirst)!.slice(5, 7)), Number((dayFirst ?? monthFirst)!.slice(8, 10)));
    return fail({ code: 'impossible', text: text.trim() });
  }
  const words = input.replace(/,/g, ' ').replace(/(\d)(st|nd|rd|th)\b/g, '$1').split(' ').filter(Boolean);
  if (words.length === 2 || words.length === 3) {
    const monthFirst = MONTH_WORDS[words[0]!] !== undefined;
    const month = MONTH_WORDS[monthFirst ? words[0]! : words[1]!];
    const dayWord = monthFirst ? words[1]! : words[0]!;
    const yearWord = words[2];
    if (month !== undefined && /^\d{1,2}$/.test(dayWord) && (yearWord === undefined || /^\d{4}$/.test(yearWord))) {
      const day = Number(dayWord);
      if (yearWord !== undefined) return exact(Number(yearWord), month, day);
      // Without a year, the day must exist in some year; 29 February needs the year.
      if (day < 1 || day > daysInMonth(`2001-${pad2(month)}`)) return fail({ code: 'impossible', text: text.trim() });
      return ok({ kind: 'month-day', month, day });
    }
  }
  return fail({ code: 'unreadable' });
}

/**
 * The calendar date a parsed input names, given the workspace's today. A month and day without a
 * year is the nearest such day to today (the past six months or the next six).
 */
export function resolveDate(input: DateInput, today: CalendarDate): CalendarDate {
  switch (input.kind) {
    case 'date':
      return input.date;
    case 'offset':
      return addDays(today, input.days);
    case 'month-day': {
      const year = Number(today.slice(0, 4));
      const candidates = [year - 1, year, year + 1].map((y) => dateOf(y, input.month, input.day));
      return candidates.reduce((best, date) => (Math.abs(daysBetween(today, date)) < Math.abs(daysBetween(today, best)) ? date : best));
    }
  }
}

/** `YYYY-MM-DD` given directly, for forms and code that already hold a calendar date. */
export const fixedDate = (date: CalendarDate): DateInput => ({ kind: 'date', date });

/** A word that reads as a date or part of one (`2026-11-30`, `30/11/2026`, `30.11`, `today`, `Nov`): never a reference or a note. */
export function isDateShaped(word: string): boolean {
  const w = word.trim().toLowerCase().replace(/,$/, '');
  return (
    /^\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?$/.test(w) ||
    ['today', 'yesterday', 'tomorrow'].includes(w) ||
    MONTH_WORDS[w] !== undefined
  );
}

/** A month name alone is a word (`March invoice`); beside a day number it is a date (`Nov 28`). */
function dateShapedAt(words: readonly string[], i: number): boolean {
  const word = words[i];
  if (word === undefined) return false;
  if (MONTH_WORDS[word.toLowerCase().replace(/,$/, '')] === undefined) return isDateShaped(word);
  return [words[i - 1], words[i + 1]].some((next) => next !== undefined && /^\d{1,2}(st|nd|rd|th)?,?$/i.test(next));
}

export type LeadingDate =
  | { ok: true; date?: DateInput; rest: string }
  | { ok: false; error: DateParseError; text: string }
  | { ok: false; error: { code: 'date-in-text' }; text: string };

/**
 * Free text that may start with a date (`30/11/2026 INV-881`, `Nov 28 wire 4411`, `INV-881`): the
 * longest leading run of up to four words that is a date, and the rest. A leading date-shaped word
 * that is not a date (`10/11/2026`, `2026-02-30`) is an error, never text; so is a date-shaped word
 * later in the text, which would otherwise be stored as a reference.
 */
export function splitLeadingDate(text: string): LeadingDate {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let date: DateInput | undefined;
  let used = 0;
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const parsed = parseDate(words.slice(0, n).join(' '));
    if (parsed.ok) {
      date = parsed.value;
      used = n;
      break;
    }
  }
  if (!date && dateShapedAt(words, 0)) {
    const candidate = words.slice(0, /^\d/.test(words[0]!) ? 1 : Math.min(3, words.length)).join(' ');
    const parsed = parseDate(candidate);
    return { ok: false, error: parsed.ok ? { code: 'unreadable' } : parsed.error, text: candidate };
  }
  const rest = words.slice(used);
  const stray = rest.find((_, i) => dateShapedAt(rest, i));
  if (stray !== undefined) return { ok: false, error: { code: 'date-in-text' }, text: stray };
  return { ok: true, ...(date ? { date } : {}), rest: rest.join(' ') };
}

/**
 * Keeps a calendar day stored as an instant on its day when the workspace's timezone changes:
 * an instant at `time` (the day's `00:00` start, `12:00` for a day paid, or `end` for the day's
 * last millisecond) of a day in `from` becomes the same time of the same day in `to`. Undefined
 * when `at` is not such an instant in `from` (a real moment, or one already moved), so running a
 * change twice moves nothing twice.
 */
export function rebaseDay(at: Date, from: string, to: string, time: '00:00' | '12:00' | 'end'): Date | undefined {
  const day = localDay(at, from);
  const place = (zone: string) => (time === 'end' ? endOfLocalDay(day, zone) : atLocalTime(day, time, zone));
  if (place(from).getTime() !== at.getTime()) return undefined;
  const moved = place(to);
  return moved.getTime() === at.getTime() ? undefined : moved;
}
