import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import { refuse, type CollaborationProblem, type DomainErrors } from '../errors';
import type { CollabStatus, CollabType, ContentType, Goal, PaymentSchedule, ContentCadence } from '../../core/vocabulary';
import type { AuditTrail } from '../audit/audit-trail';
import type { ContentDoc, ContentModel } from '../content/content.model';
import type { ContentService } from '../content/content.service';
import { fold } from '../fold';
import type { InfluencerModel } from '../influencer/influencer.model';
import { lookupInWorkspace } from '../joins';
import { rebaseWrites } from '../rebase';
import type { Influencer, InfluencerService } from '../influencer/influencer.service';
import { normalizeHandle } from '../influencer/influencer-rules';
import { costBasis, efficiencies, revenueByMonth, type CostBasis, type CostPayment, type Efficiency } from './cost-rules';
import { deliveredVsExpected, expectedIn, type ExpectedContent, type Progress } from '../content/checklist-rules';
import { totalMetrics, type MetricTotals } from '../metrics/metrics-rules';
import { localDay, localMonth, monthBounds } from '../../core/calendar';
import type { CollaborationDoc, CollaborationModel } from './collaboration.model';
import { monthProgress } from '../report/report-rules';
import type { PlannedEdit } from './collaboration-edit-rules';
import { titleKeyUpdates, titleMatch, titleSearchFields } from './collaboration-search';

export type Collaboration = CollaborationDoc;
export type ContentItem = ContentDoc;

/** What a service needs to know about the workspace: its id and its timezone ("this month"). */
export interface WorkspaceRef {
  id: string;
  timezone: string;
}

export interface Brief {
  guidelines?: string;
  keyMessages?: string;
  callToAction?: string;
  mustMention?: string;
  mustAvoid?: string;
}

export const BRIEF_FIELDS = ['guidelines', 'keyMessages', 'callToAction', 'mustMention', 'mustAvoid'] as const;

export interface CompensationInput {
  /** Minor units of `currency`. */
  feeMinor?: number;
  currency: string;
  schedule?: PaymentSchedule;
  netDays?: number;
  commissionPct?: number;
  productOnly?: boolean;
}

export interface CollaborationInput {
  title: string;
  type: CollabType;
  goal: Goal;
  ownerId: string;
  /** Start of the first day in the workspace timezone. */
  start: Date;
  /** Start of the last day (included); undefined = ongoing. */
  end?: Date;
  brief: Brief;
  expectedPerMonth: ExpectedContent[];
  /** Unset: monthly. */
  contentCadence?: ContentCadence;
  compensation: CompensationInput;
  discountCode?: string;
  trackingLink?: string;
  reportingDay?: number;
}

/** Where a collaboration's payments are (the payments service): looked up with it for its cost. */
export interface PaymentRecords {
  readonly collectionName: string;
}

export interface Summary {
  month: string;
  /** `so far`: results and cost since the start, progress this month; `month`: everything of `month` alone. */
  scope: 'so far' | 'month';
  progress: Progress[];
  totals: MetricTotals;
  delivered: number;
  /** Committed and paid, per currency (the one cost basis, src/domain/collaboration/cost-rules.ts). */
  cost: CostBasis;
  /** The goal's efficiency on committed cost, one per currency of it. */
  efficiency: Efficiency[];
}

/** What a line of /collab list shows of a collaboration (and what its month's progress needs: a one-off's content is expected in its start month only). */
const LISTED = { workspaceId: 1, influencerId: 1, title: 1, goal: 1, status: 1, ownerId: 1, expectedPerMonth: 1, contentCadence: 1, start: 1, end: 1 } as const;
export type ListedFields = Pick<Collaboration, '_id' | keyof typeof LISTED>;

/** One recorded change: stored values, the presenter prints them. */
export interface CollaborationChange {
  at: Date;
  actorId: string;
  action: string;
  fields: Array<{ field: string; from: unknown; to: unknown }>;
}

export interface ListedCollaboration {
  collaboration: ListedFields;
  influencer?: Pick<Influencer, '_id' | 'name' | 'handles'>;
  progress: Progress[];
}

const CANDIDATES = 10;

