import { describe, expect, it } from 'vitest';
import { costFromTerms, efficiency } from '../../../src/domain/collaboration/cost-rules';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('efficiency by goal', () => {
  it('GIVEN awareness THEN it is the cost per thousand impressions', () => {
    expect(efficiency('awareness', [EUR(150000)], { impressions: 120000 }, 'EUR')).toEqual({
      goal: 'awareness',
      label: 'cost per thousand impressions',
      value: 1250,
      currency: 'EUR',
      display: '€12.50',
    });
  });

  it('GIVEN image THEN it is the cost per engagement (likes + comments + saves + shares)', () => {
    const figure = efficiency('image', [USD(80000)], { likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 50 }, 'USD');
    expect(figure).toMatchObject({ label: 'cost per engagement', value: 80, display: '$0.80' });
  });

  it('GIVEN sales THEN it is the return: revenue / cost', () => {
    expect(efficiency('sales', [EUR(124000)], { revenue: 240000 }, 'EUR')).toMatchObject({
      label: 'return (revenue / cost)',
      value: 240000 / 124000,
      display: '1.94×',
    });
    expect(efficiency('sales', [EUR(100000)], {}, 'EUR').display).toBe('0.00×');
  });

  it.each([
    ['awareness', { impressions: 0 }],
    ['awareness', {}],
    ['image', { likes: 0, comments: 0, new_followers: 40 }],
    ['image', {}],
  ] as const)('GIVEN %s with a zero denominator %j THEN the figure is "-", never Infinity or NaN', (goal, totals) => {
    const figure = efficiency(goal, [EUR(150000)], totals, 'EUR');
    expect(figure.value).toBeNull();
    expect(figure.display).toBe('-');
  });

  it('GIVEN sales with no cost (product only, no commission) THEN the return is "-"', () => {
    expect(efficiency('sales', [], { revenue: 500000 }, 'EUR')).toMatchObject({ value: null, display: '-' });
    expect(efficiency('sales', [EUR(0)], { revenue: 500000 }, 'EUR')).toMatchObject({ value: null, display: '-' });
  });

  it('GIVEN no cost at all for awareness or image THEN the figure is zero, not "-"', () => {
    expect(efficiency('awareness', [], { impressions: 1000 }, 'EUR')).toMatchObject({ value: 0, display: '€0.00' });
    expect(efficiency('image', [EUR(0)], { likes: 10 }, 'EUR')).toMatchObject({ value: 0, display: '€0.00' });
  });

  it('GIVEN costs in another currency than the revenue, or in several THEN nothing is divided across currencies', () => {
    expect(efficiency('sales', [USD(100000)], { revenue: 300000 }, 'EUR').display).toBe('-');
    expect(efficiency('awareness', [EUR(100000), USD(100000)], { impressions: 1000 }, 'EUR').display).toBe('-');
    expect(efficiency('image', [USD(100000)], { likes: 10 }, 'EUR').display).toBe('-');
  });

  it('GIVEN several amounts in the same currency, and a zero in another THEN they are one cost', () => {
    expect(efficiency('awareness', [EUR(100000), EUR(50000), USD(0)], { impressions: 30000 }, 'EUR')).toMatchObject({ value: 5000, display: '€50.00' });
  });

  it('GIVEN a currency without minor units THEN figures are rounded to whole units', () => {
    expect(efficiency('awareness', [{ amountMinor: 150000, currency: 'JPY' }], { impressions: 120000 }, 'JPY').display).toBe('¥1,250');
    expect(efficiency('image', [{ amountMinor: 1000, currency: 'JPY' }], { likes: 3 }, 'JPY').display).toBe('¥333');
  });
});

describe('cost from the fee terms', () => {
  const start = new Date('2026-11-22T15:00:00Z'); // Nov 23, 00:00 in Tokyo
  const base = { start, timezone: 'Asia/Tokyo', delivered: 0, revenueMinor: 0 };

  it('GIVEN a one-off fee THEN it counts once the collaboration has started', () => {
    const terms = { feeMinor: 150000, currency: 'EUR', schedule: 'once' as const };
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-22T14:59:59Z') })).toEqual(EUR(0));
    expect(costFromTerms(terms, { ...base, now: new Date('2027-05-01T00:00:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms({ feeMinor: 150000, currency: 'EUR' }, { ...base, now: new Date('2027-05-01T00:00:00Z') })).toEqual(EUR(150000));
  });

  it('GIVEN a monthly fee THEN every month begun in the workspace timezone counts, up to the end', () => {
    const terms = { feeMinor: 150000, currency: 'EUR', schedule: 'monthly' as const };
    // Nov 30, 23:30 UTC is already Dec 1 in Tokyo: two months begun.
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-30T14:30:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-30T15:30:00Z') })).toEqual(EUR(300000));
    expect(costFromTerms(terms, { ...base, now: new Date('2027-01-05T00:00:00Z') })).toEqual(EUR(450000));
    expect(costFromTerms(terms, { ...base, end: new Date('2026-12-30T15:00:00Z'), now: new Date('2027-06-01T00:00:00Z') })).toEqual(EUR(300000));
  });

  it('GIVEN a fee per deliverable THEN it is the fee times the published pieces', () => {
    const terms = { feeMinor: 50000, currency: 'EUR', schedule: 'per-deliverable' as const };
    expect(costFromTerms(terms, { ...base, delivered: 3, now: new Date('2026-12-01T00:00:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms(terms, { ...base, delivered: 0, now: new Date('2026-12-01T00:00:00Z') })).toEqual(EUR(0));
  });

  it('GIVEN a commission THEN it is added on recorded revenue, rounded to the minor unit', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(costFromTerms({ feeMinor: 50000, currency: 'EUR', schedule: 'per-deliverable', commissionPct: 10 }, { ...base, delivered: 2, revenueMinor: 240000, now })).toEqual(
      EUR(124000),
    );
    expect(costFromTerms({ currency: 'EUR', commissionPct: 7.5, productOnly: true }, { ...base, revenueMinor: 1001, now })).toEqual(EUR(75));
  });

  it('GIVEN product only THEN no fee counts, even if one was stored', () => {
    expect(costFromTerms({ feeMinor: 9999, currency: 'USD', productOnly: true }, { ...base, now: new Date('2027-01-01T00:00:00Z') })).toEqual(USD(0));
  });
});
