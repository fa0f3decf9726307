import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineJob, text, toPlainText, type Destination, type JobDefinition, type JobPeriod, type JobWorkspace, type Reply } from '../../src/core';
import type { PostMark } from '../../src/scheduler/scheduler';
import latePayments from '../../jobs/late-payments.job';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { createSchedulerModels } from '../../src/scheduler/scheduler.models';
import { JobRunLedger } from '../../src/scheduler/job-run-ledger';
import { Types } from 'mongoose';
import { buildScheduler, recordingPoster, resetScheduling, seedCollaboration } from '../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection);
});
beforeEach(async () => {
  await resetScheduling(connection);
});

/** A job that says hello in the digest channel once a day, and remembers every run. */
function helloJob(runs: Array<{ workspace: string; period: string }> = [], options: Partial<JobDefinition> = {}): JobDefinition {
  return defineJob({
    name: 'hello',
    description: 'says hello',
    channel: 'digest',
    schedule: { kind: 'daily', at: 'posting-time' },
    run(workspace: JobWorkspace, period: JobPeriod) {
      runs.push({ workspace: workspace.id, period: period.key });
      return [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }];
    },
    ...options,
  });
}

async function slackWorkspace(team: string, settings: { timezone?: string; postingTime?: string; digest?: string | null; payments?: string } = {}) {
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, {
    timezone: settings.timezone ?? 'Europe/Paris',
    postingTime: settings.postingTime,
    channels: { digest: settings.digest === undefined ? 'C0DIGEST' : settings.digest, payments: settings.payments },
  });
}

/** Sets the clock and ticks, as the minute's cron fire would. */
async function tickAt(scheduler: Awaited<ReturnType<typeof buildScheduler>>, at: string | Date) {
  app.clock.set(at);
  return scheduler.tick(app.clock());
}

