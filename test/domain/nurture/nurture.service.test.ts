import { Types } from 'mongoose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { atLocalTime, type JobWorkspace } from '../../../src/core';
import type { NurtureWorkspace } from '../../../src/domain/nurture/nurture.service';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator, publish } from '../../helpers/nurture';
import { seedCollaboration } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TZ = 'Europe/Paris';
/** Monday 23 November 2026, 09:00 in Paris. */
const NOW = '2026-11-23T08:00:00Z';

beforeAll(async () => {
  app = await buildApp(connection, { now: NOW, timezone: TZ });
});
beforeEach(async () => {
  app.clock.set(NOW);
  for (const model of Object.values(app.models)) await model.collection.deleteMany({});
});

let teams = 0;
async function workspace(): Promise<JobWorkspace & NurtureWorkspace> {
  const team = `T-NURTURE-${(teams += 1)}`;
  const info = await app.services.workspaces.ensure('slack', team);
  const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
  return { ...ws, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
}

const names = (items: Array<{ creator: { name: string } }>) => items.map((item) => item.creator.name);

describe('NurtureService.snapshot: birthdays', () => {
  it('GIVEN birthdays today, in 7 days, in 8 days and yesterday THEN today and in 7 days are listed, without the year, and the address only when personal', async () => {
    const ws = await workspace();
    await addCreator(app, ws, { name: 'Today', birthday: { month: 11, day: 23, year: 1990 }, address: '1 Rue de Rivoli, Paris', preferences: 'Size M' });
    await addCreator(app, ws, { name: 'In seven', birthday: { month: 11, day: 30 } });
    await addCreator(app, ws, { name: 'In eight', birthday: { month: 12, day: 1 } });
    await addCreator(app, ws, { name: 'Yesterday', birthday: { month: 11, day: 22 } });

    const team = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' });
    expect(team.birthdays.map((b) => [b.creator.name, b.on, b.inDays])).toEqual([
      ['Today', '2026-11-23', 0],
      ['In seven', '2026-11-30', 7],
    ]);
    expect(JSON.stringify(team)).not.toMatch(/1990|Rivoli|Size M/);

    const personal = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', personal: true });
    expect(personal.birthdays[0]!.creator).toMatchObject({ name: 'Today', address: '1 Rue de Rivoli, Paris', preferences: 'Size M' });
    expect(JSON.stringify(personal)).not.toContain('1990');
  });

  it('GIVEN 28 December THEN a 2 January birthday is in the window, across the year end', async () => {
    app.clock.set(atLocalTime('2026-12-28', '09:00', TZ));
    const ws = await workspace();
    await addCreator(app, ws, { name: 'New year', birthday: { month: 1, day: 2 } });
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' });
    expect(snapshot.birthdays.map((b) => [b.creator.name, b.on, b.inDays])).toEqual([['New year', '2027-01-02', 5]]);
  });

  it('GIVEN 29 February in 2027 THEN celebrated on 28 February', async () => {
    app.clock.set(atLocalTime('2027-02-27', '09:00', TZ));
    const ws = await workspace();
    await addCreator(app, ws, { name: 'Leap', birthday: { month: 2, day: 29, year: 2000 } });
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' });
    expect(snapshot.birthdays.map((b) => [b.creator.name, b.on, b.inDays])).toEqual([['Leap', '2027-02-28', 1]]);
  });
});

describe('NurtureService.snapshot: cadences', () => {
  it('GIVEN active creators contacted 21, 22 and 46 days ago THEN nudges list 22 and 46, the digest only 46; paused never', async () => {
    const ws = await workspace();
    await addCreator(app, ws, { name: 'On time', contactedDaysAgo: 21 });
    await addCreator(app, ws, { name: 'Past ideal', contactedDaysAgo: 22 });
    await addCreator(app, ws, { name: 'Past max', contactedDaysAgo: 46 });
    await addCreator(app, ws, { name: 'Paused', stage: 'paused', contactedDaysAgo: 300 });
    await addCreator(app, ws, { name: 'Prospect', stage: 'prospect', contactedDaysAgo: 300 });

    const nudges = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal' });
    expect(nudges.cadence.map((c) => [c.creator.name, c.status.daysSince, c.status.state])).toEqual([
      ['Past max', 46, 'past-max'],
      ['Past ideal', 22, 'past-ideal'],
    ]);
    const digest = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' });
    expect(names(digest.cadence)).toEqual(['Past max']);
  });

  it('GIVEN a creator never contacted THEN the clock runs from when they were added', async () => {
    const ws = await workspace();
    await addCreator(app, ws, { name: 'New', stage: 'negotiating', addedDaysAgo: 5 });
    await addCreator(app, ws, { name: 'Older', stage: 'negotiating', addedDaysAgo: 6 });
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal' });
    expect(snapshot.cadence.map((c) => [c.creator.name, c.contacted, c.status.daysPastIdeal])).toEqual([['Older', false, 1]]);
  });

  it('GIVEN a touchpoint logged today THEN the relationship leaves the list', async () => {
    const ws = await workspace();
    const creator = await addCreator(app, ws, { name: 'Quiet', contactedDaysAgo: 60 });
    expect(names((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).cadence)).toEqual(['Quiet']);
    await app.services.influencers.logTouchpoint(creator, { kind: 'engagement', summary: 'Liked the reel' }, 'U0MARIA');
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal' })).cadence).toEqual([]);
  });

  it("GIVEN the workspace's cadence for active and a creator's own THEN each applies; a paused creator's own does not", async () => {
    const base = await workspace();
    const settings = await app.services.workspaces.updateSettings(base.id, { cadences: { active: { ideal: 30, max: 60 }, prospect: { ideal: 3, max: 5 } } });
    const ws = { ...base, cadences: settings.settings.cadences };
    expect(ws.cadences).toEqual({ active: { ideal: 30, max: 60 }, prospect: { ideal: 3, max: 5 } });
    await addCreator(app, ws, { name: 'Active 25', contactedDaysAgo: 25 });
    await addCreator(app, ws, { name: 'Active 31', contactedDaysAgo: 31 });
    await addCreator(app, ws, { name: 'Prospect 4', stage: 'prospect', contactedDaysAgo: 4 });
    const own = await addCreator(app, ws, { name: 'Own 8', contactedDaysAgo: 8 });
    await app.services.influencers.edit(own, { cadence: { ideal: 7, max: 14 } }, 'U0MARIA');
    const paused = await addCreator(app, ws, { name: 'Paused own', stage: 'paused', contactedDaysAgo: 8 });
    await app.services.influencers.edit(paused, { cadence: { ideal: 7, max: 14 } }, 'U0MARIA');

    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal' });
    expect(snapshot.cadence.map((c) => [c.creator.name, c.cadence])).toEqual([
      ['Active 31', { ideal: 30, max: 60 }],
      ['Own 8', { ideal: 7, max: 14 }],
      ['Prospect 4', { ideal: 3, max: 5 }],
    ]);
  });
});

describe('NurtureService: follow-ups, snoozes and done', () => {
  it('GIVEN follow-ups due yesterday, today and tomorrow THEN two are due; snooze hides one until its day; done clears the other', async () => {
    const ws = await workspace();
    const creator = await addCreator(app, ws, { name: 'Zoë Tran', contactedDaysAgo: 1 });
    const late = await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-22', note: 'Send the contract' }, 'U0LI');
    await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-23', note: 'Ask for the draft' }, 'U0MARIA');
    await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-24', note: 'Not yet' }, 'U0MARIA');

    const due = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' });
    expect(due.followUps.map((f) => [f.note, f.ownerId, f.dueDay, f.creator.name])).toEqual([
      ['Send the contract', 'U0LI', '2026-11-22', 'Zoë Tran'],
      ['Ask for the draft', 'U0MARIA', '2026-11-23', 'Zoë Tran'],
    ]);

    const [first, second] = due.followUps;
    expect(await app.services.nurture.snooze(ws, first!.key, '2026-11-30', 'U0LI')).toEqual({ ok: true, ref: { kind: 'follow-up', id: String(late._id) }, until: '2026-11-30' });
    expect(await app.services.nurture.done(ws, second!.key, 'U0MARIA')).toMatchObject({ ok: true });
    expect(await app.services.nurture.done(ws, second!.key, 'U0MARIA')).toEqual({ ok: false, error: 'already-done', kind: 'follow-up' });

    app.clock.set(atLocalTime('2026-11-29', '09:00', TZ));
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).followUps.map((f) => f.note)).toEqual(['Not yet']);
    app.clock.set(atLocalTime('2026-11-30', '09:00', TZ));
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).followUps.map((f) => f.note)).toEqual(['Send the contract', 'Not yet']);
  });

  it("GIVEN a birthday marked done THEN hidden this year and listed again next year; another workspace's item or a made-up key is refused", async () => {
    const ws = await workspace();
    const other = await workspace();
    const creator = await addCreator(app, ws, { name: 'Bday', birthday: { month: 11, day: 25 } });
    const [item] = (await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).birthdays;
    expect(item!.key).toBe(`birthday:${String(creator._id)}:2026-11-25`);

    expect(await app.services.nurture.done(other, item!.key, 'U0X')).toEqual({ ok: false, error: 'not-found' });
    expect(await app.services.nurture.snooze(ws, '{"$gt":""}', '2026-12-01', 'U0X')).toEqual({ ok: false, error: 'unknown-item' });
    expect(await app.models.snoozes.countDocuments()).toBe(0);

    expect(await app.services.nurture.done(ws, item!.key, 'U0MARIA')).toMatchObject({ ok: true });
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).birthdays).toEqual([]);
    app.clock.set(atLocalTime('2027-11-20', '09:00', TZ));
    expect(names((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max' })).birthdays)).toEqual(['Bday']);
  });

  it('GIVEN items that changed since their message was posted THEN snooze and done say why they are no longer due, and write nothing', async () => {
    const ws = await workspace();
    const zoe = await addCreator(app, ws, { name: 'Zoë Tran', contactedDaysAgo: 40, birthday: { month: 11, day: 25 } });
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal' });
    const reminder = snapshot.cadence.find((c) => c.creator.name === 'Zoë Tran')!.key;
    const birthday = snapshot.birthdays[0]!.key;
    // A newer touchpoint, then a changed birthday.
    await app.services.influencers.logTouchpoint(zoe, { kind: 'call', summary: 'Caught up', at: app.clock() }, 'U0MARIA');
    await app.models.influencers.updateOne({ _id: zoe._id }, { $set: { 'birthday.day': 28 } });
    expect(await app.services.nurture.snooze(ws, reminder, '2026-11-30', 'U0MARIA')).toEqual({ ok: false, error: 'not-due', why: 'new-interval', creator: 'Zoë Tran', day: '2026-11-23' });
    expect(await app.services.nurture.done(ws, birthday, 'U0MARIA')).toEqual({ ok: false, error: 'not-due', why: 'birthday-changed', creator: 'Zoë Tran', day: '2026-11-28' });
    await app.models.influencers.updateOne({ _id: zoe._id }, { $set: { archivedAt: app.clock() } });
    expect(await app.services.nurture.done(ws, `birthday:${String(zoe._id)}:2026-11-28`, 'U0MARIA')).toEqual({ ok: false, error: 'not-due', why: 'archived', creator: 'Zoë Tran' });
    expect(await app.models.snoozes.countDocuments({ workspaceId: ws.id })).toBe(0);
  });

  it('GIVEN nudges turned off THEN the person is listed as off, and on again', async () => {
    const ws = await workspace();
    await app.services.nurture.setNudges(ws.id, 'U0LI', false);
    expect([...(await app.services.nurture.nudgesOff(ws.id))]).toEqual(['U0LI']);
    expect(await app.services.nurture.nudgesOn(ws.id, 'U0LI')).toBe(false);
    await app.services.nurture.setNudges(ws.id, 'U0LI', true);
    expect([...(await app.services.nurture.nudgesOff(ws.id))]).toEqual([]);
    expect(await app.services.nurture.nudgesOn(ws.id, 'U0MARIA')).toBe(true);
  });
});

