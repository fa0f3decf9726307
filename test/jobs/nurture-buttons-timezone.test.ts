import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dailyDigest from '../../jobs/daily-digest.job';
import nudges from '../../jobs/nudges.job';
import type { JobWorkspace } from '../../src/core';
import { createConsolePoster } from '../../src/platforms/console/console.adapter';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { buildApp, silentLogger } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { ADMIN_PERMISSIONS, APPLICATION_ID, GUILD_A, OptionType, USER_MARIA, buttonClick, callbackPath, dispatch, slashCommand } from '../helpers/discord-interactions';
import { addCreator } from '../helpers/nurture';
import { startRecordingApi, type RecordingApi } from '../helpers/recording-api';
import { buildScheduler, resetScheduling } from '../helpers/scheduler';
import { SLACK_SIGNING_SECRET, answerPosts, startSlackApp, type SlackApp } from '../helpers/slack-app';
import { signature } from '../helpers/slack-requests';

/**
 * A digest and a nudge posted in one timezone, their buttons pressed after the workspace moved to
 * another: each button acts on the item the person saw, and says so truthfully. Noah's reminder is
 * keyed by the local day of his last touchpoint (20:00 UTC on 20 September, already the 21st in
 * Kiritimati, 14 hours ahead); Mia's birthday is today (23 November) in UTC and yesterday in
 * Kiritimati. On Slack (signed block actions into Bolt), Discord (raw interactions into discord.js)
 * and the console (the button's line typed), through the real scheduler; the next day's digest and
 * nudges, and Slack's App Home, are then read for Noah.
 */

const { connection } = useTestDatabase();
/** Monday 23 November 2026, 10:00 UTC: Tuesday 24 November, 00:00, in Kiritimati. */
const NOW = '2026-11-23T10:00:00Z';
/** Wednesday 25 November, 10:00 in Kiritimati: the next day's runs there. */
const NEXT_DAY = '2026-11-24T20:00:00Z';
const TO = 'Pacific/Kiritimati';
const DIGEST = '1200000000000000010';
const NUDGES = '1200000000000000011';

let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;
let rest: RecordingApi;
let discord: DiscordAdapter;
let scheduler: Awaited<ReturnType<typeof buildScheduler>>;
let printed = '';
const ids: Record<'slack' | 'discord' | 'console', { noah: string; mia: string }> = {} as never;

async function seed(ws: JobWorkspace, owner: string) {
  const noah = await addCreator(app, ws, { name: 'Noah Kim', ownerId: owner, stage: 'active' });
  await app.services.influencers.logTouchpoint(noah, { kind: 'call', summary: 'Hello', at: new Date('2026-09-20T20:00:00Z') }, owner);
  // Never snoozed: what shows the lists were posted again.
  const zoe = await addCreator(app, ws, { name: 'Zoë Tran', ownerId: owner, stage: 'active' });
  await app.services.influencers.logTouchpoint(zoe, { kind: 'call', summary: 'Hello', at: new Date('2026-09-20T20:00:00Z') }, owner);
  const mia = await addCreator(app, ws, { name: 'Mia Rossi', ownerId: owner, stage: 'prospect', birthday: { month: 11, day: 23 } });
  return { noah: String(noah._id), mia: String(mia._id) };
}

