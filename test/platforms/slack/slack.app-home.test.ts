import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSubmissions } from '../../../src/db/form-submissions';
import { databaseHealth } from '../../../src/http/health';
import { createSlackAdapter, type SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { buildApp, silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator } from '../../helpers/nurture';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';
import { signature } from '../../helpers/slack-requests';

/** App Home through the real Bolt app: signed event deliveries in, views.publish out to the recording Web API. */

const SIGNING_SECRET = 'test-signing-secret';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slack: SlackAdapter;
let baseUrl: string;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: 'Europe/Paris' });
  api = await startRecordingApi();
  api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' } } : undefined));
  api.respond((r) => (r.path === '/api/views.publish' ? { body: { ok: true } } : undefined));
  slack = createSlackAdapter({ router: app.router, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: `${api.url}/api/`, port: 0, logger: silentLogger, health: databaseHealth(connection) });
  await slack.start();
  baseUrl = `http://127.0.0.1:${slack.listeningPort()}`;
});
afterAll(async () => {
  await slack?.stop();
  await api?.close();
});

async function deliver(payload: object, retryNum?: number, to = baseUrl) {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${to}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature(SIGNING_SECRET, timestamp, body),
      ...(retryNum !== undefined ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const homeOpened = (user: string, eventId: string) => ({
  type: 'event_callback',
  team_id: 'T0TEAM',
  api_app_id: 'A0APP',
  event_id: eventId,
  event_time: 1_700_000_000,
  authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
  event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' },
});

describe('Slack App Home', () => {
  it("GIVEN Slack's url_verification THEN the challenge is answered", async () => {
    const answer = await deliver({ type: 'url_verification', token: 'x', challenge: 'challenge-123' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('challenge-123');
  });

  it('GIVEN two people WHEN each opens the Home tab THEN each gets their own dashboard, with the birthday address only in their own', async () => {
    const ws = await app.services.workspaces.ensure('slack', 'T0TEAM');
    await app.services.workspaces.updateSettings(ws.id, { timezone: 'Europe/Paris' });
    await addCreator(app, { id: ws.id, timezone: 'Europe/Paris' }, { name: 'Zoë Tran', ownerId: 'U0ALICE', birthday: { month: 11, day: 25 }, address: '1 Rue de Rivoli', contactedDaysAgo: 2 });
    await addCreator(app, { id: ws.id, timezone: 'Europe/Paris' }, { name: 'Ana Lima', ownerId: 'U0BOB', contactedDaysAgo: 30 });

    expect((await deliver(homeOpened('U0ALICE', 'Ev0001'))).status).toBe(200);
    const alice = await api.waitFor('/api/views.publish', (r) => r.body.user_id === 'U0ALICE');
    expect((await deliver(homeOpened('U0BOB', 'Ev0002'))).status).toBe(200);
    const bob = await api.waitFor('/api/views.publish', (r) => r.body.user_id === 'U0BOB');

    const view = (r: typeof alice) => JSON.stringify(typeof r.body.view === 'string' ? JSON.parse(r.body.view as string) : r.body.view);
    expect(view(alice)).toContain('"type":"home"');
    expect(view(alice)).toContain('Zoë Tran');
    expect(view(alice)).toContain('1 Rue de Rivoli');
    expect(view(alice)).not.toContain('Ana Lima');
    expect(view(bob)).toContain('Ana Lima');
    expect(view(bob)).not.toMatch(/Zoë Tran|Rivoli/);
  });

  it('GIVEN the same event delivered again as a retry THEN it is handled once', async () => {
    const before = api.requests.filter((r) => r.path === '/api/views.publish').length;
    await deliver(homeOpened('U0ALICE', 'Ev0003'));
    await api.waitFor('/api/views.publish', () => api.requests.filter((r) => r.path === '/api/views.publish').length > before);
    expect((await deliver(homeOpened('U0ALICE', 'Ev0003'), 1)).status).toBe(200);
    // A different event afterwards is still handled: the retry was dropped, not the listener.
    await deliver(homeOpened('U0BOB', 'Ev0004'));
    await api.waitFor('/api/views.publish', () => api.requests.filter((r) => r.path === '/api/views.publish').length > before + 1);
    const published = api.requests.filter((r) => r.path === '/api/views.publish').slice(before).map((r) => r.body.user_id);
    expect(published).toEqual(['U0ALICE', 'U0BOB']);
  });

  it('GIVEN two replicas sharing the database WHEN the retry of an event reaches the other one THEN it is handled once', async () => {
    const handled = new FormSubmissions(connection);
    await handled.syncIndexes();
    const replica = (): SlackAdapter =>
      createSlackAdapter({ router: app.router, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: `${api.url}/api/`, port: 0, logger: silentLogger, health: databaseHealth(connection), handled });
    const [a, b] = [replica(), replica()];
    await a.start();
    await b.start();
    try {
      const urlOf = (adapter: SlackAdapter) => `http://127.0.0.1:${adapter.listeningPort()}`;
      const published = () => api.requests.filter((r) => r.path === '/api/views.publish').length;
      const before = published();
      expect((await deliver(homeOpened('U0ALICE', 'Ev0100'), undefined, urlOf(a))).status).toBe(200);
      await api.waitFor('/api/views.publish', () => published() > before);
      expect((await deliver(homeOpened('U0ALICE', 'Ev0100'), 1, urlOf(b))).status).toBe(200);
      // A new event on b is handled: the retry was dropped, not every event.
      expect((await deliver(homeOpened('U0BOB', 'Ev0101'), undefined, urlOf(b))).status).toBe(200);
      await api.waitFor('/api/views.publish', () => published() > before + 1);
      expect(api.requests.filter((r) => r.path === '/api/views.publish').slice(before).map((r) => r.body.user_id)).toEqual(['U0ALICE', 'U0BOB']);
      expect(await connection.collection('form_submissions').countDocuments({ _id: { $in: ['slack-event:Ev0100', 'slack-event:Ev0101'] } as never })).toBe(2);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
