import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { para, reply } from '../../src/core';
import { loggerOptions } from '../../src/config/log-redaction';
import { databaseHealth } from '../../src/http/health';
import { createDiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { createSlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { APPLICATION_ID, callbackPath, dispatch, slashCommand } from '../helpers/discord-interactions';
import { startRecordingApi, type RecordingApi } from '../helpers/recording-api';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;

/** The bot's own logger (main.ts's options) writing JSON lines into an array. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino(loggerOptions('info'), stream), lines };
}

beforeAll(async () => {
  app = await buildApp(connection);
  api = await startRecordingApi();
});
afterAll(async () => {
  await api.close();
});

describe('GIVEN a Discord API error while answering an interaction', () => {
  it('THEN the log line names the failure without the interaction token, the bot token or the card it was sending', async () => {
    const { logger, lines } = capturedLogger();
    const workspace = await app.services.workspaces.ensure('discord', '1100000000000000001');
    await app.services.influencers.add(workspace.id, { name: 'Zoë Tran', handles: [], tags: [], ownerId: 'u', stage: 'active', email: 'zoe@example.com', phone: '+1 555 0100' }, 'u');
    api.respond((r) => (r.path.includes('/callback') ? { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'zoe@example.com' }] } } } } : undefined));
    const token = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const adapter = createDiscordAdapter({ router: app.router, token, clientId: APPLICATION_ID, apiUrl: `${api.url}/api`, logger });
    const d = slashCommand('show', [{ name: 'who', type: 3, value: 'Zoë Tran' }]);
    dispatch(adapter.client, d);
    await api.waitFor(callbackPath(d));
    await expect.poll(() => lines.some((l) => l.includes('discord interaction failed'))).toBe(true);
    await adapter.stop();

    const all = lines.join('\n');
    expect(all).not.toContain(d.token);
    expect(all).not.toContain(token);
    expect(all).not.toContain('zoe@example.com');
    expect(all).not.toContain('555 0100');
    expect(all).not.toContain('Zoë Tran');
    const failure = JSON.parse(lines.find((l) => l.includes('discord interaction failed'))!);
    expect(failure.level).toBe(50);
    expect(failure.err).toMatchObject({ type: 'DiscordAPIError[50035]', status: 400, method: 'POST' });
    expect(failure.err.url).toBe(`${api.url}/api/v10/interactions/${d.id}/[redacted]/callback?with_response=false`);
  });
});

describe('GIVEN a Slack API error on a scheduled post', () => {
  it('THEN the log line keeps the Slack error code and drops the token and the message', async () => {
    const { logger, lines } = capturedLogger();
    api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', team_id: 'T0' } } : undefined));
    api.respond((r) => (r.path === '/api/chat.postMessage' ? { status: 500, body: { ok: false, error: 'internal_error' } } : undefined));
    const slack = createSlackAdapter({
      router: app.router,
      botToken: 'xoxb-1234-5678-secretsecret',
      signingSecret: 'signing-secret',
      apiUrl: `${api.url}/api/`,
      port: 0,
      logger,
      health: databaseHealth(connection),
    });
    const error = await slack.poster({ channelId: 'C0PAY' }, reply([para('Zoë Tran, zoe@example.com, is owed $1,500')], 'channel')).catch((err: unknown) => err);
    // As the scheduler logs a failed run.
    logger.warn({ job: 'late-payments', err: error }, 'scheduled job failed; it will be retried in this period');
    logger.info({ body: { text: 'Zoë Tran, zoe@example.com' }, nested: { deeper: { err: error } } }, 'a line with a message body xoxb-1234-5678-secretsecret');

    const all = lines.join('\n');
    expect(all).not.toContain('secretsecret');
    expect(all).not.toContain('zoe@example.com');
    expect(all).not.toContain('Zoë Tran');
    const failure = JSON.parse(lines.find((l) => l.includes('scheduled job failed'))!);
    expect(failure.err.type).toBe('Error');
    expect(failure.err.code).toBe('slack_webapi_http_error');
    const body = JSON.parse(lines.find((l) => l.includes('a line with a message body'))!);
    expect(body.body).toBe('[redacted]');
    expect(body.msg).toBe('a line with a message body xox?-[redacted]');
  });
});
