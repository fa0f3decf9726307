import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineJob, text, type JobDefinition, type JobWorkspace } from '../../src/core';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { createSchedulerModels } from '../../src/scheduler/scheduler.models';
import { buildScheduler, recordingPoster, resetScheduling } from '../helpers/scheduler';
import { until } from '../helpers/until';

/**
 * The scheduler works on several workspaces at once (a bounded number), and every exactly-once
 * guarantee of the fenced ledger holds while it does: two replicas on the same all-due tick, a lease
 * that runs out mid-run, a replica that dies mid-tick, a slow or failing workspace, a fire while the
 * previous one still works, and a stop with workspaces still queued.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection);
});

/** Runs the test holds back, by workspace: each waits until the test opens it. */
let held: Map<string, { open: () => void; opened: Promise<void> }>;
/** Workspaces whose job started, in order; `calls` counts every start, including a second one. */
let started: string[];

beforeEach(async () => {
  await resetScheduling(connection);
  held = new Map();
  started = [];
  app.clock.set('2026-11-23T08:00:00Z'); // 09:00 in Paris, the default posting time
});
afterEach(() => {
  // A run the test left held would hang its promise forever: let it go.
  for (const gate of held.values()) gate.open();
});

function hold(workspaceId: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  held.set(workspaceId, { open, opened });
}

/** Says hello in the workspace's digest channel; waits first where the test holds it; `fail` throws instead. */
function helloJob(options: { fail?: ReadonlySet<string> } = {}): JobDefinition {
  return defineJob({
    name: 'hello',
    description: 'says hello',
    channel: 'digest',
    schedule: { kind: 'daily', at: 'posting-time' },
    async run(workspace: JobWorkspace, period) {
      started.push(workspace.id);
      await held.get(workspace.id)?.opened;
      if (options.fail?.has(workspace.id)) throw new Error(`${workspace.externalId} is broken`);
      return [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }];
    },
  });
}

/**
 * `count` Slack workspaces in Paris in scheduling order (by id), the i-th with its own digest
 * channel `C0DIGEST<posting time><i>`.
 */
async function workspaces(count: number, postingTime?: string) {
  const ids = [];
  for (let i = 0; i < count; i += 1) {
    const team = `T-MANY-${postingTime ?? ''}${i}`;
    app.services.workspaces.forget('slack', team);
    ids.push((await app.services.workspaces.ensure('slack', team)).id);
  }
  ids.sort();
  const made = [];
  for (const [i, id] of ids.entries()) {
    made.push(await app.services.workspaces.updateSettings(id, { timezone: 'Europe/Paris', postingTime, channels: { digest: `C0DIGEST${postingTime ?? ''}${i}` } }));
  }
  return made;
}

const ledger = () => connection.collection('job_runs');
/** How many posts each channel got, by channel. */
const postsPerChannel = (posts: ReadonlyArray<{ channelId: string }>) => {
  const counts: Record<string, number> = {};
  for (const p of posts) counts[p.channelId] = (counts[p.channelId] ?? 0) + 1;
  return counts;
};
const oncePerChannel = (channels: readonly string[]) => Object.fromEntries(channels.map((c) => [c, 1]));

