import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineJob, para, reply, text } from '../../src/core';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { buildScheduler, recordingPoster, resetScheduling } from '../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection);
});
beforeEach(async () => {
  await resetScheduling(connection);
});

/** A nudge-like job: one private message per owner, and one line in the digest channel. */
const nudges = defineJob({
  name: 'owner-nudges',
  description: 'one private message per owner',
  schedule: { kind: 'daily', at: 'posting-time' },
  run: () => [
    { user: 'U0MARIA', reply: reply([para('Zoë has not heard from us in 30 days.')], 'channel') },
    { user: 'U0SAM', reply: text('Noah has not heard from us in 45 days.') },
    { channel: 'digest', reply: text('2 owners nudged.', 'channel') },
  ],
});

describe('GIVEN a job that posts to people', () => {
  it('WHEN it runs THEN each post goes to its person, privately, once, and the ledger records it as direct', async () => {
    const info = await app.services.workspaces.ensure('slack', 'T-NUDGE');
    await app.services.workspaces.updateSettings(info.id, { timezone: 'UTC', channels: { digest: 'C0DIGEST' } });
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [nudges] });
    app.clock.set('2026-11-23T09:00:00Z');
    await scheduler.tick(app.clock());
    app.clock.set('2026-11-23T09:01:00Z');
    await scheduler.tick(app.clock());

    expect(slack.posts.map((p) => [p.channelId, p.reply.visibility])).toEqual([
      ['user:U0MARIA', 'private'],
      ['user:U0SAM', 'private'],
      ['C0DIGEST', 'channel'],
    ]);
    const run = await connection.collection('job_runs').findOne({ _id: `owner-nudges:${info.id}:2026-11-23` as never });
    expect(run?.posts.map((p: { channel: string; channelId: string }) => [p.channel, p.channelId])).toEqual([
      ['direct', 'U0MARIA'],
      ['direct', 'U0SAM'],
      ['digest', 'C0DIGEST'],
    ]);
  });
});
