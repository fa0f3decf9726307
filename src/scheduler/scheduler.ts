import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import {
  periodFor,
  type ChannelKind,
  type Clock,
  type Destination,
  type JobDefinition,
  type JobPeriod,
  type JobWorkspace,
  type Logger,
  type Platform,
  type PostMark,
  type Poster,
  type Services,
} from '../core';
import { JobRunLedger, LostClaimError, runKey, slotOf, type Claim, type PostIntent, type PostRecord } from './job-run-ledger';
import { MongoRunCoordinator } from './run-coordinator';
import { DROPPED, WorkPool } from './work-pool';
import type { SchedulerModels } from './scheduler.models';

export type { PostMark, Poster };
export type Posters = Partial<Record<Platform, Poster>>;

export interface SchedulerOptions {
  jobs: readonly JobDefinition[];
  services: Services;
  models: SchedulerModels;
  /** One per platform that is running; workspaces of other platforms are not scheduled. */
  posters: Posters;
  clock: Clock;
  logger: Logger;
  /** How long a claimed run is held without renewal before another replica may take it over. Default 60 s. */
  leaseMs?: number;
  /** How often a run under way renews its lease. Default a third of the lease. */
  renewEveryMs?: number;
  /** Names this replica in locks and logs. */
  instanceId?: string;
  /**
   * Workspaces whose due runs are worked on at once (each workspace's own runs one after another,
   * in job order). Default {@link DEFAULT_CONCURRENCY}; `SCHEDULER_CONCURRENCY` in the environment.
   */
  concurrency?: number;
  /** How long one run may work before it is abandoned (see {@link DEFAULT_RUN_LIMIT_MS}). */
  runLimitMs?: number;
}

/**
 * Eight workspaces at once: a tick with 1,000 workspaces due takes an eighth of the serial time
 * when the database keeps up, while each workspace still posts one message at a time (Slack limits
 * posts per workspace and channel, Discord per bot) and a replica keeps at most eight runs' leases.
 */
export const DEFAULT_CONCURRENCY = 8;

export interface RunReport {
  job: string;
  workspaceId: string;
  period: string;
  /**
   * `lost`: another replica took the run over while this one worked; it stopped without posting more.
   * `superseded`: a later period already ran in the workspace (its timezone moved west): never run.
   */
  outcome: 'posted' | 'empty' | 'failed' | 'busy' | 'lost' | 'superseded';
  posts: number;
  error?: string;
}

export interface TickReport {
  /** False when another replica won this minute's fire, or this one is stopping. */
  elected: boolean;
  runs: RunReport[];
}

/** A tick's lock outlives the minute comfortably; it only has to keep a second replica off the same fire. */
const TICK_LOCK_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/**
 * A run renews its lease every 20 s, so 60 s without one means its replica is gone. Each post starts
 * right after a fenced write that renewed the lease, and the platform clients give up after 10 s
 * (Slack) or 15 s (Discord), so a post is over before anyone can take its run over; replicas' clocks
 * must agree to within the difference (tens of seconds; NTP keeps them within milliseconds).
 */
const DEFAULT_LEASE_MS = 60_000;

/**
 * A run still working after ten minutes is abandoned: its lease stops being renewed and its ledger
 * entry is marked failed at once (fenced, with the posts that went out), so it is retried from
 * where it stopped on a later tick (1, 2, 4... minutes on) instead of holding its lease, its place
 * in the pool and the replica's shutdown for ever. Ten minutes is ample for a big workspace's run
 * (each post is one fenced write and one platform call of at most 15 s); one cut short goes on the
 * next attempt, the posts already out skipped. Checked at each lease renewal (every 20 s).
 */
export const DEFAULT_RUN_LIMIT_MS = 10 * 60_000;

