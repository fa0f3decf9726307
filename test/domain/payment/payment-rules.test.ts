import { describe, expect, it } from 'vitest';
import { COMMISSION_DROPPED, COMMISSION_RECOMPUTED, COMMISSION_REVENUE_CLEARED, addNetDays, commissionSteps, planCommission, daysLate, daysUntilDue, dueWithin, isLate, paidOnTime, lastOwnerPing, nextOwnerPing, planPayments, reportingDate, shouldMentionOwner, type ScheduleInput } from '../../../src/domain/payment/payment-rules';
import { startOfLocalDay } from '../../../src/core';

const NY = 'America/New_York';
const due = (day: string, tz = NY) => startOfLocalDay(day, tz);
const at = (instant: string) => new Date(instant);

describe('late, days late and due soon, in the workspace timezone', () => {
  const payment = { status: 'scheduled' as const, dueAt: due('2026-11-20') };

  it('GIVEN the due day itself, late in the evening THEN it is not late yet', () => {
    const lateEvening = at('2026-11-21T04:30:00Z'); // Nov 20, 23:30 in New York
    expect([isLate(payment, lateEvening, NY), daysLate(payment, lateEvening, NY), daysUntilDue(payment, lateEvening, NY)]).toEqual([false, 0, 0]);
  });

  it('GIVEN the next local day THEN it is 1 day late, and a week later 8', () => {
    expect(daysLate(payment, at('2026-11-21T05:00:00Z'), NY)).toBe(1);
    expect(daysLate(payment, at('2026-11-28T12:00:00Z'), NY)).toBe(8);
  });

  it('GIVEN paid or cancelled THEN it is never late', () => {
    const now = at('2026-12-20T12:00:00Z');
    expect(isLate({ ...payment, status: 'paid', paidAt: now }, now, NY)).toBe(false);
    expect(isLate({ ...payment, status: 'cancelled' }, now, NY)).toBe(false);
  });

  it('GIVEN a 3-day window THEN due today through 3 days ahead are due soon, not later and not late', () => {
    const now = at('2026-11-20T14:00:00Z');
    const within = (day: string) => dueWithin({ status: 'scheduled', dueAt: due(day) }, now, NY, 3);
    expect(['2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24'].map(within)).toEqual([false, true, true, false]);
  });

  it('GIVEN the DST change between now and the due day THEN days are counted in calendar days', () => {
    expect(daysUntilDue({ dueAt: due('2027-03-16') }, at('2027-03-13T17:00:00Z'), NY)).toBe(3);
  });
});

describe('owner mentions', () => {
  it('GIVEN days late THEN the owner is pinged on day 1, 7, 14 and then weekly', () => {
    const days = Array.from({ length: 45 }, (_, i) => i).filter(shouldMentionOwner);
    expect(days).toEqual([1, 7, 14, 21, 28, 35, 42]);
  });

  it('GIVEN any day late THEN the last and next ping days agree with the ping rule', () => {
    for (let late = 0; late <= 60; late++) {
      const pings = Array.from({ length: 80 }, (_, i) => i).filter(shouldMentionOwner);
      expect(lastOwnerPing(late)).toBe(pings.filter((d) => d <= late).at(-1));
      expect(nextOwnerPing(late)).toBe(pings.find((d) => d > late));
    }
    expect([lastOwnerPing(3), nextOwnerPing(3), lastOwnerPing(15), nextOwnerPing(15)]).toEqual([1, 7, 14, 21]);
  });
});

describe('on-time rate', () => {
  it('GIVEN paid on the due day (late evening), paid a day late, unpaid and late, unpaid and not due, cancelled THEN 1 of 3', () => {
    const payments = [
      { status: 'paid' as const, dueAt: due('2026-11-10'), paidAt: at('2026-11-11T04:00:00Z') }, // Nov 10, 23:00 NY
      { status: 'paid' as const, dueAt: due('2026-11-10'), paidAt: at('2026-11-11T17:00:00Z') },
      { status: 'scheduled' as const, dueAt: due('2026-11-25') },
      { status: 'scheduled' as const, dueAt: due('2026-12-25') },
      { status: 'cancelled' as const, dueAt: due('2026-11-01') },
    ];
    expect(paidOnTime(payments[0]!, NY)).toBe(true);
    expect(paidOnTime(payments[1]!, NY)).toBe(false);
  });
});

