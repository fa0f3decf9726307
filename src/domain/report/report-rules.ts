import { CONTENT_TYPES, GOALS, type ContentCadence, type ContentType, type Goal, type Metric, type PaymentSchedule, type Stage } from '../../core/vocabulary';
import { efficiency, type Efficiency } from '../collaboration/cost-rules';
import { engagements, type MetricTotals } from '../metrics/metrics-rules';
import type { ExpectedContent, Progress } from '../content/checklist-rules';
import { sumByCurrency, type Money } from '../money';
import { costBasis } from '../collaboration/cost-rules';
import { expectedIn } from '../content/checklist-rules';
import { addMonthsToMonth, monthBounds, nextMonth } from '../../core/calendar';
import { isLate } from '../payment/payment-rules';
import { cadenceFor, cadenceStatus, type Cadence, type CadenceSettings } from '../nurture/nurture-rules';
import { localDay } from '../../core/calendar';
import { groupBy } from '../group-by';

/**
 * Pure rules of the monthly report: a piece's results count in the month it was published (in the
 * workspace timezone); a collaboration is judged by its goal's figure; what a month cost; who is an
 * ambassador candidate; who went quiet; how punctually payments were made. No I/O, no clock, no words.
 */

/** How many months the trend covers, the report's month included. */
export const TREND_MONTHS = 6;
/** Months an ambassador candidate has been in the collaboration, with nothing missed and paid on time. */
export const CANDIDATE_MONTHS = 3;
export const TOP_PER_GOAL = 3;

/**
 * The figure each goal ranks by: awareness -> reach, image -> engagement (likes + comments + saves +
 * shares), sales -> purchases. All are counts, so collaborations paid in different currencies
 * compare (revenue is shown per currency, never ranked across them).
 */
export function goalFigure(goal: Goal, totals: MetricTotals): number {
  switch (goal) {
    case 'awareness':
      return totals.reach ?? 0;
    case 'image':
      return engagements(totals);
    case 'sales':
      return totals.purchases ?? 0;
  }
}

/** `YYYY-MM` minus `n` months. */
export const previousMonth = (month: string, n = 1): string => addMonthsToMonth(month, -n);

/** The `TREND_MONTHS` months ending with `month`, oldest first. */
export const trendMonths = (month: string): string[] => Array.from({ length: TREND_MONTHS }, (_, i) => previousMonth(month, TREND_MONTHS - 1 - i));

/** Relative change from `before` to `now`: 0.25 is +25%; null when there was nothing before to compare with. */
export const change = (now: number, before: number): number | null => (before === 0 ? null : (now - before) / before);

/** A share; null for a zero denominator (shown as `-`). */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

// ---------------------------------------------------------------------------------------------
// What the service reads, in the shapes its aggregations return.

export interface ReportCollaborationInput {
  id: string;
  title: string;
  goal: Goal;
  status: string;
  currency: string;
  start: Date;
  end?: Date | null;
  closedAt?: Date | null;
  expectedPerMonth: readonly ExpectedContent[];
  contentCadence?: string | null;
  compensation: { feeMinor?: number | null; currency?: string | null; schedule?: PaymentSchedule | null; netDays?: number | null; commissionPct?: number | null; productOnly?: boolean | null };
  /** Day of the month (1-28) of the collaboration's briefing. */
  reportingDay?: number | null;
  /** A creator removed since: id and name empty (the view names them). */
  influencer: { id: string; name: string; stage: Stage; archived: boolean; lastContactAt?: Date | null; createdAt?: Date | null; cadence?: Cadence | null };
}

/** Published pieces of one collaboration, month (of publication, workspace timezone) and type, with their metrics summed. */
export interface ResultRow {
  collaborationId: string;
  month: string;
  type: ContentType;
  published: number;
  metrics: MetricTotals;
  /** The pieces themselves (per-deliverable fees are per piece). */
  pieces?: ReadonlyArray<{ id: string; publishedAt: Date }>;
}