/** What the abandoned run meets at its next step: it stops there without posting more, as a lost claim does. */
export class RunOverdueError extends LostClaimError {
  constructor(key: string, limitMs: number) {
    super(key);
    this.name = 'RunOverdueError';
    this.message = `the run ${key} worked for more than ${limitMs % 60_000 ? `${limitMs / 1000} s` : `${limitMs / 60_000} min`} and was abandoned`;
  }
}

/** A run's posts that went out and are not in the ledger yet, and how many it sent: shared with the abandon path. */
interface Progress {
  unrecorded: PostRecord[];
  sent: number;
}

/** What a run's lease resolves to once the run is past its time limit. */
const OVERDUE = Symbol('overdue');

interface DueRun {
  job: JobDefinition;
  workspace: JobWorkspace;
  period: JobPeriod;
  key: string;
}

/**
 * One node-cron task fires every minute (in UTC; minutes are the same everywhere). Each fire elects
 * one replica through the RunCoordinator; that replica runs every job whose local time has come in
 * its workspace's current period and has no final ledger entry. That one rule covers the posting
 * time, DST (local times are converted per period), retries (a failed entry becomes claimable again)
 * and catch-up (a run missed while down is still due until its period ends). `start()` runs it once
 * at once, so a bot that was down at 09:00 posts that day as soon as it is back, once.
 *
 * Due workspaces are worked on `concurrency` at a time (each workspace's runs in job order), so a
 * slow or failing workspace holds one place and the others go on. Fires may overlap: a fire while
 * an earlier one still works leaves the workspaces this replica has under way or queued alone and
 * starts the ones that came due since, so a long fire never delays another workspace's posting
 * time. Each run is still claimed in the ledger right before it starts, so another replica's fire
 * takes over only what this one has not started.
 */
export class Scheduler {
  readonly instanceId: string;
  private readonly coordinator: MongoRunCoordinator;
  private readonly ledger: JobRunLedger;
  /** Runs known to be final, until their period ends: saves a ledger read per workspace and job each minute. */
  private readonly finished = new Map<string, Date>();
  /**
   * Posts this replica sent that the ledger could not record (the database failed right after the
   * platform accepted them), by run key, with `finishedAt` when the run's outcome is unrecorded too.
   * They are never posted again; only the record is retried, at the start of every tick.
   */
  private readonly unrecorded = new Map<string, { posts: PostRecord[]; finishedAt?: Date }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Workspaces whose runs this replica has under way or queued in the pool: a later fire leaves them alone. */
  private readonly busy = new Set<string>();
  private readonly pool: WorkPool;
  private task: ScheduledTask | undefined;
  /** Set by stop(): a fire that was reading when it came queues nothing more (its workspaces stay due). */
  private stopping = false;
  private lastSweep = 0;
  private readonly leaseMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.pool = new WorkPool(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.coordinator = new MongoRunCoordinator(options.models.runLocks, options.clock, this.instanceId);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.ledger = new JobRunLedger(options.models.jobRuns, options.models.jobRunMarks, { leaseMs: this.leaseMs, clock: options.clock });
  }

  /**
   * Catch up at once, then tick every minute. Resolves when the catch-up is done (main does not
   * wait for it); a stop() that comes first leaves what the catch-up had not queued due.
   */
  start(): Promise<void> {
    if (this.stopping) throw new Error('a stopped scheduler does not start again; build a new one');
    if (this.task) return Promise.resolve();
    const catchUp = this.runDue(this.options.clock()).then(
      () => undefined,
      (err: unknown) => this.options.logger.error({ err }, 'scheduler catch-up failed'),
    );
    this.track(catchUp);
    // Fires may overlap (see the class): a minute's fire never waits for a long one before it.
    this.task = cron.schedule('* * * * *', () => this.track(this.tickSafely()), { name: 'irm-scheduler' });
    return catchUp;
  }