/** One autocomplete choice: enough to name the collaboration. */
export interface CollabSuggestion {
  _id: Types.ObjectId;
  title: string;
  status: CollabStatus;
  influencerId: Types.ObjectId;
  influencerName?: string;
}

export class CollaborationService {
  constructor(
    private readonly collaborations: CollaborationModel,
    private readonly contents: ContentModel,
    private readonly influencerRecords: InfluencerModel,
    private readonly influencers: InfluencerService,
    private readonly content: ContentService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly paymentRecords?: PaymentRecords,
  ) {}

  /** At start (idempotent): title keys for collaborations stored before them (titleKeyUpdates plans, this writes). Returns how many changed. */
  async upgradeStored(): Promise<number> {
    let changed = 0;
    for await (const batch of titleKeyUpdates(this.collaborations)) changed += (await this.collaborations.collection.bulkWrite(batch, { ordered: false })).modifiedCount;
    return changed;
  }

  /** After a timezone change: start and end days stay on their calendar days (stored as each day's start). */
  async rebaseTimezone(workspaceId: string, from: string, to: string): Promise<number> {
    const wsId = new Types.ObjectId(workspaceId);
    const docs = await this.collaborations.find({ workspaceId: wsId }, { start: 1, end: 1 }).lean<Array<{ _id: Types.ObjectId; start: Date; end?: Date }>>();
    const writes = rebaseWrites(docs, [{ name: 'start', time: '00:00' }, { name: 'end', time: '00:00' }], { workspaceId: wsId, from, to });
    if (writes.length > 0) await this.collaborations.bulkWrite(writes, { ordered: false });
    return writes.length;
  }

  /**
   * Stores a new collaboration and records it (CollaborationStart plans its checklist, the
   * creator's stage and its payments around this). Everything is checked before the write.
   */
  async create(workspace: WorkspaceRef, influencer: Influencer, input: CollaborationInput, actorId: string): Promise<Collaboration> {
    validate(input, workspace.timezone);
    const wsId = new Types.ObjectId(workspace.id);
    if (!influencer.workspaceId.equals(wsId)) throw refuse('collaboration.creator-elsewhere', {});
    const created = (
      await this.collaborations.create({
        ...input,
        contentCadence: input.contentCadence ?? 'monthly',
        workspaceId: wsId,
        influencerId: influencer._id,
        ...titleSearchFields(input.title),
        brief: compact(input.brief),
        compensation: compact(input.compensation),
        status: 'active',
      })
    ).toObject() as Collaboration;
    await this.record(created, 'create', actorId, [
      { field: 'title', from: null, to: created.title },
      { field: 'influencerId', from: null, to: String(influencer._id) },
      { field: 'goal', from: null, to: created.goal },
    ]);
    return created;
  }

