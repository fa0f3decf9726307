import type { Goal, PaymentSchedule } from '../../core/vocabulary';
import { localDay, localMonth, type MonthKey } from '../../core/calendar';
import { onlyIn, sumByCurrency, type Money } from '../money';
import { engagements, type MetricTotals } from '../metrics/metrics-rules';
import { commissionDue, commissionSlotOf, isCommissionKey, planPayments } from '../payment/payment-rules';

/**
 * Pure rules for what a collaboration costs (the one cost basis) and how efficient it was. No I/O and no clock: every
 * "now" and timezone comes in as an argument.
 */

// ---------------------------------------------------------------------------------------------
// Efficiency by goal. A zero denominator (or costs that cannot be compared) is null: not available.

/** What an efficiency figure measures: one per goal. */
export type EfficiencyKind = 'cost-per-thousand-impressions' | 'cost-per-engagement' | 'return';

export interface Efficiency {
  goal: Goal;
  kind: EfficiencyKind;
  /** Minor units of `currency` for cost per thousand impressions and cost per engagement; a ratio (revenue / cost) for return. */
  value: number | null;
  currency: string;
}

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
      return { goal, kind: 'cost-per-thousand-impressions', value, currency };
    }
    case 'image': {
      const count = engagements(totals);
      const value = spent === null || count === 0 ? null : spent / count;
      return { goal, kind: 'cost-per-engagement', value, currency };
    }
    case 'sales': {
      const value = spent === null || spent === 0 ? null : (totals.revenue ?? 0) / spent;
      return { goal, kind: 'return', value, currency };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The cost basis.

/**
 * The one cost basis of a collaboration: what it has committed and what was paid, per currency,
 * never summed across currencies. Every place that shows a cost (collab show, the monthly report
 * and digest) reads it from here.
 *
 * Committed is, without counting anything twice:
 * - each payment the fee terms have called for by now (the same planner as the payment schedule:
 *   `once` on the start day, `monthly` on each reporting day, `per-deliverable` on each published
 *   piece): its payment's amount when it exists (as edited; nothing when cancelled), else the terms' fee;
 * - commission, per month of publication: that month's commission payments not cancelled (as
 *   planned from its revenue, hand corrections and what was paid included), or for a month not
 *   planned yet the terms' percentage of its revenue recorded;
 * - every other payment not cancelled (added by hand: a bonus, shipping), in its own currency;
 * - a payment planned ahead of its day and already paid.
 * Paid is every payment marked paid (by now).
 *
 * With `month`, the same rules for that month alone: the fee payments whose day falls in it, the
 * commission on the revenue of the pieces published in it, other payments due in it, and what was
 * paid in it.
 */
export interface CostCollaboration {
  id: string;
  start: Date;
  end?: Date | null;
  status?: string | null;
  closedAt?: Date | null;
  reportingDay?: number | null;
  compensation: {
    feeMinor?: number | null;
    currency?: string | null;
    schedule?: PaymentSchedule | null;
    netDays?: number | null;
    commissionPct?: number | null;
    productOnly?: boolean | null;
  };
}

export interface CostPayment {
  scheduleKey: string;
  status: string;
  amountMinor: number;
  currency: string;
  dueAt: Date;
  paidAt?: Date | null;
}

export interface CostBasis {
  committed: Money[];
  paid: Money[];
}

export interface CostBasisInput {
  collaboration: CostCollaboration;
  payments: readonly CostPayment[];
  /** Published pieces (for per-deliverable fees). */
  published: ReadonlyArray<{ id: string; publishedAt: Date }>;
  /** Revenue recorded, by month of publication (workspace timezone). */
  revenue: ReadonlyArray<{ month: MonthKey; revenueMinor: number }>;
  now: Date;
  timezone: string;
  /** One month alone; unset: everything up to now. */
  month?: MonthKey;
}

export function costBasis(input: CostBasisInput): CostBasis {
  const { collaboration: c, payments, now, timezone: tz, month } = input;
  const currency = (c.compensation.currency ?? 'USD').toUpperCase();
  const today = localDay(now, tz);
  const byKey = new Map(payments.map((p) => [p.scheduleKey, p]));
  const counted: Money[] = [];
  const isPaid = (p: CostPayment) => p.status === 'paid' && p.paidAt != null && p.paidAt.getTime() <= now.getTime();

  // Fee payments the terms call for, from the one planner.
  const plans = planPayments({
    collaborationId: c.id,
    start: c.start,
    end: c.end ?? (c.status && c.status !== 'active' ? c.closedAt : undefined),
    reportingDay: c.reportingDay,
    compensation: { ...c.compensation, currency, schedule: c.compensation.schedule ?? undefined },
    published: input.published,
    now,
    timezone: tz,
  }).planned;
  const planKeys = new Set(plans.map((plan) => plan.scheduleKey));
  for (const plan of plans) {
    const due = month ? plan.triggerOn.slice(0, 7) === month : plan.triggerOn <= today;
    const payment = byKey.get(plan.scheduleKey);
    if (due) {
      if (!payment) counted.push({ amountMinor: plan.amountMinor, currency: plan.currency });
      else if (payment.status !== 'cancelled') counted.push(payment);
    } else if (!month && payment && isPaid(payment)) {
      counted.push(payment);
    }
  }

  // Commission, per month of publication: a month's live (not cancelled) commission payments, as
  // planning keeps them (its share plus hand corrections, what was paid); a month not planned yet,
  // its share of the revenue recorded.
  const pct = c.compensation.commissionPct ?? 0;
  const slots = new Map<MonthKey, { revenueMinor: number; live: CostPayment[] }>();
  const slot = (m: MonthKey) => slots.get(m) ?? slots.set(m, { revenueMinor: 0, live: [] }).get(m)!;
  for (const row of input.revenue) slot(row.month).revenueMinor += row.revenueMinor;
  for (const p of payments) {
    const m = isCommissionKey(p.scheduleKey) ? commissionSlotOf(p.scheduleKey) : undefined;
    if (m && p.status !== 'cancelled') slot(m).live.push(p);
  }
  for (const [m, { revenueMinor, live }] of slots) {
    if (month && m !== month) continue;
    if (live.length > 0) counted.push(...live);
    else counted.push({ amountMinor: commissionDue(revenueMinor, pct), currency });
  }

  // Everything else not cancelled: added by hand, or planned from terms that changed since.
  for (const p of payments) {
    if (planKeys.has(p.scheduleKey) || isCommissionKey(p.scheduleKey) || p.status === 'cancelled') continue;
    if (month ? localMonth(p.dueAt, tz) === month : true) counted.push(p);
  }

  const paid = payments.filter((p) => isPaid(p) && (!month || localMonth(p.paidAt!, tz) === month));
  return {
    committed: sumByCurrency(counted.map(({ amountMinor, currency: cur }) => ({ amountMinor, currency: cur }))).filter((m) => m.amountMinor !== 0),
    paid: sumByCurrency(paid.map(({ amountMinor, currency: cur }) => ({ amountMinor, currency: cur }))),
  };
}

/** Revenue recorded on published pieces, by month of publication in the workspace timezone. */
export function revenueByMonth(
  items: ReadonlyArray<{ status?: string | null; publishedAt?: Date | null; metrics?: Partial<Record<string, number>> | Map<string, number> | null }>,
  timezone: string,
): Array<{ month: MonthKey; revenueMinor: number }> {
  const months = new Map<MonthKey, number>();
  for (const item of items) {
    if (item.status !== 'published' || !item.publishedAt) continue;
    const revenue = item.metrics instanceof Map ? item.metrics.get('revenue') : item.metrics?.revenue;
    if (typeof revenue !== 'number' || revenue === 0) continue;
    const month = localMonth(item.publishedAt, timezone);
    months.set(month, (months.get(month) ?? 0) + revenue);
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, revenueMinor]) => ({ month, revenueMinor }));
}

/**
 * The goal's efficiency on committed cost, one figure per currency of that cost (never summed
 * across currencies): cost per thousand impressions and cost per engagement divide each
 * currency's cost; return divides revenue (recorded in the collaboration's currency) by the cost
 * in that currency only. Nothing committed: one figure, not available (never a cost of 0).
 */
export function efficiencies(goal: Goal, committed: readonly Money[], totals: MetricTotals, currency: string): Efficiency[] {
  const comparable = goal === 'sales' ? committed.filter((m) => m.currency === currency) : committed;
  if (comparable.length === 0) return [{ ...efficiency(goal, [], totals, currency), value: null }];
  return comparable.map((money) => efficiency(goal, [money], totals, money.currency));
}