  /**
   * Stops ticking and waits for the runs under way (each post is recorded before this resolves).
   * Workspaces still waiting for a place in the pool are not started, and a fire still reading what
   * is due queues nothing: nothing of theirs is claimed, so they stay due for another replica or the
   * next start.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const task = this.task;
    this.task = undefined;
    await task?.destroy();
    const dropped = this.pool.close();
    if (dropped) this.options.logger.info({ workspaces: dropped, instance: this.instanceId }, 'scheduler stopping: workspaces not started yet are left due');
    await Promise.allSettled([...this.inFlight]);
    // One last try to write down posts that went out while the ledger failed; the intents cover the rest.
    await this.settleUnrecorded();
  }

  /** One fire: elect a replica for this minute, then run what is due. Tests call it with a fake time. */
  async tick(now: Date = this.options.clock()): Promise<TickReport> {
    // Before the election: a replica that rarely wins a fire still writes down what it posted.
    await this.settleUnrecorded();
    // A stopping replica leaves this minute's fire to the others.
    if (this.stopping) return { elected: false, runs: [] };
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    if (!(await this.coordinator.shouldRun(`tick:${slot.toISOString()}`, TICK_LOCK_MS))) return { elected: false, runs: [] };
    if (now.getTime() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now.getTime();
      await this.coordinator.sweep(now);
    }
    return { elected: true, runs: await this.runDue(now) };
  }

  /**
   * Runs every job whose time has come in its workspace's current period and is not final in the
   * ledger. Safe to call from several replicas at once: the ledger lets one of them claim each run.
   */
  async runDue(now: Date = this.options.clock()): Promise<RunReport[]> {
    for (const [key, endsAt] of this.finished) if (endsAt <= now) this.finished.delete(key);
    const platforms = Object.keys(this.options.posters) as Platform[];
    const workspaces = await this.options.services.workspaces.forScheduling(platforms);
    const due: DueRun[] = [];
    for (const workspace of workspaces) {
      if (this.busy.has(workspace.id)) continue;
      for (const job of this.options.jobs) {
        if (job.channel && !channelFor(workspace, job.channel)) continue;
        let period: JobPeriod;
        try {
          period = periodFor(job.schedule, now, workspace.timezone, workspace.settings.postingTime, workspace.settings.reportingDay);
        } catch (err) {
          // One workspace with a broken timezone must not stop everyone else's posts.
          this.options.logger.error({ err, job: job.name, workspace: workspace.id }, 'scheduler: cannot compute the period');
          continue;
        }
        if (now < period.runAt) continue;
        const key = runKey({ job: job.name, workspaceId: workspace.id, period: period.key });
        if (!this.finished.has(key)) due.push({ job, workspace, period, key });
      }
    }
    const states = await this.ledger.states(due.map((d) => d.key));
    const byWorkspace = new Map<string, DueRun[]>();
    for (const run of due) {
      const state = states.get(run.key);
      if (JobRunLedger.isFinal(state?.status)) {
        this.finished.set(run.key, run.period.endsAt);
        continue;
      }
      if (!JobRunLedger.claimable(state, now)) continue;
      const runs = byWorkspace.get(run.workspace.id);
      if (runs) runs.push(run);
      else byWorkspace.set(run.workspace.id, [run]);
    }
    // stop() may have come while we read: nothing more is claimed (the pool refuses it too).
    if (this.stopping) return [];
    const queued: Array<Promise<RunReport[]>> = [];
    for (const [workspaceId, runs] of byWorkspace) {
      // Checked again here, with no wait since: another call may have queued it while we read.
      if (this.busy.has(workspaceId)) continue;
      this.busy.add(workspaceId);
      queued.push(
        this.pool
          .run(() => this.runWorkspace(runs, now))
          .then((reports) => (reports === DROPPED ? [] : reports))
          .finally(() => this.busy.delete(workspaceId)),
      );
    }
    return (await Promise.all(queued)).flat();
  }

