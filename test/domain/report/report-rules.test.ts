import { describe, expect, it } from 'vitest';
import { atLocalTime } from '../../../src/core';
import { buildMonthlyReport, goalFigure, previousMonth, type ReportCollaborationInput, type ReportInput } from '../../../src/domain/report/report-rules';

const TZ = 'America/New_York';
const at = (day: string, time = '12:00') => atLocalTime(day, time, TZ);

function collab(id: string, overrides: Partial<ReportCollaborationInput> = {}): ReportCollaborationInput {
  return {
    id,
    title: `Collab ${id}`,
    goal: 'awareness',
    status: 'active',
    currency: 'EUR',
    start: at('2026-08-01', '00:00'),
    expectedPerMonth: [{ type: 'post', count: 1 }],
    compensation: { feeMinor: 10_000, schedule: 'monthly' },
    influencer: { id: `p${id}`, name: `Creator ${id}`, stage: 'active', archived: false, lastContactAt: at('2026-11-20') },
    ...overrides,
  };
}

/** Each collaboration: a published post in each of Sep, Oct and Nov, reach `reach[i]` in November; its November fee paid on time. */
function input(collaborations: ReportCollaborationInput[], reach: number[], extra: Partial<ReportInput> = {}): ReportInput {
  return {
    month: '2026-11',
    timezone: TZ,
    asOf: at('2026-11-30', '23:59'),
    cadences: {},
    collaborations,
    results: collaborations.flatMap((c, i) => [
      { collaborationId: c.id, month: '2026-10', type: 'post' as const, published: 1, metrics: { reach: 100, likes: 1 } },
      { collaborationId: c.id, month: '2026-11', type: 'post' as const, published: 1, metrics: { reach: reach[i]!, impressions: 2 * reach[i]!, likes: 5, comments: 5 } },
    ]),
    plan: collaborations.flatMap((c) =>
      ['2026-09', '2026-10', '2026-11'].map((m) => ({ collaborationId: c.id, month: m, type: 'post' as const, status: 'published', planned: true, publishedMonth: m, overdue: true, count: 1 })),
    ),
    payments: collaborations.map((c) => ({ collaborationId: c.id, scheduleKey: `${c.id}:monthly:2026-11`, amountMinor: 10_000, currency: 'EUR', dueAt: at('2026-11-05', '00:00'), status: 'paid', paidAt: at('2026-11-05'), source: 'schedule' })),
    ...extra,
  };
}

