import type { Efficiency, EfficiencyKind } from '../src/domain/collaboration/cost-rules';
import { formatMoney } from '../src/domain/money';

/** Words for cost figures: how each efficiency is named and printed, and the mark of a figure not available. */

/** A figure with a zero denominator, or costs that cannot be compared across currencies. */
export const NOT_AVAILABLE = '-';

export const EFFICIENCY_LABEL: Record<EfficiencyKind, string> = {
  'cost-per-thousand-impressions': 'cost per thousand impressions',
  'cost-per-engagement': 'cost per engagement',
  return: 'return (revenue / cost)',
};

/** `€12.50` (a cost, rounded to the currency's minor unit), `1.94×` (a return), or `-`. */
export function formatEfficiency(figure: Efficiency): string {
  if (figure.value === null) return NOT_AVAILABLE;
  return figure.kind === 'return' ? `${figure.value.toFixed(2)}×` : formatMoney({ amountMinor: Math.round(figure.value), currency: figure.currency });
}
