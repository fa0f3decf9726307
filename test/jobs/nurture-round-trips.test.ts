import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/core';
import { useCountedDatabase } from '../helpers/round-trips';
import dailyDigest from '../../jobs/daily-digest.job';
import nudges, { MAX_PER_SECTION, homeReply } from '../../jobs/nudges.job';
import { type JobDefinition, type JobWorkspace } from '../../src/core';
import { buildApp, silentLogger } from '../helpers/app';
import { addCreator, publish } from '../helpers/nurture';
import { seedCollaboration } from '../helpers/scheduler';

/**
 * The daily-digest and nudges jobs cost the same database round trips at N and 10 x N creators
 * (counted with driver command monitoring, one `commandStarted` per round trip, as the bench does).
 */

const TZ = 'Europe/Paris';
const { connection, counted } = useCountedDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: TZ });
});

/** `count` creators, each with a birthday this week, a quiet relationship, a follow-up due, an overdue deliverable and a win. */
async function seed(team: string, count: number): Promise<JobWorkspace> {
  const info = await app.services.workspaces.ensure('slack', team);
  const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ, channels: { digest: 'C0D', nudges: 'C0N' } });
  for (let i = 0; i < count; i += 1) {
    const owner = `U0OWNER${i % 7}`;
    const creator = await addCreator(app, ws, { name: `Creator ${i}`, ownerId: owner, birthday: { month: 11, day: 25 }, address: 'Somewhere', contactedDaysAgo: 60 });
    await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-23', note: 'Check in' }, owner);
    const { influencer, collaboration } = await seedCollaboration(app, ws, { name: `Collab creator ${i}`, ownerId: owner });
    await app.services.content.addPlanned(collaboration, 'reel', '2026-11-21', TZ);
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 30, likes: 100 });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 2, likes: 300 });
  }
  return ws;
}

async function roundTrips(job: JobDefinition, ws: JobWorkspace) {
  const now = app.clock();
  const { value: posts, commands } = await counted(async () =>
    job.run(ws, { kind: 'daily', key: '2026-11-23', startsAt: now, endsAt: now, runAt: now }, { services: app.services, now, logger: silentLogger }),
  );
  return { posts, commands: commands.sort() };
}

describe('nurture job round trips', () => {
  it('GIVEN 4 and then 40 creators with everything due WHEN the daily digest and the nudges run THEN the same round trips at both sizes', async () => {
    const small = await seed('T0RTSMALL', 4);
    const large = await seed('T0RTLARGE', 40);
    for (const job of [dailyDigest, nudges]) {
      const atSmall = await roundTrips(job, small);
      const atLarge = await roundTrips(job, large);
      expect(atSmall.posts.length).toBeGreaterThan(0);
      expect(atLarge.commands).toEqual(atSmall.commands);
      expect(atLarge.commands.length).toBeLessThanOrEqual(12);
    }
    expect((await roundTrips(dailyDigest, large)).commands).toEqual(['aggregate', 'aggregate', 'aggregate', 'find', 'find', 'find']);
  });

  it('GIVEN 10 creators with everything due WHEN the nudges run THEN the relationships come with what scores their health: 8 round trips, none of them a list of ids per relationship', async () => {
    const ws = await seed('T0RTNUDGES', 10);
    const { posts, commands } = await roundTrips(nudges, ws);
    // The team's post and one per owner (7 owners), each relationship with its health.
    expect(posts.length).toEqual(8);
    expect(JSON.stringify(posts[0]!.reply)).toContain('health ');
    // Quiet relationships with their content and payments; birthdays; follow-ups; the window's items, then their creators' earlier items and engagement; snoozes; nudge preferences.
    expect(commands).toEqual(['aggregate', 'aggregate', 'aggregate', 'find', 'find', 'find', 'find', 'find']);
  });
});

