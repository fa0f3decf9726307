import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dailyDigest from '../../jobs/daily-digest.job';
import nudges from '../../jobs/nudges.job';
import type { JobWorkspace } from '../../src/core';
import { databaseHealth } from '../../src/http/health';
import { createConsolePoster } from '../../src/platforms/console/console.adapter';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { buildApp, silentLogger } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { APPLICATION_ID, GUILD_A, USER_MARIA, USER_SAM, buttonClick, callbackPath, dispatch, modalSubmit } from '../helpers/discord-interactions';
import { addCreator } from '../helpers/nurture';
import { startRecordingApi, type RecordingApi } from '../helpers/recording-api';
import { buildScheduler, resetScheduling } from '../helpers/scheduler';

/**
 * The daily digest and the nudges as each platform delivers them, through the real scheduler and
 * the real posters: what Slack's Web API, Discord's REST API and the console were asked to post.
 * Personal data (email, phone, address, birth year, preferences) only ever in the message to the
 * one owner; and on Discord the buttons of that DM work, though a DM interaction names no server.
 */

const { connection } = useTestDatabase();
const TZ = 'Europe/Paris';
/** Monday 23 November 2026, 09:00 in Paris: the posting time. */
const NOW = '2026-11-23T08:00:00Z';
const PERSONAL = ['Rivoli', 'Size M', 'no nuts', '1990', 'zoe@example.com', '612345678'];
const DISCORD_DIGEST = '1200000000000000010';
const DISCORD_NUDGES = '1200000000000000011';
const dmOf = (userId: string) => `99${userId.slice(2)}`;

let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let discord: DiscordAdapter;
let slack: SlackAdapter;
let printed = '';
let zoeId = '';

async function seed(ws: JobWorkspace, maria: string, sam: string) {
  const zoe = await addCreator(app, ws, {
    name: 'Zoë Tran',
    ownerId: maria,
    birthday: { month: 11, day: 27, year: 1990 },
    address: '1 Rue de Rivoli, Paris',
    preferences: 'Size M, no nuts',
    email: 'zoe@example.com',
    contactedDaysAgo: 50,
  });
  await app.models.influencers.updateOne({ _id: zoe._id }, { $set: { phone: '+33 612345678' } });
  await addCreator(app, ws, { name: 'Ana Lima', ownerId: sam, contactedDaysAgo: 25 });
  await app.services.nurture.remind(ws.id, zoe._id, { dueDay: '2026-11-23', note: 'Ask for the draft' }, maria);
  return String(zoe._id);
}

