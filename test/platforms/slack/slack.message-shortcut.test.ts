import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator } from '../../helpers/nurture';
import type { RecordingApi } from '../../helpers/recording-api';
import type { SlackRequests } from '../../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../../helpers/slack-app';

/**
 * "Log to influencer" from a message's menu, through the real Bolt app: the signed message_action,
 * the modal opened with views.open, the creator typeahead (block_suggestion), the submission, and
 * the touchpoint read back from the database.
 */

const SENT_TS = '1795167000.000100'; // 2026-11-20T09:30:00Z
const PERMALINK = 'https://acme.slack.com/archives/C0GENERAL/p1795167000000100';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let requests: SlackRequests;
let zoeId: string;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: 'Europe/Paris' });
  platform = await startSlackApp(app.router, connection);
  ({ api, as: requests } = platform);
  api.respond((r) => (r.path === '/api/chat.getPermalink' ? { body: { ok: true, channel: r.body.channel, permalink: PERMALINK } } : undefined));
  const ws = await app.services.workspaces.ensure('slack', 'T0TEAM');
  await app.services.workspaces.updateSettings(ws.id, { timezone: 'Europe/Paris' });
  zoeId = String((await addCreator(app, { id: ws.id, timezone: 'Europe/Paris' }, { name: 'Zoë Tran', handle: 'zoe.creates', contactedDaysAgo: 30 }))._id);
  await addCreator(app, { id: ws.id, timezone: 'Europe/Paris' }, { name: 'Ana Lima', handle: 'ana.lima' });
});
afterAll(async () => {
  await platform?.stop();
});

const viewOf = (r: { body: any }) => (typeof r.body.view === 'string' ? JSON.parse(r.body.view) : r.body.view);

describe('Slack message shortcut "Log to influencer"', () => {
  it('GIVEN a message WHEN the shortcut is picked, a creator typed and the form submitted THEN a touchpoint dated when the message was sent, with its permalink', async () => {
    const { triggerId, responseUrl, response } = await requests.messageShortcut('log_to_influencer', { ts: SENT_TS, text: 'Hi <@U0ZOE|zoe>, loved the &lt;autumn&gt; brief: <https://acme.example/brief|the brief>' });
    expect(response.status).toBe(200);

    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId);
    const view = viewOf(opened);
    expect(view.blocks.map((b: any) => [b.block_id, b.element.type])).toEqual([
      ['who', 'external_select'],
      ['kind', 'static_select'],
      ['summary', 'plain_text_input'],
    ]);
    const summary = `Hi @zoe, loved the <autumn> brief: the brief (https://acme.example/brief)\n${PERMALINK}`;
    expect(view.blocks[2].element.initial_value).toBe(summary);
    expect(JSON.parse(view.private_metadata).submit).toEqual({ command: 'influencer', subcommand: 'log', args: { at: '2026-11-20T09:30:00.000Z' } });
    expect(api.to('/api/chat.getPermalink').map((r) => [r.body.channel, r.body.message_ts])).toEqual([['C0GENERAL', SENT_TS]]);

    const suggested = await requests.suggest(view, 'who', 'zoe');
    expect(suggested.status).toBe(200);
    expect(suggested.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'Zoë Tran (@zoe.creates)' }, value: zoeId }] });

    const submitted = await requests.submit(view, { who: zoeId, kind: 'reply' });
    expect(submitted.response.status).toBe(200);
    // The answer goes to the shortcut's response_url, kept with the form (a submission has none of its own).
    const logged = await api.waitFor(new URL(responseUrl).pathname);
    expect(logged.body.text).toMatch(/^Logged reply with Zoë Tran on 2026-11-20: Hi @zoe/);

    const touchpoints = await app.models.touchpoints.find({ influencerId: zoeId }, { _id: 0, kind: 1, summary: 1, at: 1, byId: 1 }).sort({ at: -1 }).lean();
    expect(touchpoints[0]).toEqual({ kind: 'reply', summary, at: new Date('2026-11-20T09:30:00Z'), byId: 'U0ALICE' });
  });

  it('GIVEN the picked creator archived before the form is submitted THEN the refusal offers the form again, and it opens with that creator still picked, the kind and the summary', async () => {
    const ws = await app.services.workspaces.ensure('slack', 'T0TEAM');
    const gone = await addCreator(app, { id: ws.id, timezone: 'Europe/Paris' }, { name: 'Noor Haddad', handle: 'noor.h' });
    const { triggerId, responseUrl } = await requests.messageShortcut('log_to_influencer', { ts: SENT_TS, text: 'See you at the launch' });
    const view = viewOf(await api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId));
    await app.services.influencers.archive(gone, 'U0ALICE');
    const submitted = await requests.submit(view, { who: String(gone._id), kind: 'call' }, { labels: { who: 'Noor Haddad (@noor.h)' } });
    expect(submitted.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = await api.waitFor(new URL(responseUrl).pathname, (r) => JSON.stringify(r.body).includes('Open the form again'));
    expect(answer.body.text).toContain('archived');
    const reopen = (typeof answer.body.blocks === 'string' ? JSON.parse(answer.body.blocks) : answer.body.blocks).flatMap((b: any) => b.elements ?? []).find((e: any) => e.text?.text === 'Open the form again');
    const clicked = await requests.click(reopen);
    const again = viewOf(await api.waitFor('/api/views.open', (r) => r.body.trigger_id === clicked.triggerId));
    const element = (id: string) => again.blocks.find((b: any) => b.block_id === id).element;
    expect([element('who').initial_option, element('kind').initial_option?.value, element('summary').initial_value]).toEqual([
      { text: { type: 'plain_text', text: 'Noor Haddad (@noor.h)', emoji: true }, value: String(gone._id) },
      'call',
      `See you at the launch\n${PERMALINK}`,
    ]);
  });

  it('GIVEN typing in the typeahead THEN the options are the matching creators of this workspace only, and nothing for a forged form', async () => {
    const { triggerId } = await requests.messageShortcut('log_to_influencer', { ts: SENT_TS, text: 'hello' });
    const view = viewOf(await api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId));
    const other = await requests.suggest(view, 'who', 'ana', { user: { teamId: 'T0OTHER', userId: 'U0EVE' } });
    expect(other.json).toEqual({ options: [] });
    const forged = await requests.suggest({ ...view, private_metadata: '{"$gt":""}' }, 'who', 'ana');
    expect(forged.json).toEqual({ options: [] });
    const mine = await requests.suggest(view, 'who', 'LIMA');
    expect(mine.json.options.map((o: any) => o.text.text)).toEqual(['Ana Lima (@ana.lima)']);
  });

  it('GIVEN chat.getPermalink fails THEN the link is built from the team, channel and ts as Slack documents', async () => {
    api.respond((r) => (r.path === '/api/chat.getPermalink' ? { body: { ok: false, error: 'ratelimited' } } : undefined));
    const { triggerId } = await requests.messageShortcut('log_to_influencer', { ts: SENT_TS, text: '' });
    const view = viewOf(await api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId));
    expect(view.blocks.find((b: any) => b.block_id === 'summary').element.initial_value).toBe('https://acme.slack.com/archives/C0GENERAL/p1795167000000100');
  });
});
