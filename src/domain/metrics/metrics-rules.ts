import { METRICS, type Goal, type Metric } from '../../core/vocabulary';

/** Pure rules for metrics: which ones a goal is judged by, and how pieces of content add up. */

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
