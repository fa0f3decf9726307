import { Types, type PipelineStage } from 'mongoose';
import { STAGES, type Stage } from '../../core/vocabulary';
import type { Clock } from '../../core/command';
import { type CadenceSettings } from '../../core/job';
import { addDays, atLocalTime, localDay, nextYearly } from '../../core/calendar';
import type { ContentModel } from '../content/content.model';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import type { TouchpointModel } from '../influencer/touchpoint.model';
import { BATCH_SIZE, inBatches } from '../batches';
import { groupBy } from '../group-by';
import { lookupInWorkspace } from '../joins';
import type { PaymentModel } from '../payment/payment.model';
import { daysBetween } from '../../core/calendar';
import { sumByCurrency, type Money } from '../money';
import type { FollowUpDoc, FollowUpModel } from './follow-up.model';
import type { NudgePreferenceModel } from './nudge-preference.model';
import type { SnoozeModel } from './snooze.model';
import { ownCadence, reachOutHidden, sameInterval, type StoredReachOut } from './reach-out';
import {
  FOREVER,
  STOPPED_STAGES,
  WIN_WINDOW_DAYS,
  birthDaysWithin,
  birthdayWithin,
  cadenceFor,
  cadenceStatus,
  deliverableCounts,
  engagementOf,
  engagementTrend,
  healthScore,
  isHidden,
  isWin,
  itemKey,
  lastDayBefore,
  parseItemKey,
  paymentCounts,
  publishedEngagement,
  reminderInterval,
  type Cadence,
  type ContentFacts,
  type HealthInput,
  type PaymentFacts,
  type CadenceStatus,
  type Health,
  type NurtureItemRef,
} from './nurture-rules';

/** What nurturing needs to know of a workspace. */
export interface NurtureWorkspace {
  id: string;
  timezone: string;
  cadences: CadenceSettings;
  warnBeforeDueDays: number;
}

/** A creator as the nurture lists name them. `address` and `preferences` only when asked for (private to one person). */
export interface Creator {
  id: string;
  name: string;
  ownerId: string;
  stage: Stage;
  handle?: string;
  address?: string;
  preferences?: string;
}

export interface BirthdayItem {
  key: string;
  creator: Creator;
  /** The day it is celebrated (29 Feb on 28 Feb in common years); never the birth year. */
  on: string;
  inDays: number;
}

export interface CadenceItem {
  key: string;
  creator: Creator;
  cadence: Cadence;
  status: CadenceStatus;
  /** The local day of the last touchpoint, or when the creator was added before any. */
  since: string;
  contacted: boolean;
}

export interface FollowUpItem {
  key: string;
  id: string;
  creator: Creator;
  ownerId: string;
  dueDay: string;
  note: string;
}

export interface DeliverableItem {
  key: string;
  id: string;
  creator: Creator;
  ownerId: string;
  collaborationId: string;
  collaborationTitle: string;
  type: string;
  dueDay: string;
  /** Negative when overdue. */
  inDays: number;
}

export interface WinItem {
  key: string;
  id: string;
  creator: Creator;
  url?: string;
  type: string;
  network?: string;
  publishedDay: string;
  engagement: number;
  median: number;
  factor: number;
}

export interface PaymentsDue {
  late: { count: number; totals: Money[] };
  dueSoon: { count: number; totals: Money[] };
}

export interface NurtureSnapshot {
  today: string;
  birthdays: BirthdayItem[];
  cadence: CadenceItem[];
  followUps: FollowUpItem[];
  deliverables: DeliverableItem[];
  /** How many deliverables are due in all: more than `deliverables` holds when `deliverablesPage` cut the list. */
  deliverableCount: number;
  /** How many relationships are past their interval in all: more than `cadence` holds when `cadencePage` cut the list. */
  cadenceCount: number;
  /** How many birthdays are within the window in all: more than `birthdays` holds when `birthdaysPage` cut the list. */
  birthdayCount: number;
  /** How many follow-ups are due in all: more than `followUps` holds when `followUpsPage` cut the list. */
  followUpCount: number;
  wins: WinItem[];
  payments?: PaymentsDue;
  /** Health of the creators named above (for ordering and the one-line reason). */
  health: Map<string, Health>;
}

export interface SnapshotOptions {
  /** One person's items only (App Home): their creators, follow-ups, deliverables and payments. */
  ownerId?: string;
  /** Shipping address and preferences of birthday creators: only for a message to one person. */
  personal?: boolean;
  /** Relationships past the ideal interval (nudges, Home) or past the maximum (the team digest). */
  cadence: 'ideal' | 'max';
  wins?: boolean;
  deliverables?: boolean;
  /**
   * Only the first this many deliverables by due day are read (through the workspace/status/dueAt
   * index, or the owner's), the rest only counted, so a list reads the same however many are due.
   */
  deliverablesPage?: number;
  /**
   * With `ownerId` and `cadence: 'ideal'`: only the first this many relationships past the ideal
   * interval are read, most days past first (through the reach-out index, the hidden ones left out
   * on it), the rest counted; health is computed for those only.
   */
  cadencePage?: number;
  /**
   * With `ownerId`: only the first this many birthdays by day (then name) are read, the snoozed
   * and done ones left out on the database, the rest counted in the same round trip.
   */
  birthdaysPage?: number;
  /** With `ownerId`: only the first this many follow-ups by due day are read, the rest counted, as for birthdays. */
  followUpsPage?: number;
  payments?: boolean;
  health?: boolean;
}

export const BIRTHDAY_WINDOW_DAYS = 7;
/** App Home weighs at most this many of a person's latest published items for wins. */
export const WIN_CANDIDATES = 50;

/** A planned item as the deliverable lists read it: joined to its collaboration and creator. */
type DeliverableRow = {
  _id: Types.ObjectId;
  type: string;
  dueAt: Date;
  collaborationId: Types.ObjectId;
  collab: Array<{ title: string; ownerId: string; status: string }>;
  creator: InfluencerRow[];
};

export const DELIVERABLE_WINDOW_DAYS = 3;

/** A published item weighed for a win: its creator, the creator's published items (it among them) and engagement touchpoints since the window began. */
interface WinCandidate {
  item: { _id: Types.ObjectId; type: string; network?: string; url?: string; publishedAt: Date; metrics?: Record<string, number> };
  creator: InfluencerRow;
  earlier: Array<{ _id: Types.ObjectId; publishedAt: Date; metrics?: Record<string, number> }>;
  engaged: Array<{ at: Date }>;
}

/**
 * Why an item's button no longer acts: the creator was archived, no cadence applies any more, a
 * newer touchpoint began a new interval (`day`: its local day), the creator has no birthday now, it
 * was changed (`day`: the next one) or has passed (`day`), a deliverable was published or cancelled.
 */
export type NotDue = 'archived' | 'no-cadence' | 'new-interval' | 'no-birthday' | 'birthday-changed' | 'birthday-passed' | 'published' | 'cancelled';

/** `until`: the day a snoozed item comes back (a later snooze already stored is kept); absent for a closed follow-up. */
export type ItemAction =
  | { ok: true; ref: NurtureItemRef; until?: string }
  | { ok: false; error: 'unknown-item' | 'not-found' }
  | { ok: false; error: 'already-done'; kind: NurtureItemRef['kind'] }
  | { ok: false; error: 'not-due'; why: NotDue; creator?: string; day?: string };

