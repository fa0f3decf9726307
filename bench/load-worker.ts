import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type { RunRequest, RunResult, WorkerMessage, WorkerRequest } from './load-protocol';

/**
 * The load worker: a recording Slack API (Web API + response_urls) and a closed-loop generator
 * of signed slash commands. Runs in a worker thread; only Node built-ins, so it starts fast.
 *
 * Every request n carries its own response_url (`/response/n`), trigger id (`bench-n`) and
 * channel (`CBn`), so its reply is recognised whichever way the app answers.
 */

const port = parentPort;
if (!port) throw new Error('bench/load-worker.ts runs as a worker thread');

interface Reply {
  at: number;
  text: string;
}

interface Waiter {
  resolve: (reply: Reply | undefined) => void;
  timer: NodeJS.Timeout;
}

const waiters = new Map<number, Waiter>();
/** App Home requests awaiting their views.publish, per user, oldest first. */
const publishes = new Map<string, number[]>();
let sequence = 0;

const send = (message: WorkerMessage) => port.postMessage(message);

// ---------------------------------------------------------------------------------------------
// The recording Slack API.

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = performance.now();
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const form = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? new URLSearchParams(raw) : undefined;
    const field = (name: string): string | undefined => {
      if (form) return form.get(name) ?? undefined;
      try {
        const value = (JSON.parse(raw) as Record<string, unknown>)[name];
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    };

    let key: number | undefined;
    let body: unknown = { ok: true };
    const response = /^\/response\/(\d+)$/.exec(path);
    const callback = /^\/api\/v\d+\/interactions\/\d+\/bench-(\d+)\/callback$/.exec(path);
    if (response) {
      key = Number(response[1]);
    } else if (callback) {
      key = Number(callback[1]);
      body = undefined;
    } else if (path === '/api/views.open') {
      key = numberIn(/^bench-(\d+)$/, field('trigger_id'));
      body = { ok: true, view: { id: `V${key ?? 0}` } };
    } else if (path === '/api/chat.postEphemeral' || path === '/api/chat.postMessage') {
      key = numberIn(/^CB(\d+)$/, field('channel'));
      body = { ok: true, channel: field('channel'), ts: '1700000000.000100', message_ts: '1700000000.000100' };
    } else if (path === '/api/views.publish') {
      key = publishes.get(field('user_id') ?? '')?.shift();
    } else if (path === '/api/auth.test') {
      body = { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0BENCH', url: 'https://bench.slack.test/' };
    } else if (path === '/api/users.info') {
      body = { ok: true, user: { id: field('user') ?? 'U0', is_admin: true, is_owner: false } };
    }
    if (body === undefined) {
      // Discord answers an interaction callback with 204 and no body.
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }

    if (key !== undefined) {
      const waiter = waiters.get(key);
      if (waiter) {
        waiters.delete(key);
        clearTimeout(waiter.timer);
        waiter.resolve({ at, text: form ? [...form.values()].join('\n') : raw });
      }
    }
  });
});

function numberIn(pattern: RegExp, value: string | undefined): number | undefined {
  const match = value ? pattern.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

function waitForReply(n: number, timeoutMs: number): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(n);
      resolve(undefined);
    }, timeoutMs);
    waiters.set(n, { resolve, timer });
  });
}

// ---------------------------------------------------------------------------------------------
// The load generator.

function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function post(agent: Agent, target: URL, body: string, secret: string, discord: boolean, json = false): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = discord
    ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    : {
        // Bolt compares the content type exactly: no charset. Events come as signed JSON.
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(secret, timestamp, body),
      };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: discord ? target.pathname : '/slack/events',
        method: 'POST',
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The template with request n's own interaction id and token, and `text` as what is typed. */
function discordBody(template: Record<string, unknown>, n: number, text: string): string {
  const d = structuredClone(template) as { id: string; token: string; data: { options: Array<{ options: Array<{ value: string }> }> } };
  d.id = String(1_400_000_000_000_000_000n + BigInt(n));
  d.token = `bench-${n}`;
  d.data.options[0]!.options[0]!.value = text;
  return JSON.stringify(d);
}

/** Slack's app_home_opened event for `user`, with request n's own event id. */
function homeOpened(teamId: string, n: number, user: string): string {
  return JSON.stringify({
    type: 'event_callback',
    team_id: teamId,
    api_app_id: 'A0BENCH',
    event_id: `EvBench${n}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'app_home_opened', user, channel: `DB${n}`, tab: 'home', event_ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}` },
  });
}

async function run(job: RunRequest): Promise<RunResult> {
  const target = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const expect = job.expect ? new RegExp(job.expect, 'i') : undefined;
  const reject = job.reject ? new RegExp(job.reject, 'i') : undefined;
  const ackMs: number[] = [];
  const replyMs: number[] = [];
  const errorSamples: string[] = [];
  let sent = 0;
  let completed = 0;
  let errors = 0;
  const fail = (what: string) => {
    errors += 1;
    if (errorSamples.length < 3) errorSamples.push(what.replace(/\s+/g, ' ').slice(0, 240));
  };

  const started = performance.now();
  let finished = started;
  const deadline = job.durationMs !== undefined ? started + job.durationMs : Infinity;
  const more = () => (job.count === undefined || sent < job.count) && (sent === 0 || performance.now() < deadline);

  async function loop() {
    while (more()) {
      const n = ++sequence;
      sent += 1;
      const text = job.texts[n % job.texts.length] ?? '';
      const body = job.appHome ? homeOpened(job.teamId, n, text) : job.discordTemplate ? discordBody(job.discordTemplate, n, text) : new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: job.teamId,
        team_domain: 'bench',
        channel_id: `CB${n}`,
        channel_name: 'bench',
        user_id: job.userId,
        user_name: 'bench',
        command: job.command,
        text,
        api_app_id: 'A0BENCH',
        is_enterprise_install: 'false',
        response_url: `${apiUrl}/response/${n}`,
        trigger_id: `bench-${n}`,
      }).toString();
      const t0 = performance.now();
      const reply = job.awaitReply ? waitForReply(n, job.timeoutMs) : undefined;
      if (job.appHome) publishes.set(text, [...(publishes.get(text) ?? []), n]);
      let status: number;
      try {
        status = await post(agent, target, body, job.signingSecret, job.discordTemplate !== undefined, job.appHome);
      } catch (error) {
        fail(`${job.command} ${text}: request failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      ackMs.push(performance.now() - t0);
      if (status !== 200) {
        fail(`${job.command} ${text}: HTTP ${status}`);
        continue;
      }
      if (reply) {
        const answer = await reply;
        if (!answer) {
          fail(`${job.command} ${text}: no reply within ${job.timeoutMs} ms`);
          continue;
        }
        replyMs.push(answer.at - t0);
        if ((expect && !expect.test(answer.text)) || reject?.test(answer.text)) {
          fail(`${job.command} ${text}: ${answer.text}`);
          continue;
        }
      }
      completed += 1;
      finished = performance.now();
    }
  }

  await Promise.all(Array.from({ length: job.concurrency }, loop));
  agent.destroy();
  return { type: 'result', id: job.id, sent, completed, errors, errorSamples, ackMs, replyMs, elapsedMs: Math.max(1, finished - started) };
}

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
server.keepAliveTimeout = 30_000;
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'close') {
    for (const waiter of waiters.values()) clearTimeout(waiter.timer);
    server.closeAllConnections();
    server.close(() => port.close());
    return;
  }
  run(message).then(send, (error: unknown) => send({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) }));
});

send({ type: 'ready', apiUrl });
