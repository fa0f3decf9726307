import type { Connection } from 'mongoose';
import { databaseHealth } from '../../src/http/health';
import type { CommandRouter } from '../../src/platforms/command-router';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/slack.adapter';
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
 */
export async function startSlackApp(router: CommandRouter, connection: Connection, options: { user?: SlackUser } = {}): Promise<SlackApp> {
  const api = await startRecordingApi();
  api.respond((r) => (r.path === '/api/auth.test' ? { body: { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' } } : undefined));
  const slack = createSlackAdapter({
    router,
    botToken: 'xoxb-test-token',
    signingSecret: SLACK_SIGNING_SECRET,
    apiUrl: `${api.url}/api/`,
    port: 0,
    logger: silentLogger,
    health: databaseHealth(connection),
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