beforeAll(async () => {
  app = await buildApp(connection, { now: NOW, timezone: 'UTC' });
  await resetScheduling(connection);
  slack = await startSlackApp(app.router, connection);
  answerPosts(slack.api, (r) => `1795400000.${String(slack.api.requests.length).padStart(6, '0')}`);
  slack.api.respond((r) => (r.path === '/api/conversations.open' ? { body: { ok: true, channel: { id: `D${r.body.users}` } } } : undefined));
  slack.api.respond((r) => (r.path === '/api/views.publish' ? { body: { ok: true } } : undefined));
  slack.api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: true, is_owner: false } } } : undefined));
  rest = await startRecordingApi();
  const message = (channel: string) => ({ id: `16${String(rest.requests.length).padStart(17, '0')}`, channel_id: channel, type: 0, content: '', embeds: [], components: [], author: { id: APPLICATION_ID, username: 'IRM', discriminator: '0000', bot: true }, timestamp: NOW, edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], attachments: [], pinned: false, tts: false, mention_everyone: false });
  rest.respond((r) => (r.method === 'POST' && r.path.endsWith('/users/@me/channels') ? { body: { id: `99${String(r.body.recipient_id).slice(2)}`, type: 1 } } : undefined));
  rest.respond((r) => {
    const posted = /\/channels\/(\d+)\/messages$/.exec(r.path);
    return r.method === 'POST' && posted ? { body: message(posted[1]!) } : undefined;
  });
  discord = createDiscordAdapter({ router: app.router, token: 'test-bot-token.discord.local', clientId: APPLICATION_ID, apiUrl: `${rest.url}/api`, logger: silentLogger });
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));

  const onSlack = await app.services.workspaces.ensure('slack', 'T0TEAM');
  ids.slack = await seed(await app.services.workspaces.updateSettings(onSlack.id, { channels: { digest: 'C0DIGEST', nudges: 'C0NUDGES' } }), 'U0ALICE');
  const onDiscord = await app.services.workspaces.ensure('discord', GUILD_A);
  ids.discord = await seed(await app.services.workspaces.updateSettings(onDiscord.id, { channels: { digest: DIGEST, nudges: NUDGES } }), USER_MARIA);
  const onConsole = await app.services.workspaces.ensure('console', 'console');
  ids.console = await seed(await app.services.workspaces.updateSettings(onConsole.id, { channels: { digest: 'digest', nudges: 'nudges' } }), 'alice');

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'irm-buttons-tz-'));
  scheduler = await buildScheduler(connection, app, { jobs: [dailyDigest, nudges], posters: { slack: slack.slack.poster, discord: discord.poster, console: createConsolePoster({ output, dataDir, clock: app.clock }) } });
  await scheduler.tick(app.clock());
});
afterAll(async () => {
  await discord?.stop();
  await rest?.close();
  await slack?.stop();
});

/** Slack: the buttons (and overflow choices) of what was posted to `channel`, by the line they run. */
function slackControls(channel: string): Array<{ action_id: string; value: string; overflow: boolean }> {
  const found: Array<{ action_id: string; value: string; overflow: boolean }> = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'button' && typeof node.value === 'string') found.push({ action_id: node.action_id, value: node.value, overflow: false });
    if (node.type === 'overflow') for (const o of node.options) found.push({ action_id: node.action_id, value: o.value, overflow: true });
    Object.values(node).forEach(walk);
  };
  for (const post of slack.api.to('/api/chat.postMessage').filter((r) => r.body.channel === channel)) walk(typeof post.body.blocks === 'string' ? JSON.parse(post.body.blocks) : post.body.blocks);
  return found;
}

async function slackPress(channel: string, line: string): Promise<string> {
  const control = slackControls(channel).find((c) => c.value === line);
  expect(control, line).toBeDefined();
  const sent = control!.overflow ? await slack.as.choose(control!, line) : await slack.as.click(control!);
  const answer = await slack.api.waitFor(new URL(sent.responseUrl).pathname);
  return JSON.stringify(answer.body);
}

/** Discord: a button of what was posted to `channel`, pressed by Maria; the interaction's answer. */
async function discordPress(channel: string, line: string, interaction?: Record<string, any>): Promise<string> {
  const posts = rest.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${channel}/messages`));
  const customId = posts.flatMap((p) => (p.body.components ?? []).flatMap((row: any) => row.components.map((c: any) => String(c.custom_id)))).find((id: string) => id.endsWith(`run:${line}`));
  expect(customId, line).toBeDefined();
  const d = interaction ?? buttonClick(customId!, { userId: USER_MARIA });
  dispatch(discord.client, d);
  return JSON.stringify((await rest.waitFor(callbackPath(d))).body);
}

async function discordSettings(timezone: string): Promise<string> {
  const d = slashCommand('settings', [{ name: 'timezone', type: OptionType.String, value: timezone }], { userId: USER_MARIA, permissions: ADMIN_PERMISSIONS }, 'irm');
  dispatch(discord.client, d);
  return JSON.stringify((await rest.waitFor(callbackPath(d))).body);
}

/** The Home tab Alice opens on Slack, as text. */
async function slackHome(): Promise<string> {
  const before = slack.api.to('/api/views.publish').length;
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0TEAM',
    api_app_id: 'A0APP',
    event_id: `EvTz${before}`,
    event_time: 1_700_000_000,
    authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  await fetch(`http://127.0.0.1:${slack.slack.listeningPort()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SLACK_SIGNING_SECRET, timestamp, body) },
    body,
  });
  return JSON.stringify((await slack.api.waitFor('/api/views.publish', () => slack.api.to('/api/views.publish').length > before)).body);
}

