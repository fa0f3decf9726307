import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJob, text } from '../../src/core';
import type { SlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import type { RecordingApi } from '../helpers/recording-api';
import { buildScheduler, resetScheduling } from '../helpers/scheduler';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let slack: SlackAdapter;

beforeAll(async () => {
  app = await buildApp(connection);
  await resetScheduling(connection);
  platform = await startSlackApp(app.router, connection, { health: async () => ({ status: 200, body: {} }) });
  ({ api, slack } = platform);
});

afterAll(async () => {
  await platform?.stop();
});

describe('scheduler through the real Slack adapter', () => {
  it('GIVEN chat.postMessage answers 429, then 500, then 200 WHEN later ticks come THEN the digest is posted exactly once', async () => {
    const workspace = await app.services.workspaces.ensure('slack', 'T0TEAM');
    await app.services.workspaces.updateSettings(workspace.id, { timezone: 'UTC', channels: { digest: 'C0DIGEST' } });
    let calls = 0;
    api.respond((r) => {
      if (r.path !== '/api/chat.postMessage') return undefined;
      calls += 1;
      if (calls === 1) return { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } };
      if (calls === 2) return { status: 500, body: { ok: false, error: 'internal_error' } };
      return { body: { ok: true, channel: r.body.channel, ts: '1700000000.000900' } };
    });
    const job = defineJob({
      name: 'hello',
      description: 'says hello',
      channel: 'digest',
      schedule: { kind: 'daily' },
      run: () => [{ channel: 'digest', reply: text('Good morning, team.', 'channel') }],
    });
    const scheduler = await buildScheduler(connection, app, {
      posters: { slack: slack.poster },
      jobs: [job],
    });

    const tick = async (at: string) => {
      app.clock.set(at);
      return (await scheduler.tick(app.clock())).runs.map((r) => r.outcome);
    };
    expect(await tick('2026-11-23T09:00:00Z')).toEqual(['failed']);
    expect(await tick('2026-11-23T09:01:00Z')).toEqual(['failed']);
    expect(await tick('2026-11-23T09:03:00Z')).toEqual(['posted']);
    expect(await tick('2026-11-23T09:04:00Z')).toEqual([]);

    const posts = api.to('/api/chat.postMessage');
    expect(posts).toHaveLength(3);
    expect(posts.map((p) => p.body.channel)).toEqual(['C0DIGEST', 'C0DIGEST', 'C0DIGEST']);
    expect(posts[2]!.body.text).toBe('Good morning, team.');
    expect(await connection.collection('job_runs').findOne({ job: 'hello' })).toMatchObject({
      status: 'posted',
      attempts: 3,
      posts: [{ channelId: 'C0DIGEST', messageId: '1700000000.000900' }],
    });
  });
});
