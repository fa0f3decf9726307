import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../../../src/core';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { resetScheduling, seedCollaboration } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const NY = 'America/New_York';

beforeAll(async () => {
  app = await buildApp(connection, { now: '2027-01-15T15:00:00Z' });
});
beforeEach(async () => {
  await resetScheduling(connection);
  app.clock.set('2027-01-15T15:00:00Z');
});

async function workspace(team = 'T-PAY', timezone = NY) {
  app.services.workspaces.forget('slack', team); // the collections were emptied; the cache does not know
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { timezone });
}

describe('PaymentService.generateSchedule', () => {
  it('GIVEN monthly terms WHEN the schedule is generated twice, after an edit, a payment and a cancellation THEN nothing is duplicated or overwritten', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, {
      start: '2027-01-01',
      end: '2027-06-30',
      reportingDay: 28,
      compensation: { feeMinor: 200_000, currency: 'EUR', schedule: 'monthly', netDays: 30 },
    });

    const first = await app.services.payments.generateSchedule(ws, collaboration, 'U0MARIA');
    expect(first.created.map((p) => [p.scheduleKey.split(':').slice(1).join(':'), localDay(p.dueAt, NY), p.amountMinor, p.currency, p.ownerId])).toEqual([
      ['monthly:2027-01', '2027-02-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-02', '2027-03-30', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-03', '2027-04-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-04', '2027-05-28', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-05', '2027-06-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-06', '2027-07-28', 200_000, 'EUR', 'U0MARIA'],
    ]);
    const [jan, feb, mar] = first.created;
    await app.services.payments.edit(ws, jan!, { amountMinor: 250_000, dueOn: '2027-03-01' }, 'U0BOSS');
    await app.services.payments.markPaid(feb!, { paidAt: app.clock() }, 'U0BOSS');
    await app.services.payments.cancel(mar!, 'Paused for March', 'U0BOSS');

    const again = await app.services.payments.generateSchedule(ws, collaboration, 'U0MARIA');
    const third = await app.services.payments.generateSchedule(ws, collaboration, 'U0MARIA');
    expect([again.created.length, again.existing, third.created.length, third.existing]).toEqual([0, 6, 0, 6]);
    const stored = await app.models.payments.find({ collaborationId: collaboration._id }).sort({ scheduleKey: 1 }).lean();
    expect(stored.map((p) => [p.status, p.amountMinor, localDay(p.dueAt, NY)])).toEqual([
      ['scheduled', 250_000, '2027-03-01'],
      ['paid', 200_000, '2027-03-30'],
      ['cancelled', 200_000, '2027-04-27'],
      ['scheduled', 200_000, '2027-05-28'],
      ['scheduled', 200_000, '2027-06-27'],
      ['scheduled', 200_000, '2027-07-28'],
    ]);
  });

  it('GIVEN per-deliverable terms WHEN more content is published and the schedule regenerated THEN only the new item gets a payment', async () => {
    const ws = await workspace();
    const { collaboration, influencer } = await seedCollaboration(app, ws, {
      start: '2027-01-01',
      compensation: { feeMinor: 50_000, currency: 'USD', schedule: 'per-deliverable', netDays: 14 },
    });
    const publish = (publishedAt: string, url: string) =>
      app.models.contents.create({
        workspaceId: collaboration.workspaceId,
        collaborationId: collaboration._id,
        influencerId: influencer._id,
        type: 'reel',
        month: publishedAt.slice(0, 7),
        status: 'published',
        url,
        publishedAt: new Date(publishedAt),
      });
    await publish('2027-01-10T17:00:00Z', 'https://instagram.com/p/one');
    expect((await app.services.payments.generateSchedule(ws, collaboration, 'tester')).created.map((p) => localDay(p.dueAt, NY))).toEqual(['2027-01-24']);
    await publish('2027-01-31T23:30:00Z', 'https://instagram.com/p/two'); // Jan 31, 18:30 in New York
    const second = await app.services.payments.generateSchedule(ws, collaboration, 'tester');
    expect([second.created.map((p) => localDay(p.dueAt, NY)), second.existing]).toEqual([['2027-02-14'], 1]);
    expect(await app.models.payments.countDocuments({ collaborationId: collaboration._id })).toBe(2);
  });

  it('GIVEN two replicas generating at once THEN the unique schedule key keeps one payment per slot', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, { start: '2027-01-10', compensation: { feeMinor: 1000, currency: 'USD', schedule: 'once' } });
    const runs = await Promise.all([
      app.services.payments.generateSchedule(ws, collaboration, 'a'),
      app.services.payments.generateSchedule(ws, collaboration, 'b'),
      app.services.payments.generateSchedule(ws, collaboration, 'c'),
    ]);
    expect(runs.map((r) => r.created.length).sort()).toEqual([0, 0, 1]);
    expect(await app.models.payments.countDocuments({ collaborationId: collaboration._id })).toBe(1);
  });
});

