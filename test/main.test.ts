import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connection';
import { buildApp } from './helpers/app';
import { seedCollaboration } from './helpers/scheduler';
import { slackRequests } from './helpers/slack-requests';

const root = path.resolve(import.meta.dirname, '..');
/** The production start: node itself runs the bot (with tsx's loader), so it is the process that gets SIGTERM. */
const PRODUCTION_START = ['node', '--import', 'tsx', 'src/main.ts'] as const;

/** Runs the production start as a supervisor would, with `input` piped to it. */
function start(env: Record<string, string>, input?: string) {
  const [command, ...args] = PRODUCTION_START;
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  const onData = () => watchers.splice(0).forEach((notify) => notify());
  child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), onData()));
  child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), onData()));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (resolve(code), onData())));
  /** Resolves once stdout or stderr contains `text` (no fixed wait). */
  const printed = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => (stdout.includes(text) || stderr.includes(text) ? resolve() : child.exitCode !== null ? reject(new Error(`exited without printing "${text}":\n${stdout}\n${stderr}`)) : watchers.push(check));
      check();
    });
  return { child, exited, printed, output: () => ({ stdout, stderr }) };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'irm-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('GIVEN no credentials and piped commands THEN the console runs them on the given database and exits 0', async () => {
    const uri = `${inject('mongoUri').replace(/\/$/, '')}/main_${randomBytes(4).toString('hex')}`;
    const run = start({ MONGODB_URI: uri }, 'influencer add "Zoë Tran" @zoe.creates network:instagram\ninfluencer find zoe\n');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('Added Zoë Tran');
    expect(run.output().stdout).toContain('1 creator matches "zoe"');
    expect(run.output().stderr).toContain('console mode');
  });

  it('GIVEN no MONGODB_URI THEN the embedded database keeps records across restarts', async () => {
    const first = start({ DATA_DIR: dataDir }, 'influencer add "Ana Lima" @ana network:tiktok\n');
    expect(await first.exited).toBe(0);
    expect(first.output().stdout).toContain('Added Ana Lima');
    const second = start({ DATA_DIR: dataDir }, 'influencer find ana\n');
    expect(await second.exited).toBe(0);
    expect(second.output().stdout).toContain('Ana Lima');
  }, 120_000);

  it('GIVEN SIGTERM while running THEN it stops taking work, closes the database and exits 0', async () => {
    const uri = `${inject('mongoUri').replace(/\/$/, '')}/main_${randomBytes(4).toString('hex')}`;
    const run = start({ MONGODB_URI: uri });
    await new Promise<void>((resolve) => {
      const check = () => (run.output().stderr.includes('console mode') ? resolve() : setImmediate(check));
      run.child.stderr.on('data', check);
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('GIVEN package.json THEN npm start is the production start (node runs the bot itself)', () => {
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toBe(PRODUCTION_START.join(' '));
  });

  it('GIVEN a MONGODB_URI nobody answers THEN it stops in under 30 s with one line naming the variable, its host and what to check', async () => {
    const port = await freePort();
    const began = Date.now();
    const run = start({ MONGODB_URI: `mongodb://someone:secret@127.0.0.1:${port}/irm`, LOG_LEVEL: 'silent' }, '');
    expect(await run.exited).toBe(1);
    expect(Date.now() - began).toBeLessThan(30_000);
    const lines = run.output().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Could not connect to the database in MONGODB_URI \\(host 127\\.0\\.0\\.1:${port}\\): .+\\. Check that the server is running and reachable from here`));
    expect(lines[0]).not.toContain('secret');
  }, 40_000);

  it('GIVEN Slack commands in flight WHEN SIGTERM comes THEN their replies are sent before it exits 0, and what they stored is kept', async () => {
    // Slack's Web API (auth.test at start) and a response_url that holds its answer until the test lets it go.
    const held: Array<{ body: string; release: () => void }> = [];
    let arrived: () => void = () => {};
    const slackApi = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url?.startsWith('/response/')) {
          held.push({ body, release: () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}') });
          arrived();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' }));
      });
    });
    await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}`;
    const port = await freePort();
    const dbName = `main_${randomBytes(4).toString('hex')}`;
    const run = start({
      MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${dbName}`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: `${apiUrl}/api/`,
      PORT: String(port),
    });
    try {
      await run.printed('slack ready');
      const slack = slackRequests({ url: `http://127.0.0.1:${port}`, signingSecret: 'test-signing-secret', responseBase: apiUrl });
      const replyArrived = new Promise<void>((resolve) => (arrived = resolve));
      const { response } = await slack.command('/influencer', 'add "Zoë Tran" @zoe.creates network:instagram');
      expect(response.status).toBe(200);
      await replyArrived;
      run.child.kill('SIGTERM');
      await run.printed('shutting down');
      // The reply is still on its way: the process waits for it.
      expect(run.child.exitCode).toBeNull();
      let released = false;
      const exited = run.exited.then((code) => ({ code, released }));
      released = true;
      held[0]!.release();
      expect(await exited).toEqual({ code: 0, released: true });
      expect(JSON.parse(held[0]!.body).text).toContain('Added Zoë Tran');
      const log = run.output().stdout;
      expect(log.indexOf('"msg":"stopped"')).toBeGreaterThan(log.indexOf('shutting down'));
    } finally {
      run.child.kill('SIGKILL');
      await new Promise((resolve) => slackApi.close(resolve));
    }
    const check = await connectDatabase(inject('mongoUri'), dbName);
    expect(await check.collection('influencers').countDocuments({ name: 'Zoë Tran' })).toBe(1);
    await check.dropDatabase();
    await check.close();
  }, 60_000);

  it('GIVEN a scheduled post in flight WHEN SIGTERM comes THEN the post is recorded in the ledger before it exits 0', async () => {
    const dbName = `main_${randomBytes(4).toString('hex')}`;
    const seed = await connectDatabase(inject('mongoUri'), dbName);
    const app = await buildApp(seed);
    const workspace = await app.services.workspaces.ensure('slack', 'T0TEAM');
    // Posting at 00:00 UTC: the late-payments run is due as soon as the bot starts (its catch-up).
    const settings = await app.services.workspaces.updateSettings(workspace.id, { timezone: 'UTC', postingTime: '00:00', channels: { payments: 'C0PAY' } });
    const { collaboration } = await seedCollaboration(app, settings);
    const yesterday = new Date(Date.now() - 24 * 60 * 60_000).toISOString().slice(0, 10);
    await app.services.paymentStates.add(settings, { collaboration, amountMinor: 50_000, currency: 'USD', dueOn: yesterday }, 'tester');

    // Slack's Web API; chat.postMessage is held until the test lets it answer.
    let release: () => void = () => {};
    let posted: () => void = () => {};
    const postArrived = new Promise<void>((resolve) => (posted = resolve));
    const slackApi = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const reply = (body: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.url?.includes('chat.postMessage')) {
          release = () => reply({ ok: true, channel: 'C0PAY', ts: '1700000000.000777' });
          posted();
          return;
        }
        reply({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0TEAM' });
      });
    });
    await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
    const run = start({
      MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${dbName}`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}/api/`,
      PORT: String(await freePort()),
    });
    try {
      await postArrived;
      run.child.kill('SIGTERM');
      await run.printed('shutting down');
      expect(run.child.exitCode).toBeNull();
      release();
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      await new Promise((resolve) => slackApi.close(resolve));
    }
    expect(await seed.collection('job_runs').findOne({ job: 'late-payments' })).toMatchObject({
      period: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      status: 'posted',
      posts: [{ index: 0, channel: 'payments', channelId: 'C0PAY', messageId: '1700000000.000777' }],
    });
    await seed.dropDatabase();
    await seed.close();
  }, 60_000);

  it('GIVEN malformed variables THEN it stops at once naming each of them', async () => {
    const run = start({ MONGODB_URI: 'http://nope', PORT: '-1' }, '');
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toContain('MONGODB_URI: must start with mongodb://');
    expect(run.output().stderr).toContain('PORT: must be a port number from 0 to 65535');
  });
});
