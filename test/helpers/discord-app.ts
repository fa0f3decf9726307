import type { Logger } from '../../src/core';
import type { CommandRouter } from '../../src/platforms/command-router';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { silentLogger } from './app';
import { APPLICATION_ID, callbackPath, dispatch } from './discord-interactions';
import { startRecordingApi, type RecordingApi } from './recording-api';

export const DISCORD_TOKEN = 'test-bot-token.discord.local-recording-api';

/** Discord's view of the first response to an interaction (the interaction callback's body). */
export interface Callback {
  type: number;
  data?: any;
}

export interface DiscordApp {
  /** The local REST API: every call the client makes is recorded there. */
  api: RecordingApi;
  discord: DiscordAdapter;
  /** Hands `d` to the client as the gateway would and resolves with the callback it answered. */
  send(d: Record<string, any>): Promise<Callback>;
  stop(): Promise<void>;
}

/**
 * The real Discord adapter (discord.js client, no gateway) with its REST calls sent to a local
 * recording server: `api` when the test shares one with Slack (then the test closes it), else one
 * of its own that `stop()` closes.
 */
export async function startDiscordApp(
  router: CommandRouter,
  options: { api?: RecordingApi; token?: string; deferAfterMs?: number; logger?: Logger } = {},
): Promise<DiscordApp> {
  const api = options.api ?? (await startRecordingApi());
  const discord = createDiscordAdapter({
    router,
    token: options.token ?? DISCORD_TOKEN,
    clientId: APPLICATION_ID,
    apiUrl: `${api.url}/api`,
    logger: options.logger ?? silentLogger,
    ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
  });
  return {
    api,
    discord,
    async send(d) {
      dispatch(discord.client, d);
      return (await api.waitFor(callbackPath(d))).body as Callback;
    },
    async stop() {
      await discord.stop();
      if (!options.api) await api.close();
    },
  };
}

/** Webhook calls (edits of the original response, follow-ups) answer with a message, as Discord does. */
export function answerWebhooks(api: RecordingApi): void {
  api.respond((req) =>
    req.path.includes('/webhooks/')
      ? { body: { id: '1600000000000000042', channel_id: '1200000000000000001', type: 0, content: '', embeds: [], components: [], author: { id: APPLICATION_ID, username: 'IRM', discriminator: '0000', bot: true }, timestamp: '2026-11-23T10:00:00.000000+00:00', edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], attachments: [], pinned: false, tts: false, mention_everyone: false } }
      : undefined,
  );
}
