import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BLOCKS } from '../../src/platforms/slack/render-block-kit';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { answerWebhooks, startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { GUILD_A, OptionType, USER_MARIA, callbackPath, slashCommand, webhookPath } from '../helpers/discord-interactions';
import { DISCORD_DIGEST, DISCORD_NUDGES, FULL_DAY, answerDiscordAsOnAFullDay, answerSlackAsOnAFullDay, seedFullDay } from '../helpers/full-day';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/irm digest now nudges` on a full day (see test/helpers/full-day.ts) with a nudges channel set:
 * Maria previews the team's version and her own nudge. Each is its own private message, laid out
 * as the scheduler posts it, so each stays within its surface's limits with every item's actions:
 * Slack 50 blocks a message, Discord 5 action rows and 4,096 characters of embed text.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;
let discord: DiscordApp;
let deferred: DiscordApp;

const PERSONAL = /Rue de Rivoli/;

beforeAll(async () => {
  app = await buildApp(connection, { now: FULL_DAY.now, timezone: FULL_DAY.timezone });
  slack = await startSlackApp(app.router, connection);
  answerSlackAsOnAFullDay(slack);
  // One Discord app answers at once, the other defers first: both ways of answering are checked.
  discord = await startDiscordApp(app.router, { deferAfterMs: 60_000 });
  deferred = await startDiscordApp(app.router, { deferAfterMs: 0 });
  for (const d of [discord, deferred]) {
    answerDiscordAsOnAFullDay(d);
    answerWebhooks(d.api);
  }
  const onSlack = await app.services.workspaces.ensure('slack', 'T0TEAM');
  await seedFullDay(app, await app.services.workspaces.updateSettings(onSlack.id, { timezone: FULL_DAY.timezone, channels: { digest: 'C0DIGEST', nudges: 'C0NUDGES' } }), 'U0MARIA');
  const onDiscord = await app.services.workspaces.ensure('discord', GUILD_A);
  await seedFullDay(app, await app.services.workspaces.updateSettings(onDiscord.id, { timezone: FULL_DAY.timezone, channels: { digest: DISCORD_DIGEST, nudges: DISCORD_NUDGES } }), USER_MARIA);
  const onConsole = await app.services.workspaces.ensure('console', 'console');
  await seedFullDay(app, await app.services.workspaces.updateSettings(onConsole.id, { timezone: FULL_DAY.timezone, channels: { digest: 'digest', nudges: 'nudges' } }), 'maria');
}, 180_000);
afterAll(async () => {
  await slack?.stop();
  await discord?.stop();
  await deferred?.stop();
});

const NOTE = "Preview: only you can see these 2 messages. `/irm digest now nudges post` posts the team's version (never your own list) here; the scheduled post goes out at 09:00 as usual.";

describe('GIVEN a full day and a nudges channel WHEN Maria previews the nudges', () => {
  it('THEN on Slack: two ephemeral messages, the team version then her own, each within 50 blocks with every item it shows carrying its actions', async () => {
    const { responseUrl } = await slack.as.command('/irm', 'digest now nudges', { user: { teamId: 'T0TEAM', userId: 'U0MARIA' } });
    const path = new URL(responseUrl).pathname;
    await slack.api.waitFor(path, (r) => JSON.stringify(r.body).includes('Preview: only you'), 60_000);
    const messages = slack.api.to(path).map((r) => r.body);
    expect(messages.map((m) => [m.response_type, m.blocks[0].text.text])).toEqual([
      ['ephemeral', 'Nudges · Nov 23'],
      ['ephemeral', 'Your nudges · Nov 23'],
    ]);
    expect(messages.map((m) => m.blocks.length <= MAX_MESSAGE_BLOCKS)).toEqual([true, true]);
    // An item is a section with its actions beside it; each message shows 25 items, every one with its actions.
    const items = (m: any) => m.blocks.filter((b: any) => b.type === 'section' && b.accessory);
    expect(messages.map((m) => items(m).length)).toEqual([25, 25]);
    expect(messages.map((m) => items(m).every((b: any) => b.accessory.options?.length === 3 || b.accessory.type === 'button'))).toEqual([true, true]);
    expect(messages.map((m) => PERSONAL.test(JSON.stringify(m)))).toEqual([false, true]);
    expect(messages[1].blocks.at(-1).elements[0].text).toBe(NOTE);
    expect(slack.api.to('/api/chat.postMessage')).toEqual([]);
  });

  for (const [way, app_] of [['answering at once', () => discord], ['after deferring', () => deferred]] as const) {
    it(`THEN on Discord (${way}): two ephemeral messages, each within 5 action rows and its text whole, every item shown in its menus`, async () => {
      const d = app_();
      const raw = slashCommand('digest', [{ name: 'when', type: OptionType.String, value: 'now' }, { name: 'job', type: OptionType.String, value: 'nudges' }], { userId: USER_MARIA }, 'irm');
      const callback = await d.send(raw);
      const followUp = await d.api.waitFor(webhookPath(raw), (r) => r.method === 'POST', 60_000);
      const first = callback.type === 4 ? callback.data : (await d.api.waitFor(`${webhookPath(raw)}/messages/%40original`, (r) => r.method === 'PATCH')).body;
      // The first answer is ephemeral (its callback, or the ephemeral deferral it edits), and so is the follow-up.
      expect([callback.type, callback.data.flags, followUp.body.flags]).toEqual([way === 'answering at once' ? 4 : 5, 64, 64]);
      const messages = [first, followUp.body];
      expect(d.api.to(webhookPath(raw)).filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(d.api.to(callbackPath(raw))).toHaveLength(1);
      expect(messages.map((m) => m.embeds[0].title)).toEqual(['Nudges · Nov 23', 'Your nudges · Nov 23']);
      for (const m of messages) {
        expect(m.components.length).toBeLessThanOrEqual(5);
        expect(m.embeds[0].description.length).toBeLessThanOrEqual(4_096);
        expect(m.embeds[0].description.endsWith('…')).toBe(false);
        expect((m.content ?? '').length).toBeLessThanOrEqual(2_000);
      }
      const menus = (m: any) => m.components.map((row: any) => [row.components[0].placeholder, row.components[0].options.length]);
      // As the scheduler posts them (test/jobs/nurture-posts.full.test.ts): every item shown can be snoozed and done.
      expect(messages.map(menus)).toEqual([
        [['Log touchpoint…', 13], ['Snooze 7 days…', 25], ['Done…', 25], ['Log engagement…', 6]],
        [['Log touchpoint…', 7], ['Snooze 7 days…', 25], ['Done…', 25], ['Log gift…', 6], ['Log engagement…', 6]],
      ]);
      expect(messages.map((m) => PERSONAL.test(JSON.stringify(m)))).toEqual([false, true]);
      expect(d.api.requests.filter((r) => /\/channels\/\d+\/messages$/.test(r.path))).toEqual([]);
    });
  }

  it('THEN on the console: the team version, then her own, each whole, the note once at the end', async () => {
    const printed = await runConsole(app.router, ['irm digest now nudges']);
    const team = printed.indexOf('== Nudges · Nov 23 ==');
    const own = printed.indexOf('== Your nudges · Nov 23 ==');
    expect([team >= 0, own > team]).toEqual([true, true]);
    expect(PERSONAL.test(printed.slice(team, own))).toBe(false);
    expect(PERSONAL.test(printed.slice(own))).toBe(true);
    expect(printed.trim().endsWith(NOTE)).toBe(true);
    expect(printed.match(/Time to reach out \(12\)/g)).toHaveLength(2);
  });
});
