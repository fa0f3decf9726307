import type { Types } from 'mongoose';
import { addDays, localDay } from '../../core/calendar';
import type { Cadence, CadenceSettings } from '../../core/job';
import type { Stage } from '../../core/vocabulary';
import { inBatches, BATCH_SIZE } from '../batches';
import type { InfluencerModel } from '../influencer/influencer.model';
import type { WorkspaceDoc, WorkspaceModel } from '../workspace/workspace.model';
import { cadencesOf } from '../workspace/workspace.service';
import { cadenceFor, itemKey } from './nurture-rules';
import type { SnoozeModel } from './snooze.model';

/** What the reach-out day of a creator is computed from. */
export interface ReachOutInputs {
  stage: Stage;
  cadence?: { ideal?: number | null; max?: number | null } | null;
  lastContact?: { at?: Date | null } | null;
  createdAt: Date;
}

/** The stored `reachOut` of a creator (see influencer.model.ts). */
export interface StoredReachOut {
  day?: string | null;
  since?: string | null;
  /** The ideal days `day` was computed with (null: no cadence applies), and the timezone of `since`. */
  ideal?: number | null;
  tz?: string | null;
  hiddenUntil?: string | null;
  rev?: number | null;
}

export function ownCadence(row: Pick<ReachOutInputs, 'cadence'>): Cadence | null {
  return row.cadence?.ideal && row.cadence.max ? { ideal: row.cadence.ideal, max: row.cadence.max } : null;
}

/**
 * `since`: the local day of the last touchpoint (or of the creator's creation, before any);
 * `day`: the last day within the ideal interval of the cadence that applies (since + ideal), null
 * where none applies. Past the ideal interval exactly when today is after `day`, by
 * `daysBetween(day, today)` days: so the earliest `day` is the most days past.
 */
export function reachOutOf(creator: ReachOutInputs, workspace: { timezone: string; cadences: CadenceSettings }): { since: string; day: string | null; ideal: number | null } {
  const cadence = cadenceFor(creator.stage, workspace.cadences, ownCadence(creator));
  const since = localDay(creator.lastContact?.at ?? creator.createdAt, workspace.timezone);
  return { since, day: cadence ? addDays(since, cadence.ideal) : null, ideal: cadence?.ideal ?? null };
}

/**
 * A touchpoint at `at` (the creator's newest) starts a new interval: its reach-out fields from the
 * stored ideal days and timezone, without reading the workspace's settings, so logging one stays
 * one write. Undefined when they are not stored (then the full sync runs). Written only while
 * `rev` is unchanged: a settings change meanwhile makes it miss.
 */
export function reachOutAfterTouchpoint(stored: StoredReachOut | null | undefined, at: Date): { rev: number; since: string; day: string | null; newInterval: boolean } | undefined {
  if (!stored?.rev || !stored.tz || stored.ideal === undefined) return undefined;
  const since = localDay(at, stored.tz);
  return { rev: stored.rev, since, day: stored.ideal ? addDays(since, stored.ideal) : null, newInterval: since !== stored.since };
}

/**
 * Whether `stored` is about the interval that started on `since` (today's local day of the last
 * touchpoint at `lastAt`): the same day, or the day of that same touchpoint in the timezone it was
 * stored with (a timezone change moves the local day, not the interval).
 */
export function sameInterval(stored: StoredReachOut | null | undefined, since: string, lastAt: Date): boolean {
  if (!stored?.since) return false;
  return stored.since === since || (!!stored.tz && stored.since === localDay(lastAt, stored.tz));
}

/**
 * The current reminder of a creator put aside (snoozed until a later day, or done) on the creator
 * itself: what every list checks besides the item's key, since the key's day moves with the timezone.
 */
export const reachOutHidden = (stored: StoredReachOut | null | undefined, since: string, lastAt: Date, today: string): boolean =>
  !!stored?.hiddenUntil && today < stored.hiddenUntil && sameInterval(stored, since, lastAt);

/** A creator as the planner reads it: what its reach-out day is computed from, and what is stored. */
export type ReachOutRow = ReachOutInputs & { _id: Types.ObjectId; workspaceId: Types.ObjectId; reachOut?: StoredReachOut | null };

/** The projection that reads a ReachOutRow. */
export const REACH_OUT_INPUTS = { workspaceId: 1, stage: 1, cadence: 1, lastContact: 1, createdAt: 1, reachOut: 1 } as const;

/**
 * One creator's new reach-out fields, to be written only while its `reachOut.rev` is still `rev`
 * (null: never written). `hiddenUntil`: a day to set, null to clear, undefined to keep.
 */
export interface ReachOutUpdate {
  id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  rev: number | null;
  day: string | null;
  since: string;
  ideal: number | null;
  tz: string;
  hiddenUntil?: string | null;
}

