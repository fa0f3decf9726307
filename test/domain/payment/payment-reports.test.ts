import { describe, expect, it } from 'vitest';
import { localDay } from '../../../src/core';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { freshWorkspace, seedCollaboration, useSchedulingApp } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2027-01-15T15:00:00Z');
const NY = 'America/New_York';

const workspace = (team = 'T-PAY', timezone = NY) => freshWorkspace(app, team, timezone);

describe('PaymentReports.list and on-time rate', () => {
  it('GIVEN payments in USD and EUR THEN totals owed are per currency and never summed', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    const add = (amountMinor: number, currency: string, dueOn: string) =>
      app.services.paymentStates.add(ws, { collaboration, amountMinor, currency, dueOn }, 'tester');
    await add(150_000, 'USD', '2027-01-10');
    await add(80_000, 'EUR', '2027-01-12');
    await add(20_000, 'EUR', '2027-02-01');
    const paid = await add(99_900, 'USD', '2027-01-01');
    await app.services.paymentStates.markPaid(ws, paid, { paidAt: app.clock() }, 'U0BOSS');

    const due = await app.services.paymentReports.list(ws, { filter: 'due', limit: 10 });
    expect([due.total, due.owed]).toEqual([
      3,
      [
        { currency: 'EUR', amountMinor: 100_000 },
        { currency: 'USD', amountMinor: 150_000 },
      ],
    ]);
    const late = await app.services.paymentReports.list(ws, { filter: 'late', limit: 10 });
    expect([late.total, late.owed]).toEqual([2, [{ currency: 'EUR', amountMinor: 80_000 }, { currency: 'USD', amountMinor: 150_000 }]]);
    const all = await app.services.paymentReports.list(ws, { filter: 'all', limit: 10 });
    expect([all.total, all.items[0]!.influencerName, all.items[0]!.collaborationTitle]).toEqual([4, 'Zoë Tran', 'Spring launch']);
  });

  it('GIVEN payments paid on time, late and still unpaid THEN the creator and workspace rates count them', async () => {
    const ws = await workspace();
    const zoe = await seedCollaboration(app, ws);
    const li = await seedCollaboration(app, ws, { name: 'Li Wei', title: 'Winter box' });
    const onTime = await app.services.paymentStates.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-10' }, 't');
    await app.services.paymentStates.markPaid(ws, onTime, { paidAt: new Date('2027-01-11T03:00:00Z') }, 'U0BOSS'); // Jan 10, 22:00 NY
    await app.services.paymentStates.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-12' }, 't');
    const liLate = await app.services.paymentStates.add(ws, { collaboration: li.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-05' }, 't');
    await app.services.paymentStates.markPaid(ws, liLate, { paidAt: new Date('2027-01-09T15:00:00Z') }, 'U0BOSS');

    expect(await app.services.paymentReports.onTimeRates(ws, String(zoe.influencer._id))).toEqual({
      creator: { onTime: 1, counted: 2, rate: 0.5 },
      workspace: { onTime: 1, counted: 3, rate: 1 / 3 },
    });
    expect((await app.services.paymentReports.onTimeRates(ws, String(li.influencer._id))).creator).toEqual({ onTime: 0, counted: 1, rate: 0 });
  });

  it("GIVEN the workspace rate was counted WHEN another replica marks a payment paid THEN the creator's rate shows it at once, the workspace's within five minutes; this replica's own writes show at once", async () => {
    const ws = await workspace();
    const zoe = await seedCollaboration(app, ws);
    const zoeId = String(zoe.influencer._id);
    const due = (dueOn: string) => app.services.paymentStates.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn }, 't');
    const late = await due('2027-01-10');
    const otherReplica = (await buildApp(connection, { now: '2027-01-15T15:00:00Z' })).services.paymentStates;

    expect(await app.services.paymentReports.onTimeRates(ws, zoeId)).toEqual({ creator: { onTime: 0, counted: 1, rate: 0 }, workspace: { onTime: 0, counted: 1, rate: 0 } });
    await otherReplica.markPaid(ws, late, { paidAt: new Date('2027-01-09T15:00:00Z') }, 'U0BOSS');
    expect(await app.services.paymentReports.onTimeRates(ws, zoeId)).toEqual({ creator: { onTime: 1, counted: 1, rate: 1 }, workspace: { onTime: 0, counted: 1, rate: 0 } });
    app.clock.set('2027-01-15T15:05:01Z');
    expect((await app.services.paymentReports.onTimeRates(ws, zoeId)).workspace).toEqual({ onTime: 1, counted: 1, rate: 1 });

    await due('2027-01-11'); // late and unpaid, added here
    expect((await app.services.paymentReports.onTimeRates(ws, zoeId)).workspace).toEqual({ onTime: 1, counted: 2, rate: 0.5 });
  });
});

