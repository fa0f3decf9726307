import { CONTENT_TYPES, type ContentCadence, type ContentStatus, type ContentType, type PaymentSchedule } from '../../core/vocabulary';
import { addDays, addMonths, daysBetween, endOfLocalDay, firstOfMonth, lastOfMonth, localDay, maxDate, minDate, type MonthKey } from '../../core/calendar';

/**
 * Pure rules for a collaboration's content checklist: how a month's expected content becomes dated
 * planned items, and how much of it was delivered. No I/O and no clock: every "now" and timezone
 * comes in as an argument.
 */

export interface ExpectedContent {
  type: ContentType;
  count: number;
}

/**
 * The content cadence a collaboration gets when none is given: `once` when the fee was typed as
 * paid once (`schedule:once`: a one-off piece of work), else `monthly` (the content per month).
 * A fee typed without a schedule is paid once without making the content one-off: nothing was
 * said about the content, and "content per month" is what the form asks for.
 */
export function defaultContentCadence(typedSchedule?: PaymentSchedule | null): ContentCadence {
  return typedSchedule === 'once' ? 'once' : 'monthly';
}

/**
 * What a collaboration expects in `month`: its content per month while it runs (from its start
 * month to its end month), nothing before it starts or after it ends; content due `once` is all
 * expected in its start month.
 */
export function expectedIn(
  collaboration: { expectedPerMonth?: ReadonlyArray<{ type: string; count: number }> | null; start: Date; end?: Date | null; contentCadence?: string | null },
  month: MonthKey,
  timezone: string,
): ExpectedContent[] {
  const first = localDay(collaboration.start, timezone).slice(0, 7);
  const last = collaboration.end ? localDay(collaboration.end, timezone).slice(0, 7) : undefined;
  if (month < first || (last !== undefined && month > last)) return [];
  if (collaboration.contentCadence === 'once' && month !== first) return [];
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
 * collaboration runs in (from its start, to its end; content due once: from the start to the end,
 * or to a month after the start when ongoing): n items fall at the end of each n-th of
 * those days, so 2 posts in a 30-day month are due on the 15th and the 30th. Day arithmetic is
 * done on calendar dates, so DST changes never move a due day.
 */
export function planMonthItems(
  month: MonthKey,
  expected: readonly ExpectedContent[],
  window: { start: Date; end?: Date | null; contentCadence?: string | null },
  timezone: string,
): PlannedItem[] {
  const startDay = localDay(window.start, timezone);
  // Content due once is spread from the start to the end day, or over a month from the start.
  const once = window.contentCadence === 'once';
  const from = once ? startDay : maxDate(firstOfMonth(month), startDay);
  const to = once
    ? window.end
      ? localDay(window.end, timezone)
      : addDays(addMonths(startDay, 1), -1)
    : minDate(lastOfMonth(month), window.end ? localDay(window.end, timezone) : lastOfMonth(month));
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

/**
 * The due day the terms give one checklist slot (`2026-11:post:2`): the day planning the month
 * gives it today, so an item opened again after the terms changed (content once or monthly, the
 * dates, the content per month) falls where a freshly planned one would. Undefined when the terms
 * no longer plan that slot (a month outside the collaboration, fewer items, content due once).
 */
export function slotDueAt(
  collaboration: { expectedPerMonth?: ReadonlyArray<{ type: string; count: number }> | null; start: Date; end?: Date | null; contentCadence?: string | null },
  slot: string,
  timezone: string,
): Date | undefined {
  const month = slot.slice(0, 7);
  return planMonthItems(month, expectedIn(collaboration, month, timezone), collaboration, timezone).find((item) => item.slot === slot)?.dueAt;
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
