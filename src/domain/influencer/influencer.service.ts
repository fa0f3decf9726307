import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import type { Cadence } from '../../core/job';
import { NETWORKS, type Stage, type TouchpointKind } from '../../core/vocabulary';
import { refuse, type CreatorRef } from '../errors';
import type { AuditTrail } from '../audit/audit-trail';
import { fold } from '../fold';
import type { InfluencerDoc, InfluencerModel } from './influencer.model';
import { handleKey, normalizeHandle, type Birthday, type Handle } from './influencer-rules';
import { searchFields, searchPlan, type Searchable } from './influencer-search';
import { recentTouchpointUpdates } from './recent-touchpoints.migration';
import { searchKeyUpdates } from './influencer-search.migration';
import type { TouchpointModel } from './touchpoint.model';
import { reachOutAfterTouchpoint, type ReachOutPlanner, type ReachOutRow, type ReachOutUpdate } from '../nurture/reach-out';

export interface InfluencerInput {
  name: string;
  handles: Handle[];
  email?: string;
  phone?: string;
  address?: string;
  birthday?: Birthday;
  timezone?: string;
  tags: string[];
  preferences?: string;
  ownerId: string;
  stage: Stage;
  source?: string;
  notes?: string;
  /** Own cadence: wins over the stage's (except in paused and ended). */
  cadence?: Cadence;
}

/** A field set to null is cleared; a field left out is kept. */
export type InfluencerPatch = { [K in keyof InfluencerInput]?: InfluencerInput[K] | null };

export interface TouchpointInput {
  kind: TouchpointKind;
  summary: string;
  at?: Date;
}

export type Influencer = InfluencerDoc;

/** What a line in a list or a search result shows: no personal data, no notes, no search keys. */
export type InfluencerSummary = Pick<Influencer, '_id' | 'name' | 'nameKey' | 'handles' | 'stage' | 'ownerId' | 'archivedAt'>;
const SUMMARY = { name: 1, nameKey: 1, handles: 1, stage: 1, ownerId: 1, archivedAt: 1 } as const;

export interface SearchOptions {
  /** 1-based. */
  page: number;
  pageSize: number;
  includeArchived?: boolean;
}

export interface SearchResult<T> {
  /** The page asked for, best first. */
  items: T[];
  /** How many match (with `count`), at most SEARCH_CANDIDATES. */
  total: number;
  /** More than SEARCH_CANDIDATES match: only the first of them by name were ranked. */
  capped: boolean;
}

/** A search ranks at most this many matches (the first by name): a narrower query beats paging further. */
export const SEARCH_CANDIDATES = 100;
/** Exact handles and names looked up beside a crowd of matches (same handle on several creators, namesakes). */
const EXACT_MAX = 10;

const NAME_ORDER = { nameKey: 1, _id: 1 } as const;
/** Touchpoints kept on the record for the card. */
export const RECENT_ON_RECORD = 3;
const RESOLVE_CANDIDATES = 10;
/**
 * The write that changes what a creator's reach-out day follows (stage, own cadence, an import's
 * fields) unsets this and bumps `reachOut.rev` in the same write: until the follow-up sync writes
 * the day again, the creator is marked stale, so a failed or exhausted sync is repaired by the
 * next touchpoint (which then recomputes in full), a retyped command, or the next start's upgrade,
 * and a touchpoint planned from before the write misses its rev.
 */
const STALE_REACH_OUT = 'reachOut.ideal';

/** A reach-out write that lost a race is planned again from a fresh read; this many times at most. */
const REACH_OUT_ATTEMPTS = 5;
const REACH_OUT_BATCH = 1_000;
const CLEARABLE = ['email', 'phone', 'address', 'birthday', 'timezone', 'preferences', 'source', 'notes', 'cadence'] as const;
/** Personal data erased by `forget`; the name and handles too unless the name is kept. */
export const PERSONAL_FIELDS = ['email', 'phone', 'address', 'birthday', 'timezone', 'preferences', 'notes'] as const;
/** Stored in place of an erased value (touchpoint summaries, past changes): it says something was there, not what. */
export const ERASED = '(erased)';

export interface ForgetResult {
  record: Influencer;
  /** The fields that held a value and were erased. */
  erased: string[];
  touchpoints: number;
  changes: number;
}

/** Cleared to an empty list rather than removed. */
const LISTS = ['tags', 'handles'] as const;

/** One logged touchpoint, as the timeline shows it. */
export interface TouchpointEntry {
  _id: Types.ObjectId;
  kind: TouchpointKind;
  at: Date;
  byId: string;
  summary: string;
}

/** One recorded change of a creator: who did what, when, field by field. */
export interface HistoryEntry {
  at: Date;
  actorId: string;
  action: string;
  fields: FieldChange[];
}

