import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import dailyDigest from '../../jobs/daily-digest.job';
import nudges from '../../jobs/nudges.job';
import { atLocalTime, toPlainText, type JobWorkspace, type Post, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, silentLogger } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { addCreator, publish } from '../helpers/nurture';
import { buildScheduler, recordingPoster, resetScheduling, seedCollaboration } from '../helpers/scheduler';

/** The daily digest and the nudges: what they say, to whom, and that each goes out once. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TZ = 'Europe/Paris';
/** Monday 23 November 2026, 09:00 in Paris: the posting time. */
const NOW = '2026-11-23T08:00:00Z';
const PERSONAL = /Rivoli|Size M|no nuts|1990|zoe@example\.com/;

beforeAll(async () => {
  app = await buildApp(connection, { now: NOW, timezone: TZ });
});
beforeEach(async () => {
  app.clock.set(NOW);
  await resetScheduling(connection);
  for (const model of Object.values(app.models)) await model.collection.deleteMany({});
});

let teams = 0;
async function workspace(channels: { digest?: string; nudges?: string } = { digest: 'C0DIGEST', nudges: 'C0NUDGE' }): Promise<JobWorkspace> {
  const team = `T0JOBS${(teams += 1)}`;
  app.services.workspaces.forget('slack', team);
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { timezone: TZ, channels });
}

/** Maria owns Zoë (birthday Friday, quiet for 50 days) and set a follow-up; Li owns Ana (quiet for 25 days). */
async function seed(ws: JobWorkspace) {
  const zoe = await addCreator(app, ws, {
    name: 'Zoë Tran',
    ownerId: 'U0MARIA',
    birthday: { month: 11, day: 27, year: 1990 },
    address: '1 Rue de Rivoli, Paris',
    preferences: 'Size M, no nuts',
    email: 'zoe@example.com',
    contactedDaysAgo: 50,
  });
  const ana = await addCreator(app, ws, { name: 'Ana Lima', ownerId: 'U0LI', contactedDaysAgo: 25 });
  const followUp = await app.services.nurture.remind(ws.id, zoe._id, { dueDay: '2026-11-23', note: 'Ask for the draft' }, 'U0MARIA');
  return { zoe, ana, followUp };
}

const run = (job: typeof dailyDigest, ws: JobWorkspace) =>
  job.run(ws, { kind: 'daily', key: '2026-11-23', startsAt: app.clock(), endsAt: app.clock(), runAt: app.clock() }, { services: app.services, now: app.clock(), logger: silentLogger });

const plain = (post: Post) => toPlainText(post.reply);

describe('the daily-digest job', () => {
  it('GIVEN nothing due THEN no post', async () => {
    const ws = await workspace();
    await addCreator(app, ws, { name: 'Fine', contactedDaysAgo: 1 });
    expect(await run(dailyDigest, ws)).toEqual([]);
  });

  it('GIVEN a birthday, a follow-up, a quiet relationship, a deliverable and payments THEN one channel post with each item, its owner notified, its buttons, and no personal data', async () => {
    const ws = await workspace();
    const { zoe, followUp } = await seed(ws);
    const { collaboration } = await seedCollaboration(app, ws, { name: 'Mia Chen', title: 'Winter box', ownerId: 'U0LI' });
    const reel = await app.services.content.addPlanned(collaboration, 'reel', '2026-11-21', TZ);
    await app.models.payments.create({
      workspaceId: collaboration.workspaceId,
      collaborationId: collaboration._id,
      influencerId: collaboration.influencerId,
      ownerId: 'U0LI',
      amountMinor: 10_000,
      currency: 'EUR',
      dueAt: atLocalTime('2026-11-20', '00:00', TZ),
      scheduleKey: 'manual:late',
      createdById: 'tester',
    });

    const posts = await run(dailyDigest, ws);
    expect(posts.map((p) => ['channel' in p ? p.channel : p.user, p.reply.visibility])).toEqual([['digest', 'channel']]);
    const post = posts[0]!;
    expect(plain(post).split('\n')).toEqual([
      '== Daily digest · Nov 23 ==',
      'Birthdays this week (1)',
      `🎂 Zoë Tran · Nov 27 (in 4 days) · owner @U0MARIA  [Log touchpoint: influencer log ${String(zoe._id)}]  [Snooze 7 days: influencer snooze item:birthday:${String(zoe._id)}:2026-11-27]  [Done: influencer done item:birthday:${String(zoe._id)}:2026-11-27]`,
      'Follow-ups due (1)',
      `↩ Zoë Tran · Ask for the draft · due today · set by @U0MARIA  [Log touchpoint: influencer log ${String(zoe._id)}]  [Snooze 7 days: influencer snooze item:follow-up:${String(followUp._id)}]  [Done: influencer done item:follow-up:${String(followUp._id)}]`,
      'Past their maximum interval (1)',
      expect.stringContaining('Zoë Tran · active · no touchpoint for 50 days, 5 days past the maximum (45) · owner @U0MARIA'),
      'Deliverables due within 3 days or overdue (1)',
      expect.stringContaining(`📦 Mia Chen · Winter box · reel · 2 days overdue (due Nov 21) · owner @U0LI  [Log touchpoint: influencer log ${String(collaboration.influencerId)}]  [Snooze 7 days: influencer snooze item:deliverable:${String(reel._id)}]`),
      'Payments: 1 late (€100.00) · `/payment list`',
      'Totals are per currency. Snooze hides an item for 7 days; Done clears it. `/irm me nudges:off` stops your private nudges.',
    ]);
    expect(post.reply.notify?.sort()).toEqual(['U0LI', 'U0MARIA']);
    expect(JSON.stringify(post)).not.toMatch(PERSONAL);
  });
});

