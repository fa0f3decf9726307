import { Types, type PipelineStage } from 'mongoose';
import type { Clock } from '../../core/command';
import { addDays, localDay, startOfLocalDay } from '../../core/calendar';
import { sumByCurrency, type Money } from '../money';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import type { OnTimeMemo } from './on-time-memo';
import type { PaymentModel } from './payment.model';
import { daysLate, shouldMentionOwner, type OnTimeRate } from './payment-rules';
import { nameStages, type PaymentView, type PaymentWorkspace } from './payment-views';

export type PaymentFilter = 'due' | 'late' | 'all';

/** Open payments of one kind (late, or due soon): how many, their totals, and the first few with names. */
export interface OpenPayments<T extends PaymentView = PaymentView> {
  items: T[];
  count: number;
  totals: Money[];
}

export interface DueAndLate {
  late: OpenPayments<PaymentView & { daysLate: number }>;
  dueSoon: OpenPayments;
}

/**
 * What is read back of payments: the lists (`/payment list`, autocomplete), what is due and late
 * (the late-payments job and the digests), on-time rates (creator cards). Reads only, with names,
 * totals per currency, never summed across currencies.
 */
export class PaymentReports {
  constructor(
    private readonly payments: PaymentModel,
    private readonly collaborations: CollaborationModel,
    private readonly influencers: InfluencerModel,
    private readonly memo: OnTimeMemo,
    private readonly clock: Clock,
  ) {}

  /**
   * `due`: every unpaid payment, late ones first; `late`: unpaid past the due day; `all`: also paid
   * and cancelled ones, newest due first. `owed` totals the unpaid ones matching, one per currency.
   * A page is `limit` payments after the first `skip` in that order.
   */
  async list(
    workspace: PaymentWorkspace,
    options: { filter: PaymentFilter; influencerId?: string; limit: number; skip?: number },
  ): Promise<{ items: PaymentView[]; total: number; owed: Money[] }> {
    const now = this.clock();
    const wsId = new Types.ObjectId(workspace.id);
    const startOfToday = startOfLocalDay(localDay(now, workspace.timezone), workspace.timezone);
    const scope = { workspaceId: wsId, ...(options.influencerId ? { influencerId: new Types.ObjectId(options.influencerId) } : {}) };
    const filter =
      options.filter === 'all'
        ? scope
        : { ...scope, status: 'scheduled' as const, ...(options.filter === 'late' ? { dueAt: { $lt: startOfToday } } : {}) };
    // Two round trips whatever the page (three for `all`): the page with its names ($lookup), and
    // what is owed per currency with the count, from the index alone (only scheduled payments are
    // owed, also under `all`, which counts every payment on the index besides). Exact money needs
    // every open payment: the footer reads their index keys, no documents (see payment.model.ts).
    const owing = { ...filter, status: 'scheduled' as const };
    const [items, perCurrency, all] = await Promise.all([
      this.payments.aggregate<PaymentView>([
        { $match: filter },
        { $sort: options.filter === 'all' ? { dueAt: -1, _id: -1 } : { dueAt: 1, _id: 1 } },
        ...(options.skip ? [{ $skip: options.skip }] : []),
        { $limit: options.limit },
        ...this.names(),
      ]),
      this.payments.aggregate<{ _id: string; count: number; owed: number }>([
        { $match: owing },
        { $group: { _id: '$currency', count: { $sum: 1 }, owed: { $sum: '$amountMinor' } } },
      ]),
      options.filter === 'all' ? this.payments.countDocuments(filter) : undefined,
    ]);
    return {
      items,
      total: all ?? perCurrency.reduce((sum, row) => sum + row.count, 0),
      owed: sumByCurrency(perCurrency.map((row) => ({ currency: row._id, amountMinor: row.owed }))),
    };
  }

  /**
   * Discord's autocomplete for a payment: `open` ones soonest due first; `settled` (paid and
   * cancelled, for `reopen`) or `any` (for `show`) latest due first; of these collaborations when
   * given, with their names. One index read of at most `limit` payments.
   */
  async suggest(workspaceId: string, options: { which: 'open' | 'settled' | 'any'; collaborationIds?: Types.ObjectId[]; limit: number }): Promise<PaymentView[]> {
    const status = { open: { status: 'scheduled' }, settled: { status: { $in: ['paid', 'cancelled'] } }, any: {} }[options.which];
    return this.payments.aggregate<PaymentView>([
      {
        $match: {
          workspaceId: new Types.ObjectId(workspaceId),
          ...status,
          ...(options.collaborationIds ? { collaborationId: { $in: options.collaborationIds } } : {}),
        },
      },
      { $sort: options.which === 'open' ? { dueAt: 1, _id: 1 } : { dueAt: -1, _id: -1 } },
      { $limit: options.limit },
      ...this.names(),
    ]);
  }

