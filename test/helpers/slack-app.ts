import type { Connection } from 'mongoose';
import type { Logger } from '../../src/core';
import { databaseHealth } from '../../src/http/health';
import type { CommandRouter } from '../../src/platforms/command-router';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../src/platforms/slack/slack.adapter';
import { silentLogger } from './app';
import { startRecordingApi, type RecordingApi } from './recording-api';
import { slackRequests, type SlackRequests, type SlackUser } from './slack-requests';

export const SLACK_SIGNING_SECRET = 'test-signing-secret';

export interface SlackApp {
  /** The local Web API: every call the bot makes is recorded there. */
  api: RecordingApi;
  slack: SlackAdapter;
  /** Signed requests into the real Bolt app, as Slack sends them. */
  as: SlackRequests;
  stop(): Promise<void>;
}

/**
 * The real Slack adapter (HTTP mode, Bolt) on a free port, its Web API pointed at a local
 * recording server that answers auth.test for team T0TEAM; requests are signed as `user`.
 * `health` defaults to the database's.
 */
export async function startSlackApp(
  router: CommandRouter,
  connection: Connection,
  options: { user?: SlackUser; logger?: Logger; health?: SlackAdapterOptions['health'] } = {},
): Promise<SlackApp> {
  const api = await startRecordingApi();
  api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' } } : undefined));
  const slack = createSlackAdapter({
    router,
    botToken: 'xoxb-test-token',
    signingSecret: SLACK_SIGNING_SECRET,
    apiUrl: `${api.url}/api/`,
    port: 0,
    logger: options.logger ?? silentLogger,
    health: options.health ?? databaseHealth(connection),
  });
  await slack.start();
  const as = slackRequests({
    url: `http://127.0.0.1:${slack.listeningPort()}`,
    signingSecret: SLACK_SIGNING_SECRET,
    responseBase: api.url,
    ...(options.user ? { user: options.user } : {}),
  });
  return {
    api,
    slack,
    as,
    async stop() {
      await slack.stop();
      await api.close();
    },
  };
}

/** chat.postMessage as Slack answers it: `ok` and the message's ts (`ts` by default one fixed ts). */
export function answerPosts(api: RecordingApi, ts: (r: { body: any }) => string = () => '1700000000.000900'): void {
  api.respond((r) => (r.path === '/api/chat.postMessage' ? { body: { ok: true, channel: r.body.channel, ts: ts(r) } } : undefined));
}

/** Slack's external upload flow: files.getUploadURLExternal, the upload itself, files.completeUploadExternal. */
export function answerUploads(api: RecordingApi): void {
  api.respond((r) =>
    r.path === '/api/files.getUploadURLExternal' ? { body: { ok: true, upload_url: `${api.url}/upload/${String(r.body.filename)}`, file_id: `F0${String(r.body.length)}` } } : undefined,
  );
  api.respond((r) => (r.path.startsWith('/upload/') ? { body: 'OK' } : undefined));
  api.respond((r) => (r.path === '/api/files.completeUploadExternal' ? { body: { ok: true, files: [] } } : undefined));
}
