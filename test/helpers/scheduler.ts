import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { beforeEach } from 'vitest';
import { jobs as allJobs } from '../../jobs';
import { atLocalTime, type Destination, type JobDefinition, type Logger, type Platform, type Reply } from '../../src/core';
import type { Influencer } from '../../src/domain/influencer/influencer.service';
import { Scheduler, type PostMark, type Poster } from '../../src/scheduler/scheduler';
import { createSchedulerModels, syncSchedulerIndexes, type SchedulerModels } from '../../src/scheduler/scheduler.models';
import type { SettingsPatch } from '../../src/domain/workspace/workspace.service';
import { silentLogger, useApp, type App } from './app';

/**
 * A channel that records what it was asked to post, with each post's mark, and finds a post by its
 * mark as Slack's history does; `failNext` makes the next calls throw (a 429, a 500), `loseNext` makes
 * the next calls post and then throw (a timeout after the platform accepted the post).
 */
export function recordingPoster(clock: () => Date) {
  /** `channelId` is the channel, or `user:<id>` for a post to one person. */
  const posts: Array<{ channelId: string; reply: Reply; at: Date; id: string; mark?: PostMark }> = [];
  const failures: Array<{ error: Error; after: boolean }> = [];
  let calls = 0;
  let finds = 0;
  const where = (to: Destination) => ('channelId' in to ? to.channelId : `user:${to.userId}`);
  const poster: Poster = Object.assign(
    async (to: Destination, reply: Reply, mark?: PostMark) => {
      calls += 1;
      const failure = failures.shift();
      if (failure && !failure.after) throw failure.error;
      const id = `m${posts.length + 1}`;
      posts.push({ channelId: where(to), reply, at: clock(), id, ...(mark ? { mark } : {}) });
      if (failure) throw failure.error;
      return { id };
    },
    {
      find: async (to: Destination, mark: PostMark) => {
        finds += 1;
        const found = posts.find((p) => p.channelId === where(to) && p.mark?.run === mark.run && p.mark.index === mark.index);
        return found && { id: found.id };
      },
    },
  );
  return {
    poster,
    posts,
    calls: () => calls,
    finds: () => finds,
    failNext(...errors: Error[]) {
      failures.push(...errors.map((error) => ({ error, after: false })));
    },
    loseNext(...errors: Error[]) {
      failures.push(...errors.map((error) => ({ error, after: true })));
    },
  };
}

/** A scheduler on the app's services and the same database, as main.ts wires it. */
export async function buildScheduler(
  connection: Connection,
  app: App,
  options: {
    posters: Partial<Record<Platform, Poster>>;
    jobs?: readonly JobDefinition[];
    instanceId?: string;
    leaseMs?: number;
    renewEveryMs?: number;
    concurrency?: number;
    logger?: Logger;
    /** Stands in for some of the scheduler's models (to force an interleaving of two replicas' writes). */
    models?: Partial<SchedulerModels>;
  },
) {
  const models = createSchedulerModels(connection);
  await syncSchedulerIndexes(models);
  return new Scheduler({
    jobs: options.jobs ?? allJobs,
    services: app.services,
    models: { ...models, ...options.models },
    posters: options.posters,
    clock: app.clock,
    logger: options.logger ?? silentLogger,
    instanceId: options.instanceId,
    leaseMs: options.leaseMs,
    renewEveryMs: options.renewEveryMs,
    concurrency: options.concurrency,
  });
}

/** Empties what the scheduler looks at, so each test starts with no workspaces and no ledger. */
export async function resetScheduling(connection: Connection): Promise<void> {
  for (const name of ['workspaces', 'job_runs', 'job_run_marks', 'run_locks', 'payments', 'collaborations', 'contents', 'influencers']) {
    await connection.collection(name).deleteMany({});
  }
}

/**
 * The app (see useApp), with what the scheduler looks at emptied and the clock set back to `now`
 * before each test.
 */
export function useSchedulingApp(connection: Connection, now: string): App {
  const app = useApp(connection, { now });
  beforeEach(async () => {
    await resetScheduling(connection);
    app.clock.set(now);
  });
  return app;
}

/** A Slack workspace in this timezone (and `settings`), read afresh after resetScheduling (the collections were emptied; the cache does not know). */
export async function freshWorkspace(app: App, team: string, timezone: string, settings: Omit<SettingsPatch, 'timezone'> = {}) {
  app.services.workspaces.forget('slack', team);
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { ...settings, timezone });
}

/** A creator and an active collaboration with compensation terms, straight through the services. */
export async function seedCollaboration(
  app: App,
  workspace: { id: string; timezone: string },
  options: {
    name?: string;
    title?: string;
    ownerId?: string;
    start?: string;
    end?: string;
    reportingDay?: number;
    compensation?: { feeMinor?: number; currency: string; schedule?: 'once' | 'monthly' | 'per-deliverable'; netDays?: number };
  } = {},
) {
  const name = options.name ?? 'Zoë Tran';
  const influencer: Influencer = await app.services.influencers.add(
    workspace.id,
    { name, handles: [], tags: [], ownerId: options.ownerId ?? 'U0MARIA', stage: 'active', email: 'zoe@example.com', phone: '+1 555 0100' },
    'tester',
  );
  const startOf = (day: string) => atLocalTime(day, '00:00', workspace.timezone);
  const collaboration = await app.services.collaborations.create(
    workspace,
    influencer,
    {
      title: options.title ?? 'Spring launch',
      type: 'sponsored-post',
      goal: 'awareness',
      ownerId: options.ownerId ?? 'U0MARIA',
      start: startOf(options.start ?? '2026-11-01'),
      ...(options.end ? { end: startOf(options.end) } : {}),
      brief: {},
      expectedPerMonth: [],
      compensation: options.compensation ?? { feeMinor: 150_000, currency: 'USD', schedule: 'once', netDays: 30 },
      reportingDay: options.reportingDay,
    },
    'tester',
  );
  return { influencer, collaboration };
}

export const oid = () => new Types.ObjectId();