/** What snoozing and "done" need to know of a workspace: today, and which cadence applies. */
export type ItemWorkspace = Pick<NurtureWorkspace, 'id' | 'timezone'> & { cadences?: CadenceSettings };

/**
 * An item as `current` found it: a relationship's with its current key and the day stored on the
 * creator; `hiddenUntil`, the put-aside recorded on the item itself (a reach-out's on the creator,
 * about this interval; a birthday's on the creator, about this occurrence; a follow-up's on it; a
 * deliverable's or a win's on the content item), which its snooze record may not match.
 */
type CurrentItem = { ok: true; ref: NurtureItemRef; storedSince?: string; doneAt?: Date | null; hiddenUntil?: string };

type InfluencerRow = {
  _id: Types.ObjectId;
  name: string;
  ownerId: string;
  stage: Stage;
  handles?: Array<{ handle: string }>;
  address?: string;
  preferences?: string;
  birthday?: { month?: number; day?: number };
  cadence?: { ideal?: number; max?: number } | null;
  lastContact?: { at?: Date } | null;
  createdAt: Date;
  reachOut?: StoredReachOut | null;
};

const CREATOR_FIELDS = { name: 1, ownerId: 1, stage: 1, handles: 1 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What health reads of a content item (ContentFacts) and of a payment (PaymentFacts): the rest stays on the server. */
const HEALTH_CONTENT_FIELDS = ['status', 'planned', 'dueAt', 'publishedAt', 'metrics'] as const satisfies ReadonlyArray<keyof ContentFacts>;
const HEALTH_PAYMENT_FIELDS = ['status', 'dueAt', 'paidAt'] as const satisfies ReadonlyArray<keyof PaymentFacts>;

/** A creator read with their content items and payments joined (see NurtureService.healthJoins). */
type HealthRow = InfluencerRow & { content?: ContentFacts[]; pay?: PaymentFacts[] };

/**
 * Follow-ups, snoozes and nudge preferences (it writes those three collections, nothing else), and
 * the reads the daily digest, the nudges and App Home are made of: a constant number of database
 * round trips per workspace however many creators it has (each list is one query; joins by `$lookup`).
 */
export class NurtureService {
  constructor(
    private readonly models: {
      followUps: FollowUpModel;
      snoozes: SnoozeModel;
      nudgePreferences: NudgePreferenceModel;
      influencers: InfluencerModel;
      touchpoints: TouchpointModel;
      contents: ContentModel;
      collaborations: CollaborationModel;
      payments: PaymentModel;
    },
    /** The creators' owning service, which records a snoozed reach-out reminder on the creator. */
    private readonly creators: {
      hideReachOut(workspaceId: string, influencerId: string, since: string, until: string): Promise<void>;
      hideBirthdays(items: ReadonlyArray<{ workspaceId: Types.ObjectId; influencerId: Types.ObjectId; on: string; until: string }>): Promise<number>;
    },
    /** The content's owning service, which records a snoozed or done deliverable on the item. */
    private readonly deliverables: { hide(items: ReadonlyArray<{ workspaceId: Types.ObjectId; id: Types.ObjectId; until: string }>): Promise<number> },
    private readonly clock: Clock,
  ) {}

  // Writes

  async remind(workspaceId: string, influencerId: Types.ObjectId, input: { dueDay: string; note: string }, actorId: string): Promise<FollowUpDoc> {
    const created = await this.models.followUps.create({
      workspaceId: new Types.ObjectId(workspaceId),
      influencerId,
      ownerId: actorId,
      dueDay: input.dueDay,
      note: input.note,
    });
    return created.toObject() as FollowUpDoc;
  }

  /** `/influencer forget`: a creator's follow-up notes are free text about them, erased with the rest. */
  async eraseNotes(workspaceId: string, influencerId: Types.ObjectId, erased: string): Promise<number> {
    const result = await this.models.followUps.updateMany(
      { workspaceId: new Types.ObjectId(workspaceId), influencerId, note: { $ne: erased } },
      { $set: { note: erased } },
    );
    return result.modifiedCount;
  }

  /**
   * Hides the item a button or typed key names until `until` (shown again on that day): the item
   * as it is now, found from the key however the workspace's timezone moved the day in it since the
   * message was posted; refused when it is no longer due (see `current`).
   */
  async snooze(ws: ItemWorkspace, key: string, until: string, actorId: string): Promise<ItemAction> {
    const found = await this.current(ws, key);
    if (!found.ok) return found;
    if (found.ref.kind === 'follow-up' && found.doneAt) return { ok: false, error: 'already-done', kind: 'follow-up' };
    return this.putAside(ws.id, found, until, actorId);
  }

  /** Done: a follow-up is closed; any other item is put aside for good (its next occurrence still shows). */
  async done(ws: ItemWorkspace, key: string, actorId: string): Promise<ItemAction> {
    const found = await this.current(ws, key);
    if (!found.ok) return found;
    if (found.ref.kind === 'follow-up') {
      const result = await this.models.followUps.updateOne(
        { _id: new Types.ObjectId(found.ref.id), workspaceId: new Types.ObjectId(ws.id), doneAt: null },
        { $set: { doneAt: this.clock(), doneById: actorId } },
      );
      return result.modifiedCount === 1 ? { ok: true, ref: found.ref } : { ok: false, error: 'already-done', kind: 'follow-up' };
    }
    return this.putAside(ws.id, found, FOREVER, actorId);
  }

  /**
   * Puts an item found by `current` aside until `until`, recorded where the lists read it. Nothing
   * shortens a longer put-aside: an item done is refused as done (a snooze would bring it back), and
   * of two snoozes the later day holds (the answer names it). Every write takes the later day
   * (`$max`: YYYY-MM-DD strings order as days), so a Done landing between the read and the writes stays.
   */
  private async putAside(workspaceId: string, found: CurrentItem, until: string, actorId: string): Promise<ItemAction> {
    const { ref } = found;
    const wsId = new Types.ObjectId(workspaceId);
    const key = itemKey(ref);
    const stored = await this.models.snoozes.findOne({ workspaceId: wsId, key }, { until: 1 }).lean();
    // What is set is the later of the snooze record and the item's own day: a reach-out's key moves
    // with the timezone (its Done record sits under the old day's key), and a Done cut off between
    // its two writes left the item done and no record.
    const already = [stored?.until, found.hiddenUntil].reduce<string>((a, b) => (b && b > a ? b : a), '');
    if (already === FOREVER) return { ok: false, error: 'already-done', kind: ref.kind };
    const kept = already > until ? already : until;
    // The item first, then the snooze record. The lists that count (App Home's pages, "And N more")
    // read the item, and the snooze record only filters what they return: an item written and a
    // record missing is hidden everywhere and counted nowhere; the other way round the count would
    // include an item the list leaves out. A retry finds the same state and writes it again.
    // App Home reads the relationships past their interval through an index: the creator says it is hidden.
    if (ref.kind === 'cadence') await this.creators.hideReachOut(workspaceId, ref.influencerId, found.storedSince ?? ref.since, kept);
    // And one person's deliverables, wins, birthdays and follow-ups through theirs: the item says it is hidden.
    await this.hideOnItems([{ workspaceId: wsId, ref, until: kept }]);
    if (stored?.until !== kept) await this.models.snoozes.updateOne({ workspaceId: wsId, key }, { $max: { until: kept }, $set: { byId: actorId, at: this.clock() } }, { upsert: true });
    return { ok: true, ref, until: kept };
  }

  async setNudges(workspaceId: string, userId: string, on: boolean): Promise<void> {
    await this.models.nudgePreferences.updateOne(
      { workspaceId: new Types.ObjectId(workspaceId), userId },
      { $set: { nudges: on, at: this.clock() } },
      { upsert: true },
    );
  }

  async nudgesOn(workspaceId: string, userId: string): Promise<boolean> {
    const pref = await this.models.nudgePreferences.findOne({ workspaceId: new Types.ObjectId(workspaceId), userId }).lean();
    return pref?.nudges !== false;
  }

  /** The people who turned their nudges off. */
  async nudgesOff(workspaceId: string): Promise<Set<string>> {
    const prefs = await this.models.nudgePreferences.find({ workspaceId: new Types.ObjectId(workspaceId), nudges: false }, { userId: 1 }).lean();
    return new Set(prefs.map((p) => p.userId));
  }

  /**
   * At start: deliverables snoozed or done before the item recorded it get it from the snoozes in
   * force (idempotent: an item in step is not written), a thousand at a time. Returns how many changed.
   */
  async upgradeStored(): Promise<number> {
    // A day of slack for any timezone: a snooze that ended is harmless to copy.
    const cursor = this.models.snoozes
      .find({ key: { $regex: '^(deliverable|win|birthday|follow-up):' }, until: { $gt: addDays(localDay(this.clock(), 'UTC'), -1) } }, { workspaceId: 1, key: 1, until: 1 })
      .lean<Array<{ workspaceId: Types.ObjectId; key: string; until: string }>>()
      .cursor({ batchSize: BATCH_SIZE });
    let changed = 0;
    for await (const batch of inBatches(cursor)) {
      changed += await this.hideOnItems(
        batch.flatMap((snooze) => {
          const ref = parseItemKey(snooze.key);
          return ref ? [{ workspaceId: snooze.workspaceId, ref, until: snooze.until }] : [];
        }),
      );
    }
    return changed;
  }

  /**
   * Records snoozes (and "done"s) on the items one person's lists read, so App Home leaves them
   * out on the database: a deliverable or a win on its content item (the content's service), a
   * birthday on its creator (the creators' service), a follow-up on itself. Each keeps the later
   * day (never shorter than what is set, as `putAside`'s snooze record), so it is idempotent and an
   * item in step is not written. Returns how many changed. (A relationship's reach-out reminder is recorded
   * on its creator by `snooze`, for its own interval.)
   */
  private async hideOnItems(snoozes: ReadonlyArray<{ workspaceId: Types.ObjectId; ref: NurtureItemRef; until: string }>): Promise<number> {
    const content = snoozes.flatMap(({ workspaceId, ref, until }) => (ref.kind === 'deliverable' || ref.kind === 'win' ? [{ workspaceId, id: new Types.ObjectId(ref.id), until }] : []));
    const birthdays = snoozes.flatMap(({ workspaceId, ref, until }) => (ref.kind === 'birthday' ? [{ workspaceId, influencerId: new Types.ObjectId(ref.influencerId), on: ref.on, until }] : []));
    const followUps = snoozes.flatMap(({ workspaceId, ref, until }) =>
      ref.kind === 'follow-up'
        ? [{ updateOne: { filter: { _id: new Types.ObjectId(ref.id), workspaceId, hiddenUntil: { $not: { $gte: until } } }, update: { $max: { hiddenUntil: until } } } }]
        : [],
    );
    const [a, b, c] = await Promise.all([
      this.deliverables.hide(content),
      this.creators.hideBirthdays(birthdays),
      followUps.length ? this.models.followUps.bulkWrite(followUps, { ordered: false, timestamps: false }).then((r) => r.modifiedCount) : Promise.resolve(0),
    ]);
    return a + b + c;
  }

  /**
   * The item a key names as it is now in this workspace (keys come back from buttons, possibly
   * posted before a timezone change, and from typed lines), or why it is not due any more. One read.
   * A relationship's reminder is the creator's current interval when the key's day is its last
   * touchpoint's in some timezone (`reminderInterval`); it is no longer due after a newer touchpoint,
   * once archived, or where no cadence applies. A birthday is no longer due once its day has passed
   * or the birthday was changed; a deliverable, once published or cancelled.
   */
  private async current(ws: ItemWorkspace, key: string): Promise<CurrentItem | Exclude<ItemAction, { ok: true }>> {
    const ref = parseItemKey(key);
    if (!ref) return { ok: false, error: 'unknown-item' };
    const wsId = new Types.ObjectId(ws.id);
    const today = localDay(this.clock(), ws.timezone);
    if (ref.kind === 'birthday' || ref.kind === 'cadence') {
      const creator = await this.models.influencers
        .findOne({ _id: new Types.ObjectId(ref.influencerId), workspaceId: wsId }, { name: 1, stage: 1, archivedAt: 1, 'birthday.month': 1, 'birthday.day': 1, cadence: 1, lastContact: 1, createdAt: 1, reachOut: 1, birthdayHidden: 1 })
        .lean<InfluencerRow & { archivedAt?: Date | null; birthdayHidden?: { on?: string; until?: string } }>();
      if (!creator) return { ok: false, error: 'not-found' };
      const notDue = (why: NotDue, day?: string): ItemAction => ({ ok: false, error: 'not-due', why, creator: creator.name, ...(day ? { day } : {}) });
      if (creator.archivedAt) return notDue('archived');
      if (ref.kind === 'birthday') {
        const { month, day } = creator.birthday ?? {};
        if (!month || !day) return notDue('no-birthday');
        if (nextYearly(month, day, ref.on) !== ref.on) return notDue('birthday-changed', nextYearly(month, day, today));
        if (ref.on < today) return notDue('birthday-passed', ref.on);
        // Put aside on the creator for this occurrence (an older one's is over).
        const hiddenUntil = creator.birthdayHidden?.on === ref.on ? creator.birthdayHidden.until : undefined;
        return { ok: true, ref, ...(hiddenUntil ? { hiddenUntil } : {}) };
      }
      if (!cadenceFor(creator.stage, ws.cadences, ownCadence(creator))) return notDue('no-cadence');
      const lastAt = creator.lastContact?.at ?? creator.createdAt;
      const { interval, since } = reminderInterval(ref.since, lastAt, ws.timezone);
      if (interval !== 'current') return notDue('new-interval', since);
      // The creator's stored reach-out may still carry the day in the zone it was written with.
      const storedSince = sameInterval(creator.reachOut, since, lastAt) ? creator.reachOut?.since : undefined;
      const hiddenUntil = storedSince ? creator.reachOut?.hiddenUntil : undefined;
      return { ok: true, ref: { ...ref, since }, ...(storedSince ? { storedSince } : {}), ...(hiddenUntil ? { hiddenUntil } : {}) };
    }
    if (ref.kind === 'follow-up') {
      const followUp = await this.models.followUps.findOne({ _id: new Types.ObjectId(ref.id), workspaceId: wsId }, { doneAt: 1, hiddenUntil: 1 }).lean();
      if (!followUp) return { ok: false, error: 'not-found' };
      return { ok: true, ref, doneAt: followUp.doneAt ?? null, ...(followUp.hiddenUntil ? { hiddenUntil: followUp.hiddenUntil } : {}) };
    }
    const content = await this.models.contents.findOne({ _id: new Types.ObjectId(ref.id), workspaceId: wsId }, { status: 1, hiddenUntil: 1 }).lean();
    if (!content) return { ok: false, error: 'not-found' };
    if (ref.kind === 'deliverable' && content.status !== 'planned') return { ok: false, error: 'not-due', why: content.status === 'published' ? 'published' : 'cancelled' };
    return content.hiddenUntil ? { ok: true, ref, hiddenUntil: content.hiddenUntil } : { ok: true, ref };
  }

  // Reads

  async snapshot(ws: NurtureWorkspace, now: Date, options: SnapshotOptions): Promise<NurtureSnapshot> {
    const today = localDay(now, ws.timezone);
    const wsId = new Types.ObjectId(ws.id);
    const paged = options.ownerId !== undefined && options.cadencePage !== undefined && options.cadence === 'ideal';
    const owner = options.ownerId;
    const lists = Promise.all([
      paged ? Promise.resolve([] as HealthRow[]) : this.cadenceCandidates(ws, wsId, today, options),
      owner ? this.ownerBirthdays(wsId, today, owner, options) : this.birthdayCandidates(wsId, today, options).then((rows) => ({ rows, count: undefined })),
      owner ? this.ownerFollowUps(wsId, today, owner, options.followUpsPage) : this.dueFollowUps(wsId, today).then((items) => ({ items, count: undefined })),
      options.deliverables ? this.dueDeliverables(ws, wsId, today, options.ownerId, options.deliverablesPage) : Promise.resolve({ items: [] as DeliverableItem[], count: undefined }),
      options.wins ? this.recentWins(ws, wsId, today, options.ownerId) : Promise.resolve([]),
    ] as const);
    const birthdayItems = (rows: InfluencerRow[]) =>
      rows.flatMap((row): BirthdayItem[] => {
        if (!row.birthday?.month || !row.birthday.day) return [];
        const next = birthdayWithin({ month: row.birthday.month, day: row.birthday.day }, today, BIRTHDAY_WINDOW_DAYS);
        if (!next) return [];
        return [{ key: itemKey({ kind: 'birthday', influencerId: String(row._id), on: next.on }), creator: creatorOf(row, Boolean(options.personal)), ...next }];
      });
    // The team's lists read every snooze in force; one person's none: each of their items says
    // whether it is put aside (see hideOnItems), and is left out on the database.
    const snoozesRead = owner ? Promise.resolve([]) : this.models.snoozes.find({ workspaceId: wsId, until: { $gt: today } }, { key: 1, until: 1 }).lean().exec();
    const [[cadenceRows, birthdayRead, followUpRead, deliverables, wins], snoozes, payments, cadencePage] = await Promise.all([
      lists,
      snoozesRead,
      options.payments ? this.paymentsDue(ws, wsId, today, options.ownerId) : Promise.resolve(undefined),
      paged ? this.ownerCadencePage(ws, wsId, now, today, options.ownerId!, options.cadencePage!, Boolean(options.health)) : Promise.resolve(undefined),
    ]);
    const hidden = new Map(snoozes.map((s) => [s.key, s.until]));
    const visible = <T extends { key: string }>(items: T[]) => items.filter((item) => !isHidden(hidden.get(item.key), today));

    const cadence = visible(
      cadenceRows.flatMap((row): CadenceItem[] => {
        const applies = cadenceFor(row.stage, ws.cadences, ownCadence(row));
        if (!applies) return [];
        const since = localDay(row.lastContact?.at ?? row.createdAt, ws.timezone);
        const status = cadenceStatus(applies, since, today);
        if (status.state === 'ok' || (options.cadence === 'max' && status.state !== 'past-max')) return [];
        // Put aside on the creator: holds across a timezone change, which moves the day in the item's key.
        if (reachOutHidden(row.reachOut, since, row.lastContact?.at ?? row.createdAt, today)) return [];
        return [{ key: itemKey({ kind: 'cadence', influencerId: String(row._id), since }), creator: creatorOf(row, false), cadence: applies, status, since, contacted: Boolean(row.lastContact?.at) }];
      }),
    ).sort((a, b) => b.status.daysPastIdeal - a.status.daysPastIdeal || a.creator.name.localeCompare(b.creator.name));

    const birthdays = visible(birthdayItems(birthdayRead.rows))
      .sort((a, b) => a.inDays - b.inDays || a.creator.name.localeCompare(b.creator.name))
      .slice(0, owner ? options.birthdaysPage : undefined);
    const followUps = visible(followUpRead.items);

    const snapshot: NurtureSnapshot = {
      today,
      cadence: cadencePage?.items ?? cadence,
      cadenceCount: cadencePage?.count ?? cadence.length,
      // One person's lists are read without the hidden items, so their counts are already net of them.
      birthdays,
      birthdayCount: birthdayRead.count ?? birthdays.length,
      followUps,
      followUpCount: followUpRead.count ?? followUps.length,
      deliverables: visible(deliverables.items),
      // A paged list is read without the hidden items, so its count is already net of them.
      deliverableCount: deliverables.count ?? visible(deliverables.items).length,
      wins: visible(wins),
      ...(payments ? { payments } : {}),
      health: new Map(),
    };
    if (cadencePage) {
      snapshot.health = cadencePage.health;
    } else if (options.health) {
      // Health orders and annotates the relationships past their interval; no other list shows it.
      // Their content and payments came joined to them (cadenceCandidates), in the same round trip.
      const rows = new Map(cadenceRows.map((row) => [String(row._id), row]));
      snapshot.health = new Map(snapshot.cadence.map((item) => [item.creator.id, healthOfJoined(ws, now, today, rows.get(item.creator.id)!)]));
    }
    return snapshot;
  }

  /**
   * Health of the given creators (or of every creator of the workspace), in three round trips
   * however many: the creators, their deliverables and engagement (one aggregation), their payments.
   */
  async healthOf(ws: Pick<NurtureWorkspace, 'id' | 'timezone' | 'cadences'>, now: Date, ids: readonly string[] | 'all', scope: { stage?: Stage; ownerId?: string } = {}): Promise<Map<string, { creator: Creator; health: Health }>> {
    const wsId = new Types.ObjectId(ws.id);
    const today = localDay(now, ws.timezone);
    const startOfToday = atLocalTime(today, '00:00', ws.timezone);
    const only = ids === 'all' ? {} : { influencerId: { $in: ids.map((id) => new Types.ObjectId(id)) } };
    const engagement = { $add: ['likes', 'comments', 'saves', 'shares'].map((m) => ({ $ifNull: [`$metrics.${m}`, 0] })) };
    const dayOf = (field: string) => ({ $dateToString: { date: field, format: '%Y-%m-%d', timezone: ws.timezone } });
    const [creators, contentRows, paymentRows] = await Promise.all([
      this.models.influencers
        .find(
          {
            workspaceId: wsId,
            archivedAt: null,
            ...(ids === 'all' ? {} : { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }),
            ...(scope.stage ? { stage: scope.stage } : {}),
            ...(scope.ownerId ? { ownerId: scope.ownerId } : {}),
          },
          { ...CREATOR_FIELDS, cadence: 1, lastContact: 1, createdAt: 1 },
        )
        .lean<InfluencerRow[]>(),
      this.models.contents.aggregate<{ _id: Types.ObjectId; onTime: number; late: number; overdue: number; items: Array<{ at: Date; e: number } | null> }>([
        { $match: { workspaceId: wsId, ...only, status: { $in: ['planned', 'published'] } } },
        {
          $group: {
            _id: '$influencerId',
            onTime: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'published'] }, { $eq: ['$planned', true] }, { $gt: ['$dueAt', null] }, { $lte: ['$publishedAt', '$dueAt'] }] }, 1, 0] } },
            late: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'published'] }, { $eq: ['$planned', true] }, { $gt: ['$dueAt', null] }, { $gt: ['$publishedAt', '$dueAt'] }] }, 1, 0] } },
            overdue: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'planned'] }, { $gt: ['$dueAt', null] }, { $lt: ['$dueAt', now] }] }, 1, 0] } },
            items: { $push: { $cond: [{ $eq: ['$status', 'published'] }, { at: '$publishedAt', e: engagement }, null] } },
          },
        },
      ]),
      this.models.payments.aggregate<{ _id: Types.ObjectId; onTime: number; late: number; overdue: number }>([
        { $match: { workspaceId: wsId, ...only, $or: [{ status: 'paid', paidAt: { $ne: null } }, { status: 'scheduled', dueAt: { $lt: startOfToday } }] } },
        {
          $group: {
            _id: '$influencerId',
            onTime: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'paid'] }, { $lte: [dayOf('$paidAt'), dayOf('$dueAt')] }] }, 1, 0] } },
            late: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'paid'] }, { $gt: [dayOf('$paidAt'), dayOf('$dueAt')] }] }, 1, 0] } },
            overdue: { $sum: { $cond: [{ $eq: ['$status', 'scheduled'] }, 1, 0] } },
          },
        },
      ]),
    ]);
    const contentBy = new Map(contentRows.map((row) => [String(row._id), row]));
    const paymentsBy = new Map(paymentRows.map((row) => [String(row._id), row]));
    const none = { onTime: 0, late: 0, overdue: 0 };
    const result = new Map<string, { creator: Creator; health: Health }>();
    for (const creator of creators) {
      const id = String(creator._id);
      const content = contentBy.get(id);
      const pay = paymentsBy.get(id);
      result.set(id, {
        creator: creatorOf(creator, false),
        health: healthOfCreator(ws, today, creator, {
          deliverables: content ? { onTime: content.onTime, late: content.late, overdue: content.overdue } : none,
          payments: pay ? { onTime: pay.onTime, late: pay.late, overdue: pay.overdue } : none,
          ...trendOf(content?.items ?? []),
        }),
      });
    }
    return result;
  }

  /**
   * One person's relationships past the ideal interval (App Home), most days past first (then by
   * name): the first `page` of them read in that order through the reach-out index, with their
   * count on the same keys, and with `health` their content items and payments joined to them (by
   * creator, on the `influencerId` indexes) to score those shown: two round trips at once, the same
   * documents at any size.
   */
  private async ownerCadencePage(ws: NurtureWorkspace, wsId: Types.ObjectId, now: Date, today: string, ownerId: string, page: number, health: boolean) {
    const filter = { workspaceId: wsId, ownerId, archivedAt: null, 'reachOut.day': { $lt: today }, 'reachOut.hiddenUntil': { $not: { $gt: today } } };
    const [rows, count] = await Promise.all([
      this.models.influencers.aggregate<HealthRow>([
        { $match: filter },
        { $sort: { 'reachOut.day': 1, nameKey: 1, _id: 1 } },
        { $limit: page },
        { $project: { workspaceId: 1, ...CREATOR_FIELDS, cadence: 1, lastContact: 1, createdAt: 1 } },
        ...(health ? this.healthJoins() : []),
      ] as PipelineStage[]),
      this.models.influencers.countDocuments(filter),
    ]);
    const items = rows.flatMap((row): CadenceItem[] => {
      const applies = cadenceFor(row.stage, ws.cadences, ownCadence(row));
      if (!applies) return [];
      const since = localDay(row.lastContact?.at ?? row.createdAt, ws.timezone);
      const status = cadenceStatus(applies, since, today);
      return [{ key: itemKey({ kind: 'cadence', influencerId: String(row._id), since }), creator: creatorOf(row, false), cadence: applies, status, since, contacted: Boolean(row.lastContact?.at) }];
    });
    const scored = new Map<string, Health>();
    if (health) for (const row of rows) scored.set(String(row._id), healthOfJoined(ws, now, today, row));
    return { items, count, health: scored };
  }

  /**
   * Each creator's content items and payments, joined by creator (on the `influencerId` indexes),
   * only the fields their health is scored from (healthOfJoined); `by` names the field holding the
   * creator's id, null for a creator not to score (nothing joined: the items' creator is required).
   */
  private healthJoins(by = '_id'): PipelineStage[] {
    return [
      ...lookupInWorkspace(this.models.contents.collection.collectionName, by, 'influencerId', 'content', HEALTH_CONTENT_FIELDS),
      ...lookupInWorkspace(this.models.payments.collection.collectionName, by, 'influencerId', 'pay', HEALTH_PAYMENT_FIELDS),
    ] as PipelineStage[];
  }

  /**
   * Creators whose clock may have run past the interval: by stage in the query, own cadences
   * checked in code. With `health`, each comes with their content items and payments joined, to
   * score those past their interval in the same round trip (a list of their ids sent back in
   * three more reads grew with the workspace: thousands of ids in each).
   */
  private cadenceCandidates(ws: NurtureWorkspace, wsId: Types.ObjectId, today: string, options: SnapshotOptions): Promise<HealthRow[]> {
    const or: object[] = [{ stage: { $nin: STOPPED_STAGES }, 'cadence.ideal': { $gte: 1 } }];
    for (const stage of STAGES) {
      const cadence = cadenceFor(stage, ws.cadences);
      if (!cadence) continue;
      const days = options.cadence === 'max' ? cadence.max : cadence.ideal;
      const cut = atLocalTime(addDays(lastDayBefore(today, days), 1), '00:00', ws.timezone);
      or.push({ stage, cadence: null, 'lastContact.at': { $lt: cut } }, { stage, cadence: null, lastContact: null, createdAt: { $lt: cut } });
    }
    const filter = { workspaceId: wsId, archivedAt: null, ...(options.ownerId ? { ownerId: options.ownerId } : {}), $or: or };
    const fields = { ...CREATOR_FIELDS, cadence: 1, lastContact: 1, createdAt: 1, reachOut: 1 };
    if (!options.health) return this.models.influencers.find(filter, fields).lean<InfluencerRow[]>();
    // Those of their own cadence are read whether past it or not, and those put aside as well
    // (both checked in code, above): they get nothing joined, so a creator in no list costs no
    // more with a long history. The same rules on the server: ownCadence and lastDayBefore (whole
    // days back from today's UTC midnight), reachOutHidden.
    const lastAt = { $ifNull: ['$lastContact.at', '$createdAt'] };
    const since = { $dateToString: { date: lastAt, format: '%Y-%m-%d', timezone: ws.timezone } };
    const days = options.cadence === 'max' ? '$cadence.max' : '$cadence.ideal';
    const lastDay = { $dateToString: { date: { $subtract: [new Date(`${today}T00:00:00Z`), { $multiply: [{ $add: [days, 1] }, DAY_MS] }] }, format: '%Y-%m-%d', timezone: 'UTC' } };
    const notPastOwn = { $and: [{ $gte: ['$cadence.ideal', 1] }, { $gte: ['$cadence.max', 1] }, { $not: [{ $in: ['$stage', STOPPED_STAGES] }] }, { $gt: [since, lastDay] }] };
    const sinceInStoredZone = { $dateToString: { date: lastAt, format: '%Y-%m-%d', timezone: { $ifNull: ['$reachOut.tz', 'UTC'] } } };
    const sameInterval = { $or: [{ $eq: ['$reachOut.since', since] }, { $and: [{ $gt: ['$reachOut.tz', null] }, { $eq: ['$reachOut.since', sinceInStoredZone] }] }] };
    const hidden = { $and: [{ $gt: ['$reachOut.hiddenUntil', today] }, { $gt: ['$reachOut.since', null] }, sameInterval] };
    return this.models.influencers.aggregate<HealthRow>([
      { $match: filter },
      { $project: { workspaceId: 1, ...fields, scored: { $cond: [{ $or: [notPastOwn, hidden] }, null, '$_id'] } } },
      ...this.healthJoins('scored'),
      { $unset: 'scored' },
    ] as PipelineStage[]);
  }

  private birthdayCandidates(wsId: Types.ObjectId, today: string, options: SnapshotOptions): Promise<InfluencerRow[]> {
    // Never the birth year: it is not read, so it cannot leak into a list.
    return this.models.influencers
      .find(
        { workspaceId: wsId, archivedAt: null, $or: birthDaysWithin(today, BIRTHDAY_WINDOW_DAYS).map((d) => ({ 'birthday.month': d.month, 'birthday.day': d.day })) },
        { ...CREATOR_FIELDS, 'birthday.month': 1, 'birthday.day': 1, ...(options.personal ? { address: 1, preferences: 1 } : {}) },
      )
      .lean<InfluencerRow[]>();
  }

  /**
   * One person's birthdays of the window (App Home), by day then name, without those snoozed or
   * done (the creator says so), and how many in all: one aggregation. The days are one branch each
   * of the $or (on the birthday index); the days before the year turns and those after it are each
   * read in (month, day, name) order and cut at `page`, so a window across the year end still
   * lists December first. Never the birth year: it is not read.
   */
  private async ownerBirthdays(wsId: Types.ObjectId, today: string, ownerId: string, options: SnapshotOptions): Promise<{ rows: InfluencerRow[]; count: number }> {
    const days = birthDaysWithin(today, BIRTHDAY_WINDOW_DAYS).map((d) => ({ 'birthday.month': d.month, 'birthday.day': d.day }));
    // Where the window crosses the year end (December, then January).
    const turn = days.findIndex((d, i) => i > 0 && d['birthday.month'] < days[i - 1]!['birthday.month']);
    const parts = turn < 0 ? [days] : [days.slice(0, turn), days.slice(turn)];
    const page: PipelineStage.FacetPipelineStage[] = [
      { $sort: { 'birthday.month': 1, 'birthday.day': 1, nameKey: 1, _id: 1 } },
      ...(options.birthdaysPage === undefined ? [] : [{ $limit: options.birthdaysPage }]),
    ];
    const [result] = await this.models.influencers.aggregate<{ count: Array<{ n: number }> } & Record<string, InfluencerRow[]>>([
      { $match: { workspaceId: wsId, archivedAt: null, ownerId, $or: days } },
      // Snoozed or done for this year's day (a past year's `on` is over).
      { $match: { $nor: [{ 'birthdayHidden.on': { $gte: today }, 'birthdayHidden.until': { $gt: today } }] } },
      { $project: { ...CREATOR_FIELDS, nameKey: 1, 'birthday.month': 1, 'birthday.day': 1, ...(options.personal ? { address: 1, preferences: 1 } : {}) } },
      {
        $facet: {
          ...Object.fromEntries(parts.map((part, i) => [`part${i}`, parts.length === 1 ? page : [{ $match: { $or: part } }, ...page]])),
          count: [{ $group: { _id: null, n: { $sum: 1 } } }],
        },
      },
    ] as PipelineStage[]);
    return { rows: parts.flatMap((_, i) => result?.[`part${i}`] ?? []), count: result?.count[0]?.n ?? 0 };
  }

  /** The workspace's follow-ups due, by due day, of creators not archived (the team's lists read the snoozes apart). */
  private async dueFollowUps(wsId: Types.ObjectId, today: string): Promise<FollowUpItem[]> {
    const rows = await this.models.followUps.aggregate<FollowUpDoc & { creator: InfluencerRow[] }>([
      { $match: { workspaceId: wsId, doneAt: null, dueDay: { $lte: today } } },
      { $sort: { dueDay: 1, _id: 1 } },
      ...lookupInWorkspace(this.models.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
    ]);
    return rows.flatMap((row) => followUpItem(row, row.creator[0]));
  }

  /**
   * One person's follow-ups due (App Home), by due day, without those snoozed (the follow-up says
   * so) or of an archived creator (dropped before the cut, and from the count): the first `page`
   * and how many in all, in one aggregation on the {workspaceId, ownerId, doneAt, dueDay} index.
   */
  private async ownerFollowUps(wsId: Types.ObjectId, today: string, ownerId: string, page: number | undefined): Promise<{ items: FollowUpItem[]; count: number }> {
    const [result] = await this.models.followUps.aggregate<{ page: Array<FollowUpDoc & { creator: InfluencerRow[] }>; count: Array<{ n: number }> }>([
      { $match: { workspaceId: wsId, ownerId, doneAt: null, dueDay: { $lte: today }, hiddenUntil: { $not: { $gt: today } } } },
      { $sort: { dueDay: 1, _id: 1 } },
      ...(lookupInWorkspace(this.models.influencers.collection.collectionName, 'influencerId', '_id', 'creator') as PipelineStage[]),
      { $match: { 'creator._id': { $exists: true }, 'creator.archivedAt': null } },
      {
        $facet: {
          page: [...(page === undefined ? [] : [{ $limit: page }]), { $project: { workspaceId: 1, influencerId: 1, ownerId: 1, dueDay: 1, note: 1, creator: 1 } }],
          count: [{ $group: { _id: null, n: { $sum: 1 } } }],
        },
      },
    ] as PipelineStage[]);
    return { items: (result?.page ?? []).flatMap((row) => followUpItem(row, row.creator[0])), count: result?.count[0]?.n ?? 0 };
  }

  /**
   * The deliverables due (the team's, or one person's with `ownerId`: the planned items of the
   * collaborations they own, each item carrying its collaboration's owner), by due day, without
   * those snoozed or done (the item says so), joined to their collaboration and creator. Only items
   * of an active collaboration count: a closed one's items left planned (a close cut short, or one
   * planned as it closed) are dropped before the page is cut and from the count, or, overdue, they
   * would come first and hide the real ones. With `page`, only the first `page` are returned and
   * the rest counted, on the workspace (or owner) / status / dueAt index: the same documents
   * returned however many are due. One round trip.
   */
  private async dueDeliverables(ws: NurtureWorkspace, wsId: Types.ObjectId, today: string, ownerId: string | undefined, page: number | undefined): Promise<{ items: DeliverableItem[]; count?: number }> {
    const until = atLocalTime(addDays(today, DELIVERABLE_WINDOW_DAYS + 1), '00:00', ws.timezone);
    const collaborations = this.models.collaborations.collection.collectionName;
    const due: PipelineStage[] = [
      { $match: { workspaceId: wsId, ...(ownerId ? { ownerId } : {}), status: 'planned', dueAt: { $lt: until }, hiddenUntil: { $not: { $gt: today } } } },
      // Sorted first, on the index: the joins then follow that order.
      { $sort: { dueAt: 1, _id: 1 } },
      ...(lookupInWorkspace(collaborations, 'collaborationId', '_id', 'collab', ['title', 'ownerId', 'status']) as PipelineStage[]),
      { $match: { 'collab.status': 'active' } },
    ];
    const shown: PipelineStage.FacetPipelineStage[] = [
      { $project: { workspaceId: 1, type: 1, dueAt: 1, collaborationId: 1, influencerId: 1, collab: 1 } },
      ...lookupInWorkspace(this.models.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
    ];
    // A page and the count of all in one aggregation: only the page is joined to its creators and sent.
    const { rows, counted } =
      page === undefined
        ? { rows: await this.models.contents.aggregate<DeliverableRow>([...due, ...shown] as PipelineStage[]), counted: undefined }
        : await this.models.contents
            .aggregate<{ rows: DeliverableRow[]; count: Array<{ n: number }> }>([...due, { $facet: { rows: [{ $limit: page }, ...shown], count: [{ $group: { _id: null, n: { $sum: 1 } } }] } }] as PipelineStage[])
            .then(([facets]) => ({ rows: facets?.rows ?? [], counted: facets?.count[0]?.n ?? 0 }));
    const items = rows.flatMap((row): DeliverableItem[] => {
      const collab = row.collab[0];
      const creator = row.creator[0];
      if (!collab || !creator || collab.status !== 'active') return [];
      return [deliverableItem(row, collab, creator, ws.timezone, today)];
    });
    return counted === undefined ? { items } : { items, count: counted };
  }

  /**
   * Items published in the last two weeks that did at least 1.5 x the creator's usual, not yet
   * answered by an engagement touchpoint logged after they went out. For the team: three round
   * trips (the recent items with their creators, then the earlier items and the engagement
   * touchpoints of those creators); for one person, one (see ownerWinCandidates).
   */
  private async recentWins(ws: NurtureWorkspace, wsId: Types.ObjectId, today: string, ownerId: string | undefined): Promise<WinItem[]> {
    const from = atLocalTime(addDays(today, -WIN_WINDOW_DAYS), '00:00', ws.timezone);
    const candidates = ownerId ? await this.ownerWinCandidates(wsId, from, today, ownerId) : await this.teamWinCandidates(wsId, from);
    return candidates
      .flatMap(({ item, creator, earlier, engaged }): WinItem[] => {
        const id = String(item._id);
        const engagement = engagementOf(item.metrics);
        if (engagement <= 0) return [];
        const win = isWin(
          { id, publishedAt: item.publishedAt, engagement },
          earlier.map((e) => ({ id: String(e._id), publishedAt: e.publishedAt, engagement: engagementOf(e.metrics) })),
        );
        if (!win) return [];
        // Reacted to already: an engagement touchpoint logged after it went out clears it.
        if (engaged.some((t) => t.at >= item.publishedAt)) return [];
        return [
          {
            key: itemKey({ kind: 'win', id }),
            id,
            creator: creatorOf(creator, false),
            ...(item.url ? { url: item.url } : {}),
            type: item.type,
            ...(item.network ? { network: item.network } : {}),
            publishedDay: localDay(item.publishedAt, ws.timezone),
            engagement,
            ...win,
          },
        ];
      })
      .sort((a, b) => b.factor - a.factor);
  }

  /** The workspace's items published since `from` by creators not archived, each with its creator's earlier items and engagement touchpoints since `from`. */
  private async teamWinCandidates(wsId: Types.ObjectId, from: Date): Promise<WinCandidate[]> {
    const recent = await this.models.contents.aggregate<WinCandidate['item'] & { influencerId: Types.ObjectId; creator: InfluencerRow[] }>([
      { $match: { workspaceId: wsId, status: 'published', publishedAt: { $gte: from } } },
      ...lookupInWorkspace(this.models.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
    ] as PipelineStage[]);
    const live = recent.filter((item) => item.creator[0] && !(item.creator[0] as { archivedAt?: Date }).archivedAt && engagementOf(item.metrics) > 0);
    if (live.length === 0) return [];
    const creatorIds = [...new Set(live.map((item) => String(item.influencerId)))].map((id) => new Types.ObjectId(id));
    const [earlier, engaged] = await Promise.all([
      this.models.contents
        .find({ workspaceId: wsId, influencerId: { $in: creatorIds }, status: 'published', publishedAt: { $ne: null } }, { influencerId: 1, publishedAt: 1, metrics: 1 })
        .lean<Array<WinCandidate['earlier'][number] & { influencerId: Types.ObjectId }>>(),
      this.models.touchpoints.find({ workspaceId: wsId, influencerId: { $in: creatorIds }, kind: 'engagement', at: { $gte: from } }, { influencerId: 1, at: 1 }).lean(),
    ]);
    // Grouped by creator once: looking each item's creator up in the whole list was items x rows.
    const earlierOf = groupBy(earlier, (row) => String(row.influencerId));
    const engagedOf = groupBy(engaged, (row) => String(row.influencerId));
    return live.map((item) => ({ item, creator: item.creator[0]!, earlier: earlierOf.get(String(item.influencerId)) ?? [], engaged: engagedOf.get(String(item.influencerId)) ?? [] }));
  }

  /**
   * One person's candidates for a win (App Home): the latest WIN_CANDIDATES items published since
   * `from` by their creators (not archived), newest first, whoever owns the collaboration: the items
   * the daily nudge weighs for them, as it picks a win by its creator's owner. One aggregation: the
   * items of the window read newest first on the {workspaceId, creatorOwnerId, status, publishedAt}
   * index (each published item carries its creator's owner), joined to their creator (an archived
   * one, or one whose owner changed under a racing write, is dropped before the cut); then, grouped
   * by creator, only those at most WIN_CANDIDATES creators get their published items and engagement
   * touchpoints joined (by creator, on the influencerId indexes) and filtered on the server. The
   * documents read follow the window and the histories of the creators in it, never the owner's
   * whole list (the nudge weighs every item of the window).
   */
  private async ownerWinCandidates(wsId: Types.ObjectId, from: Date, today: string, ownerId: string): Promise<WinCandidate[]> {
    const contents = this.models.contents.collection.collectionName;
    type Item = WinCandidate['item'];
    const rows = await this.models.contents.aggregate<{ creator: InfluencerRow[]; items: Item[]; earlier: WinCandidate['earlier']; engaged: WinCandidate['engaged'] }>([
      // Without those snoozed or done (the item says so), before the cut.
      { $match: { workspaceId: wsId, creatorOwnerId: ownerId, status: 'published', publishedAt: { $gte: from }, hiddenUntil: { $not: { $gt: today } } } },
      // Sorted first, on the index: the creator join then stops at the cut.
      { $sort: { publishedAt: -1, _id: -1 } },
      { $project: { workspaceId: 1, influencerId: 1, type: 1, network: 1, url: 1, publishedAt: 1, metrics: 1 } },
      ...(lookupInWorkspace(this.models.influencers.collection.collectionName, 'influencerId', '_id', 'creator') as PipelineStage[]),
      { $match: { 'creator.ownerId': ownerId, 'creator.archivedAt': null } },
      { $limit: WIN_CANDIDATES },
      {
        $group: {
          _id: '$influencerId',
          workspaceId: { $first: '$workspaceId' },
          creator: { $first: '$creator' },
          items: { $push: { _id: '$_id', type: '$type', network: '$network', url: '$url', publishedAt: '$publishedAt', metrics: '$metrics' } },
        },
      },
      ...(lookupInWorkspace(contents, '_id', 'influencerId', 'earlier') as PipelineStage[]),
      ...(lookupInWorkspace(this.models.touchpoints.collection.collectionName, '_id', 'influencerId', 'engaged') as PipelineStage[]),
      {
        $project: {
          creator: 1,
          items: 1,
          earlier: { $filter: { input: '$earlier', as: 'e', cond: { $and: [{ $eq: ['$$e.status', 'published'] }, { $gt: ['$$e.publishedAt', null] }] } } },
          engaged: { $filter: { input: '$engaged', as: 't', cond: { $and: [{ $eq: ['$$t.kind', 'engagement'] }, { $gte: ['$$t.at', from] }] } } },
        },
      },
    ] as PipelineStage[]);
    const candidates = rows.flatMap(({ creator, items, earlier, engaged }) =>
      items.map((item) => ({ item: withoutNull(item), creator: creator[0]!, earlier, engaged })),
    );
    // Newest first, as read (grouping by creator lost the order): the order the wins keep among equals.
    return candidates.sort((a, b) => b.item.publishedAt.getTime() - a.item.publishedAt.getTime() || String(b.item._id).localeCompare(String(a.item._id)));
  }

  /** Count and totals per currency of the payments due within the warning window and of the late ones: one aggregation. */
  private async paymentsDue(ws: NurtureWorkspace, wsId: Types.ObjectId, today: string, ownerId?: string): Promise<PaymentsDue> {
    const startOfToday = atLocalTime(today, '00:00', ws.timezone);
    const windowEnd = atLocalTime(addDays(today, ws.warnBeforeDueDays + 1), '00:00', ws.timezone);
    const rows = await this.models.payments.aggregate<{ _id: { late: boolean; currency: string }; count: number; amountMinor: number }>([
      { $match: { workspaceId: wsId, status: 'scheduled', dueAt: { $lt: windowEnd }, ...(ownerId ? { ownerId } : {}) } },
      { $group: { _id: { late: { $lt: ['$dueAt', startOfToday] }, currency: '$currency' }, count: { $sum: 1 }, amountMinor: { $sum: '$amountMinor' } } },
    ]);
    const group = (late: boolean) => {
      const mine = rows.filter((row) => row._id.late === late);
      return {
        count: mine.reduce((sum, row) => sum + row.count, 0),
        totals: sumByCurrency(mine.map((row) => ({ currency: row._id.currency, amountMinor: row.amountMinor }))),
      };
    };
    return { late: group(true), dueSoon: group(false) };
  }
}

/** A follow-up as the lists name it; none when its creator is gone or archived. */
function followUpItem(row: FollowUpDoc, creator: InfluencerRow | undefined): FollowUpItem[] {
  if (!creator || (creator as { archivedAt?: Date }).archivedAt) return [];
  const id = String(row._id);
  return [{ key: itemKey({ kind: 'follow-up', id }), id, creator: creatorOf(creator, false), ownerId: row.ownerId, dueDay: row.dueDay, note: row.note }];
}

/** A planned item due soon or overdue, as the digest, the nudges and App Home list it. */
function deliverableItem(
  row: { _id: unknown; collaborationId: unknown; type: string; dueAt: Date },
  collab: { ownerId: string; title: string },
  creator: InfluencerRow,
  timezone: string,
  today: string,
): DeliverableItem {
  const dueDay = localDay(row.dueAt, timezone);
  const id = String(row._id);
  return {
    key: itemKey({ kind: 'deliverable', id }),
    id,
    creator: creatorOf(creator, false),
    ownerId: collab.ownerId,
    collaborationId: String(row.collaborationId),
    collaborationTitle: collab.title,
    type: row.type,
    dueDay,
    inDays: daysBetween(today, dueDay),
  };
}

/** A creator's health: recency against their cadence (from the record), with their deliverables, payments and engagement trend as counted by the caller. */
function healthOfCreator(ws: Pick<NurtureWorkspace, 'timezone' | 'cadences'>, today: string, creator: InfluencerRow, counted: Omit<HealthInput, 'cadence'>): Health {
  const applies = cadenceFor(creator.stage, ws.cadences, ownCadence(creator));
  const since = localDay(creator.lastContact?.at ?? creator.createdAt, ws.timezone);
  return healthScore({ ...(applies ? { cadence: { ...applies, ...cadenceStatus(applies, since, today) } } : {}), ...counted });
}

/** A creator's health from their content items and payments joined to them (the same score as healthOf's). */
function healthOfJoined(ws: Pick<NurtureWorkspace, 'timezone' | 'cadences'>, now: Date, today: string, row: HealthRow): Health {
  const content = row.content ?? [];
  const trend = engagementTrend(publishedEngagement(content));
  return healthOfCreator(ws, today, row, {
    deliverables: deliverableCounts(content, now),
    payments: paymentCounts(row.pay ?? [], today, ws.timezone),
    ...(trend === undefined ? {} : { engagementTrend: trend }),
  });
}

/** An item pushed by $group names every field, a missing one as null: dropped, as a plain read leaves it out. */
function withoutNull<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null && value !== undefined)) as T;
}

function creatorOf(row: InfluencerRow, personal: boolean): Creator {
  return {
    id: String(row._id),
    name: row.name,
    ownerId: row.ownerId,
    stage: row.stage,
    ...(row.handles?.[0] ? { handle: row.handles[0].handle } : {}),
    ...(personal && row.address ? { address: row.address } : {}),
    ...(personal && row.preferences ? { preferences: row.preferences } : {}),
  };
}

function trendOf(items: ReadonlyArray<{ at: Date; e: number } | null>): { engagementTrend?: number } {
  const trend = engagementTrend(items.filter((item): item is { at: Date; e: number } => item !== null && item.at != null).map((item) => ({ at: item.at, engagement: item.e })));
  return trend === undefined ? {} : { engagementTrend: trend };
}