  /**
   * One workspace's due runs, claimed together when its turn comes, then run one after another in
   * job order; a run that fails does not stop the next.
   */
  private async runWorkspace(runs: readonly DueRun[], now: Date): Promise<RunReport[]> {
    const ids = runs.map((run) => ({ job: run.job.name, workspaceId: run.workspace.id, period: run.period.key }));
    let claims;
    try {
      claims = await this.ledger.claimAll(ids, now);
    } catch (err) {
      // The ledger itself failed (database down): nothing is claimed, or its lease runs out; retried on a later tick.
      this.options.logger.error({ err, workspace: runs[0]?.workspace.id, jobs: ids.map((id) => id.job) }, 'scheduler: runs could not be claimed');
      return [];
    }
    const reports: RunReport[] = [];
    for (const [i, run] of runs.entries()) {
      try {
        reports.push(await this.runOne(run.job, run.workspace, run.period, now, claims[i]));
      } catch (err) {
        // The ledger itself failed (database down): the entry stays claimable or its lease runs out; retried on a later tick.
        this.options.logger.error({ err, job: run.job.name, workspace: run.workspace.id }, 'scheduler: run could not be recorded');
      }
    }
    return reports;
  }

  private async runOne(job: JobDefinition, workspace: JobWorkspace, period: JobPeriod, now: Date, claim: Claim | 'superseded' | undefined): Promise<RunReport> {
    const id = { job: job.name, workspaceId: workspace.id, period: period.key };
    if (!claim) return { ...id, outcome: 'busy', posts: 0 };
    if (claim === 'superseded') {
      this.finished.set(runKey(id), period.endsAt);
      this.options.logger.info({ job: job.name, workspace: workspace.id, period: period.key }, 'scheduler: a later period already ran here (the timezone moved west); this one is skipped');
      return { ...id, outcome: 'superseded', posts: 0 };
    }
    const log = { job: job.name, workspace: workspace.id, period: period.key, attempt: claim.attempt, instance: this.instanceId };
    const lease = this.holdLease(claim, log);
    const progress: Progress = { unrecorded: [], sent: 0 };
    const working = this.work(job, workspace, period, now, claim, lease, log, progress).catch((err: unknown): RunReport => {
      if (!(err instanceof LostClaimError)) throw err;
      if (!(err instanceof RunOverdueError)) this.options.logger.error({ ...log, err }, 'scheduler: lost the claim on this run (another replica took it over); stopped before posting anything more');
      return { ...id, outcome: 'lost', posts: 0 };
    });
    try {
      const first = await Promise.race([working, lease.overdue]);
      if (first !== OVERDUE) return first;
    } finally {
      lease.release();
    }
    // Whatever the abandoned work does later is fenced (see holdLease); it must not go unheard.
    working.catch((err: unknown) => this.options.logger.error({ ...log, err }, 'scheduler: an abandoned run failed after it was abandoned'));
    return this.abandon(claim, progress, log, (outcome, posts = 0, error) => ({ ...id, outcome, posts, ...(error ? { error } : {}) }));
  }

  /**
   * A run past its limit: marked failed in the ledger now (fenced, with the posts that went out and
   * are not written down yet), which ends its lease and makes it due for a retry after the usual
   * delay. The work itself cannot be cancelled: it meets RunOverdueError at its next step (before any
   * intent, and between an intent and its post), so it posts nothing more. A post already in flight
   * is bounded by its platform client's timeout, well inside the retry delay, and its intent is in
   * the ledger: the retry looks it up on the platform before posting (as after a crash), and if it
   * lands, the abandoned work writes its record by key.
   */
  private async abandon(claim: Claim, progress: Progress, log: object, report: (outcome: RunReport['outcome'], posts?: number, error?: string) => RunReport): Promise<RunReport> {
    const limitMs = this.options.runLimitMs ?? DEFAULT_RUN_LIMIT_MS;
    const overdue = new RunOverdueError(claim.key, limitMs);
    this.options.logger.error({ ...log, limitMs, posts: progress.sent }, 'scheduler: a run worked past its time limit and was abandoned; it is retried later, the posts already out are not sent again');
    try {
      return await this.failed(claim, overdue, log, report, progress.sent, progress.unrecorded);
    } catch (err) {
      // Taken over or finished meanwhile, or the ledger is failing: the lease, no longer renewed, runs out.
      if (err instanceof LostClaimError) return report('lost', progress.sent);
      this.options.logger.error({ ...log, err }, 'scheduler: could not record the abandoned run; its lease runs out instead');
      return report('failed', progress.sent, overdue.message);
    }
  }

