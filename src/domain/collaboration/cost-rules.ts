import type { Goal, PaymentSchedule } from '../../core/vocabulary';
import { localDay, monthsBegun } from '../../core/calendar';
import { formatMoney, onlyIn, type Money } from '../money';
import { engagements, type MetricTotals } from '../metrics/metrics-rules';

/**
 * Pure rules for what a collaboration costs and how efficient it was. No I/O and no clock: every
 * "now" and timezone comes in as an argument.
 */

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