  /**
   * Plans `month` (`YYYY-MM`, default: this month in the workspace timezone) for every active
   * collaboration of the workspace that runs in it. Idempotent: each planned slot is stored once
   * (a unique index), so calling it again, late, or from two replicas never duplicates an item,
   * and a slot someone cancelled stays cancelled. The scheduler calls it at each month start.
   */
  async planMonth(workspace: WorkspaceRef, month = localMonth(this.clock(), workspace.timezone)): Promise<{ collaborations: number; planned: number }> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`planMonth: month must be YYYY-MM, got ${month}`);
    const { start, end } = monthBounds(month, workspace.timezone);
    const running = await this.collaborations
      .find({
        workspaceId: new Types.ObjectId(workspace.id),
        status: 'active',
        start: { $lt: end },
        $or: [{ end: null }, { end: { $gte: start } }],
      })
      .lean<Collaboration[]>();
    const planned = await this.content.planChecklist(workspace.id, running, month, workspace.timezone, { readFirst: true });
    return { collaborations: running.length, planned };
  }

  /**
   * `ref` is an id, a title (case and accents ignored) or a creator's name or handle when they
   * have one active collaboration. Several equally good matches become candidates to pick from.
   */
  async resolve(workspaceId: string, ref: string): Promise<Collaboration> {
    const wsId = new Types.ObjectId(workspaceId);
    const trimmed = ref.trim();
    if (/^[a-f0-9]{24}$/i.test(trimmed)) {
      const byId = await this.collaborations.findOne({ _id: new Types.ObjectId(trimmed), workspaceId: wsId }).lean<Collaboration>();
      if (byId) return byId;
    }
    const folded = fold(trimmed);
    const byTitle = await this.collaborations.find({ workspaceId: wsId, titleKey: folded }).sort({ start: -1 }).limit(CANDIDATES).lean<Collaboration[]>();
    const activeByTitle = byTitle.filter((c) => c.status === 'active');
    const titled = activeByTitle.length > 0 ? activeByTitle : byTitle;
    if (titled.length === 1) return titled[0]!;
    if (titled.length > 1) throw await this.candidates({ kind: 'called', typed: trimmed }, titled);

    // A creator (exact name or handle first, then part of a name) with one active collaboration.
    const handle = normalizeHandle(trimmed);
    const peopleWhere = (filter: object) =>
      this.influencerRecords.find({ workspaceId: wsId, archivedAt: null, ...filter }).select({ name: 1, nameKey: 1, handles: 1 }).limit(CANDIDATES).lean<Influencer[]>();
    // Exact first, so partial matches (`@creator4` also matches creator40..49) never crowd it out.
    const exactPeople = await peopleWhere({ $or: [{ nameKey: folded }, { 'handles.handle': handle }] });
    if (exactPeople.length > 0) return this.onlyActiveOf(wsId, exactPeople, trimmed);
    const people = (await this.influencers.search(workspaceId, trimmed, { page: 1, pageSize: CANDIDATES, includeArchived: true })).items;

    // Words of a title (each the start of a title word), or part of a creator's name: one active collaboration among them, or candidates.
    const [partial, ofPeople] = await Promise.all([
      this.byTitleWords(wsId, trimmed, CANDIDATES),
      people.length
        ? this.collaborations
            .find({ workspaceId: wsId, influencerId: { $in: people.map((p) => p._id) }, status: 'active' })
            .sort({ start: -1 })
            .limit(CANDIDATES)
            .lean<Collaboration[]>()
        : Promise.resolve([]),
    ]);
    const seen = new Set<string>();
    const found = [...partial.filter((c) => c.status === 'active'), ...ofPeople].filter((c) => !seen.has(String(c._id)) && seen.add(String(c._id)));
    const best = found.length > 0 ? found : partial;
    if (best.length === 1) return best[0]!;
    if (best.length > 1) throw await this.candidates({ kind: 'match', typed: trimmed }, best);
    if (people.length > 0) return this.onlyActiveOf(wsId, people, trimmed);
    throw refuse('collaboration.not-found', { typed: trimmed });
  }

  /** Collaborations whose title has a word starting with each typed word, newest first: the title index, no regex. */
  private async byTitleWords(wsId: Types.ObjectId, typed: string, limit: number): Promise<Collaboration[]> {
    const match = titleMatch(typed);
    if (!match) return [];
    return this.collaborations.find({ workspaceId: wsId, ...match }).sort({ start: -1, _id: -1 }).limit(limit).lean<Collaboration[]>();
  }

  /**
   * Discord's autocomplete for a collaboration, on every keystroke: those whose title has words
   * starting with what is typed, then those of the creators it finds (the creators' search), each
   * with its creator's name; nothing typed: the first by status, newest first. Every read is an
   * index read of at most `limit` (three round trips when something is typed, two of them at once).
   */
  async suggest(workspaceId: string, typed: string, limit: number): Promise<CollabSuggestion[]> {
    const wsId = new Types.ObjectId(workspaceId);
    const named = (filter: object, sort: Record<string, 1 | -1>) =>
      this.collaborations.aggregate<CollabSuggestion>([
        { $match: { workspaceId: wsId, ...filter } },
        { $sort: sort },
        { $limit: limit },
        { $project: { workspaceId: 1, influencerId: 1, title: 1, status: 1 } },
        ...lookupInWorkspace(this.influencerRecords.collection.collectionName, 'influencerId', '_id', 'creator'),
        { $project: { title: 1, status: 1, influencerId: 1, influencerName: { $arrayElemAt: ['$creator.name', 0] } } },
      ]);
    const match = titleMatch(typed);
    if (!match) return named({}, { status: 1, start: -1, _id: -1 });
    const [titled, people] = await Promise.all([
      named(match, { start: -1, _id: -1 }),
      this.influencers.search(workspaceId, typed, { page: 1, pageSize: limit, includeArchived: true }),
    ]);
    const names = new Map(people.items.map((person) => [String(person._id), person.name]));
    const theirs = names.size
      ? await this.collaborations
          .find({ workspaceId: wsId, influencerId: { $in: people.items.map((person) => person._id) } }, { title: 1, status: 1, influencerId: 1 })
          .sort({ status: 1, start: -1, _id: -1 })
          .limit(limit)
          .lean<Array<Omit<CollabSuggestion, 'influencerName'>>>()
      : [];
    const seen = new Set<string>();
    return [...titled, ...theirs.map((c) => ({ ...c, influencerName: names.get(String(c.influencerId)) }))]
      .filter((c) => !seen.has(String(c._id)) && seen.add(String(c._id)))
      .slice(0, limit);
  }

  /** The one active collaboration of these creators; several -> candidates; none -> how to start one. */
  private async onlyActiveOf(wsId: Types.ObjectId, people: ReadonlyArray<Pick<Influencer, '_id' | 'name' | 'handles'>>, typed: string): Promise<Collaboration> {
    const theirs = await this.collaborations
      .find({ workspaceId: wsId, influencerId: { $in: people.map((p) => p._id) }, status: 'active' })
      .sort({ start: -1 })
      .limit(CANDIDATES)
      .lean<Collaboration[]>();
    if (theirs.length === 1) return theirs[0]!;
    const named = people.length === 1 ? { name: people[0]!.name } : {};
    if (theirs.length > 1) throw await this.candidates({ kind: 'active', typed, count: theirs.length, ...named }, theirs);
    throw refuse('collaboration.none-active', { typed, ...named });
  }

  /** Exact matches only: the collaboration with this id, or those with this title (case and accents ignored). */
  async byIdOrTitle(workspaceId: string, ref: string): Promise<Collaboration[]> {
    const wsId = new Types.ObjectId(workspaceId);
    const trimmed = ref.trim();
    if (/^[a-f0-9]{24}$/i.test(trimmed)) {
      const byId = await this.collaborations.findOne({ _id: new Types.ObjectId(trimmed), workspaceId: wsId }).lean<Collaboration>();
      if (byId) return [byId];
    }
    return this.collaborations.find({ workspaceId: wsId, titleKey: fold(trimmed) }).sort({ start: -1 }).limit(CANDIDATES).lean<Collaboration[]>();
  }

  async get(workspaceId: string, id: Types.ObjectId | string): Promise<Collaboration | null> {
    return this.collaborations.findOne({ _id: new Types.ObjectId(String(id)), workspaceId: new Types.ObjectId(workspaceId) }).lean<Collaboration>();
  }

  /** The collaborations of a workspace (optionally one creator's), each with this month's progress. */
  async list(
    workspace: WorkspaceRef,
    options: { status: CollabStatus | 'all'; influencerId?: Types.ObjectId; limit?: number },
  ): Promise<{ items: ListedCollaboration[]; total: number }> {
    const wsId = new Types.ObjectId(workspace.id);
    const filter = {
      workspaceId: wsId,
      ...(options.status === 'all' ? {} : { status: options.status }),
      ...(options.influencerId ? { influencerId: options.influencerId } : {}),
    };
    const month = localMonth(this.clock(), workspace.timezone);
    // Two round trips: the count, and the page with each creator and this month's items ($lookup).
    const [found, total] = await Promise.all([
      this.collaborations.aggregate<ListedFields & { creator: Influencer[]; items: ContentItem[] }>([
        { $match: filter },
        { $sort: { status: 1, start: -1, _id: -1 } },
        { $limit: options.limit ?? 25 },
        { $project: LISTED },
        // A line needs the creator's name and handles, and of each item what the month's progress counts.
        ...lookupInWorkspace(this.influencerRecords.collection.collectionName, 'influencerId', '_id', 'creator', ['_id', 'name', 'handles']),
        ...lookupInWorkspace(this.contents.collection.collectionName, '_id', 'collaborationId', 'items', ['month', 'type', 'status', 'planned']),
        { $addFields: { items: { $filter: { input: '$items', as: 'item', cond: { $eq: ['$$item.month', month] } } } } },
      ]),
      this.collaborations.countDocuments(filter),
    ]);
    return {
      total,
      items: found.map(({ creator, items, ...collaboration }) => ({
        collaboration,
        ...(creator[0] ? { influencer: { _id: creator[0]._id, name: creator[0].name, handles: creator[0].handles } } : {}),
        progress: deliveredVsExpected(expectedIn(collaboration, month, workspace.timezone), items),
      })),
    };
  }

  /**
   * A creator's active collaborations with this month's progress, and every piece of their content
   * (for relationship health), for their card: one database round trip (the content comes along
   * through `$lookup`).
   */
  async forCard(influencer: Pick<Influencer, '_id' | 'workspaceId'>, timezone: string): Promise<{ active: ListedCollaboration[]; content: ContentItem[] }> {
    const month = localMonth(this.clock(), timezone);
    const rows = await this.collaborations.aggregate<Collaboration & { items: ContentItem[] }>([
      { $match: { workspaceId: influencer.workspaceId, influencerId: influencer._id } },
      { $sort: { start: 1, _id: 1 } },
      ...lookupInWorkspace(this.contents.collection.collectionName, '_id', 'collaborationId', 'items'),
    ]);
    return {
      active: rows
        .filter((row) => row.status === 'active')
        .map(({ items, ...collaboration }) => ({
          collaboration,
          progress: deliveredVsExpected(
            expectedIn(collaboration, month, timezone),
            items.filter((item) => item.month === month),
          ),
        })),
      content: rows.flatMap((row) => row.items),
    };
  }

  /**
   * The creator and this month's delivered versus expected, results so far by goal, cost so far and
   * the goal's efficiency, in one round trip: the creator, the content and the cost source's
   * records come along through `$lookup`. With `month` (`YYYY-MM`): that month's delivered versus
   * expected, the results of the pieces published in it (workspace timezone) and what it committed.
   */
  async overview(collaboration: Collaboration, timezone: string, month?: string): Promise<{ influencer: Influencer; summary: Summary }> {
    const now = this.clock();
    const shown = month ?? localMonth(now, timezone);
    const [found] = await this.collaborations.aggregate<{ creator: Influencer[]; items: ContentItem[]; costRecords?: object[] }>([
      { $match: { _id: collaboration._id, workspaceId: collaboration.workspaceId } },
      ...lookupInWorkspace(this.influencerRecords.collection.collectionName, 'influencerId', '_id', 'creator'),
      ...lookupInWorkspace(this.contents.collection.collectionName, '_id', 'collaborationId', 'items'),
      ...(this.paymentRecords ? lookupInWorkspace(this.paymentRecords.collectionName, '_id', 'collaborationId', 'costRecords') : []),
      { $project: { creator: 1, items: 1, costRecords: 1 } },
    ]);
    if (!found) throw refuse('collaboration.gone', { title: collaboration.title });
    const influencer = found.creator[0];
    if (!influencer) throw refuse('collaboration.creator-gone', {});
    const currency = currencyOf(collaboration);
    const progress = deliveredVsExpected(
      expectedIn(collaboration, shown, timezone),
      found.items.filter((item) => item.month === shown),
    );
    const published = found.items.filter((item) => item.status === 'published' && item.publishedAt);
    const cost = costBasis({
      collaboration: { ...collaboration, id: String(collaboration._id), compensation: { ...collaboration.compensation, schedule: collaboration.compensation?.schedule as PaymentSchedule | undefined } },
      payments: (found.costRecords ?? []) as CostPayment[],
      published: published.map((item) => ({ id: String(item._id), publishedAt: item.publishedAt! })),
      revenue: revenueByMonth(published, timezone),
      now,
      timezone,
      ...(month ? { month } : {}),
    });
    if (month) {
      // Results count in the month each piece was published.
      const inMonth = published.filter((item) => localMonth(item.publishedAt!, timezone) === month);
      const totals = totalMetrics(inMonth);
      const monthPlan = found.items.filter((item) => item.month === month).map((item) => ({ type: item.type as ContentType, status: item.status, planned: !!item.planned, count: 1 }));
      const delivered = inMonth.map((item) => ({ type: item.type as ContentType, published: 1 }));
      return {
        influencer,
        summary: {
          month,
          scope: 'month',
          progress: monthProgress(expectedIn(collaboration, month, timezone), monthPlan, delivered),
          totals,
          delivered: inMonth.length,
          cost,
          efficiency: efficiencies(collaboration.goal as Goal, cost.committed, totals, currency),
        },
      };
    }
    const totals = totalMetrics(published);
    return {
      influencer,
      summary: {
        month: shown,
        scope: 'so far',
        progress,
        totals,
        delivered: published.length,
        cost,
        efficiency: efficiencies(collaboration.goal as Goal, cost.committed, totals, currency),
      },
    };
  }

  /** Ends a collaboration; its checklist items still open are cancelled. Published content stays. */
  async close(collaboration: Collaboration, status: Exclude<CollabStatus, 'active'>, reason: string | undefined, actorId: string) {
    if (collaboration.status !== 'active') {
      throw refuse('collaboration.already-closed', { title: collaboration.title, status: collaboration.status });
    }
    const closedAt = this.clock();
    const after = await this.collaborations
      .findOneAndUpdate(
        { _id: collaboration._id, workspaceId: collaboration.workspaceId, status: 'active' },
        { $set: { status, closedAt, ...(reason ? { closeReason: reason } : {}) } },
        { returnDocument: 'after' },
      )
      .lean<Collaboration>();
    if (!after) throw refuse('collaboration.closed-meanwhile', { title: collaboration.title });
    const cancelledItems = await this.content.cancelOpen(collaboration);
    await this.record(collaboration, 'close', actorId, [
      { field: 'status', from: 'active', to: status },
      ...(reason ? [{ field: 'closeReason', from: null, to: reason }] : []),
    ]);
    return { collaboration: after, cancelledItems };
  }

  /** A field set to null is cleared; a field left out is kept. */
  async updateBrief(
    collaboration: Collaboration,
    patch: { [K in keyof Brief]?: string | null },
    actorId: string,
  ): Promise<{ collaboration: Collaboration; changes: Array<{ field: string; from: unknown; to: unknown }> }> {
    const $set: Record<string, string> = {};
    const $unset: Record<string, 1> = {};
    const changed: Array<{ field: string; from: unknown; to: unknown }> = [];
    const before = (collaboration.brief ?? {}) as Brief;
    for (const field of BRIEF_FIELDS) {
      const value = patch[field];
      if (value === undefined) continue;
      if ((before[field] ?? null) === (value ?? null)) continue;
      if (value === null) $unset[`brief.${field}`] = 1;
      else $set[`brief.${field}`] = value;
      changed.push({ field: `brief.${field}`, from: before[field] ?? null, to: value });
    }
    if (changed.length === 0) return { collaboration, changes: [] };
    const after = await this.collaborations
      .findOneAndUpdate(
        { _id: collaboration._id, workspaceId: collaboration.workspaceId },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
        { returnDocument: 'after' },
      )
      .lean<Collaboration>()
      .orFail();
    await this.record(collaboration, 'brief', actorId, changed);
    return { collaboration: after, changes: changed };
  }

  /**
   * The owner sent the onboarding brief: a `briefing` touchpoint with the creator (its `summary`
   * worded by the command, as a typed touchpoint is), and the date on the collaboration.
   */
  async markBriefSent(collaboration: Collaboration, summary: string, actorId: string): Promise<{ collaboration: Collaboration; influencer: Influencer }> {
    const influencer = await this.influencerOf(collaboration);
    const at = this.clock();
    const updated = await this.influencers.logTouchpoint(influencer, { kind: 'briefing', summary, at }, actorId);
    const after = await this.collaborations
      .findOneAndUpdate({ _id: collaboration._id, workspaceId: collaboration.workspaceId }, { $set: { briefSentAt: at } }, { returnDocument: 'after' })
      .lean<Collaboration>()
      .orFail();
    return { collaboration: after, influencer: updated };
  }

  /** One page of a collaboration's recorded changes (started, edited, brief, closed), newest first, and how many in all. */
  async history(collaboration: Collaboration, page: { page: number; pageSize: number }): Promise<{ items: CollaborationChange[]; total: number }> {
    return this.audit.page(collaboration.workspaceId, collaboration._id, { entity: 'collaboration', ...page });
  }

  async influencerOf(collaboration: Collaboration): Promise<Influencer> {
    return this.influencerRecords
      .findOne({ _id: collaboration.influencerId, workspaceId: collaboration.workspaceId })
      .lean<Influencer>()
      .orFail(() => refuse('collaboration.creator-gone', {}));
  }

  /**
   * Writes an edit planned by `planEdit` (collaboration-edit.ts) and records it in the history,
   * only if the collaboration is still as it was read: an edit made meanwhile by someone else is
   * never overwritten with values diffed against the older record.
   */
  async applyEdit(collaboration: Collaboration, edit: PlannedEdit, actorId: string): Promise<Collaboration> {
    if (edit.changes.length === 0) return collaboration;
    const $set = { ...edit.$set, ...(typeof edit.$set.title === 'string' ? titleSearchFields(edit.$set.title) : {}) };
    const after = await this.collaborations
      .findOneAndUpdate(
        { _id: collaboration._id, workspaceId: collaboration.workspaceId, updatedAt: collaboration.updatedAt },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys(edit.$unset).length ? { $unset: edit.$unset } : {}) },
        { returnDocument: 'after' },
      )
      .lean<Collaboration>();
    if (!after) throw refuse('collaboration.changed-meanwhile', { title: collaboration.title });
    await this.record(collaboration, 'edit', actorId, edit.changes);
    return after;
  }

  private async candidates(why: DomainErrors['collaboration.ambiguous']['why'], found: readonly Collaboration[]) {
    const people = await this.influencerRecords
      .find({ workspaceId: found[0]!.workspaceId, _id: { $in: found.map((c) => c.influencerId) } })
      .select({ name: 1 })
      .lean<Influencer[]>();
    return refuse('collaboration.ambiguous', {
      why,
      candidates: found.map((c) => {
        const creator = people.find((p) => p._id.equals(c.influencerId))?.name;
        return { title: c.title, status: c.status, id: String(c._id), ...(creator ? { creator } : {}) };
      }),
    });
  }

  private async record(collaboration: Collaboration, action: string, actorId: string, fields: Array<{ field: string; from: unknown; to: unknown }>) {
    await this.audit.record({ workspaceId: collaboration.workspaceId, entity: 'collaboration', entityId: collaboration._id, action, actorId, fields });
  }
}