beforeAll(async () => {
  app = await buildApp(connection, { now: NOW, timezone: TZ });
  await resetScheduling(connection);
  api = await startRecordingApi();
  const message = (channel: string) => ({ id: `16${String(api.requests.length).padStart(17, '0')}`, channel_id: channel, type: 0, content: '', embeds: [], components: [], author: { id: APPLICATION_ID, username: 'IRM', discriminator: '0000', bot: true }, timestamp: NOW, edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], attachments: [], pinned: false, tts: false, mention_everyone: false });
  api.respond((r) => (r.method === 'POST' && r.path.endsWith('/users/@me/channels') ? { body: { id: dmOf(r.body.recipient_id), type: 1 } } : undefined));
  api.respond((r) => {
    const posted = /\/channels\/(\d+)\/messages$/.exec(r.path);
    return r.method === 'POST' && posted ? { body: message(posted[1]!) } : undefined;
  });
  api.respond((r) => (r.path.includes('/webhooks/') ? { body: message('1200000000000000900') } : undefined));
  api.respond((r) => (r.method === 'GET' && r.path.endsWith(`/guilds/${GUILD_A}/members/${USER_MARIA}`) ? { body: { user: { id: USER_MARIA, username: 'maria' }, roles: [], joined_at: NOW, deaf: false, mute: false, flags: 0 } } : undefined));
  api.respond((r) => (r.method === 'GET' && r.path.includes(`/guilds/${GUILD_A}/members/`) && !r.path.endsWith(USER_MARIA) ? { status: 404, body: { message: 'Unknown Member', code: 10007 } } : undefined));
  api.respond((r) => (r.path === '/api/conversations.open' ? { body: { ok: true, channel: { id: `D${r.body.users}` } } } : undefined));
  api.respond((r) => (r.path === '/api/chat.postMessage' ? { body: { ok: true, channel: r.body.channel, ts: `1795400000.${String(api.requests.length).padStart(6, '0')}` } } : undefined));

  discord = createDiscordAdapter({ router: app.router, token: 'test-bot-token.discord.local', clientId: APPLICATION_ID, apiUrl: `${api.url}/api`, logger: silentLogger });
  slack = createSlackAdapter({ router: app.router, botToken: 'xoxb-test-token', signingSecret: 'test-signing-secret', apiUrl: `${api.url}/api/`, port: 0, logger: silentLogger, health: databaseHealth(connection) });
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'irm-nurture-posts-'));

  const onDiscord = await app.services.workspaces.ensure('discord', GUILD_A);
  zoeId = await seed(await app.services.workspaces.updateSettings(onDiscord.id, { timezone: TZ, channels: { digest: DISCORD_DIGEST, nudges: DISCORD_NUDGES } }), USER_MARIA, USER_SAM);
  const onSlack = await app.services.workspaces.ensure('slack', 'T0POSTS');
  await seed(await app.services.workspaces.updateSettings(onSlack.id, { timezone: TZ, channels: { digest: 'C0DIGEST', nudges: 'C0NUDGES' } }), 'U0MARIA', 'U0SAM');
  const onConsole = await app.services.workspaces.ensure('console', 'console');
  await seed(await app.services.workspaces.updateSettings(onConsole.id, { timezone: TZ, channels: { digest: 'digest', nudges: 'nudges' } }), 'maria', 'sam');

  const scheduler = await buildScheduler(connection, app, { jobs: [dailyDigest, nudges], posters: { discord: discord.poster, slack: slack.poster, console: createConsolePoster({ output, dataDir, clock: app.clock }) } });
  await scheduler.tick(app.clock());
});
afterAll(async () => {
  await discord?.stop();
  await api?.close();
});

const containsPersonal = (text: string) => PERSONAL.filter((value) => text.includes(value));

