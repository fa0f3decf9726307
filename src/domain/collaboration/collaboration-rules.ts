import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import {
  CONTENT_TYPES,
  METRICS,
  type ContentStatus,
  type ContentType,
  type Goal,
  type Metric,
  type Network,
  type PaymentSchedule,
} from '../../core/vocabulary';
import { localDay } from '../../core/job';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

/**
 * Pure rules for collaborations and their content: which metrics a goal is judged by, what it
 * cost, how efficient it was, how a month's expected content becomes a dated checklist, and how
 * much of it was delivered. No I/O and no clock: every "now" and timezone comes in as an argument.
 */

// ---------------------------------------------------------------------------------------------
// Money: integer minor units with an ISO currency; amounts in different currencies never add up.

export interface Money {
  /** Integer minor units (cents; whole yen for JPY). */
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => SUPPORTED_CURRENCIES.has(code.toUpperCase());

/** Decimal places of a currency's minor unit: EUR 2, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** One formatter per currency, kept (a cache of immutable values): building one costs more than formatting. */
function moneyFormat(currency: string): Intl.NumberFormat {
  let format = MONEY_FORMATS.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    MONEY_FORMATS.set(currency, format);
  }
  return format;
}
const MONEY_FORMATS = new Map<string, Intl.NumberFormat>();

/** 1499.99 EUR -> 149999; undefined when the amount has more decimals than the currency has. */
export function toMinor(amount: number, currency: string): number | undefined {
  const scaled = amount * 10 ** minorDigits(currency);
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) < 1e-6 && Number.isSafeInteger(rounded) ? rounded : undefined;
}

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;
/** Thousands grouped by `,`, `_` or a space: `1,500`, `1 500 000.50`. */
const GROUPED_DECIMAL = /^\d{1,3}(?:[,_ \u00a0\u202f]\d{3})+(?:\.\d+)?$/;

/**
 * The one rule for money as people type it, in major units: digits, an optional `.` and decimals,
 * optionally grouped in thousands (`1500`, `1,499.99`, `1 500`, `1_500`). Anything else is
 * undefined: signs, exponents (`1e3`), hexadecimal (`0x10`), a decimal comma (`1,5`), `Infinity`.
 * Whether the decimals fit a currency is `toMinor`'s question.
 */
export function parseDecimalAmount(text: string): number | undefined {
  const trimmed = text.trim();
  if (!PLAIN_DECIMAL.test(trimmed) && !GROUPED_DECIMAL.test(trimmed)) return undefined;
  return Number(trimmed.replace(/[,_ \u00a0\u202f]/g, ''));
}

export function formatMoney(money: Money): string {
  return moneyFormat(money.currency).format(money.amountMinor / 10 ** minorDigits(money.currency));
}

