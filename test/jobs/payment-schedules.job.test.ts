import { beforeEach, describe, expect, it } from 'vitest';
import paymentSchedules from '../../jobs/payment-schedules.job';
import { jobs } from '../../jobs';
import { atLocalTime, toPlainText, type Actor } from '../../src/core';
import { localDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { buildScheduler, freshWorkspace, recordingPoster, useSchedulingApp } from '../helpers/scheduler';

/**
 * Ongoing monthly terms never run out of planned payments: the payment-schedules job extends them
 * on the 1st of every month, through the real scheduler and ledger, with a fake clock in Paris.
 */

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2026-11-23T15:00:00Z');
const TZ = 'Europe/Paris';
const TEAM = 'T0SCHEDULES';
const admin: Caller = { platform: 'slack', workspaceExternalId: TEAM, actor: { id: 'U0ADMIN', isAdmin: async () => true } satisfies Actor };

const say = async (line: string) => (await sayAs(app, admin, line)).text;

/** The schedule as the database holds it: month key, local due day, amount, status. */
async function schedule(title: string) {
  const collab = (await app.models.collaborations.findOne({ title }).lean())!;
  const payments = await app.models.payments.find({ collaborationId: collab._id }).sort({ dueAt: 1 }).lean();
  return payments.map((p) => [p.scheduleKey.split(':').slice(1).join(':'), localDay(p.dueAt, TZ), p.amountMinor, p.status]);
}

/** 09:00 in Paris (the posting time) on `day`. */
const nineAm = (day: string) => atLocalTime(day, '09:00', TZ);

beforeEach(async () => {
  await freshWorkspace(app, TEAM, TZ, { channels: { payments: 'C0PAY' } });
  await say('influencer add "Ana Souza" @ana.souza network:instagram');
});

describe('the payment-schedules job', () => {
  it('is registered, monthly at the posting time, and runs without a channel of its own', () => {
    expect(jobs.map((job) => job.name)).toContain('payment-schedules');
    expect([paymentSchedules.schedule, paymentSchedules.channel]).toEqual([{ kind: 'monthly', at: 'posting-time' }, undefined]);
  });

  it('GIVEN ongoing monthly terms WHEN the 1st of each month ticks by for seven months THEN the schedule is extended month by month, each reporting day once, edits, payments and cancellations kept', async () => {
    await say('collab new @ana.souza "Ambassador" type:ambassador goal:image fee:2000 currency:EUR schedule:monthly reporting-day:5');
    expect((await schedule('Ambassador')).map(([key]) => key)).toEqual(['monthly:2026-12', 'monthly:2027-01', 'monthly:2027-02']);

    // The team changes the planned ones: December's amount edited, January paid, February cancelled.
    const [december, january, february] = await app.models.payments.find({ scheduleKey: /:monthly:/ }).sort({ dueAt: 1 }).lean();
    expect(await say(`payment edit ${String(december!._id)} amount:2,250`)).toContain('Saved: €2,250.00 due 2027-01-04');
    expect(await say(`payment paid ${String(january!._id)}`)).toContain('Marked €2,000.00 paid on 2026-11-23');
    expect(await say(`payment cancel ${String(february!._id)} Paused in February`)).toContain('Cancelled €2,000.00');

    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [paymentSchedules] });
    for (const month of ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']) {
      for (const at of [atLocalTime(`${month}-01`, '08:59', TZ), nineAm(`${month}-01`), nineAm(`${month}-02`)]) {
        app.clock.set(at);
        await scheduler.tick(app.clock());
      }
    }

    expect(await schedule('Ambassador')).toEqual([
      ['monthly:2026-12', '2027-01-04', 225_000, 'scheduled'],
      ['monthly:2027-01', '2027-02-04', 200_000, 'paid'],
      ['monthly:2027-02', '2027-03-07', 200_000, 'cancelled'],
      ['monthly:2027-03', '2027-04-04', 200_000, 'scheduled'],
      ['monthly:2027-04', '2027-05-05', 200_000, 'scheduled'],
      ['monthly:2027-05', '2027-06-04', 200_000, 'scheduled'],
      ['monthly:2027-06', '2027-07-05', 200_000, 'scheduled'],
      ['monthly:2027-07', '2027-08-04', 200_000, 'scheduled'],
      ['monthly:2027-08', '2027-09-04', 200_000, 'scheduled'],
    ]);
    // December 1 had nothing new (February was planned already); every later 1st planned one month, posted once, at 09:00 Paris.
    expect(slack.posts.map((p) => [p.channelId, p.at.toISOString()])).toEqual([
      ['C0PAY', '2027-01-01T08:00:00.000Z'],
      ['C0PAY', '2027-02-01T08:00:00.000Z'],
      ['C0PAY', '2027-03-01T08:00:00.000Z'],
      ['C0PAY', '2027-04-01T07:00:00.000Z'],
      ['C0PAY', '2027-05-01T07:00:00.000Z'],
      ['C0PAY', '2027-06-01T07:00:00.000Z'],
    ]);
    expect(toPlainText(slack.posts[0]!.reply)).toBe(
      [
        'Planned 1 payment from collaboration terms:',
        '• Ana Souza · Ambassador (Reporting March 2027) · €2,000.00 · due Apr 4, 2027',
        '`/payment list` shows everything due; each is announced here again before its due date.',
      ].join('\n'),
    );
    expect(slack.posts.every((p) => p.reply.visibility === 'channel' && !JSON.stringify(p.reply).includes('<@'))).toBe(true);
    expect(await connection.collection('job_runs').countDocuments({ job: 'payment-schedules' })).toBe(7);

    // Closed: the schedule stops growing.
    expect(await say('collab close Ambassador completed')).toContain('Closed Ambassador as completed');
    app.clock.set(nineAm('2027-07-01'));
    await scheduler.tick(app.clock());
    expect(await app.models.payments.countDocuments({ scheduleKey: /:monthly:/ })).toBe(9);
    expect(slack.posts).toHaveLength(6);
  });

  it('GIVEN a collaboration whose payment was not planned at creation WHEN the month starts THEN the job plans it once, and a second replica plans nothing more', async () => {
    // Started straight through the service, as before payments were planned on /collab new.
    const ana = (await app.models.influencers.findOne({ name: 'Ana Souza' }).lean())!;
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    await app.services.collaborations.create(
      workspace,
      (await app.services.influencers.resolve(workspace.id, String(ana._id)))!,
      {
        title: 'Launch reel',
        type: 'sponsored-post',
        goal: 'awareness',
        ownerId: 'U0ADMIN',
        start: atLocalTime('2026-11-20', '00:00', TZ),
        brief: {},
        expectedPerMonth: [],
        compensation: { feeMinor: 90_000, currency: 'EUR', schedule: 'once', netDays: 45 },
      },
      'U0ADMIN',
    );
    expect(await schedule('Launch reel')).toEqual([]);

    const slack = recordingPoster(app.clock);
    const [a, b] = await Promise.all([
      buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [paymentSchedules], instanceId: 'a' }),
      buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [paymentSchedules], instanceId: 'b' }),
    ]);
    app.clock.set(nineAm('2026-12-01'));
    await Promise.all([a.runDue(app.clock()), b.runDue(app.clock())]);
    await Promise.all([a.runDue(app.clock()), b.runDue(app.clock())]);

    expect(await schedule('Launch reel')).toEqual([['once', '2027-01-04', 90_000, 'scheduled']]);
    expect(slack.posts).toHaveLength(1);
    expect(toPlainText(slack.posts[0]!.reply)).toContain('• Ana Souza · Launch reel (Fee) · €900.00 · due Jan 4, 2027');
  });
});