/** One field's change, as recorded in the history: stored values, the presenter prints them. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What this service asks of the content's owning service when a creator's owner changes. */
export interface CreatorContent {
  followCreatorOwners(workspaceId: Types.ObjectId, creators: ReadonlyArray<{ influencerId: Types.ObjectId; ownerId: string }>): Promise<number>;
}

export class InfluencerService {
  constructor(
    private readonly influencers: InfluencerModel,
    private readonly touchpoints: TouchpointModel,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    /** Plans each creator's reach-out day (nurture), which this service writes after every write that moves it. */
    private readonly reachOut: ReachOutPlanner,
    /** The content's owning service: a creator's published items carry their owner and follow a change of it. */
    private readonly content: CreatorContent,
  ) {}

  async add(workspaceId: string, input: InfluencerInput, actorId: string): Promise<Influencer> {
    const wsId = new Types.ObjectId(workspaceId);
    const handles = uniqueHandles(input.handles);
    const doc = {
      ...input,
      workspaceId: wsId,
      handles,
      handleKeys: uniqueKeys(wsId, handles),
      nameKey: fold(input.name),
      ...searchFields({ ...input, handles }),
    };
    let created: Influencer;
    try {
      created = (await this.influencers.create(doc)).toObject() as Influencer;
    } catch (error) {
      throw await this.explainDuplicate(error, wsId, doc.handleKeys ?? [], undefined);
    }
    await this.record(wsId, created._id, 'create', actorId, diff({}, publicFields(created)));
    await this.syncReachOut([created]);
    return created;
  }

  /**
   * At start (idempotent): brings creators stored by an older version up to date, a bounded batch
   * at a time: search keys of an older SEARCH_VERSION, and the card's recent touchpoints. The
   * migrations plan the updates; this service, the collection's one writer, writes them. Returns
   * how many changed, for the start-up log.
   */
  async upgradeStored(): Promise<{ searchKeys: number; recentTouchpoints: number; reachOut: number }> {
    let searchKeys = 0;
    // The raw collection: `searchText`, no longer in the schema, would lose its $unset through mongoose.
    for await (const batch of searchKeyUpdates(this.influencers)) searchKeys += (await this.influencers.collection.bulkWrite(batch, { ordered: false })).modifiedCount;
    let recentTouchpoints = 0;
    for await (const batch of recentTouchpointUpdates(this.influencers, this.touchpoints, RECENT_ON_RECORD)) {
      recentTouchpoints += (await this.influencers.bulkWrite(batch, { ordered: false })).modifiedCount;
    }
    // Reach-out days, with a snooze of the current reminder carried over (each write conditional on the field still missing).
    let reachOut = 0;
    for await (const rows of this.reachOut.missing()) {
      const updates = await this.reachOut.plan(rows[0]!.workspaceId, rows, false);
      reachOut += updates.length - (await this.writeReachOut(updates)).length;
    }
    return { searchKeys, recentTouchpoints, reachOut };
  }

  /**
   * After a write to these creators (as that write left them, `reachOut.rev` included): their
   * reach-out days follow. Two round trips (the workspace's settings, the write) when nothing
   * raced; a write that missed (the creator or the settings changed meanwhile) is planned again
   * from a fresh read. See ReachOutPlanner for the fence.
   */
  async syncReachOut(records: ReadonlyArray<ReachOutRow>): Promise<void> {
    let rows = records;
    for (let attempt = 1; rows.length > 0; attempt += 1) {
      const missed = await this.writeReachOut(await this.reachOut.plan(rows[0]!.workspaceId, rows, false));
      if (missed.length === 0) return;
      if (attempt === REACH_OUT_ATTEMPTS) throw new Error(`reach-out days: ${missed.length} creator(s) kept changing over ${REACH_OUT_ATTEMPTS} attempts`);
      rows = await this.reachOut.rows(rows[0]!.workspaceId, missed);
    }
  }

  /** The same for creators known by id (an import's rows; a test that dated a creator by hand). */
  async syncReachOutOf(workspaceId: string | Types.ObjectId, ids: readonly Types.ObjectId[]): Promise<void> {
    const wsId = new Types.ObjectId(String(workspaceId));
    for (let i = 0; i < ids.length; i += REACH_OUT_BATCH) await this.syncReachOut(await this.reachOut.rows(wsId, ids.slice(i, i + REACH_OUT_BATCH)));
  }

  /**
   * After a workspace's settings changed (a stage's cadence: `stages`; the timezone: all): every
   * such creator's reach-out day is written again, a batch of 1,000 at a time (each write bumps
   * `rev`, the fence of a concurrent writer that read the old settings). Idempotent.
   */
  async resyncReachOut(workspaceId: string, stages?: readonly Stage[]): Promise<void> {
    const wsId = new Types.ObjectId(workspaceId);
    for await (const rows of this.reachOut.inWorkspace(wsId, stages)) {
      const missed = await this.writeReachOut(await this.reachOut.plan(wsId, rows, true));
      if (missed.length > 0) await this.syncReachOutOf(wsId, missed);
    }
  }

