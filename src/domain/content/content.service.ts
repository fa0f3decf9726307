import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import { refuse } from '../errors';
import { CONTENT_TYPES, METRICS, type ContentType, type Metric, type Network } from '../../core/vocabulary';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import { guessFromUrl, isHttpUrl, urlKey } from './content-links';
import { expectedIn, planMonthItems, slotDueAt } from './checklist-rules';
import { endOfLocalDay, localDay, localMonth, monthOf, startOfLocalDay } from '../../core/calendar';
import { currencyOf, type Collaboration, type ContentItem } from '../collaboration/collaboration.service';
import { lookupInWorkspace } from '../joins';
import { rebaseWrites } from '../rebase';
import type { AuditTrail } from '../audit/audit-trail';
import type { ContentModel } from './content.model';
import { contentOwnerUpdates } from './content-owner.migration';
import { creatorOwnerUpdates } from './creator-owner.migration';
import type { InfluencerModel } from '../influencer/influencer.model';

export interface LogInput {
  url: string;
  /** What the piece is: typed, or what its link says (`readLink`); never guessed from the plan. */
  type: ContentType;
  network?: Network;
  /** `YYYY-MM-DD` in the workspace timezone; unset: now. */
  published?: string;
}

export interface Logged {
  item: ContentItem;
  /** True when it ticked off a planned checklist item; false when it was beyond plan. */
  fromPlan: boolean;
  /** The planned item's due date, when it ticked one off. */
  dueAt?: Date;
}

/** What following new terms did to the checklist. */
export interface ChecklistFollowed {
  added: ContentItem[];
  moved: Array<{ item: ContentItem; from: Date; to: Date }>;
  removed: ContentItem[];
}

export type MetricValues = Partial<Record<Metric, number>>;

/** `/content edit`: a value given changes it; `network: null` clears it. */
export interface ContentPatch {
  type?: ContentType;
  url?: string;
  /** Unset with a new link: what the new link says (cleared when it says nothing). */
  network?: Network | null;
  /** `YYYY-MM-DD` in the workspace timezone. */
  published?: string;
}

export interface ContentFieldChange {
  field: 'type' | 'url' | 'network' | 'publishedAt';
  from: unknown;
  to: unknown;
}

/**
 * Where a piece sits on its collaboration's checklist; `dropped`: it had ticked off an item the
 * terms no longer plan (changed since), so that item is not open again.
 */
export type Placement = { kind: 'plan'; dueAt?: Date; month: string } | { kind: 'beyond'; month: string } | { kind: 'dropped'; month: string };

export interface Edited {
  item: ContentItem;
  /** Field by field; empty when nothing changed (then nothing was written or recorded). */
  changes: ContentFieldChange[];
  /** Set when the type or month moved the piece on the checklist: where it was and where it is now. */
  moved?: { from: Placement; to: Placement };
  /** An edit of the piece cut short earlier (the database failed part way), finished first: what it changed. */
  finished?: { changes: ContentFieldChange[]; moved?: { from: Placement; to: Placement } };
}

/**
 * A piece as `/content edit|remove|metrics` read it, in one round trip: with its collaboration
 * (absent when that is gone) and, when asked, its collaboration's open (planned) checklist items,
 * the ones an edit may tick off instead.
 */
export interface ContentToChange {
  item: ContentItem;
  collaboration?: Collaboration;
  open?: ContentItem[];
}

/** A checklist item planned again: what the reply names. */
export type ReopenedItem = Pick<ContentItem, '_id' | 'type' | 'month' | 'dueAt'>;

export interface Removed {
  /** The checklist item the piece had ticked off, open (planned) again; absent for a piece beyond plan. */
  reopened?: ReopenedItem;
  /** The piece had ticked off an item the terms no longer plan: it is not open again. */
  dropped?: { type: string; month: string };
  /** The reason recorded (a removal cut short and retyped keeps the first one). */
  reason: string;
  /** True when this finished a removal cut short earlier. */
  finished?: true;
}

/** A piece marked for removal, its item open again and its removal recorded: `deleteRemoved` takes it out. */
export interface Removing extends Removed {
  piece: ContentItem;
}

/** A piece marked for removal (`cutShort`: by an earlier removal, cut short), to finish with `finishRemoval`. */
export interface MarkedForRemoval {
  piece: ContentItem;
  cutShort: boolean;
  /** Its item, planned again with the mark (see `writeFirst`). */
  reopened?: ReopenedItem;
}

/** A checklist item to plan again, under an id chosen before the first write: planning it twice makes one item. */
interface Reopening {
  id: Types.ObjectId;
  type: string;
  month: string;
  dueAt?: Date;
  planSlot?: string;
}

/** Checklist work begun on a piece and not finished (`pending` on the piece; see the model). */
interface PendingMove {
  reopen?: Reopening;
  /** The planned item the piece ticks off instead; `upTo` is the piece's month, to pick the next one should it be taken meanwhile. */
  take?: { id: Types.ObjectId; planSlot?: string; upTo: string };
  /** The edit that wrote the piece: recorded in the history once (under `audit`), what it changed returned when finished. */
  edit?: { audit: Types.ObjectId; actorId: string; fields: Array<{ field: string; from: unknown; to: unknown }>; changes: ContentFieldChange[]; from?: Placement };
  /** Set by a removal: the piece goes once its item is open again, its removal recorded (once, under `audit`) and its payment handled. */
  removing?: {
    audit: Types.ObjectId;
    actorId: string;
    reason: string;
    piece: string;
    publishedAt?: Date;
    dropped?: { type: string; month: string };
    /**
     * The item planned again, set in the same write that drops `reopen` (`reopenedOperation`): a
     * retried removal never plans it a second time, should it be ticked off or dropped meanwhile.
     */
    reopened?: ReopenedItem;
  };
}

/** The types each network carries: a link of that network that does not say its type is one of these. */
export const NETWORK_TYPES: Readonly<Record<Network, readonly ContentType[]>> = {
  instagram: ['post', 'story', 'reel'],
  tiktok: ['video', 'story', 'stream'],
  youtube: ['video', 'short', 'stream'],
  x: ['post'],
  twitch: ['stream'],
  linkedin: ['post'],
  pinterest: ['post'],
  blog: ['blog'],
  other: CONTENT_TYPES,
};

/**
 * What a piece is, from what was typed and what its link says; never guessed from the plan.
 * A typed `type:` wins. Else the network (typed, or told by the link's host) must be known, and
 * the type is what the link says (instagram.com/reel/... is a reel) or the network's only type
 * (x.com is a post); a network with several types and a link that names none is ambiguous.
 */
export type LinkReading =
  | { ok: true; type: ContentType; network?: Network }
  | { ok: false; code: 'not-a-link' }
  | { ok: false; code: 'unknown-network'; host: string }
  | { ok: false; code: 'ambiguous-type'; network: Network; types: readonly ContentType[] };

export function readLink(url: string, given: { type?: ContentType | null; network?: Network | null }): LinkReading {
  if (!isHttpUrl(url)) return { ok: false, code: 'not-a-link' };
  const guessed = guessFromUrl(url);
  const network = given.network ?? guessed.network;
  if (given.type) return { ok: true, type: given.type, ...(network ? { network } : {}) };
  if (!network) return { ok: false, code: 'unknown-network', host: hostOf(url) };
  const types = NETWORK_TYPES[network];
  const type = guessed.network === network && guessed.type ? guessed.type : types.length === 1 ? types[0] : undefined;
  return type ? { ok: true, type, network } : { ok: false, code: 'ambiguous-type', network, types };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return url;
  }
}

