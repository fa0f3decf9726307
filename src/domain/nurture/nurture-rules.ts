import { type Cadence, type CadenceSettings } from '../../core/job';
import { addDays, daysBetween, localDay, nextYearly } from '../../core/calendar';
import { STAGES, type Stage } from '../../core/vocabulary';
import { engagements } from '../metrics/metrics-rules';

/**
 * The rules of nurturing: cadences, birthdays, follow-ups, snoozes, wins and relationship health.
 * Pure: calendar days are `YYYY-MM-DD` strings in the workspace timezone, computed by the caller.
 */

export type { Cadence, CadenceSettings };

export const DEFAULT_CADENCES: Readonly<Record<Stage, Cadence | null>> = {
  prospect: null,
  contacted: { ideal: 10, max: 21 },
  negotiating: { ideal: 5, max: 10 },
  active: { ideal: 21, max: 45 },
  ambassador: { ideal: 14, max: 30 },
  paused: null,
  ended: null,
};

/** Stages where the team stopped on purpose: a creator's own cadence does not apply in them. */
export const STOPPED_STAGES: readonly Stage[] = ['paused', 'ended'];

export const MAX_CADENCE_DAYS = 365;

/**
 * The cadence that applies: the creator's own (except in paused and ended), else the workspace's
 * for the stage, else the default.
 */
export function cadenceFor(stage: Stage, workspace: CadenceSettings = {}, own?: Cadence | null): Cadence | null {
  if (own && !STOPPED_STAGES.includes(stage)) return own;
  return stage in workspace ? (workspace[stage] ?? null) : DEFAULT_CADENCES[stage];
}

export type CadenceParse = { ok: true; cadence: Cadence | null } | { ok: false; error: 'format' | 'zero' | 'order' | 'too-long' };

/** `21/45` -> ideal 21, max 45; `none` -> no cadence. */
export function parseCadence(text: string): CadenceParse {
  const value = text.trim().toLowerCase();
  if (value === 'none' || value === 'off') return { ok: true, cadence: null };
  const match = /^(\d{1,4})\s*\/\s*(\d{1,4})$/.exec(value);
  if (!match) return { ok: false, error: 'format' };
  const ideal = Number(match[1]);
  const max = Number(match[2]);
  if (ideal < 1) return { ok: false, error: 'zero' };
  if (max < ideal) return { ok: false, error: 'order' };
  if (max > MAX_CADENCE_DAYS) return { ok: false, error: 'too-long' };
  return { ok: true, cadence: { ideal, max } };
}

export type StageCadenceParse = { ok: true; stage: Stage; cadence: Cadence | null } | { ok: false; error: 'stage' | Exclude<CadenceParse, { ok: true }>['error'] };

/** `active=21/45` or `prospect=none`. */
export function parseStageCadence(text: string): StageCadenceParse {
  const [name, value, ...rest] = text.split('=');
  const stage = name?.trim().toLowerCase() as Stage;
  if (!STAGES.includes(stage) || value === undefined || rest.length > 0) return { ok: false, error: 'stage' };
  const parsed = parseCadence(value);
  return parsed.ok ? { ok: true, stage, cadence: parsed.cadence } : parsed;
}

export type CadenceState = 'ok' | 'past-ideal' | 'past-max';

export interface CadenceStatus {
  state: CadenceState;
  /** Calendar days since the last touchpoint (or since the creator was added, before the first). */
  daysSince: number;
  /** Days beyond the ideal interval (0 while within it). */
  daysPastIdeal: number;
  /** Days beyond the maximum interval (0 while within it). */
  daysPastMax: number;
}

/** Where a relationship stands: past the ideal interval once more days than `ideal` have gone by since `since`. */
export function cadenceStatus(cadence: Cadence, since: string, today: string): CadenceStatus {
  const daysSince = Math.max(0, daysBetween(since, today));
  const daysPastIdeal = Math.max(0, daysSince - cadence.ideal);
  const daysPastMax = Math.max(0, daysSince - cadence.max);
  return { state: daysPastMax > 0 ? 'past-max' : daysPastIdeal > 0 ? 'past-ideal' : 'ok', daysSince, daysPastIdeal, daysPastMax };
}

/** The last calendar day a touchpoint may fall on for the relationship to be `days` past it today. */
export const lastDayBefore = (today: string, days: number): string => addDays(today, -days - 1);

// Birthdays

export interface MonthDay {
  month: number;
  day: number;
}