describe('the nudges job', () => {
  it("GIVEN two owners THEN each gets their own private list (the birthday with the address and preferences); the team's version in the nudges channel has no personal data", async () => {
    const ws = await workspace();
    const { zoe } = await seed(ws);
    const posts = await run(nudges, ws);
    expect(posts.map((p) => ['channel' in p ? p.channel : p.user, p.key, p.reply.visibility])).toEqual([
      ['nudges', 'team', 'channel'],
      ['U0LI', 'owner:U0LI', 'private'],
      ['U0MARIA', 'owner:U0MARIA', 'private'],
    ]);
    const [team, li, maria] = posts as [Post, Post, Post];
    expect(JSON.stringify(team)).not.toMatch(PERSONAL);
    expect(plain(team)).toContain('owner @U0MARIA');
    expect(plain(li)).not.toContain('Zoë');
    expect(plain(maria).split('\n')).toEqual([
      '== Your nudges · Nov 23 ==',
      'Time to reach out (1)',
      expect.stringContaining('Zoë Tran · active · no touchpoint for 50 days, 5 days past the maximum (45) · health 44 - 5 days past the maximum interval'),
      'Birthdays within 7 days (1)',
      `🎂 Zoë Tran · Nov 27 (in 4 days) · ship to: 1 Rue de Rivoli, Paris · preferences: Size M, no nuts  [Log gift: influencer log ${String(zoe._id)} gift]  [Snooze 7 days: influencer snooze item:birthday:${String(zoe._id)}:2026-11-27]  [Done: influencer done item:birthday:${String(zoe._id)}:2026-11-27]`,
      'Follow-ups due (1)',
      expect.stringContaining('↩ Zoë Tran · Ask for the draft · due today'),
      'Only you get this message. Snooze hides an item for 7 days; Done clears it. `/irm me nudges:off` stops these messages.',
    ]);
    expect(JSON.stringify(maria)).not.toMatch(/1990|zoe@example\.com/);
  });

  it('GIVEN an owner turned nudges off and no nudges channel THEN only the others get theirs', async () => {
    const ws = await workspace({ digest: 'C0DIGEST' });
    await seed(ws);
    await app.services.nurture.setNudges(ws.id, 'U0MARIA', false);
    expect((await run(nudges, ws)).map((p) => ('user' in p ? p.user : p.channel))).toEqual(['U0LI']);
  });

  it("GIVEN a win THEN it is in the owner's nudge with its link and a Log engagement action; logging the engagement clears it", async () => {
    const ws = await workspace({});
    const { influencer, collaboration } = await seedCollaboration(app, ws, { ownerId: 'U0MARIA' });
    for (const [daysAgo, likes] of [[40, 100], [30, 200], [20, 50]] as const) await publish(app, ws, influencer, collaboration._id, { daysAgo, likes });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 1, likes: 300, url: 'https://instagram.com/reel/win' });
    const [post] = await run(nudges, ws);
    expect(plain(post!)).toContain("🎉 Zoë Tran's reel of Nov 22: 300 engagements, 3x their usual · https://instagram.com/reel/win");
    expect(plain(post!)).toContain(`[Log engagement: influencer log ${String(influencer._id)} engagement]`);
    const maria: Caller = { platform: 'slack', workspaceExternalId: ws.externalId, actor: { id: 'U0MARIA', isAdmin: async () => false } };
    await app.router.handle(maria, app.router.parseText('influencer', `log ${String(influencer._id)} engagement Commented on the reel`));
    expect(await run(nudges, ws)).toEqual([]);
  });
});

