import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCountedDatabase } from '../helpers/round-trips';
import latePayments from '../../jobs/late-payments.job';
import monthlyChecklist from '../../jobs/monthly-checklist.job';
import paymentSchedules from '../../jobs/payment-schedules.job';
import { atLocalTime, type Actor, type JobWorkspace } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, silentLogger } from '../helpers/app';

/**
 * The payment-schedules, monthly-checklist and late-payments jobs cost the same number of database round trips however many
 * collaborations a workspace has (issue 5: "Job round trips the same at N and 10 x N"), counted
 * as the bench counts them: driver command monitoring, one `commandStarted` per round trip.
 */

const TZ = 'Europe/Paris';
const { connection, counted } = useCountedDatabase({ bufferCommands: true });
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z', timezone: TZ });
});

/** A workspace of its own with `count` active collaborations, a third each once, monthly and per-deliverable (two published pieces each). */
async function seed(team: string, count: number): Promise<JobWorkspace> {
  const info = await app.services.workspaces.ensure('slack', team);
  const wsId = new mongoose.Types.ObjectId(info.id);
  const admin: Caller = { platform: 'slack', workspaceExternalId: team, actor: { id: 'U0ADMIN', isAdmin: async () => true } satisfies Actor };
  await app.router.handle(admin, app.router.parseText('influencer', `add "Creator ${team}" @creator.${team.toLowerCase()} network:instagram`));
  const creator = await app.models.influencers.findOne({ workspaceId: wsId }).lean();
  const schedules = ['once', 'monthly', 'per-deliverable'] as const;
  const collabs = [];
  for (let i = 0; i < count; i += 1) {
    collabs.push(
      await app.services.collaborations.create(
        info,
        (await app.services.influencers.resolve(info.id, String(creator!._id)))!,
        {
          title: `Collab ${i}`,
          type: 'sponsored-post',
          goal: 'awareness',
          ownerId: 'U0ADMIN',
          start: atLocalTime('2026-10-20', '00:00', TZ),
          brief: {},
          expectedPerMonth: [{ type: 'post', count: 2 }],
          compensation: { feeMinor: 50_000 + i, currency: 'EUR', schedule: schedules[i % 3], netDays: 30 },
          reportingDay: 5,
        },
        'U0ADMIN',
      ),
    );
  }
  const perDeliverable = collabs.filter((_, i) => schedules[i % 3] === 'per-deliverable');
  await app.models.contents.insertMany(
    perDeliverable.flatMap((collab) =>
      [1, 2].map((n) => ({
        workspaceId: wsId,
        collaborationId: collab._id,
        influencerId: creator!._id,
        type: 'post',
        month: '2026-11',
        status: 'published',
        publishedAt: atLocalTime(`2026-11-0${n}`, '12:00', TZ),
      })),
    ),
  );
  return { ...info, settings: {} } as unknown as JobWorkspace;
}

async function runJob(workspace: JobWorkspace, job = paymentSchedules, now = atLocalTime('2026-12-01', '09:00', TZ)) {
  const { value: posts, commands } = await counted(async () =>
    job.run(workspace, { key: '2026-12', startsAt: now, endsAt: now, runAt: now } as never, {
      services: app.services,
      now,
      logger: silentLogger,
    }),
  );
  return { posts, commands };
}

describe('job round trips', () => {
  it('GIVEN 5 and then 50 active collaborations WHEN the payment-schedules job runs THEN it makes the same database round trips, and plans every payment once', async () => {
    const small = await seed('T0SMALL', 5);
    const large = await seed('T0LARGE', 50);

    const atSmall = await runJob(small);
    const atLarge = await runJob(large);

    expect(atLarge.commands.length).toBeGreaterThan(0);
    expect(atLarge.commands.sort()).toEqual(atSmall.commands.sort());
    expect(atLarge.commands.length).toBeLessThanOrEqual(8);

    // Every payment the terms call for exists once, with one change record each; a second run plans nothing and costs no writes.
    const payments = await app.models.payments.find({ workspaceId: new mongoose.Types.ObjectId(large.id) }).lean();
    expect(new Set(payments.map((p) => p.scheduleKey)).size).toBe(payments.length);
    expect(payments.length).toBeGreaterThanOrEqual(50);
    expect(await app.models.changes.countDocuments({ entity: 'payment', entityId: { $in: payments.map((p) => p._id) }, action: 'schedule' })).toBe(payments.length);
    expect(atLarge.posts).toHaveLength(1);

    const again = await runJob(large);
    expect(again.posts).toEqual([]);
    expect(again.commands.filter((name) => name !== 'find')).toEqual([]);
    expect(await app.models.payments.countDocuments({ workspaceId: new mongoose.Types.ObjectId(large.id) })).toBe(payments.length);
  });

  it('GIVEN 5 and then 50 active collaborations WHEN the monthly-checklist job plans December, twice THEN the round trips are the same, and the second run only reads', async () => {
    const small = await seed('T0CHECKSMALL', 5);
    const large = await seed('T0CHECKLARGE', 50);

    const atSmall = await runJob(small, monthlyChecklist);
    const atLarge = await runJob(large, monthlyChecklist);
    expect(atLarge.posts).toEqual([]); // planning only: the monthly digest is what the team sees
    expect(atLarge.commands.sort()).toEqual(atSmall.commands.sort());
    const slots = await app.models.contents.countDocuments({ workspaceId: new mongoose.Types.ObjectId(large.id), month: '2026-12' });
    expect(slots).toBeGreaterThanOrEqual(50);

    const again = await runJob(large, monthlyChecklist);
    expect(again.posts).toEqual([]);
    expect(again.commands).toEqual(['find', 'find']);
    expect(await app.models.contents.countDocuments({ workspaceId: new mongoose.Types.ObjectId(large.id), month: '2026-12' })).toBe(slots);
  });

  it('GIVEN 5 and then 50 collaborations with payments WHEN the late-payments job runs once they are all late THEN one round trip each time, and the post counts every payment but lists 20', async () => {
    const settings = { warnBeforeDueDays: 3 };
    const small = { ...(await seed('T0LATESMALL', 5)), timezone: TZ, settings } as JobWorkspace;
    const large = { ...(await seed('T0LATELARGE', 50)), timezone: TZ, settings } as JobWorkspace;
    await runJob(small);
    await runJob(large);
    const open = await app.models.payments.countDocuments({ workspaceId: new mongoose.Types.ObjectId(large.id), status: 'scheduled' });
    expect(open).toBeGreaterThan(20);

    const later = atLocalTime('2027-12-01', '09:00', TZ);
    const atSmall = await runJob(small, latePayments, later);
    const atLarge = await runJob(large, latePayments, later);
    expect(atSmall.commands).toEqual(['aggregate']);
    expect(atLarge.commands).toEqual(['aggregate']);
    const post = atLarge.posts[0]!.reply;
    expect(post.blocks[0]).toEqual({ type: 'header', text: `Payments: ${open} late` });
    expect(post.blocks.filter((b) => b.type === 'item')).toHaveLength(20);
    expect(post.blocks.at(-1)).toMatchObject({ type: 'context', text: expect.stringContaining(`And ${open - 20} more`) });
  });
});
