import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { ChannelKind } from '../core';
import { isDuplicateKey } from './run-coordinator';
import type { JobRunDoc, JobRunMarkModel, JobRunModel } from './scheduler.models';

export interface RunId {
  job: string;
  workspaceId: string;
  period: string;
}

/** `late-payments:<workspace id>:2026-11-23`: the ledger's `_id`. */
export const runKey = (id: RunId): string => `${id.job}:${id.workspaceId}:${id.period}`;
/** `late-payments:<workspace id>`: the `_id` of the job's mark in the workspace. */
const markId = (id: RunId): string => `${id.job}:${id.workspaceId}`;

/** One refused operation of an unordered bulk write, as the driver reports it. */
interface WriteError {
  index: number;
  code?: number;
}

/** One post that went out, with the platform's message id. */
export interface PostRecord {
  index: number;
  /** The post's key, when the job gave one (`owner:U0MARIA`): retries match posts by it rather than by index. */
  key?: string;
  /** `direct` for a post to one person; `channelId` is then their user id. */
  channel: ChannelKind | 'direct';
  channelId: string;
  messageId: string;
  at: Date;
}

/** Written right before a post: "post `index` may be going out in `channelId` from `at`". */
export interface PostIntent {
  index: number;
  key?: string;
  channelId: string;
  at: Date;
}

/** A run this replica holds: only the holder of `token` may write its outcome. */
export interface Claim {
  key: string;
  token: string;
  attempt: number;
  /** Slots (see {@link slotOf}) of the posts that already went out in an earlier attempt. */
  alreadyPosted: ReadonlySet<string>;
  /** Posts an earlier attempt was about to send and never recorded, by slot: they may be in the channel already. */
  unresolved: ReadonlyMap<string, PostIntent>;
}

/** Which post of a run this is, across attempts: its key when the job gave one, else its position. */
export const slotOf = (post: { key?: string | null; index: number }): string => post.key ?? `#${post.index}`;

/** The claim is no longer ours: another replica took the run over after our lease ran out. */
export class LostClaimError extends Error {
  constructor(key: string) {
    super(`the claim on ${key} was lost: another replica holds the run now`);
    this.name = 'LostClaimError';
  }
}

export interface LedgerOptions {
  /** How long a claim is held, from the last claim, renewal or intent, before another replica may take it over. */
  leaseMs: number;
  /** Lease times come from this clock, read when each write is made (not the tick's time). */
  clock: () => Date;
  /** Delay before retrying a failed attempt: 1, 2, 4, 8 then every 15 minutes. */
  retryDelayMs?: (attempt: number) => number;
}

const FINAL: ReadonlySet<string> = new Set(['posted', 'empty', 'superseded']);

const defaultRetryDelay = (attempt: number) => Math.min(2 ** Math.max(0, attempt - 1), 15) * 60_000;

/**
 * Makes each scheduled post happen once per job, workspace and period: claim (insert, or take over
 * a failed or abandoned entry atomically), then for each post write the intent, post; then finish.
 * Each post's record (its message id) rides on the next write, the next post's intent or the
 * outcome: a later failure never re-sends it, and a crash in between leaves its intent, which the
 * next attempt looks up on the platform. A final entry (`posted`, `empty`) is never claimed again.
 *
 * Fencing: every write that decides something (renew, intent, finish, fail) matches the claim token
 * and checks `matchedCount`; 0 means another replica took the run over, and `LostClaimError` stops
 * this one. Records refused with it are then written by key ({@link JobRunLedger.settle}): a post
 * that happened is a fact, whoever holds the run now.
 */
export class JobRunLedger {
  private readonly owner = randomUUID();
  private readonly retryDelay: (attempt: number) => number;

  constructor(
    private readonly runs: JobRunModel,
    /** The latest period claimed per job and workspace: a run is never claimed for an earlier one. */
    private readonly marks: JobRunMarkModel,
    private readonly options: LedgerOptions,
  ) {
    this.retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  }

  /** Entries for `keys`, to skip final or busy ones without trying to claim them. */
  async states(keys: readonly string[]): Promise<Map<string, Pick<JobRunDoc, 'status' | 'leaseUntil' | 'retryAt'>>> {
    if (keys.length === 0) return new Map();
    const found = await this.runs.find({ _id: { $in: [...keys] } }, { status: 1, leaseUntil: 1, retryAt: 1 }).lean<JobRunDoc[]>();
    return new Map(found.map((doc) => [doc._id, doc]));
  }

  static isFinal(status: string | undefined): boolean {
    return status !== undefined && FINAL.has(status);
  }

  /** Whether an entry in this state may be claimed at `now`. */
  static claimable(state: Pick<JobRunDoc, 'status' | 'leaseUntil' | 'retryAt'> | undefined, now: Date): boolean {
    if (!state) return true;
    if (state.status === 'failed') return !state.retryAt || state.retryAt <= now;
    if (state.status === 'running') return !state.leaseUntil || state.leaseUntil <= now;
    return false;
  }