  /**
   * A creator whose reach-out day a write left stale (its follow-up sync failed: see
   * STALE_REACH_OUT) is synced again when a command finds nothing to change, so retyping repairs it.
   */
  private async repairReachOut(record: Influencer): Promise<void> {
    if (record.reachOut?.ideal === undefined) await this.syncReachOut([record]);
  }

  /**
   * A snooze or "done" of a creator's reach-out reminder (`cadence:<creator>:<since>`), recorded on
   * the creator while `since` is still its interval's (a later touchpoint starts a new one, shown again).
   */
  async hideReachOut(workspaceId: string, influencerId: string, since: string, until: string): Promise<void> {
    await this.influencers.updateOne(
      { _id: new Types.ObjectId(influencerId), workspaceId: new Types.ObjectId(workspaceId), 'reachOut.since': since },
      // The later day holds: a snooze never shortens a longer one, nor undoes a "done" (9999-12-31).
      { $max: { 'reachOut.hiddenUntil': until } },
      { timestamps: false },
    );
  }

  /** The creator's published items carry their current owner (see CreatorContent). */
  private async followOwner(record: Pick<Influencer, '_id' | 'workspaceId' | 'ownerId'>): Promise<void> {
    await this.content.followCreatorOwners(record.workspaceId, [{ influencerId: record._id, ownerId: record.ownerId }]);
  }

  /**
   * Snoozes or "done"s of creators' birthday reminders (`birthday:<creator>:<on>`), recorded on the
   * creator: an older occurrence never overwrites a newer one, and of the same occurrence the later
   * day holds (a snooze never shortens a longer one, nor undoes a "done", 9999-12-31). Returns how
   * many changed.
   */
  async hideBirthdays(items: ReadonlyArray<{ workspaceId: Types.ObjectId; influencerId: Types.ObjectId; on: string; until: string }>): Promise<number> {
    if (items.length === 0) return 0;
    // Two writes per item whose filters never both match: the same occurrence takes the later day
    // ($max: YYYY-MM-DD strings order as days); none or an older one is replaced.
    const result = await this.influencers.bulkWrite(
      items.flatMap((item) => [
        {
          updateOne: {
            filter: { _id: item.influencerId, workspaceId: item.workspaceId, 'birthdayHidden.on': item.on, 'birthdayHidden.until': { $not: { $gte: item.until } } },
            update: { $max: { 'birthdayHidden.until': item.until } },
          },
        },
        {
          updateOne: {
            filter: { _id: item.influencerId, workspaceId: item.workspaceId, 'birthdayHidden.on': { $not: { $gte: item.on } } },
            update: { $set: { birthdayHidden: { on: item.on, until: item.until } } },
          },
        },
      ]),
      { ordered: true, timestamps: false },
    );
    return result.modifiedCount;
  }

  /** Writes planned reach-out days (each only while its `rev` is unchanged); returns the creators whose write missed. */
  private async writeReachOut(updates: readonly ReachOutUpdate[]): Promise<Types.ObjectId[]> {
    if (updates.length === 0) return [];
    const result = await this.influencers.bulkWrite(
      updates.map((u) => ({
        updateOne: {
          filter: { _id: u.id, workspaceId: u.workspaceId, 'reachOut.rev': u.rev },
          update: {
            $set: { 'reachOut.day': u.day, 'reachOut.since': u.since, 'reachOut.ideal': u.ideal, 'reachOut.tz': u.tz, ...(u.hiddenUntil ? { 'reachOut.hiddenUntil': u.hiddenUntil } : {}) },
            $inc: { 'reachOut.rev': 1 },
            ...(u.hiddenUntil === null ? { $unset: { 'reachOut.hiddenUntil': 1 } } : {}),
          },
        },
      })),
      { ordered: false, timestamps: false },
    );
    // Which ones missed is not said per write: all are planned again, and those written already plan nothing.
    return result.matchedCount === updates.length ? [] : updates.map((u) => u.id);
  }

  /**
   * An import's creators, one chunk in one round trip (planned by CreatorImporter against what is
   * stored; each document has its id). Ordered, through the raw collection (the planned document
   * is written as it is): on an error those before it are in and the rest are not, and the
   * driver's error says which (`writeErrors[0].index`).
   */
  async insertImported(docs: ReadonlyArray<Record<string, unknown> & { _id: Types.ObjectId }>): Promise<void> {
    if (docs.length === 0) return;
    await this.afterImport(docs[0]!.workspaceId as Types.ObjectId, docs.map((d) => d._id), () => this.influencers.collection.insertMany([...docs], { ordered: true }));
  }

