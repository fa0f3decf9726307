import { describe, expect, it } from 'vitest';
import { defineJob, text, toPlainText, type JobDefinition, type Poster } from '../../src/core';
import { useTestDatabase } from '../helpers/database';
import { buildScheduler, recordingPoster, useSchedulingApp } from '../helpers/scheduler';
import { until } from '../helpers/until';

/**
 * A run that hangs (its job never returns, or a post never comes back) is abandoned past the run
 * time limit: its ledger entry is marked failed at once (the lease ends, the posts that went out
 * are written down), the workspace's next job runs, and the retry posts what is missing, once.
 * The scheduler's clock is moved by hand; the lease is looked at every 20 ms.
 */

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2026-11-23T09:00:00Z');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const job = (name: string, run: JobDefinition['run']): JobDefinition => defineJob({ name, description: name, channel: 'digest', schedule: { kind: 'daily' }, run });
const post = (words: string, key?: string) => ({ channel: 'digest' as const, reply: text(words, 'channel'), ...(key ? { key } : {}) });
const entry = (name: string, workspaceId: string) => connection.collection('job_runs').findOne({ _id: `${name}:${workspaceId}:2026-11-23` as never });

async function workspace(team: string) {
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { timezone: 'UTC', channels: { digest: 'C0DIGEST' } });
}

describe('GIVEN a run that hangs past the run time limit', () => {
  it('WHEN its job never returns THEN it is abandoned and marked failed, the next job runs, the retry posts once, and the hung job, waking, posts nothing', async () => {
    const ws = await workspace('T-HUNG');
    const channel = recordingPoster(app.clock);
    const started = gate();
    const hung = gate();
    let attempts = 0;
    const slow = job('slow', async () => {
      attempts += 1;
      if (attempts === 1) {
        started.open();
        await hung.opened;
      }
      return [post(`slow ${attempts}`)];
    });
    const next = job('next', () => [post('next')]);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: channel.poster }, jobs: [slow, next], leaseMs: 60_000, renewEveryMs: 20 });

    const running = scheduler.runDue(app.clock());
    await started.opened;
    // Nine minutes in: still its own, the lease renewed.
    app.clock.set('2026-11-23T09:09:00Z');
    await until(async () => (await entry('slow', ws.id))?.leaseUntil?.getTime() === Date.parse('2026-11-23T09:10:00Z'));
    app.clock.set('2026-11-23T09:10:00Z');
    const reports = await running;
    expect(reports.map((r) => [r.job, r.outcome, r.error])).toEqual([
      ['slow', 'failed', `the run slow:${ws.id}:2026-11-23 worked for more than 10 min and was abandoned`],
      ['next', 'posted', undefined],
    ]);
    expect(await entry('slow', ws.id)).toMatchObject({ status: 'failed', attempts: 1, retryAt: new Date('2026-11-23T09:11:00Z'), lastError: expect.stringContaining('RunOverdueError') });
    expect((await entry('slow', ws.id))?.leaseUntil).toBeUndefined();

    // The hung job wakes: it meets the abandon at its next step and posts nothing.
    hung.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(channel.posts.map((p) => toPlainText(p.reply))).toEqual(['next']);

    // The retry, once its time comes, posts it once.
    app.clock.set('2026-11-23T09:12:00Z');
    expect((await scheduler.runDue(app.clock())).map((r) => [r.job, r.outcome])).toEqual([['slow', 'posted']]);
    expect(channel.posts.map((p) => toPlainText(p.reply))).toEqual(['next', 'slow 2']);
    expect(await entry('slow', ws.id)).toMatchObject({ status: 'posted', attempts: 2 });
  });

  it('WHEN a post hangs after the first went out THEN the first is recorded with the abandon, the hung one is recorded when it lands, and the retry posts neither again', async () => {
    const ws = await workspace('T-HUNG-POST');
    const channel = recordingPoster(app.clock);
    const stuck = gate();
    const release = gate();
    const poster: Poster = Object.assign(
      async (...args: Parameters<Poster>) => {
        if (args[2]?.index === 1 && stuck) {
          stuck.open();
          await release.opened;
        }
        return channel.poster(...args);
      },
      { find: channel.poster.find },
    );
    const two = job('two', () => [post('first', 'a'), post('second', 'b')]);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: poster }, jobs: [two], leaseMs: 60_000, renewEveryMs: 20 });

    const running = scheduler.runDue(app.clock());
    await stuck.opened;
    app.clock.set('2026-11-23T09:10:00Z');
    expect((await running).map((r) => [r.outcome, r.posts])).toEqual([['failed', 1]]);
    const abandoned = await entry('two', ws.id);
    expect([abandoned?.status, abandoned?.posts.map((p: { key: string }) => p.key), abandoned?.intents.map((i: { key: string }) => i.key)]).toEqual(['failed', ['a'], ['a', 'b']]);

    // The hung post lands after all: the abandoned work writes its record down by key.
    release.open();
    await until(async () => (await entry('two', ws.id))?.posts.length === 2);

    app.clock.set('2026-11-23T09:12:00Z');
    expect((await scheduler.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 0]]);
    expect(channel.posts.map((p) => toPlainText(p.reply))).toEqual(['first', 'second']);
  });
});