  /**
   * Renews the lease every `renewEveryMs` while the run works; `check()` throws once it is known lost.
   * Past the run's time limit (by the scheduler's clock, looked at on each renewal) it renews no
   * more: `overdue` resolves and `check()` throws RunOverdueError from then on.
   */
  private holdLease(claim: Claim, log: object) {
    let lost: LostClaimError | undefined;
    let resolveOverdue!: (value: typeof OVERDUE) => void;
    const overdue = new Promise<typeof OVERDUE>((resolve) => (resolveOverdue = resolve));
    const limitMs = this.options.runLimitMs ?? DEFAULT_RUN_LIMIT_MS;
    const startedAt = this.options.clock().getTime();
    const renewing = new Set<Promise<void>>();
    const timer = setInterval(() => {
      if (this.options.clock().getTime() - startedAt >= limitMs) {
        clearInterval(timer);
        lost = new RunOverdueError(claim.key, limitMs);
        resolveOverdue(OVERDUE);
        return;
      }
      const renewal = this.ledger.renew(claim).catch((err: unknown) => {
        if (err instanceof LostClaimError) lost ??= err;
        // A failed renewal is not fatal: the next post's intent write is fenced and renews it too.
        else this.options.logger.warn({ ...log, err }, 'scheduler: could not renew the lease; retrying');
      });
      renewing.add(renewal);
      void renewal.finally(() => renewing.delete(renewal));
    }, this.options.renewEveryMs ?? Math.floor(this.leaseMs / 3));
    timer.unref();
    return {
      overdue,
      check() {
        if (lost) throw lost;
      },
      release() {
        clearInterval(timer);
      },
    };
  }