describe('GIVEN a digest and nudges posted in UTC, then the workspace moved to Kiritimati, then their buttons pressed', () => {
  it('THEN before the change, Noah and Mia are in what each platform was sent', () => {
    expect(slackControls('C0DIGEST').map((c) => c.value)).toContain(`influencer snooze item:cadence:${ids.slack.noah}:2026-09-20`);
    expect(slackControls('DU0ALICE').map((c) => c.value)).toContain(`influencer done item:birthday:${ids.slack.mia}:2026-11-23`);
    expect(printed).toContain(`influencer snooze item:cadence:${ids.console.noah}:2026-09-20`);
  });

  it('THEN on Slack: Snooze on Noah snoozes his reminder; Done on Mia says her birthday has passed', async () => {
    const changed = await slack.as.command('/irm', `settings timezone:${TO}`);
    expect(JSON.stringify((await slack.api.waitFor(new URL(changed.responseUrl).pathname)).body)).toContain(TO);
    expect(await slackPress('C0DIGEST', `influencer snooze item:cadence:${ids.slack.noah}:2026-09-20`)).toContain('Snoozed until Dec 1: it comes back that day.');
    expect(await slackPress('DU0ALICE', `influencer done item:birthday:${ids.slack.mia}:2026-11-23`)).toContain("Nothing to put aside: *Mia Rossi*'s birthday on Nov 23 has passed, so it left the lists.");
    // Zoë, never put aside, shows App Home was published with its reminders.
    const home = await slackHome();
    expect([home.includes('Zoë Tran'), home.includes('Noah Kim')]).toEqual([true, false]);
  });

  it('THEN on Discord: the same', async () => {
    expect(await discordSettings(TO)).toContain(TO);
    expect(await discordPress(DIGEST, `influencer snooze item:cadence:${ids.discord.noah}:2026-09-20`)).toContain('Snoozed until Dec 1: it comes back that day.');
    const dm = `99${USER_MARIA.slice(2)}`;
    rest.respond((r) => (r.method === 'GET' && r.path.endsWith(`/guilds/${GUILD_A}/members/${USER_MARIA}`) ? { body: { user: { id: USER_MARIA, username: 'maria' }, roles: [], joined_at: NOW, deaf: false, mute: false, flags: 0 } } : undefined));
    const posts = rest.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${dm}/messages`));
    const done = posts.flatMap((p) => p.body.components.flatMap((row: any) => row.components.map((c: any) => String(c.custom_id)))).find((id: string) => id.endsWith(`item:birthday:${ids.discord.mia}:2026-11-23`))!;
    expect(await discordPress(dm, done.slice(done.indexOf('run:') + 4), buttonClick(done, { guildId: null, userId: USER_MARIA }))).toContain("Nothing to put aside: **Mia Rossi**'s birthday on Nov 23 has passed, so it left the lists.");
  });

  it('THEN on the console: the same', async () => {
    const typed = await runConsole(app.router, ['irm settings timezone:Pacific/Kiritimati', `influencer snooze item:cadence:${ids.console.noah}:2026-09-20`, `influencer done item:birthday:${ids.console.mia}:2026-11-23`], 'alice');
    expect(typed).toContain('Snoozed until Dec 1: it comes back that day.');
    expect(typed).toContain("Nothing to put aside: Mia Rossi's birthday on Nov 23 has passed, so it left the lists.");
    const home = await runConsole(app.router, ['irm home'], 'alice');
    expect([home.includes('Zoë Tran'), home.includes('Noah Kim')]).toEqual([true, false]);
  });

  it('THEN the next day, the digest and the nudges on every platform leave Noah out', async () => {
    const slackBefore = slack.api.to('/api/chat.postMessage').length;
    const discordBefore = rest.requests.length;
    const printedBefore = printed.length;
    app.clock.set(NEXT_DAY);
    await scheduler.tick(app.clock());
    const slackPosts = slack.api.to('/api/chat.postMessage').slice(slackBefore).map((r) => JSON.stringify(r.body));
    const discordPosts = rest.requests.slice(discordBefore).filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path)).map((r) => JSON.stringify(r.body));
    const consolePosts = printed.slice(printedBefore);
    // Posted again (the next day's runs, with Zoë), and Noah in none of them.
    expect([slackPosts.some((p) => p.includes('Zoë Tran')), discordPosts.some((p) => p.includes('Zoë Tran')), consolePosts.includes('Zoë Tran')]).toEqual([true, true, true]);
    expect([slackPosts.some((p) => p.includes('Noah Kim')), discordPosts.some((p) => p.includes('Noah Kim')), consolePosts.includes('Noah Kim')]).toEqual([false, false, false]);
  });
});