describe('nudges health joins', () => {
  /** `count` content items of this creator published 200 days back and more, and as many payments: a long history, in no list today. */
  async function history(ws: JobWorkspace, creator: { _id: Types.ObjectId }, count: number) {
    const workspaceId = new Types.ObjectId(ws.id);
    const collaborationId = new Types.ObjectId();
    const at = (daysAgo: number) => atLocalTime(`2026-${String(1 + (daysAgo % 4)).padStart(2, '0')}-1${daysAgo % 10}`, '12:00', TZ);
    await app.models.contents.insertMany(
      Array.from({ length: count }, (_, i) => ({
        workspaceId, collaborationId, influencerId: creator._id, type: 'reel', network: 'instagram', month: '2026-01', status: 'published',
        url: `https://instagram.com/reel/old${creator._id}${i}`, publishedAt: at(i), metrics: { likes: 100 + i, comments: 5, reach: 5000 },
      })),
    );
    await app.models.payments.collection.insertMany(
      Array.from({ length: count }, (_, i) => ({
        workspaceId, collaborationId, influencerId: creator._id, ownerId: 'U0OWNER', status: 'paid', amountMinor: 10000, currency: 'EUR', dueAt: at(i + 1), paidAt: at(i),
        scheduleKey: `old-${creator._id}-${i}`, source: 'manual', createdById: 'U0OWNER',
      })),
    );
  }

  it('GIVEN a creator of their own cadence contacted yesterday, one past the interval snoozed and one done, in no list WHEN each gains a history of 300 items and 300 payments THEN the nudges read the same documents and post the same', async () => {
    const info = await app.services.workspaces.ensure('slack', 'T0RTHISTORY');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ, channels: { nudges: 'C0N' } });
    await addCreator(app, ws, { name: 'Quiet one', ownerId: 'U0OWNER', contactedDaysAgo: 60 });
    const recent = await addCreator(app, ws, { name: 'Own cadence', ownerId: 'U0OWNER', contactedDaysAgo: 1 });
    await app.models.influencers.collection.updateOne({ _id: recent._id }, { $set: { cadence: { ideal: 5, max: 10 } } });
    await app.services.influencers.syncReachOutOf(ws.id, [recent._id]);
    const snoozed = await addCreator(app, ws, { name: 'Snoozed one', ownerId: 'U0OWNER', contactedDaysAgo: 50 });
    const done = await addCreator(app, ws, { name: 'Done one', ownerId: 'U0OWNER', contactedDaysAgo: 40 });
    const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
    const keyOf = async (name: string) => (await app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { cadence: 'ideal' })).cadence.find((c) => c.creator.name === name)!.key;
    expect(await app.services.nurture.snooze(ws, await keyOf('Snoozed one'), '2026-11-30', 'U0OWNER')).toMatchObject({ ok: true });
    expect(await app.services.nurture.done(ws, await keyOf('Done one'), 'U0OWNER')).toMatchObject({ ok: true });
    const run = () => counted(async () => nudges.run(ws, { kind: 'daily', key: '2026-11-23', startsAt: app.clock(), endsAt: app.clock(), runAt: app.clock() }, { services: app.services, now: app.clock(), logger: silentLogger }));
    const before = await run();
    for (const creator of [recent, snoozed, done]) await history(ws, creator, 300);
    const after = await run();
    expect(JSON.stringify(before.value)).toContain('Quiet one');
    for (const name of ['Own cadence', 'Snoozed one', 'Done one']) expect(JSON.stringify(before.value)).not.toContain(name);
    expect(after.value).toEqual(before.value);
    // Joined documents count one each (bench/round-trips documentsIn): none of the 1,800 reach the app.
    expect(after.documents).toEqual(before.documents);
  });

  it('GIVEN creators of their own cadence 5/10 contacted 5, 6 and 11 days ago (that one snoozed until today), with items and payments lacking some fields WHEN the team reads the relationships past the ideal and past the max interval with health THEN those past it are scored as healthOf scores them', async () => {
    const info = await app.services.workspaces.ensure('slack', 'T0RTOWNPAST');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
    const wsId = new Types.ObjectId(ws.id);
    const collaborationId = new Types.ObjectId();
    const at = (day: string) => atLocalTime(day, '12:00', TZ);
    const creators = [];
    for (const days of [5, 6, 11]) {
      const creator = await addCreator(app, ws, { name: `Own ${days}`, ownerId: 'U0OWNER', contactedDaysAgo: days });
      await app.models.influencers.collection.updateOne({ _id: creator._id }, { $set: { cadence: { ideal: 5, max: 10 } } });
      await app.services.influencers.syncReachOutOf(ws.id, [creator._id]);
      const item = { workspaceId: wsId, collaborationId, influencerId: creator._id, type: 'reel', network: 'instagram', month: '2026-11' };
      await app.models.contents.collection.insertMany([
        // Planned and overdue: no publishedAt, no metrics; published without being planned: no dueAt.
        { ...item, status: 'planned', planned: true, dueAt: at('2026-11-20') },
        { ...item, status: 'published', planned: false, publishedAt: at('2026-10-01'), metrics: { likes: 100 } },
        { ...item, status: 'published', planned: false, publishedAt: at('2026-11-20'), metrics: { likes: 20 } },
      ]);
      // Unpaid past its due day: no paidAt.
      await app.models.payments.collection.insertOne({ workspaceId: wsId, collaborationId, influencerId: creator._id, ownerId: 'U0OWNER', status: 'scheduled', amountMinor: 100, currency: 'EUR', dueAt: at('2026-11-10'), scheduleKey: `own-${days}`, source: 'manual', createdById: 'U0OWNER' });
      creators.push(String(creator._id));
    }
    const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
    // Own 11 was snoozed until today: shown again, and scored.
    const key = (await app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { cadence: 'ideal' })).cadence.find((c) => c.creator.name === 'Own 11')!.key;
    expect(await app.services.nurture.snooze(ws, key, '2026-11-23', 'U0OWNER')).toMatchObject({ ok: true });
    const listed = await app.services.nurture.healthOf(nurtureWorkspace, app.clock(), creators);
    for (const [cadence, shown] of [['ideal', ['Own 11', 'Own 6']], ['max', ['Own 11']]] as const) {
      const team = await app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { cadence, health: true });
      expect(team.cadence.map((c) => c.creator.name)).toEqual(shown);
      const ids = team.cadence.map((c) => c.creator.id);
      expect(Object.fromEntries(ids.map((id) => [id, team.health.get(id)]))).toEqual(Object.fromEntries(ids.map((id) => [id, listed.get(id)?.health])));
    }
    expect(listed.get(creators[1]!)?.health.reasons.map((r) => r.code)).toEqual(['deliverables-overdue', 'payments-overdue', 'engagement-down', 'past-ideal']);
  });
});