describe('daily-digest and nudges as each platform posts them', () => {
  it('GIVEN Discord THEN the digest and the team nudges in their channels carry no personal data; the address and preferences only in the owner’s DM', async () => {
    const posts = api.requests.filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path));
    const byChannel = (channel: string) => posts.filter((r) => r.path.endsWith(`/channels/${channel}/messages`)).map((r) => JSON.stringify(r.body));
    expect(posts.map((r) => /\/channels\/(\d+)\//.exec(r.path)![1]).sort()).toEqual([DISCORD_DIGEST, DISCORD_NUDGES, dmOf(USER_MARIA), dmOf(USER_SAM)].sort());
    expect(byChannel(DISCORD_DIGEST)[0]).toContain('Zoë Tran');
    expect(byChannel(DISCORD_NUDGES)[0]).toContain('Zoë Tran');
    for (const channel of [DISCORD_DIGEST, DISCORD_NUDGES, dmOf(USER_SAM)]) expect(containsPersonal(byChannel(channel).join())).toEqual([]);
    expect(containsPersonal(byChannel(dmOf(USER_MARIA)).join())).toEqual(['Rivoli', 'Size M', 'no nuts']);
  });

  it('GIVEN Slack THEN the same: personal data only in the DM to the owner', async () => {
    const posts = api.to('/api/chat.postMessage').map((r) => ({ channel: String(r.body.channel), text: JSON.stringify(r.body) }));
    expect(posts.map((p) => p.channel).sort()).toEqual(['C0DIGEST', 'C0NUDGES', 'DU0MARIA', 'DU0SAM']);
    for (const post of posts) expect(containsPersonal(post.text)).toEqual(post.channel === 'DU0MARIA' ? ['Rivoli', 'Size M', 'no nuts'] : []);
  });

  it('GIVEN the console THEN the same: personal data only in what is printed as private to the owner', () => {
    const sections = printed.split(/\n(?=\((?:posted to #|private to )[^)]+\)\n)/).filter((s) => s.trim());
    const where = sections.map((s) => /^\(([^)]+)\)/.exec(s.trim())![1]);
    expect(where.sort()).toEqual(['posted to #digest', 'posted to #nudges', 'private to maria', 'private to sam']);
    for (const section of sections) expect(containsPersonal(section)).toEqual(section.includes('(private to maria)') ? ['Rivoli', 'Size M', 'no nuts'] : []);
  });
});

describe('Discord: the buttons of a nudge in a DM', () => {
  const mariaDm = () => api.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${dmOf(USER_MARIA)}/messages`))!.body;
  const customIds = (): string[] => mariaDm().components.flatMap((row: any) => row.components.map((c: any) => c.custom_id as string));
  const send = async (d: Record<string, any>) => {
    dispatch(discord.client, d);
    return (await api.waitFor(callbackPath(d))).body as { type: number; data?: any };
  };

  it('GIVEN the DM THEN each control names the server it acts in', () => {
    expect(customIds().length).toBeGreaterThan(0);
    for (const id of customIds()) expect(id.startsWith(`@${GUILD_A} run:influencer `)).toBe(true);
  });

  it('GIVEN Maria presses Snooze in her DM THEN the item is snoozed in that server, by her', async () => {
    const snooze = customIds().find((id) => id.includes(' run:influencer snooze item:follow-up:'))!;
    const answer = await send(buttonClick(snooze, { guildId: null, userId: USER_MARIA }));
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(64);
    const ws = await app.services.workspaces.ensure('discord', GUILD_A);
    const snoozed = await app.models.snoozes.find({ workspaceId: ws.id }, { _id: 0, key: 1, until: 1 }).lean();
    expect(snoozed).toEqual([{ key: snooze.slice(snooze.indexOf('item:') + 5), until: '2026-11-30' }]);
  });

  it('GIVEN Maria presses Log gift in her DM THEN its form opens scoped to the server, and submitting it in the DM logs the touchpoint', async () => {
    const logGift = customIds().find((id) => id.endsWith(` run:influencer log ${zoeId} gift`))!;
    const opened = await send(buttonClick(logGift, { guildId: null, userId: USER_MARIA }));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe(`@${GUILD_A} form:influencer log who:${zoeId}`);
    const saved = await send(modalSubmit(opened.data.custom_id, { kind: 'gift', summary: 'Sent the birthday box' }, { guildId: null, userId: USER_MARIA }));
    expect(saved.type).toBe(4);
    expect(saved.data.content).toBe('Logged gift with **Zoë Tran**: Sent the birthday box');
    const touchpoints = await app.models.touchpoints.find({ influencerId: zoeId, summary: 'Sent the birthday box' }, { _id: 0, kind: 1, byId: 1 }).lean();
    expect(touchpoints).toEqual([{ kind: 'gift', byId: USER_MARIA }]);
    // The answer's own button works from the DM too.
    expect(saved.data.components[0].components[0].custom_id).toBe(`@${GUILD_A} run:influencer show ${zoeId}`);
  });

  it('GIVEN someone who is not a member of that server presses one THEN it is refused and nothing changes', async () => {
    const before = await app.models.snoozes.countDocuments();
    const snooze = customIds().find((id) => id.includes(' run:influencer snooze item:cadence:'))!;
    const answer = await send(buttonClick(snooze, { guildId: null, userId: USER_SAM }));
    expect(answer).toEqual({ type: 4, data: expect.objectContaining({ content: 'You are not a member of the server this message is about (any more), so I cannot act there for you.', flags: 64 }) });
    expect(await app.models.snoozes.countDocuments()).toBe(before);
  });

  it("GIVEN a DM control pressed in another server THEN it is refused: it acts only in its own", async () => {
    const snooze = customIds().find((id) => id.includes(' run:influencer snooze item:cadence:'))!;
    const answer = await send(buttonClick(snooze, { guildId: '1100000000000000002', userId: USER_MARIA }));
    expect(answer.data.content).toBe('This control belongs to another server. Use it there.');
  });

  it('GIVEN an unscoped button pressed in a DM THEN the bot says it works inside a server', async () => {
    const answer = await send(buttonClick('run:influencer list', { guildId: null, userId: USER_MARIA }));
    expect(answer.data.content).toBe("I keep each server's creators separately, so I only work inside a server. Run the command in a channel there.");
  });
});
