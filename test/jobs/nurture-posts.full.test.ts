import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dailyDigest from '../../jobs/daily-digest.job';
import nudges from '../../jobs/nudges.job';
import { MAX_MESSAGE_BLOCKS } from '../../src/platforms/slack/render-block-kit';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { GUILD_A, USER_MARIA, selectPick } from '../helpers/discord-interactions';
import { DISCORD_DIGEST, DISCORD_NUDGES, FULL_DAY, answerDiscordAsOnAFullDay, answerSlackAsOnAFullDay, dmOf, seedFullDay } from '../helpers/full-day';
import { buildScheduler, resetScheduling } from '../helpers/scheduler';
import { SLACK_SIGNING_SECRET, startSlackApp, type SlackApp } from '../helpers/slack-app';
import { signature } from '../helpers/slack-requests';

/**
 * A day with a lot to say: one owner with 12 birthdays this week, 12 relationships quiet for 50
 * days, 12 follow-ups due, 10 wins and 10 deliverables due, posted by the real scheduler to Discord
 * and Slack. Each message shows a share of every section and counts the rest, and every item it
 * shows keeps its actions: on Discord a menu per action (Log touchpoint, Snooze 7 days, Done, Log
 * gift, Log engagement) holding every shown item, its text never cut; on Slack within 50 blocks.
 */

const { connection } = useTestDatabase();

let app: Awaited<ReturnType<typeof buildApp>>;
let discord: DiscordApp;
let slack: SlackApp;

beforeAll(async () => {
  app = await buildApp(connection, { now: FULL_DAY.now, timezone: FULL_DAY.timezone });
  await resetScheduling(connection);
  discord = await startDiscordApp(app.router);
  answerDiscordAsOnAFullDay(discord);
  slack = await startSlackApp(app.router, connection);
  answerSlackAsOnAFullDay(slack);

  const onDiscord = await app.services.workspaces.ensure('discord', GUILD_A);
  await seedFullDay(app, await app.services.workspaces.updateSettings(onDiscord.id, { timezone: FULL_DAY.timezone, channels: { digest: DISCORD_DIGEST, nudges: DISCORD_NUDGES } }), USER_MARIA);
  const onSlack = await app.services.workspaces.ensure('slack', 'T0TEAM');
  await seedFullDay(app, await app.services.workspaces.updateSettings(onSlack.id, { timezone: FULL_DAY.timezone, channels: { digest: 'C0DIGEST', nudges: 'C0NUDGES' } }), 'U0MARIA');

  const scheduler = await buildScheduler(connection, app, { jobs: [dailyDigest, nudges], posters: { discord: discord.discord.poster, slack: slack.slack.poster } });
  await scheduler.tick(app.clock());
}, 120_000);
afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
});

