import { measureImport, type ImportBench } from './import';
import { measureSchedulerTick, type TickBench } from './scheduler-tick';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import mongoose from 'mongoose';
import pino from 'pino';
import { commands, explain } from '../commands';
import { jobs } from '../jobs';
import { periodFor } from '../src/core';
import { CONNECTION_OPTIONS } from '../src/db/connection';
import { FormSubmissions } from '../src/db/form-submissions';
import { databaseHealth } from '../src/http/health';
import { startLocalDatabase, type LocalDatabase } from '../src/db/local-database';
import { createModels, createServices, migrate, syncIndexes } from '../src/domain/services';
import { CommandRouter } from '../src/platforms/command-router';
import { createDiscordAdapter } from '../src/platforms/discord/discord.adapter';
import { createSlackAdapter } from '../src/platforms/slack/slack.adapter';
import { autocomplete } from '../test/helpers/discord-interactions';
import { startDiscordGateway } from './discord-gateway';
import { FLOOR_COMMAND, startFloor, type Floor } from './floors';
import { startLoadWorker } from './load';
import type { RunResult } from './load-protocol';
import { evaluateTargets, type BenchResult, type JobRow, type JobRun, type JobRuns, type LoadRow, type Percentiles } from './report';
import { RoundTrips, describeOps, formatCount, type Counted, type TracedCommand } from './round-trips';
import { explainRequests } from './explain';
import { startCpuProfile } from './cpu-profile';
import { processCpuMs, threadCpuMs } from './thread-cpu';
import { REJECT, scenariosFor } from './scenarios';
import { seedRefs, seedWorkspace, type SeedCounts } from './seed';

export { formatReport } from './report';
export type { BenchResult } from './report';