/** The next celebration on or after `today` (29 Feb on 28 Feb in common years), and how many days away it is (0 = today). */
export function nextBirthday(birthday: MonthDay, today: string): { on: string; inDays: number } {
  const on = nextYearly(birthday.month, birthday.day, today);
  return { on, inDays: daysBetween(today, on) };
}

/** The birthday when it is celebrated today or within the next `days` days. */
export function birthdayWithin(birthday: MonthDay, today: string, days: number): { on: string; inDays: number } | undefined {
  const next = nextBirthday(birthday, today);
  return next.inDays <= days ? next : undefined;
}

/**
 * The birthdays (month and day) celebrated between `today` and `days` later: what a query matches
 * exactly (29 February with the 28th in common years, when it is celebrated).
 */
export function birthDaysWithin(today: string, days: number): MonthDay[] {
  const found: MonthDay[] = [];
  for (let i = 0; i <= days; i += 1) {
    const day = addDays(today, i);
    const month = Number(day.slice(5, 7));
    const date = Number(day.slice(8, 10));
    found.push({ month, day: date });
    if (month === 2 && date === 28 && addDays(day, 1).slice(5) === '03-01') found.push({ month: 2, day: 29 });
  }
  return found;
}

// Follow-ups and snoozes

/** Hidden until its day: a snoozed item shows again on `until`. Done items are snoozed for ever. */
export const FOREVER = '9999-12-31';

export const isHidden = (snoozedUntil: string | undefined, today: string): boolean => snoozedUntil !== undefined && today < snoozedUntil;

export const SNOOZE_DAYS = 7;

export const snoozeUntil = (today: string, days = SNOOZE_DAYS): string => addDays(today, days);

/** A follow-up is due on its day and every day after, until it is done or snoozed. */
export const isFollowUpDue = (followUp: { dueDay: string; doneAt?: Date | null }, today: string, snoozedUntil?: string): boolean =>
  !followUp.doneAt && followUp.dueDay <= today && !isHidden(snoozedUntil, today);

/**
 * What an item in a digest or nudge is, for snoozing and dismissing it. The occurrence is part of the
 * key where the item comes back: next year's birthday, the relationship after its next touchpoint.
 */
export type NurtureItemRef =
  | { kind: 'birthday'; influencerId: string; on: string }
  | { kind: 'cadence'; influencerId: string; since: string }
  | { kind: 'follow-up'; id: string }
  | { kind: 'deliverable'; id: string }
  | { kind: 'win'; id: string };

export function itemKey(ref: NurtureItemRef): string {
  switch (ref.kind) {
    case 'birthday':
      return `birthday:${ref.influencerId}:${ref.on}`;
    case 'cadence':
      return `cadence:${ref.influencerId}:${ref.since}`;
    default:
      return `${ref.kind}:${ref.id}`;
  }
}

const ID = '[a-f0-9]{24}';
const DAY = '\\d{4}-\\d{2}-\\d{2}';
const KEY = new RegExp(`^(?:(birthday|cadence):(${ID}):(${DAY})|(follow-up|deliverable|win):(${ID}))$`);

/** The inverse of `itemKey`; undefined for anything else (typed keys are user input). */
export function parseItemKey(key: string): NurtureItemRef | undefined {
  const match = KEY.exec(key.trim().toLowerCase());
  if (!match) return undefined;
  if (match[1] === 'birthday') return { kind: 'birthday', influencerId: match[2]!, on: match[3]! };
  if (match[1] === 'cadence') return { kind: 'cadence', influencerId: match[2]!, since: match[3]! };
  return { kind: match[4] as 'follow-up' | 'deliverable' | 'win', id: match[5]! };
}

/**
 * Which interval of a relationship a reminder's key names, against the creator's last touchpoint
 * now (at `lastAt`). The key carries the local day of the touchpoint its interval began with, in
 * the timezone of the message it came from, which may not be the workspace's any more: the same
 * touchpoint falls on one of the local days it has somewhere (UTC-12 to UTC+14), so such a day is
 * the current interval; an earlier day is an interval a newer touchpoint ended; a later one, an
 * interval whose touchpoint was removed since. One day the two could share: a touchpoint a day
 * after the one before, which only a 1-day ideal interval can show (a reminder is shown at least
 * ideal + 1 days after its touchpoint); it is taken for the current one.
 */
export function reminderInterval(keySince: string, lastAt: Date, timezone: string): { interval: 'current' | 'earlier' | 'later'; since: string } {
  const since = localDay(lastAt, timezone);
  if (keySince === since) return { interval: 'current', since };
  if (keySince < localDay(lastAt, EARLIEST_ZONE)) return { interval: 'earlier', since };
  if (keySince > localDay(lastAt, LATEST_ZONE)) return { interval: 'later', since };
  return { interval: 'current', since };
}