/** Checklist items of one collaboration, month (of the plan), type and state, counted. */
export interface PlanRow {
  collaborationId: string;
  month: string;
  type: ContentType;
  status: string;
  planned: boolean;
  /** The month it was published in, when it was. */
  publishedMonth?: string | null;
  /** Its due instant has passed at the report's "as of" instant. */
  overdue: boolean;
  count: number;
}

export interface PaymentRow {
  collaborationId: string;
  scheduleKey: string;
  amountMinor: number;
  currency: string;
  dueAt: Date;
  status: string;
  paidAt?: Date | null;
  source: string;
}

export interface ReportInput {
  month: string;
  timezone: string;
  /** When the report is read: the end of the month, or now for a month still running. */
  asOf: Date;
  /** The workspace's cadences by stage: a relationship past its maximum interval has gone quiet. */
  cadences: CadenceSettings;
  collaborations: readonly ReportCollaborationInput[];
  results: readonly ResultRow[];
  plan: readonly PlanRow[];
  payments: readonly PaymentRow[];
}

// ---------------------------------------------------------------------------------------------
// What it becomes.

export interface CollaborationMonth {
  id: string;
  title: string;
  goal: Goal;
  status: string;
  currency: string;
  end?: Date | null;
  expectedPerMonth: readonly ExpectedContent[];
  /** `once`: the expected content is due one time, in the start month; `monthly`: every month it runs. */
  contentCadence: ContentCadence;
  /** What the terms expect in the month after the report's: nothing after a one-off's start month or past the end. */
  nextExpected: ExpectedContent[];
  reportingDay: number;
  influencer: ReportCollaborationInput['influencer'];
  progress: Progress[];
  published: number;
  totals: MetricTotals;
  previous: MetricTotals;
  figure: number;
  previousFigure: number;
  /** Of the goal figure against the month before; null when the month before had none. */
  change: number | null;
  /** Committed in the month, per currency (the one cost basis, for the month: src/domain/collaboration/cost-rules.ts). */
  cost: Money[];
  efficiency: Efficiency;
  /** The goal figure for each trend month, oldest first. */
  trend: number[];
}

export interface GoalSection {
  goal: Goal;
  collaborations: CollaborationMonth[];
  totals: MetricTotals;
  engagement: number;
  /** Engagement over reach; null when reach is 0. */
  engagementRate: number | null;
  /** Revenue per currency (each collaboration records revenue in its own currency). */
  revenue: Money[];
  cost: Money[];
  /** The goal's efficiency per currency, over the collaborations whose month cost is in that currency alone. */
  efficiency: Efficiency[];
  top: CollaborationMonth[];
  /** Summed goal figure per trend month. */
  trend: number[];
}

export interface QuietRelationship {
  influencerId: string;
  name: string;
  lastContactAt?: Date;
  /** Calendar days since the last touchpoint (or since the creator was added, before the first) at the "as of" day. */
  days: number;
  /** The maximum interval of the cadence that applies. */
  max: number;
}

export interface Punctuality {
  /** Payments due in the month, not cancelled. */
  due: number;
  onTime: number;
  /** Paid after the due day, or still unpaid past it. */
  late: number;
  rate: number | null;
  /** Unpaid past their due day at the "as of" instant, per currency. */
  overdue: Money[];
  overdueCount: number;
}

export interface MonthlyReport {
  month: string;
  timezone: string;
  /** The instant the report reads the month at: its last moment, or now for a month still running. */
  asOf: Date;
  months: string[];
  collaborations: CollaborationMonth[];
  goals: GoalSection[];
  candidates: CollaborationMonth[];
  quiet: QuietRelationship[];
  punctuality: Punctuality;
  /** Nothing expected, nothing published, no payment due: a quiet month. */
  empty: boolean;
}