describe('PaymentReports.dueAndLate', () => {
  it('GIVEN more late payments than listed, in two currencies, some due soon, some later, paid or in another workspace THEN counts and totals cover all, items are those on an owner-ping day and then the oldest, with names', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    const add = (amountMinor: number, currency: string, dueOn: string) => app.services.paymentStates.add(ws, { collaboration, amountMinor, currency, dueOn }, 'tester');
    // Today is 2027-01-15 in New York: 25 late (Dec 1..25), due soon on the 15th and the 18th, later on the 19th.
    for (let day = 1; day <= 25; day += 1) await add(1_000 * day, day % 5 === 0 ? 'EUR' : 'USD', `2026-12-${String(day).padStart(2, '0')}`);
    await add(7_000, 'USD', '2027-01-15');
    await add(8_000, 'EUR', '2027-01-18');
    await add(9_000, 'USD', '2027-01-19');
    await app.services.paymentStates.markPaid(ws, await add(5_000, 'USD', '2026-11-30'), { paidAt: app.clock() }, 'U0BOSS');
    const other = await workspace('T-OTHER');
    await app.services.paymentStates.add(other, { collaboration: (await seedCollaboration(app, other)).collaboration, amountMinor: 1, currency: 'USD', dueOn: '2026-12-01' }, 't');

    const open = await app.services.paymentReports.dueAndLate({ ...ws, warnBeforeDueDays: 3 }, app.clock(), 20);

    const lateDays = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(open.late.count).toBe(25);
    expect(open.late.totals).toEqual([
      { currency: 'EUR', amountMinor: 1_000 * lateDays.filter((d) => d % 5 === 0).reduce((a, b) => a + b, 0) },
      { currency: 'USD', amountMinor: 1_000 * lateDays.filter((d) => d % 5 !== 0).reduce((a, b) => a + b, 0) },
    ]);
    // Owner-ping days first (21, 28, 35 and 42 days late: due Dec 25, 18, 11, 4), then the oldest.
    const pingDay = [4, 11, 18, 25];
    const listed = [...pingDay, ...lateDays.filter((d) => !pingDay.includes(d))].slice(0, 20);
    expect(open.late.items.map((p) => [localDay(p.dueAt, NY), p.daysLate, p.influencerName, p.collaborationTitle])).toEqual(
      listed.map((d) => [`2026-12-${String(d).padStart(2, '0')}`, 46 - d, 'Zoë Tran', 'Spring launch']),
    );
    expect(open.dueSoon).toMatchObject({ count: 2, totals: [{ currency: 'EUR', amountMinor: 8_000 }, { currency: 'USD', amountMinor: 7_000 }] });
    expect(open.dueSoon.items.map((p) => localDay(p.dueAt, NY))).toEqual(['2027-01-15', '2027-01-18']);
  });
});

describe('PaymentReports.dueAndLate, owner-ping days', () => {
  it('GIVEN a due date left off its local midnight (a timezone change half done) THEN a ping day still finds it', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    for (let day = 1; day <= 21; day += 1) {
      await app.services.paymentStates.add(ws, { collaboration, amountMinor: 100, currency: 'USD', dueOn: `2026-12-${String(day).padStart(2, '0')}` }, 't');
    }
    // Dec 25 at noon in New York: 21 days late on Jan 15, a ping day.
    const offMidnight = await app.services.paymentStates.add(ws, { collaboration, amountMinor: 100, currency: 'USD', dueOn: '2026-12-25' }, 't');
    await app.models.payments.updateOne({ _id: offMidnight._id }, { $set: { dueAt: new Date('2026-12-25T17:00:00Z') } });

    const open = await app.services.paymentReports.dueAndLate({ ...ws, warnBeforeDueDays: 3 }, app.clock(), 20);
    expect(open.late.items.slice(0, 4).map((p) => [localDay(p.dueAt, NY), p.daysLate])).toEqual([
      ['2026-12-04', 42],
      ['2026-12-11', 35],
      ['2026-12-18', 28],
      ['2026-12-25', 21],
    ]);
    expect(open.late.count).toBe(22);
  });
});

describe('joins stay inside the workspace', () => {
  it("GIVEN a payment whose creator and collaboration ids point into another workspace THEN its names are not shown, and another workspace's content and payments never count on a collaboration", async () => {
    const mine = await workspace('T-MINE');
    const theirs = await workspace('T-THEIRS');
    const own = await seedCollaboration(app, mine);
    const other = await seedCollaboration(app, theirs, { name: 'Secret Creator', title: 'Secret campaign' });
    // A hand-made record (a bad import): my payment names their creator and collaboration.
    await app.models.payments.create({
      workspaceId: own.collaboration.workspaceId,
      collaborationId: other.collaboration._id,
      influencerId: other.influencer._id,
      ownerId: 'U0MARIA',
      amountMinor: 1_000,
      currency: 'USD',
      dueAt: new Date('2027-01-10T05:00:00Z'),
      scheduleKey: 'manual:imported',
      source: 'manual',
      createdById: 'import',
    });
    const listed = await app.services.paymentReports.list(mine, { filter: 'all', limit: 10 });
    expect(listed.items.map((p) => [p.influencerName, p.collaborationTitle])).toEqual([['', '']]);
    const open = await app.services.paymentReports.dueAndLate({ ...mine, warnBeforeDueDays: 3 }, app.clock(), 20);
    expect(open.late.items.map((p) => p.influencerName)).toEqual(['']);

    // Their paid payment and published content carry my collaboration's id, in their workspace.
    await app.models.payments.create({
      workspaceId: other.collaboration.workspaceId,
      collaborationId: own.collaboration._id,
      influencerId: other.influencer._id,
      ownerId: 'U0X',
      amountMinor: 999_00,
      currency: 'USD',
      dueAt: new Date('2027-01-02T05:00:00Z'),
      status: 'paid',
      paidAt: new Date('2027-01-02T15:00:00Z'),
      scheduleKey: 'manual:theirs',
      source: 'manual',
      createdById: 'import',
    });
    await app.models.contents.create({
      workspaceId: other.collaboration.workspaceId,
      collaborationId: own.collaboration._id,
      influencerId: other.influencer._id,
      type: 'post',
      month: '2027-01',
      status: 'published',
      publishedAt: new Date('2027-01-05T15:00:00Z'),
      metrics: { reach: 1_000_000 },
    });
    const { influencer, summary } = await app.services.collaborations.overview(own.collaboration, NY);
    expect([influencer.name, summary.delivered, summary.totals.reach ?? 0, summary.cost]).toEqual(['Zoë Tran', 0, 0, { committed: [{ amountMinor: 150_000, currency: 'USD' }], paid: [] }]);
  });
});
