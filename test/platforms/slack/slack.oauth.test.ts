import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJob, text } from '../../../src/core';
import { createInstallationStore } from '../../../src/platforms/slack/installation-store';
import { createSlackAdapter, type SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { buildApp, type silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';
import { buildScheduler, resetScheduling } from '../../helpers/scheduler';
import { signature, slackRequests, type SlackUser } from '../../helpers/slack-requests';

/**
 * One deployment, many workspaces: Bolt's OAuth installer with the installations in MongoDB.
 * Slack's authorize page, oauth.v2.access and the Web API are the local recording server.
 */

const SIGNING_SECRET = 'test-signing-secret';
const CLIENT_ID = '1111111111.2222222222';
const TOKEN_KEY = Buffer.from('6d1f0c9a2b7e4d3c8a5f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3', 'hex');
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slack: SlackAdapter;
let baseUrl: string;

const logs: Array<{ msg?: string; obj: object }> = [];
const logWaiters: Array<{ msg: string; resolve: () => void }> = [];
const recordingLogger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [
    level,
    (obj: object, msg?: string) => {
      logs.push({ obj, msg });
      for (const waiter of logWaiters.filter((w) => w.msg === msg)) waiter.resolve();
    },
  ]),
) as unknown as typeof silentLogger;
const loggedTimes = (msg: string, times: number) =>
  logs.filter((l) => l.msg === msg).length >= times
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const check = () => (logs.filter((l) => l.msg === msg).length >= times ? resolve() : logWaiters.push({ msg, resolve: check }));
        check();
      });

/** What oauth.v2.access answers for each code: two workspaces and an Enterprise Grid org-wide install. */
const GRANTS: Record<string, { token: string; bot: string; team: string | null; enterprise: string | null }> = {
  'code-a': { token: 'xoxb-team-a', bot: 'U0BOTA', team: 'T0AAA', enterprise: null },
  'code-b': { token: 'xoxb-team-b', bot: 'U0BOTB', team: 'T0BBB', enterprise: null },
  'code-org': { token: 'xoxb-org', bot: 'U0BOTE', team: null, enterprise: 'E0ORG' },
  // Never exchanged: its installation is written in the clear as versions before encryption did.
  legacy: { token: 'xoxb-legacy', bot: 'U0BOTL', team: 'T0LEGACY', enterprise: null },
};

/** `oauth_config.scopes.bot` of manifest.yml, read line by line (comments skipped). */
const manifestScopes = () => {
  const lines = readFileSync('manifest.yml', 'utf8').split('\n');
  const start = lines.findIndex((line, i) => /^\s+bot:\s*$/.test(line) && /^\s+scopes:\s*$/.test(lines[i - 1] ?? ''));
  const scopes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const item = /^\s+-\s+([\w:.]+)/.exec(line);
    if (!item) break;
    scopes.push(item[1]!);
  }
  return scopes;
};

beforeAll(async () => {
  app = await buildApp(connection);
  await resetScheduling(connection);
  api = await startRecordingApi();
  api.respond((r) => {
    if (r.path !== '/api/oauth.v2.access') return undefined;
    const grant = GRANTS[r.body.code];
    if (!grant || r.body.client_id !== CLIENT_ID || r.body.client_secret !== 'client-secret-1') return { body: { ok: false, error: 'invalid_code' } };
    return {
      body: {
        ok: true,
        app_id: 'A0APP',
        authed_user: { id: 'U0INSTALLER' },
        scope: manifestScopes().join(','),
        token_type: 'bot',
        access_token: grant.token,
        bot_user_id: grant.bot,
        team: grant.team ? { id: grant.team, name: `Team ${grant.team}` } : null,
        enterprise: grant.enterprise ? { id: grant.enterprise, name: 'Acme Org' } : null,
        is_enterprise_install: Boolean(grant.enterprise),
      },
    };
  });
  api.respond((r) => {
    if (r.path !== '/api/auth.test') return undefined;
    const grant = Object.values(GRANTS).find((g) => r.headers.authorization === `Bearer ${g.token}`);
    return grant ? { body: { ok: true, user_id: grant.bot, bot_id: `B${grant.bot}`, team_id: grant.team ?? undefined, enterprise_id: grant.enterprise ?? undefined } } : { body: { ok: false, error: 'invalid_auth' } };
  });
  api.respond((r) => (r.path === '/api/chat.postMessage' ? { body: { ok: true, channel: r.body.channel, ts: '1700000000.000900' } } : undefined));
  slack = createSlackAdapter({
    router: app.router,
    oauth: { clientId: CLIENT_ID, clientSecret: 'client-secret-1', stateSecret: 'state-secret-0123456789', installations: createInstallationStore(connection, app.clock, { current: TOKEN_KEY }) },
    signingSecret: SIGNING_SECRET,
    apiUrl: `${api.url}/api/`,
    port: 0,
    logger: recordingLogger,
    health: async () => ({ status: 200, body: { database: 'up' } }),
  });
  await slack.start();
  baseUrl = `http://127.0.0.1:${slack.listeningPort()}`;
});