  /** An import's updates of existing creators, one chunk in one ordered bulk write (as `insertImported`). */
  async updateImported(workspaceId: Types.ObjectId, updates: ReadonlyArray<{ id: Types.ObjectId; $set: Record<string, unknown>; $unset: Record<string, 1> }>): Promise<void> {
    if (updates.length === 0) return;
    // A new owner takes the creator's published items along: those written, also before a write error.
    const follow = (written: typeof updates) =>
      this.content.followCreatorOwners(
        workspaceId,
        written.flatMap((u) => (typeof u.$set.ownerId === 'string' ? [{ influencerId: u.id, ownerId: u.$set.ownerId }] : [])),
      );
    await this.afterImport(workspaceId, updates.map((u) => u.id), async () => {
      try {
        await this.influencers.collection.bulkWrite(
          updates.map((w) => ({
            updateOne: {
              filter: { _id: w.id, workspaceId },
              // A new birthday is not hidden by a snooze of the old one.
              update: { $set: w.$set, $unset: { ...w.$unset, [STALE_REACH_OUT]: 1, ...('birthday' in w.$set || 'birthday' in w.$unset ? { birthdayHidden: 1 } : {}) }, $inc: { 'reachOut.rev': 1 } },
            },
          })),
          { ordered: true },
        );
      } catch (error) {
        const failedAt = (error as { writeErrors?: Array<{ index?: number }> }).writeErrors?.[0]?.index;
        if (failedAt !== undefined) await follow(updates.slice(0, failedAt)).catch(() => undefined);
        throw error;
      }
      await follow(updates);
    });
  }