describe('monthly report rules', () => {
  it('GIVEN each goal THEN its figure is reach, engagement (likes + comments + saves + shares) or purchases', () => {
    const totals = { reach: 900, likes: 10, comments: 5, saves: 3, shares: 2, new_followers: 50, purchases: 7, revenue: 12_000 };
    expect([goalFigure('awareness', totals), goalFigure('image', totals), goalFigure('sales', totals)]).toEqual([900, 20, 7]);
    expect([previousMonth('2026-01'), previousMonth('2026-11', 5)]).toEqual(['2025-12', '2026-06']);
  });

  it('GIVEN eight collaborations THEN the top quarter with three clean months are candidates, ranked and compared with October', () => {
    const list = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => collab(id));
    const report = buildMonthlyReport(input(list, [800, 700, 600, 500, 400, 300, 200, 100]));
    expect(report.candidates.map((c) => c.id)).toEqual(['a', 'b']);
    expect(report.goals.map((g) => ({ goal: g.goal, top: g.top.map((c) => c.id), trend: g.trend }))).toEqual([
      { goal: 'awareness', top: ['a', 'b', 'c'], trend: [0, 0, 0, 0, 800, 3600] },
    ]);
    expect(report.collaborations[0]).toMatchObject({ figure: 800, previousFigure: 100, change: 7, progress: [{ type: 'post', delivered: 1, expected: 1 }] });
    expect(report.goals[0]!.efficiency.map((e) => [e.value, e.currency])).toEqual([[(8 * 10_000 * 1000) / 7200, 'EUR']]);
    expect(report.punctuality).toEqual({ due: 8, onTime: 8, late: 0, rate: 1, overdue: [], overdueCount: 0 });
    expect(report.empty).toBe(false);
  });

  it('GIVEN every collaboration of a goal scored the same THEN nobody stands out as a candidate', () => {
    const list = ['a', 'b', 'c', 'd', 'e'].map((id) => collab(id));
    expect(buildMonthlyReport(input(list, [500, 500, 500, 500, 500])).candidates).toEqual([]);
    expect(buildMonthlyReport(input(list, [900, 500, 500, 500, 500])).candidates.map((c) => c.id)).toEqual(['a']);
  });

  it('GIVEN a top creator who started in October, missed a September post, was paid late or is an ambassador THEN none is a candidate', () => {
    const list = [
      collab('new', { start: at('2026-10-01', '00:00') }),
      collab('missed'),
      collab('late'),
      collab('already', { influencer: { id: 'pz', name: 'Amb', stage: 'ambassador', archived: false } }),
    ];
    const base = input(list, [900, 900, 900, 900]);
    const plan = base.plan.map((p) => (p.collaborationId === 'missed' && p.month === '2026-09' ? { ...p, status: 'published', publishedMonth: '2026-10' } : p));
    const payments = base.payments.map((p) => (p.collaborationId === 'late' ? { ...p, paidAt: at('2026-11-06') } : p));
    const report = buildMonthlyReport({ ...base, plan, payments });
    expect(report.candidates).toEqual([]);
    expect(report.punctuality).toMatchObject({ due: 4, onTime: 3, late: 1, rate: 0.75 });
  });

  it('GIVEN unpaid late payments in two currencies THEN overdue totals stay per currency and an unpaid one counts against the rate', () => {
    const base = input([collab('a'), collab('b', { currency: 'USD' })], [10, 10]);
    const payments = [
      { ...base.payments[0]!, status: 'scheduled', paidAt: null },
      { ...base.payments[1]!, currency: 'USD', status: 'scheduled', paidAt: null, amountMinor: 2_500 },
      { ...base.payments[1]!, currency: 'USD', status: 'scheduled', paidAt: null, amountMinor: 500, dueAt: at('2026-10-02', '00:00') },
    ];
    expect(buildMonthlyReport({ ...base, payments }).punctuality).toEqual({
      due: 2,
      onTime: 0,
      late: 2,
      rate: 0,
      overdue: [
        { amountMinor: 10_000, currency: 'EUR' },
        { amountMinor: 3_000, currency: 'USD' },
      ],
      overdueCount: 3,
    });
  });

  it('GIVEN nothing expected, nothing published and nothing due THEN the month is empty, with figures not available and nobody quiet twice', () => {
    const quiet = collab('q', { expectedPerMonth: [], compensation: {}, influencer: { id: 'pq', name: 'Quiet One', stage: 'active', archived: false, lastContactAt: at('2026-09-01') } });
    const report = buildMonthlyReport({ month: '2026-11', timezone: TZ, asOf: at('2026-11-30', '23:59'), cadences: {}, collaborations: [quiet, { ...quiet, id: 'q2' }], results: [], plan: [], payments: [] });
    expect(report.empty).toBe(true);
    expect(report.collaborations.map((c) => [c.efficiency.value, c.change])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(report.quiet).toEqual([{ influencerId: 'pq', name: 'Quiet One', lastContactAt: at('2026-09-01'), days: 90, max: 45 }]);
    expect(report.punctuality.rate).toBeNull();
  });

  it('GIVEN the terms and a hand-added payment THEN the month cost is the fee falling in it, the commission and the extra, per currency', () => {
    const pieces = [1, 2, 3].map((n) => ({ id: `piece${n}`, publishedAt: at(`2026-11-1${n}`) }));
    const c = collab('x', { compensation: { feeMinor: 5_000, schedule: 'per-deliverable', commissionPct: 10 } });
    const extra = { collaborationId: 'x', scheduleKey: 'manual:1', amountMinor: 700, currency: 'USD', dueAt: at('2026-11-12', '00:00'), status: 'scheduled', source: 'manual' };
    const rowOf = (one: ReportCollaborationInput, payments: ReportInput['payments'], published = 0, revenue = 0) =>
      buildMonthlyReport({
        ...input([one], [0]),
        results: published ? [{ collaborationId: one.id, month: '2026-11', type: 'post', published, metrics: { revenue }, pieces: pieces.slice(0, published) }] : [],
        payments,
      }).collaborations[0]?.cost;
    // Three pieces at €50 each, 10% of €200 revenue, and $7 added by hand ($7 cancelled does not count).
    expect(rowOf(c, [extra, { ...extra, scheduleKey: 'manual:2', status: 'cancelled' }], 3, 20_000)).toEqual([
      { amountMinor: 17_000, currency: 'EUR' },
      { amountMinor: 700, currency: 'USD' },
    ]);
    // The first piece's payment was edited down to €30: it counts as edited, never beside the terms' €50.
    const edited = { ...extra, scheduleKey: 'x:content:piece1', amountMinor: 3_000, currency: 'EUR', source: 'schedule', dueAt: at('2026-12-11', '00:00') };
    expect(rowOf(c, [edited], 3, 0)).toEqual([{ amountMinor: 13_000, currency: 'EUR' }]);
    expect(rowOf(collab('o', { compensation: { feeMinor: 9_000, schedule: 'once' }, start: at('2026-10-03', '00:00') }), [])).toEqual([]);
    expect(rowOf(collab('p', { compensation: { feeMinor: 9_000, productOnly: true } }), [], 2)).toEqual([]);
  });
});