describe('NurtureService.snapshot: deliverables, payments, wins and health', () => {
  it('GIVEN deliverables overdue, due in 3 days and in 4 days THEN the first two, with their owner and days', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, { title: 'Winter box', ownerId: 'U0LI' });
    await app.services.content.addPlanned(collaboration, 'reel', '2026-11-20', TZ);
    await app.services.content.addPlanned(collaboration, 'story', '2026-11-26', TZ);
    await app.services.content.addPlanned(collaboration, 'post', '2026-11-27', TZ);
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max', deliverables: true });
    expect(snapshot.deliverables.map((d) => [d.type, d.dueDay, d.inDays, d.ownerId, d.collaborationTitle, d.creator.name])).toEqual([
      ['reel', '2026-11-20', -3, 'U0LI', 'Winter box', 'Zoë Tran'],
      ['story', '2026-11-26', 3, 'U0LI', 'Winter box', 'Zoë Tran'],
    ]);
    const mine = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max', deliverables: true, ownerId: 'U0MARIA' });
    expect(mine.deliverables).toEqual([]);
    // One person's (App Home): their collaborations' items, read through them.
    const li = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max', deliverables: true, ownerId: 'U0LI' });
    expect(li.deliverables).toEqual(snapshot.deliverables);
  });

  it('GIVEN payments late and due soon in two currencies THEN counts and totals per currency', async () => {
    const ws = await workspace();
    const { collaboration } = await seedCollaboration(app, ws, {});
    const add = (amountMinor: number, currency: string, due: string) =>
      app.models.payments.create({
        workspaceId: new Types.ObjectId(ws.id),
        collaborationId: collaboration._id,
        influencerId: collaboration.influencerId,
        ownerId: 'U0MARIA',
        amountMinor,
        currency,
        dueAt: atLocalTime(due, '00:00', TZ),
        scheduleKey: `manual:${new Types.ObjectId().toHexString()}`,
        createdById: 'tester',
      });
    await add(10_000, 'EUR', '2026-11-20');
    await add(5_000, 'USD', '2026-11-21');
    await add(2_000, 'EUR', '2026-11-25');
    await add(9_999, 'EUR', '2026-12-20');
    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'max', payments: true });
    expect(snapshot.payments).toEqual({
      late: { count: 2, totals: [{ currency: 'EUR', amountMinor: 10_000 }, { currency: 'USD', amountMinor: 5_000 }] },
      dueSoon: { count: 1, totals: [{ currency: 'EUR', amountMinor: 2_000 }] },
    });
  });

  it("GIVEN items with 100, 200 and 50 engagement before THEN a recent item at 150 is a win until an engagement touchpoint is logged after it", async () => {
    const ws = await workspace();
    const { influencer, collaboration } = await seedCollaboration(app, ws, {});
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 60, likes: 100 });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 40, likes: 200 });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 30, likes: 50 });
    const win = await publish(app, ws, influencer, collaboration._id, { daysAgo: 2, likes: 150, url: 'https://instagram.com/reel/abc' });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 1, likes: 10 });

    const snapshot = await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', wins: true, health: true });
    expect(snapshot.wins.map((w) => [w.id, w.url, w.engagement, w.median, w.factor, w.publishedDay])).toEqual([
      [String(win._id), 'https://instagram.com/reel/abc', 150, 100, 1.5, '2026-11-21'],
    ]);
    // One person's (App Home): the same win for its creator's owner, none for someone else.
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', wins: true, ownerId: influencer.ownerId })).wins).toEqual(snapshot.wins);
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', wins: true, ownerId: 'U0NOBODY' })).wins).toEqual([]);
    // Health orders the relationships past their interval; a creator only in the wins has none in the snapshot.
    expect(snapshot.health.get(String(influencer._id))).toBeUndefined();
    expect((await app.services.nurture.healthOf(ws, app.clock(), [String(influencer._id)])).get(String(influencer._id))?.health).toEqual({ score: 73, reasons: [{ code: 'engagement-down', percent: 92 }] });

    await app.services.influencers.logTouchpoint(influencer, { kind: 'engagement', summary: 'Commented on the reel' }, 'U0MARIA');
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', wins: true })).wins).toEqual([]);
    expect((await app.services.nurture.snapshot(ws, app.clock(), { cadence: 'ideal', wins: true, ownerId: influencer.ownerId })).wins).toEqual([]);
  });
});