afterAll(async () => {
  await slack?.stop();
  await api?.close();
});

/** GET /slack/install, then Slack sends the browser back to /slack/oauth_redirect with a code and the state. */
async function install(code: string) {
  const started = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
  const location = new URL(started.headers.get('location')!);
  const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
  const back = await fetch(`${baseUrl}/slack/oauth_redirect?code=${code}&state=${location.searchParams.get('state')}`, { headers: { cookie }, redirect: 'manual' });
  return { started, location, back };
}

const installations = () => connection.collection('slack_installations').find({}).sort({ _id: 1 }).toArray();
/** What a reader of the database sees: the fields of each document, and whether any token or bot id is readable. */
const atRest = async () =>
  (await installations()).map((doc) => ({ _id: String(doc._id), fields: Object.keys(doc).filter((key) => key !== '__v').sort(), readable: /xox[a-z]-|U0BOT/.test(JSON.stringify(doc)), sealed: /^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/.test(String(doc.sealed)) }));
const SEALED_FIELDS = ['_id', 'installedAt', 'isEnterpriseInstall', 'sealed', 'teamId'];

async function openFormAs(user: SlackUser) {
  const as = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: api.url, user });
  const seen = api.requests.length;
  const sent = await as.command('/influencer', 'add');
  return { sent, opened: await api.waitFor('/api/views.open', (r) => api.requests.indexOf(r) >= seen) };
}

/** An Events API callback as Slack signs it (JSON body). */
async function event(teamId: string | null, enterpriseId: string | null, body: object) {
  const raw = JSON.stringify({
    token: 'legacy',
    team_id: teamId ?? enterpriseId,
    ...(enterpriseId ? { enterprise_id: enterpriseId } : {}),
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    is_ext_shared_channel: false,
    authorizations: [{ enterprise_id: enterpriseId, team_id: teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: Boolean(enterpriseId && !teamId) }],
    ...body,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SIGNING_SECRET, timestamp, raw) },
    body: raw,
  });
}

