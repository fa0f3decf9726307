import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import monthlyDigest from '../../jobs/monthly-digest.job';
import { toPlainText, type Actor } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import type { DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { MAX_EMBED_DESCRIPTION_LENGTH } from '../../src/platforms/discord/render-discord';
import type { SlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { buildApp, silentLogger, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { multipart } from '../helpers/multipart';
import { decodePng, differingPixels, inkShare } from '../helpers/png';
import type { RecordingApi } from '../helpers/recording-api';
import { buildScheduler } from '../helpers/scheduler';
import { answerPosts, answerUploads, startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * The monthly-digest job end to end: scheduled on the reporting day at the posting time, for the
 * month before in the workspace timezone, posted once into the digest channel with its chart, which
 * is read back from the Slack upload and the Discord multipart body and decoded as a picture.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slackApp: SlackApp;
let discordApp: DiscordApp;
let api: RecordingApi;
let slack: SlackAdapter;
let discord: DiscordAdapter;

const admin = (platform: 'slack' | 'discord', team: string): Caller => ({
  platform,
  workspaceExternalId: team,
  actor: { id: 'U0MARIA', isAdmin: async () => true } satisfies Actor,
});

const say = async (caller: Caller, line: string): Promise<string> => (await sayAs(app, caller, line)).text;

/** Two creators with awareness collaborations since September; November results; an October piece to compare with. */
async function seed(caller: Caller, digestChannel: string, reach = 12_000) {
  await say(caller, `irm settings timezone:Europe/Paris digest:${digestChannel} posting_time:09:00 reporting_day:1`);
  await say(caller, 'influencer add "Zoë Tran" @zoe.creates network:instagram email:zoe@example.com phone:+33612345678 address:"1 rue de Rivoli"');
  await say(caller, 'influencer add "Ana Lima" @ana.lima network:tiktok email:ana@example.com');
  await say(caller, 'collab new @zoe.creates "Barrier Repair launch" type:sponsored-post goal:awareness expect:"post 1" fee:1000 currency:EUR schedule:monthly start:2026-09-01');
  await say(caller, 'collab new @ana.lima "Glow routine" type:review goal:image expect:"video 1" fee:500 currency:USD schedule:monthly start:2026-09-01');
  await say(caller, 'content log "Barrier Repair launch" https://www.instagram.com/p/OCT1/ published:2026-10-10');
  await say(caller, 'content log "Barrier Repair launch" https://www.instagram.com/p/NOV1/ published:2026-11-12');
  await say(caller, 'content log "Glow routine" https://www.tiktok.com/@ana/video/1 published:2026-11-20');
  await say(caller, 'content metrics https://www.instagram.com/p/OCT1/ reach:8000 impressions:10000');
  await say(caller, `content metrics https://www.instagram.com/p/NOV1/ reach:${reach} impressions:40000`);
  await say(caller, 'content metrics https://www.tiktok.com/@ana/video/1 reach:5000 likes:300 comments:40 saves:50 shares:10 new_followers:25');
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-12-01T07:00:00Z', timezone: 'UTC' });
  slackApp = await startSlackApp(app.router, connection);
  ({ api, slack } = slackApp);
  answerPosts(api, () => `1700000000.00${api.requests.length}`);
  api.respond((r) => (r.path === '/api/conversations.history' ? { body: { ok: true, messages: [] } } : undefined));
  answerUploads(api);
  api.respond((r) => (/\/channels\/\d+\/messages$/.test(r.path) ? { body: { id: `16000000000000${String(api.requests.length).padStart(5, '0')}` } } : undefined));
  discordApp = await startDiscordApp(app.router, { api, token: 'test-bot-token.discord.local' });
  ({ discord } = discordApp);
});

afterAll(async () => {
  await discordApp?.stop();
  await slackApp?.stop();
});

describe('the monthly-digest job', () => {
  it('GIVEN a Slack workspace in Paris WHEN the reporting day reaches the posting time THEN November is posted once with its chart uploaded, and nothing personal', async () => {
    const team = admin('slack', 'T0TEAM');
    await seed(team, 'C0DIGEST');
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [monthlyDigest] });
    api.reset();

    app.clock.set('2026-12-01T07:59:00Z'); // 08:59 in Paris: not yet
    await scheduler.tick(app.clock());
    expect(api.to('/api/chat.postMessage')).toEqual([]);

    app.clock.set('2026-12-01T08:00:00Z');
    await scheduler.tick(app.clock());
    app.clock.set('2026-12-01T08:05:00Z');
    await scheduler.tick(app.clock());
    await say(team, 'irm digest now monthly-digest'); // a preview on demand: never posted, never recorded

    const posted = api.to('/api/chat.postMessage');
    expect(posted.map((p) => p.body.channel)).toEqual(['C0DIGEST']);
    const text = String(posted[0]!.body.text);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '== Performance digest · November 2026 ==',
      'Awareness · 1 collaboration · reach 12,000 · impressions 40,000 · cost per thousand impressions €25.00',
      'Top 1 by reach first:',
    ]);
    expect(text).toContain('1. Zoë Tran · Barrier Repair launch · posts 1/1 · reach 12,000 (+50% on Oct) · cost per thousand impressions €25.00');
    expect(text).toContain('Image · 1 collaboration · engagement 400 (likes + comments + saves + shares) · engagement rate 8% of reach · new followers 25 · cost per engagement $1.25');
    expect(text).not.toMatch(/zoe@example\.com|\+33612345678|rue de Rivoli|ana@example\.com/);

    expect(api.requests.filter((r) => r.path.startsWith('/upload/')).map((r) => r.path)).toEqual(['/upload/performance-2026-11.png']);
    const png = decodePng(api.requests.find((r) => r.path === '/upload/performance-2026-11.png')!.bytes);
    expect({ width: png.width, height: png.height }).toEqual({ width: 840, height: 680 });
    expect(inkShare(png)).toBeGreaterThan(0.03);
    expect(api.to('/api/files.completeUploadExternal').map((r) => r.body.channel_id)).toEqual(['C0DIGEST']);

    const info = await app.services.workspaces.ensure('slack', 'T0TEAM');
    const run = await connection.collection('job_runs').findOne({ _id: `monthly-digest:${info.id}:2026-12` as never });
    expect([run?.status, run?.posts.length]).toEqual(['posted', 1]);
  });

  it('GIVEN a Discord guild WHEN the digest posts THEN the chart travels as files[0] of the multipart body, differs from another month\'s data, and the embed is not clipped', async () => {
    const guild = admin('discord', '900000000000000001');
    const other = admin('discord', '900000000000000002');
    await seed(guild, '1200000000000000777');
    await seed(other, '1200000000000000888', 30_000);
    const scheduler = await buildScheduler(connection, app, { posters: { discord: discord.poster }, jobs: [monthlyDigest] });
    api.reset();
    app.clock.set('2026-12-01T08:10:00Z');
    await scheduler.tick(app.clock());

    const chartOf = (channel: string) => {
      const [posted] = api.to(`/channels/${channel}/messages`);
      const parts = multipart(posted!.bytes, String(posted!.headers['content-type']).split('boundary=')[1]!);
      const payload = JSON.parse(parts.find((p) => p.disposition.includes('payload_json'))!.body.toString('utf8'));
      const image = parts.find((p) => p.disposition.includes('files[0]'))!;
      return { payload, image };
    };
    const first = chartOf('1200000000000000777');
    const second = chartOf('1200000000000000888');
    expect(first.payload.attachments).toEqual([{ id: 0, filename: 'performance-2026-11.png' }]);
    expect(first.image.type).toBe('image/png');
    const a = decodePng(first.image.body);
    const b = decodePng(second.image.body);
    expect(inkShare(a)).toBeGreaterThan(0.03);
    expect(differingPixels(a, b)).toBeGreaterThan(500);
    expect(first.payload.embeds[0].title).toBe('Performance digest · November 2026');
    expect(first.payload.embeds[0].description.length).toBeLessThan(MAX_EMBED_DESCRIPTION_LENGTH);
  });

  it('GIVEN a month with nothing expected, published or due THEN the digest says so kindly, without a chart', async () => {
    const quiet = admin('slack', 'T0QUIET');
    await say(quiet, 'irm settings timezone:Europe/Paris digest:C0QUIET');
    const workspace = await app.services.workspaces.settings((await app.services.workspaces.ensure('slack', 'T0QUIET')).id);
    const now = new Date('2026-12-01T08:00:00Z');
    const posts = await monthlyDigest.run(workspace, { kind: 'monthly', key: '2026-12', startsAt: now, endsAt: now, runAt: now }, { services: app.services, now, logger: silentLogger });
    expect(posts.map((p) => [p.reply.files, toPlainText(p.reply)])).toEqual([
      [
        undefined,
        '== Performance digest · November 2026 ==\nNothing to report for November 2026: no content was expected or published and no payment fell due. A calm month, and a good moment to plan the next one (`/collab list`).',
      ],
    ]);
  });
});