/** Turns what the aggregations returned into the month's report. */
export function buildMonthlyReport(input: ReportInput): MonthlyReport {
  const { month, timezone } = input;
  const months = trendMonths(month);
  const prior = previousMonth(month);
  const { start, end } = monthBounds(month, timezone);
  const windowStart = monthBounds(previousMonth(month, CANDIDATE_MONTHS - 1), timezone).start;
  const results = mergeByMonth(input.results);
  const planOf = groupBy(input.plan, (p) => p.collaborationId);
  const paymentsOf = groupBy(input.payments, (p) => p.collaborationId);
  // Each collaboration's rows looked up by key: filtering the whole list per collaboration was collaborations x rows.
  const resultsOf = groupBy(input.results, (r) => `${r.collaborationId} ${r.month}`);

  const ranIn = (c: ReportCollaborationInput) =>
    c.start < end && (!c.end || c.end >= start) && (!c.closedAt || c.closedAt >= start);

  const rows: CollaborationMonth[] = [];
  for (const c of input.collaborations) {
    const here = results.get(`${c.id} ${month}`);
    if (!ranIn(c) && !here) continue;
    const plan = (planOf.get(c.id) ?? []).filter((p) => p.month === month);
    const publishedTypes = resultsOf.get(`${c.id} ${month}`) ?? [];
    const totals = here?.metrics ?? {};
    const previous = results.get(`${c.id} ${prior}`)?.metrics ?? {};
    const figure = goalFigure(c.goal, totals);
    const previousFigure = goalFigure(c.goal, previous);
    const cost = costBasis({
      collaboration: { ...c, compensation: { ...c.compensation, currency: c.currency } },
      payments: paymentsOf.get(c.id) ?? [],
      published: publishedTypes.flatMap((r) => r.pieces ?? []),
      revenue: [{ month, revenueMinor: totals.revenue ?? 0 }],
      now: input.asOf,
      timezone,
      month,
    }).committed;
    rows.push({
      id: c.id,
      title: c.title,
      goal: c.goal,
      status: c.status,
      currency: c.currency,
      end: c.end ?? null,
      expectedPerMonth: c.expectedPerMonth,
      contentCadence: c.contentCadence === 'once' ? 'once' : 'monthly',
      nextExpected: expectedIn(c, nextMonth(month), timezone),
      reportingDay: c.reportingDay ?? 1,
      influencer: c.influencer,
      progress: monthProgress(expectedIn(c, month, timezone), plan, publishedTypes),
      published: here?.published ?? 0,
      totals,
      previous,
      figure,
      previousFigure,
      change: change(figure, previousFigure),
      cost,
      efficiency: efficiency(c.goal, cost, totals, c.currency),
      trend: months.map((m) => goalFigure(c.goal, results.get(`${c.id} ${m}`)?.metrics ?? {})),
    });
  }
  rows.sort((a, b) => a.goal.localeCompare(b.goal) || b.figure - a.figure || a.influencer.name.localeCompare(b.influencer.name) || a.title.localeCompare(b.title));

  const goals = GOALS.map((goal) => goalSection(goal, rows.filter((r) => r.goal === goal), months)).filter((g) => g.collaborations.length > 0);

  const byId = indexBy(input.collaborations, (c) => c.id);
  const sameGoal = new Map([...groupBy(rows, (r) => r.goal)].map(([goal, list]) => [goal, list.map((r) => r.figure).sort((a, b) => b - a)]));
  const firstCandidateMonth = previousMonth(month, CANDIDATE_MONTHS - 1);
  const candidates = rows.filter((row) => {
    const c = byId.get(row.id)!;
    if (c.status !== 'active' || c.influencer.stage === 'ambassador' || c.influencer.archived) return false;
    if (c.start > windowStart) return false;
    const missed = (planOf.get(c.id) ?? []).some((p) => p.month >= firstCandidateMonth && p.month <= month && isMissed(p));
    if (missed) return false;
    const late = (paymentsOf.get(c.id) ?? []).some((p) => p.dueAt >= windowStart && p.dueAt < end && wasLate(p, input.asOf, timezone));
    if (late) return false;
    return inTopQuarter(row, sameGoal.get(row.goal) ?? []);
  });

  return {
    month,
    timezone,
    asOf: input.asOf,
    months,
    collaborations: rows,
    goals,
    candidates,
    quiet: quietRelationships(input, rows),
    punctuality: punctuality(input.payments, start, end, input.asOf, timezone),
    empty: rows.every((r) => r.published === 0 && r.progress.every((p) => p.expected === 0)) && !input.payments.some((p) => p.dueAt >= start && p.dueAt < end),
  };
}

