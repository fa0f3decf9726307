import { describe, expect, it } from 'vitest';
import { costBasis, efficiencies, efficiency, type CostCollaboration } from '../../../src/domain/collaboration/cost-rules';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('efficiency by goal', () => {
  it('GIVEN awareness THEN it is the cost per thousand impressions', () => {
    expect(efficiency('awareness', [EUR(150000)], { impressions: 120000 }, 'EUR')).toEqual({
      goal: 'awareness',
      kind: 'cost-per-thousand-impressions',
      value: 1250,
      currency: 'EUR',
    });
  });

  it('GIVEN image THEN it is the cost per engagement (likes + comments + saves + shares)', () => {
    const figure = efficiency('image', [USD(80000)], { likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 50 }, 'USD');
    expect(figure).toEqual({ goal: 'image', kind: 'cost-per-engagement', value: 80, currency: 'USD' });
  });

  it('GIVEN sales THEN it is the return: revenue / cost', () => {
    expect(efficiency('sales', [EUR(124000)], { revenue: 240000 }, 'EUR')).toEqual({
      goal: 'sales',
      kind: 'return',
      value: 240000 / 124000,
      currency: 'EUR',
    });
    expect(efficiency('sales', [EUR(100000)], {}, 'EUR').value).toBe(0);
  });

  it.each([
    ['awareness', { impressions: 0 }],
    ['awareness', {}],
    ['image', { likes: 0, comments: 0, new_followers: 40 }],
    ['image', {}],
  ] as const)('GIVEN %s with a zero denominator %j THEN the figure is not available (null), never Infinity or NaN', (goal, totals) => {
    const figure = efficiency(goal, [EUR(150000)], totals, 'EUR');
    expect(figure.value).toBeNull();
  });

  it('GIVEN sales with no cost (product only, no commission) THEN the return is not available', () => {
    expect(efficiency('sales', [], { revenue: 500000 }, 'EUR').value).toBeNull();
    expect(efficiency('sales', [EUR(0)], { revenue: 500000 }, 'EUR').value).toBeNull();
  });

  it('GIVEN no cost at all for awareness or image THEN the figure is zero, not unavailable', () => {
    expect(efficiency('awareness', [], { impressions: 1000 }, 'EUR')).toMatchObject({ value: 0, currency: 'EUR' });
    expect(efficiency('image', [EUR(0)], { likes: 10 }, 'EUR')).toMatchObject({ value: 0, currency: 'EUR' });
  });

  it('GIVEN costs in another currency than the revenue, or in several THEN nothing is divided across currencies', () => {
    expect(efficiency('sales', [USD(100000)], { revenue: 300000 }, 'EUR').value).toBeNull();
    expect(efficiency('awareness', [EUR(100000), USD(100000)], { impressions: 1000 }, 'EUR').value).toBeNull();
    expect(efficiency('image', [USD(100000)], { likes: 10 }, 'EUR').value).toBeNull();
  });

  it('GIVEN several amounts in the same currency, and a zero in another THEN they are one cost', () => {
    expect(efficiency('awareness', [EUR(100000), EUR(50000), USD(0)], { impressions: 30000 }, 'EUR')).toMatchObject({ value: 5000, currency: 'EUR' });
  });

  it('GIVEN a currency without minor units THEN figures are in its units, unrounded (the view rounds)', () => {
    expect(efficiency('awareness', [{ amountMinor: 150000, currency: 'JPY' }], { impressions: 120000 }, 'JPY').value).toBe(1250);
    expect(efficiency('image', [{ amountMinor: 1000, currency: 'JPY' }], { likes: 3 }, 'JPY').value).toBe(1000 / 3);
  });
});