describe('scheduler: due workspaces run a bounded number at a time', () => {
  it('GIVEN 10 workspaces due and a concurrency of 3 WHEN the tick runs THEN 3 are worked on at once, the rest wait unclaimed, and each workspace gets one post', async () => {
    const all = await workspaces(10);
    for (const w of all) hold(w.id);
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], concurrency: 3 });

    const tick = scheduler.tick(app.clock());
    await until(() => started.length === 3);
    // Database round trips of their own, while the three are held: unbounded work would claim more meanwhile.
    const claimed = await ledger().countDocuments({});
    // The first three in scheduling order, in whatever order their claims came back.
    expect([[...started].sort(), claimed, await ledger().countDocuments({})]).toEqual([all.slice(0, 3).map((w) => w.id), 3, 3]);
    for (const w of all) held.get(w.id)?.open();
    const { runs } = await tick;

    expect(runs.map((r) => [r.workspaceId, r.outcome, r.posts])).toEqual(all.map((w) => [w.id, 'posted', 1]));
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(all.map((_, i) => `C0DIGEST${i}`)));
  });

  it('GIVEN one workspace whose job hangs WHEN the tick runs THEN the other workspaces post meanwhile, and it posts once when it finishes', async () => {
    const [slow, ...others] = await workspaces(5);
    hold(slow!.id);
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], concurrency: 2 });

    const tick = scheduler.tick(app.clock());
    await until(() => slack.posts.length === 4);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST1', 'C0DIGEST2', 'C0DIGEST3', 'C0DIGEST4']));
    held.get(slow!.id)?.open();
    const { runs } = await tick;

    expect(runs.map((r) => [r.workspaceId, r.outcome])).toEqual([slow!, ...others].map((w) => [w.id, 'posted']));
    expect(slack.posts.map((p) => p.channelId).sort()).toEqual(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2', 'C0DIGEST3', 'C0DIGEST4']);
  });

  it('GIVEN one workspace whose job throws WHEN the tick runs THEN the others post, and it alone is failed and retried a minute later', async () => {
    const all = await workspaces(4);
    const broken = all[1]!;
    const slack = recordingPoster(app.clock);
    const fail = new Set([broken.id]);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob({ fail })], concurrency: 2 });

    const { runs } = await scheduler.tick(app.clock());
    expect(runs.map((r) => [r.workspaceId, r.outcome])).toEqual(all.map((w) => [w.id, w === broken ? 'failed' : 'posted']));
    expect(slack.posts.map((p) => p.channelId).sort()).toEqual(['C0DIGEST0', 'C0DIGEST2', 'C0DIGEST3']);

    fail.clear();
    app.clock.set('2026-11-23T08:01:00Z');
    expect((await scheduler.tick(app.clock())).runs.map((r) => [r.workspaceId, r.outcome])).toEqual([[broken.id, 'posted']]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2', 'C0DIGEST3']));
  });

  it('GIVEN a tick still working on a slow workspace WHEN the next minute fires on the same replica THEN that workspace is left alone and a workspace due that minute posts at once', async () => {
    const [slow] = await workspaces(1);
    const [later] = await workspaces(1, '09:01');
    hold(slow!.id);
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], concurrency: 4 });

    const first = scheduler.tick(app.clock());
    await until(() => started.length === 1);
    app.clock.set('2026-11-23T08:01:00Z');
    const second = await scheduler.tick(app.clock());
    expect(second).toEqual({ elected: true, runs: [{ job: 'hello', workspaceId: later!.id, period: '2026-11-23', outcome: 'posted', posts: 1 }] });
    held.get(slow!.id)?.open();

    expect((await first).runs.map((r) => [r.workspaceId, r.outcome])).toEqual([[slow!.id, 'posted']]);
    expect(started).toEqual([slow!.id, later!.id]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST09:010']));
  });
});

describe('scheduler: a fire while the previous one still works', () => {
  it('GIVEN a workspace queued behind a slow one WHEN the next minute fires THEN it is not queued a second time, and it runs once when its place frees', async () => {
    const [slow, queued] = await workspaces(2);
    hold(slow!.id);
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], concurrency: 1 });

    const first = scheduler.tick(app.clock());
    await until(() => started.length === 1);
    app.clock.set('2026-11-23T08:01:00Z');
    expect(await scheduler.tick(app.clock())).toEqual({ elected: true, runs: [] });
    held.get(slow!.id)?.open();

    expect((await first).runs.map((r) => [r.workspaceId, r.outcome])).toEqual([
      [slow!.id, 'posted'],
      [queued!.id, 'posted'],
    ]);
    expect(started).toEqual([slow!.id, queued!.id]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1']));
  });
});