/**
 * A month's delivered versus expected, per type: expected is the month's checklist (planned, not
 * cancelled), or the terms' expected content while it has none; delivered is what was published in
 * the month, whichever month's item it ticked off (results and deliveries count where they happened).
 */
export function monthProgress(
  expected: readonly ExpectedContent[],
  plan: ReadonlyArray<Pick<PlanRow, 'type' | 'status' | 'planned' | 'count'>>,
  published: ReadonlyArray<Pick<ResultRow, 'type' | 'published'>>,
): Progress[] {
  const hasPlan = plan.some((p) => p.planned);
  const out: Progress[] = [];
  for (const type of CONTENT_TYPES) {
    const expectedCount = hasPlan
      ? plan.filter((p) => p.type === type && p.planned && p.status !== 'cancelled').reduce((s, p) => s + p.count, 0)
      : expected.filter((e) => e.type === type).reduce((s, e) => s + e.count, 0);
    const delivered = published.filter((p) => p.type === type).reduce((s, p) => s + p.published, 0);
    if (expectedCount > 0 || delivered > 0) out.push({ type, delivered, expected: expectedCount });
  }
  return out;
}

/** A planned item missed: not published by the end of its month (still open and past due, or published in a later month). */
function isMissed(p: PlanRow): boolean {
  if (!p.planned || p.status === 'cancelled') return false;
  if (p.status === 'planned') return p.overdue;
  return p.status === 'published' && !!p.publishedMonth && p.publishedMonth > p.month;
}

function goalSection(goal: Goal, rows: CollaborationMonth[], months: readonly string[]): GoalSection {
  const totals: MetricTotals = {};
  for (const row of rows) for (const [metric, value] of Object.entries(row.totals)) totals[metric as Metric] = (totals[metric as Metric] ?? 0) + (value ?? 0);
  const engagement = engagements(totals);
  const revenue = sumByCurrency(rows.map((r) => ({ amountMinor: r.totals.revenue ?? 0, currency: r.currency }))).filter((m) => m.amountMinor !== 0);
  const cost = sumByCurrency(rows.flatMap((r) => r.cost));
  // Per currency: the collaborations whose month cost is in that currency alone (or nothing), with their results.
  const byCurrency = groupBy(
    rows.filter((r) => r.cost.length <= 1 && (r.cost.length === 0 || r.cost[0]!.currency === r.currency)),
    (r) => r.currency,
  );
  const efficiencyPerCurrency = [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => {
      const sum: MetricTotals = {};
      for (const row of list) for (const [metric, value] of Object.entries(row.totals)) sum[metric as Metric] = (sum[metric as Metric] ?? 0) + (value ?? 0);
      return efficiency(goal, sumByCurrency(list.flatMap((r) => r.cost)), sum, currency);
    });
  return {
    goal,
    collaborations: rows,
    totals,
    engagement,
    engagementRate: ratio(engagement, totals.reach ?? 0),
    revenue,
    cost,
    efficiency: efficiencyPerCurrency,
    top: rows.filter((r) => r.figure > 0).slice(0, TOP_PER_GOAL),
    trend: months.map((_, i) => rows.reduce((s, r) => s + (r.trend[i] ?? 0), 0)),
  };
}

/**
 * In the top quarter of its goal on the goal figure, with a figure at all. Ties count against the cut:
 * a collaboration is in when even the last of its tied places is within the quarter, so a month where
 * everyone scored the same names nobody.
 */
