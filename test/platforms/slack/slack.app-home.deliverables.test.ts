import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/domain/services';
import { createSlackAdapter, type SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { databaseHealth } from '../../../src/http/health';
import { buildApp, silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';
import { seedCollaboration } from '../../helpers/scheduler';
import { signature, slackRequests } from '../../helpers/slack-requests';

/**
 * App Home's deliverables belong to the owner of their collaboration: each item carries that
 * owner, so an owner change moves them to the new owner's Home (through the real Bolt app: signed
 * `/collab edit` and `app_home_opened` in, the reply and views.publish out), and items stored
 * before they carried it get it at start. Paris, today Monday 2026-11-23.
 */

const SIGNING_SECRET = 'test-signing-secret';
const TZ = 'Europe/Paris';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slack: SlackAdapter;
let baseUrl: string;
let events = 0;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: TZ });
  api = await startRecordingApi();
  api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' } } : undefined));
  // Alice is an admin: the edit plans the collaboration's payments, which takes someone who may move money.
  api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, name: 'alice', is_admin: r.body.user === 'U0ALICE' } } } : undefined));
  slack = createSlackAdapter({ router: app.router, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: `${api.url}/api/`, port: 0, logger: silentLogger, health: databaseHealth(connection) });
  await slack.start();
  baseUrl = `http://127.0.0.1:${slack.listeningPort()}`;
});
afterAll(async () => {
  await slack?.stop();
  await api?.close();
});

/** The Home tab `user` is published on opening it: its text, as Slack would show it. */
async function homeOf(user: string): Promise<string> {
  return (await homeViewOf(user)).text;
}

/** The same, with its blocks. */
async function homeViewOf(user: string): Promise<{ text: string; blocks: Array<{ text?: { text: string }; accessory?: { action_id: string; options?: Array<{ value: string }> } }> }> {
  events += 1;
  const before = api.requests.length;
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0TEAM',
    api_app_id: 'A0APP',
    event_id: `EvDeliv${events}`,
    event_time: 1_700_000_000,
    authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SIGNING_SECRET, timestamp, body) },
    body,
  });
  expect(res.status).toBe(200);
  const published = await api.waitFor('/api/views.publish', (r) => r.body.user_id === user && api.requests.indexOf(r) >= before);
  const view = (typeof published.body.view === 'string' ? JSON.parse(published.body.view) : published.body.view) as { blocks: Array<{ text?: { text: string }; accessory?: { action_id: string; options?: Array<{ value: string }> } }> };
  return { text: view.blocks.map((block) => block.text?.text ?? '').join('\n'), blocks: view.blocks };
}

/** The deliverable lines of a Home: `reel` and `story` items of "Winter box". */
const deliverables = (home: string) => home.split('\n').filter((line) => line.includes('Winter box') || line.startsWith('*Deliverables'));