describe('wins on App Home and in the nudge', () => {
  it("GIVEN Maria's creator's win in a collaboration Tom owns THEN her nudge and her App Home both list it", async () => {
    const ws = await workspace({});
    const { influencer, collaboration } = await seedCollaboration(app, ws, { ownerId: 'U0MARIA' });
    await app.models.collaborations.updateOne({ _id: collaboration._id }, { $set: { ownerId: 'U0TOM' } });
    for (const [daysAgo, likes] of [[40, 10], [30, 10], [20, 10]] as const) await publish(app, ws, influencer, collaboration._id, { daysAgo, likes });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 1, likes: 500, url: 'https://instagram.com/reel/win' });
    const win = "🎉 Zoë Tran's reel of Nov 22: 500 engagements, 50x their usual · https://instagram.com/reel/win";
    const [post] = await run(nudges, ws);
    expect([('user' in post! ? post.user : undefined), plain(post!).includes(win)]).toEqual(['U0MARIA', true]);
    const maria: Caller = { platform: 'slack', workspaceExternalId: ws.externalId, actor: { id: 'U0MARIA', isAdmin: async () => false } };
    const home = toPlainText((await app.router.handle(maria, app.router.parseText('irm', 'home'))).answer as Reply);
    expect(home).toContain(win);
    expect(home).not.toContain('Nothing needs you today');
  });
});