export const expectedOf = (collaboration: Pick<Collaboration, 'expectedPerMonth'>): ExpectedContent[] =>
  (collaboration.expectedPerMonth ?? []).map((e) => ({ type: e.type as ContentType, count: e.count }));

/** Revenue and efficiency are in the collaboration's currency (its fee's). */
export const currencyOf = (collaboration: Pick<Collaboration, 'compensation'>): string => collaboration.compensation?.currency ?? 'USD';

/** Refuses terms that cannot be stored (`collaboration.invalid`), with every problem at once. */
function validate(input: CollaborationInput, timezone: string): void {
  const problems: CollaborationProblem[] = [];
  if (input.end && input.end.getTime() < input.start.getTime()) {
    problems.push({ code: 'end-before-start', field: 'end', start: localDay(input.start, timezone), end: localDay(input.end, timezone) });
  }
  if (input.expectedPerMonth.some((e) => !Number.isInteger(e.count) || e.count < 0)) problems.push({ code: 'negative-count', field: 'expect' });
  const c = input.compensation;
  if (c.feeMinor !== undefined && (!Number.isSafeInteger(c.feeMinor) || c.feeMinor < 0)) problems.push({ code: 'negative-fee', field: 'fee' });
  if (c.commissionPct !== undefined && !(c.commissionPct >= 0 && c.commissionPct <= 100)) problems.push({ code: 'commission-range', field: 'commission' });
  if (c.netDays !== undefined && !(Number.isInteger(c.netDays) && c.netDays >= 0)) problems.push({ code: 'negative-net', field: 'net' });
  if (input.reportingDay !== undefined && !(Number.isInteger(input.reportingDay) && input.reportingDay >= 1 && input.reportingDay <= 28)) {
    problems.push({ code: 'reporting-day-range', field: 'reporting-day' });
  }
  if (problems.length > 0) throw refuse('collaboration.invalid', { problems });
}

function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}