/**
 * Plans creators' `reachOut` (see influencer.model.ts) from what it follows: the creator's stage,
 * own cadence and last touchpoint, and the workspace's timezone and cadences. It only reads;
 * InfluencerService, the collection's one writer, writes the plan (see its syncReachOut).
 *
 * Without transactions, the writes are fenced: each is conditional on the `rev` read with the
 * creator, and `plan` reads the workspace's settings after the creators. A write computed from
 * settings read before a settings change was saved either lands before the re-sync that change
 * runs (which then recomputes it) or after that re-sync bumped `rev` (so it misses and is planned
 * again from a fresh read); a re-sync racing a touchpoint misses the same way.
 */
export class ReachOutPlanner {
  constructor(private readonly models: { influencers: InfluencerModel; workspaces: WorkspaceModel; snoozes: SnoozeModel }) {}

  /** The creators of a workspace by id, as `plan` reads them. */
  rows(workspaceId: Types.ObjectId, ids: readonly Types.ObjectId[]): Promise<ReachOutRow[]> {
    return this.models.influencers.find({ _id: { $in: [...ids] }, workspaceId }, REACH_OUT_INPUTS).lean<ReachOutRow[]>();
  }

  /** Every creator of a workspace (or of some stages), a batch at a time. */
  inWorkspace(workspaceId: Types.ObjectId, stages?: readonly Stage[]): AsyncGenerator<ReachOutRow[]> {
    return inBatches(
      this.models.influencers
        .find({ workspaceId, ...(stages ? { stage: { $in: [...stages] } } : {}) }, REACH_OUT_INPUTS)
        .lean<ReachOutRow[]>()
        .cursor({ batchSize: BATCH_SIZE }),
      BATCH_SIZE,
    );
  }

  /**
   * Creators stored before the field existed, or left stale by a write whose follow-up sync failed
   * (`ideal` unset: see InfluencerService), a batch at a time in `_id` order (paged on the `_id`
   * index: no in-memory sort of the collection), grouped by workspace within a batch.
   */
  async *missing(): AsyncGenerator<ReachOutRow[]> {
    for (let after: Types.ObjectId | undefined; ; ) {
      const batch = await this.models.influencers
        .find({ 'reachOut.ideal': { $exists: false }, ...(after ? { _id: { $gt: after } } : {}) }, REACH_OUT_INPUTS)
        .sort({ _id: 1 })
        .limit(BATCH_SIZE)
        .lean<ReachOutRow[]>();
      if (batch.length === 0) return;
      after = batch[batch.length - 1]!._id;
      const byWorkspace = new Map<string, ReachOutRow[]>();
      for (const row of batch) byWorkspace.set(String(row.workspaceId), [...(byWorkspace.get(String(row.workspaceId)) ?? []), row]);
      yield* byWorkspace.values();
    }
  }

  /**
   * The updates the rows (all of one workspace, read before this call) need, from the workspace's
   * settings read now; `force` plans a write (a `rev` bump) even where the day stays, as a settings
   * change must. A creator seen for the first time (created, imported, or stored before the field
   * existed) takes over a snooze of its current reminder from the snoozes collection.
   */
  async plan(workspaceId: Types.ObjectId, rows: ReadonlyArray<ReachOutRow>, force: boolean): Promise<ReachOutUpdate[]> {
    if (rows.length === 0) return [];
    const settings = await this.models.workspaces.findById(workspaceId, { timezone: 1, cadences: 1 }).lean<WorkspaceDoc>();
    if (!settings) return [];
    const workspace = { timezone: settings.timezone, cadences: cadencesOf(settings) };
    const next = rows.map((row) => ({ row, ...reachOutOf(row, workspace) }));
    const keyOf = (row: ReachOutRow, since: string) => itemKey({ kind: 'cadence', influencerId: String(row._id), since });
    // Never written (a write that marked it stale may have bumped rev already).
    const first = next.filter(({ row }) => !row.reachOut?.since);
    const snoozed =
      first.length === 0
        ? new Map<string, string>()
        : new Map((await this.models.snoozes.find({ workspaceId, key: { $in: first.map(({ row, since }) => keyOf(row, since)) } }, { key: 1, until: 1 }).lean()).map((s) => [s.key, s.until]));
    return next.flatMap(({ row, since, day, ideal }): ReachOutUpdate[] => {
      const stored = row.reachOut;
      // The same interval also when only the timezone moved its local day (the same last touchpoint).
      const same = sameInterval(stored, since, row.lastContact?.at ?? row.createdAt);
      if (!force && stored?.rev && stored.day === day && same && stored.ideal === ideal && stored.tz === workspace.timezone) return [];
      const hidden = snoozed.get(keyOf(row, since));
      // A new interval: the snooze of the last one does not hide it.
      const hiddenUntil = hidden ?? (same ? undefined : null);
      return [{ id: row._id, workspaceId, rev: stored?.rev ?? null, day, since, ideal, tz: workspace.timezone, ...(hiddenUntil !== undefined ? { hiddenUntil } : {}) }];
    });
  }
}