describe('net terms and reporting days at month ends', () => {
  it.each([
    ['2027-01-31', 30, '2027-03-02'],
    ['2028-01-31', 30, '2028-03-01'],
    ['2026-12-15', 30, '2027-01-14'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2027-03-31', 0, '2027-03-31'],
    ['2026-11-30', 45, '2027-01-14'],
  ])('GIVEN %s net %i THEN due %s', (from, net, expected) => {
    expect(addNetDays(from, net)).toBe(expected);
  });

  it('GIVEN a reporting day past the month end THEN it is the last day of the month', () => {
    expect([reportingDate('2027-02', 31), reportingDate('2028-02', 30), reportingDate('2027-04', 31), reportingDate('2027-01', 15)]).toEqual([
      '2027-02-28',
      '2028-02-29',
      '2027-04-30',
      '2027-01-15',
    ]);
  });
});

describe('planPayments', () => {
  const base: ScheduleInput = {
    collaborationId: 'c1',
    start: due('2027-01-31'),
    compensation: { feeMinor: 100_000, currency: 'usd', schedule: 'once', netDays: 30 },
    published: [],
    now: at('2027-01-15T12:00:00Z'),
    timezone: NY,
  };

  it('GIVEN once THEN one payment at start + net days', () => {
    expect(planPayments(base)).toEqual({
      planned: [{ scheduleKey: 'c1:once', triggerOn: '2027-01-31', dueOn: '2027-03-02', amountMinor: 100_000, currency: 'USD', autoLabel: { kind: 'fee' } }],
      missing: [],
    });
  });

  it('GIVEN monthly with an end THEN each reporting day from start to end, net days after', () => {
    const { planned } = planPayments({
      ...base,
      start: due('2027-01-15'),
      end: due('2027-04-14'),
      reportingDay: 1,
      compensation: { ...base.compensation, schedule: 'monthly', netDays: 15 },
    });
    expect(planned.map((p) => [p.scheduleKey, p.triggerOn, p.dueOn, p.autoLabel])).toEqual([
      ['c1:monthly:2027-02', '2027-02-01', '2027-02-16', { kind: 'reporting', on: '2027-02' }],
      ['c1:monthly:2027-03', '2027-03-01', '2027-03-16', { kind: 'reporting', on: '2027-03' }],
      ['c1:monthly:2027-04', '2027-04-01', '2027-04-16', { kind: 'reporting', on: '2027-04' }],
    ]);
  });

  it('GIVEN monthly and ongoing THEN reporting days up to the horizon (3 months ahead)', () => {
    const { planned } = planPayments({ ...base, start: due('2027-01-01'), reportingDay: 28, compensation: { ...base.compensation, schedule: 'monthly' } });
    expect(planned.map((p) => [p.triggerOn, p.dueOn])).toEqual([
      ['2027-01-28', '2027-02-27'],
      ['2027-02-28', '2027-03-30'],
      ['2027-03-28', '2027-04-27'],
    ]);
  });

  it('GIVEN per-deliverable THEN one payment per published item, keyed by the item', () => {
    const { planned } = planPayments({
      ...base,
      compensation: { ...base.compensation, schedule: 'per-deliverable', netDays: 30 },
      published: [
        { id: 'k2', publishedAt: at('2027-03-01T03:00:00Z') }, // Feb 28, 22:00 in New York
        { id: 'k1', publishedAt: at('2027-01-31T18:00:00Z') },
      ],
    });
    expect(planned.map((p) => [p.scheduleKey, p.triggerOn, p.dueOn])).toEqual([
      ['c1:content:k1', '2027-01-31', '2027-03-02'],
      ['c1:content:k2', '2027-02-28', '2027-03-30'],
    ]);
  });

  it('GIVEN terms without a fee, currency or schedule THEN nothing is planned and what is missing is named', () => {
    expect(planPayments({ ...base, compensation: { netDays: 30 } })).toEqual({
      planned: [],
      missing: ['schedule', 'fee', 'currency'],
    });
    expect(planPayments({ ...base, compensation: { ...base.compensation, productOnly: true } }).missing).toEqual(['fee-product-only']);
  });

  it('GIVEN the same terms twice THEN the same keys: planning is deterministic', () => {
    const monthly = { ...base, reportingDay: 5, compensation: { ...base.compensation, schedule: 'monthly' as const } };
    expect(planPayments(monthly)).toEqual(planPayments(monthly));
  });
});

describe('commission planned as payments', () => {
  const plans = (revenueMinor: number) =>
    planCommission({ collaborationId: 'c1', reportingDay: 31, compensation: { commissionPct: 10, currency: 'eur', netDays: 10 }, revenue: [{ month: '2027-01', revenueMinor }] });
  const payment = (n: number, status: string, amountMinor: number, cancelCode?: string) => ({
    id: `p${n}`,
    scheduleKey: n === 1 ? 'c1:commission:2027-01' : `c1:commission:2027-01:${n}`,
    status,
    amountMinor,
    dueOn: '2027-03-10',
    ...(cancelCode ? { cancelCode } : {}),
  });

  it("GIVEN January's revenue THEN one payment, due the next reporting day (clamped to Feb 28) plus the net days", () => {
    expect(plans(12_345)).toEqual([
      { month: '2027-01', baseKey: 'c1:commission:2027-01', amountMinor: 1_235, currency: 'EUR', triggerOn: '2027-02-28', dueOn: '2027-03-10', autoLabel: { kind: 'commission', on: '2027-01' } },
    ]);
    expect(planCommission({ collaborationId: 'c1', compensation: { commissionPct: 0 }, revenue: [{ month: '2027-01', revenueMinor: 5 }] })).toEqual([]);
  });

  it('GIVEN the revenue went down THEN the open payment is lowered, or cancelled when what was paid covers it; a paid one never changes', () => {
    expect(commissionSteps(plans(10_000), [payment(1, 'scheduled', 2_000)])).toEqual([{ kind: 'adjust', id: 'p1', from: 2_000, to: 1_000, dueOn: '2027-03-10' }]);
    expect(commissionSteps(plans(10_000), [payment(1, 'paid', 1_500), payment(2, 'scheduled', 500)])).toEqual([{ kind: 'cancel', id: 'p2', amountMinor: 500, reason: COMMISSION_RECOMPUTED }]);
    expect(commissionSteps(plans(10_000), [payment(1, 'paid', 1_000)])).toEqual([]);
  });

  it('GIVEN the last payment cancelled by hand THEN nothing new is planned; cancelled by a recompute THEN a rise plans again', () => {
    expect(commissionSteps(plans(20_000), [payment(1, 'cancelled', 1_000, 'agreed to waive it')])).toEqual([]);
    expect(commissionSteps(plans(20_000), [payment(1, 'cancelled', 1_000, COMMISSION_RECOMPUTED)])).toMatchObject([
      { kind: 'create', scheduleKey: 'c1:commission:2027-01:2', amountMinor: 2_000 },
    ]);
  });

  it('GIVEN the month has no revenue any more THEN its open payment is cancelled as cleared (as dropped when the terms pay no commission), and revenue recorded again plans it again', () => {
    expect(commissionSteps([], [payment(1, 'scheduled', 1_000)])).toEqual([{ kind: 'cancel', id: 'p1', amountMinor: 1_000, reason: COMMISSION_REVENUE_CLEARED }]);
    expect(commissionSteps([], [payment(1, 'scheduled', 1_000)], false)).toEqual([{ kind: 'cancel', id: 'p1', amountMinor: 1_000, reason: COMMISSION_DROPPED }]);
    for (const reason of [COMMISSION_REVENUE_CLEARED, COMMISSION_DROPPED]) {
      expect(commissionSteps(plans(5_000), [payment(1, 'cancelled', 1_000, reason)])).toMatchObject([{ kind: 'create', scheduleKey: 'c1:commission:2027-01:2', amountMinor: 500 }]);
    }
  });

  it('GIVEN an amount edited by hand THEN the correction is kept and a revenue change adds or removes only its difference, also once paid; a due day set by hand stays', () => {
    const edited = { ...payment(1, 'scheduled', 900), handCorrection: -100, dueOnByHand: true, dueOn: '2027-03-31' };
    // 10% of €100.00 is €10.00, edited down to €9.00: in step.
    expect(commissionSteps(plans(10_000), [edited])).toEqual([]);
    // Revenue up by €50.00: €5.00 more, on the edited €9.00, on the day set by hand.
    expect(commissionSteps(plans(15_000), [edited])).toEqual([{ kind: 'adjust', id: 'p1', from: 900, to: 1_400, dueOn: '2027-03-31' }]);
    // Paid at €9.00, then revenue up by €50.00: a new payment of €5.00 (not €6.00).
    expect(commissionSteps(plans(15_000), [{ ...edited, status: 'paid' }])).toMatchObject([{ kind: 'create', amountMinor: 500 }]);
    // Revenue down below the correction: nothing left, cancelled as recomputed.
    expect(commissionSteps(plans(1_000), [edited])).toEqual([{ kind: 'cancel', id: 'p1', amountMinor: 900, reason: COMMISSION_RECOMPUTED }]);
  });
});