describe('scheduler: exactly once while working on several workspaces at once', () => {
  it('GIVEN two replicas WHEN both run the same all-due tick over 12 workspaces THEN each workspace gets exactly one post and each job runs once', async () => {
    const all = await workspaces(12);
    const slack = recordingPoster(app.clock);
    const a = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'a', concurrency: 3 });
    const b = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'b', concurrency: 3 });

    const [ranByA, ranByB] = await Promise.all([a.runDue(app.clock()), b.runDue(app.clock())]);
    const posted = [...ranByA, ...ranByB].filter((r) => r.outcome === 'posted').map((r) => r.workspaceId);

    expect(posted.sort()).toEqual(all.map((w) => w.id).sort());
    // The other replica's attempt at a workspace finds it claimed (busy), or already final and is not reported.
    expect(new Set([...ranByA, ...ranByB].filter((r) => r.outcome !== 'posted').map((r) => r.outcome))).toEqual(new Set(ranByA.length + ranByB.length > 12 ? ['busy'] : []));
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(all.map((_, i) => `C0DIGEST${i}`)));
    expect(started.sort()).toEqual(all.map((w) => w.id).sort());
  });

  it('GIVEN a run held past its lease on one replica WHEN another replica takes it over and then the first wakes up THEN the fence refuses the late writer and the workspace has one post', async () => {
    const all = await workspaces(3);
    const stuck = all[0]!;
    hold(stuck.id);
    const slack = recordingPoster(app.clock);
    const a = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'a', concurrency: 2, renewEveryMs: 3_600_000 });
    const b = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'b', concurrency: 2 });

    const ranByA = a.runDue(app.clock());
    // The other two are done (posted and recorded), so only the held run is left for b to take.
    await until(async () => (await ledger().countDocuments({ status: 'posted' })) === 2);
    app.clock.set('2026-11-23T08:02:00Z'); // the 60 s lease, never renewed, has run out
    const gate = held.get(stuck.id)!;
    held.delete(stuck.id); // b's run of it does not wait
    expect((await b.runDue(app.clock())).map((r) => [r.workspaceId, r.outcome])).toEqual([[stuck.id, 'posted']]);
    // a wakes up with its posts computed: its intent write is fenced, and it stops.
    gate.open();
    expect((await ranByA).map((r) => [r.workspaceId, r.outcome])).toEqual([
      [stuck.id, 'lost'],
      [all[1]!.id, 'posted'],
      [all[2]!.id, 'posted'],
    ]);

    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2']));
    expect(await ledger().findOne({ _id: `hello:${stuck.id}:2026-11-23` as never })).toMatchObject({ status: 'posted', attempts: 2, posts: [{ index: 0, channelId: 'C0DIGEST0' }] });
  });

  it('GIVEN a replica that dies mid-tick (one run claimed, two queued) WHEN the bot restarts after the lease THEN every workspace posts once, and the dead replica waking up posts nothing', async () => {
    const all = await workspaces(3);
    hold(all[0]!.id);
    const slack = recordingPoster(app.clock);
    const dead = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'dead', concurrency: 1, renewEveryMs: 3_600_000 });
    const ranByDead = dead.runDue(app.clock());
    await until(() => started.length === 1);
    expect(await ledger().countDocuments({})).toBe(1); // the queued two were never claimed

    app.clock.set('2026-11-23T08:03:00Z');
    const gate = held.get(all[0]!.id)!;
    held.delete(all[0]!.id);
    const restarted = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'restarted', concurrency: 1 });
    await restarted.start(); // the catch-up at start
    await restarted.stop();
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2']));

    gate.open();
    expect((await ranByDead).map((r) => [r.workspaceId, r.outcome])).toEqual([
      [all[0]!.id, 'lost'],
      [all[1]!.id, 'busy'],
      [all[2]!.id, 'busy'],
    ]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2']));
    expect((await ledger().find({}).sort({ _id: 1 }).toArray()).map((e) => [e.status, e.posts.length])).toEqual([
      ['posted', 1],
      ['posted', 1],
      ['posted', 1],
    ]);
  });

  it('GIVEN workspaces queued behind the limit WHEN the bot stops THEN the run under way finishes and the queued ones are left unclaimed for the next replica, which posts each once', async () => {
    const all = await workspaces(3);
    hold(all[0]!.id);
    const slack = recordingPoster(app.clock);
    const stopping = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'stopping', concurrency: 1 });
    stopping.start();
    await until(() => started.length === 1);
    const stopped = stopping.stop();
    held.get(all[0]!.id)!.open();
    await stopped;
    expect([slack.posts.map((p) => p.channelId), await ledger().countDocuments({})]).toEqual([['C0DIGEST0'], 1]);

    app.clock.set('2026-11-23T08:01:00Z');
    const next = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'next', concurrency: 1 });
    expect((await next.tick(app.clock())).runs.map((r) => [r.workspaceId, r.outcome])).toEqual([
      [all[1]!.id, 'posted'],
      [all[2]!.id, 'posted'],
    ]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1', 'C0DIGEST2']));
  });

  it('GIVEN the catch-up fire has read what is due and not queued it yet WHEN the bot stops THEN nothing is claimed or posted, and the next replica posts each workspace once', async () => {
    const all = await workspaces(2);
    // The jobs ledger answers the fire's read of the run states, then holds the answer until the test lets it go.
    const models = createSchedulerModels(connection);
    let readDone!: () => void;
    let letGo!: () => void;
    const read = new Promise<void>((resolve) => (readDone = resolve));
    const released = new Promise<void>((resolve) => (letGo = resolve));
    const find = models.jobRuns.find.bind(models.jobRuns) as (...args: unknown[]) => { lean: () => Promise<unknown> };
    const jobRuns = new Proxy(models.jobRuns, {
      get: (target, prop) =>
        prop === 'find'
          ? (...args: unknown[]) => ({
              lean: async () => {
                const states = await find(...args).lean();
                readDone();
                await released;
                return states;
              },
            })
          : Reflect.get(target, prop),
    });
    const slack = recordingPoster(app.clock);
    const stopping = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'stopping', concurrency: 2, models: { jobRuns } });
    stopping.start();
    await read;
    const stopped = stopping.stop();
    letGo();
    await stopped;
    expect([started, slack.posts, await ledger().countDocuments({})]).toEqual([[], [], 0]);

    app.clock.set('2026-11-23T08:01:00Z');
    const next = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'next', concurrency: 2 });
    expect((await next.tick(app.clock())).runs.map((r) => [r.workspaceId, r.outcome])).toEqual([
      [all[0]!.id, 'posted'],
      [all[1]!.id, 'posted'],
    ]);
    expect(postsPerChannel(slack.posts)).toEqual(oncePerChannel(['C0DIGEST0', 'C0DIGEST1']));
  });
});
