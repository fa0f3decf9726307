import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection';
import { DatabaseWatch } from '../../src/db/database-watch';
import { CommandRouter, DATABASE_DOWN, DATABASE_INTERRUPTED } from '../../src/platforms/command-router';
import { createInstallationStore } from '../../src/platforms/slack/installation-store';
import type { SlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { commands, explain } from '../../commands';
import { buildApp, fakeClock, silentLogger } from '../helpers/app';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';
import { until } from '../helpers/until';
import { hostOf, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/**
 * The app on a connection through a TCP proxy of the test's own, so the test cuts the database
 * off and brings it back, as a network failure or a database restart would.
 */
const dbName = `t_outage_${Date.now().toString(36)}`;
let proxy: TcpProxy;
let connection: mongoose.Connection;
let platform: SlackApp;
let api: RecordingApi;
let slack: SlackAdapter;
let watch: DatabaseWatch;
let baseUrl: string;
let as: SlackRequests;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  const uri = inject('mongoUri');
  proxy = await startTcpProxy(hostOf(uri));
  connection = await connectDatabase(proxy.uri(uri), dbName);
  app = await buildApp(connection);
  watch = new DatabaseWatch({ connection, uri: proxy.uri(uri), logger: silentLogger, everyMs: 250, onStuck: () => {} });
  watch.start();
  const router = new CommandRouter(commands, { explain, services: app.services, clock: app.clock, logger: silentLogger, database: watch });
  platform = await startSlackApp(router, connection);
  ({ api, slack, as } = platform);
  baseUrl = `http://127.0.0.1:${slack.listeningPort()}`;
});

afterAll(async () => {
  proxy.restore();
  watch?.stop();
  await platform?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  await proxy?.close();
});

const health = async () => {
  const res = await fetch(`${baseUrl}/healthz`);
  return [res.status, await res.json()];
};

/** A slash command; resolves with the text posted to its response_url, at most `limitMs` after the ack. */
async function slash(text: string, limitMs: number) {
  const sent = await as.command('/influencer', text);
  expect(sent.response.status).toBe(200);
  const answer = await api.waitFor(new URL(sent.responseUrl).pathname, () => true, limitMs);
  return answer.body.text as string;
}


describe('database outages, through the real Slack app', () => {
  it('GIVEN the database is cut WHEN a command comes THEN /healthz says so and the command answers that nothing changed, within 3 s; WHEN it is back THEN all answers again within 30 s', async () => {
    expect(await slash('add "Ana Lima" @ana.lima network:tiktok', 5000)).toContain('Added Ana Lima');
    const opening = await as.command('/influencer', 'add');
    const form = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === opening.triggerId);
    proxy.cut();
    expect(await health()).toEqual([503, { database: 'down' }]);
    // The first command may be the one that finds out (driver server selection: 5 s); from then on the answer is at once.
    await slash('add "Bo Chen" @bo.chen network:tiktok', 8000);
    expect(await slash('add "Cy Diaz" @cy.diaz network:tiktok', 3000)).toBe(DATABASE_DOWN);
    expect(await slash('find ana', 3000)).toBe(DATABASE_DOWN);
    // A form submitted now is answered in the ack, inline: the modal stays open with what was typed.
    const submitted = await as.submit(form.body.view, { name: 'Cy Diaz', notes: 'typed during the outage' });
    expect(submitted.response.json).toEqual({
      response_action: 'errors',
      errors: { name: `${DATABASE_DOWN} What you typed stays here: submit again in a minute.` },
    });

    proxy.restore();
    const back = Date.now();
    await until(async () => (await health())[0] === 200, 30_000);
    await until(async () => watch.isUp(), 30_000);
    expect(Date.now() - back).toBeLessThan(30_000);
    expect(await slash('add "Cy Diaz" @cy.diaz network:tiktok', 5000)).toContain('Added Cy Diaz');
    expect(await app.models.influencers.countDocuments({ name: { $in: ['Bo Chen', 'Cy Diaz'] } })).toBe(1);
  }, 60_000);

  it('GIVEN the connection drops while a write is in flight WHEN the database is back THEN the command said what may have happened, and the app answers again within 30 s', async () => {
    proxy.cutOnWrite('Dee Evans');
    const answer = await slash('add "Dee Evans" @dee.evans network:tiktok', 15_000);
    expect([DATABASE_INTERRUPTED, DATABASE_DOWN]).toContain(answer);
    proxy.restore();
    const back = Date.now();
    await until(async () => (await health())[0] === 200 && watch.isUp(), 30_000);
    expect(await slash('add "Eli Fox" @eli.fox network:tiktok', 5000)).toContain('Added Eli Fox');
    expect(Date.now() - back).toBeLessThan(30_000);
  }, 60_000);
});

describe('DatabaseWatch: a driver that never recovers', () => {
  it('GIVEN its connection fails for 30 s while a fresh connection answers THEN it reports the process stuck (main exits non-zero)', async () => {
    const clock = fakeClock('2026-11-23T10:00:00Z');
    const dead = await connectDatabase(inject('mongoUri'), dbName);
    await dead.close();
    let stuck = 0;
    const probe = async () => true;
    const dying = new DatabaseWatch({ connection: dead, uri: 'mongodb://x', logger: silentLogger, clock: () => clock().getTime(), onStuck: () => (stuck += 1), probe });
    await dying.check();
    expect([dying.isUp(), stuck]).toEqual([false, 0]);
    clock.advance(29_000);
    await dying.check();
    expect(stuck).toBe(0);
    clock.advance(1_000);
    await dying.check();
    expect(stuck).toBe(1);
  });

  it('GIVEN the database itself is down (a fresh connection fails too) THEN it waits for it, never exits', async () => {
    const clock = fakeClock('2026-11-23T10:00:00Z');
    const dead = await connectDatabase(inject('mongoUri'), dbName);
    await dead.close();
    let stuck = 0;
    const dying = new DatabaseWatch({ connection: dead, uri: 'mongodb://x', logger: silentLogger, clock: () => clock().getTime(), onStuck: () => (stuck += 1), probe: async () => false });
    await dying.check();
    clock.advance(10 * 60_000);
    await dying.check();
    expect([dying.isUp(), stuck]).toEqual([false, 0]);
  });
});

describe('Slack installations (OAuth) during an outage', () => {
  it('GIVEN a workspace whose installation was read WHEN the database is cut THEN requests are still authorized with its token (so they can be answered), and an unknown workspace is not', async () => {
    const store = createInstallationStore(connection, () => new Date('2026-11-23T10:00:00Z'), { current: Buffer.alloc(32, 7) }, watch);
    await store.storeInstallation({
      team: { id: 'T0OUTAGE' },
      enterprise: undefined,
      isEnterpriseInstall: false,
      bot: { token: 'xoxb-outage', scopes: ['commands'], id: 'B0OUT', userId: 'U0OUT' },
      user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    } as never);
    const query = { teamId: 'T0OUTAGE', enterpriseId: undefined, isEnterpriseInstall: false };
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-outage');

    proxy.cut();
    watch.reportUnreachable();
    await until(async () => !watch.isUp(), 5000);
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-outage');
    expect(await store.botToken('T0OUTAGE')).toBe('xoxb-outage');
    await expect(store.fetchInstallation({ teamId: 'T0NEVERSEEN', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow();

    proxy.restore();
    await until(async () => watch.isUp(), 30_000);
  }, 60_000);
});