describe('scheduler: each workspace at its own posting time, once per period', () => {
  it('GIVEN Europe/Paris at 09:00 WHEN the day ticks by THEN it posts once at 09:00 local, and again the next day', async () => {
    const workspace = await slackWorkspace('T-PARIS');
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });

    await tickAt(scheduler, '2026-11-23T07:59:00Z'); // 08:59 in Paris (UTC+1)
    expect(slack.posts).toEqual([]);
    const fire = await tickAt(scheduler, '2026-11-23T08:00:00Z');
    expect(fire.runs).toEqual([{ job: 'hello', workspaceId: workspace.id, period: '2026-11-23', outcome: 'posted', posts: 1 }]);
    for (const at of ['2026-11-23T08:01:00Z', '2026-11-23T12:00:00Z', '2026-11-23T22:59:00Z']) await tickAt(scheduler, at);
    await tickAt(scheduler, '2026-11-24T08:00:00Z');

    expect(slack.posts.map((p) => [p.channelId, toPlainText(p.reply), p.reply.visibility, p.at.toISOString()])).toEqual([
      ['C0DIGEST', 'hello 2026-11-23', 'channel', '2026-11-23T08:00:00.000Z'],
      ['C0DIGEST', 'hello 2026-11-24', 'channel', '2026-11-24T08:00:00.000Z'],
    ]);
    const entry = await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never });
    expect(entry).toMatchObject({ job: 'hello', period: '2026-11-23', status: 'posted', attempts: 1, posts: [{ index: 0, channel: 'digest', channelId: 'C0DIGEST', messageId: 'm1' }] });
  });

  it('GIVEN two scheduler instances on one database WHEN both fire THEN the workspace gets one post', async () => {
    await slackWorkspace('T-TWO');
    const slack = recordingPoster(app.clock);
    const runs: Array<{ workspace: string; period: string }> = [];
    const a = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)], instanceId: 'a' });
    const b = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)], instanceId: 'b' });

    app.clock.set('2026-11-23T08:00:00Z');
    const fires = await Promise.all([a.tick(app.clock()), b.tick(app.clock())]);
    expect(fires.map((f) => f.elected).sort()).toEqual([false, true]);
    // Past the election too: both run everything due at once, and the ledger lets one claim it.
    await Promise.all([a.runDue(app.clock()), b.runDue(app.clock()), a.runDue(app.clock()), b.runDue(app.clock())]);
    app.clock.set('2026-11-23T08:01:00Z');
    await Promise.all([a.tick(app.clock()), b.tick(app.clock())]);

    expect(slack.posts).toHaveLength(1);
    expect(runs).toHaveLength(1);
  });

  it('GIVEN a post went out WHEN the bot restarts later that day THEN the catch-up at start posts nothing', async () => {
    await slackWorkspace('T-RESTART');
    const slack = recordingPoster(app.clock);
    const before = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    await tickAt(before, '2026-11-23T08:00:00Z');
    expect(slack.posts).toHaveLength(1);

    app.clock.set('2026-11-23T13:30:00Z');
    const after = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    await after.start();
    await tickAt(after, '2026-11-23T13:31:00Z');
    await after.stop();

    expect(slack.posts).toHaveLength(1);
  });

  it('GIVEN the bot was down over 09:00 WHEN it starts at 15:00 THEN it catches up once that day', async () => {
    const workspace = await slackWorkspace('T-DOWN');
    const slack = recordingPoster(app.clock);
    app.clock.set('2026-11-23T14:00:00Z');
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    await scheduler.start(); // the catch-up at start
    expect(slack.posts.map((p) => toPlainText(p.reply))).toEqual(['hello 2026-11-23']);

    for (const at of ['2026-11-23T14:01:00Z', '2026-11-23T18:00:00Z']) await tickAt(scheduler, at);
    await scheduler.stop();
    const again = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    expect(await again.runDue(app.clock())).toEqual([]);
    expect(slack.posts).toHaveLength(1);
    expect(await connection.collection('job_runs').countDocuments({ workspaceId: { $exists: true }, period: '2026-11-23' })).toBe(1);
    expect(workspace.settings.postingTime).toBe('09:00');
  });

  it('GIVEN the bot was down all of yesterday WHEN it starts today before 09:00 THEN yesterday is not posted late and today waits for 09:00', async () => {
    await slackWorkspace('T-AWAY');
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    await tickAt(scheduler, '2026-11-24T06:00:00Z');
    expect(slack.posts).toEqual([]);
    await tickAt(scheduler, '2026-11-24T08:00:00Z');
    expect(slack.posts.map((p) => toPlainText(p.reply))).toEqual(['hello 2026-11-24']);
  });

  it('GIVEN Slack answers 429 then 500 WHEN later ticks come THEN the post is retried and goes out exactly once', async () => {
    const workspace = await slackWorkspace('T-RETRY');
    const slack = recordingPoster(app.clock);
    slack.failNext(Object.assign(new Error('An API error occurred: ratelimited'), { code: 'slack_webapi_rate_limited' }), new Error('HTTP 500'));
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });

    const first = await tickAt(scheduler, '2026-11-23T08:00:00Z');
    expect(first.runs).toMatchObject([{ outcome: 'failed', posts: 0 }]);
    const failed = await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never });
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, retryAt: new Date('2026-11-23T08:01:00Z') });
    expect(failed?.lastError).toContain('ratelimited');

    expect((await tickAt(scheduler, '2026-11-23T08:01:00Z')).runs).toMatchObject([{ outcome: 'failed' }]); // the 500
    expect((await tickAt(scheduler, '2026-11-23T08:02:00Z')).runs).toEqual([]); // backing off: next try at 08:03
    expect((await tickAt(scheduler, '2026-11-23T08:03:00Z')).runs).toMatchObject([{ outcome: 'posted', posts: 1 }]);
    for (const at of ['2026-11-23T08:04:00Z', '2026-11-23T09:00:00Z', '2026-11-23T20:00:00Z']) expect((await tickAt(scheduler, at)).runs).toEqual([]);

    expect(slack.calls()).toBe(3);
    expect(slack.posts).toHaveLength(1);
    expect(await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never })).toMatchObject({
      status: 'posted',
      attempts: 3,
      posts: [{ index: 0, messageId: 'm1' }],
    });
  });

  describe('a post the platform accepted is never sent again, even when recording it fails', () => {
    const jobRuns = () => createSchedulerModels(connection).jobRuns;
    /**
     * The ledger's writes that carry a post's record (`updateOne` with `$addToSet: {posts}`: the next
     * post's intent, the run's outcome, a late settle) fail `times` times, as a connection dropped
     * right after the post would, then work again.
     */
    const failLedgerWrites = (times: number) => {
      const model = jobRuns();
      const original = model.updateOne.bind(model);
      let left = times;
      const spy = vi.spyOn(model, 'updateOne');
      spy.mockImplementation(((filter: never, update: { $addToSet?: { posts?: unknown } }, ...rest: never[]) => {
        if (left > 0 && update.$addToSet?.posts) {
          left -= 1;
          return Promise.reject(new Error('connection reset by peer'));
        }
        return original(filter, update as never, ...rest);
      }) as never);
      return { failed: () => times - left };
    };
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('GIVEN recording the message id fails once after Slack accepted the post WHEN later ticks come THEN exactly one post, and the ledger ends posted with its id', async () => {
      const workspace = await slackWorkspace('T-RECORD-ONCE');
      const slack = recordingPoster(app.clock);
      const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
      failLedgerWrites(1);

      expect((await tickAt(scheduler, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ outcome: 'posted', posts: 1 }]);
      for (const at of ['2026-11-23T08:01:00Z', '2026-11-23T08:03:00Z', '2026-11-23T08:10:00Z', '2026-11-23T12:00:00Z']) await tickAt(scheduler, at);
      const otherReplica = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'other' });
      await tickAt(otherReplica, '2026-11-23T13:00:00Z');

      expect(slack.calls()).toBe(1);
      expect(slack.posts).toHaveLength(1);
      expect(await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never })).toMatchObject({
        status: 'posted',
        attempts: 1,
        posts: [{ index: 0, channel: 'digest', channelId: 'C0DIGEST', messageId: 'm1' }],
      });
    });

    it('GIVEN every ledger write fails for a while after the post WHEN the database comes back THEN the record is completed on a later tick, and no replica posts again', async () => {
      const workspace = await slackWorkspace('T-RECORD-DOWN');
      const slack = recordingPoster(app.clock);
      const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], leaseMs: 5 * 60_000 });
      const spy = failLedgerWrites(2); // the run's outcome with the message id, then its first retry

      await tickAt(scheduler, '2026-11-23T08:00:00Z');
      expect(slack.posts).toHaveLength(1);
      expect(spy.failed()).toBe(1);
      expect(await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never })).toMatchObject({ status: 'running', posts: [] });

      await tickAt(scheduler, '2026-11-23T08:01:00Z'); // still failing: the record is retried, never the post
      expect([spy.failed(), slack.calls()]).toEqual([2, 1]);
      await tickAt(scheduler, '2026-11-23T08:02:00Z'); // the database answers again: only the record is written
      const otherReplica = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'other' });
      for (const at of ['2026-11-23T08:06:00Z', '2026-11-23T08:30:00Z']) {
        await tickAt(scheduler, at);
        await tickAt(otherReplica, at);
      }

      expect(slack.calls()).toBe(1);
      expect(await connection.collection('job_runs').findOne({ _id: `hello:${workspace.id}:2026-11-23` as never })).toMatchObject({
        status: 'posted',
        posts: [{ index: 0, channel: 'digest', channelId: 'C0DIGEST', messageId: 'm1' }],
      });
    });

    it('GIVEN the write before the second of two posts fails, carrying the first post\'s record WHEN another replica retries THEN only the second is sent', async () => {
      await slackWorkspace('T-RECORD-TWO', { payments: 'C0PAY' });
      const slack = recordingPoster(app.clock);
      const twoPosts = helloJob([], {
        run: () => [
          { channel: 'digest', reply: text('first', 'channel') },
          { channel: 'payments', reply: text('second', 'channel') },
        ],
      });
      const first = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [twoPosts] });
      const other = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [twoPosts], instanceId: 'other' });
      failLedgerWrites(1); // the second post's intent, which carries the first post's message id

      // The failure is written down with the first post's record, so whichever replica retries skips it.
      expect((await tickAt(first, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ outcome: 'failed', posts: 1 }]);
      expect((await tickAt(other, '2026-11-23T08:01:00Z')).runs).toMatchObject([{ outcome: 'posted', posts: 1 }]);
      await tickAt(other, '2026-11-23T09:00:00Z');
      expect(slack.posts.map((p) => [p.channelId, toPlainText(p.reply)])).toEqual([
        ['C0DIGEST', 'first'],
        ['C0PAY', 'second'],
      ]);
      expect(slack.calls()).toBe(2);
    });
  });

  it('GIVEN a job with two posts whose second fails WHEN it is retried THEN only the second is sent again', async () => {
    await slackWorkspace('T-TWO-POSTS', { payments: 'C0PAY' });
    const slack = recordingPoster(app.clock);
    const twoPosts = helloJob([], {
      run: () => [
        { channel: 'digest', reply: text('first', 'channel') },
        { channel: 'payments', reply: text('second', 'channel') },
      ],
    });
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [twoPosts] });
    const failOnSecond = slack.poster;
    let call = 0;
    const flaky = await buildScheduler(connection, app, {
      posters: { slack: Object.assign(async (to: Destination, reply: Reply, mark?: PostMark) => (++call === 2 ? Promise.reject(new Error('HTTP 503')) : failOnSecond(to, reply, mark)), { find: failOnSecond.find }) },
      jobs: [twoPosts],
    });

    expect((await tickAt(flaky, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ outcome: 'failed', posts: 1 }]);
    expect((await tickAt(scheduler, '2026-11-23T08:01:00Z')).runs).toMatchObject([{ outcome: 'posted', posts: 1 }]);
    expect(slack.posts.map((p) => [p.channelId, toPlainText(p.reply)])).toEqual([
      ['C0DIGEST', 'first'],
      ['C0PAY', 'second'],
    ]);
  });

  it('GIVEN a job that throws WHEN later ticks come THEN it is retried in the same period', async () => {
    await slackWorkspace('T-THROWS');
    const slack = recordingPoster(app.clock);
    let attempts = 0;
    const flaky = helloJob([], {
      run: (_w: JobWorkspace, period: JobPeriod) => {
        attempts += 1;
        if (attempts === 1) throw new Error('database hiccup');
        return [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }];
      },
    });
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [flaky] });
    expect((await tickAt(scheduler, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ outcome: 'failed', error: 'database hiccup' }]);
    expect((await tickAt(scheduler, '2026-11-23T08:01:00Z')).runs).toMatchObject([{ outcome: 'posted' }]);
    expect(slack.posts).toHaveLength(1);
  });

  it('GIVEN a replica crashed holding a claim WHEN its lease runs out THEN another replica takes the run over', async () => {
    const workspace = await slackWorkspace('T-CRASH');
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], leaseMs: 5 * 60_000 });
    await connection.collection('job_runs').insertOne({
      _id: `hello:${workspace.id}:2026-11-23` as never,
      job: 'hello',
      period: '2026-11-23',
      status: 'running',
      claimToken: 'crashed',
      leaseUntil: new Date('2026-11-23T08:05:00Z'),
      attempts: 1,
      posts: [],
    });
    expect((await tickAt(scheduler, '2026-11-23T08:00:00Z')).runs).toEqual([]);
    expect((await tickAt(scheduler, '2026-11-23T08:05:00Z')).runs).toMatchObject([{ outcome: 'posted' }]);
    expect(slack.posts).toHaveLength(1);
  });

  it('GIVEN America/New_York across the March 2027 DST change WHEN every minute ticks THEN it posts at 09:00 local on both sides', async () => {
    await slackWorkspace('T-NY', { timezone: 'America/New_York' });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    for (const day of ['2027-03-13', '2027-03-14', '2027-03-15']) {
      const from = new Date(`${day}T12:30:00Z`).getTime();
      for (let t = from; t <= from + 2 * 60 * 60_000; t += 60_000) await tickAt(scheduler, new Date(t));
    }
    expect(slack.posts.map((p) => [toPlainText(p.reply), p.at.toISOString()])).toEqual([
      ['hello 2027-03-13', '2027-03-13T14:00:00.000Z'], // 09:00 EST (UTC-5)
      ['hello 2027-03-14', '2027-03-14T13:00:00.000Z'], // 09:00 EDT (UTC-4), the day clocks spring forward
      ['hello 2027-03-15', '2027-03-15T13:00:00.000Z'],
    ]);
  });

  it('GIVEN America/New_York across the November 2027 change WHEN the posting time comes THEN 09:00 local both days', async () => {
    await slackWorkspace('T-NY-FALL', { timezone: 'America/New_York' });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    for (const at of ['2027-11-06T12:59:00Z', '2027-11-06T13:00:00Z', '2027-11-07T13:00:00Z', '2027-11-07T13:59:00Z', '2027-11-07T14:00:00Z']) {
      await tickAt(scheduler, at);
    }
    expect(slack.posts.map((p) => p.at.toISOString())).toEqual(['2027-11-06T13:00:00.000Z', '2027-11-07T14:00:00.000Z']);
  });

  it('GIVEN no digest channel set WHEN the posting time passes THEN nothing runs, and setting the channel later that day catches up', async () => {
    const workspace = await slackWorkspace('T-NOCHANNEL', { digest: null });
    const slack = recordingPoster(app.clock);
    const runs: Array<{ workspace: string; period: string }> = [];
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)] });
    await tickAt(scheduler, '2026-11-23T08:00:00Z');
    expect(runs).toEqual([]);
    expect(await connection.collection('job_runs').countDocuments()).toBe(0);

    await app.services.workspaces.updateSettings(workspace.id, { channels: { digest: 'C0LATER' } });
    await tickAt(scheduler, '2026-11-23T10:30:00Z');
    expect(slack.posts.map((p) => p.channelId)).toEqual(['C0LATER']);
  });

  it('GIVEN a workspace on a platform that is not running THEN it is not scheduled', async () => {
    const discord = await app.services.workspaces.ensure('discord', '123456789012345678');
    await app.services.workspaces.updateSettings(discord.id, { channels: { digest: '223456789012345678' } });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()] });
    expect((await tickAt(scheduler, '2026-11-23T12:00:00Z')).runs).toEqual([]);
  });

  it('GIVEN a monthly job WHEN the month is ticked THEN it runs on the 1st at the posting time, is caught up once if missed, and keys the month', async () => {
    const workspace = await slackWorkspace('T-MONTHLY', { timezone: 'Asia/Tokyo', postingTime: '08:30' });
    const runs: Array<{ workspace: string; period: string }> = [];
    const monthly = helloJob(runs, { name: 'monthly-hello', schedule: { kind: 'monthly', at: 'posting-time' } });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [monthly] });
    await tickAt(scheduler, '2026-11-30T23:29:00Z'); // Dec 1 08:29 in Tokyo
    await tickAt(scheduler, '2026-11-30T23:30:00Z'); // Dec 1 08:30
    await tickAt(scheduler, '2026-12-15T03:00:00Z');
    const restarted = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [monthly] });
    await tickAt(restarted, '2027-01-05T03:00:00Z'); // missed Jan 1: caught up on the 5th
    await tickAt(restarted, '2027-01-06T03:00:00Z');
    expect(runs).toEqual([
      { workspace: workspace.id, period: '2026-12' },
      { workspace: workspace.id, period: '2027-01' },
    ]);
    expect(slack.posts.map((p) => p.at.toISOString())).toEqual(['2026-11-30T23:30:00.000Z', '2027-01-05T03:00:00.000Z']);
  });

  it('GIVEN Tokyo posted its day WHEN an admin moves the timezone west (Los Angeles, still the day before there) THEN no day is posted twice, and the next new day posts', async () => {
    const workspace = await slackWorkspace('T-WEST', { timezone: 'Asia/Tokyo' });
    const runs: Array<{ workspace: string; period: string }> = [];
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)] });
    await tickAt(scheduler, '2026-11-23T00:00:00Z'); // Nov 23, 09:00 in Tokyo
    const admin = { platform: 'slack' as const, workspaceExternalId: 'T-WEST', actor: { id: 'U0ADMIN', isAdmin: async () => true } };
    await app.router.handle(admin, app.router.parseText('irm', 'settings timezone:America/Los_Angeles'));
    expect((await app.services.workspaces.settings(workspace.id)).timezone).toBe('America/Los_Angeles');

    // Nov 22, 17:00 in Los Angeles: its 09:00 has passed, and Nov 22 was never keyed there.
    const west = await tickAt(scheduler, '2026-11-23T01:00:00Z');
    expect(west.runs).toEqual([{ job: 'hello', workspaceId: workspace.id, period: '2026-11-22', outcome: 'superseded', posts: 0 }]);
    // A restarted replica (no memory) on the same ledger, later that evening: still nothing.
    const restarted = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)] });
    expect((await tickAt(restarted, '2026-11-23T05:00:00Z')).runs).toEqual([]);
    await tickAt(restarted, '2026-11-23T17:00:00Z'); // Nov 23, 09:00 in Los Angeles: Nov 23 went out already
    await tickAt(restarted, '2026-11-24T17:00:00Z'); // Nov 24, 09:00 in Los Angeles: a new day

    expect(runs.map((r) => r.period)).toEqual(['2026-11-23', '2026-11-24']);
    expect(slack.posts.map((p) => [toPlainText(p.reply), p.at.toISOString()])).toEqual([
      ['hello 2026-11-23', '2026-11-23T00:00:00.000Z'],
      ['hello 2026-11-24', '2026-11-24T17:00:00.000Z'],
    ]);
    const ledger = await connection.collection('job_runs').find({ workspaceId: new Types.ObjectId(workspace.id) }).sort({ period: 1 }).toArray();
    expect(ledger.map((e) => [e.period, e.status])).toEqual([
      ['2026-11-22', 'superseded'],
      ['2026-11-23', 'posted'],
      ['2026-11-24', 'posted'],
    ]);
  });

  it('GIVEN replicas claim an earlier and a later day of one workspace at once THEN the later one runs, and the earlier never runs once the later was claimed', async () => {
    const workspace = await slackWorkspace('T-RACE', { timezone: 'UTC' });
    const models = createSchedulerModels(connection);
    const ledger = new JobRunLedger(models.jobRuns, models.jobRunMarks, { leaseMs: 60_000, clock: app.clock });
    const at = new Date('2026-11-23T12:00:00Z');
    const [later, earlier] = await Promise.all([
      ledger.claim({ job: 'hello', workspaceId: workspace.id, period: '2026-11-23' }, at),
      ledger.claim({ job: 'hello', workspaceId: workspace.id, period: '2026-11-22' }, at),
    ]);
    const outcomes = [later === 'superseded' ? 'superseded' : later ? 'claimed' : 'none', earlier === 'superseded' ? 'superseded' : earlier ? 'claimed' : 'none'];
    // Whichever wrote first, the earlier day never runs after the later one was claimed; the later one always runs.
    expect(outcomes[0]).toBe('claimed');
    expect(['superseded', 'claimed']).toContain(outcomes[1]);
    expect(await ledger.claim({ job: 'hello', workspaceId: workspace.id, period: '2026-11-22' }, at)).toBe('superseded');
    expect((await models.jobRunMarks.findById(`hello:${workspace.id}`).lean())?.period).toBe('2026-11-23');
  });

  it('GIVEN two replicas claim the same first day at once and the second one\'s mark upsert loses the insert race THEN exactly one posts, and the day is not left superseded', async () => {
    const workspace = await slackWorkspace('T-SAMEDAY');
    const models = createSchedulerModels(connection);
    const marks = models.jobRunMarks;
    const updateMark = marks.updateOne.bind(marks) as (...args: unknown[]) => PromiseLike<unknown>;
    const replacing = (updateOne: (...args: unknown[]) => Promise<unknown>) =>
      new Proxy(marks, { get: (target, prop) => (prop === 'updateOne' ? updateOne : Reflect.get(target, prop)) });
    // Replica a upserts the mark first (no mark yet: it inserts one), then is held before writing its run.
    let aMarked!: () => void;
    let releaseA!: () => void;
    const aHasMarked = new Promise<void>((resolve) => (aMarked = resolve));
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    const marksA = replacing(async (...args) => {
      const result = await updateMark(...args);
      aMarked();
      await aHeld;
      return result;
    });
    // Replica b's upsert found no mark either, so its insert hits a's `_id`: the real duplicate-key error of that race.
    let bRaced = false;
    const marksB = replacing(async (...args) => {
      if (bRaced) return updateMark(...args);
      bRaced = true;
      const [filter, update] = args as [{ _id: string }, { $set: { period: string } }];
      return marks.create({ _id: filter._id, period: update.$set.period });
    });
    const runs: Array<{ workspace: string; period: string }> = [];
    const slack = recordingPoster(app.clock);
    const a = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)], instanceId: 'a', models: { jobRunMarks: marksA } });
    const b = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob(runs)], instanceId: 'b', models: { jobRunMarks: marksB } });

    app.clock.set('2026-11-23T08:00:00Z'); // 09:00 in Paris: both replicas' start-up catch-up, outside the election
    const first = a.runDue(app.clock());
    await aHasMarked;
    const second = await b.runDue(app.clock());
    releaseA();
    const firstReports = await first;

    expect(bRaced).toBe(true);
    expect([...firstReports, ...second]).toEqual([
      { job: 'hello', workspaceId: workspace.id, period: '2026-11-23', outcome: 'busy', posts: 0 },
      { job: 'hello', workspaceId: workspace.id, period: '2026-11-23', outcome: 'posted', posts: 1 },
    ]);
    expect(runs).toEqual([{ workspace: workspace.id, period: '2026-11-23' }]);
    expect(slack.posts.map((p) => [p.channelId, toPlainText(p.reply)])).toEqual([['C0DIGEST', 'hello 2026-11-23']]);
    const ledger = await connection.collection('job_runs').find({ workspaceId: new Types.ObjectId(workspace.id) }).toArray();
    expect(ledger.map((e) => [e.period, e.status])).toEqual([['2026-11-23', 'posted']]);
    expect((await marks.findById(`hello:${workspace.id}`).lean())?.period).toBe('2026-11-23');
  });

  it('GIVEN a job that has nothing to say WHEN it runs THEN nothing is posted and it does not run again that day', async () => {
    await slackWorkspace('T-QUIET');
    const runs: Array<{ workspace: string; period: string }> = [];
    const quiet = helloJob([], {
      run: (workspace: JobWorkspace, period: JobPeriod) => {
        runs.push({ workspace: workspace.id, period: period.key });
        return [];
      },
    });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [quiet] });
    expect((await tickAt(scheduler, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ outcome: 'empty' }]);
    await tickAt(scheduler, '2026-11-23T09:00:00Z');
    expect(runs).toHaveLength(1);
    expect(slack.posts).toEqual([]);
  });
});

