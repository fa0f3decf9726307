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
import { addDays, daysBetween, endOfLocalDay, firstOfMonth, lastOfMonth, localDay, maxDate, minDate, monthsBegun, type MonthKey } from '../../core/calendar';
import { formatCount } from '../../core/count';
import { formatMoney, onlyIn, type Money } from '../money';

/**
 * Pure rules for collaborations and their content: which metrics a goal is judged by, what it
 * cost, how efficient it was, how a month's expected content becomes a dated checklist, and how
 * much of it was delivered. No I/O and no clock: every "now" and timezone comes in as an argument.
 */

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
  const spent = onlyIn(cost, currency);
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
        feePart = fee * monthsBegun(localDay(at.start, at.timezone), localDay(last, at.timezone));
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

// ---------------------------------------------------------------------------------------------
// The checklist.

export interface ExpectedContent {
  type: ContentType;
  count: number;
}

/**
 * What a collaboration expects in `month`: its content per month while it runs (from its start
 * month to its end month), nothing before it starts or after it ends.
 */
export function expectedIn(
  collaboration: { expectedPerMonth?: ReadonlyArray<{ type: string; count: number }> | null; start: Date; end?: Date | null },
  month: MonthKey,
  timezone: string,
): ExpectedContent[] {
  const first = localDay(collaboration.start, timezone).slice(0, 7);
  const last = collaboration.end ? localDay(collaboration.end, timezone).slice(0, 7) : undefined;
  if (month < first || (last !== undefined && month > last)) return [];
  return (collaboration.expectedPerMonth ?? []).map((e) => ({ type: e.type as ContentType, count: e.count }));
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
  month: MonthKey,
  expected: readonly ExpectedContent[],
  window: { start: Date; end?: Date | null },
  timezone: string,
): PlannedItem[] {
  const from = maxDate(firstOfMonth(month), localDay(window.start, timezone));
  const to = minDate(lastOfMonth(month), window.end ? localDay(window.end, timezone) : lastOfMonth(month));
  if (from > to) return [];
  const days = daysBetween(from, to) + 1;
  const items: PlannedItem[] = [];
  for (const type of CONTENT_TYPES) {
    const count = expected.filter((e) => e.type === type).reduce((sum, e) => sum + e.count, 0);
    for (let i = 0; i < count; i++) {
      const due = addDays(from, Math.ceil(((i + 1) * days) / count) - 1);
      items.push({ type, dueAt: endOfLocalDay(due, timezone), slot: `${month}:${type}:${i + 1}` });
    }
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.slot.localeCompare(b.slot));
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