describe('follow-ups, snooze and done from the buttons', () => {
  const maria = (ws: JobWorkspace): Caller => ({ platform: 'slack', workspaceExternalId: ws.externalId, actor: { id: 'U0MARIA', isAdmin: async () => false } });
  const say = async (caller: Caller, line: string) => {
    const [command, ...rest] = line.split(' ');
    return toPlainText((await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')))).answer as Reply);
  };

  it('GIVEN /influencer remind with "in 3 days" THEN due that day; Snooze hides it a week; Done clears it', async () => {
    const ws = await workspace();
    await addCreator(app, ws, { name: 'Zoë Tran', handle: 'zoe.creates', contactedDaysAgo: 1 });
    expect(await say(maria(ws), 'influencer remind @zoe.creates in 3 days Ask for the draft')).toContain('Follow-up set for Nov 26 with *Zoë Tran*: Ask for the draft'.replace(/\*/g, ''));
    expect(await say(maria(ws), 'influencer remind @zoe.creates yesterday Too late')).toContain('has passed');
    expect(await say(maria(ws), 'influencer remind @zoe.creates')).toContain('date');
    expect(await run(dailyDigest, ws)).toEqual([]);

    app.clock.set(atLocalTime('2026-11-26', '09:00', TZ));
    const [digest] = await run(dailyDigest, ws);
    const snoozeLine = /\[Snooze 7 days: (influencer snooze item:follow-up:[a-f0-9]{24})\]/.exec(plain(digest!))![1]!;
    expect(await say(maria(ws), snoozeLine)).toBe('Snoozed until Dec 3: it comes back that day.');
    expect(await run(dailyDigest, ws)).toEqual([]);

    app.clock.set(atLocalTime('2026-12-03', '09:00', TZ));
    const [back] = await run(dailyDigest, ws);
    const doneLine = /\[Done: (influencer done item:follow-up:[a-f0-9]{24})\]/.exec(plain(back!))![1]!;
    expect(await say(maria(ws), doneLine)).toBe('Follow-up done.');
    expect(await run(dailyDigest, ws)).toEqual([]);
    expect(await say(maria(ws), 'influencer done {"$gt":""}')).toContain('That is not an item of the digest');
  });
});

describe('/irm digest now', () => {
  it("GIVEN Maria previews the nudges THEN she sees her own list only; posting shows only the team's version", async () => {
    const ws = await workspace();
    await seed(ws);
    const caller = (id: string): Caller => ({ platform: 'slack', workspaceExternalId: ws.externalId, actor: { id, isAdmin: async () => true } });
    const preview = await app.router.handle(caller('U0MARIA'), app.router.parseText('irm', 'digest now nudges'));
    // Each post previewed as its own private message: the team's version, then her own.
    const previews = [preview.answer as Reply, ...((preview.answer as Reply).more ?? [])];
    const previewText = previews.map((message) => toPlainText(message)).join('\n');
    expect(previews.map((message) => message.visibility)).toEqual(['private', 'private']);
    expect(previewText).toContain('== Your nudges · Nov 23 ==');
    expect(previewText).toContain('ship to: 1 Rue de Rivoli, Paris');
    // The team's version and her own list: Li's private list is not shown to her.
    expect(previewText.match(/== Your nudges/g)).toHaveLength(1);
    expect(previewText).toContain('== Nudges · Nov 23 ==');
    const posted = await app.router.handle(caller('U0MARIA'), app.router.parseText('irm', 'digest now nudges post'));
    expect((posted.answer as Reply).visibility).toBe('channel');
    expect(JSON.stringify(posted.answer)).not.toMatch(PERSONAL);
    expect(toPlainText(posted.answer as Reply)).toContain('== Nudges · Nov 23 ==');
    const digest = await app.router.handle(caller('U0LI'), app.router.parseText('irm', 'digest now daily-digest'));
    expect(toPlainText(digest.answer as Reply)).toContain('== Daily digest · Nov 23 ==');
  });
});

describe('exactly once, through the scheduler', () => {
  it('GIVEN two schedulers on one database WHEN both tick at the posting time and again later THEN one digest and one nudge per owner that day', async () => {
    const ws = await workspace();
    await seed(ws);
    const slack = recordingPoster(app.clock);
    const one = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [dailyDigest, nudges], instanceId: 'one' });
    const two = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [dailyDigest, nudges], instanceId: 'two' });
    await Promise.all([one.runDue(app.clock()), two.runDue(app.clock())]);
    app.clock.set('2026-11-23T15:00:00Z');
    await Promise.all([one.runDue(app.clock()), two.runDue(app.clock())]);
    expect(slack.posts.map((p) => p.channelId).sort()).toEqual(['C0DIGEST', 'C0NUDGE', 'user:U0LI', 'user:U0MARIA']);
    expect(slack.posts.filter((p) => p.channelId.startsWith('C')).every((p) => !PERSONAL.test(JSON.stringify(p.reply)))).toBe(true);
  });

  it("GIVEN the nudges failed after Li's went out WHEN the retry finds a new owner sorted first THEN Li is not nudged again and everyone else is, once", async () => {
    const ws = await workspace({});
    await seed(ws);
    const slack = recordingPoster(app.clock);
    let refuseMaria = true;
    const poster = Object.assign(
      async (...args: Parameters<typeof slack.poster>) => {
        const [to] = args;
        if (refuseMaria && 'userId' in to && to.userId === 'U0MARIA') {
          refuseMaria = false;
          throw new Error('ratelimited');
        }
        return slack.poster(...args);
      },
      { find: slack.poster.find },
    );
    const scheduler = await buildScheduler(connection, app, { posters: { slack: poster }, jobs: [nudges] });
    expect((await scheduler.runDue(app.clock())).map((r) => r.outcome)).toEqual(['failed']);
    expect(slack.posts.map((p) => p.channelId)).toEqual(['user:U0LI']);

    // Before the retry, a new owner appears ahead of Li in the list: positions shift, keys do not.
    await addCreator(app, ws, { name: 'Ada Quiet', ownerId: 'U0AAA', contactedDaysAgo: 30 });
    app.clock.set('2026-11-23T09:00:00Z');
    expect((await scheduler.runDue(app.clock())).map((r) => r.outcome)).toEqual(['posted']);
    expect(slack.posts.map((p) => p.channelId)).toEqual(['user:U0LI', 'user:U0AAA', 'user:U0MARIA']);
  });
});
