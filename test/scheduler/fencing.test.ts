import { Writable } from 'node:stream';
import pino from 'pino';
import type mongoose from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { defineJob, text, toPlainText, type JobDefinition } from '../../src/core';
import { connectDatabase } from '../../src/db/connection';
import { POST_MARK_EVENT, type SlackAdapter } from '../../src/platforms/slack/slack.adapter';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import type { RecordingApi } from '../helpers/recording-api';
import { buildScheduler, recordingPoster, resetScheduling } from '../helpers/scheduler';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';
import { until } from '../helpers/until';
import { hostOf, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let slack: SlackAdapter;
let proxy: TcpProxy;
let proxied: mongoose.Connection;

/** A logger whose lines the test reads back. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages: () => lines.map((l) => l.msg) };
}


/** A deferred the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const runId = (workspaceId: string) => `hello:${workspaceId}:2026-11-23`;
const ledgerEntry = (workspaceId: string) => connection.collection('job_runs').findOne({ _id: runId(workspaceId) as never });

function helloJob(options: Partial<JobDefinition> = {}): JobDefinition {
  return defineJob({
    name: 'hello',
    description: 'says hello',
    channel: 'digest',
    schedule: { kind: 'daily' },
    run: (_w, period) => [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }],
    ...options,
  });
}

async function slackWorkspace(team: string) {
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { timezone: 'UTC', channels: { digest: 'C0DIGEST' } });
}

beforeAll(async () => {
  app = await buildApp(connection);
  platform = await startSlackApp(app.router, connection, { health: async () => ({ status: 200, body: {} }) });
  ({ api, slack } = platform);
  // Slack's channel history as a takeover reads it: every message the channel accepted, with its metadata.
  api.respond((r) => {
    if (r.path !== '/api/conversations.history') return undefined;
    const messages = api
      .to('/api/chat.postMessage')
      .filter((p) => p.body.channel === r.body.channel && p.body.ts)
      .map((p) => ({ ts: p.body.ts, text: p.body.text, ...(r.body.include_all_metadata && p.body.metadata ? { metadata: p.body.metadata } : {}) }));
    return { body: { ok: true, messages: messages.reverse(), has_more: false } };
  });
  // chat.postMessage as Slack answers it: a new ts per message, kept on the request for the history above.
  let posted = 0;
  api.respond((r) => {
    if (r.path !== '/api/chat.postMessage') return undefined;
    r.body.ts ??= `1700000000.${String(++posted).padStart(6, '0')}`;
    return { body: { ok: true, channel: r.body.channel, ts: r.body.ts } };
  });
  const uri = inject('mongoUri');
  proxy = await startTcpProxy(hostOf(uri));
  // The dying replica's own connection, through the proxy; quick to give up so the test is short.
  proxied = await connectDatabase(proxy.uri(uri), connection.name);
});

afterAll(async () => {
  proxy.restore();
  await proxied?.close();
  await proxy?.close();
  await platform?.stop();
});

beforeEach(async () => {
  await resetScheduling(connection);
  api.reset();
});

describe('fenced scheduler: a post never goes out twice', () => {
  it('GIVEN a run slower than the lease on one replica WHEN a second replica ticks meanwhile THEN the lease is renewed, the second finds it busy, and one post goes out', async () => {
    const workspace = await slackWorkspace('T-SLOW');
    const channel = recordingPoster(app.clock);
    const slow = gate();
    const started = gate();
    const job = helloJob({
      run: async (_w, period) => {
        started.open();
        await slow.opened;
        return [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }];
      },
    });
    const a = await buildScheduler(connection, app, { posters: { slack: channel.poster }, jobs: [job], instanceId: 'a', leaseMs: 60_000, renewEveryMs: 20 });
    const b = await buildScheduler(connection, app, { posters: { slack: channel.poster }, jobs: [job], instanceId: 'b', leaseMs: 60_000 });

    app.clock.set('2026-11-23T09:00:00Z');
    const running = a.runDue(app.clock());
    await started.opened;
    expect((await ledgerEntry(workspace.id))?.leaseUntil).toEqual(new Date('2026-11-23T09:01:00Z')); // from the claim
    // Five minutes pass while the job works: the lease follows the run.
    app.clock.set('2026-11-23T09:05:00Z');
    await until(async () => (await ledgerEntry(workspace.id))?.leaseUntil?.getTime() === new Date('2026-11-23T09:06:00Z').getTime());
    expect(await b.runDue(app.clock())).toEqual([]);
    slow.open();
    expect((await running).map((r) => r.outcome)).toEqual(['posted']);
    expect(await b.runDue(app.clock())).toEqual([]);

    expect(channel.posts.map((p) => toPlainText(p.reply))).toEqual(['hello 2026-11-23']);
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'posted', attempts: 1, posts: [{ index: 0, messageId: 'm1' }] });
  });

  it('GIVEN a replica frozen past its lease (no renewal) WHEN another takes the run over and posts THEN the frozen one, waking, stops before posting and logs it', async () => {
    const workspace = await slackWorkspace('T-FROZEN');
    const channel = recordingPoster(app.clock);
    const frozen = gate();
    const started = gate();
    let runs = 0;
    const job = helloJob({
      run: async (_w, period) => {
        runs += 1;
        if (runs === 1) {
          started.open();
          await frozen.opened;
        }
        return [{ channel: 'digest', reply: text(`hello ${period.key}`, 'channel') }];
      },
    });
    const log = capturingLogger();
    // Renewal far apart: like a process paused by the OS, it never renews in time.
    const a = await buildScheduler(connection, app, { posters: { slack: channel.poster }, jobs: [job], instanceId: 'a', leaseMs: 60_000, renewEveryMs: 3_600_000, logger: log.logger });
    const b = await buildScheduler(connection, app, { posters: { slack: channel.poster }, jobs: [job], instanceId: 'b', leaseMs: 60_000 });

    app.clock.set('2026-11-23T09:00:00Z');
    const running = a.runDue(app.clock());
    await started.opened;
    app.clock.set('2026-11-23T09:01:00Z');
    expect((await b.runDue(app.clock())).map((r) => r.outcome)).toEqual(['posted']);
    frozen.open();
    expect((await running).map((r) => r.outcome)).toEqual(['lost']);

    expect(channel.posts.map((p) => toPlainText(p.reply))).toEqual(['hello 2026-11-23']);
    expect(log.messages()).toContain('scheduler: lost the claim on this run (another replica took it over); stopped before posting anything more');
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'posted', attempts: 2, posts: [{ index: 0, messageId: 'm1' }] });
  });

  it('GIVEN a replica stopped after Slack accepted its post and before it recorded it WHEN another replica takes over after the lease THEN it finds the post in the channel history by its metadata and records it instead of posting again', async () => {
    const workspace = await slackWorkspace('T-STOPPED');
    // The replica stops (its process gone) while the answer to its post is on the way: it never hears back.
    const hung = gate();
    const gone = await buildScheduler(connection, app, { posters: { slack: Object.assign(async (...args: Parameters<typeof slack.poster>) => { await slack.poster(...args); await hung.opened; throw new Error('process gone'); }, { find: slack.poster.find }) }, jobs: [helloJob()], instanceId: 'gone' });
    const other = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'other' });

    app.clock.set('2026-11-23T09:00:00Z');
    const dying = gone.runDue(app.clock());
    const { body: post } = await api.waitFor('/api/chat.postMessage');
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'running', posts: [], intents: [{ index: 0, channelId: 'C0DIGEST' }] });

    app.clock.set('2026-11-23T09:00:59Z');
    expect(await other.runDue(app.clock())).toEqual([]); // the lease still holds
    app.clock.set('2026-11-23T09:01:00Z');
    expect((await other.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 0]]);
    hung.open();
    expect((await dying).map((r) => r.outcome)).toEqual(['lost']);

    expect(api.to('/api/chat.postMessage').map((p) => [p.body.channel, p.body.text, p.body.metadata])).toEqual([
      ['C0DIGEST', 'hello 2026-11-23', { event_type: POST_MARK_EVENT, event_payload: { run: runId(workspace.id), index: 0 } }],
    ]);
    expect(api.to('/api/conversations.history').map((r) => [r.body.channel, r.body.include_all_metadata])).toEqual([['C0DIGEST', 'true']]);
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'posted', posts: [{ index: 0, channelId: 'C0DIGEST', messageId: post.ts }] });
  });

  it('GIVEN a replica stopped between post and record AND the channel setting changed since WHEN another takes over THEN it looks in the channel the post went to and posts nothing new', async () => {
    const workspace = await slackWorkspace('T-MOVED');
    const hung = gate();
    const gone = await buildScheduler(connection, app, { posters: { slack: Object.assign(async (...args: Parameters<typeof slack.poster>) => { await slack.poster(...args); await hung.opened; throw new Error('process gone'); }, { find: slack.poster.find }) }, jobs: [helloJob()], instanceId: 'gone' });
    const other = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'other' });

    app.clock.set('2026-11-23T09:00:00Z');
    const dying = gone.runDue(app.clock());
    await api.waitFor('/api/chat.postMessage');
    await app.services.workspaces.updateSettings(workspace.id, { channels: { digest: 'C0NEWDIGEST' } });

    app.clock.set('2026-11-23T09:01:00Z');
    expect((await other.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 0]]);
    hung.open();
    await dying;
    expect(api.to('/api/chat.postMessage').map((p) => p.body.channel)).toEqual(['C0DIGEST']);
    expect(api.to('/api/conversations.history').map((r) => r.body.channel)).toEqual(['C0DIGEST']);
  });

  it('GIVEN the database cut between the post and its record WHEN the posting replica is then killed and another takes over once the database is back THEN the channel has one post and the ledger records it', async () => {
    const workspace = await slackWorkspace('T-CUT');
    api.respond((r) => {
      if (r.path === '/api/chat.postMessage') proxy.cut(); // the database drops while Slack accepts the post
      return undefined;
    });
    const log = capturingLogger();
    const poster = await buildScheduler(proxied, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'poster', logger: log.logger });
    const other = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [helloJob()], instanceId: 'other' });

    app.clock.set('2026-11-23T09:00:00Z');
    expect((await poster.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 1]]);
    // One write failed: the outcome, which carries the post's record.
    expect(log.messages().filter((m) => m.startsWith('scheduler: POSTED BUT NOT RECORDED'))).toHaveLength(1);
    // Killed here: what it remembers dies with it. The database comes back.
    proxy.restore();
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'running', posts: [], intents: [{ index: 0 }] });

    app.clock.set('2026-11-23T09:02:00Z');
    expect((await other.tick(app.clock())).runs.map((r) => [r.outcome, r.posts])).toEqual([['posted', 0]]);
    app.clock.set('2026-11-23T10:00:00Z');
    expect((await other.tick(app.clock())).runs).toEqual([]);

    const posts = api.to('/api/chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(await ledgerEntry(workspace.id)).toMatchObject({ status: 'posted', posts: [{ index: 0, messageId: posts[0]!.body.ts }] });
  }, 30_000);
});