const LIST_LIMIT = 25;
const CANDIDATES = 10;

export class ContentService {
  constructor(
    private readonly contents: ContentModel,
    private readonly collaborations: CollaborationModel,
    /** Read only: a creator's owner, which each published item carries (`creatorOwnerId`). */
    private readonly influencers: InfluencerModel,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * After a timezone change: every checklist due day (stored as the day's last instant) and every
   * publication day given as a date (stored as the day's start) stays on its calendar day.
   */
  async rebaseTimezone(workspaceId: string, from: string, to: string): Promise<number> {
    const wsId = new Types.ObjectId(workspaceId);
    const docs = await this.contents
      .find({ workspaceId: wsId, $or: [{ dueAt: { $ne: null } }, { publishedAt: { $ne: null } }] }, { dueAt: 1, publishedAt: 1 })
      .lean<Array<{ _id: Types.ObjectId; dueAt?: Date; publishedAt?: Date }>>();
    const writes = rebaseWrites(docs, [{ name: 'dueAt', time: 'end' }, { name: 'publishedAt', time: '00:00' }], { workspaceId: wsId, from, to });
    if (writes.length > 0) await this.contents.bulkWrite(writes, { ordered: false });
    return writes.length;
  }

  /**
   * A published piece of a collaboration: it ticks off the earliest-due planned item of its type
   * up to the month it was published in, or is added beyond plan. The same link twice in one
   * collaboration is refused (also by a unique index, for two people logging it at once).
   */
  async log(collaboration: Collaboration, input: LogInput, timezone: string): Promise<Logged> {
    assertOpenForContent(collaboration, timezone);
    const url = input.url.trim();
    if (!isHttpUrl(url)) throw refuse('content.url-not-http', {});
    const key = urlKey(url);
    const base = { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id };
    // The creator's owner, read alongside: the published item carries it (one person's wins read by it).
    const [existing, creator] = await Promise.all([
      this.contents.findOne({ ...base, urlKey: key }).lean<ContentItem>(),
      this.influencers.findOne({ _id: collaboration.influencerId, workspaceId: collaboration.workspaceId }, { ownerId: 1 }).lean<{ ownerId: string }>(),
    ]);
    if (existing) throw duplicate(collaboration, existing, timezone);

    const now = this.clock();
    const today = localDay(now, timezone);
    if (input.published && input.published > today) {
      throw refuse('content.published-in-future', { published: input.published });
    }
    const publishedAt = input.published ? startOfLocalDay(input.published, timezone) : now;
    const month = localMonth(publishedAt, timezone);
    const { type, network } = input;
    const open = { ...base, status: 'planned' as const, month: { $lte: month } };

    const published = {
      status: 'published' as const,
      url,
      urlKey: key,
      urlSlot: `${String(collaboration._id)} ${key}`,
      publishedAt,
      ...(network ? { network } : {}),
      ...(creator ? { creatorOwnerId: creator.ownerId } : {}),
    };
    try {
      const ticked = await this.contents
        .findOneAndUpdate({ ...open, type }, { $set: published }, { sort: { dueAt: 1, _id: 1 }, returnDocument: 'after' })
        .lean<ContentItem>();
      if (ticked) return { item: ticked, fromPlan: true, ...(ticked.dueAt ? { dueAt: ticked.dueAt } : {}) };
      const created = await this.contents.create({
        ...base,
        influencerId: collaboration.influencerId,
        ownerId: collaboration.ownerId,
        type,
        month,
        planned: false,
        ...published,
      });
      return { item: created.toObject() as ContentItem, fromPlan: false };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const winner = await this.contents.findOne({ ...base, urlKey: key }).lean<ContentItem>();
      throw winner ? duplicate(collaboration, winner, timezone) : error;
    }
  }

  /**
   * Corrects a published piece: type, link, network, publication day. A new link re-derives the
   * network unless one is given. The piece keeps its id (its metrics and its per-deliverable
   * payment stay with it); when its type changes, or its day moves it to a month its checklist
   * item is not in, the checklist item it ticked off opens again (on the day the terms now give its
   * slot; not at all when they no longer plan it) and the piece ticks off the earliest-due open item
   * of its type up to its month, as `log` does, or is beyond plan. Recorded in the history (the
   * creator's and the collaboration's).
   *
   * No transactions, so the order guarantees that no checklist item is ever lost: the piece is
   * written first, already in the place of the item it ticks off, with the work still to do
   * recorded on it (`pending`), and the freed item planned again in the same ordered write (an
   * upsert under a pre-chosen id; its unique plan slot lets it in only once the piece let it go);
   * then, side by side, the edit is recorded and the item it ticks off is consumed; then the piece
   * takes that item's plan slot and drops the record. Each step is idempotent: a crash part way
   * leaves the work on the piece, and retyping the edit (or any later edit or removal of the piece)
   * finishes it first. Meanwhile the checklist can show the taken item still open beside the piece
   * (or, for an item added by hand, planned again after the write, the freed one missing), never an
   * item lost. The piece is written only as it was read: someone else's edit or removal of it in
   * between is refused (`content.changed-meanwhile`), nothing written. `open` is the
   * collaboration's open items as read with the piece (`resolveToChange`); unset, the one to tick
   * off is read here.
   *
   * Round trips after the read: the write, the record (beside the item consumed, when one is), the
   * last write of the piece.
   */
  async edit(given: ContentItem, collaboration: Collaboration, patch: ContentPatch, timezone: string, actorId: string, open?: readonly ContentItem[]): Promise<Edited> {
    assertPublished(given);
    if ((given.pending as PendingMove | undefined)?.removing) throw refuse('content.removal-unfinished', { type: given.type, id: String(given._id) });
    // An edit cut short earlier: it is finished first (recorded, its checklist work done), so this one starts from a whole piece.
    const earlier = given.pending ? await this.recover(given) : undefined;
    const item = earlier?.item ?? given;
    const finished = earlier?.edit ? { finished: earlier.edit } : {};
    const base = { workspaceId: item.workspaceId, collaborationId: item.collaborationId };
    let url = item.url!;
    let key = item.urlKey ?? urlKey(url);
    let network: Network | null = (item.network as Network | undefined) ?? null;
    if (patch.url !== undefined) {
      url = patch.url.trim();
      if (!isHttpUrl(url)) throw refuse('content.url-not-http', {});
      // A link the collaboration holds already is refused by the piece's write (`urlSlot` is unique), then named.
      key = urlKey(url);
      if (url !== item.url) network = guessFromUrl(url).network ?? null;
    }
    if (patch.network !== undefined) network = patch.network;
    const type = patch.type ?? (item.type as ContentType);
    let publishedAt = item.publishedAt!;
    if (patch.published !== undefined && patch.published !== localDay(item.publishedAt!, timezone)) {
      const today = localDay(this.clock(), timezone);
      if (patch.published > today) throw refuse('content.edit-published-in-future', { published: patch.published, today });
      publishedAt = startOfLocalDay(patch.published, timezone);
    }
    const changes: ContentFieldChange[] = [];
    if (type !== item.type) changes.push({ field: 'type', from: item.type, to: type });
    if (url !== item.url) changes.push({ field: 'url', from: item.url, to: url });
    if (network !== (item.network ?? null)) changes.push({ field: 'network', from: item.network ?? null, to: network });
    if (publishedAt.getTime() !== item.publishedAt!.getTime()) changes.push({ field: 'publishedAt', from: item.publishedAt, to: publishedAt });
    if (changes.length === 0) return { item, changes, ...finished };

    const month = localMonth(publishedAt, timezone);
    const keepsPlace = type === item.type && (item.planned ? item.month <= month : item.month === month);
    const $set: Record<string, unknown> = { type, url, urlKey: key, urlSlot: `${String(item.collaborationId)} ${key}`, publishedAt };
    const $unset: Record<string, 1> = {};
    if (network) $set.network = network;
    else $unset.network = 1;
    let pending: PendingMove = {};
    let from: Placement | undefined;
    if (!keepsPlace) {
      const reopen = item.planned ? this.reopening(item, collaboration, timezone) : undefined;
      // Only read here: it is consumed after the piece is written (finishPending). What was read with
      // the piece serves, unless finishing an earlier edit changed the checklist since.
      const target = open && !earlier ? firstOpen(open, item, type, month) : await this.openItem(item, type, month);
      // The piece's own slot is freed for the item planned again; it takes the target's once that one is gone.
      $unset.planSlot = 1;
      Object.assign($set, target ? takePlace(target) : { planned: false, month });
      if (!target?.dueAt) $unset.dueAt = 1;
      pending = { ...(reopen ? { reopen } : {}), ...(target ? { take: { id: target._id, ...(target.planSlot ? { planSlot: target.planSlot } : {}), upTo: month } } : {}) };
      from = reopen ? { kind: 'plan', month: reopen.month, ...(reopen.dueAt ? { dueAt: reopen.dueAt } : {}) } : item.planned ? { kind: 'dropped', month: item.month } : placementOf(item);
    }
    // What it changed goes with the first write: an edit cut short is recorded and followed (its payment moved) when retyped.
    const fields = [{ field: 'piece', from: pieceOf(item), to: `${type} ${url}` }, ...changes];
    $set.pending = { ...pending, edit: { audit: new Types.ObjectId(), actorId, fields, changes, ...(from ? { from } : {}) } };
    let first: Awaited<ReturnType<ContentService['writeFirst']>>;
    try {
      // As read: an edit or removal of the same piece meanwhile would otherwise be overwritten with its checklist work half-known.
      first = await this.writeFirst(item, { $set, ...(Object.keys($unset).length ? { $unset } : {}) }, pending.reopen);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const winner = await this.contents.findOne({ ...base, urlKey: key, _id: { $ne: item._id } }).lean<ContentItem>();
      throw winner ? duplicate(collaboration, winner, timezone) : error;
    }
    if (!first.piece) throw await this.changedMeanwhile(item, 'content.removed-meanwhile');
    const done = await this.finishPending(first.piece, first.reopened);
    return { item: done.item, changes, ...(done.edit?.moved ? { moved: done.edit.moved } : {}), ...finished };
  }

  /**
   * The first step of removing a published piece with the reason (then `finishRemoval`, its payment
   * handled by the caller, and `deleteRemoved`): its metrics go with it, and the
   * checklist item it ticked off is open (planned) again, as a new item on the day the terms now
   * give its slot (not at all when they no longer plan it), so a per-deliverable payment planned for
   * the piece is never taken for the next piece that ticks the item off. Recorded in the history with
   * what the piece was and why it went. No transactions: the piece is marked first (its slot freed,
   * the work to do and the removal recorded on it, its item planned again in the same write, as
   * `edit` does); `finishRemoval` then records the removal; the caller handles its payment and only then
   * `deleteRemoved` takes the piece out, so a crash part way loses no checklist item and leaves no
   * payment for a piece that is gone: retyping the removal finds the marked piece and finishes it.
   * A piece marked already (a removal cut short) is returned as it is, to be finished.
   */
  async markForRemoval(item: ContentItem, collaboration: Collaboration, reason: string, timezone: string, actorId: string): Promise<MarkedForRemoval> {
    assertPublished(item);
    if ((item.pending as PendingMove | undefined)?.removing !== undefined) return { piece: item, cutShort: true };
    // An edit cut short earlier is finished first: it may have taken another item.
    const piece = item.pending ? (await this.recover(item)).item : item;
    const reopen = piece.planned ? this.reopening(piece, collaboration, timezone) : undefined;
    const removing: NonNullable<PendingMove['removing']> = {
      audit: new Types.ObjectId(),
      actorId,
      reason,
      piece: pieceOf(piece),
      ...(piece.publishedAt ? { publishedAt: piece.publishedAt } : {}),
      ...(piece.planned && !reopen ? { dropped: { type: piece.type, month: piece.month } } : {}),
    };
    const pending: PendingMove = { ...(reopen ? { reopen } : {}), removing };
    // As read: an edit of it meanwhile (which may have taken another item) is not undone unseen.
    const written = await this.writeFirst(piece, { $set: { planned: false, pending }, $unset: { planSlot: 1 } }, reopen);
    if (!written.piece) throw await this.changedMeanwhile(piece, 'content.removed-already');
    return { piece: written.piece, cutShort: false, ...(written.reopened ? { reopened: written.reopened } : {}) };
  }

  /**
   * The second step: the marked piece's item is open again and its removal recorded (side by side;
   * both idempotent). The piece keeps its mark until `deleteRemoved`, and notes its item planned
   * again in the write that plans it: a retried removal reports that item and never plans it a
   * second time (it may have been ticked off, or its slot dropped by new terms, meanwhile).
   */
  async finishRemoval(marked: MarkedForRemoval): Promise<Removing> {
    const { piece, cutShort } = marked;
    const removing = (piece.pending as PendingMove).removing!;
    const { reopened } = await this.finishPending(piece, marked.reopened);
    return {
      piece,
      reason: removing.reason,
      ...(reopened ? { reopened } : {}),
      ...(removing.dropped ? { dropped: removing.dropped } : {}),
      ...(cutShort ? { finished: true as const } : {}),
    };
  }

  /**
   * The last step of a removal: the piece marked by `markForRemoval` goes. Only while still marked
   * (an edit of a piece being removed is refused); gone already, a retried removal deleted it.
   */
  async deleteRemoved(piece: ContentItem): Promise<void> {
    await this.contents.deleteOne({ _id: piece._id, workspaceId: piece.workspaceId, status: 'published', planned: false, 'pending.removing': { $exists: true } });
  }

  /**
   * The first write of an edit or removal: the piece, only as it was read, with the work still to
   * do recorded on it. A freed checklist item that has a plan slot is planned again in the same
   * ordered write, right after the piece: the slot is unique, so the item is planned only once the
   * piece has let its slot go; when the piece had changed meanwhile (not written), either it still
   * holds the slot and the item is refused, or whoever changed it let the slot go and the item is the
   * one that change plans again (its own upsert of the slot meets this one). An item added by hand
   * (no slot) is planned again after (`finishPending`). Returns the piece as written (its
   * `updatedAt` is the read one), or no piece when it changed meanwhile.
   */
  private async writeFirst(read: ContentItem, update: { $set: Record<string, unknown>; $unset?: Record<string, 1> }, reopen?: Reopening): Promise<{ piece: ContentItem | null; reopened?: ReopenedItem }> {
    const filter = { _id: read._id, workspaceId: read.workspaceId, status: 'published' as const, updatedAt: read.updatedAt };
    if (!reopen?.planSlot) return { piece: await this.contents.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<ContentItem>() };
    const written = { ...read, ...update.$set } as Record<string, unknown>;
    for (const field of Object.keys(update.$unset ?? {})) delete written[field];
    const reopened: ReopenedItem = { _id: reopen.id, type: reopen.type as ContentType, month: reopen.month, ...(reopen.dueAt ? { dueAt: reopen.dueAt } : {}) };
    // A removal also notes, in the same ordered write once its item is in, that the item is planned (see `reopenedOperation`).
    const removing = (update.$set.pending as PendingMove | undefined)?.removing !== undefined;
    try {
      const result = await this.contents.bulkWrite([{ updateOne: { filter, update } }, planAgainOperation(read, reopen), ...(removing ? [reopenedOperation(read, reopen, reopened)] : [])], { ordered: true });
      // The note matches only a piece the first write matched.
      return result.matchedCount > 0 ? { piece: (removing ? noteReopened(written, reopened) : written) as ContentItem, reopened } : { piece: null };
    } catch (error) {
      const failed = error as { code?: number; writeErrors?: Array<{ index: number }>; result?: { matchedCount: number } };
      // The piece's own write refused (a link logged twice): as `findOneAndUpdate` would throw it.
      if (failed.code !== 11000 || failed.writeErrors?.[0]?.index !== 1) throw error;
      if (failed.result?.matchedCount !== 1) return { piece: null };
      // Written, and its slot planned again meanwhile (the monthly run saw it free): that item is the one open again.
      const existing = await this.contents.findOne({ workspaceId: read.workspaceId, planSlot: reopen.planSlot }, { type: 1, month: 1, dueAt: 1 }).lean<ReopenedItem>().orFail();
      if (removing) await this.noteReopenedOn(read, reopen, existing);
      return { piece: (removing ? noteReopened(written, existing) : written) as ContentItem, reopened: existing };
    }
  }

  /** Why a write on a piece as read matched nothing: it is gone, or someone changed it meanwhile (nothing was written). */
  private async changedMeanwhile(read: ContentItem, gone: 'content.removed-meanwhile' | 'content.removed-already') {
    const still = await this.contents.exists({ _id: read._id, workspaceId: read.workspaceId, status: 'published' });
    return still ? refuse('content.changed-meanwhile', { type: read.type }) : refuse(gone, { type: read.type });
  }

  /**
   * The checklist item a piece had ticked off, to plan again with its type, month and plan slot,
   * due on the day the collaboration's terms now give that slot (they may have changed since it
   * was planned: content once or monthly, dates, content per month); an item added by hand keeps
   * its day. Undefined when the terms no longer plan the slot. As `followTerms`, only from this
   * month on: an earlier month's item keeps its day (kept on purpose when the terms changed) and
   * is dropped only when the collaboration's dates no longer cover it.
   */
  private reopening(item: ContentItem, collaboration: Collaboration, timezone: string): Reopening | undefined {
    let dueAt = item.dueAt ?? undefined;
    if (item.planSlot && item.month >= localMonth(this.clock(), timezone)) {
      dueAt = slotDueAt(collaboration, item.planSlot.slice(item.planSlot.indexOf(':') + 1), timezone);
      if (!dueAt) return undefined;
    } else if (item.planSlot && outsideDates(collaboration, item, timezone)) {
      // An earlier month keeps its slots as planned (as followTerms does), unless the dates no longer cover it.
      return undefined;
    }
    return { id: new Types.ObjectId(), type: item.type, month: item.month, ...(dueAt ? { dueAt } : {}), ...(item.planSlot ? { planSlot: item.planSlot } : {}) };
  }

  /** The earliest-due open item of `type` up to `month` that `piece` could tick off (only read). */
  private openItem(piece: ContentItem, type: ContentType, month: string): Promise<ContentItem | null> {
    return this.contents
      .findOne({ workspaceId: piece.workspaceId, collaborationId: piece.collaborationId, status: 'planned', type, month: { $lte: month }, _id: { $ne: piece._id } })
      .sort({ dueAt: 1, _id: 1 })
      .lean<ContentItem>();
  }

  /**
   * Finishes an edit cut short earlier and reads the piece back as it now is (its last write is
   * conditional on the piece as read): a round trip more, only when recovering.
   */
  private async recover(piece: ContentItem): Promise<{ item: ContentItem; edit?: NonNullable<Edited['finished']> }> {
    const { edit } = await this.finishPending(piece);
    const item = await this.contents.findOne({ _id: piece._id, workspaceId: piece.workspaceId }).lean<ContentItem>();
    if (!item) throw refuse('content.removed-meanwhile', { type: piece.type });
    return { item, ...(edit ? { edit } : {}) };
  }

  /**
   * Finishes the checklist work recorded on a piece, in an order that never loses an item: the
   * change is recorded (under the id chosen with the first write: once, however often this runs)
   * while the item to reopen is planned again (an upsert under its pre-chosen id: done twice it is
   * one item; `reopened` when the first write did it) and, once it is, the item to take is
   * consumed; then the piece takes its plan slot and drops the record. An item to take that was
   * ticked off meanwhile (a `log` at the same moment) gives way to the next open one, or the piece
   * is beyond plan. A piece being removed keeps its mark (with the item open again noted) until it
   * is deleted. The piece returned is the one written, with what this did to it.
   */
  private async finishPending(piece: ContentItem, reopenedFirst?: ReopenedItem): Promise<{ item: ContentItem; edit?: NonNullable<Edited['finished']>; reopened?: ReopenedItem }> {
    const pending = (piece.pending ?? {}) as PendingMove;
    const { removing } = pending;
    const recorded = Promise.all([
      pending.edit && this.record(piece, 'content-edit', pending.edit.actorId, pending.edit.fields, pending.edit.audit),
      removing &&
        this.record(piece, 'content-remove', removing.actorId, [
          { field: 'piece', from: removing.piece, to: null },
          { field: 'publishedAt', from: removing.publishedAt ?? null, to: null },
          { field: 'reason', from: null, to: removing.reason },
        ], removing.audit),
    ]);
    // A removal planned its item again once (`reopen` dropped, `reopened` noted): a retry does not plan it a second time.
    const reopening = Promise.resolve(reopenedFirst ?? (pending.reopen ? this.planAgain(piece, pending.reopen) : removing?.reopened));
    if (removing) {
      const [, reopened] = await Promise.all([recorded, reopening]);
      return { item: piece, ...(reopened ? { reopened } : {}) };
    }
    // The item taken goes only once the freed one is open again: never both missing.
    const [, , took] = await Promise.all([recorded, reopening, reopening.then(() => this.take(piece, pending.take))]);
    const item = await this.settle(took.piece, took.take);
    const edit = pending.edit && { changes: pending.edit.changes, ...(pending.edit.from ? { moved: { from: pending.edit.from, to: placementOf(item) } } : {}) };
    return { item, ...(edit ? { edit } : {}) };
  }

  /**
   * Consumes the planned item the piece ticks off instead (`take`); one ticked off meanwhile gives
   * way to the next open one up to the piece's month, or the piece is beyond plan. Returns the piece
   * as placed and the item taken.
   */
  private async take(piece: ContentItem, take: PendingMove['take']): Promise<{ piece: ContentItem; take?: PendingMove['take'] }> {
    const where = { _id: piece._id, workspaceId: piece.workspaceId };
    let placed = piece;
    for (let tries = 0; take; tries++) {
      const taken = await this.contents.deleteOne({ _id: take.id, workspaceId: piece.workspaceId, status: 'planned' });
      // Gone already: consumed by this same step before a crash.
      if (taken.deletedCount === 1 || !(await this.contents.exists({ _id: take.id, workspaceId: piece.workspaceId }))) break;
      const next = tries < 5 ? await this.openItem(piece, piece.type as ContentType, take.upTo) : null;
      const upTo = take.upTo;
      take = next ? { id: next._id, ...(next.planSlot ? { planSlot: next.planSlot } : {}), upTo } : undefined;
      await this.contents.updateOne(
        where,
        next
          ? { $set: { ...takePlace(next), 'pending.take': take }, ...(next.dueAt ? {} : { $unset: { dueAt: 1 } }) }
          : { $set: { planned: false, month: upTo }, $unset: { dueAt: 1, 'pending.take': 1 } },
      );
      const { dueAt: _dueAt, ...rest } = placed;
      placed = { ...rest, ...(next ? takePlace(next) : { planned: false, month: upTo }) } as ContentItem;
    }
    return { piece: placed, ...(take ? { take } : {}) };
  }

  /**
   * The last write of an edit: the piece drops its record and takes the consumed item's plan slot.
   * That slot planned again meanwhile (the monthly run saw it free): the open copy goes and the
   * piece ticks it off.
   */
  private async settle(piece: ContentItem, take: PendingMove['take']): Promise<ContentItem> {
    const where = { _id: piece._id, workspaceId: piece.workspaceId };
    const done = { ...(take?.planSlot ? { $set: { planSlot: take.planSlot } } : {}), $unset: { pending: 1 } };
    let written;
    try {
      written = await this.contents.updateOne(where, done);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      await this.contents.deleteOne({ workspaceId: piece.workspaceId, planSlot: take!.planSlot, status: 'planned' });
      written = await this.contents.updateOne(where, done);
    }
    if (written.matchedCount === 0) throw refuse('content.removed-meanwhile', { type: piece.type });
    const { pending: _pending, ...rest } = piece;
    return { ...rest, ...(take?.planSlot ? { planSlot: take.planSlot } : {}) } as ContentItem;
  }

  /**
   * Plans a checklist item again, once however often it is called; a slot planned again meanwhile is
   * that item. For a piece being removed, the same ordered write notes it on the piece once the item
   * is in (`reopenedOperation`): no round trip more, and a retried removal does not plan it again.
   */
  private async planAgain(piece: ContentItem, reopen: Reopening): Promise<ReopenedItem> {
    const reopened: ReopenedItem = { _id: reopen.id, type: reopen.type as ContentType, month: reopen.month, ...(reopen.dueAt ? { dueAt: reopen.dueAt } : {}) };
    const removing = (piece.pending as PendingMove | undefined)?.removing !== undefined;
    try {
      if (removing) await this.contents.bulkWrite([planAgainOperation(piece, reopen), reopenedOperation(piece, reopen, reopened)], { ordered: true });
      else {
        const { filter, update } = planAgainOperation(piece, reopen).updateOne;
        await this.contents.updateOne(filter, update, { upsert: true });
      }
    } catch (error) {
      if ((error as { code?: number }).code !== 11000 || !reopen.planSlot) throw error;
      const existing = await this.contents.findOne({ workspaceId: piece.workspaceId, planSlot: reopen.planSlot }, { type: 1, month: 1, dueAt: 1 }).lean<ReopenedItem>().orFail();
      if (removing) await this.noteReopenedOn(piece, reopen, existing);
      return existing;
    }
    return reopened;
  }

  /** `reopenedOperation` on its own: after a slot was found planned again meanwhile (a round trip more, only then). */
  private async noteReopenedOn(piece: ContentItem, reopen: Reopening, reopened: ReopenedItem): Promise<void> {
    const { filter, update } = reopenedOperation(piece, reopen, reopened).updateOne;
    await this.contents.updateOne(filter, update);
  }

  /** In the creator's and the collaboration's history (`about`), under the piece's own id. */
  private async record(item: ContentItem, action: string, actorId: string, fields: Array<{ field: string; from: unknown; to: unknown }>, id: Types.ObjectId) {
    await this.audit.record({ id, workspaceId: item.workspaceId, entity: 'content', entityId: item._id, about: [item.influencerId, item.collaborationId], action, actorId, fields });
  }

  /** Whether any piece of the collaboration has revenue recorded (stored in the collaboration's currency). */
  async hasRevenue(collaboration: Pick<Collaboration, '_id' | 'workspaceId'>): Promise<boolean> {
    const found = await this.contents.exists({ workspaceId: collaboration.workspaceId, collaborationId: collaboration._id, 'metrics.revenue': { $gt: 0 } });
    return found !== null;
  }

  /** Records results; every value is kept with when it was recorded and by whom, the latest one counts. */
  async recordMetrics(item: ContentItem, values: MetricValues, actorId: string): Promise<ContentItem> {
    const entries = Object.entries(values).filter((entry): entry is [Metric, number] => entry[1] !== undefined);
    const unknown = entries.filter(([metric]) => !(METRICS as readonly string[]).includes(metric)).map(([metric]) => metric);
    if (unknown.length > 0) throw refuse('content.unknown-metric', { metrics: unknown });
    const negative = entries.filter(([, value]) => !(Number.isSafeInteger(value) && value >= 0)).map(([metric]) => metric);
    if (negative.length > 0) {
      throw refuse('content.negative-metric', { metrics: negative });
    }
    if (entries.length === 0) throw refuse('content.no-metric', {});
    const at = this.clock();
    return this.contents
      .findOneAndUpdate(
        { _id: item._id, workspaceId: item.workspaceId },
        {
          $set: Object.fromEntries(entries.map(([metric, value]) => [`metrics.${metric}`, value])),
          $push: { metricHistory: { $each: entries.map(([metric, value]) => ({ metric, value, at, byId: actorId })) } },
        },
        { returnDocument: 'after' },
      )
      .lean<ContentItem>()
      .orFail();
  }

  /** `ref` is a content id or its link. */
  async resolve(workspaceId: string, ref: string): Promise<ContentItem> {
    const wsId = new Types.ObjectId(workspaceId);
    const trimmed = ref.trim();
    if (/^[a-f0-9]{24}$/i.test(trimmed)) {
      const byId = await this.contents.findOne({ _id: new Types.ObjectId(trimmed), workspaceId: wsId }).lean<ContentItem>();
      if (byId) return byId;
    } else if (isHttpUrl(trimmed)) {
      const byUrl = await this.contents.find({ workspaceId: wsId, urlKey: urlKey(trimmed) }).limit(CANDIDATES).lean<ContentItem[]>();
      if (byUrl.length === 1) return byUrl[0]!;
      if (byUrl.length > 1) {
        const owners = await this.collaborationsOf(byUrl);
        throw refuse('content.link-in-several', {
          candidates: byUrl.map((c) => ({ type: c.type, id: String(c._id), ...(owners.get(String(c.collaborationId)) ? { title: owners.get(String(c.collaborationId))!.title } : {}) })),
        });
      }
    }
    throw refuse('content.not-found', { typed: trimmed });
  }

  /**
   * `resolve` with the piece's collaboration and, with `open`, that collaboration's open checklist
   * items, in one round trip (`$lookup`s on the collaboration's id): what an edit, a removal or a
   * metrics entry reads before it writes. A link in several collaborations names them, as `resolve`.
   */
  async resolveToChange(workspaceId: string, ref: string, options: { open?: boolean } = {}): Promise<ContentToChange> {
    const wsId = new Types.ObjectId(workspaceId);
    const trimmed = ref.trim();
    const match = /^[a-f0-9]{24}$/i.test(trimmed)
      ? { _id: new Types.ObjectId(trimmed), workspaceId: wsId }
      : isHttpUrl(trimmed)
        ? { workspaceId: wsId, urlKey: urlKey(trimmed) }
        : undefined;
    if (!match) throw refuse('content.not-found', { typed: trimmed });
    const found = await this.contents.aggregate<ContentItem & { of: Collaboration[]; open?: ContentItem[] }>([
      { $match: match },
      { $limit: CANDIDATES },
      ...lookupInWorkspace(this.collaborations.collection.collectionName, 'collaborationId', '_id', 'of'),
      ...(options.open
        ? [
            { $lookup: { from: this.contents.collection.collectionName, localField: 'collaborationId', foreignField: 'collaborationId', as: 'open' } },
            // Only the open items reach the app: a long collaboration's published pieces stay on the server.
            { $addFields: { open: { $filter: { input: '$open', as: 'o', cond: { $and: [{ $eq: ['$$o.workspaceId', '$workspaceId'] }, { $eq: ['$$o.status', 'planned'] }] } } } } },
          ]
        : []),
    ]);
    if (found.length > 1) {
      throw refuse('content.link-in-several', {
        candidates: found.map((c) => ({ type: c.type, id: String(c._id), ...(c.of[0] ? { title: c.of[0].title } : {}) })),
      });
    }
    if (!found[0]) throw refuse('content.not-found', { typed: trimmed });
    const { of, open, ...item } = found[0];
    return { item: item as ContentItem, ...(of[0] ? { collaboration: of[0] } : {}), ...(open ? { open } : {}) };
  }

  /** Published content, newest first, of one collaboration or of every collaboration of one creator. */
  async list(
    workspaceId: string,
    scope: { collaborationId: Types.ObjectId } | { influencerId: Types.ObjectId },
  ): Promise<{ items: ContentItem[]; total: number; collaborations: Map<string, { title: string; currency: string }> }> {
    const filter = { workspaceId: new Types.ObjectId(workspaceId), status: 'published' as const, ...scope };
    // Two round trips: the count, and the page with each item's collaboration ($lookup).
    const [found, total] = await Promise.all([
      this.contents.aggregate<ContentItem & { of: Array<Pick<Collaboration, '_id' | 'title' | 'compensation'>> }>([
        { $match: filter },
        { $sort: { publishedAt: -1, _id: -1 } },
        { $limit: LIST_LIMIT },
        ...lookupInWorkspace(this.collaborations.collection.collectionName, 'collaborationId', '_id', 'of'),
      ]),
      this.contents.countDocuments(filter),
    ]);
    const collaborations = new Map(found.flatMap(({ of }) => of.map((c) => [String(c._id), { title: c.title, currency: currencyOf(c) }] as const)));
    return { items: found.map(({ of: _of, ...item }) => item as ContentItem), total, collaborations };
  }

  /**
   * The workspace's most recently published pieces with their collaboration's title, for
   * suggestions while a content reference is typed. One round trip.
   */
  async recent(workspaceId: string, limit: number): Promise<Array<{ item: ContentItem; title?: string }>> {
    const found = await this.contents.aggregate<ContentItem & { of: Array<Pick<Collaboration, 'title'>> }>([
      { $match: { workspaceId: new Types.ObjectId(workspaceId), status: 'published' } },
      { $sort: { publishedAt: -1, _id: -1 } },
      { $limit: limit },
      { $project: { metricHistory: 0 } },
      ...lookupInWorkspace(this.collaborations.collection.collectionName, 'collaborationId', '_id', 'of'),
    ]);
    return found.map(({ of, ...item }) => ({ item: item as ContentItem, ...(of[0] ? { title: of[0].title } : {}) }));
  }

  /** A month's checklist, plus items still open from earlier months (overdue). */
  async checklist(collaboration: Collaboration, month: string): Promise<{ items: ContentItem[]; overdue: ContentItem[] }> {
    const base = { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id };
    const [items, overdue] = await Promise.all([
      this.contents.find({ ...base, month }).sort({ dueAt: 1, publishedAt: 1, _id: 1 }).lean<ContentItem[]>(),
      this.contents.find({ ...base, month: { $lt: month }, status: 'planned' }).sort({ dueAt: 1, _id: 1 }).lean<ContentItem[]>(),
    ]);
    return { items, overdue };
  }

  /** Every item a collaboration's checklists planned (any month, any status), by due day. */
  async plannedOf(collaboration: Pick<Collaboration, '_id' | 'workspaceId'>): Promise<ContentItem[]> {
    return this.contents
      .find({ workspaceId: collaboration.workspaceId, collaborationId: collaboration._id, planned: true })
      .sort({ dueAt: 1, _id: 1 })
      .lean<ContentItem[]>();
  }

  /** Adds one item to the checklist by hand, due at the end of `dueDate` (`YYYY-MM-DD`) in the workspace timezone. */
  async addPlanned(collaboration: Collaboration, type: ContentType, dueDate: string, timezone: string): Promise<ContentItem> {
    if (collaboration.status !== 'active') throw refuse('checklist.collaboration-closed', { title: collaboration.title, status: collaboration.status });
    const startDay = localDay(collaboration.start, timezone);
    if (dueDate < startDay) throw refuse('checklist.due-before-start', { due: dueDate, start: startDay });
    if (collaboration.end && dueDate > localDay(collaboration.end, timezone)) {
      throw refuse('checklist.due-after-end', { due: dueDate, end: localDay(collaboration.end, timezone) });
    }
    const created = await this.contents.create({
      workspaceId: collaboration.workspaceId,
      collaborationId: collaboration._id,
      influencerId: collaboration.influencerId,
      ownerId: collaboration.ownerId,
      type,
      month: monthOf(dueDate),
      dueAt: endOfLocalDay(dueDate, timezone),
      status: 'planned',
      planned: true,
    });
    return created.toObject() as ContentItem;
  }

  /**
   * Cancels a planned item: `ref` is its id, or a content type for the last-due open item of that
   * type in `month`. Published content is never cancelled.
   */
  async cancelPlanned(collaboration: Collaboration, ref: { id: string } | { type: ContentType; month: string }): Promise<ContentItem> {
    const base = { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id };
    let item: ContentItem | null;
    if ('id' in ref) {
      item = /^[a-f0-9]{24}$/i.test(ref.id)
        ? await this.contents.findOne({ ...base, _id: new Types.ObjectId(ref.id) }).lean<ContentItem>()
        : null;
      if (!item) throw refuse('checklist.no-such-item', { typed: ref.id, title: collaboration.title, collaborationId: String(collaboration._id) });
      if (item.status !== 'planned') throw refuse('checklist.not-planned', { type: item.type, status: item.status });
    } else {
      item = await this.contents
        .findOne({ ...base, month: ref.month, type: ref.type, status: 'planned' })
        .sort({ dueAt: -1, _id: -1 })
        .lean<ContentItem>();
      if (!item) throw refuse('checklist.no-open-item', { type: ref.type, month: ref.month, title: collaboration.title });
    }
    return this.contents
      .findOneAndUpdate({ ...base, _id: item._id, status: 'planned' }, { $set: { status: 'cancelled' } }, { returnDocument: 'after' })
      .lean<ContentItem>()
      .orFail(() => refuse('checklist.item-changed', {}));
  }

  /**
   * Plans `month`'s checklist of these collaborations (of one workspace): one upsert per slot, and
   * the slot is a unique index, so calling it again, late, or from two replicas never duplicates an
   * item, and a slot someone cancelled stays cancelled. `readFirst` reads the slots planned already
   * (on an earlier run or by `collab new`) in one round trip and writes only the missing ones, so a
   * month planned already writes nothing, however many collaborations run in it. Returns how many
   * items were planned.
   */
  async planChecklist(workspaceId: string, collaborations: readonly Collaboration[], month: string, timezone: string, options: { readFirst?: boolean } = {}): Promise<number> {
    const operations = planOperations(collaborations, month, timezone);
    if (!options.readFirst) return this.writePlan(operations);
    // The filter is exactly the unique index ({planSlot}); a slot starts with its collaboration's id,
    // and the workspace is checked on what comes back.
    const slots = operations.map((op) => op.updateOne.filter.planSlot);
    const wsId = new Types.ObjectId(workspaceId);
    const existing = slots.length
      ? new Set(
          (await this.contents.find({ planSlot: { $in: slots } }, { _id: 0, planSlot: 1, workspaceId: 1 }).lean<Array<{ planSlot: string; workspaceId: Types.ObjectId }>>())
            .filter((c) => c.workspaceId.equals(wsId))
            .map((c) => c.planSlot),
        )
      : new Set<string>();
    return this.writePlan(operations.filter((op) => !existing.has(op.updateOne.filter.planSlot)));
  }

  /**
   * The collaboration's items carry its owner (App Home reads one person's deliverables by it):
   * after an owner change, every item that names another owner is moved to the new one. Idempotent
   * (an item in step is not written), so retyping an edit cut short finishes it. Returns how many.
   */
  async followOwner(collaboration: Pick<Collaboration, '_id' | 'workspaceId' | 'ownerId'>): Promise<number> {
    const moved = await this.contents.updateMany(
      { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id, ownerId: { $ne: collaboration.ownerId } },
      { $set: { ownerId: collaboration.ownerId } },
    );
    return moved.modifiedCount;
  }

  /**
   * A creator's published items carry their owner (App Home reads one person's wins by it): after
   * creators' owners changed (an edit, an import), every such item that names another owner is
   * moved to the new one, one round trip for them all. Idempotent (an item in step is not written),
   * so retyping an edit cut short finishes it. Returns how many items moved.
   */
  async followCreatorOwners(workspaceId: Types.ObjectId, creators: ReadonlyArray<{ influencerId: Types.ObjectId; ownerId: string }>): Promise<number> {
    if (creators.length === 0) return 0;
    const moved = await this.contents.bulkWrite(
      creators.map((c) => ({
        updateMany: {
          filter: { workspaceId, influencerId: c.influencerId, status: 'published' as const, creatorOwnerId: { $ne: c.ownerId } },
          update: { $set: { creatorOwnerId: c.ownerId } },
        },
      })),
      { ordered: false, timestamps: false },
    );
    return moved.modifiedCount;
  }

  /**
   * Puts items aside on App Home until a day (a snoozed or done deliverable or win; see the model),
   * never sooner than they already are (a snooze does not undo a "done"). Returns how many changed.
   */
  async hide(items: ReadonlyArray<{ workspaceId: Types.ObjectId; id: Types.ObjectId; until: string }>): Promise<number> {
    if (items.length === 0) return 0;
    const result = await this.contents.bulkWrite(
      items.map((item) => ({ updateOne: { filter: { _id: item.id, workspaceId: item.workspaceId, hiddenUntil: { $not: { $gte: item.until } } }, update: { $max: { hiddenUntil: item.until } } } })),
      { ordered: false },
    );
    return result.modifiedCount;
  }

  /**
   * At start: items stored before they carried their collaboration's owner get it, a page of
   * items (by _id) at a time: three round trips per page (the items, their collaborations' owners,
   * the bulk write), none once every item has it. Each write is guarded by the same condition, so
   * an item written meanwhile (which carries its owner) is never overwritten. Returns how many.
   */
  async upgradeStored(): Promise<number> {
    let changed = 0;
    for await (const batch of contentOwnerUpdates(this.contents, this.collaborations)) changed += (await this.contents.bulkWrite(batch, { ordered: false })).modifiedCount;
    return changed;
  }

  /**
   * At start: published items stored before they carried their creator's owner get it, a page at
   * a time (see creator-owner.migration.ts), each write guarded by the same condition. Returns how many.
   */
  async upgradeCreatorOwners(): Promise<number> {
    let changed = 0;
    for await (const batch of creatorOwnerUpdates(this.contents, this.influencers)) changed += (await this.contents.bulkWrite(batch, { ordered: false, timestamps: false })).modifiedCount;
    return changed;
  }

  /** A closed collaboration's checklist items still open are cancelled; published content stays. Returns how many. */
  async cancelOpen(collaboration: Pick<Collaboration, '_id' | 'workspaceId'>): Promise<number> {
    const cancelled = await this.contents.updateMany(
      { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id, status: 'planned' },
      { $set: { status: 'cancelled' } },
    );
    return cancelled.modifiedCount;
  }

  /** One unordered bulk upsert of plan slots; a slot that exists stays as it is. */
  private async writePlan(operations: ReturnType<typeof planOperations>): Promise<number> {
    if (operations.length === 0) return 0;
    try {
      const result = await this.contents.bulkWrite(operations, { ordered: false });
      return result.upsertedCount;
    } catch (error) {
      // Another replica planned the same slot at the same moment: the unique index kept one.
      if ((error as { code?: number }).code === 11000) return (error as { result?: { upsertedCount?: number } }).result?.upsertedCount ?? 0;
      throw error;
    }
  }

  /**
   * Brings the open checklist in line with the collaboration's terms (content per month, start,
   * end), with the same planner as the monthly run: from this month on, each month's open planned
   * slots move to their new due days, slots the terms no longer call for are removed and new ones
   * are planned; in earlier months, open slots outside the new dates are removed. Published and
   * cancelled items, and items added by hand, never change. Idempotent.
   */
  async followTerms(collaboration: Collaboration, timezone: string): Promise<ChecklistFollowed> {
    const base = { workspaceId: collaboration.workspaceId, collaborationId: collaboration._id };
    const current = localMonth(this.clock(), timezone);
    const open = await this.contents.find({ ...base, status: 'planned', planSlot: { $exists: true } }).lean<ContentItem[]>();
    const months = [...new Set([current, ...open.map((item) => item.month).filter((month) => month > current)])].sort();
    const wanted = new Map<string, Date>();
    for (const month of months) {
      for (const item of planMonthItems(month, expectedIn(collaboration, month, timezone), { start: collaboration.start, end: collaboration.end, contentCadence: collaboration.contentCadence }, timezone)) {
        wanted.set(`${String(collaboration._id)}:${item.slot}`, item.dueAt);
      }
    }
    const removed = open.filter((item) => (item.month >= current ? !wanted.has(item.planSlot!) : outsideDates(collaboration, item, timezone)));
    const moved = open
      .filter((item) => item.month >= current && wanted.has(item.planSlot!) && item.dueAt?.getTime() !== wanted.get(item.planSlot!)!.getTime())
      .map((item) => ({ item, from: item.dueAt!, to: wanted.get(item.planSlot!)! }));
    const writes = [
      ...removed.map((item) => ({ deleteOne: { filter: { ...base, _id: item._id, status: 'planned' as const } } })),
      ...moved.map(({ item, to }) => ({ updateOne: { filter: { ...base, _id: item._id, status: 'planned' as const }, update: { $set: { dueAt: to } } } })),
    ];
    if (writes.length > 0) await this.contents.bulkWrite(writes, { ordered: false });
    const existing = new Set(open.map((item) => item.planSlot));
    const operations = months.flatMap((month) => planOperations([collaboration], month, timezone));
    const fresh = operations.filter((op) => !existing.has(op.updateOne.filter.planSlot));
    await this.writePlan(fresh);
    const added = fresh.length
      ? await this.contents
          .find({ ...base, planSlot: { $in: fresh.map((op) => op.updateOne.filter.planSlot) }, status: 'planned' })
          .sort({ dueAt: 1, _id: 1 })
          .lean<ContentItem[]>()
      : [];
    // A slot that exists already (published or cancelled) is not "added": only those created now.
    const createdNow = added.filter((item) => !existing.has(item.planSlot));
    return { added: createdNow, moved, removed };
  }

  /** Title and currency of the collaborations the items belong to, by id. */
  private async collaborationsOf(items: readonly ContentItem[]): Promise<Map<string, { title: string; currency: string }>> {
    if (items.length === 0) return new Map();
    const found = await this.collaborations
      .find({ workspaceId: items[0]!.workspaceId, _id: { $in: items.map((item) => item.collaborationId) } })
      .select({ title: 1, compensation: 1 })
      .lean<Array<Pick<Collaboration, '_id' | 'title' | 'compensation'>>>();
    return new Map(found.map((c) => [String(c._id), { title: c.title, currency: currencyOf(c) }]));
  }
}

/**
 * Content is logged on an active collaboration only: a completed or cancelled one has no checklist
 * left and its results are final. `creator` (`@handle` or `"Name"`) makes the way out concrete.
 */
export function assertOpenForContent(collaboration: Pick<Collaboration, 'title' | 'status' | 'closedAt'>, timezone: string, creator?: string): void {
  if (collaboration.status === 'active') return;
  throw refuse('content.collaboration-closed', {
    title: collaboration.title,
    status: collaboration.status,
    ...(collaboration.closedAt ? { closedDay: localDay(collaboration.closedAt, timezone) } : {}),
    ...(creator ? { creator } : {}),
  });
}

function assertPublished(item: ContentItem): void {
  if (item.status === 'published') return;
  throw refuse('content.not-published', { type: item.type, status: item.status });
}

/** Whether a checklist item's day (its month's first, without one) is outside the collaboration's start and end. */
function outsideDates(collaboration: Pick<Collaboration, 'start' | 'end'>, item: Pick<ContentItem, 'dueAt' | 'month'>, timezone: string): boolean {
  const day = item.dueAt ? localDay(item.dueAt, timezone) : `${item.month}-01`;
  return day < localDay(collaboration.start, timezone) || (collaboration.end ? day > localDay(collaboration.end, timezone) : false);
}

/** Where a piece ticking off `target` sits: the target's month and due day, as a checklist item. */
const takePlace = (target: ContentItem) => ({ planned: true, month: target.month, ...(target.dueAt ? { dueAt: target.dueAt } : {}) });

/**
 * The open item `firstOpen` picks from those read with the piece, as `openItem` would read it: of
 * `type`, up to `month`, not the piece; earliest due first (an item without a due day first, as
 * MongoDB sorts a missing value), then by id.
 */
function firstOpen(open: readonly ContentItem[], piece: ContentItem, type: ContentType, month: string): ContentItem | null {
  const due = (item: ContentItem) => item.dueAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const candidates = open.filter((item) => item.status === 'planned' && item.type === type && item.month <= month && !item._id.equals(piece._id));
  candidates.sort((a, b) => due(a) - due(b) || String(a._id).localeCompare(String(b._id)));
  return candidates[0] ?? null;
}

/** The upsert that plans a checklist item again under its pre-chosen id: done twice, it is one item. */
function planAgainOperation(piece: ContentItem, reopen: Reopening) {
  const item = {
    workspaceId: piece.workspaceId,
    collaborationId: piece.collaborationId,
    influencerId: piece.influencerId,
    ...(piece.ownerId ? { ownerId: piece.ownerId } : {}),
    type: reopen.type,
    month: reopen.month,
    planned: true,
    status: 'planned',
    metrics: {},
    metricHistory: [],
    ...(reopen.dueAt ? { dueAt: reopen.dueAt } : {}),
    ...(reopen.planSlot ? { planSlot: reopen.planSlot } : {}),
  };
  return { updateOne: { filter: { _id: reopen.id }, update: { $setOnInsert: item }, upsert: true } };
}

/**
 * A piece being removed drops the item to reopen and notes the item open again (`removing.reopened`),
 * only while it still holds that very `reopen` (the id chosen with its mark): what a retried removal
 * reports, without planning the item a second time.
 */
function reopenedOperation(piece: ContentItem, reopen: Reopening, reopened: ReopenedItem) {
  const noted = { _id: reopened._id, type: reopened.type, month: reopened.month, ...(reopened.dueAt ? { dueAt: reopened.dueAt } : {}) };
  return {
    updateOne: {
      filter: { _id: piece._id, workspaceId: piece.workspaceId, 'pending.reopen.id': reopen.id, 'pending.removing': { $exists: true } },
      update: { $set: { 'pending.removing.reopened': noted }, $unset: { 'pending.reopen': 1 } },
    },
  };
}

/** The piece as `reopenedOperation` leaves it. */
function noteReopened(piece: Record<string, unknown>, reopened: ReopenedItem): Record<string, unknown> {
  const { reopen: _reopen, ...pending } = piece.pending as PendingMove;
  return { ...piece, pending: { ...pending, removing: { ...pending.removing!, reopened } } };
}

const placementOf = (item: ContentItem): Placement =>
  item.planned ? { kind: 'plan', month: item.month, ...(item.dueAt ? { dueAt: item.dueAt } : {}) } : { kind: 'beyond', month: item.month };

/** What the history calls a piece: `reel https://www.instagram.com/reel/...`. */
const pieceOf = (item: Pick<ContentItem, 'type' | 'url'>): string => `${item.type} ${item.url ?? ''}`.trim();

function duplicate(collaboration: Collaboration, existing: ContentItem, timezone: string) {
  return refuse('content.already-logged', {
    title: collaboration.title,
    type: existing.type,
    id: String(existing._id),
    ...(existing.publishedAt ? { publishedDay: localDay(existing.publishedAt, timezone) } : {}),
  });
}

/** The upserts that plan `month`'s checklist items of these collaborations, keyed by plan slot. */
function planOperations(collaborations: readonly Collaboration[], month: string, timezone: string) {
  return collaborations.flatMap((collaboration) =>
    planMonthItems(month, expectedIn(collaboration, month, timezone), { start: collaboration.start, end: collaboration.end, contentCadence: collaboration.contentCadence }, timezone).map((item) => ({
      updateOne: {
        // Equality on exactly the unique index's field: MongoDB retries a racing upsert itself instead
        // of failing, and a slot (its collaboration's id first) belongs to one workspace only.
        filter: { planSlot: `${String(collaboration._id)}:${item.slot}` },
        update: {
          $setOnInsert: {
            workspaceId: collaboration.workspaceId,
            collaborationId: collaboration._id,
            influencerId: collaboration.influencerId,
            ownerId: collaboration.ownerId,
            type: item.type,
            month,
            dueAt: item.dueAt,
            status: 'planned',
            planned: true,
            metrics: {},
            metricHistory: [],
          },
        },
        upsert: true,
      },
    })),
  );
}
