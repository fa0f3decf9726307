import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import type pino from 'pino';
import { jobs } from '../jobs';
import type { Destination, PostMark, Poster } from '../src/core';
import { CONNECTION_OPTIONS } from '../src/db/connection';
import { createModels, createServices, syncIndexes } from '../src/domain/services';
import { DEFAULT_CONCURRENCY, Scheduler } from '../src/scheduler/scheduler';
import { createSchedulerModels, syncSchedulerIndexes } from '../src/scheduler/scheduler.models';
import { RoundTrips, describeOps } from './round-trips';
import { seedWorkspace } from './seed';

export interface TickRun {
  ms: number;
  roundTrips: number;
  ops: string;
  /** Job runs the tick started, and the posts they made. */
  runs: number;
  posts: number;
}

export interface TickBench {
  workspaces: number;
  creatorsPerWorkspace: number;
  jobs: number;
  /** The posting minute: every job of every workspace is due. */
  allDue: TickRun;
  /** The next minute, on another replica (nothing in its memory): every run is final in the ledger. */
  noneDue: TickRun;
}

/** Creators (each with touchpoints, a collaboration, content and payments) in each workspace of the tick. */
const CREATORS_PER_WORKSPACE = 2;

/**
 * One scheduler tick over `count` workspaces, through the real Scheduler and every job, in a
 * database of its own (so the bench's big workspace is not among them): at the posting minute,
 * when every job of every workspace is due, and a minute later on a second replica, when none is.
 * Posts go to a poster that only counts them.
 */
export async function measureSchedulerTick(
  setup: { uri: string; dbName: string; timezone: string; logger: pino.Logger },
  count: number,
  say: (line: string) => void,
): Promise<TickBench> {
  // As the jobs' connection (bench/run-bench.ts measureJobs): a busy stand-in must not clear the pool and double the counted reads.
  const connection = await mongoose.createConnection(setup.uri, { ...CONNECTION_OPTIONS, serverSelectionTimeoutMS: 120_000, connectTimeoutMS: 120_000, socketTimeoutMS: 0, dbName: `${setup.dbName}_tick`, monitorCommands: true }).asPromise();
  try {
    const roundTrips = new RoundTrips(connection.getClient());
    // The posting minute of today (09:00 in the workspaces' timezone, the default posting time).
    const postingAt = new Date(`${new Date().toISOString().slice(0, 10)}T09:01:00Z`);
    const clock = () => postingAt;
    const models = createModels(connection);
    await syncIndexes(models);
    const schedulerModels = createSchedulerModels(connection);
    await syncSchedulerIndexes(schedulerModels);
    const services = createServices(models, { clock, defaultTimezone: 'UTC' });

    const t0 = performance.now();
    const docs = await models.workspaces.insertMany(
      Array.from({ length: count }, (_, i) => ({ platform: 'slack', externalId: `TTICK${i}`, timezone: 'UTC', channels: { digest: `CD${i}`, payments: `CP${i}`, nudges: `CN${i}` } })),
    );
    for (const doc of docs) await seedWorkspace(models, { workspaceId: String(doc._id), timezone: 'UTC', now: postingAt, from: 0, to: CREATORS_PER_WORKSPACE });
    say(`  seeded ${count} workspaces with ${CREATORS_PER_WORKSPACE} creators each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    let posts = 0;
    const poster: Poster = Object.assign(
      async (_to: Destination, _reply: unknown, _mark?: PostMark) => ({ id: `p${(posts += 1)}` }),
      { find: async () => undefined },
    );
    const replica = (instanceId: string) => new Scheduler({ jobs, services, models: schedulerModels, posters: { slack: poster }, clock, logger: setup.logger, instanceId });

    const measure = async (scheduler: Scheduler, at: Date): Promise<TickRun> => {
      const before = posts;
      roundTrips.start();
      const started = performance.now();
      const report = await scheduler.tick(at);
      const ms = performance.now() - started;
      const counted = roundTrips.stop();
      if (!report.elected) throw new Error('the bench scheduler was not elected for its tick');
      return { ms, roundTrips: counted.total, ops: describeOps(counted), runs: report.runs.length, posts: posts - before };
    };
    const allDue = await measure(replica('bench-a'), postingAt);
    say(`  all due (${DEFAULT_CONCURRENCY} workspaces at once): ${Math.round(allDue.ms)} ms, ${allDue.roundTrips} round trips, ${allDue.runs} runs, ${allDue.posts} posts`);
    const noneDue = await measure(replica('bench-b'), new Date(postingAt.getTime() + 60_000));
    say(`  none due: ${Math.round(noneDue.ms)} ms, ${noneDue.roundTrips} round trips`);
    return { workspaces: count, creatorsPerWorkspace: CREATORS_PER_WORKSPACE, jobs: jobs.length, allDue, noneDue };
  } finally {
    await connection.dropDatabase().catch(() => {});
    await connection.close(true).catch(() => {});
  }
}