describe('scheduler with the real late-payments job', () => {
  it('GIVEN a late and a soon-due payment WHEN the posting time comes THEN one post in the payments channel with Mark paid buttons, mentioning the owner on day 1, without personal data', async () => {
    const workspace = await slackWorkspace('T-LATE', { timezone: 'America/New_York', payments: 'C0PAY' });
    const { collaboration } = await seedCollaboration(app, workspace, { ownerId: 'U0MARIA' });
    const { collaboration: other } = await seedCollaboration(app, workspace, { name: 'Li Wei', title: 'Winter box', ownerId: 'U0LI' });
    app.clock.set('2026-11-23T15:00:00Z');
    const late = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 150_000, currency: 'USD', dueOn: '2026-11-22' }, 'tester');
    const soon = await app.services.paymentStates.add(workspace, { collaboration: other, amountMinor: 80_000, currency: 'EUR', dueOn: '2026-11-25' }, 'tester');
    await app.services.paymentStates.add(workspace, { collaboration: other, amountMinor: 99_000, currency: 'EUR', dueOn: '2026-12-20' }, 'tester');

    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [latePayments] });
    await tickAt(scheduler, '2026-11-23T13:59:00Z'); // 08:59 EST
    expect(slack.posts).toEqual([]);
    await tickAt(scheduler, '2026-11-23T14:00:00Z');
    await tickAt(scheduler, '2026-11-23T14:01:00Z');

    expect(slack.posts).toHaveLength(1);
    const [post] = slack.posts;
    expect(post!.channelId).toBe('C0PAY');
    const plain = toPlainText(post!.reply);
    expect(plain).toContain('Payments: 1 late, 1 due soon');
    expect(plain).toContain('Zoë Tran · Spring launch · $1,500.00 · due Nov 22 · 1 day late · owner @U0MARIA');
    expect(plain).toContain('Li Wei · Winter box · €800.00 · due in 2 days (Nov 25)  [Mark paid');
    expect(plain).not.toContain('990.00');
    expect(post!.reply.blocks.flatMap((b) => (b.type === 'item' ? b.buttons : []))).toEqual([
      { label: 'Mark paid', line: `payment paid ${String(late._id)}`, style: 'primary' },
      { label: 'Mark paid', line: `payment paid ${String(soon._id)}`, style: 'primary' },
    ]);
    const raw = JSON.stringify(post!.reply);
    expect(raw).toContain('<@U0MARIA>'); // pinged on the first late day
    expect(raw).not.toContain('U0LI'); // due soon: not pinged, and no raw id either
    expect(raw).not.toMatch(/zoe@example\.com|555 0100/);
  });

  it('GIVEN nothing due or late WHEN the posting time comes THEN nothing is posted', async () => {
    const workspace = await slackWorkspace('T-CALM', { payments: 'C0PAY' });
    const { collaboration } = await seedCollaboration(app, workspace);
    app.clock.set('2026-11-23T08:00:00Z');
    const paid = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2026-11-20' }, 'tester');
    await app.services.paymentStates.markPaid(workspace, paid, { paidAt: app.clock() }, 'U0BOSS');
    await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2026-12-20' }, 'tester');
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [latePayments] });
    expect((await tickAt(scheduler, '2026-11-23T08:00:00Z')).runs).toMatchObject([{ job: 'late-payments', outcome: 'empty' }]);
    expect(slack.posts).toEqual([]);
  });
});