function inTopQuarter(row: CollaborationMonth, sameGoal: readonly number[]): boolean {
  if (row.figure <= 0) return false;
  return atLeast(sameGoal, row.figure) <= Math.ceil(sameGoal.length / 4);
}

/** How many of `figures` (highest first) are at least `figure`: a binary search, not a pass per row. */
function atLeast(figures: readonly number[], figure: number): number {
  let low = 0;
  let high = figures.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (figures[middle]! >= figure) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Late as a payment was at `asOf`: paid after its due day, or still unpaid past it. */
function wasLate(p: PaymentRow, asOf: Date, timezone: string): boolean {
  if (p.status === 'cancelled') return false;
  const paidBy = p.status === 'paid' && p.paidAt && p.paidAt <= asOf ? p.paidAt : undefined;
  if (paidBy) return isLate({ status: 'scheduled', dueAt: p.dueAt }, paidBy, timezone);
  return isLate({ status: 'scheduled', dueAt: p.dueAt }, asOf, timezone);
}

function punctuality(payments: readonly PaymentRow[], start: Date, end: Date, asOf: Date, timezone: string): Punctuality {
  const due = payments.filter((p) => p.status !== 'cancelled' && p.dueAt >= start && p.dueAt < end);
  // Only those whose moment of truth has come count: paid, or unpaid past the due day.
  const settled = due.filter((p) => (p.status === 'paid' && p.paidAt && p.paidAt <= asOf) || wasLate(p, asOf, timezone));
  const late = settled.filter((p) => wasLate(p, asOf, timezone));
  const overdue = payments.filter((p) => p.status !== 'cancelled' && !(p.status === 'paid' && p.paidAt && p.paidAt <= asOf) && wasLate(p, asOf, timezone));
  return {
    due: due.length,
    onTime: settled.length - late.length,
    late: late.length,
    rate: ratio(settled.length - late.length, settled.length),
    overdue: sumByCurrency(overdue.map((p) => ({ amountMinor: p.amountMinor, currency: p.currency }))),
    overdueCount: overdue.length,
  };
}

/**
 * Creators in a collaboration this month who are past the maximum interval of their cadence (their
 * own, else the workspace's for their stage, else the default) at the "as of" day: the same rule as
 * the team's daily digest. Counted from the last touchpoint, or from when they were added.
 */
function quietRelationships(input: ReportInput, rows: readonly CollaborationMonth[]): QuietRelationship[] {
  const today = localDay(input.asOf, input.timezone);
  const seen = new Map<string, QuietRelationship>();
  for (const row of rows) {
    const who = row.influencer;
    if (who.archived || seen.has(who.id)) continue;
    const cadence = cadenceFor(who.stage, input.cadences, who.cadence);
    if (!cadence) continue;
    if (who.lastContactAt && who.lastContactAt > input.asOf) continue; // contacted after the month: not quiet then
    const since = who.lastContactAt ?? who.createdAt;
    if (!since) continue;
    const status = cadenceStatus(cadence, localDay(since, input.timezone), today);
    if (status.state !== 'past-max') continue;
    seen.set(who.id, { influencerId: who.id, name: who.name, ...(who.lastContactAt ? { lastContactAt: who.lastContactAt } : {}), days: status.daysSince, max: cadence.max });
  }
  return [...seen.values()].sort((a, b) => b.days - a.days || a.name.localeCompare(b.name));
}

/** One entry per collaboration and month: the types' counts and metrics added up. */
function mergeByMonth(rows: readonly ResultRow[]): Map<string, { published: number; metrics: MetricTotals }> {
  const merged = new Map<string, { published: number; metrics: MetricTotals }>();
  for (const row of rows) {
    const key = `${row.collaborationId} ${row.month}`;
    const entry = merged.get(key) ?? { published: 0, metrics: {} };
    entry.published += row.published;
    for (const [metric, value] of Object.entries(row.metrics)) entry.metrics[metric as Metric] = (entry.metrics[metric as Metric] ?? 0) + (value ?? 0);
    merged.set(key, entry);
  }
  return merged;
}

function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}