describe('App Home reads', () => {
  /** One owner with `count` overdue deliverables (one collaboration), and another owner's one. */
  async function seedDeliverables(team: string, count: number): Promise<JobWorkspace> {
    const info = await app.services.workspaces.ensure('slack', team);
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
    const { collaboration } = await seedCollaboration(app, ws, { name: `${team} creator`, title: 'Winter box', ownerId: 'U0HOME' });
    for (let i = 0; i < count; i += 1) await app.services.content.addPlanned(collaboration, i % 2 ? 'story' : 'reel', `2026-11-2${i % 2}`, TZ);
    const other = await seedCollaboration(app, ws, { name: `${team} other`, title: 'Other box', ownerId: 'U0OTHER' });
    await app.services.content.addPlanned(other.collaboration, 'post', '2026-11-20', TZ);
    return ws;
  }

  async function home(ws: JobWorkspace) {
    const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
    const { value, commands, documents } = await counted(() =>
      app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { ownerId: 'U0HOME', cadence: 'ideal', deliverables: true, deliverablesPage: MAX_PER_SECTION }),
    );
    const reply = homeReply(value, 'U0HOME', ws.settings.warnBeforeDueDays);
    return { value, commands: commands.sort(), documents, reply };
  }

  it("GIVEN an owner with 12 and then 120 overdue deliverables WHEN their App Home is read THEN the first 8 by due day, the full count, and the same round trips and documents read at both sizes", async () => {
    const small = await home(await seedDeliverables('T0HOMESMALL', 12));
    const large = await home(await seedDeliverables('T0HOMELARGE', 120));
    expect(small.value.deliverables.map((d) => [d.type, d.dueDay, d.inDays, d.collaborationTitle])).toEqual([
      ...Array.from({ length: 6 }, () => ['reel', '2026-11-20', -3, 'Winter box']),
      ['story', '2026-11-21', -2, 'Winter box'],
      ['story', '2026-11-21', -2, 'Winter box'],
    ]);
    expect([small.value.deliverableCount, large.value.deliverableCount]).toEqual([12, 120]);
    expect(JSON.stringify(large.reply)).toContain('*Deliverables due within 3 days or overdue* (120)');
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);
  });

  it('GIVEN an owner with 12 and then 120 relationships past the ideal interval WHEN their App Home is read THEN the 8 most days past with their health, the full count, and the same round trips and documents read at both sizes', async () => {
    const read = async (team: string, count: number) => {
      const info = await app.services.workspaces.ensure('slack', team);
      const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
      for (let i = 0; i < count; i += 1) await addCreator(app, ws, { name: `Quiet ${String(i).padStart(3, '0')}`, ownerId: 'U0HOME', contactedDaysAgo: 22 + (i % 30) });
      await addCreator(app, ws, { name: 'Someone else', ownerId: 'U0OTHER', contactedDaysAgo: 60 });
      const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
      const { value, commands, documents } = await counted(() =>
        app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { ownerId: 'U0HOME', cadence: 'ideal', cadencePage: MAX_PER_SECTION, health: true }),
      );
      return { value, commands: commands.sort(), documents };
    };
    const small = await read('T0CADSMALL', 12);
    const large = await read('T0CADLARGE', 120);
    expect([small.value.cadenceCount, large.value.cadenceCount]).toEqual([12, 120]);
    // 22 + 29 days ago: 30 days past the ideal of 21 (Quiet 029, 059, 089, 119), then 29 (028, ...); health 43 and 44 past the maximum of 45.
    expect(large.value.cadence.map((c) => [c.creator.name, c.status.daysPastIdeal, large.value.health.get(c.creator.id)?.score])).toEqual([
      ['Quiet 029', 30, 43],
      ['Quiet 059', 30, 43],
      ['Quiet 089', 30, 43],
      ['Quiet 119', 30, 43],
      ['Quiet 028', 29, 44],
      ['Quiet 058', 29, 44],
      ['Quiet 088', 29, 44],
      ['Quiet 118', 29, 44],
    ]);
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);
  });

  it('GIVEN 12 and then 120 overdue deliverables WHEN the daily digest runs THEN it lists the first 8 by due day, counts them all, and reads the same documents in the same round trips at both sizes', async () => {
    const digest = async (ws: JobWorkspace) => {
      const now = app.clock();
      const { value, commands, documents } = await counted(async () =>
        dailyDigest.run(ws, { kind: 'daily', key: '2026-11-23', startsAt: now, endsAt: now, runAt: now }, { services: app.services, now, logger: silentLogger }),
      );
      const text = JSON.stringify(value);
      return { commands: commands.sort(), documents, counts: [...text.matchAll(/\*Deliverables due within 3 days or overdue\* \((\d+)\)|And (\d+) more/g)].map((m) => m[1] ?? m[2]), items: text.match(/📦/g)?.length };
    };
    const small = await digest(await seedDeliverables('T0DIGESTSMALL', 12));
    const large = await digest(await seedDeliverables('T0DIGESTLARGE', 120));
    // The other owner's item (20 Nov) is among the first 8 too: 6 reels of 20 Nov and the other's post, then a story of 21 Nov.
    expect([small.counts, small.items]).toEqual([['13', '5'], 8]);
    expect([large.counts, large.items]).toEqual([['121', '113'], 8]);
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);
  });

  it("GIVEN an owner's 12 and then 120 creators with 12 items each before the window and 3 of them a win in it WHEN their App Home's wins are read THEN the 3 wins, and the same round trips and documents read at both sizes", async () => {
    const read = async (team: string, count: number) => {
      const info = await app.services.workspaces.ensure('slack', team);
      const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
      const wsId = new Types.ObjectId(ws.id);
      const creators = [];
      for (let i = 0; i < count; i += 1) creators.push(await addCreator(app, ws, { name: `Long ${String(i).padStart(3, '0')}`, ownerId: 'U0HOME', contactedDaysAgo: 1 }));
      const item = (influencerId: Types.ObjectId, daysAgo: number, likes: number) => ({
        workspaceId: wsId, collaborationId: new Types.ObjectId(), influencerId, ownerId: 'U0COLLAB', creatorOwnerId: 'U0HOME', type: 'post', month: '2026-10',
        status: 'published', publishedAt: atLocalTime(`2026-10-${String(daysAgo).padStart(2, '0')}`, '12:00', TZ), metrics: { likes },
      });
      // A long history (every creator: 12 items in October), and a win this week for three of them.
      await app.models.contents.insertMany(creators.flatMap((c) => Array.from({ length: 12 }, (_, k) => item(c._id, k + 1, 100))));
      await app.models.contents.insertMany(creators.slice(0, 3).map((c, k) => ({ ...item(c._id, 1, 300 + k), month: '2026-11', publishedAt: atLocalTime(`2026-11-2${k}`, '12:00', TZ) })));
      const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
      const { value, commands, documents } = await counted(() =>
        app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { ownerId: 'U0HOME', cadence: 'ideal', cadencePage: MAX_PER_SECTION, wins: true }),
      );
      return { value, commands: commands.sort(), documents };
    };
    const small = await read('T0WINSMALL', 12);
    const large = await read('T0WINLARGE', 120);
    for (const { value } of [small, large]) {
      expect(value.wins.map((w) => [w.creator.name, w.publishedDay, w.engagement, w.median, w.factor])).toEqual([
        ['Long 002', '2026-11-22', 302, 100, 3.02],
        ['Long 001', '2026-11-21', 301, 100, 3.01],
        ['Long 000', '2026-11-20', 300, 100, 3],
      ]);
    }
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);
  });

  const nurtureOf = (ws: JobWorkspace) => ({ id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays });
  const homePages = { ownerId: 'U0HOME', cadence: 'ideal', birthdaysPage: MAX_PER_SECTION, followUpsPage: MAX_PER_SECTION, personal: true } as const;

  it('GIVEN an owner with 12 and then 120 birthdays this week WHEN their App Home is read THEN the first 8 by day then name, the full count, and the same round trips and documents read at both sizes', async () => {
    const read = async (team: string, count: number) => {
      const info = await app.services.workspaces.ensure('slack', team);
      const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
      for (let i = 0; i < count; i += 1) {
        await addCreator(app, ws, { name: `Bday ${String(i).padStart(3, '0')}`, ownerId: 'U0HOME', birthday: { month: 11, day: 23 + (i % 8), year: 1990 }, address: `${i} Rue de Rivoli`, contactedDaysAgo: 1 });
      }
      await addCreator(app, ws, { name: 'Someone else', ownerId: 'U0OTHER', birthday: { month: 11, day: 23 }, contactedDaysAgo: 1 });
      const { value, commands, documents } = await counted(() => app.services.nurture.snapshot(nurtureOf(ws), app.clock(), homePages));
      return { ws, value, commands: commands.sort(), documents, reply: homeReply(value, 'U0HOME', ws.settings.warnBeforeDueDays) };
    };
    const small = await read('T0BDAYSMALL', 12);
    const large = await read('T0BDAYLARGE', 120);
    expect(small.value.birthdays.map((b) => [b.creator.name, b.on, b.creator.address])).toEqual([
      ['Bday 000', '2026-11-23', '0 Rue de Rivoli'],
      ['Bday 008', '2026-11-23', '8 Rue de Rivoli'],
      ['Bday 001', '2026-11-24', '1 Rue de Rivoli'],
      ['Bday 009', '2026-11-24', '9 Rue de Rivoli'],
      ['Bday 002', '2026-11-25', '2 Rue de Rivoli'],
      ['Bday 010', '2026-11-25', '10 Rue de Rivoli'],
      ['Bday 003', '2026-11-26', '3 Rue de Rivoli'],
      ['Bday 011', '2026-11-26', '11 Rue de Rivoli'],
    ]);
    expect(large.value.birthdays.map((b) => [b.creator.name, b.on])).toEqual(['000', '008', '016', '024', '032', '040', '048', '056'].map((n) => [`Bday ${n}`, '2026-11-23']));
    expect([small.value.birthdayCount, large.value.birthdayCount]).toEqual([12, 120]);
    expect(JSON.stringify(large.reply)).toContain('*Birthdays within 7 days* (120)');
    expect(JSON.stringify(large.reply)).toContain('And 112 more.');
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);

    // Snoozed (and done) ones are left out before the page is cut, and from the count.
    const first = large.value.birthdays[0]!;
    expect((await app.services.nurture.snooze(nurtureOf(large.ws), first.key, '2026-11-30', 'U0HOME')).ok).toBe(true);
    expect((await app.services.nurture.done(nurtureOf(large.ws), large.value.birthdays[1]!.key, 'U0HOME')).ok).toBe(true);
    const after = await app.services.nurture.snapshot(nurtureOf(large.ws), app.clock(), homePages);
    expect(after.birthdays.map((b) => b.creator.name)).toEqual(['016', '024', '032', '040', '048', '056', '064', '072'].map((n) => `Bday ${n}`));
    expect(after.birthdayCount).toEqual(118);
  });

  it('GIVEN birthdays on 31 December and 1 January WHEN an App Home is read on 28 December THEN December first, then January, cut at 8, all counted', async () => {
    const info = await app.services.workspaces.ensure('slack', 'T0BDAYYEAR');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
    for (let i = 0; i < 3; i += 1) await addCreator(app, ws, { name: `Zed ${i}`, ownerId: 'U0HOME', birthday: { month: 12, day: 31 } });
    for (let i = 0; i < 10; i += 1) await addCreator(app, ws, { name: `Amy ${i}`, ownerId: 'U0HOME', birthday: { month: 1, day: 1 } });
    app.clock.set('2026-12-28T08:00:00Z');
    try {
      const home = await app.services.nurture.snapshot(nurtureOf(ws), app.clock(), homePages);
      expect(home.birthdays.map((b) => [b.creator.name, b.on, b.inDays])).toEqual([
        ['Zed 0', '2026-12-31', 3],
        ['Zed 1', '2026-12-31', 3],
        ['Zed 2', '2026-12-31', 3],
        ...[0, 1, 2, 3, 4].map((i) => [`Amy ${i}`, '2027-01-01', 4]),
      ]);
      expect(home.birthdayCount).toEqual(13);
    } finally {
      app.clock.set('2026-11-23T08:00:00Z');
    }
  });

  it("GIVEN an owner with 12 and then 120 follow-ups due, one snoozed and an archived creator's WHEN their App Home is read THEN the first 8 by due day, the count without those, and the same round trips and documents read at both sizes", async () => {
    const read = async (team: string, count: number) => {
      const info = await app.services.workspaces.ensure('slack', team);
      const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
      const creator = await addCreator(app, ws, { name: `${team} creator`, ownerId: 'U0HOME', contactedDaysAgo: 1 });
      const archived = await addCreator(app, ws, { name: `${team} archived`, ownerId: 'U0HOME', contactedDaysAgo: 1 });
      // The archived creator's come first by due day: they must not take the page's places.
      for (let i = 0; i < 3; i += 1) await app.services.nurture.remind(ws.id, archived._id, { dueDay: '2026-11-01', note: `Archived ${i}` }, 'U0HOME');
      await app.services.influencers.archive(archived, 'U0HOME');
      for (let i = 0; i < count; i += 1) await app.services.nurture.remind(ws.id, creator._id, { dueDay: `2026-11-${String(10 + (i % 12)).padStart(2, '0')}`, note: `Note ${String(i).padStart(3, '0')}` }, 'U0HOME');
      await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-10', note: 'Someone else' }, 'U0OTHER');
      const snoozed = await app.services.nurture.remind(ws.id, creator._id, { dueDay: '2026-11-02', note: 'Snoozed' }, 'U0HOME');
      expect((await app.services.nurture.snooze(nurtureOf(ws), `follow-up:${String(snoozed._id)}`, '2026-11-30', 'U0HOME')).ok).toBe(true);
      const { value, commands, documents } = await counted(() => app.services.nurture.snapshot(nurtureOf(ws), app.clock(), homePages));
      return { value, commands: commands.sort(), documents, reply: homeReply(value, 'U0HOME', ws.settings.warnBeforeDueDays) };
    };
    const small = await read('T0FUSMALL', 12);
    const large = await read('T0FULARGE', 120);
    expect(small.value.followUps.map((f) => [f.note, f.dueDay])).toEqual([
      ['Note 000', '2026-11-10'],
      ['Note 001', '2026-11-11'],
      ['Note 002', '2026-11-12'],
      ['Note 003', '2026-11-13'],
      ['Note 004', '2026-11-14'],
      ['Note 005', '2026-11-15'],
      ['Note 006', '2026-11-16'],
      ['Note 007', '2026-11-17'],
    ]);
    expect(large.value.followUps.map((f) => [f.note, f.dueDay])).toEqual(['000', '012', '024', '036', '048', '060', '072', '084'].map((n) => [`Note ${n}`, '2026-11-10']));
    expect([small.value.followUpCount, large.value.followUpCount]).toEqual([12, 120]);
    expect(JSON.stringify(large.reply)).toContain('*Follow-ups due* (120)');
    expect(large.commands).toEqual(small.commands);
    expect(large.documents).toEqual(small.documents);
  });

  it('GIVEN creators past the ideal interval with deliverables and payments on time, late and overdue WHEN their App Home is read THEN each health is the one the nudges and `list sort:health` compute', async () => {
    const info = await app.services.workspaces.ensure('slack', 'T0HEALTH');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
    const wsId = new Types.ObjectId(ws.id);
    const at = (day: string, time = '12:00') => atLocalTime(day, time, TZ);
    const zoe = await addCreator(app, ws, { name: 'Zoë Tran', ownerId: 'U0HOME', contactedDaysAgo: 30 });
    const ana = await addCreator(app, ws, { name: 'Ana Lima', ownerId: 'U0HOME', contactedDaysAgo: 25 });
    await addCreator(app, ws, { name: 'Noah Kim', ownerId: 'U0HOME', contactedDaysAgo: 40 });
    const collaborationId = new Types.ObjectId();
    const item = (influencerId: Types.ObjectId, fields: object) => ({ workspaceId: wsId, collaborationId, influencerId, ownerId: 'U0HOME', type: 'post', month: '2026-11', ...fields });
    await app.models.contents.insertMany([
      // Zoë: two on time (engagement 100, then 120), one late (400: her trend is up), one overdue, one cancelled.
      item(zoe._id, { status: 'published', planned: true, dueAt: at('2026-11-05', '23:59'), publishedAt: at('2026-11-04'), metrics: { likes: 100 } }),
      item(zoe._id, { status: 'published', planned: true, dueAt: at('2026-11-10', '23:59'), publishedAt: at('2026-11-10'), metrics: { likes: 100, comments: 20 } }),
      item(zoe._id, { status: 'published', planned: true, dueAt: at('2026-11-12', '23:59'), publishedAt: at('2026-11-15'), metrics: { likes: 300, saves: 100 } }),
      item(zoe._id, { status: 'planned', planned: true, dueAt: at('2026-11-20', '23:59') }),
      item(zoe._id, { status: 'cancelled', planned: true, dueAt: at('2026-11-18', '23:59') }),
      // Ana: beyond plan (no due day), then an item published far below her usual.
      item(ana._id, { status: 'published', planned: false, publishedAt: at('2026-11-01'), metrics: { likes: 1000 } }),
      item(ana._id, { status: 'published', planned: false, publishedAt: at('2026-11-20'), metrics: { likes: 300 } }),
    ]);
    const payment = (influencerId: Types.ObjectId, key: string, fields: object) => ({
      workspaceId: wsId, scheduleKey: key, collaborationId, influencerId, ownerId: 'U0HOME', amountMinor: 10_000, currency: 'EUR', label: key, source: 'schedule', createdById: 'U0HOME', ...fields,
    });
    await app.models.payments.insertMany([
      // Zoë: paid on the due day (late in UTC, on time in Paris), paid two days late, unpaid past due, due later, cancelled.
      payment(zoe._id, 'p1', { status: 'paid', dueAt: at('2026-11-02', '00:00'), paidAt: new Date('2026-11-02T23:30:00+01:00') }),
      payment(zoe._id, 'p2', { status: 'paid', dueAt: at('2026-11-05', '00:00'), paidAt: at('2026-11-07') }),
      payment(zoe._id, 'p3', { status: 'scheduled', dueAt: at('2026-11-22', '00:00') }),
      payment(zoe._id, 'p4', { status: 'scheduled', dueAt: at('2026-12-01', '00:00') }),
      payment(zoe._id, 'p5', { status: 'cancelled', dueAt: at('2026-11-01', '00:00') }),
      payment(ana._id, 'p6', { status: 'scheduled', dueAt: at('2026-11-23', '00:00') }),
    ]);
    const nurtureWorkspace = { id: ws.id, timezone: ws.timezone, cadences: ws.settings.cadences, warnBeforeDueDays: ws.settings.warnBeforeDueDays };
    const home = await app.services.nurture.snapshot(nurtureWorkspace, app.clock(), { ownerId: 'U0HOME', cadence: 'ideal', cadencePage: MAX_PER_SECTION, health: true });
    const ids = home.cadence.map((c) => c.creator.id);
    expect(home.cadence.map((c) => c.creator.name)).toEqual(['Noah Kim', 'Zoë Tran', 'Ana Lima']);
    const listed = await app.services.nurture.healthOf(nurtureWorkspace, app.clock(), ids);
    expect(Object.fromEntries(ids.map((id) => [id, home.health.get(id)]))).toEqual(Object.fromEntries(ids.map((id) => [id, listed.get(id)?.health])));
    // Each part counted: Zoë's overdue deliverable and payment; Ana's engagement down 70%.
    expect([zoe, ana].map((c) => home.health.get(String(c._id)))).toEqual([
      { score: 67, reasons: [{ code: 'payments-overdue', count: 1 }, { code: 'deliverables-overdue', count: 1 }, { code: 'past-ideal', days: 9 }] },
      { score: 67, reasons: [{ code: 'engagement-down', percent: 70 }, { code: 'past-ideal', days: 4 }] },
    ]);
  });

  it("GIVEN someone else snoozing 40 of their follow-ups WHEN an owner's App Home is read THEN it reads the same documents as before: only the snoozes of the items it shows", async () => {
    const ws = await seedDeliverables('T0HOMEOTHERS', 12);
    const before = await home(ws);
    const creator = await app.models.influencers.findOne({ workspaceId: new Types.ObjectId(ws.id) }).lean();
    for (let i = 0; i < 40; i += 1) {
      const followUp = await app.services.nurture.remind(ws.id, creator!._id, { dueDay: '2026-11-20', note: `Other ${i}` }, 'U0OTHER');
      expect((await app.services.nurture.snooze(ws, `follow-up:${String(followUp._id)}`, '2026-11-30', 'U0OTHER')).ok).toBe(true);
    }
    const after = await home(ws);
    expect([after.commands, after.documents]).toEqual([before.commands, before.documents]);
    expect(after.value.deliverables.map((d) => d.id)).toEqual(before.value.deliverables.map((d) => d.id));
  });

  it('GIVEN one of the first 8 deliverables snoozed WHEN the App Home is read THEN the ninth takes its place and the count leaves it out', async () => {
    const ws = await seedDeliverables('T0HOMESNOOZE', 12);
    const before = await home(ws);
    const first = before.value.deliverables[0]!;
    expect((await app.services.nurture.snooze(ws, first.key, '2026-11-30', 'U0HOME')).ok).toBe(true);
    const after = await home(ws);
    expect(after.value.deliverables.map((d) => d.id)).toEqual([...before.value.deliverables.slice(1).map((d) => d.id), after.value.deliverables[7]!.id]);
    expect(after.value.deliverables.map((d) => d.id)).not.toContain(first.id);
    expect(after.value.deliverableCount).toEqual(11);
  });
});
