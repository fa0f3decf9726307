import { Types } from 'mongoose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineJob, text, type JobDefinition } from '../../src/core';
import { JobRunLedger, type Claim, type RunId } from '../../src/scheduler/job-run-ledger';
import { createSchedulerModels, syncSchedulerIndexes, type SchedulerModels } from '../../src/scheduler/scheduler.models';
import { buildApp } from '../helpers/app';
import { useCountedDatabase } from '../helpers/round-trips';
import { buildScheduler, recordingPoster, resetScheduling } from '../helpers/scheduler';

/**
 * A workspace's due runs are claimed together (two round trips for the lot), with the same answer
 * per run as one claim at a time: claimed, taken over, busy, or superseded. And an all-due tick costs
 * a constant number of ledger round trips per workspace.
 */

const { connection, counted } = useCountedDatabase();
let models: SchedulerModels;
let app: Awaited<ReturnType<typeof buildApp>>;
const now = new Date('2026-11-23T08:00:00Z');
const workspaceId = new Types.ObjectId().toString();
const ledger = (lease = 60_000) => new JobRunLedger(models.jobRuns, models.jobRunMarks, { leaseMs: lease, clock: () => now });
const id = (job: string, period = '2026-11-23'): RunId => ({ job, workspaceId, period });
/** A claim as the test compares it: what it is, and for a claim, its attempt and what it carries over. */
const shape = (claim: Claim | 'superseded' | undefined) =>
  claim && claim !== 'superseded' ? { attempt: claim.attempt, alreadyPosted: [...claim.alreadyPosted], unresolved: [...claim.unresolved.keys()] } : claim;

beforeAll(async () => {
  models = createSchedulerModels(connection);
  await syncSchedulerIndexes(models);
  app = await buildApp(connection);
});
beforeEach(async () => {
  await resetScheduling(connection);
  app.clock.set(now);
});

describe('JobRunLedger.claimAll: a workspace\'s runs claimed together', () => {
  it('GIVEN three fresh runs WHEN claimed together THEN each is claimed (attempt 1) with one bulk write of the marks and one insert', async () => {
    const { value, commands } = await counted(() => ledger().claimAll([id('a'), id('b'), id('c')], now));

    expect([value.map(shape), commands]).toEqual([
      [1, 1, 1].map((attempt) => ({ attempt, alreadyPosted: [], unresolved: [] })),
      ['update', 'insert'],
    ]);
    expect(await connection.collection('job_runs').find({}, { projection: { status: 1, attempts: 1 } }).sort({ _id: 1 }).toArray()).toEqual(
      ['a', 'b', 'c'].map((job) => ({ _id: `${job}:${workspaceId}:2026-11-23`, status: 'running', attempts: 1 })),
    );
  });

  it('GIVEN a failed run due for retry, one running under a live lease, one whose job already ran a later day, and a fresh one WHEN claimed together THEN the answers are those of one claim at a time', async () => {
    const runs = connection.collection('job_runs');
    await runs.insertMany([
      { _id: `retry:${workspaceId}:2026-11-23` as never, job: 'retry', period: '2026-11-23', status: 'failed', retryAt: now, attempts: 1, posts: [{ index: 0, key: 'team' }], intents: [{ index: 0, key: 'team' }, { index: 1, key: 'owner:U1' }] },
      { _id: `held:${workspaceId}:2026-11-23` as never, job: 'held', period: '2026-11-23', status: 'running', claimToken: 'other', leaseUntil: new Date(now.getTime() + 30_000), attempts: 1, posts: [], intents: [] },
    ]);
    await connection.collection('job_run_marks').insertOne({ _id: `moved:${workspaceId}` as never, period: '2026-11-24' });

    const claims = await ledger().claimAll([id('retry'), id('held'), id('moved'), id('fresh')], now);

    expect(claims.map(shape)).toEqual([{ attempt: 2, alreadyPosted: ['team'], unresolved: ['owner:U1'] }, undefined, 'superseded', { attempt: 1, alreadyPosted: [], unresolved: [] }]);
    expect(await runs.find({}, { projection: { status: 1, attempts: 1, claimToken: 1 } }).sort({ _id: 1 }).toArray()).toEqual([
      { _id: `fresh:${workspaceId}:2026-11-23`, status: 'running', attempts: 1, claimToken: (claims[3] as Claim).token },
      { _id: `held:${workspaceId}:2026-11-23`, status: 'running', attempts: 1, claimToken: 'other' },
      { _id: `moved:${workspaceId}:2026-11-23`, status: 'superseded', attempts: 0 },
      { _id: `retry:${workspaceId}:2026-11-23`, status: 'running', attempts: 2, claimToken: (claims[0] as Claim).token },
    ]);
  });

  it('GIVEN two replicas WHEN both claim the same three runs at once THEN each run is claimed by exactly one of them', async () => {
    const ids = [id('a'), id('b'), id('c')];
    const [first, second] = await Promise.all([ledger().claimAll(ids, now), ledger().claimAll(ids, now)]);

    const tokens = ids.map((_, i) => [first[i], second[i]].filter((c): c is Claim => Boolean(c) && c !== 'superseded').map((c) => c.token));
    expect(tokens.map((t) => t.length)).toEqual([1, 1, 1]);
    const stored = await connection.collection('job_runs').find({}).sort({ _id: 1 }).toArray();
    expect(stored.map((e) => e.claimToken)).toEqual(tokens.map((t) => t[0]));
  });
});

describe('scheduler: an all-due tick in a constant number of ledger round trips per workspace', () => {
  /** A job that posts once in the digest channel. */
  const poster = (name: string): JobDefinition =>
    defineJob({ name, description: name, channel: 'digest', schedule: { kind: 'daily', at: 'posting-time' }, run: () => [{ channel: 'digest', reply: text(name, 'channel') }] });
  const jobs = [poster('one'), poster('two'), poster('three')];

  async function workspaces(count: number) {
    for (let i = 0; i < count; i += 1) {
      const team = `T-TRIPS-${count}-${i}`;
      app.services.workspaces.forget('slack', team);
      const info = await app.services.workspaces.ensure('slack', team);
      await app.services.workspaces.updateSettings(info.id, { timezone: 'Europe/Paris', channels: { digest: `C${i}` } });
    }
  }
  const byName = (commands: string[]) => commands.reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});

  it('GIVEN 1 and then 4 workspaces with three posting jobs due WHEN the tick runs THEN each workspace costs 8 ledger round trips: its marks, its claims, and an intent and an outcome per run', async () => {
    const trips = [];
    for (const count of [1, 4]) {
      await resetScheduling(connection);
      await workspaces(count);
      const slack = recordingPoster(app.clock);
      const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs });
      const { value, commands } = await counted(() => scheduler.tick(now));
      expect([value.runs.length, slack.posts.length]).toEqual([3 * count, 3 * count]);
      trips.push(byName(commands));
    }

    // The tick itself: its election, the sweep of old locks, the workspaces and the ledger states.
    expect(trips).toEqual([
      { insert: 1 + 1, delete: 1, find: 2, update: 1 + 3 + 3 },
      { insert: 1 + 4, delete: 1, find: 2, update: 4 * (1 + 3 + 3) },
    ]);
  });
});
