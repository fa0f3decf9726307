import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { databaseHealth } from '../../../src/http/health';
import { createSlackAdapter, type SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { buildApp, silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';

/**
 * Socket Mode end to end: the real Bolt app asks apps.connections.open (on the recording API) for
 * its WebSocket URL, connects to a local WebSocket server standing in for Slack's, and receives
 * slash commands as envelopes; each envelope must be acknowledged on the socket with its id, and
 * the answer goes to the response_url or to views.open, as in HTTP mode.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slack: SlackAdapter;
let sockets: WebSocketServer;
let socket: WebSocket | undefined;
const acks: Array<Record<string, unknown>> = [];
const ackWaiters: Array<{ id: string; resolve: (ack: Record<string, unknown>) => void }> = [];
let counter = 0;

beforeAll(async () => {
  app = await buildApp(connection);
  api = await startRecordingApi();
  sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => sockets.once('listening', () => resolve()));
  const wsUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/link`;
  sockets.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as Record<string, unknown>;
      acks.push(ack);
      for (const waiter of ackWaiters.filter((w) => w.id === ack.envelope_id)) waiter.resolve(ack);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' }, debug_info: { host: 'local', approximate_connection_time: 3600 } }));
  });
  api.respond((r) => (r.path === '/api/apps.connections.open' ? { body: { ok: true, url: wsUrl } } : undefined));
  api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' } } : undefined));
  slack = createSlackAdapter({
    router: app.router,
    botToken: 'xoxb-test-token',
    signingSecret: 'unused-in-socket-mode',
    appToken: 'xapp-test-token',
    apiUrl: `${api.url}/api/`,
    port: 0,
    logger: silentLogger,
    health: databaseHealth(connection),
  });
  await slack.start();
});

afterAll(async () => {
  await slack?.stop();
  await new Promise<void>((resolve) => sockets?.close(() => resolve()));
  await api?.close();
});

/** Sends `/influencer <text>` as Slack's Socket Mode does; resolves with the ack and the ids used. */
async function slash(text: string) {
  counter += 1;
  const envelopeId = `envelope-${counter}`;
  const responseUrl = `${api.url}/response/socket-${counter}`;
  const acked = new Promise<Record<string, unknown>>((resolve) => ackWaiters.push({ id: envelopeId, resolve }));
  socket!.send(
    JSON.stringify({
      envelope_id: envelopeId,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy-verification-token',
        team_id: 'T0TEAM',
        team_domain: 'acme',
        channel_id: 'C0GENERAL',
        channel_name: 'general',
        user_id: 'U0ALICE',
        user_name: 'alice',
        command: '/influencer',
        text,
        api_app_id: 'A0APP',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: `trigger-socket-${counter}`,
      },
    }),
  );
  return { ack: await acked, envelopeId, responseUrl: new URL(responseUrl).pathname, triggerId: `trigger-socket-${counter}` };
}

describe('GIVEN the Slack app in Socket Mode', () => {
  it('WHEN it starts THEN it asked apps.connections.open with the app-level token and connected', async () => {
    const open = await api.waitFor('/api/apps.connections.open');
    expect(open.headers.authorization).toBe('Bearer xapp-test-token');
    expect(socket).toBeDefined();
  });

  it('WHEN a slash command arrives THEN the envelope is acknowledged by id, the creator is stored and the answer reaches the response_url', async () => {
    const { ack, envelopeId, responseUrl } = await slash('add "Sock Mode" @sock.mode network:instagram email:sock@example.com');
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} }); // an empty ack: the answer follows on its own
    const answer = await api.waitFor(responseUrl);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain('Sock Mode');
    const stored = await app.models.influencers.findOne({ name: 'Sock Mode' }).lean();
    expect(stored?.handles).toEqual([expect.objectContaining({ network: 'instagram', handle: 'sock.mode' })]);
  });

  it('WHEN a command that opens a form arrives THEN it is acknowledged and views.open gets its trigger id', async () => {
    const { ack, envelopeId, triggerId } = await slash('add');
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} }); // an empty ack: the answer follows on its own
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId);
    expect(opened.body.view.title.text).toBe('Add a creator');
  });

  it('WHEN the input is bad THEN the answer names the field, and nothing is stored', async () => {
    const before = await app.models.influencers.countDocuments();
    const { responseUrl } = await slash('add "Bad Mail" email:not-an-email');
    const answer = await api.waitFor(responseUrl);
    expect(answer.body.text).toContain('email');
    expect(await app.models.influencers.countDocuments()).toBe(before);
  });
});