/** The zones furthest behind and ahead of UTC (IANA's Etc signs are inverted). */
const EARLIEST_ZONE = 'Etc/GMT+12';
const LATEST_ZONE = 'Etc/GMT-14';

// Wins

export const WIN_FACTOR = 1.5;
/** Items published this many days back or fewer are candidates for a win. */
export const WIN_WINDOW_DAYS = 14;

/** Median of numbers (computed here: the stand-in database has no $median). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type MetricBag = Partial<Record<string, number>> | Map<string, number> | null | undefined;

/** Likes + comments + saves + shares of one item. */
export function engagementOf(metrics: MetricBag): number {
  const values = metrics instanceof Map ? Object.fromEntries(metrics) : (metrics ?? {});
  return engagements(values);
}

export interface PublishedItem {
  id: string;
  publishedAt: Date;
  engagement: number;
}

/**
 * A win: engagement at least 1.5 x the median of the creator's items published before it. Needs at
 * least one earlier item with engagement, so a first post is never a "win" against nothing.
 */
export function isWin(item: PublishedItem, previous: readonly PublishedItem[]): { median: number; factor: number } | undefined {
  const earlier = previous.filter((p) => p.publishedAt < item.publishedAt && p.id !== item.id).map((p) => p.engagement);
  const base = median(earlier);
  if (base === undefined || base <= 0 || item.engagement <= 0) return undefined;
  const factor = item.engagement / base;
  return factor >= WIN_FACTOR ? { median: base, factor } : undefined;
}

// Relationship health

/** A piece of content as health reads it. */
export interface ContentFacts {
  status: string;
  planned?: boolean | null;
  dueAt?: Date | null;
  publishedAt?: Date | null;
  metrics?: MetricBag;
}

/** Planned deliverables delivered on or before their due day, delivered after it, and still open past it. */
export function deliverableCounts(items: readonly ContentFacts[], now: Date): { onTime: number; late: number; overdue: number } {
  const counts = { onTime: 0, late: 0, overdue: 0 };
  for (const item of items) {
    if (!item.planned || !item.dueAt) continue;
    if (item.status === 'published' && item.publishedAt) counts[item.publishedAt <= item.dueAt ? 'onTime' : 'late'] += 1;
    else if (item.status === 'planned' && item.dueAt < now) counts.overdue += 1;
  }
  return counts;
}

/** A payment as health reads it. */
export interface PaymentFacts {
  status: string;
  dueAt: Date;
  paidAt?: Date | null;
}

/**
 * Payments paid on or before their due day, paid after it (calendar days in the workspace
 * timezone), and still unpaid past it (`today` is the workspace's local day). Cancelled ones never count.
 */
export function paymentCounts(payments: readonly PaymentFacts[], today: string, timezone: string): { onTime: number; late: number; overdue: number } {
  const counts = { onTime: 0, late: 0, overdue: 0 };
  for (const payment of payments) {
    const due = localDay(payment.dueAt, timezone);
    if (payment.status === 'paid' && payment.paidAt) counts[localDay(payment.paidAt, timezone) <= due ? 'onTime' : 'late'] += 1;
    else if (payment.status === 'scheduled' && due < today) counts.overdue += 1;
  }
  return counts;
}

/** The latest published item's engagement against the median of the ones before it; undefined without two items and a usual above 0. */
export function engagementTrend(items: ReadonlyArray<{ at: Date; engagement: number }>): number | undefined {
  const published = [...items].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (published.length < 2) return undefined;
  const base = median(published.slice(0, -1).map((item) => item.engagement));
  return base && base > 0 ? published.at(-1)!.engagement / base : undefined;
}

/** The published items of `items` as `engagementTrend` reads them. */
export const publishedEngagement = (items: readonly ContentFacts[]): Array<{ at: Date; engagement: number }> =>
  items.filter((item) => item.status === 'published' && item.publishedAt).map((item) => ({ at: item.publishedAt!, engagement: engagementOf(item.metrics) }));

export interface HealthInput {
  /** The cadence status, or undefined where no cadence applies. */
  cadence?: CadenceStatus & { ideal: number; max: number };
  /** Planned deliverables: delivered on or before the due day, and late (delivered late or overdue). */
  deliverables: { onTime: number; late: number; overdue: number };
  /** Payments whose day has come: paid on time, and late (paid late or unpaid past due). */
  payments: { onTime: number; late: number; overdue: number };
  /** The latest item's engagement against the median of the ones before it (1 = as usual). */
  engagementTrend?: number;
}