export interface BenchOptions {
  /** Creators in the seeded workspace (the jobs also run at `growFactor` times as many). */
  n: number;
  /** Requests in flight at once in the timed passes. */
  concurrency: number;
  /** Timed pass per command and per floor. */
  durationMs: number;
  /** Requests at concurrency 1 per command, to count database round trips. */
  calibration: number;
  /** Unmeasured requests before each command's passes (JIT, caches, connection pool). */
  warmup: number;
  growFactor: number;
  /** The database (MONGODB_URI); unset: the local chain in memory (a real mongod if cached, else the stand-in). */
  uri?: string;
  /** Database name for the run; dropped at the end. Default `irm_bench_<random>`. */
  dbName?: string;
  /** Timezone of the seeded workspace. */
  timezone?: string;
  /** How long a request may wait for its reply before it counts as an error. */
  replyTimeoutMs?: number;
  /** How long one job run is waited for; a slower run is reported as a lower bound. */
  jobTimeoutMs: number;
  /** Only the commands whose label contains this, or one of its comma-separated parts (the floors and jobs always run). */
  only?: string;
  /** Rows of the creators file `/irm import` reads into an empty workspace; unset: not measured. */
  importRows?: number;
  /** Workspaces of the scheduler-tick row (run unless --only leaves it out); unset: not measured. */
  tickWorkspaces?: number;
  /** Leave out the scheduled jobs (and the growth of the workspace they run at) and/or the import row. */
  skip?: Array<'jobs' | 'import'>;
  /** Write a CPU profile of the app's thread for each command's timed pass into this directory. */
  cpuProfileDir?: string;
  /** Print each command's database commands in its calibration pass: per query shape, how many, their time and documents per request. */
  trace?: boolean;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

export const DEFAULTS: BenchOptions = { n: 5_000, concurrency: 16, durationMs: 6_000, calibration: 10, warmup: 40, growFactor: 10, jobTimeoutMs: 75_000, importRows: 10_000, tickWorkspaces: 1_000 };
export const QUICK: BenchOptions = { n: 500, concurrency: 4, durationMs: 1_500, calibration: 3, warmup: 10, growFactor: 10, jobTimeoutMs: 20_000, importRows: 1_000, tickWorkspaces: 100 };

const SIGNING_SECRET = 'bench-signing-secret';
const DISCORD_GUILD_ID = '1100000000000000777';
const AUTOCOMPLETE_LABEL = 'Discord autocomplete <who> (z, zo, zoe t, creator4..., skin)';
/** What someone types, keystroke by keystroke: a first name, a full name, a handle, a tag. */
const AUTOCOMPLETE_TYPED = ['z', 'zo', 'zoe', 'zoe t', 'zoe tr', 'c', 'cr', 'creator4', 'creator40', 'ma', 'mae', 'skin'];
const TEAM_ID = 'T0BENCH';
export const APP_HOME_LABEL = 'App Home opened -> views.publish (owners of N/5 creators each)';
export const TICK_LABEL = 'scheduler tick';
/** The seeded owners (bench/seed.ts): each App Home request is one of them opening the tab. */
const OWNERS = ['U0OWNER0', 'U0OWNER1', 'U0OWNER2', 'U0OWNER3', 'U0OWNER4'];
const USER_ID = 'U0BENCH';

/**
 * Runs the whole bench: the real app in Slack HTTP mode, wired as src/main.ts wires it, on a
 * seeded workspace; the two Bolt floors; every command at concurrency C; every job at N and
 * growFactor x N. Returns the numbers; `formatReport` turns them into the table.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const startedAt = performance.now();
  const say = options.progress ?? (() => {});
  const timezone = options.timezone ?? 'UTC';
  const replyTimeoutMs = options.replyTimeoutMs ?? 10_000;
  const cleanup: Array<() => Promise<unknown>> = [];

  try {
    // The database: MONGODB_URI, else the local chain in memory.
    let local: LocalDatabase | undefined;
    if (!options.uri) {
      say('starting the local database (in memory)');
      local = await startLocalDatabase();
      cleanup.unshift(() => local!.stop());
    }
    const uri = options.uri ?? local!.uri;
    const dbName = options.dbName ?? `irm_bench_${randomBytes(4).toString('hex')}`;
    const connection = await mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, dbName, monitorCommands: true }).asPromise();
    cleanup.unshift(async () => {
      await connection.dropDatabase().catch(() => {});
      await connection.close();
    });
    const database = await describeDatabase(connection, local);
    const roundTrips = new RoundTrips(connection.getClient());

    // The recording Slack API and the load generator, in a worker thread.
    const load = await startLoadWorker();
    cleanup.unshift(() => load.close());

    // The app, wired as src/main.ts wires it. Logs at info, as in production, into the void; errors counted.
    const appErrors: string[] = [];
    const logger = pino(
      {
        level: 'info',
        redact: ['*.email', '*.phone', '*.address'],
        hooks: {
          logMethod(args, method, level) {
            if (level >= 50) appErrors.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ').slice(0, 300));
            return method.apply(this, args);
          },
        },
      },
      pino.destination({ dest: os.devNull, sync: true }),
    );
    const clock = () => new Date();
    const models = createModels(connection);
    await syncIndexes(models);
    const services = createServices(models, { clock, defaultTimezone: timezone });
    await migrate(services);
    const submissions = new FormSubmissions(connection);
    await submissions.syncIndexes();
    const router = new CommandRouter(commands, { explain, services, clock, logger, submissions });
    const slack = createSlackAdapter({
      router,
      botToken: 'xoxb-bench-token',
      signingSecret: SIGNING_SECRET,
      apiUrl: `${load.apiUrl}/api/`,
      port: 0,
      logger,
      health: databaseHealth(connection),
      handled: submissions,
    });
    await slack.start();
    cleanup.unshift(() => slack.stop());
    const appUrl = `http://127.0.0.1:${slack.listeningPort()}`;

    // One workspace, as the first command creates it, with channels for the jobs; then N creators.
    const workspace = await services.workspaces.ensure('slack', TEAM_ID);
    await services.workspaces.updateSettings(workspace.id, { channels: { payments: 'C0PAYMENTS', digest: 'C0DIGEST', nudges: 'C0NUDGES' } });
    services.workspaces.forget('slack', TEAM_ID);
    say(`seeding ${options.n} creators with touchpoints, collaborations, content and payments`);
    let t = performance.now();
    const seeded = await seedWorkspace(models, { workspaceId: workspace.id, timezone, now: clock(), from: 0, to: options.n });
    say(`  seeded ${describeCounts(seeded)} in ${seconds(performance.now() - t)}`);
    const refs = seedRefs(options.n, { now: clock(), timezone });
    // The Discord server the autocomplete row types into: the same N creators (only them).
    const guild = await services.workspaces.ensure('discord', DISCORD_GUILD_ID);
    services.workspaces.forget('discord', DISCORD_GUILD_ID);
    t = performance.now();
    await seedWorkspace(models, { workspaceId: guild.id, timezone, now: clock(), from: 0, to: options.n, creatorsOnly: true });
    say(`  seeded ${options.n} creators in the Discord server in ${seconds(performance.now() - t)}`);

    const pass = async (
      label: string,
      kind: LoadRow['kind'],
      url: string,
      command: string,
      texts: string[],
      awaitReply: boolean,
      expect?: string,
      discordTemplate?: Record<string, unknown>,
      appHome?: boolean,
      once?: boolean,
    ): Promise<LoadRow> => {
      const common = {
        ...(discordTemplate ? { discordTemplate } : {}),
        ...(appHome ? { appHome } : {}),
        url,
        signingSecret: SIGNING_SECRET,
        command,
        texts,
        awaitReply,
        ...(expect ? { expect, reject: REJECT } : {}),
        timeoutMs: replyTimeoutMs,
        teamId: TEAM_ID,
        userId: USER_ID,
      };
      // Texts that work once (see Scenario.once): the worker uses them in turn, so up to texts.length
      // requests in all name each target once; a quarter at most goes to warm-up, a quarter to calibration.
      const share = (wanted: number) => (once ? Math.min(wanted, Math.floor(texts.length / 4)) : wanted);
      const warmup = share(options.warmup);
      say(`${label}: warm-up, calibration, ${seconds(options.durationMs)} at C=${options.concurrency}${once ? `, ${texts.length} requests at most (each target once)` : ''}`);
      // Slow commands get fewer warm-up and calibration requests rather than minutes of them.
      const warm = await load.run({ ...common, concurrency: Math.min(options.concurrency, warmup), count: warmup, durationMs: 3_000 });
      // A request whose reply timed out may still be running: let it finish before counting.
      await router.drain(60_000);
      // Calibration: one request at a time, so every round trip belongs to it.
      // On a real MongoDB (MONGODB_URI), the commands of the calibration requests are kept to be explained.
      const explain = options.uri !== undefined && kind === 'read';
      roundTrips.start({ keep: explain, trace: options.trace ?? false });
      const calibration = await load.run({ ...common, concurrency: 1, count: Math.max(1, share(options.calibration)), durationMs: 15_000 });
      await router.drain(5_000);
      const counted = roundTrips.stop();
      if (options.trace) for (const line of describeTrace(counted.traced, Math.max(1, calibration.sent))) say(`  ${line}`);
      const explained = explain ? await explainRequests(connection.getClient(), counted.commands, Math.max(1, calibration.sent)).catch((error: Error) => say(`  explain failed: ${error.message}`)) : undefined;
      const profile = options.cpuProfileDir ? await startCpuProfile() : undefined;
      const busyBefore = performance.eventLoopUtilization();
      const cpuBefore = threadCpuMs();
      const dbCpuBefore = local?.pid ? processCpuMs(local.pid) : undefined;
      const timed = await load.run({
        ...common,
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        ...(once ? { count: Math.max(0, texts.length - warm.sent - calibration.sent) } : {}),
      });
      const busy = performance.eventLoopUtilization(busyBefore);
      const cpuAfter = threadCpuMs();
      const dbCpuAfter = local?.pid ? processCpuMs(local.pid) : undefined;
      if (profile) say(`  CPU profile: ${await profile.stop(options.cpuProfileDir!, label)}`);
      await router.drain(60_000);
      const cpu = cpuBefore !== undefined && cpuAfter !== undefined && timed.completed ? { cpuMsPerRequest: (cpuAfter - cpuBefore) / timed.completed } : {};
      const dbCpu = dbCpuBefore !== undefined && dbCpuAfter !== undefined && timed.completed ? { databaseCpuMsPerRequest: (dbCpuAfter - dbCpuBefore) / timed.completed } : {};
      const row = { ...loadRow(label, kind, timed, calibration, counted, busy), ...cpu, ...dbCpu, ...(explained ? { explained } : {}) };
      say(
        `  ${Math.round(row.rps)} req/s, reply p50/p99 ${row.reply ? `${Math.round(row.reply.p50)}/${Math.round(row.reply.p99)} ms` : '-'}, ` +
          `${row.appMsPerRequest.toFixed(2)} ms event loop${row.cpuMsPerRequest === undefined ? '' : ` (${row.cpuMsPerRequest.toFixed(2)} ms CPU)`} per request,${row.databaseCpuMsPerRequest === undefined ? '' : ` stand-in CPU ${row.databaseCpuMsPerRequest.toFixed(1)} ms per request,`} ${row.roundTrips} round trips (${row.ops}), ${row.documents} documents read, ${row.errors} errors`,
      );
      if (explained) say(`  explain: ${explained.keys} index keys, ${explained.docs} documents examined per request (${explained.stages.join(', ') || 'no scan stage'})`);
      return row;
    };

    // The floors first, then every command.
    const floorRead = { models, workspaceId: workspace.id, nameKey: refs.nameKey };
    const floorApps: Floor[] = [];
    cleanup.unshift(() => stopAll(floorApps));
    const floors: LoadRow[] = [];
    for (const [kind, label] of [
      ['bare', 'floor: bare Bolt, ack only'],
      ['one-read', 'floor: one indexed read, then ack'],
      ['open', 'floor: ack, then views.open (1 field)'],
      ['read-reply', 'floor: ack, one read, response_url'],
    ] as const) {
      const floor = await startFloor({ kind, signingSecret: SIGNING_SECRET, apiUrl: load.apiUrl, read: floorRead });
      floorApps.push(floor);
      // The first two answer with the ack alone; the others with the reply, like the commands.
      const awaitReply = kind === 'open' || kind === 'read-reply';
      floors.push({ ...(await pass(label, 'floor', floor.url, FLOOR_COMMAND, [''], awaitReply)), floor: kind });
    }
    await stopAll(floorApps);

    const wanted = (label: string) => !options.only || options.only.split(',').some((part) => part.trim() && label.includes(part.trim()));
    const scenarios = scenariosFor(router, refs, options.n).filter((s) => wanted(s.label));
    const rows: LoadRow[] = [];
    for (const scenario of scenarios) {
      rows.push(await pass(scenario.label, scenario.kind, appUrl, `/${scenario.command}`, scenario.texts, true, scenario.expect, undefined, false, scenario.once));
    }

    // Discord's autocomplete on <who>, as typed letter by letter: the same search, through discord.js.
    if (wanted(AUTOCOMPLETE_LABEL)) {
      const discord = createDiscordAdapter({ router, token: 'bench-discord-token', clientId: '1300000000000000001', apiUrl: `${load.apiUrl}/api`, logger });
      const gateway = await startDiscordGateway(discord.client);
      cleanup.unshift(async () => {
        await gateway.stop();
        await discord.client.destroy();
      });
      const template = autocomplete('show', 'who', '', { guildId: DISCORD_GUILD_ID });
      rows.push(await pass(AUTOCOMPLETE_LABEL, 'read', gateway.url, '/influencer', AUTOCOMPLETE_TYPED, true, '"choices":\\[\\{"name"', template));
    }

    // Slack's App Home, opened by the seeded owners in turn: the event in, views.publish out.
    let appHome: LoadRow | undefined;
    if (wanted(APP_HOME_LABEL)) appHome = await pass(APP_HOME_LABEL, 'read', appUrl, 'app_home_opened', OWNERS, true, '\\"type\\":\\"home\\"', undefined, true);

    // A scheduler tick over many small workspaces (a database of its own), before the jobs grow the seeded one.
    let tick: TickBench | undefined;
    if (options.tickWorkspaces && wanted(TICK_LABEL)) {
      say(`a scheduler tick over ${options.tickWorkspaces} workspaces`);
      tick = await measureSchedulerTick({ uri, dbName, timezone, logger }, options.tickWorkspaces, say);
    }

    // Jobs at N, then at growFactor x N in the same workspace.
    const grown = options.n * options.growFactor;
    let jobRows: JobRow[] = [];
    let appHomeGrown: LoadRow | undefined;
    if (!options.skip?.includes('jobs')) {
      say(`jobs at N=${options.n}`);
      const jobSetup = { uri, dbName, workspaceId: workspace.id, timezone, logger, clock, timeoutMs: options.jobTimeoutMs, trace: options.trace ?? false };
      const atN = await measureJobs(jobSetup, say);
      say(`growing the workspace to ${grown} creators`);
      t = performance.now();
      const added = await seedWorkspace(models, { workspaceId: workspace.id, timezone, now: clock(), from: options.n, to: grown });
      say(`  seeded ${describeCounts(added)} more in ${seconds(performance.now() - t)}`);
      if (appHome) appHomeGrown = await pass(`${APP_HOME_LABEL} at ${options.growFactor} x N`, 'read', appUrl, 'app_home_opened', OWNERS, true, '\\"type\\":\\"home\\"', undefined, true);
      say(`jobs at ${options.growFactor} x N=${grown}`);
      const atGrown = await measureJobs(jobSetup, say);
      jobRows = atN.map((row) => ({ name: row.name, ...(row.batchSize ? { batchSize: row.batchSize } : {}), atN: row.runs, atGrown: atGrown.find((r) => r.name === row.name)!.runs }));
    }

    let imported: ImportBench | undefined;
    if (options.importRows && !options.skip?.includes('import')) {
      say(`/irm import of ${options.importRows} creators into an empty workspace`);
      imported = await measureImport({ uri, dbName, timezone, logger, clock }, options.importRows);
    }

    // What the app keeps, not garbage the last job left: a full collection first (npm run bench passes --expose-gc).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const memory = process.memoryUsage();
    const result: BenchResult = {
      database,
      n: options.n,
      grown,
      growFactor: options.growFactor,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      seeded,
      floors,
      commands: rows,
      jobs: jobRows,
      ...(appHome ? { appHome } : {}),
      ...(appHomeGrown ? { appHomeGrown } : {}),
      ...(tick ? { tick } : {}),
      skipped: options.skip ?? [],
      ...(imported ? { imported } : {}),
      targets: [],
      rssBytes: memory.rss,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: memory.heapUsed,
      collectedBeforeMemory: gc !== undefined,
      appErrors,
      machine: { cores: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.arch()}`, cpu: os.cpus()[0]?.model?.trim() ?? 'unknown' },
      totalMs: 0,
    };
    result.targets = evaluateTargets(result);
    result.totalMs = performance.now() - startedAt;
    return result;
  } finally {
    for (const step of cleanup) await step().catch(() => {});
  }
}

/**
 * The calibration pass's database commands per query shape, slowest first: how many per request,
 * their mean time (as the driver measured it, queueing in the database included) and documents
 * returned per request.
 */
function describeTrace(traced: TracedCommand[], requests: number): string[] {
  const byShape = new Map<string, { count: number; ms: number; documents: number }>();
  for (const command of traced) {
    const entry = byShape.get(command.shape) ?? { count: 0, ms: 0, documents: 0 };
    entry.count += 1;
    entry.ms += command.ms;
    entry.documents += command.documents;
    byShape.set(command.shape, entry);
  }
  return [...byShape]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([shape, e]) => `${formatCount(e.count / requests)} x ${(e.ms / e.count).toFixed(1)} ms, ${formatCount(e.documents / requests)} docs: ${shape}`);
}