  private async work(
    job: JobDefinition,
    workspace: JobWorkspace,
    period: JobPeriod,
    now: Date,
    claim: Claim,
    lease: { check(): void },
    log: Record<string, unknown>,
    progress: Progress,
  ): Promise<RunReport> {
    const { logger, services, posters } = this.options;
    const id = { job: job.name, workspaceId: workspace.id, period: period.key };
    const report = (outcome: RunReport['outcome'], posts = 0, error?: string): RunReport => ({ ...id, outcome, posts, ...(error ? { error } : {}) });
    let posts;
    try {
      posts = await job.run(workspace, period, { services, now, logger });
    } catch (err) {
      return this.failed(claim, err, log, report);
    }
    lease.check();
    if (posts.length === 0) {
      await this.ledger.finish(claim, 'empty', this.options.clock());
      this.finished.set(claim.key, period.endsAt);
      return report('empty');
    }
    // Posts of an earlier attempt are skipped whether the ledger has them or only this replica remembers them.
    // `unrecorded`: posts that went out and are not in the ledger yet; the next write carries them
    // (the next post's intent, or the outcome), so each post costs one write.
    const unrecorded = progress.unrecorded;
    unrecorded.push(...(this.unrecorded.get(claim.key)?.posts ?? []));
    const skip = new Set([...claim.alreadyPosted, ...unrecorded.map(slotOf)]);
    for (const [index, post] of posts.entries()) {
      const slot = slotOf({ key: post.key, index });
      const key = post.key ? { key: post.key } : {};
      if (skip.has(slot)) continue;
      const channelId = 'user' in post ? post.user : channelFor(workspace, post.channel);
      const poster = posters[workspace.platform];
      if (!channelId || !poster) {
        // A job that declares its channel only runs where it is set; others post where they can.
        const entry = { ...log, channel: 'user' in post ? 'direct' : post.channel };
        if (job.channel) logger.warn(entry, 'post skipped: the workspace has no such channel set');
        else logger.info(entry, 'post skipped: the workspace has no such channel set');
        continue;
      }
      const earlier = claim.unresolved.get(slot);
      // An earlier attempt's post is looked up by the mark it went out with (its index then).
      const mark: PostMark = { run: claim.key, index: earlier?.index ?? index };
      // A post to a person is private to them (their DM); a channel post is for everyone there.
      const to: Destination = { ...('user' in post ? { userId: post.user } : { channelId }), workspaceExternalId: workspace.externalId };
      let messageId: string;
      try {
        // The earlier attempt's post is looked for where it went, even if the channel setting changed since.
        const postedTo: Destination = earlier && !('user' in post) && earlier.channelId ? { ...to, channelId: earlier.channelId } : to;
        const found = earlier ? await this.findEarlier(poster, postedTo, earlier, mark, log) : undefined;
        if (found === 'unknowable') continue;
        if (found) {
          messageId = found.id;
        } else {
          lease.check();
          await this.ledger.intend(claim, { index: mark.index, ...key, channelId, at: this.options.clock() }, unrecorded);
          if (unrecorded.length) this.recorded(claim.key, unrecorded);
          // Abandoned while the intent was being written: it posts nothing more.
          lease.check();
          ({ id: messageId } = await poster(to, { ...post.reply, visibility: 'user' in post ? 'private' : 'channel' }, mark));
          // The platform accepted it: from here on it must never be sent again, whatever the ledger does.
          progress.sent += 1;
        }
      } catch (err) {
        if (err instanceof LostClaimError) {
          await this.settleByKey(claim.key, unrecorded, log);
          throw err;
        }
        return this.failed(claim, err, log, report, progress.sent, unrecorded);
      }
      unrecorded.push({ index: mark.index, ...key, channel: 'user' in post ? 'direct' : post.channel, channelId, messageId, at: this.options.clock() });
    }
    const finishedAt = this.options.clock();
    try {
      await this.ledger.finish(claim, 'posted', finishedAt, unrecorded);
      this.finished.set(claim.key, period.endsAt);
      this.unrecorded.delete(claim.key);
    } catch (err) {
      // Lost (taken over, or abandoned past its time limit): whoever holds the run decides its outcome.
      if (err instanceof LostClaimError) {
        await this.settleByKey(claim.key, unrecorded, log);
        throw err;
      }
      // Never marked failed: a retry would post again. This replica skips the run and retries the record each tick.
      this.finished.set(claim.key, period.endsAt);
      this.unrecorded.set(claim.key, { posts: unrecorded, finishedAt });
      logger.error(
        { ...log, err, posts: progress.sent },
        'scheduler: POSTED BUT NOT RECORDED - the run went out and the ledger failed to record it; the record is retried on each tick, never the post',
      );
      return report('posted', progress.sent);
    }
    logger.info({ ...log, posts: progress.sent }, 'scheduled job posted');
    return report('posted', progress.sent);
  }

  /**
   * An earlier attempt wrote the intent to post `mark` and never recorded the post: it may be in
   * the channel. Found: it is recorded, not re-sent. Not found: the earlier attempt did not post it.
   * A platform that cannot look: never re-sent, logged as a possible miss.
   */
  private async findEarlier(poster: Poster, to: Destination, intent: PostIntent, mark: PostMark, log: object): Promise<{ id: string } | undefined | 'unknowable'> {
    if (!poster.find) {
      this.options.logger.error({ ...log, index: mark.index, intendedAt: intent.at }, 'scheduler: an earlier attempt may have posted this and the platform cannot tell; NOT posting it again (possibly missed)');
      return 'unknowable';
    }
    const found = await poster.find(to, mark, intent.at);
    this.options.logger.warn({ ...log, index: mark.index, found: Boolean(found) }, found ? 'scheduler: found the earlier attempt\'s post in the channel; recording it instead of posting again' : 'scheduler: the earlier attempt\'s post is not in the channel; posting it');
    return found;
  }