describe('GIVEN the OAuth install (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)', () => {
  it("WHEN GET /slack/install THEN it redirects to Slack's consent page asking for exactly the scopes of manifest.yml", async () => {
    const { started, location } = await install('code-a');
    expect(started.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(`${api.url}/oauth/v2/authorize`);
    expect(manifestScopes().slice(0, 2)).toEqual(['commands', 'chat:write']);
    expect({ scope: location.searchParams.get('scope')?.split(','), client_id: location.searchParams.get('client_id') }).toEqual({ scope: manifestScopes(), client_id: CLIENT_ID });
  });

  it('WHEN Slack redirects back with a code THEN it is exchanged at oauth.v2.access and the token stored per workspace (team and Enterprise Grid)', async () => {
    const b = await install('code-b');
    const org = await install('code-org');
    expect([b.back.status, org.back.status]).toEqual([200, 200]);
    expect(api.to('/api/oauth.v2.access').map((r) => r.body.code)).toEqual(['code-a', 'code-b', 'code-org']);
    // Encrypted at rest (TOKEN_ENCRYPTION_KEY): no token, no bot id readable in the documents.
    expect(await atRest()).toEqual([
      { _id: 'E0ORG', fields: ['_id', 'enterpriseId', 'installedAt', 'isEnterpriseInstall', 'sealed'], readable: false, sealed: true },
      { _id: 'T0AAA', fields: SEALED_FIELDS, readable: false, sealed: true },
      { _id: 'T0BBB', fields: SEALED_FIELDS, readable: false, sealed: true },
    ]);
    // ...and only the key opens them: the same store reads the tokens back.
    const store = createInstallationStore(connection, app.clock, { current: TOKEN_KEY });
    expect(await Promise.all(['E0ORG', 'T0AAA', 'T0BBB'].map((id) => store.botToken(id)))).toEqual(['xoxb-org', 'xoxb-team-a', 'xoxb-team-b']);
  });

  it('WHEN a redirect comes with a forged state THEN nothing is exchanged or stored', async () => {
    const before = api.to('/api/oauth.v2.access').length;
    const res = await fetch(`${baseUrl}/slack/oauth_redirect?code=code-a&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(api.to('/api/oauth.v2.access').length).toBe(before);
  });

  it('WHEN people in each workspace run a command THEN each workspace is answered with its own token', async () => {
    const a = await openFormAs({ teamId: 'T0AAA', userId: 'U0ANA' });
    const b = await openFormAs({ teamId: 'T0BBB', userId: 'U0BEN' });
    const grid = await openFormAs({ teamId: 'T0GRIDTEAM', userId: 'U0EVE', enterpriseId: 'E0ORG', enterpriseInstall: true });
    expect([a.opened, b.opened, grid.opened].map((r) => r.headers.authorization)).toEqual(['Bearer xoxb-team-a', 'Bearer xoxb-team-b', 'Bearer xoxb-org']);
  });

  it('WHEN a workspace installed by a version before encryption (token in the clear) runs a command THEN it is answered with its token, and its document is encrypted from then on', async () => {
    const legacy = {
      _id: 'T0LEGACY',
      teamId: 'T0LEGACY',
      isEnterpriseInstall: false,
      installation: { team: { id: 'T0LEGACY', name: 'Old Team' }, enterprise: null, isEnterpriseInstall: false, appId: 'A0APP', tokenType: 'bot', bot: { token: 'xoxb-legacy', scopes: manifestScopes(), id: 'BU0BOTL', userId: 'U0BOTL' }, user: { id: 'U0INSTALLER' } },
      installedAt: new Date('2025-06-01T00:00:00Z'),
    };
    await connection.collection<{ _id: string }>('slack_installations').insertOne(legacy);
    const opened = await openFormAs({ teamId: 'T0LEGACY', userId: 'U0LEA' });
    expect(opened.opened.headers.authorization).toBe('Bearer xoxb-legacy');
    expect((await atRest()).find((doc) => doc._id === 'T0LEGACY')).toEqual({ _id: 'T0LEGACY', fields: SEALED_FIELDS, readable: false, sealed: true });
    await connection.collection<{ _id: string }>('slack_installations').deleteOne({ _id: 'T0LEGACY' });
  });

  it('WHEN the scheduler posts in two workspaces THEN each post carries that workspace’s token', async () => {
    for (const external of ['T0AAA', 'T0BBB']) {
      const workspace = await app.services.workspaces.ensure('slack', external);
      await app.services.workspaces.updateSettings(workspace.id, { timezone: 'UTC', channels: { digest: `C0${external}` } });
    }
    const job = defineJob({
      name: 'hello',
      description: 'says hello',
      channel: 'digest',
      schedule: { kind: 'daily' },
      run: () => [{ channel: 'digest', reply: text('Good morning, team.', 'channel') }],
    });
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [job] });
    app.clock.set('2026-11-23T09:00:00Z');
    await scheduler.tick(app.clock());
    expect(api.to('/api/chat.postMessage').map((r) => [r.body.channel, r.headers.authorization]).sort()).toEqual([
      ['C0T0AAA', 'Bearer xoxb-team-a'],
      ['C0T0BBB', 'Bearer xoxb-team-b'],
    ]);
  });

  it('WHEN workspace A uninstalls the app THEN only its tokens are deleted, and it is no longer answered', async () => {
    expect((await event('T0AAA', null, { event: { type: 'app_uninstalled', event_ts: '1700000000.000100' } })).status).toBe(200);
    await loggedTimes('slack app uninstalled: tokens deleted', 1);
    expect((await installations()).map((i) => i._id)).toEqual(['E0ORG', 'T0BBB']);
    const as = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: api.url, user: { teamId: 'T0AAA', userId: 'U0ANA' } });
    const seen = api.requests.length;
    // Bolt acknowledges (Slack shows no error) and calls no listener: nothing is opened or answered.
    expect((await as.command('/influencer', 'add')).response.status).toBe(200);
    await loggedTimes('Authorization of incoming event did not succeed. No listeners will be called.', 1);
    expect(api.requests.slice(seen)).toEqual([]);
    // Its data stays until an admin asks to delete it.
    expect(await connection.collection('workspaces').countDocuments({ externalId: 'T0AAA' })).toBe(1);
    // B still works.
    expect((await openFormAs({ teamId: 'T0BBB', userId: 'U0BEN' })).opened.headers.authorization).toBe('Bearer xoxb-team-b');
  });

  it("WHEN the org's bot token is revoked THEN the org's tokens are deleted and B's stay", async () => {
    const res = await event(null, 'E0ORG', { event: { type: 'tokens_revoked', tokens: { bot: ['U0BOTE'] }, event_ts: '1700000000.000200' } });
    expect(res.status).toBe(200);
    await loggedTimes('slack bot token revoked: tokens deleted', 1);
    expect((await installations()).map((i) => i._id)).toEqual(['T0BBB']);
  });

  it('WHEN GET /healthz THEN the same server answers it', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { database: 'up' }]);
  });
});
