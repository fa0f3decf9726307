import { describe, expect, it } from 'vitest';
import { engagements, metricsForGoal, metricsInGoalOrder, totalMetrics } from '../../../src/domain/metrics/metrics-rules';
import { formatMetrics } from '../../../commands/content.view';
import { METRICS } from '../../../src/core';

describe('metrics by goal', () => {
  it('GIVEN each goal THEN it is judged by its own metrics', () => {
    expect(metricsForGoal('awareness')).toEqual(['reach', 'impressions', 'views']);
    expect(metricsForGoal('image')).toEqual(['likes', 'comments', 'saves', 'shares', 'new_followers']);
    expect(metricsForGoal('sales')).toEqual(['clicks', 'redemptions', 'purchases', 'revenue']);
  });

  it('GIVEN a goal THEN forms ask its metrics first and every other metric after, once', () => {
    for (const goal of ['awareness', 'image', 'sales'] as const) {
      const order = metricsInGoalOrder(goal);
      expect(order.slice(0, metricsForGoal(goal).length)).toEqual(metricsForGoal(goal));
      expect([...order].sort()).toEqual([...METRICS].sort());
    }
  });

  it('GIVEN pieces with metrics as maps or objects THEN totals add the latest values and ignore unknown keys', () => {
    const totals = totalMetrics([
      { metrics: { reach: 100, likes: 5 } },
      { metrics: new Map([['reach', 50], ['bogus', 9]]) },
      { metrics: null },
      {},
    ]);
    expect(totals).toEqual({ reach: 150, likes: 5 });
  });

  it('GIVEN likes, comments, saves, shares and new followers THEN engagements are the first four', () => {
    expect(engagements({ likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 999 })).toBe(1000);
    expect(engagements({})).toBe(0);
  });

  it('GIVEN metrics to show THEN counts are grouped by thousands and revenue is money', () => {
    expect(formatMetrics(['reach', 'new_followers', 'revenue'], { reach: 12000, revenue: 145050 }, 'EUR')).toBe(
      'reach 12,000 · new followers 0 · revenue €1,450.50',
    );
  });
});