function loadRow(
  label: string,
  kind: LoadRow['kind'],
  timed: RunResult,
  calibration: RunResult,
  counted: Counted,
  busy: EventLoopUtilization,
): LoadRow {
  const errorSamples = [...calibration.errorSamples, ...timed.errorSamples].slice(0, 3);
  const calibrated = Math.max(1, calibration.sent);
  return {
    label,
    kind,
    requests: timed.completed,
    rps: (timed.completed / timed.elapsedMs) * 1000,
    ack: percentiles(timed.ackMs),
    reply: timed.replyMs.length ? percentiles(timed.replyMs) : undefined,
    roundTrips: counted.total / calibrated,
    documents: counted.documents / calibrated,
    eventLoopBusy: busy.utilization,
    appMsPerRequest: timed.completed ? busy.active / timed.completed : NaN,
    ops: describeOps(counted, calibrated),
    // Warm-up failures are not counted: the calibration and the timed pass say whether it works.
    errors: timed.errors + calibration.errors,
    errorSamples,
  };
}

/**
 * Each job runs on a connection of its own, wired with the same factories, so its round trips are
 * counted alone and a run that is not waited for can be stopped: closing its connection ends it
 * (a slow run left going would hammer the database under everything measured after it).
 */
async function measureJobs(setup: {
  uri: string;
  dbName: string;
  workspaceId: string;
  timezone: string;
  logger: pino.Logger;
  clock: () => Date;
  timeoutMs: number;
  /** Print each run's database commands per query shape (as --trace does for the commands). */
  trace: boolean;
}, say: (line: string) => void): Promise<Array<{ name: string; batchSize?: number; runs: JobRuns }>> {
  const rows: Array<{ name: string; batchSize?: number; runs: JobRuns }> = [];
  for (const job of jobs) {
    // A database still busy with a stopped run may be slow to answer a new connection: wait longer than the app would.
    // And its heartbeat: the stand-in answers on a few threads, which a job's parallel reads of a large
    // workspace can all hold for seconds; a heartbeat timing out (connectTimeoutMS) clears the pool and
    // the driver sends those reads again, counted twice (monthly-digest: 4 -> 8 at 10 x N).
    const connection = await mongoose
      .createConnection(setup.uri, { ...CONNECTION_OPTIONS, serverSelectionTimeoutMS: 120_000, connectTimeoutMS: 120_000, socketTimeoutMS: 0, dbName: setup.dbName, monitorCommands: true, bufferCommands: false })
      .asPromise();
    const roundTrips = new RoundTrips(connection.getClient());
    const services = createServices(createModels(connection), { clock: setup.clock, defaultTimezone: setup.timezone });
    const workspace = await services.workspaces.settings(setup.workspaceId);
    const once = async (): Promise<JobRun> => {
      const now = setup.clock();
      const period = periodFor(job.schedule, now, workspace.timezone, workspace.settings.postingTime);
      roundTrips.start({ trace: setup.trace });
      const t0 = performance.now();
      // A failed run (a database timeout on this machine) is reported as not finished rather than ending the bench.
      const running = Promise.resolve(job.run(workspace, period, { services, now, logger: setup.logger })).catch((error: unknown) => {
        say(`  ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        return 'failed' as const;
      });
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([running, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), setup.timeoutMs)))]);
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const counted = roundTrips.stop();
      if (setup.trace) for (const line of describeTrace(counted.traced, 1)) say(`    ${line}`);
      const finished = outcome !== 'timeout' && outcome !== 'failed';
      return { ms, roundTrips: counted.total, ops: describeOps(counted), posts: finished ? outcome.length : 0, finished };
    };
    try {
      // The first run catches up on what the newly seeded creators call for; then the steady state:
      // the median of three runs (one when the first took seconds).
      const first = await once();
      const then = !first.finished ? undefined : first.ms > 2_000 ? await once() : [await once(), await once(), await once()].sort((a, b) => a.ms - b.ms)[1]!;
      rows.push({ name: job.name, ...(job.batchSize ? { batchSize: job.batchSize } : {}), runs: { first, ...(then ? { then } : {}) } });
      say(`  ${job.name}: first ${Math.round(first.ms)} ms, ${first.roundTrips} round trips${then ? `; then ${Math.round(then.ms)} ms, ${then.roundTrips}` : ''}`);
    } finally {
      // Ends a run that was not waited for: its next database call fails instead of queueing.
      await connection.close(true).catch(() => {});
    }
  }
  return rows;
}

function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

async function describeDatabase(connection: mongoose.Connection, local: LocalDatabase | undefined): Promise<string> {
  if (local?.kind === 'stand-in') return 'stand-in (mongo-java-server, memory backend: no real mongod on this machine)';
  const version = await connection
    .db!.admin()
    .command({ buildInfo: 1 })
    .then((info) => String(info.version))
    .catch(() => 'unknown version');
  return local ? `real mongod ${version} (mongodb-memory-server, in memory)` : `MONGODB_URI (MongoDB ${version})`;
}

async function stopAll(floors: Floor[]): Promise<void> {
  for (const floor of floors.splice(0)) await floor.stop().catch(() => {});
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const describeCounts = (c: SeedCounts) =>
  `${c.influencers} creators, ${c.touchpoints} touchpoints, ${c.collaborations} collaborations, ${c.contents} content items, ${c.payments} payments`;