  private async failed(
    claim: Claim,
    err: unknown,
    log: object,
    report: (outcome: RunReport['outcome'], posts?: number, error?: string) => RunReport,
    sent = 0,
    unrecorded: readonly PostRecord[] = [],
  ): Promise<RunReport> {
    // Posts that went out unrecorded are written with the failure, so whichever replica retries skips them.
    let retryAt: Date;
    try {
      retryAt = await this.ledger.fail(claim, err, this.options.clock(), unrecorded);
    } catch (failError) {
      if (failError instanceof LostClaimError) await this.settleByKey(claim.key, unrecorded, log);
      else if (unrecorded.length) this.remember(claim.key, unrecorded, log, failError);
      throw failError;
    }
    if (unrecorded.length) this.unrecorded.delete(claim.key);
    this.options.logger.warn({ ...log, err, retryAt }, 'scheduled job failed; it will be retried in this period');
    return report('failed', sent, err instanceof Error ? err.message : String(err));
  }

  /** `posts` are in the ledger now: drop them (all of them, earlier attempts' too) from what this replica keeps retrying. */
  private recorded(key: string, posts: PostRecord[]): void {
    posts.length = 0;
    if (!this.unrecorded.get(key)?.finishedAt) this.unrecorded.delete(key);
  }

  /** The claim was lost with posts not written down: they are facts, written by key; failing that, kept and retried each tick. */
  private async settleByKey(key: string, posts: readonly PostRecord[], log: object): Promise<void> {
    if (posts.length === 0) return;
    try {
      await this.ledger.settle(key, posts);
      this.unrecorded.delete(key);
    } catch (err) {
      this.remember(key, posts, log, err);
    }
  }

  private remember(key: string, posts: readonly PostRecord[], log: object, err: unknown): void {
    this.unrecorded.set(key, { posts: [...posts] });
    this.options.logger.error(
      { ...log, err, posts },
      'scheduler: POSTED BUT NOT RECORDED - the platform accepted these posts and the ledger failed to record them; they will not be posted again, the record is retried on each tick',
    );
  }

  /** Retries the records of posts that went out while the ledger failed. Never re-posts anything. */
  private async settleUnrecorded(): Promise<void> {
    for (const [key, pending] of [...this.unrecorded]) {
      try {
        await this.ledger.settle(key, pending.posts, pending.finishedAt);
        if (this.unrecorded.get(key) === pending) this.unrecorded.delete(key);
        this.options.logger.warn({ run: key, posts: pending.posts.length, instance: this.instanceId }, 'scheduler: recorded posts that went out earlier while the ledger was failing');
      } catch (err) {
        this.options.logger.error(
          { err, run: key, posts: pending.posts, instance: this.instanceId },
          'scheduler: POSTED BUT NOT RECORDED - the ledger still fails; this replica will not post them again and keeps retrying the record',
        );
      }
    }
  }

  private async tickSafely(): Promise<void> {
    try {
      await this.tick(this.options.clock());
    } catch (err) {
      this.options.logger.error({ err, instance: this.instanceId }, 'scheduler tick failed');
    }
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    promise.then(
      () => this.inFlight.delete(promise),
      () => this.inFlight.delete(promise),
    );
  }
}

/** The workspace's channel id for `kind`; the console has one terminal, so its channels are just names. */
export function channelFor(workspace: JobWorkspace, kind: ChannelKind): string | undefined {
  return workspace.settings.channels[kind] ?? (workspace.platform === 'console' ? kind : undefined);
}