export type HealthReason =
  | { code: 'past-max'; days: number }
  | { code: 'past-ideal'; days: number }
  | { code: 'deliverables-late'; count: number }
  | { code: 'deliverables-overdue'; count: number }
  | { code: 'payments-late'; count: number }
  | { code: 'payments-overdue'; count: number }
  | { code: 'engagement-down'; percent: number }
  | { code: 'engagement-up'; percent: number }
  | { code: 'in-touch'; daysLeft: number }
  | { code: 'on-time' }
  | { code: 'no-history' };

export interface Health {
  /** 0-100. */
  score: number;
  /** The reasons, biggest loss first; never empty. */
  reasons: HealthReason[];
}

/** Weights of the four parts; a part without data is left out and the others share its weight. */
const WEIGHTS = { recency: 40, deliverables: 25, payments: 20, engagement: 15 } as const;

/**
 * Health of a relationship from recency against its cadence, deliverables on time, payments on
 * time and the engagement trend. Each part scores 0..1:
 * - recency: 1 within the ideal interval, falling to 0.5 at the maximum and to 0 at twice the maximum;
 * - deliverables and payments: the share on time (overdue ones count as late);
 * - engagement: 1 at or above the usual, 0 at half of it or less.
 */
export function healthScore(input: HealthInput): Health {
  const parts: Array<{ weight: number; value: number }> = [];
  const losses: Array<{ loss: number; reason: HealthReason }> = [];
  const add = (weight: number, value: number, reason?: HealthReason) => {
    parts.push({ weight, value });
    if (reason) losses.push({ loss: weight * (1 - value), reason });
  };

  if (input.cadence) {
    const { daysSince, ideal, max, daysPastIdeal, daysPastMax } = input.cadence;
    let value = 1;
    if (daysSince > max) value = Math.max(0, 0.5 * (1 - (daysSince - max) / max));
    else if (daysSince > ideal) value = 1 - (0.5 * (daysSince - ideal)) / Math.max(1, max - ideal);
    const reason: HealthReason | undefined =
      daysPastMax > 0 ? { code: 'past-max', days: daysPastMax } : daysPastIdeal > 0 ? { code: 'past-ideal', days: daysPastIdeal } : undefined;
    add(WEIGHTS.recency, value, reason);
  }
  const share = (counts: { onTime: number; late: number; overdue: number }) => {
    const total = counts.onTime + counts.late + counts.overdue;
    return total === 0 ? undefined : counts.onTime / total;
  };
  const deliverables = share(input.deliverables);
  if (deliverables !== undefined) {
    const { late, overdue } = input.deliverables;
    add(
      WEIGHTS.deliverables,
      deliverables,
      overdue > 0 ? { code: 'deliverables-overdue', count: overdue } : late > 0 ? { code: 'deliverables-late', count: late } : undefined,
    );
  }
  const payments = share(input.payments);
  if (payments !== undefined) {
    const { late, overdue } = input.payments;
    add(WEIGHTS.payments, payments, overdue > 0 ? { code: 'payments-overdue', count: overdue } : late > 0 ? { code: 'payments-late', count: late } : undefined);
  }
  if (input.engagementTrend !== undefined && Number.isFinite(input.engagementTrend)) {
    const trend = input.engagementTrend;
    const value = Math.min(1, Math.max(0, (trend - 0.5) / 0.5));
    add(WEIGHTS.engagement, value, trend < 1 ? { code: 'engagement-down', percent: Math.round((1 - trend) * 100) } : undefined);
  }

  const weight = parts.reduce((sum, p) => sum + p.weight, 0);
  if (weight === 0) return { score: 100, reasons: [{ code: 'no-history' }] };
  const score = Math.round((100 * parts.reduce((sum, p) => sum + p.weight * p.value, 0)) / weight);
  const reasons = losses
    .filter((l) => l.loss > 0)
    .sort((a, b) => b.loss - a.loss)
    .map((l) => l.reason);
  if (reasons.length > 0) return { score, reasons };
  if (input.engagementTrend !== undefined && input.engagementTrend >= WIN_FACTOR) {
    return { score, reasons: [{ code: 'engagement-up', percent: Math.round((input.engagementTrend - 1) * 100) }] };
  }
  if (input.cadence) return { score, reasons: [{ code: 'in-touch', daysLeft: Math.max(0, input.cadence.ideal - input.cadence.daysSince) }] };
  return { score, reasons: [{ code: deliverables !== undefined || payments !== undefined ? 'on-time' : 'no-history' }] };
}