describe('PaymentService.list and on-time rate', () => {
  it('GIVEN payments in USD and EUR THEN totals owed are per currency and never summed', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    const add = (amountMinor: number, currency: string, dueOn: string) =>
      app.services.payments.add(ws, { collaboration, amountMinor, currency, dueOn }, 'tester');
    await add(150_000, 'USD', '2027-01-10');
    await add(80_000, 'EUR', '2027-01-12');
    await add(20_000, 'EUR', '2027-02-01');
    const paid = await add(99_900, 'USD', '2027-01-01');
    await app.services.payments.markPaid(paid, { paidAt: app.clock() }, 'U0BOSS');

    const due = await app.services.payments.list(ws, { filter: 'due', limit: 10 });
    expect([due.total, due.owed]).toEqual([
      3,
      [
        { currency: 'EUR', amountMinor: 100_000 },
        { currency: 'USD', amountMinor: 150_000 },
      ],
    ]);
    const late = await app.services.payments.list(ws, { filter: 'late', limit: 10 });
    expect([late.total, late.owed]).toEqual([2, [{ currency: 'EUR', amountMinor: 80_000 }, { currency: 'USD', amountMinor: 150_000 }]]);
    const all = await app.services.payments.list(ws, { filter: 'all', limit: 10 });
    expect([all.total, all.items[0]!.influencerName, all.items[0]!.collaborationTitle]).toEqual([4, 'Zoë Tran', 'Spring launch']);
  });

  it('GIVEN payments paid on time, late and still unpaid THEN the creator and workspace rates count them', async () => {
    const ws = await workspace();
    const zoe = await seedCollaboration(app, ws);
    const li = await seedCollaboration(app, ws, { name: 'Li Wei', title: 'Winter box' });
    const onTime = await app.services.payments.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-10' }, 't');
    await app.services.payments.markPaid(onTime, { paidAt: new Date('2027-01-11T03:00:00Z') }, 'U0BOSS'); // Jan 10, 22:00 NY
    await app.services.payments.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-12' }, 't');
    const liLate = await app.services.payments.add(ws, { collaboration: li.collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-05' }, 't');
    await app.services.payments.markPaid(liLate, { paidAt: new Date('2027-01-09T15:00:00Z') }, 'U0BOSS');

    expect(await app.services.payments.onTimeRates(ws, String(zoe.influencer._id))).toEqual({
      creator: { onTime: 1, counted: 2, rate: 0.5 },
      workspace: { onTime: 1, counted: 3, rate: 1 / 3 },
    });
    expect((await app.services.payments.onTimeRates(ws, String(li.influencer._id))).creator).toEqual({ onTime: 0, counted: 1, rate: 0 });
  });

  it("GIVEN the workspace rate was counted WHEN another replica marks a payment paid THEN the creator's rate shows it at once, the workspace's within five minutes; this replica's own writes show at once", async () => {
    const ws = await workspace();
    const zoe = await seedCollaboration(app, ws);
    const zoeId = String(zoe.influencer._id);
    const due = (dueOn: string) => app.services.payments.add(ws, { collaboration: zoe.collaboration, amountMinor: 1000, currency: 'USD', dueOn }, 't');
    const late = await due('2027-01-10');
    const otherReplica = (await buildApp(connection, { now: '2027-01-15T15:00:00Z' })).services.payments;

    expect(await app.services.payments.onTimeRates(ws, zoeId)).toEqual({ creator: { onTime: 0, counted: 1, rate: 0 }, workspace: { onTime: 0, counted: 1, rate: 0 } });
    await otherReplica.markPaid(late, { paidAt: new Date('2027-01-09T15:00:00Z') }, 'U0BOSS');
    expect(await app.services.payments.onTimeRates(ws, zoeId)).toEqual({ creator: { onTime: 1, counted: 1, rate: 1 }, workspace: { onTime: 0, counted: 1, rate: 0 } });
    app.clock.set('2027-01-15T15:05:01Z');
    expect((await app.services.payments.onTimeRates(ws, zoeId)).workspace).toEqual({ onTime: 1, counted: 1, rate: 1 });

    await due('2027-01-11'); // late and unpaid, added here
    expect((await app.services.payments.onTimeRates(ws, zoeId)).workspace).toEqual({ onTime: 1, counted: 2, rate: 0.5 });
  });

  it('GIVEN another workspace THEN its payments are not found by id', async () => {
    const a = await workspace('T-A');
    const b = await workspace('T-B');
    const { collaboration } = await seedCollaboration(app, a);
    const payment = await app.services.payments.add(a, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-10' }, 't');
    await expect(app.services.payments.get(b.id, String(payment._id))).rejects.toMatchObject({ code: 'payment.not-found', params: { typed: String(payment._id) } });
    expect((await app.services.payments.list(b, { filter: 'all', limit: 10 })).total).toBe(0);
  });

  it('GIVEN the workspace timezone changes THEN every due date stays on its local day', async () => {
    const ws = await workspace('T-MOVE', 'Europe/Paris');
    const { collaboration } = await seedCollaboration(app, ws);
    const payment = await app.services.payments.add(ws, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-20' }, 't');
    expect(await app.services.payments.rebaseTimezone(ws.id, 'Europe/Paris', 'America/Los_Angeles')).toBe(1);
    const moved = await app.services.payments.get(ws.id, String(payment._id));
    expect([localDay(moved.dueAt, 'America/Los_Angeles'), moved.dueAt.toISOString()]).toEqual(['2027-01-20', '2027-01-20T08:00:00.000Z']);
  });
});

describe('PaymentService.dueAndLate', () => {
  it('GIVEN more late payments than listed, in two currencies, some due soon, some later, paid or in another workspace THEN counts and totals cover all, items are those on an owner-ping day and then the oldest, with names', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    const add = (amountMinor: number, currency: string, dueOn: string) => app.services.payments.add(ws, { collaboration, amountMinor, currency, dueOn }, 'tester');
    // Today is 2027-01-15 in New York: 25 late (Dec 1..25), due soon on the 15th and the 18th, later on the 19th.
    for (let day = 1; day <= 25; day += 1) await add(1_000 * day, day % 5 === 0 ? 'EUR' : 'USD', `2026-12-${String(day).padStart(2, '0')}`);
    await add(7_000, 'USD', '2027-01-15');
    await add(8_000, 'EUR', '2027-01-18');
    await add(9_000, 'USD', '2027-01-19');
    await app.services.payments.markPaid(await add(5_000, 'USD', '2026-11-30'), { paidAt: app.clock() }, 'U0BOSS');
    const other = await workspace('T-OTHER');
    await app.services.payments.add(other, { collaboration: (await seedCollaboration(app, other)).collaboration, amountMinor: 1, currency: 'USD', dueOn: '2026-12-01' }, 't');

    const open = await app.services.payments.dueAndLate({ ...ws, warnBeforeDueDays: 3 }, app.clock(), 20);

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

describe('PaymentService.dueAndLate, owner-ping days', () => {
  it('GIVEN a due date left off its local midnight (a timezone change half done) THEN a ping day still finds it', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws);
    for (let day = 1; day <= 21; day += 1) {
      await app.services.payments.add(ws, { collaboration, amountMinor: 100, currency: 'USD', dueOn: `2026-12-${String(day).padStart(2, '0')}` }, 't');
    }
    // Dec 25 at noon in New York: 21 days late on Jan 15, a ping day.
    const offMidnight = await app.services.payments.add(ws, { collaboration, amountMinor: 100, currency: 'USD', dueOn: '2026-12-25' }, 't');
    await app.models.payments.updateOne({ _id: offMidnight._id }, { $set: { dueAt: new Date('2026-12-25T17:00:00Z') } });

    const open = await app.services.payments.dueAndLate({ ...ws, warnBeforeDueDays: 3 }, app.clock(), 20);
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
    const listed = await app.services.payments.list(mine, { filter: 'all', limit: 10 });
    expect(listed.items.map((p) => [p.influencerName, p.collaborationTitle])).toEqual([['unknown creator', 'unknown collaboration']]);
    const open = await app.services.payments.dueAndLate({ ...mine, warnBeforeDueDays: 3 }, app.clock(), 20);
    expect(open.late.items.map((p) => p.influencerName)).toEqual(['unknown creator']);

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