  /**
   * What the late-payments job reports, in one round trip however many payments are open: unpaid
   * and late, and unpaid and due within `warnBeforeDueDays`, each as its count, its totals per
   * currency and the first `limit` with their names: oldest due first, except that late payments on
   * an owner-ping day (day 1, 7, 14, then weekly) come before the others, so their owners are
   * pinged however many older payments are late.
   */
  async dueAndLate(workspace: PaymentWorkspace & { warnBeforeDueDays: number }, now: Date, limit: number): Promise<DueAndLate> {
    const today = localDay(now, workspace.timezone);
    const startOfToday = startOfLocalDay(today, workspace.timezone);
    const windowEnd = startOfLocalDay(addDays(today, workspace.warnBeforeDueDays + 1), workspace.timezone);
    const firstOf = (match: object): PipelineStage.FacetPipelineStage[] => [{ $match: match }, { $sort: { dueAt: 1, _id: 1 } }, { $limit: limit }, ...this.names()];
    // Due on a local day that is a ping day today (a range per day: a due date is stored as the day's
    // start, but one left over from a timezone change may not be).
    const dayStart = (daysAgo: number) => startOfLocalDay(addDays(today, -daysAgo), workspace.timezone);
    const onPingDays = Array.from({ length: OWNER_PING_HORIZON_DAYS }, (_, i) => i + 1)
      .filter(shouldMentionOwner)
      .map((days) => ({ dueAt: { $gte: dayStart(days), $lt: dayStart(days - 1) } }));
    const [found] = await this.payments.aggregate<{
      pingDay: PaymentView[];
      late: PaymentView[];
      dueSoon: PaymentView[];
      totals: Array<{ _id: { late: boolean; currency: string }; count: number; amountMinor: number }>;
    }>([
      { $match: { workspaceId: new Types.ObjectId(workspace.id), status: 'scheduled', dueAt: { $lt: windowEnd } } },
      {
        $facet: {
          pingDay: firstOf({ $or: onPingDays }),
          late: firstOf({ dueAt: { $lt: startOfToday } }),
          dueSoon: firstOf({ dueAt: { $gte: startOfToday } }),
          totals: [{ $group: { _id: { late: { $lt: ['$dueAt', startOfToday] }, currency: '$currency' }, count: { $sum: 1 }, amountMinor: { $sum: '$amountMinor' } } }],
        },
      },
    ]);
    const group = <T>(items: T[], late: boolean) => {
      const rows = (found?.totals ?? []).filter((row) => row._id.late === late);
      return {
        items,
        count: rows.reduce((sum, row) => sum + row.count, 0),
        totals: sumByCurrency(rows.map((row) => ({ currency: row._id.currency, amountMinor: row.amountMinor }))),
      };
    };
    return {
      late: group(
        uniqueById([...(found?.pingDay ?? []), ...(found?.late ?? [])])
          .slice(0, limit)
          .map((p) => ({ ...p, daysLate: daysLate(p, now, workspace.timezone) })),
        true,
      ),
      dueSoon: group(found?.dueSoon ?? [], false),
    };
  }

  /**
   * On-time rates of one creator and of the whole workspace, counted in the database in one
   * round trip: paid payments count, on time when paid on or before the due day (local days);
   * scheduled ones count once their due day has passed (late). Loading every payment to count
   * them in code blocked the event loop for seconds in a large workspace.
   */
  async onTimeRates(workspace: PaymentWorkspace, influencerId: string): Promise<{ creator: OnTimeRate; workspace: OnTimeRate }> {
    const tz = workspace.timezone;
    const now = this.clock();
    const day = localDay(now, tz);
    const today = startOfLocalDay(day, tz);
    const known = this.memo.recall(workspace.id, day, now);
    const writesBefore = this.memo.writesOf(workspace.id);
    const localDayOf = (field: string) => ({ $dateToString: { date: field, format: '%Y-%m-%d', timezone: tz } });
    const onTime = { $cond: [{ $and: [{ $eq: ['$status', 'paid'] }, { $lte: [localDayOf('$paidAt'), localDayOf('$dueAt')] }] }, 1, 0] };
    const creatorId = new Types.ObjectId(influencerId);
    const isCreator = { $eq: ['$influencerId', creatorId] };
    const [totals] = await this.payments.aggregate<{ counted: number; onTime: number; creatorCounted: number; creatorOnTime: number }>([
      {
        $match: {
          workspaceId: new Types.ObjectId(workspace.id),
          // With the workspace's rate known, only the creator's payments are read.
          ...(known ? { influencerId: creatorId } : {}),
          $or: [{ status: 'paid', paidAt: { $ne: null } }, { status: 'scheduled', dueAt: { $lt: today } }],
        },
      },
      {
        $group: {
          _id: null,
          counted: { $sum: 1 },
          onTime: { $sum: onTime },
          creatorCounted: { $sum: { $cond: [isCreator, 1, 0] } },
          creatorOnTime: { $sum: { $cond: [isCreator, onTime, 0] } },
        },
      },
    ]);
    const whole = known ?? rate(totals?.onTime ?? 0, totals?.counted ?? 0);
    if (!known) this.memo.keep(workspace.id, whole, day, now, writesBefore);
    return { creator: rate(totals?.creatorOnTime ?? 0, totals?.creatorCounted ?? 0), workspace: whole };
  }

  private names(): PipelineStage.FacetPipelineStage[] {
    return nameStages({ influencers: this.influencers, collaborations: this.collaborations });
  }

  /** Where the collaboration service looks up a collaboration's payments (for its cost basis). */
  get collectionName(): string {
    return this.payments.collection.collectionName;
  }
}

/** Owner pings are guaranteed a place in the late-payments post for payments up to this many days late (weekly after day 14). */
const OWNER_PING_HORIZON_DAYS = 2 * 366;

function uniqueById<T extends { _id: Types.ObjectId }>(payments: readonly T[]): T[] {
  const seen = new Set<string>();
  return payments.filter((payment) => {
    const id = String(payment._id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const rate = (onTime: number, counted: number): OnTimeRate => (counted === 0 ? { onTime, counted } : { onTime, counted, rate: onTime / counted });