  /** An import's write, then the reach-out days of its creators, also of those written before a write error (which is rethrown). */
  private async afterImport(workspaceId: Types.ObjectId, ids: readonly Types.ObjectId[], write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // Best effort here (the database may be what failed): the next start's upgrade writes any still missing.
      await this.syncReachOutOf(workspaceId, ids).catch(() => undefined);
      throw error;
    }
    await this.syncReachOutOf(workspaceId, ids);
  }

  /**
   * Case- and accent-insensitive search over name, handles, tags and stage, ranked (exact handle,
   * exact name, name prefix, word prefix, tag or stage; then by name) and paged. One query: the
   * first SEARCH_CANDIDATES matches in name order, read through the search index (equality on one
   * key per typed word, in the index's order), are ranked and paged on the server. Documents and
   * index keys read per request are bounded by SEARCH_CANDIDATES whatever the workspace's size.
   * Past that many matches `capped` says so and the ranking is that of the first ones by name,
   * except that exact handles and names are looked up on their own (a point read of at most
   * EXACT_MAX) and always come first: typing the whole handle finds it in any crowd.
   */
  async search(workspaceId: string, query: string, options: SearchOptions): Promise<SearchResult<InfluencerSummary>>;
  async search(workspaceId: string, query: string, options: SearchOptions & { full: true }): Promise<SearchResult<Influencer>>;
  async search(workspaceId: string, query: string, options: SearchOptions & { full?: boolean }): Promise<SearchResult<InfluencerSummary>> {
    const plan = searchPlan(query);
    if (!plan) return { items: [], total: 0, capped: false };
    const wsId = new Types.ObjectId(workspaceId);
    const scope = { workspaceId: wsId, ...(options.includeArchived ? {} : { archivedAt: null }) };
    const projection = options.full ? { searchKeys: 0, rank: 0 } : SUMMARY;
    const start = (options.page - 1) * options.pageSize;
    const ranked = async (exact: Array<{ _id: Types.ObjectId }>) => {
      const [found] = await this.influencers.aggregate<{ items: InfluencerSummary[]; total: Array<{ n: number }> }>([
        { $match: { ...scope, ...plan.match, ...(exact.length > 0 ? { _id: { $nin: exact.map((doc) => doc._id) } } : {}) } },
        { $sort: NAME_ORDER },
        // One more than is ever ranked, to know there are more.
        { $limit: SEARCH_CANDIDATES + 1 - exact.length },
        { $addFields: { rank: plan.rank } },
        { $sort: { rank: 1, ...NAME_ORDER } },
        {
          $facet: {
            items: [
              { $limit: SEARCH_CANDIDATES - exact.length },
              // The exact matches fill the first places of the ranking; this page takes what follows them.
              { $skip: Math.max(0, start - exact.length) },
              { $limit: Math.max(1, options.pageSize - Math.max(0, Math.min(exact.length - start, options.pageSize))) },
              { $project: projection },
            ],
            total: [{ $count: 'n' }],
          },
        },
      ]);
      const onPage = exact.slice(start, start + options.pageSize);
      const items = [...onPage, ...(found?.items ?? [])].slice(0, options.pageSize) as InfluencerSummary[];
      return { items, matches: (found?.total[0]?.n ?? 0) + exact.length };
    };
    let { items, matches } = await ranked([]);
    if (matches > SEARCH_CANDIDATES) {
      // A crowd: the first SEARCH_CANDIDATES by name may have left out an exact handle or name.
      const exact = await this.influencers.aggregate<InfluencerSummary & { _id: Types.ObjectId }>([
        { $match: { ...scope, ...plan.exact } },
        { $sort: NAME_ORDER },
        { $limit: EXACT_MAX },
        { $addFields: { rank: plan.rank } },
        { $sort: { rank: 1, ...NAME_ORDER } },
        { $project: projection },
      ]);
      if (exact.length > 0) ({ items, matches } = await ranked(exact));
    }
    return { items, total: Math.min(matches, SEARCH_CANDIDATES), capped: matches > SEARCH_CANDIDATES };
  }

  /**
   * Discord's autocomplete, on every keystroke: the best matches of what is typed through the same
   * index as search (no count), or the first creators by name when nothing is typed yet.
   */
  async suggest(workspaceId: string, typed: string, limit: number): Promise<InfluencerSummary[]> {
    if (searchPlan(typed)) return (await this.search(workspaceId, typed, { page: 1, pageSize: limit })).items;
    return this.influencers
      .find({ workspaceId: new Types.ObjectId(workspaceId), archivedAt: null }, SUMMARY)
      .sort({ nameKey: 1, _id: 1 })
      .limit(limit)
      .lean<InfluencerSummary[]>();
  }

  /**
   * `who` is an id, a handle (`@zoe.creates`) or a name. Exact matches win over partial ones;
   * several equally good matches become a list of candidates to pick from.
   */
  async resolve(workspaceId: string, who: string, options: { includeArchived?: boolean } = {}): Promise<Influencer> {
    const wsId = new Types.ObjectId(workspaceId);
    const trimmed = who.trim();
    if (/^[a-f0-9]{24}$/i.test(trimmed)) {
      const byId = await this.influencers.findOne({ _id: new Types.ObjectId(trimmed), workspaceId: wsId }).lean<Influencer>();
      if (byId) return this.visible(byId, options);
    }
    const folded = fold(trimmed);
    const handle = normalizeHandle(trimmed);
    if (trimmed.startsWith('@')) {
      const byHandle = await this.withHandle(workspaceId, trimmed, options);
      if (byHandle.length === 1) return byHandle[0]!;
      if (byHandle.length > 1) throw several(trimmed, byHandle);
    }
    const scope = { workspaceId: wsId, ...(options.includeArchived ? {} : { archivedAt: null }) };
    const candidates = (filter: object) =>
      this.influencers.find({ ...scope, ...filter }).sort({ nameKey: 1 }).limit(RESOLVE_CANDIDATES).lean<Influencer[]>();
    // Exact name or handle first (indexed), so partial matches never crowd an exact one out of the
    // candidates (`@creator4` also matches creator40..creator49); the partial search only on a miss.
    const exact = await candidates({ $or: [{ nameKey: folded }, { 'handles.handle': handle }] });
    const best =
      exact.length > 0
        ? exact
        : (await this.search(workspaceId, trimmed, { page: 1, pageSize: RESOLVE_CANDIDATES, includeArchived: options.includeArchived, full: true })).items;
    if (best.length === 1) return best[0]!;
    if (best.length === 0) {
      if (!options.includeArchived) await this.refuseArchived(wsId, trimmed, folded, handle);
      throw refuse('influencer.not-found', { typed: trimmed });
    }
    throw several(trimmed, best);
  }

  /** Archived creators are never candidates, but a miss that only they match says so, and how to bring them back. */
  private async refuseArchived(wsId: Types.ObjectId, typed: string, folded: string, handle: string): Promise<void> {
    const archived = await this.influencers
      .find({ workspaceId: wsId, archivedAt: { $ne: null }, $or: [{ nameKey: folded }, { 'handles.handle': handle }] })
      .sort({ nameKey: 1 })
      .limit(RESOLVE_CANDIDATES)
      .lean<Influencer[]>();
    if (archived.length === 0) return;
    throw refuse('influencer.archived-match', { typed, creators: archived.map(creatorRef) });
  }

  /**
   * The creators with exactly this handle (`@zoe.creates`), on any network: the unique handle keys,
   * one index lookup per network (several when networks share a handle).
   */
  async withHandle(workspaceId: string, typed: string, options: { includeArchived?: boolean } = {}): Promise<Influencer[]> {
    const handle = normalizeHandle(typed);
    if (!handle) return [];
    const wsId = new Types.ObjectId(workspaceId);
    const keys = NETWORKS.map((network) => uniqueKeys(wsId, [{ network, handle }])![0]!);
    // The keys carry the workspace already; it is named too, as in every query.
    const found = await this.influencers.find({ workspaceId: wsId, handleKeys: { $in: keys } }).sort({ nameKey: 1 }).limit(RESOLVE_CANDIDATES).lean<Influencer[]>();
    return found.filter((record) => options.includeArchived || !record.archivedAt);
  }

  /**
   * `before` is the record as resolved for this command: edits are applied against it in one write.
   * Returns the changes field by field; when there are none, nothing is written or recorded.
   */
  async edit(before: Influencer, patch: InfluencerPatch, actorId: string): Promise<{ record: Influencer; changes: FieldChange[] }> {
    const { _id: id, workspaceId: wsId } = before;
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value !== null) $set[key] = value;
      else if ((LISTS as readonly string[]).includes(key)) $set[key] = [];
      else if ((CLEARABLE as readonly string[]).includes(key)) $unset[key] = 1;
      else throw refuse('influencer.required', { field: key });
    }
    const next = { ...before, ...$set } as Influencer;
    for (const key of Object.keys($unset)) delete (next as Record<string, unknown>)[key];
    if ($set.handles) {
      next.handles = uniqueHandles($set.handles as Handle[]) as Influencer['handles'];
      $set.handles = next.handles;
      const keys = uniqueKeys(wsId, next.handles as Handle[]);
      if (keys) $set.handleKeys = keys;
      else $unset.handleKeys = 1;
    }
    const changes = diff(publicFields(before), publicFields(next));
    if (changes.length === 0) {
      await this.repairReachOut(before);
      // Retyping an owner change cut short finishes it: the published items follow (none written when in step).
      if (patch.ownerId) await this.followOwner(before);
      return { record: before, changes };
    }
    $set.nameKey = fold(next.name);
    Object.assign($set, searchFields(next as Searchable));
    // A snooze of the old birthday does not hide the new one.
    if (changes.some((c) => c.field === 'birthday')) $unset.birthdayHidden = 1;
    const movesReachOut = changes.some((c) => c.field === 'stage' || c.field === 'cadence');
    if (movesReachOut) $unset[STALE_REACH_OUT] = 1;
    let after: Influencer;
    try {
      after = await this.influencers
        .findOneAndUpdate(
          { _id: id, workspaceId: wsId },
          { $set, ...(Object.keys($unset).length ? { $unset } : {}), ...(movesReachOut ? { $inc: { 'reachOut.rev': 1 } } : {}) },
          { returnDocument: 'after' },
        )
        .lean<Influencer>()
        .orFail();
    } catch (error) {
      throw await this.explainDuplicate(error, wsId, ($set.handleKeys as string[] | undefined) ?? [], id);
    }
    const changed = diff(publicFields(before), publicFields(after));
    if (changed.length > 0) await this.record(wsId, id, 'edit', actorId, changed);
    if (changed.some((c) => c.field === 'stage' || c.field === 'cadence')) await this.syncReachOut([after]);
    if (patch.ownerId) await this.followOwner(after);
    return { record: after, changes: changed };
  }

  async setStage(before: Influencer, stage: Stage, actorId: string): Promise<Influencer> {
    if (before.stage === stage) {
      await this.repairReachOut(before);
      return before;
    }
    const after = await this.influencers
      .findOneAndUpdate(
        { _id: before._id, workspaceId: before.workspaceId },
        { $set: { stage, ...searchFields({ ...before, stage } as Searchable) }, $unset: { [STALE_REACH_OUT]: 1 }, $inc: { 'reachOut.rev': 1 } },
        { returnDocument: 'after' },
      )
      .lean<Influencer>()
      .orFail();
    await this.record(before.workspaceId, before._id, 'stage', actorId, [{ field: 'stage', from: before.stage, to: stage }]);
    await this.syncReachOut([after]);
    return after;
  }

  async archive(record: Influencer, actorId: string): Promise<Influencer> {
    return this.setArchived(record, this.clock(), actorId);
  }

  async restore(record: Influencer, actorId: string): Promise<Influencer> {
    return this.setArchived(record, null, actorId);
  }

  async list(
    workspaceId: string,
    options: { stage?: Stage; ownerId?: string; archived?: boolean; page: number; pageSize: number },
  ): Promise<{ items: InfluencerSummary[]; total: number }> {
    const filter = {
      workspaceId: new Types.ObjectId(workspaceId),
      archivedAt: options.archived ? { $ne: null } : null,
      ...(options.stage ? { stage: options.stage } : {}),
      ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    };
    const [items, total] = await Promise.all([
      this.influencers
        .find(filter, SUMMARY)
        .sort({ nameKey: 1, _id: 1 })
        .skip((options.page - 1) * options.pageSize)
        .limit(options.pageSize)
        .lean<InfluencerSummary[]>(),
      this.influencers.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** Records the touchpoint and moves `lastContact` forward (never back, for touchpoints logged late). */
  async logTouchpoint(record: Influencer, input: TouchpointInput, actorId: string): Promise<Influencer> {
    const { _id: id, workspaceId: wsId } = record;
    const at = input.at ?? this.clock();
    const created = await this.touchpoints.create({ workspaceId: wsId, influencerId: id, kind: input.kind, summary: input.summary, at, byId: actorId });
    // The card's last three ride on the record (kept sorted and capped by the same write), so the
    // card costs no extra round trip; the full timeline reads the touchpoints collection.
    const recent = { $push: { recentTouchpoints: { $each: [{ _id: created._id, kind: input.kind, summary: input.summary, at, byId: actorId }], $sort: { at: -1 }, $slice: RECENT_ON_RECORD } } };
    const newer = !record.lastContact?.at || record.lastContact.at <= at;
    const contact = { lastContact: { at, kind: input.kind, byId: actorId } };
    const update = (filter: object, change: object = {}) =>
      this.influencers.findOneAndUpdate({ _id: id, workspaceId: wsId, ...filter }, { ...recent, ...change }, { returnDocument: 'after' }).lean<Influencer>();
    // lastContact moves forward only (never back, for touchpoints logged late); a newer one logged
    // meanwhile by someone else makes the guarded write miss, and the list is updated alone.
    const isNewest = { $or: [{ 'lastContact.at': { $lte: at } }, { lastContact: null }] };
    if (newer) {
      // The new interval's reach-out day in the same write, while the stored ideal and timezone hold (rev unchanged).
      const moved = reachOutAfterTouchpoint(record.reachOut, at);
      if (moved) {
        const updated = await update(
          { ...isNewest, 'reachOut.rev': moved.rev },
          {
            $set: { ...contact, 'reachOut.since': moved.since, 'reachOut.day': moved.day },
            $inc: { 'reachOut.rev': 1 },
            ...(moved.newInterval ? { $unset: { 'reachOut.hiddenUntil': 1 } } : {}),
          },
        );
        if (updated) return updated;
      }
      const updated = await update(isNewest, { $set: contact });
      if (updated) {
        await this.syncReachOut([updated]);
        return updated;
      }
    }
    return (await update({})) ?? record;
  }

  /** Newest first; the same touchpoint order for the card's last three and the paged timeline. */
  async touchpointPage(record: Influencer, options: { page: number; pageSize: number }): Promise<{ items: TouchpointEntry[]; total: number }> {
    const filter = { workspaceId: record.workspaceId, influencerId: record._id };
    const [items, total] = await Promise.all([
      this.touchpoints
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip((options.page - 1) * options.pageSize)
        .limit(options.pageSize)
        .lean<TouchpointEntry[]>(),
      this.touchpoints.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** One page of a creator's changes, newest first, and how many in all: its own and those about it (its content pieces edited or removed). */
  async history(record: Influencer, page: { page: number; pageSize: number }): Promise<{ items: HistoryEntry[]; total: number }> {
    return this.audit.page(record.workspaceId, record._id, { includeAbout: true, ...page });
  }

  /**
   * Right to be forgotten: erases the creator's personal data from the record, every touchpoint
   * summary and every past change of the record (the values, not the fact that a field changed).
   * Without `replacementName` the name and handles go too. Money records keep their amounts; the
   * record is archived, and a `forget` change says who did it and when, without the values.
   * Each step is idempotent, so a run that failed part-way is finished by running it again.
   */
  async forget(before: Influencer, options: { replacementName?: string }, actorId: string): Promise<ForgetResult> {
    const { _id: id, workspaceId: wsId } = before;
    const dropName = options.replacementName !== undefined;
    const fields: string[] = [...PERSONAL_FIELDS, ...(dropName ? ['name', 'handles'] : [])];
    const erased = fields.filter((field) => !isEmpty(before[field as keyof Influencer] ?? null) && (field !== 'name' || before.name !== options.replacementName));
    const next = { ...before, ...(dropName ? { name: options.replacementName!, handles: [] } : {}) } as Influencer;
    const $unset: Record<string, 1> = Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, 1 as const]));
    if (dropName) $unset.handleKeys = 1;
    // The card's copy of the last touchpoints holds summaries too: emptied (not removed, so the
    // start-up migration does not copy the erased summaries back).
    const $set: Record<string, unknown> = { recentTouchpoints: [], nameKey: fold(next.name), ...searchFields(next as Searchable), ...(dropName ? { name: next.name, handles: [] } : {}) };
    if (!before.archivedAt) $set.archivedAt = this.clock();
    const after = await this.influencers
      .findOneAndUpdate({ _id: id, workspaceId: wsId }, { $set, $unset }, { returnDocument: 'after' })
      .lean<Influencer>()
      .orFail();
    const touchpoints = await this.touchpoints.updateMany({ workspaceId: wsId, influencerId: id, summary: { $ne: ERASED } }, { $set: { summary: ERASED } });
    const rewritten = await this.audit.erase(wsId, id, fields, blank);
    await this.record(wsId, id, 'forget', actorId, [
      ...fields.map((field) => ({ field, from: erased.includes(field) ? ERASED : null, to: field === 'name' ? next.name : null })),
      ...(before.archivedAt ? [] : [{ field: 'archivedAt', from: null, to: $set.archivedAt }]),
    ]);
    return { record: after, erased, touchpoints: touchpoints.modifiedCount, changes: rewritten };
  }

  private async setArchived(before: Influencer, archivedAt: Date | null, actorId: string): Promise<Influencer> {
    if (Boolean(before.archivedAt) === Boolean(archivedAt)) return before;
    const update = archivedAt ? { $set: { archivedAt } } : { $unset: { archivedAt: 1 as const } };
    await this.influencers.updateOne({ _id: before._id, workspaceId: before.workspaceId }, update);
    await this.record(before.workspaceId, before._id, archivedAt ? 'archive' : 'restore', actorId, [
      { field: 'archivedAt', from: before.archivedAt ?? null, to: archivedAt },
    ]);
    return { ...before, archivedAt } as Influencer;
  }

  private visible(record: Influencer, options: { includeArchived?: boolean }): Influencer {
    if (record.archivedAt && !options.includeArchived) {
      throw refuse('influencer.archived', { name: record.name, id: String(record._id) });
    }
    return record;
  }

  private async record(
    workspaceId: Types.ObjectId,
    entityId: Types.ObjectId,
    action: string,
    actorId: string,
    fields: FieldChange[],
  ) {
    await this.audit.record({ workspaceId, entity: 'influencer', entityId, action, actorId, fields });
  }

  /** Turns a duplicate-key error on the handle index into a message naming the record that has it. */
  private async explainDuplicate(error: unknown, workspaceId: Types.ObjectId, keys: string[], self?: Types.ObjectId) {
    if ((error as { code?: number }).code !== 11000 || keys.length === 0) return error;
    const existing = await this.influencers
      .findOne({ workspaceId, handleKeys: { $in: keys }, ...(self ? { _id: { $ne: self } } : {}) })
      .lean<Influencer>();
    if (!existing) return error;
    const taken = (existing.handleKeys ?? []).filter((k) => keys.includes(k)).map((k) => k.split('/')[1]!.replace(':', ' @'));
    return refuse('influencer.handle-taken', { handles: taken, owner: creatorRef(existing) });
  }
}

/** What a refusal says about a creator: enough to tell them apart and to name them in a command. */
const creatorRef = (record: Pick<Influencer, '_id' | 'name' | 'handles' | 'archivedAt'>): CreatorRef => ({
  name: record.name,
  id: String(record._id),
  archived: !!record.archivedAt,
  ...(record.handles[0] ? { handle: record.handles[0].handle } : {}),
});

const several = (typed: string, found: readonly Influencer[]) => refuse('influencer.ambiguous', { typed, creators: found.map(creatorRef) });

/** Index keys carry the workspace so one sparse unique index covers every workspace. */
export function uniqueKeys(workspaceId: Types.ObjectId, handles: Handle[]): string[] | undefined {
  return handles.length > 0 ? handles.map((h) => `${String(workspaceId)}/${handleKey(h)}`) : undefined;
}

export function uniqueHandles(handles: Handle[]): Handle[] {
  const seen = new Map<string, Handle>();
  for (const h of handles) seen.set(handleKey(h), { ...h, handle: normalizeHandle(h.handle) });
  return [...seen.values()];
}

const AUDITED = ['name', 'handles', 'email', 'phone', 'address', 'birthday', 'timezone', 'tags', 'preferences', 'ownerId', 'stage', 'source', 'notes', 'cadence'] as const;

export function publicFields(record: Partial<Influencer>): Record<string, unknown> {
  return Object.fromEntries(AUDITED.map((key) => [key, record[key] ?? null]));
}

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to) && !(isEmpty(from) && isEmpty(to))) changes.push({ field: key, from, to });
  }
  return changes;
}

/** An erased value: absent stays absent, anything else becomes the marker. */
const blank = (value: unknown) => (value === null || value === undefined || (Array.isArray(value) && value.length === 0) ? null : ERASED);

const isEmpty = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);