const discordPost = (channel: string) => discord.api.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${channel}/messages`))!.body;

/**
 * A Discord message's sections as read: [title, how many in all, items shown, how many more]. The
 * text after the last section's items (its "And N more." and the closing line) is the embed's footer.
 */
function sectionsOf(post: any): Array<[string, number, number, number]> {
  const sections: Array<[string, number, number, number]> = [];
  for (const line of `${post.embeds[0].description}\n${post.embeds[0].footer.text}`.split('\n')) {
    const title = /^\*\*([^*]+)\*\* \((\d+)\)$/.exec(line);
    const more = /^\*?And (\d+) more\./.exec(line);
    const current = sections.at(-1);
    if (title) sections.push([title[1]!, Number(title[2]), 0, 0]);
    else if (more && current) current[3] = Number(more[1]);
    else if (current && line.trim() && !line.startsWith('**Payments') && !line.startsWith('Only you') && !line.startsWith('Each owner') && !line.startsWith('Totals')) current[2] += 1;
  }
  return sections;
}
const menusOf = (post: any) => post.components.map((row: any) => [row.components[0].placeholder, row.components[0].options.length]);

describe('GIVEN more than one message can list', () => {
  it("THEN Maria's DM on Discord: a share of each section, the rest counted, and a menu per action holding every item shown", () => {
    const dm = discordPost(dmOf(USER_MARIA));
    expect(dm.embeds[0].description.endsWith('…')).toBe(false);
    expect(sectionsOf(dm)).toEqual([
      ['Time to reach out', 12, 7, 5],
      ['Birthdays within 7 days', 12, 6, 6],
      ['Follow-ups due', 12, 6, 6],
      ['Wins to celebrate', 10, 6, 4],
    ]);
    expect(menusOf(dm)).toEqual([
      // The quiet relationships and the follow-ups shown (the same creators).
      ['Log touchpoint…', 7],
      ['Snooze 7 days…', 25],
      ['Done…', 25],
      ['Log gift…', 6],
      ['Log engagement…', 6],
    ]);
  });

  it("THEN Maria picks a creator in her DM's Log gift menu and its form opens for that server; Done on a follow-up closes it", async () => {
    const dm = discordPost(dmOf(USER_MARIA));
    const menu = (placeholder: string) => dm.components.map((row: any) => row.components[0]).find((c: any) => c.placeholder === placeholder);
    const gift = menu('Log gift…').options.find((o: any) => o.label.startsWith('Birthday 03'));
    const opened = await discord.send(selectPick(menu('Log gift…').custom_id, [gift.value], { guildId: null, userId: USER_MARIA }));
    const birthday03 = await app.models.influencers.findOne({ name: 'Birthday 03', workspaceId: (await app.services.workspaces.ensure('discord', GUILD_A)).id }).lean();
    expect([opened.type, opened.data.custom_id]).toEqual([9, `@${GUILD_A} form:influencer log who:${String(birthday03!._id)}`]);
    const done = menu('Done…').options.find((o: any) => o.value.includes('item:follow-up:'));
    const closed = await discord.send(selectPick(menu('Done…').custom_id, [done.value], { guildId: null, userId: USER_MARIA }));
    expect(closed.data.content).toBe('Follow-up done.');
    expect(await app.models.followUps.countDocuments({ _id: done.value.split('follow-up:')[1], doneById: USER_MARIA })).toBe(1);
  });

  it('THEN the digest and the team nudges on Discord: the same, every item shown can be snoozed and done, and the text is whole', () => {
    const digest = discordPost(DISCORD_DIGEST);
    expect(digest.embeds[0].description.endsWith('…')).toBe(false);
    expect(sectionsOf(digest)).toEqual([
      ['Birthdays this week', 12, 7, 5],
      ['Follow-ups due', 12, 6, 6],
      ['Past their maximum interval', 12, 6, 6],
      ['Deliverables due within 3 days or overdue', 10, 6, 4],
    ]);
    expect(menusOf(digest)).toEqual([['Log touchpoint…', 19], ['Snooze 7 days…', 25], ['Done…', 25]]);
    const team = discordPost(DISCORD_NUDGES);
    expect(team.embeds[0].description.endsWith('…')).toBe(false);
    expect(sectionsOf(team)).toEqual([
      ['Time to reach out', 12, 7, 5],
      ['Birthdays within 7 days', 12, 6, 6],
      ['Follow-ups due', 12, 6, 6],
      ['Wins to celebrate', 10, 6, 4],
    ]);
    expect(menusOf(team)).toEqual([['Log touchpoint…', 13], ['Snooze 7 days…', 25], ['Done…', 25], ['Log engagement…', 6]]);
  });

  it('THEN on Slack each message is within 50 blocks and every section is shown and counted', () => {
    const posts = slack.api.to('/api/chat.postMessage').map((r) => r.body);
    expect(posts.map((p) => p.channel).sort()).toEqual(['C0DIGEST', 'C0NUDGES', 'DU0MARIA']);
    for (const post of posts) {
      expect(post.blocks.length).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS);
      expect(JSON.stringify(post.blocks)).not.toContain('more blocks not shown');
    }
    const dm = posts.find((p) => p.channel === 'DU0MARIA')!;
    const titles = dm.blocks.filter((b: any) => b.type === 'section' && /^\*[^*]+\* \(\d+\)$/.test(b.text.text)).map((b: any) => b.text.text);
    expect(titles).toEqual(['*Time to reach out* (12)', '*Birthdays within 7 days* (12)', '*Follow-ups due* (12)', '*Wins to celebrate* (10)']);
  });

  it("THEN Maria's App Home on Slack holds every section, her deliverables, her payments and its closing line, within the Home tab's blocks", async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      event_id: 'EvFullHome',
      event_time: 1_700_000_000,
      authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_home_opened', user: 'U0MARIA', channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${slack.slack.listeningPort()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SLACK_SIGNING_SECRET, timestamp, body) },
      body,
    });
    expect(res.status).toBe(200);
    const view = (await slack.api.waitFor('/api/views.publish')).body.view;
    const blocks: any[] = (typeof view === 'string' ? JSON.parse(view) : view).blocks;
    const texts = blocks.map((b) => b.text?.text ?? (b.elements ?? []).map((e: any) => e.text ?? '').join(' '));
    expect(texts.filter((t) => /^\*[^*]+\* \(\d+\)$/.test(t))).toEqual([
      '*Time to reach out* (12)',
      '*Birthdays within 7 days* (12)',
      '*Follow-ups due* (12)',
      '*Wins to celebrate* (10)',
      '*Deliverables due within 3 days or overdue* (10)',
    ]);
    expect(texts.slice(-2)).toEqual(['*Your payments*: 10 late (€1,000.00) · `/payment list`', 'Only you see this. Snooze hides an item for 7 days; Done clears it.']);
    expect(blocks.length).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS);
  });
});