/** One total per currency, in currency order; never a sum across currencies. */
export function sumByCurrency(amounts: readonly Money[]): Money[] {
  const totals = new Map<string, number>();
  for (const { amountMinor, currency } of amounts) totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

export const formatMoneyList = (amounts: readonly Money[]): string => (amounts.length ? amounts.map(formatMoney).join(' · ') : '-');

// ---------------------------------------------------------------------------------------------
// Metrics and goals.

export type MetricTotals = Partial<Record<Metric, number>>;

/** What each goal is judged by (DESIGN.md): reach for awareness, engagement for image, sales for sales. */
export function metricsForGoal(goal: Goal): readonly Metric[] {
  switch (goal) {
    case 'awareness':
      return ['reach', 'impressions', 'views'];
    case 'image':
      return ['likes', 'comments', 'saves', 'shares', 'new_followers'];
    case 'sales':
      return ['clicks', 'redemptions', 'purchases', 'revenue'];
  }
}

/** The goal's metrics first, then the others: the order forms and Discord modals ask in. */
export function metricsInGoalOrder(goal: Goal): Metric[] {
  const first = metricsForGoal(goal);
  return [...first, ...METRICS.filter((metric) => !first.includes(metric))];
}

/** Adds each metric's latest value over all pieces of content. */
export function totalMetrics(items: ReadonlyArray<{ metrics?: Partial<Record<string, number>> | Map<string, number> | null }>): MetricTotals {
  const totals: MetricTotals = {};
  for (const item of items) {
    const entries = item.metrics instanceof Map ? [...item.metrics.entries()] : Object.entries(item.metrics ?? {});
    for (const [metric, value] of entries) {
      if (!(METRICS as readonly string[]).includes(metric) || typeof value !== 'number') continue;
      totals[metric as Metric] = (totals[metric as Metric] ?? 0) + value;
    }
  }
  return totals;
}

/** Likes + comments + saves + shares. */
export const engagements = (totals: MetricTotals): number =>
  (totals.likes ?? 0) + (totals.comments ?? 0) + (totals.saves ?? 0) + (totals.shares ?? 0);

export const metricLabel = (metric: Metric): string => metric.replace(/_/g, ' ');

/** `reach 12,000 · impressions 30,000`; revenue shown as money in `currency`. */
export function formatMetrics(metrics: readonly Metric[], totals: MetricTotals, currency: string): string {
  return metrics
    .map((metric) => {
      const value = totals[metric] ?? 0;
      return `${metricLabel(metric)} ${metric === 'revenue' ? formatMoney({ amountMinor: value, currency }) : formatCount(value)}`;
    })
    .join(' · ');
}

export const formatCount = (value: number): string => value.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// Efficiency by goal. A zero denominator (or costs that cannot be compared) is null, shown as `-`.

export interface Efficiency {
  goal: Goal;
  label: string;
  /** Minor units of `currency` for cost per thousand impressions and cost per engagement; a ratio for return. */
  value: number | null;
  currency: string;
  display: string;
}

export const NOT_AVAILABLE = '-';

/**
 * awareness -> cost per thousand impressions; image -> cost per engagement (likes + comments +
 * saves + shares); sales -> return = revenue / cost. `cost` is what was spent, grouped by currency;
 * `currency` is the collaboration's, which revenue is recorded in. Costs in another or in several
 * currencies cannot be divided into each other: the figure is then not available.
 */
export function efficiency(goal: Goal, cost: readonly Money[], totals: MetricTotals, currency: string): Efficiency {
  const spent = comparableCost(cost, currency);
  switch (goal) {
    case 'awareness': {
      const impressions = totals.impressions ?? 0;
      const value = spent === null || impressions === 0 ? null : (spent * 1000) / impressions;
      return moneyFigure(goal, 'cost per thousand impressions', value, currency);
    }
    case 'image': {
      const count = engagements(totals);
      const value = spent === null || count === 0 ? null : spent / count;
      return moneyFigure(goal, 'cost per engagement', value, currency);
    }
    case 'sales': {
      const value = spent === null || spent === 0 ? null : (totals.revenue ?? 0) / spent;
      return { goal, label: 'return (revenue / cost)', value, currency, display: value === null ? NOT_AVAILABLE : `${value.toFixed(2)}×` };
    }
  }
}

/** The amount spent in `currency`, or null when some of it was spent in another currency. */
function comparableCost(cost: readonly Money[], currency: string): number | null {
  const groups = sumByCurrency(cost).filter((money) => money.amountMinor !== 0);
  if (groups.length === 0) return 0;
  return groups.length === 1 && groups[0]!.currency === currency ? groups[0]!.amountMinor : null;
}

function moneyFigure(goal: Goal, label: string, value: number | null, currency: string): Efficiency {
  return {
    goal,
    label,
    value,
    currency,
    display: value === null ? NOT_AVAILABLE : formatMoney({ amountMinor: Math.round(value), currency }),
  };
}

// ---------------------------------------------------------------------------------------------
// Cost from the fee terms.

export interface CompensationTerms {
  feeMinor?: number | null;
  currency: string;
  schedule?: PaymentSchedule | null;
  commissionPct?: number | null;
  productOnly?: boolean | null;
}

/**
 * What the terms have committed so far: `once` -> the fee once the collaboration has started;
 * `monthly` -> the fee for every month begun (in the workspace timezone) up to now or the end;
 * `per-deliverable` -> the fee per published piece; plus the commission on recorded revenue.
 * Product-only collaborations cost no fee.
 */
export function costFromTerms(
  terms: CompensationTerms,
  at: { start: Date; end?: Date | null; now: Date; timezone: string; delivered: number; revenueMinor: number },
): Money {
  const fee = terms.productOnly ? 0 : (terms.feeMinor ?? 0);
  let feePart = 0;
  if (fee > 0 && at.now.getTime() >= at.start.getTime()) {
    switch (terms.schedule ?? 'once') {
      case 'once':
        feePart = fee;
        break;
      case 'monthly': {
        const last = at.end && at.end.getTime() < at.now.getTime() ? at.end : at.now;
        feePart = fee * monthsBegun(at.start, last, at.timezone);
        break;
      }
      case 'per-deliverable':
        feePart = fee * at.delivered;
        break;
    }
  }
  const commission = Math.round((at.revenueMinor * (terms.commissionPct ?? 0)) / 100);
  return { amountMinor: feePart + commission, currency: terms.currency };
}

/** Calendar months from the month of `from` to the month of `to`, both counted (Nov 30 -> Dec 1 is 2). */
export function monthsBegun(from: Date, to: Date, timezone: string): number {
  const a = dayjs(from).tz(timezone);
  const b = dayjs(to).tz(timezone);
  return Math.max(0, (b.year() - a.year()) * 12 + (b.month() - a.month()) + 1);
}

// ---------------------------------------------------------------------------------------------
// Months, days and the checklist.

/** `2026-11`: the month `at` falls in, in `timezone`. */
export const monthKey = (at: Date, timezone: string): string => localDay(at, timezone).slice(0, 7);

/** The first instant of a `YYYY-MM` month in `timezone`, and the first instant of the next. */
export function monthBounds(month: string, timezone: string): { start: Date; end: Date } {
  const start = dayjs.tz(`${month}-01`, timezone);
  return { start: start.toDate(), end: dayjs.tz(`${nextMonth(month)}-01`, timezone).toDate() };
}

export function nextMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included (`2026-11`, `2026-12`, ...). */
export function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

/** The start of a calendar day (`2026-11-23`) in `timezone`. */
export const startOfDay = (date: string, timezone: string): Date => dayjs.tz(date, timezone).toDate();

/** `2026-11-23`: the calendar day `at` falls on in `timezone`. */
export const dayKey = localDay;

export const monthName = (month: string): string => dayjs(`${month}-01`).format('MMMM YYYY');

export const formatDay = (at: Date, timezone: string): string => dayjs(at).tz(timezone).format('MMM D');

export interface ExpectedContent {
  type: ContentType;
  count: number;
}

export interface PlannedItem {
  type: ContentType;
  /** The last instant of the due day in the workspace timezone: overdue once `dueAt < now`. */
  dueAt: Date;
  /** `2026-11:post:2`: the same slot of a collaboration is never planned twice. */
  slot: string;
}

/**
 * A month's expected content as dated items, spread evenly over the days of the month the
 * collaboration runs in (from its start, to its end): n items fall at the end of each n-th of
 * those days, so 2 posts in a 30-day month are due on the 15th and the 30th. Day arithmetic is
 * done on calendar dates, so DST changes never move a due day.
 */
export function planMonthItems(
  month: string,
  expected: readonly ExpectedContent[],
  window: { start: Date; end?: Date | null },
  timezone: string,
): PlannedItem[] {
  const firstDay = dayNumber(`${month}-01`);
  const lastDay = dayNumber(`${nextMonth(month)}-01`) - 1;
  const from = Math.max(firstDay, dayNumber(dayKey(window.start, timezone)));
  const to = Math.min(lastDay, window.end ? dayNumber(dayKey(window.end, timezone)) : lastDay);
  if (from > to) return [];
  const days = to - from + 1;
  const items: PlannedItem[] = [];
  for (const type of CONTENT_TYPES) {
    const count = expected.filter((e) => e.type === type).reduce((sum, e) => sum + e.count, 0);
    for (let i = 0; i < count; i++) {
      const due = from + Math.ceil(((i + 1) * days) / count) - 1;
      items.push({ type, dueAt: endOfDay(dateOf(due), timezone), slot: `${month}:${type}:${i + 1}` });
    }
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.slot.localeCompare(b.slot));
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The last millisecond of a calendar day in `timezone`. */
export function endOfDay(date: string, timezone: string): Date {
  const next = dateOf(dayNumber(date) + 1);
  return new Date(dayjs.tz(next, timezone).valueOf() - 1);
}

// ---------------------------------------------------------------------------------------------
// Delivered versus expected.

export interface Progress {
  type: ContentType;
  delivered: number;
  expected: number;
}

/**
 * A month's delivered versus expected, per type. Expected is that month's checklist (planned
 * items not cancelled); a month with no checklist yet falls back on the terms' expected content.
 * Pieces published beyond plan count as delivered.
 */
export function deliveredVsExpected(
  expectedPerMonth: readonly ExpectedContent[],
  monthItems: ReadonlyArray<{ type: string; status: ContentStatus | string; planned?: boolean | null }>,
): Progress[] {
  const hasPlan = monthItems.some((item) => item.planned);
  const rows: Progress[] = [];
  for (const type of CONTENT_TYPES) {
    const expected = hasPlan
      ? monthItems.filter((item) => item.type === type && item.planned && item.status !== 'cancelled').length
      : expectedPerMonth.filter((e) => e.type === type).reduce((sum, e) => sum + e.count, 0);
    const delivered = monthItems.filter((item) => item.type === type && item.status === 'published').length;
    if (expected > 0 || delivered > 0) rows.push({ type, delivered, expected });
  }
  return rows;
}

/** `posts 1/2 · stories 4/4`. */
export const formatProgress = (rows: readonly Progress[]): string =>
  rows.length ? rows.map((row) => `${pluralType(row.type)} ${row.delivered}/${row.expected}`).join(' · ') : 'nothing expected';

/** `2 posts, 4 stories, 1 video`. */
export const formatExpected = (expected: readonly ExpectedContent[]): string =>
  expected.length ? expected.map((e) => `${e.count} ${e.count === 1 ? e.type : pluralType(e.type)}`).join(', ') : 'none agreed';

const PLURALS: Record<ContentType, string> = {
  post: 'posts',
  story: 'stories',
  reel: 'reels',
  video: 'videos',
  short: 'shorts',
  blog: 'blogs',
  stream: 'streams',
};

export const pluralType = (type: ContentType): string => PLURALS[type];

/** `Posts`, `stories`, `Blog posts`... -> the content type, or undefined. */
export function contentTypeOf(word: string): ContentType | undefined {
  const w = word.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const singular = (CONTENT_TYPES as readonly string[]).includes(w)
    ? w
    : (Object.entries(PLURALS).find(([, plural]) => plural === w)?.[0] ??
      ({ 'blog-post': 'blog', 'blog-posts': 'blog', 'livestream': 'stream', 'livestreams': 'stream', 'live': 'stream' } as Record<string, string>)[w]);
  return singular as ContentType | undefined;
}

// ---------------------------------------------------------------------------------------------
// Links.

/** http(s) only; anything else (javascript:, ftp:, no scheme) is refused. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The key two links to the same piece compare by: scheme and `www.` ignored, host lower-case,
 * no fragment, no trailing slash. Query strings are kept (YouTube's `?v=` is the video).
 */
export function urlKey(value: string): string {
  const url = new URL(value);
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const path = url.pathname.replace(/\/+$/, '');
  return `${host}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
}

/** What a link says about where and what it is: instagram.com/reel/... is an Instagram reel. */
export function guessFromUrl(value: string): { network?: Network; type?: ContentType } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {};
  }
  const host = url.hostname.toLowerCase().replace(/^(www|m|vm)\./, '');
  const path = url.pathname.toLowerCase();
  if (host === 'instagram.com') {
    return { network: 'instagram', type: path.startsWith('/reel') ? 'reel' : path.startsWith('/stories') ? 'story' : path.startsWith('/p/') ? 'post' : undefined };
  }
  if (host === 'tiktok.com') return { network: 'tiktok', type: path.includes('/live') ? 'stream' : 'video' };
  if (host === 'youtube.com' || host === 'youtu.be') {
    return { network: 'youtube', type: path.startsWith('/shorts') ? 'short' : path.startsWith('/live') ? 'stream' : 'video' };
  }
  if (host === 'x.com' || host === 'twitter.com') return { network: 'x', type: 'post' };
  if (host === 'twitch.tv') return { network: 'twitch', type: 'stream' };
  if (host === 'linkedin.com') return { network: 'linkedin', type: 'post' };
  if (host === 'pinterest.com' || host.endsWith('.pinterest.com') || host === 'pin.it') return { network: 'pinterest', type: 'post' };
  return {};
}