describe('the cost basis', () => {
  const start = new Date('2026-11-22T15:00:00Z'); // Nov 23, 00:00 in Tokyo
  const collab = (compensation: CostCollaboration['compensation'], more: Partial<CostCollaboration> = {}): CostCollaboration => ({ id: 'c1', start, reportingDay: 1, compensation: { currency: 'EUR', ...compensation }, ...more });
  const basis = (c: CostCollaboration, now: string, more: Partial<Parameters<typeof costBasis>[0]> = {}) =>
    costBasis({ collaboration: c, payments: [], published: [], revenue: [], now: new Date(now), timezone: 'Asia/Tokyo', ...more });

  it('GIVEN a one-off fee THEN it is committed from the start day, in the workspace timezone', () => {
    const once = collab({ feeMinor: 150000, schedule: 'once' });
    expect(basis(once, '2026-11-22T14:59:59Z')).toEqual({ committed: [], paid: [] });
    expect(basis(once, '2026-11-22T15:00:00Z')).toEqual({ committed: [EUR(150000)], paid: [] });
  });

  it('GIVEN a monthly fee THEN each reporting day called for by now counts once, up to the end', () => {
    const monthly = collab({ feeMinor: 150000, schedule: 'monthly' });
    // Nov 30, 23:30 UTC is already Dec 1 in Tokyo: the first reporting day after the start.
    expect(basis(monthly, '2026-11-30T14:30:00Z').committed).toEqual([]);
    expect(basis(monthly, '2026-11-30T15:30:00Z').committed).toEqual([EUR(150000)]);
    expect(basis(monthly, '2027-01-05T00:00:00Z').committed).toEqual([EUR(300000)]);
    expect(basis({ ...monthly, end: new Date('2026-12-30T15:00:00Z') }, '2027-06-01T00:00:00Z').committed).toEqual([EUR(150000)]);
  });

  it('GIVEN planned payments THEN each counts as edited or not at all once cancelled, and one paid ahead of its day counts', () => {
    const monthly = collab({ feeMinor: 150000, schedule: 'monthly' });
    const pay = (key: string, amountMinor: number, status: string, paidAt?: string) => ({
      scheduleKey: `c1:${key}`,
      status,
      amountMinor,
      currency: 'EUR',
      dueAt: new Date('2027-01-01T00:00:00Z'),
      ...(paidAt ? { paidAt: new Date(paidAt) } : {}),
    });
    const payments = [pay('monthly:2026-12', 120000, 'paid', '2026-12-20T00:00:00Z'), pay('monthly:2027-01', 150000, 'cancelled'), pay('monthly:2027-02', 150000, 'paid', '2027-01-03T00:00:00Z')];
    expect(basis(monthly, '2027-01-05T00:00:00Z', { payments })).toEqual({ committed: [EUR(270000)], paid: [EUR(270000)] });
    expect(basis(monthly, '2027-01-05T00:00:00Z', { payments, month: '2027-01' })).toEqual({ committed: [], paid: [EUR(150000)] });
  });

  it('GIVEN a fee per deliverable THEN it is the fee per published piece', () => {
    const perPiece = collab({ feeMinor: 50000, schedule: 'per-deliverable' });
    const published = [1, 2, 3].map((n) => ({ id: `p${n}`, publishedAt: new Date(`2026-11-2${n + 3}T00:00:00Z`) }));
    expect(basis(perPiece, '2026-12-01T00:00:00Z', { published }).committed).toEqual([EUR(150000)]);
    expect(basis(perPiece, '2026-12-01T00:00:00Z').committed).toEqual([]);
  });

  it('GIVEN a commission THEN it is on recorded revenue, per month, rounded to the minor unit, or what was paid of it when more', () => {
    const now = '2026-12-01T00:00:00Z';
    expect(basis(collab({ commissionPct: 7.5, productOnly: true }), now, { revenue: [{ month: '2026-11', revenueMinor: 1001 }] }).committed).toEqual([EUR(75)]);
    const paid = { scheduleKey: 'c1:commission:2026-11', status: 'paid', amountMinor: 200, currency: 'EUR', dueAt: new Date(now), paidAt: new Date(now) };
    expect(basis(collab({ commissionPct: 10 }), now, { revenue: [{ month: '2026-11', revenueMinor: 1000 }], payments: [paid] })).toEqual({ committed: [EUR(200)], paid: [EUR(200)] });
  });

  it('GIVEN product only THEN no fee counts, even if one was stored', () => {
    expect(basis(collab({ feeMinor: 9999, currency: 'USD', schedule: 'once', productOnly: true }), '2027-01-01T00:00:00Z').committed).toEqual([]);
  });

  it('GIVEN committed cost in two currencies THEN each has its own figure, and return only the revenue currency', () => {
    expect(efficiencies('image', [EUR(100), USD(4000)], { likes: 10 }, 'USD').map((e) => [e.value, e.currency])).toEqual([
      [10, 'EUR'],
      [400, 'USD'],
    ]);
    expect(efficiencies('sales', [EUR(100), USD(4000)], { revenue: 8000 }, 'USD').map((e) => [e.value, e.currency])).toEqual([[2, 'USD']]);
    expect(efficiencies('awareness', [], { impressions: 10 }, 'USD')).toEqual([{ goal: 'awareness', kind: 'cost-per-thousand-impressions', value: null, currency: 'USD' }]);
  });
});
