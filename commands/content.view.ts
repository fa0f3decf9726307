import { formatCount, pluralType, type Metric } from '../src/core';
import { formatMoney } from '../src/domain/money';
import type { MetricTotals } from '../src/domain/metrics/metrics-rules';
import type { ExpectedContent, Progress } from '../src/domain/content/checklist-rules';

/** How content reads: metrics, a month's delivered versus expected, the content agreed per month. */

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

/** `posts 1/2 · stories 4/4`. */
export const formatProgress = (rows: readonly Progress[]): string =>
  rows.length ? rows.map((row) => `${pluralType(row.type)} ${row.delivered}/${row.expected}`).join(' · ') : 'nothing expected';

/** `2 posts, 4 stories, 1 video`. */
export const formatExpected = (expected: readonly ExpectedContent[]): string =>
  expected.length ? expected.map((e) => `${e.count} ${e.count === 1 ? e.type : pluralType(e.type)}`).join(', ') : 'none agreed';
