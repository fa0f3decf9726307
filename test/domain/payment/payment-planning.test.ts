import { describe, expect, it } from 'vitest';
import { localDay } from '../../../src/core';
import { useTestDatabase } from '../../helpers/database';
import { freshWorkspace, seedCollaboration, useSchedulingApp } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2027-01-15T15:00:00Z');
const NY = 'America/New_York';

const workspace = (team = 'T-PAY', timezone = NY) => freshWorkspace(app, team, timezone);

describe('PaymentPlanning.generateSchedule', () => {
  it('GIVEN monthly terms WHEN the schedule is generated twice, after an edit, a payment and a cancellation THEN nothing is duplicated or overwritten', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, {
      start: '2027-01-01',
      end: '2027-06-30',
      reportingDay: 28,
      compensation: { feeMinor: 200_000, currency: 'EUR', schedule: 'monthly', netDays: 30 },
    });

    const first = await app.services.paymentPlanning.generateSchedule(ws, collaboration, 'U0MARIA');
    expect(first.created.map((p) => [p.scheduleKey.split(':').slice(1).join(':'), localDay(p.dueAt, NY), p.amountMinor, p.currency, p.ownerId])).toEqual([
      ['monthly:2027-01', '2027-02-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-02', '2027-03-30', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-03', '2027-04-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-04', '2027-05-28', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-05', '2027-06-27', 200_000, 'EUR', 'U0MARIA'],
      ['monthly:2027-06', '2027-07-28', 200_000, 'EUR', 'U0MARIA'],
    ]);
    const [jan, feb, mar] = first.created;
    await app.services.paymentStates.edit(ws, jan!, { amountMinor: 250_000, dueOn: '2027-03-01' }, 'U0BOSS');
    await app.services.paymentStates.markPaid(ws, feb!, { paidAt: app.clock() }, 'U0BOSS');
    await app.services.paymentStates.cancel(mar!, 'Paused for March', 'U0BOSS');

    const again = await app.services.paymentPlanning.generateSchedule(ws, collaboration, 'U0MARIA');
    const third = await app.services.paymentPlanning.generateSchedule(ws, collaboration, 'U0MARIA');
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
    expect((await app.services.paymentPlanning.generateSchedule(ws, collaboration, 'tester')).created.map((p) => localDay(p.dueAt, NY))).toEqual(['2027-01-24']);
    await publish('2027-01-31T23:30:00Z', 'https://instagram.com/p/two'); // Jan 31, 18:30 in New York
    const second = await app.services.paymentPlanning.generateSchedule(ws, collaboration, 'tester');
    expect([second.created.map((p) => localDay(p.dueAt, NY)), second.existing]).toEqual([['2027-02-14'], 1]);
    expect(await app.models.payments.countDocuments({ collaborationId: collaboration._id })).toBe(2);
  });

  it('GIVEN two replicas generating at once THEN the unique schedule key keeps one payment per slot', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, { start: '2027-01-10', compensation: { feeMinor: 1000, currency: 'USD', schedule: 'once' } });
    const runs = await Promise.all([
      app.services.paymentPlanning.generateSchedule(ws, collaboration, 'a'),
      app.services.paymentPlanning.generateSchedule(ws, collaboration, 'b'),
      app.services.paymentPlanning.generateSchedule(ws, collaboration, 'c'),
    ]);
    expect(runs.map((r) => r.created.length).sort()).toEqual([0, 0, 1]);
    expect(await app.models.payments.countDocuments({ collaborationId: collaboration._id })).toBe(1);
  });
});
