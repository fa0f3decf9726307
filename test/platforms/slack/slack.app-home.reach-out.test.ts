import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator } from '../../helpers/nurture';
import { SLACK_SIGNING_SECRET, startSlackApp, type SlackApp } from '../../helpers/slack-app';
import { signature } from '../../helpers/slack-requests';

/**
 * App Home's "time to reach out" (issue 13's product call): the owner's creators most days past
 * their ideal interval first, the first 8 with their health and "and N more", read through the
 * reach-out index. Signed app_home_opened events into the real Bolt app, views.publish captured on
 * the local Web API; the writes that move a creator go through Slack commands too.
 */

const TZ = 'Europe/Paris';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;
let ws: { id: string; timezone: string };
let events = 0;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: TZ });
  slack = await startSlackApp(app.router, connection);
  slack.api.respond((r) => (r.path === '/api/views.publish' ? { body: { ok: true } } : undefined));
  slack.api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: r.body.user === 'U0ALICE', is_owner: false } } } : undefined));
  const info = await app.services.workspaces.ensure('slack', 'T0TEAM');
  await app.services.workspaces.updateSettings(info.id, { timezone: TZ });
  ws = { id: info.id, timezone: TZ };
  // Alice's active creators (ideal 21 days) last contacted 22 to 32 days ago: 1 to 11 days past it.
  for (let i = 1; i <= 11; i += 1) await addCreator(app, ws, { name: `Creator ${String(i).padStart(2, '0')}`, ownerId: 'U0ALICE', contactedDaysAgo: 21 + i });
  await addCreator(app, ws, { name: 'Within Cadence', ownerId: 'U0ALICE', contactedDaysAgo: 5 });
  await addCreator(app, ws, { name: 'Ambassador Amy', ownerId: 'U0ALICE', stage: 'ambassador', contactedDaysAgo: 12 });
  await addCreator(app, ws, { name: 'Bobs Creator', ownerId: 'U0BOB', contactedDaysAgo: 40 });
});
afterAll(async () => {
  await slack?.stop();
});

type ViewBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; accessory?: { action_id: string; options?: Array<{ text: { text: string }; value: string }> } };

/** Opens `user`'s Home tab and returns the text of each block of the published view, in order. */
async function home(user = 'U0ALICE'): Promise<string[]> {
  return (await homeView(user)).map((b) => b.text?.text ?? (b.elements ?? []).map((e) => e.text ?? '').join(' ')).filter((t) => t !== '');
}

