import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { jobs as allJobs } from '../../jobs';
import { atLocalTime, type JobDefinition, type Platform, type Reply } from '../../src/core';
import type { Influencer } from '../../src/domain/influencer/influencer.service';
import { Scheduler, type Poster } from '../../src/scheduler/scheduler';
import { createSchedulerModels, syncSchedulerIndexes } from '../../src/scheduler/scheduler.models';
import { silentLogger, type buildApp } from './app';

type App = Awaited<ReturnType<typeof buildApp>>;

/** A poster that records what it was asked to post; `failNext` makes the next calls throw (a 429, a 500). */
export function recordingPoster(clock: () => Date) {
  const posts: Array<{ channelId: string; reply: Reply; at: Date; id: string }> = [];
  const failures: Error[] = [];
  let calls = 0;
  const poster: Poster = async (channelId, reply) => {
    calls += 1;
    const failure = failures.shift();
    if (failure) throw failure;
    const id = `m${posts.length + 1}`;
    posts.push({ channelId, reply, at: clock(), id });
    return { id };
  };
  return {
    poster,
    posts,
    calls: () => calls,
    failNext(...errors: Error[]) {
      failures.push(...errors);
    },
  };
}

/** A scheduler on the app's services and the same database, as main.ts wires it. */
export async function buildScheduler(
  connection: Connection,
  app: App,
  options: { posters: Partial<Record<Platform, Poster>>; jobs?: readonly JobDefinition[]; instanceId?: string; leaseMs?: number },
) {
  const models = createSchedulerModels(connection);
  await syncSchedulerIndexes(models);
  return new Scheduler({
    jobs: options.jobs ?? allJobs,
    services: app.services,
    models,
    posters: options.posters,
    clock: app.clock,
    logger: silentLogger,
    instanceId: options.instanceId,
    leaseMs: options.leaseMs,
  });
}

/** Empties what the scheduler looks at, so each test starts with no workspaces and no ledger. */
export async function resetScheduling(connection: Connection): Promise<void> {
  for (const name of ['workspaces', 'job_runs', 'run_locks', 'payments', 'collaborations', 'contents', 'influencers']) {
    await connection.collection(name).deleteMany({});
  }
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
  const { collaboration } = await app.services.collaborations.create(
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