describe('App Home deliverables by owner', () => {
  beforeAll(async () => {
    const ws = await app.services.workspaces.ensure('slack', 'T0TEAM');
    await app.services.workspaces.updateSettings(ws.id, { timezone: TZ });
    const workspace = { id: ws.id, timezone: TZ };
    const { collaboration } = await seedCollaboration(app, workspace, { name: 'Zoë Tran', title: 'Winter box', ownerId: 'U0ALICE' });
    await app.services.content.addPlanned(collaboration, 'reel', '2026-11-20', TZ);
    await app.services.content.addPlanned(collaboration, 'story', '2026-11-25', TZ);
    // Someone else's collaboration, to show it stays theirs.
    const other = await seedCollaboration(app, workspace, { name: 'Ana Lima', title: 'Other box', ownerId: 'U0CARL' });
    await app.services.content.addPlanned(other.collaboration, 'post', '2026-11-21', TZ);
  });

  it("GIVEN Alice's collaboration with two items due WHEN its owner is changed to Bob in Slack THEN they leave Alice's Home and show on Bob's", async () => {
    const before = deliverables(await homeOf('U0ALICE'));
    expect(before).toHaveLength(3);
    expect(before[0]).toBe('*Deliverables due within 3 days or overdue* (2)');
    expect(before.slice(1).map((line) => [line.includes('reel'), line.includes('story')])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(deliverables(await homeOf('U0BOB'))).toEqual([]);

    const slackUser = { teamId: 'T0TEAM', userId: 'U0ALICE', userName: 'alice' };
    const requests = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: api.url, user: slackUser });
    const { responseUrl } = await requests.command('/collab', 'edit "Winter box" owner:<@U0BOB|bob>');
    const reply = await api.waitFor(new URL(responseUrl).pathname);
    expect(JSON.stringify(reply.body)).toContain('Saved Winter box');

    expect(deliverables(await homeOf('U0ALICE'))).toEqual([]);
    expect(deliverables(await homeOf('U0BOB'))).toEqual(before);
    // The other owner's item never moved.
    expect((await homeOf('U0CARL')).match(/Other box/g)).toHaveLength(1);
  });

  it('GIVEN items stored before they carried their owner WHEN the app starts THEN the migration gives them their collaboration\'s owner and they show on that Home, once', async () => {
    await app.models.contents.collection.updateMany({}, { $unset: { ownerId: '' } });
    expect(deliverables(await homeOf('U0BOB'))).toEqual([]);

    expect(await migrate(app.services)).toMatchObject({ contentOwners: 3 });
    const home = deliverables(await homeOf('U0BOB'));
    expect(home[0]).toBe('*Deliverables due within 3 days or overdue* (2)');
    expect(home).toHaveLength(3);
    expect((await app.models.contents.find().lean()).map((item) => item.ownerId).sort()).toEqual(['U0BOB', 'U0BOB', 'U0CARL']);
    // Again (a restart, or a second replica): nothing to do.
    expect(await migrate(app.services)).toMatchObject({ contentOwners: 0 });
  });

  it("GIVEN Bob's first deliverable marked Done from his Home WHEN he opens it again THEN it is gone and the count says 1, and a restart keeps it so for items snoozed before they recorded it", async () => {
    const { blocks } = await homeViewOf('U0BOB');
    const reel = blocks.find((block) => block.text?.text.includes('Winter box') && block.text.text.includes('reel'))!;
    const done = reel.accessory!.options!.find((option) => option.value.startsWith('influencer done item:deliverable:'))!;
    const requests = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: `${api.url}/bob`, user: { teamId: 'T0TEAM', userId: 'U0BOB', userName: 'bob' } });
    const { responseUrl } = await requests.choose(reel.accessory!, done.value);
    expect(JSON.stringify((await api.waitFor(new URL(responseUrl).pathname)).body)).toContain('Done');

    const after = deliverables(await homeOf('U0BOB'));
    expect(after[0]).toBe('*Deliverables due within 3 days or overdue* (1)');
    expect(after.slice(1).map((line) => line.includes('story'))).toEqual([true]);

    // As the version before stored it: the snooze only, nothing on the item.
    await app.models.contents.collection.updateMany({}, { $unset: { hiddenUntil: '' } });
    expect(await migrate(app.services)).toMatchObject({ deliverableSnoozes: 1 });
    expect(deliverables(await homeOf('U0BOB'))).toEqual(after);
    expect(await migrate(app.services)).toMatchObject({ deliverableSnoozes: 0 });
  });
});

describe('App Home deliverables of a closed collaboration', () => {
  it('GIVEN an owner with 9 overdue items of an ended collaboration left planned and 2 of an active one WHEN they open their Home THEN it shows the 2 and counts 2', async () => {
    const ws = await app.services.workspaces.ensure('slack', 'T0TEAM');
    const workspace = { id: ws.id, timezone: TZ };
    // Ended with its items still planned: a close cut short between setting the status and cancelling them.
    const ended = await seedCollaboration(app, workspace, { name: 'Old Creator', title: 'Autumn box', ownerId: 'U0DANA' });
    for (let day = 1; day <= 9; day += 1) await app.services.content.addPlanned(ended.collaboration, 'post', `2026-11-${String(day).padStart(2, '0')}`, TZ);
    await app.models.collaborations.updateOne({ _id: ended.collaboration._id }, { $set: { status: 'ended' } });
    const live = await seedCollaboration(app, workspace, { name: 'New Creator', title: 'Spring box', ownerId: 'U0DANA' });
    await app.services.content.addPlanned(live.collaboration, 'reel', '2026-11-22', TZ);
    await app.services.content.addPlanned(live.collaboration, 'story', '2026-11-24', TZ);

    const lines = (await homeOf('U0DANA')).split('\n').filter((line) => line.startsWith('*Deliverables') || line.includes('box'));
    expect(lines[0]).toBe('*Deliverables due within 3 days or overdue* (2)');
    expect(lines.slice(1).map((line) => [line.includes('Spring box'), line.includes('reel'), line.includes('story')])).toEqual([
      [true, true, false],
      [true, false, true],
    ]);
  });
});