/** Opens `user`'s Home tab and returns the blocks of the published view. */
async function homeView(user = 'U0ALICE'): Promise<ViewBlock[]> {
  events += 1;
  const published = () => slack.api.requests.filter((r) => r.path === '/api/views.publish').length;
  const before = published();
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0TEAM',
    api_app_id: 'A0APP',
    event_id: `EvReach${events}`,
    event_time: 1_700_000_000,
    authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`http://127.0.0.1:${slack.slack.listeningPort()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SLACK_SIGNING_SECRET, timestamp, body) },
    body,
  });
  expect(res.status).toBe(200);
  const request = await slack.api.waitFor('/api/views.publish', () => published() > before);
  expect(request.body.user_id).toBe(user);
  const view = (typeof request.body.view === 'string' ? JSON.parse(request.body.view) : request.body.view) as { type: string; blocks: ViewBlock[] };
  expect(view.type).toBe('home');
  return view.blocks;
}

/** The "time to reach out" section: its title, the creators shown (name, days past the ideal, health), and its "and N more". */
function reachOut(lines: string[]) {
  const start = lines.findIndex((l) => l.startsWith('*Time to reach out*'));
  if (start < 0) return undefined;
  const items: string[] = [];
  let i = start + 1;
  for (; i < lines.length && /past the (ideal|maximum)/.test(lines[i]!); i += 1) {
    const line = lines[i]!;
    const name = /\*([^*]+)\*/.exec(line)?.[1];
    const past = /(\d+) days? past the (ideal|maximum)/.exec(line);
    const health = /health (\d+)/.exec(line)?.[1];
    items.push(`${name} ${past?.[1]} past ${past?.[2]}, health ${health}`);
  }
  return { title: lines[start], items, more: lines[i]?.startsWith('And ') ? lines[i] : undefined };
}

const MORE = (n: number) => `And ${n} more. \`/influencer list owner:U0ALICE sort:health\` lists all your creators, worst health first.`;

describe('App Home: time to reach out', () => {
  it('GIVEN 11 of Alice\'s creators past their ideal interval WHEN she opens the Home tab THEN the 8 most days past come first, each with its health, and "and 3 more" says where the rest are', async () => {
    expect(reachOut(await home())).toEqual({
      title: '*Time to reach out* (11)',
      items: [
        'Creator 11 11 past ideal, health 77',
        'Creator 10 10 past ideal, health 79',
        'Creator 09 9 past ideal, health 81',
        'Creator 08 8 past ideal, health 83',
        'Creator 07 7 past ideal, health 85',
        'Creator 06 6 past ideal, health 88',
        'Creator 05 5 past ideal, health 90',
        'Creator 04 4 past ideal, health 92',
      ],
      more: MORE(3),
    });
    // Bob's creator is his alone.
    expect(reachOut(await home('U0BOB'))).toEqual({ title: '*Time to reach out* (1)', items: ['Bobs Creator 19 past ideal, health 60'], more: undefined });
  });

  it('GIVEN the most overdue creator WHEN a touchpoint is logged for them THEN they leave the list and the next one comes in', async () => {
    const logged = await slack.as.command('/influencer', 'log "Creator 11" call Caught up about the winter box', { user: { teamId: 'T0TEAM', userId: 'U0ALICE' } });
    expect(logged.response.status).toBe(200);
    await slack.api.waitFor(`/response/${logged.responseUrl.split('/').pop()}`);
    const section = reachOut(await home())!;
    expect(section.title).toBe('*Time to reach out* (10)');
    expect(section.items.map((i) => i.split(' past')[0])).toEqual(['Creator 10 10', 'Creator 09 9', 'Creator 08 8', 'Creator 07 7', 'Creator 06 6', 'Creator 05 5', 'Creator 04 4', 'Creator 03 3']);
    expect(section.more).toBe(MORE(2));
  });

  it("GIVEN the workspace's ambassador cadence cut to 5/10 and one creator's own cadence set to 1/60 THEN each moves to its place by days past the ideal", async () => {
    const alice = { user: { teamId: 'T0TEAM', userId: 'U0ALICE' } };
    const settings = await slack.as.command('/irm', 'settings cadence:ambassador=5/10', alice);
    await slack.api.waitFor(`/response/${settings.responseUrl.split('/').pop()}`);
    let section = reachOut(await home())!;
    // Amy, last contacted 12 days ago: 7 days past an ideal of 5 (and 2 past the maximum of 10).
    expect(section.title).toBe('*Time to reach out* (11)');
    expect(section.items.map((i) => i.split(',')[0])).toEqual([
      'Creator 10 10 past ideal',
      'Creator 09 9 past ideal',
      'Creator 08 8 past ideal',
      'Ambassador Amy 2 past maximum',
      'Creator 07 7 past ideal',
      'Creator 06 6 past ideal',
      'Creator 05 5 past ideal',
      'Creator 04 4 past ideal',
    ]);

    const edit = await slack.as.command('/influencer', 'edit "Creator 01" cadence:1/60', alice);
    expect(JSON.stringify((await slack.api.waitFor(`/response/${edit.responseUrl.split('/').pop()}`)).body)).toContain('Cadence: (none) → 1/60');
    section = reachOut(await home())!;
    expect(section.title).toBe('*Time to reach out* (11)');
    // Creator 01, contacted 22 days ago, is 21 days past an ideal of 1: first.
    expect(section.items[0]).toMatch(/^Creator 01 21 past ideal, health \d+$/);
    expect(section.items.length).toBe(8);
    expect(section.more).toBe(MORE(3));

    // The command the note points to lists every one of Alice's creators (not Bob's), worst health first.
    const list = await slack.as.command('/influencer', 'list owner:U0ALICE sort:health', alice);
    const listed = JSON.stringify((await slack.api.waitFor(`/response/${list.responseUrl.split('/').pop()}`)).body);
    expect([listed.includes('13 creators owned by <@U0ALICE>, worst health first'), listed.includes('Bobs Creator')]).toEqual([true, false]);
  });

  it('GIVEN a relationship snoozed from its button, then a stage without cadence THEN each leaves the list and the count', async () => {
    const alice = { user: { teamId: 'T0TEAM', userId: 'U0ALICE' } };
    const line = (await homeView()).find((b) => b.text?.text.startsWith('*Creator 01*'))!;
    const snooze = line.accessory!.options!.find((o) => o.text.text === 'Snooze 7 days')!;
    const snoozed = await slack.as.choose(line.accessory!, snooze.value, alice);
    expect(JSON.stringify((await slack.api.waitFor(`/response/${snoozed.responseUrl.split('/').pop()}`)).body)).toContain('Snoozed');
    let section = reachOut(await home())!;
    expect(section.title).toBe('*Time to reach out* (10)');
    expect(section.items[0]).toMatch(/^Creator 10 /);

    const paused = await slack.as.command('/influencer', 'stage "Creator 10" paused', alice);
    await slack.api.waitFor(`/response/${paused.responseUrl.split('/').pop()}`);
    section = reachOut(await home())!;
    expect(section.title).toBe('*Time to reach out* (9)');
    expect(section.items[0]).toMatch(/^Creator 09 /);
  });
});