  /**
   * `now` decides whether an old lease or retry time has passed; the new lease starts at the claim.
   * `superseded`: the job already claimed a later period in this workspace (its timezone moved west
   * since): this period is written down as final and never runs.
   */
  async claim(id: RunId, now: Date): Promise<Claim | 'superseded' | undefined> {
    const key = runKey(id);
    const token = randomUUID();
    if (!(await this.advanceMark(id))) {
      await this.runs
        .create({ _id: key, job: id.job, workspaceId: new Types.ObjectId(id.workspaceId), period: id.period, status: 'superseded', attempts: 0, finishedAt: now })
        .catch((error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
        });
      return 'superseded';
    }
    const leaseUntil = this.leaseFromNow();
    try {
      await this.runs.create(this.runningEntry(id, token, leaseUntil, now));
      return { key, token, attempt: 1, alreadyPosted: new Set(), unresolved: new Map() };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return this.takeOver(key, token, leaseUntil, now);
  }

  /**
   * Claims the due runs of one workspace at once, answering for each as {@link claim} does: their
   * marks in one bulk write and their entries in one insert (2 round trips for the lot, not 2 per
   * run). A run whose mark or entry is already there (a retry, a takeover, a timezone moved, another
   * replica at the same time) goes on through `claim`'s own steps. Each run keeps its own token and
   * lease, from now: the caller starts them one after another, and a run's intent and outcome writes
   * are fenced whatever its lease did meanwhile (a run taken over while it waited is `lost`).
   */
  async claimAll(ids: readonly RunId[], now: Date): Promise<Array<Claim | 'superseded' | undefined>> {
    if (ids.length < 2) return ids.length ? [await this.claim(ids[0]!, now)] : [];
    const marked = await this.bulk(
      this.marks.collection,
      ids.map((id) => ({ updateOne: { filter: { _id: markId(id), period: { $lte: id.period } }, update: { $set: { period: id.period } }, upsert: true } })),
    );
    const leaseUntil = this.leaseFromNow();
    const tokens = ids.map(() => randomUUID());
    const fresh = ids.flatMap((id, i) => (marked[i] ? [i] : []));
    const inserted = await this.bulk(
      this.runs.collection,
      fresh.map((i) => ({ insertOne: { document: this.runningEntry(ids[i]!, tokens[i]!, leaseUntil, now) } })),
    );
    const claims: Array<Claim | 'superseded' | undefined> = [];
    for (const [i, id] of ids.entries()) {
      const at = fresh.indexOf(i);
      if (at >= 0 && inserted[at]) claims.push({ key: runKey(id), token: tokens[i]!, attempt: 1, alreadyPosted: new Set(), unresolved: new Map() });
      else if (at >= 0) claims.push(await this.takeOver(runKey(id), tokens[i]!, this.leaseFromNow(), now));
      else claims.push(await this.claim(id, now));
    }
    return claims;
  }

  /** Unordered bulk write; which operations went through (a duplicate key is a refusal, any other error is thrown). */
  private async bulk(collection: { bulkWrite(ops: never[], options: { ordered: false }): Promise<unknown> }, ops: object[]): Promise<boolean[]> {
    const done = ops.map(() => true);
    if (ops.length === 0) return done;
    try {
      await collection.bulkWrite(ops as never[], { ordered: false });
    } catch (error) {
      const refused = [(error as { writeErrors?: WriteError | WriteError[] }).writeErrors ?? []].flat();
      if (refused.length === 0 || refused.some((e) => e.code !== 11000)) throw error;
      for (const e of refused) done[e.index] = false;
    }
    return done;
  }

  private runningEntry(id: RunId, token: string, leaseUntil: Date, now: Date) {
    return {
      _id: runKey(id),
      job: id.job,
      workspaceId: new Types.ObjectId(id.workspaceId),
      period: id.period,
      status: 'running' as const,
      claimToken: token,
      owner: this.owner,
      leaseUntil,
      attempts: 1,
      startedAt: now,
      posts: [],
      intents: [],
    };
  }

  /** Takes over an entry that failed (and is due for a retry) or whose lease ran out; undefined when it is neither. */
  private async takeOver(key: string, token: string, leaseUntil: Date, now: Date): Promise<Claim | undefined> {
    const taken = await this.runs
      .findOneAndUpdate(
        {
          _id: key,
          $or: [
            { status: 'failed', $or: [{ retryAt: null }, { retryAt: { $lte: now } }] },
            { status: 'running', leaseUntil: { $lte: now } },
          ],
        },
        { $set: { status: 'running', claimToken: token, owner: this.owner, leaseUntil }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<JobRunDoc>();
    if (!taken) return undefined;
    const alreadyPosted = new Set((taken.posts ?? []).map((p) => slotOf(p)));
    const unresolved = new Map<string, PostIntent>();
    for (const intent of taken.intents ?? []) {
      const slot = slotOf(intent);
      if (!alreadyPosted.has(slot)) {
        unresolved.set(slot, { index: intent.index, ...(intent.key ? { key: intent.key } : {}), channelId: intent.channelId ?? '', at: intent.at ?? new Date(0) });
      }
    }
    return { key, token, attempt: taken.attempts, alreadyPosted, unresolved };
  }

  /**
   * Moves the job's mark in this workspace to `period`, unless it is at a later one already: one
   * atomic conditional upsert, so of two replicas claiming different periods at once, an earlier
   * period loses to a later one whichever writes first (the upsert of a missed filter hits the
   * existing `_id` and fails as a duplicate). A duplicate is also what the second of two replicas
   * claiming the same first period gets (MongoDB does not retry an upsert whose filter is not an
   * equality): so it refuses only when the stored mark is later; at this period the claim goes on
   * (the fenced claim picks one replica), at an earlier one the update is tried once more.
   */
  private async advanceMark(id: RunId): Promise<boolean> {
    const _id = markId(id);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.marks.updateOne({ _id, period: { $lte: id.period } }, { $set: { period: id.period } }, { upsert: true });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const mark = await this.marks.findById(_id, { period: 1 }).lean();
        if (mark && mark.period > id.period) return false;
        if (mark?.period === id.period) return true;
        // Nothing final is written: the run stays due and is claimed again on a later tick.
        if (attempt === 2) throw error;
      }
    }
  }

  /** Extends the lease while the run works. */
  async renew(claim: Claim): Promise<void> {
    const { matchedCount } = await this.runs.updateOne({ _id: claim.key, claimToken: claim.token }, { $set: { leaseUntil: this.leaseFromNow() } });
    if (matchedCount === 0) throw new LostClaimError(claim.key);
  }

  /**
   * Written right before a post, with a fresh lease: the post that follows is bounded by the
   * platform client's timeout, well inside the lease, so no one can take the run over while it is
   * in flight; and a later attempt that finds this intent without a record looks for the post first.
   * `sent`: the records of the posts that went out since the last write (the one before this), in
   * the same update, so a post costs one write, not two.
   */
  async intend(claim: Claim, intent: PostIntent, sent: readonly PostRecord[] = []): Promise<void> {
    const { matchedCount } = await this.runs.updateOne(
      { _id: claim.key, claimToken: claim.token },
      { $push: { intents: intent }, $set: { leaseUntil: this.leaseFromNow() }, ...recording(sent) },
    );
    if (matchedCount === 0) throw new LostClaimError(claim.key);
  }

  /** Final outcome; `unrecorded` are posts that went out but whose `recordPost` failed: written in the same update. */
  async finish(claim: Claim, status: 'posted' | 'empty', at: Date, unrecorded: readonly PostRecord[] = []): Promise<void> {
    const { matchedCount } = await this.runs.updateOne(
      { _id: claim.key, claimToken: claim.token },
      {
        $set: { status, finishedAt: at },
        $unset: { leaseUntil: 1, retryAt: 1, claimToken: 1 },
        ...recording(unrecorded),
      },
    );
    if (matchedCount === 0) throw new LostClaimError(claim.key);
  }

  /** Retried from `retryAt`; posts that went out unrecorded are written down with it, so the retry skips them. */
  async fail(claim: Claim, error: unknown, at: Date, unrecorded: readonly PostRecord[] = []): Promise<Date> {
    const retryAt = new Date(at.getTime() + this.retryDelay(claim.attempt));
    const { matchedCount } = await this.runs.updateOne(
      { _id: claim.key, claimToken: claim.token },
      {
        $set: { status: 'failed', retryAt, lastError: describeError(error) },
        $unset: { leaseUntil: 1, claimToken: 1 },
        ...recording(unrecorded),
      },
    );
    if (matchedCount === 0) throw new LostClaimError(claim.key);
    return retryAt;
  }

  /**
   * Writes down, late, posts that went out while the ledger could not record them, and with
   * `finishedAt` that the run is done. By key rather than claim: a post that happened is a fact,
   * whoever holds the run now. `$addToSet` makes writing the same record twice harmless.
   */
  async settle(key: string, posts: readonly PostRecord[], finishedAt?: Date): Promise<void> {
    if (posts.length === 0 && !finishedAt) return;
    await this.runs.updateOne(
      { _id: key },
      {
        ...recording(posts),
        ...(finishedAt ? { $set: { status: 'posted', finishedAt }, $unset: { leaseUntil: 1, retryAt: 1, claimToken: 1 } } : {}),
      },
    );
  }

  private leaseFromNow(): Date {
    return new Date(this.options.clock().getTime() + this.options.leaseMs);
  }

  async get(id: RunId): Promise<JobRunDoc | null> {
    return this.runs.findById(runKey(id)).lean<JobRunDoc>();
  }
}

/** The part of an update that writes down posts that went out (`$addToSet`: writing one twice is harmless). */
function recording(posts: readonly PostRecord[]) {
  return posts.length ? { $addToSet: { posts: { $each: [...posts] } } } : {};
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, 500);
}
