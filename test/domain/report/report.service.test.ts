import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCountedDatabase } from '../../helpers/round-trips';
import { atLocalTime } from '../../../src/core';
import { digestReply } from '../../../commands/report.view';
import { MAX_EMBED_DESCRIPTION_LENGTH, MAX_EMBED_TOTAL_LENGTH, renderReply as renderDiscord } from '../../../src/platforms/discord/render-discord';
import { MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT_LENGTH, renderReply as renderSlack } from '../../../src/platforms/slack/render-block-kit';
import { buildApp } from '../../helpers/app';

/**
 * The monthly report from the database: results count in the month of publication in the
 * workspace timezone, and the whole report costs the same round trips at 10 and 1,000
 * collaborations (driver command monitoring, one `commandStarted` per round trip).
 */

const TZ = 'Europe/Paris';
const { connection, counted: countedInOrder } = useCountedDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-12-01T08:00:00Z', timezone: TZ });
});

const local = (day: string, time = '12:00') => atLocalTime(day, time, TZ);

/** A workspace with `count` creators, one awareness collaboration each since August, content and payments in the last months. */
async function seedWorkspace(team: string, count: number) {
  const info = await app.services.workspaces.ensure('slack', team);
  const workspaceId = new mongoose.Types.ObjectId(info.id);
  const people = await app.models.influencers.insertMany(
    Array.from({ length: count }, (_, i) => ({ workspaceId, name: `Creator ${i}`, nameKey: `creator ${i}`, searchText: `creator ${i}`, ownerId: 'U0OWNER', stage: 'active' })),
  );
  const collabs = await app.models.collaborations.insertMany(
    people.map((p, i) => ({
      workspaceId,
      influencerId: p._id,
      title: `Collab ${i}`,
      titleKey: `collab ${i}`,
      type: 'sponsored-post',
      goal: (['awareness', 'image', 'sales'] as const)[i % 3],
      ownerId: 'U0OWNER',
      start: local('2026-08-01', '00:00'),
      expectedPerMonth: [{ type: 'post', count: 1 }],
      compensation: { feeMinor: 100_000, currency: 'EUR', schedule: 'monthly', netDays: 30 },
      status: 'active',
    })),
  );
  await app.models.contents.insertMany(
    collabs.flatMap((c, i) =>
      ['2026-09', '2026-10', '2026-11'].map((month, m) => ({
        workspaceId,
        collaborationId: c._id,
        influencerId: c.influencerId,
        type: 'post',
        month,
        planned: true,
        planSlot: `${String(c._id)}:${month}:post:1`,
        dueAt: local(`${month}-28`, '23:59'),
        status: 'published',
        url: `https://instagram.com/p/${i}-${m}`,
        publishedAt: local(`${month}-10`),
        metrics: { reach: 1000 * (i + 1) * (m + 1), impressions: 3000, likes: 10 * (m + 1), purchases: i + m },
      })),
    ),
  );
  await app.models.payments.insertMany(
    collabs.map((c) => ({
      workspaceId,
      collaborationId: c._id,
      influencerId: c.influencerId,
      ownerId: 'U0OWNER',
      amountMinor: 100_000,
      currency: 'EUR',
      dueAt: local('2026-11-05', '00:00'),
      status: 'paid',
      paidAt: local('2026-11-04'),
      scheduleKey: `${String(c._id)}:monthly:2026-11`,
      source: 'schedule',
      createdById: 'scheduler',
    })),
  );
  return { ...info, cadences: {} };
}

async function counted<T>(work: () => Promise<T>): Promise<{ value: T; commands: string[] }> {
  const { value, commands } = await countedInOrder(work);
  return { value, commands: commands.sort() };
}

describe('monthly report service', () => {
  it('GIVEN pieces published either side of midnight on Nov 30 in Paris THEN each counts in its local month', async () => {
    const ws = await seedWorkspace('T0MIDNIGHT', 1);
    const wsId = new mongoose.Types.ObjectId(ws.id);
    const collab = (await app.models.collaborations.findOne({ workspaceId: wsId }).lean())!;
    const base = { workspaceId: wsId, collaborationId: collab._id, influencerId: collab.influencerId, type: 'story', month: '2026-11', status: 'published' };
    await app.models.contents.insertMany([
      // 23:30 in Paris on Nov 30 is 22:30 UTC: November.
      { ...base, publishedAt: new Date('2026-11-30T22:30:00Z'), url: 'https://x.com/a/1', metrics: { reach: 7 } },
      // 00:30 in Paris on Dec 1 is still Nov 30 in UTC: December, not in the November report.
      { ...base, month: '2026-12', publishedAt: new Date('2026-11-30T23:30:00Z'), url: 'https://x.com/a/2', metrics: { reach: 500 } },
    ]);

    const report = await app.services.reports.monthly(ws, '2026-11');

    expect(report.collaborations.map((c) => ({ title: c.title, published: c.published, reach: c.totals.reach, previous: c.previous.reach }))).toEqual([
      { title: 'Collab 0', published: 2, reach: 3007, previous: 2000 },
    ]);
    expect(report.months).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(report.collaborations[0]!.trend).toEqual([0, 0, 0, 1000, 2000, 3007]);
  });

  it('GIVEN 10 and then 1,000 collaborations WHEN the month is reported THEN the database round trips are the same', async () => {
    const small = await seedWorkspace('T0TEN', 10);
    const large = await seedWorkspace('T0THOUSAND', 1000);

    const atSmall = await counted(() => app.services.reports.monthly(small, '2026-11'));
    const atLarge = await counted(() => app.services.reports.monthly(large, '2026-11'));

    expect(atSmall.commands).toEqual(['aggregate', 'aggregate', 'aggregate', 'find']);
    expect(atLarge.commands).toEqual(atSmall.commands);
    expect(atLarge.value.collaborations).toHaveLength(1000);
    expect(atLarge.value.goals.map((g) => [g.goal, g.collaborations.length])).toEqual([
      ['awareness', 334],
      ['image', 333],
      ['sales', 333],
    ]);

    // The digest of that workspace (over 150 candidates, 1,000 creators never contacted) fits each platform whole.
    const digest = digestReply(atLarge.value, { visibility: 'channel' });
    const discord = renderDiscord(digest);
    const embed = discord.embeds[0]!;
    const embedLength = [embed.title, embed.description, embed.footer?.text, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])].join('').length;
    expect(embed.description!.length).toBeLessThan(MAX_EMBED_DESCRIPTION_LENGTH);
    expect(embedLength).toBeLessThan(MAX_EMBED_TOTAL_LENGTH);
    expect(discord.components.length).toBeLessThanOrEqual(5);
    const slack = renderSlack(digest);
    expect(slack.blocks.length).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS);
    expect((slack.blocks as Array<{ text?: { text: string } }>).every((b) => (b.text?.text.length ?? 0) <= MAX_SECTION_TEXT_LENGTH && !b.text?.text.endsWith('…'))).toBe(true);
    // Top quarter by reach (awareness) and purchases (sales); engagement is the same for every image collaboration, so none there.
    expect(atLarge.value.candidates.length).toBeGreaterThan(150);
    expect(atLarge.value.candidates.some((c) => c.goal === 'image')).toBe(false);
  });
});
