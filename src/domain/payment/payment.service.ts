import { Types, type PipelineStage } from 'mongoose';
import type { Clock } from '../../core/command';
import { addDays, addMonths, localDay, startOfLocalDay } from '../../core/calendar';
import { rebaseWrites } from '../rebase';
import { refuse, type DomainErrors } from '../errors';
import type { AuditTrail } from '../audit/audit-trail';
import { sumByCurrency, type Money } from '../money';
import type { CollaborationDoc, CollaborationModel } from '../collaboration/collaboration.model';
import type { ContentModel } from '../content/content.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import { lookupInWorkspace } from '../joins';
import { BATCH_SIZE, inBatches } from '../batches';
import type { PaymentDoc, PaymentModel } from './payment.model';
import {
  COMMISSION_RECOMPUTED,
  DEFAULT_HORIZON_MONTHS,
  commissionSteps,
  daysLate,
  isCommissionKey,
  planCommission,
  planPayments,
  reportingDate,
  shouldMentionOwner,
  type OnTimeRate,
  type PlannedPayment,
} from './payment-rules';

export type Payment = PaymentDoc;

/** A payment with the names a person needs to recognise it. */
export interface PaymentView extends Payment {
  influencerName: string;
  collaborationTitle: string;
}

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

/** The workspace facts payment rules need: "today" and due dates are read in its timezone. */
export interface PaymentWorkspace {
  id: string;
  timezone: string;
}

export interface NewPayment {
  collaboration: CollaborationDoc;
  amountMinor: number;
  currency: string;
  /** Local due day, `YYYY-MM-DD`. */
  dueOn: string;
  label?: string;
}

export interface PaymentPatch {
  amountMinor?: number;
  currency?: string;
  dueOn?: string;
  label?: string;
}

/** Unpaid planned payments after a `/collab edit` of the terms. */
export interface TermsPlan {
  changed: Array<{ payment: Payment; set: Partial<Pick<Payment, 'amountMinor' | 'currency' | 'dueAt' | 'label' | 'ownerId'>> }>;
  /** No longer called for by the terms: cancelled. */
  dropped: Payment[];
  added: PlannedPayment[];
}

export interface TermsFollowed {
  changed: Array<{ before: Payment; after: Payment }>;
  cancelled: Payment[];
  created: Payment[];
}

/** Why a planned payment the terms no longer call for was cancelled (kept on it and in its history). */
export const TERMS_CHANGED = 'no longer in the terms after /collab edit';

const byDueDay = (a: Payment, b: Payment) => a.dueAt.getTime() - b.dueAt.getTime() || String(a._id).localeCompare(String(b._id));

export class PaymentService {
  constructor(
    private readonly payments: PaymentModel,
    private readonly collaborations: CollaborationModel,
    private readonly contents: ContentModel,
    private readonly influencers: InfluencerModel,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * Each workspace's on-time rate, kept for WORKSPACE_RATE_TTL_MS (and the local day it was counted
   * on): counting it reads every payment of the workspace, and a card shows it only as context
   * beside the creator's own rate. Forgotten on every payment write made here; another replica's
   * writes reach it when it expires.
   */
  private readonly workspaceRates = new Map<string, { rate: OnTimeRate; day: string; until: number }>();
  /** Bumped by every payment write, so a count that was running meanwhile is not kept. */
  private readonly paymentWrites = new Map<string, number>();

  private forgetWorkspaceRate(workspaceId: string): void {
    this.workspaceRates.delete(workspaceId);
    this.paymentWrites.set(workspaceId, (this.paymentWrites.get(workspaceId) ?? 0) + 1);
  }

  async add(workspace: PaymentWorkspace, input: NewPayment, actorId: string): Promise<Payment> {
    const id = new Types.ObjectId();
    const created = await this.payments.create({
      _id: id,
      workspaceId: new Types.ObjectId(workspace.id),
      collaborationId: input.collaboration._id,
      influencerId: input.collaboration.influencerId,
      ownerId: input.collaboration.ownerId,
      amountMinor: input.amountMinor,
      currency: input.currency.toUpperCase(),
      dueAt: startOfLocalDay(input.dueOn, workspace.timezone),
      label: input.label,
      scheduleKey: `manual:${String(id)}`,
      source: 'manual',
      createdById: actorId,
    });
    const payment = created.toObject() as Payment;
    await this.record(payment, 'create', actorId, [
      { field: 'amount', from: null, to: `${payment.amountMinor} ${payment.currency}` },
      { field: 'dueOn', from: null, to: input.dueOn },
    ]);
    return payment;
  }

  /** A payment of this workspace by id; anything else is "not found", whoever owns it. */
  async get(workspaceId: string, ref: string): Promise<Payment> {
    const trimmed = ref.trim();
    const found = /^[a-f0-9]{24}$/i.test(trimmed)
      ? await this.payments.findOne({ _id: new Types.ObjectId(trimmed), workspaceId: new Types.ObjectId(workspaceId) }).lean<Payment>()
      : null;
    if (!found) throw refuse('payment.not-found', { typed: trimmed });
    return found;
  }

  /** The payment planned for a published piece under per-deliverable terms (any status), if there is one. */
  async plannedFor(item: { workspaceId: Types.ObjectId; collaborationId: Types.ObjectId; _id: Types.ObjectId }): Promise<Payment | undefined> {
    const found = await this.payments
      .findOne({ workspaceId: item.workspaceId, scheduleKey: `${String(item.collaborationId)}:content:${String(item._id)}` })
      .lean<Payment>();
    return found ?? undefined;
  }

  async markPaid(payment: Payment, input: { paidAt: Date; reference?: string }, actorId: string): Promise<Payment> {
    const updated = await this.payments
      .findOneAndUpdate(
        { _id: payment._id, workspaceId: payment.workspaceId, status: 'scheduled' },
        { $set: { status: 'paid', paidAt: input.paidAt, paidById: actorId, ...(input.reference ? { reference: input.reference } : {}) } },
        { returnDocument: 'after' },
      )
      .lean<Payment>();
    if (!updated) throw await this.notScheduled(payment, 'pay');
    await this.record(updated, 'paid', actorId, [
      { field: 'status', from: 'scheduled', to: 'paid' },
      { field: 'paidAt', from: null, to: input.paidAt },
      ...(input.reference ? [{ field: 'reference', from: null, to: input.reference }] : []),
    ]);
    return updated;
  }

  /**
   * A payment marked paid by mistake back to scheduled: the paid day, who and the reference are
   * cleared on the payment and kept, with the reason, in its history. Only a paid payment reopens.
   */
  async reopen(payment: Payment, reason: string, actorId: string): Promise<Payment> {
    const updated = await this.payments
      .findOneAndUpdate(
        { _id: payment._id, workspaceId: payment.workspaceId, status: 'paid' },
        {
          $set: { status: 'scheduled', reopenedAt: this.clock(), reopenedById: actorId, reopenReason: reason },
          $unset: { paidAt: 1, paidById: 1, reference: 1 },
        },
        { returnDocument: 'after' },
      )
      .lean<Payment>();
    if (!updated) {
      const now = await this.payments.findOne({ _id: payment._id, workspaceId: payment.workspaceId }, { status: 1 }).lean();
      throw refuse('payment.not-paid', { status: now?.status ?? payment.status });
    }
    // `payment` was read just before: what it was paid with goes into the history.
    await this.record(updated, 'reopen', actorId, [
      { field: 'status', from: 'paid', to: 'scheduled' },
      { field: 'paidAt', from: payment.paidAt ?? null, to: null },
      ...(payment.reference ? [{ field: 'reference', from: payment.reference, to: null }] : []),
      { field: 'reopenReason', from: null, to: reason },
    ]);
    return updated;
  }

  async cancel(payment: Payment, reason: string, actorId: string): Promise<Payment> {
    const updated = await this.payments
      .findOneAndUpdate(
        { _id: payment._id, workspaceId: payment.workspaceId, status: 'scheduled' },
        { $set: { status: 'cancelled', cancelledAt: this.clock(), cancelledById: actorId, cancelReason: reason } },
        { returnDocument: 'after' },
      )
      .lean<Payment>();
    if (!updated) throw await this.notScheduled(payment, 'cancel');
    await this.record(updated, 'cancel', actorId, [
      { field: 'status', from: 'scheduled', to: 'cancelled' },
      { field: 'cancelReason', from: null, to: reason },
    ]);
    return updated;
  }

  /** Amount, currency, due day or label of an unpaid payment; generated ones stay edited when the schedule is regenerated. */
  async edit(workspace: PaymentWorkspace, payment: Payment, patch: PaymentPatch, actorId: string): Promise<Payment> {
    const currency = patch.currency?.toUpperCase();
    if (currency !== undefined && currency !== payment.currency && patch.amountMinor === undefined) {
      // The stored amount is minor units of the old currency: read in another it would mean something else (€1,500.00 -> ¥150,000).
      throw refuse('payment.currency-without-amount', { from: payment.currency, to: currency });
    }
    const $set: Record<string, unknown> = {};
    if (patch.amountMinor !== undefined) $set.amountMinor = patch.amountMinor;
    if (patch.currency !== undefined) $set.currency = patch.currency.toUpperCase();
    if (patch.dueOn !== undefined) $set.dueAt = startOfLocalDay(patch.dueOn, workspace.timezone);
    if (patch.label !== undefined) $set.label = patch.label;
    if (Object.keys($set).length === 0) return payment;
    const updated = await this.payments
      .findOneAndUpdate({ _id: payment._id, workspaceId: payment.workspaceId, status: 'scheduled' }, { $set }, { returnDocument: 'after' })
      .lean<Payment>();
    if (!updated) throw await this.notScheduled(payment, 'edit');
    const fields = Object.keys($set).map((field) => ({
      field,
      from: (payment as unknown as Record<string, unknown>)[field] ?? null,
      to: (updated as unknown as Record<string, unknown>)[field] ?? null,
    }));
    await this.record(updated, 'edit', actorId, fields);
    return updated;
  }

  /**
   * Creates the payments the collaboration's terms call for that do not exist yet. Upserts by
   * `scheduleKey` with `$setOnInsert` only: running it again creates nothing twice and keeps every
   * edit, payment and cancellation.
   */
  async generateSchedule(
    workspace: PaymentWorkspace,
    collaboration: CollaborationDoc,
    actorId: string,
    now: Date = this.clock(),
  ): Promise<{ created: Payment[]; existing: number; planned: PlannedPayment[]; missing: string[] }> {
    const wsId = new Types.ObjectId(workspace.id);
    const published =
      collaboration.compensation?.schedule === 'per-deliverable'
        ? await this.contents
            .find({ workspaceId: wsId, collaborationId: collaboration._id, status: 'published', publishedAt: { $ne: null } }, { _id: 1, publishedAt: 1 })
            .lean()
        : [];
    const { planned, missing } = planFor(workspace, collaboration, published, now);
    const created = await this.createPlanned(workspace, [{ collaboration, planned }], actorId);
    const commission = (collaboration.compensation?.commissionPct ?? 0) > 0 ? (await this.planCommission(workspace, [collaboration], actorId)).created : [];
    return { created: [...created, ...commission].sort(byDueDay), existing: planned.length - created.length, planned, missing };
  }

  /**
   * What the collaboration's terms (as they will read after an edit) call for, against its unpaid
   * planned payments: those whose amount, currency, due day, label or owner change, those the
   * terms no longer call for, and those to plan. Reads only; `followTerms` writes it. Paid and
   * cancelled payments and payments added by hand are never in it. A field a manager changed by
   * hand (`/payment edit`, read from the payment's history) stays as edited: the amount and
   * currency together (one money value), the due day, the label. Every other field takes the
   * terms' value, so following twice changes nothing, and a half-done edit is finished by the next.
   */
  async termsPlan(workspace: PaymentWorkspace, collaboration: CollaborationDoc, now: Date = this.clock()): Promise<TermsPlan> {
    const wsId = new Types.ObjectId(workspace.id);
    const [payments, published] = await Promise.all([
      this.payments.find({ workspaceId: wsId, collaborationId: collaboration._id }).sort({ dueAt: 1, _id: 1 }).lean<Payment[]>(),
      collaboration.compensation?.schedule === 'per-deliverable'
        ? this.contents
            .find({ workspaceId: wsId, collaborationId: collaboration._id, status: 'published', publishedAt: { $ne: null } }, { _id: 1, publishedAt: 1 })
            .lean()
        : Promise.resolve([]),
    ]);
    // Commission payments follow the revenue, not these terms: planCommission keeps them in step.
    const open = payments.filter((p) => p.status === 'scheduled' && p.source === 'schedule' && !isCommissionKey(p.scheduleKey));
    // An ongoing monthly schedule is planned three months ahead; payments planned further (under an
    // end date since cleared) are still called for.
    const today = localDay(now, workspace.timezone);
    const furthest = open
      .map((p) => /:monthly:(\d{4}-\d{2})$/.exec(p.scheduleKey)?.[1])
      .filter((month): month is string => !!month)
      .reduce((last, month) => (month > last ? month : last), '');
    let horizonMonths = DEFAULT_HORIZON_MONTHS;
    while (furthest && addMonths(today, horizonMonths) < reportingDate(furthest, collaboration.reportingDay ?? 1)) horizonMonths += 1;
    const { planned } = planFor(workspace, collaboration, published, now, horizonMonths);
    const byKey = new Map(planned.map((plan) => [plan.scheduleKey, plan]));
    const keys = new Set(payments.map((p) => p.scheduleKey));
    const edited = await this.editedByHand(wsId, open);
    const changed: TermsPlan['changed'] = [];
    const dropped: Payment[] = [];
    for (const payment of open) {
      const plan = byKey.get(payment.scheduleKey);
      if (!plan) {
        dropped.push(payment);
        continue;
      }
      const set = {
        amountMinor: plan.amountMinor,
        currency: plan.currency,
        dueAt: startOfLocalDay(plan.dueOn, workspace.timezone),
        label: plan.label,
        ownerId: collaboration.ownerId,
      };
      const byHand = edited.get(String(payment._id)) ?? new Set<string>();
      const money = byHand.has('amountMinor') || byHand.has('currency');
      const fields = (Object.keys(set) as Array<keyof typeof set>).filter((field) => {
        if (field === 'amountMinor' || field === 'currency' ? money : byHand.has(field)) return false;
        const before = payment[field];
        const after = set[field];
        return before instanceof Date ? before.getTime() !== (after as Date).getTime() : before !== after;
      });
      if (fields.length > 0) changed.push({ payment, set: Object.fromEntries(fields.map((f) => [f, set[f]])) as Partial<typeof set> });
    }
    return { changed, dropped, added: planned.filter((plan) => !keys.has(plan.scheduleKey)) };
  }

  /** Per payment id, the fields `/payment edit` has set on it (its history's `edit` records). */
  private async editedByHand(wsId: Types.ObjectId, payments: readonly Payment[]): Promise<Map<string, Set<string>>> {
    return this.audit.fieldsTouched(wsId, 'payment', 'edit', payments.map((p) => p._id));
  }

  /**
   * Writes a `termsPlan`: changed payments get the new values, dropped ones are cancelled (their
   * schedule key freed, so the terms may plan that slot again later), new ones are planned by the
   * shared write path. Each write is conditional on the payment still being unpaid: one paid
   * meanwhile stays as it is. Everything is in the payments' history.
   */
  async followTerms(workspace: PaymentWorkspace, collaboration: CollaborationDoc, plan: TermsPlan, actorId: string): Promise<TermsFollowed> {
    const at = this.clock();
    const still = { status: 'scheduled' as const, source: 'schedule' as const };
    const writes = [
      ...plan.changed.map(({ payment, set }) => ({ updateOne: { filter: { _id: payment._id, workspaceId: payment.workspaceId, ...still }, update: { $set: set } } })),
      ...plan.dropped.map((payment) => ({
        updateOne: {
          filter: { _id: payment._id, workspaceId: payment.workspaceId, ...still },
          update: {
            $set: {
              status: 'cancelled' as const,
              cancelledAt: at,
              cancelledById: actorId,
              cancelReason: TERMS_CHANGED,
              scheduleKey: `replaced:${String(payment._id)}`,
            },
          },
        },
      })),
    ];
    if (writes.length > 0) await this.payments.bulkWrite(writes, { ordered: false });
    const ids = [...plan.changed.map((c) => c.payment._id), ...plan.dropped.map((p) => p._id)];
    const now = ids.length ? await this.payments.find({ _id: { $in: ids }, workspaceId: new Types.ObjectId(workspace.id) }).lean<Payment[]>() : [];
    const after = new Map(now.map((p) => [String(p._id), p]));
    const changed = plan.changed
      .map(({ payment, set }) => ({ before: payment, after: after.get(String(payment._id))!, fields: Object.keys(set) }))
      .filter(({ before, after: p }) => p && p.status === 'scheduled' && p.updatedAt.getTime() !== before.updatedAt.getTime());
    const cancelled = plan.dropped.map((p) => after.get(String(p._id))!).filter((p) => p && p.status === 'cancelled' && p.cancelReason === TERMS_CHANGED && p.cancelledAt?.getTime() === at.getTime());
    const records = [
      ...changed.map(({ before, after: p, fields }) => ({
        workspaceId: p.workspaceId,
        entity: 'payment',
        entityId: p._id,
        action: 'terms',
        actorId,
        at,
        fields: fields.map((field) => ({
          field,
          from: (before as unknown as Record<string, unknown>)[field] ?? null,
          to: (p as unknown as Record<string, unknown>)[field] ?? null,
        })),
      })),
      ...cancelled.map((p) => ({
        workspaceId: p.workspaceId,
        entity: 'payment',
        entityId: p._id,
        action: 'cancel',
        actorId,
        at,
        fields: [
          { field: 'status', from: 'scheduled', to: 'cancelled' },
          { field: 'cancelReason', from: null, to: TERMS_CHANGED },
        ],
      })),
    ];
    if (records.length > 0) {
      this.forgetWorkspaceRate(workspace.id);
      await this.audit.recordMany(records);
    }
    const created = await this.createPlanned(workspace, [{ collaboration, planned: plan.added }], actorId);
    // A new commission rate applies to the unpaid commission payments (none left at 0%).
    const commission = await this.planCommission(workspace, [collaboration], actorId);
    return { changed: changed.map(({ before, after: p }) => ({ before, after: p })), cancelled, created: [...created, ...commission.created].sort(byDueDay) };
  }

  /**
   * Regenerates the schedule of every active collaboration whose terms have a fee and a schedule:
   * monthly terms gain the reporting days that came within the horizon, per-deliverable terms any
   * published piece still without its payment. Run month by month by the payment-schedules job, so
   * an ongoing schedule never runs out. Idempotent like `generateSchedule`: edits, payments and
   * cancellations stay as they are. The same number of round trips however many collaborations:
   * one read of the collaborations, one of their published content, one of the schedule keys that
   * exist already, then, for new payments only, the shared write path (one bulk upsert, one read of
   * what it created, one insert of the change records; the driver splits a write past the server's
   * maxWriteBatchSize: 100,000 on mongod, 1,000 on the stand-in).
   */
  /**
   * Plans what every active collaboration's terms call for and is not there yet, a bounded batch
   * of collaborations at a time (BATCH_SIZE, through a cursor): memory stays flat however large the
   * workspace, and round trips grow as collaborations / BATCH_SIZE (about five per batch: the
   * cursor, published pieces, existing keys, the upsert, what it created, their change records).
   * Returns how many it created and the first `listed` of them by due day, with names.
   */
  async extendSchedules(
    workspace: PaymentWorkspace,
    actorId: string,
    now: Date = this.clock(),
    listed = 20,
  ): Promise<{ collaborations: number; count: number; created: PaymentView[] }> {
    const wsId = new Types.ObjectId(workspace.id);
    const cursor = this.collaborations
      .find({
        workspaceId: wsId,
        status: 'active',
        $or: [
          { 'compensation.schedule': { $in: ['once', 'monthly', 'per-deliverable'] }, 'compensation.feeMinor': { $gt: 0 }, 'compensation.productOnly': { $ne: true } },
          { 'compensation.commissionPct': { $gt: 0 } },
        ],
      })
      .sort({ _id: 1 })
      .lean<CollaborationDoc[]>()
      .cursor({ batchSize: BATCH_SIZE });
    let collaborations = 0;
    let count = 0;
    let earliest: Payment[] = [];
    for await (const running of inBatches<CollaborationDoc>(cursor)) {
      collaborations += running.length;
      const created = await this.extendBatch(workspace, wsId, running, actorId, now);
      count += created.length;
      earliest = [...earliest, ...created].sort(byDueDay).slice(0, listed);
    }
    return { collaborations, count, created: await this.withNames(wsId, earliest) };
  }

  private async extendBatch(workspace: PaymentWorkspace, wsId: Types.ObjectId, running: CollaborationDoc[], actorId: string, now: Date): Promise<Payment[]> {
    const perDeliverable = running.filter((c) => c.compensation?.schedule === 'per-deliverable').map((c) => c._id);
    const published = perDeliverable.length
      ? await this.contents
          .find(
            { workspaceId: wsId, collaborationId: { $in: perDeliverable }, status: 'published', publishedAt: { $ne: null } },
            { _id: 1, collaborationId: 1, publishedAt: 1 },
          )
          .lean()
      : [];
    const publishedBy = new Map<string, typeof published>();
    for (const item of published) {
      const key = String(item.collaborationId);
      publishedBy.set(key, [...(publishedBy.get(key) ?? []), item]);
    }
    const plans = running.map((collaboration) => ({
      collaboration,
      planned: planFor(workspace, collaboration, publishedBy.get(String(collaboration._id)) ?? [], now).planned,
    }));
    // Most planned payments exist from earlier months: one read of their keys (the unique index
    // covers it) leaves only the new ones to write, so a month with nothing new writes nothing.
    const keys = plans.flatMap(({ planned }) => planned.map((plan) => plan.scheduleKey));
    const existing = keys.length
      ? new Set(
          (await this.payments.find({ workspaceId: wsId, scheduleKey: { $in: keys } }, { _id: 0, scheduleKey: 1 }).lean<Array<{ scheduleKey: string }>>()).map(
            (p) => p.scheduleKey,
          ),
        )
      : new Set<string>();
    const missing = plans.map(({ collaboration, planned }) => ({ collaboration, planned: planned.filter((plan) => !existing.has(plan.scheduleKey)) }));
    const created = await this.createPlanned(workspace, missing, actorId);
    // Commission: only collaborations that pay one (no round trip for the others).
    const commission = await this.planCommission(workspace, running.filter((c) => (c.compensation?.commissionPct ?? 0) > 0), actorId);
    return [...created, ...commission.created].sort(byDueDay);
  }

  /**
   * Plans the commission of these collaborations as payments from the revenue recorded on their
   * published pieces (planCommission: per month of publication, due the next reporting day plus
   * the net days), and keeps the unpaid ones in step with it (commissionSteps): revenue recorded
   * or corrected later changes the open payment, never a paid one. Called when revenue is recorded
   * and by the payment-schedules job. Idempotent: in step already, it writes nothing; a new
   * payment is an upsert by its schedule key and a change is conditional on the amount read, so
   * two replicas (or a retry) never plan one twice. Round trips: the revenue, the commission
   * payments, then only when something changes one bulk write, what it created and the history.
   */
  async planCommission(
    workspace: PaymentWorkspace,
    collaborations: readonly CollaborationDoc[],
    actorId: string,
  ): Promise<{ created: Payment[]; adjusted: Array<{ id: string; from: number; to: number; dueOn: string }>; cancelled: number }> {
    const none = { created: [], adjusted: [], cancelled: 0 };
    const wsId = new Types.ObjectId(workspace.id);
    const ids = collaborations.filter((c) => c.workspaceId.equals(wsId)).map((c) => c._id);
    if (ids.length === 0) return none;
    const [revenue, existing] = await Promise.all([
      this.contents.aggregate<{ _id: { c: Types.ObjectId; m: string }; revenueMinor: number }>([
        { $match: { workspaceId: wsId, collaborationId: { $in: ids }, status: 'published', publishedAt: { $ne: null }, 'metrics.revenue': { $gt: 0 } } },
        {
          $group: {
            _id: { c: '$collaborationId', m: { $dateToString: { format: '%Y-%m', date: '$publishedAt', timezone: workspace.timezone } } },
            revenueMinor: { $sum: '$metrics.revenue' },
          },
        },
      ]),
      this.payments
        .find({ workspaceId: wsId, collaborationId: { $in: ids }, scheduleKey: { $regex: ':commission:' } }, { collaborationId: 1, scheduleKey: 1, status: 1, amountMinor: 1, dueAt: 1, cancelReason: 1 })
        .lean<Array<Pick<Payment, '_id' | 'collaborationId' | 'scheduleKey' | 'status' | 'amountMinor' | 'dueAt' | 'cancelReason'>>>(),
    ]);
    const at = this.clock();
    const steps = collaborations.flatMap((collaboration) => {
      const id = String(collaboration._id);
      const plans = planCommission({
        collaborationId: id,
        reportingDay: collaboration.reportingDay,
        compensation: collaboration.compensation ?? {},
        revenue: revenue.filter((r) => String(r._id.c) === id).map((r) => ({ month: r._id.m, revenueMinor: r.revenueMinor })),
      });
      const payments = existing
        .filter((p) => String(p.collaborationId) === id)
        .map((p) => ({
          id: String(p._id),
          scheduleKey: p.scheduleKey,
          status: p.status,
          amountMinor: p.amountMinor,
          dueOn: localDay(p.dueAt, workspace.timezone),
          cancelReason: p.cancelReason ?? null,
        }));
      return commissionSteps(plans, payments).map((step) => ({ collaboration, step }));
    });
    if (steps.length === 0) return none;
    const result = await this.payments.bulkWrite(
      steps.map(({ collaboration, step }) => {
        switch (step.kind) {
          case 'create':
            return {
              updateOne: {
                filter: { workspaceId: wsId, scheduleKey: step.scheduleKey },
                update: {
                  $setOnInsert: {
                    workspaceId: wsId,
                    scheduleKey: step.scheduleKey,
                    collaborationId: collaboration._id,
                    influencerId: collaboration.influencerId,
                    ownerId: collaboration.ownerId,
                    amountMinor: step.amountMinor,
                    currency: step.plan.currency,
                    dueAt: startOfLocalDay(step.plan.dueOn, workspace.timezone),
                    label: step.plan.label,
                    status: 'scheduled',
                    source: 'schedule',
                    createdById: actorId,
                  },
                },
                upsert: true,
              },
            };
          case 'adjust':
            return {
              updateOne: {
                filter: { _id: new Types.ObjectId(step.id), workspaceId: wsId, status: 'scheduled', amountMinor: step.from },
                update: { $set: { amountMinor: step.to, dueAt: startOfLocalDay(step.dueOn, workspace.timezone) } },
              },
            };
          case 'cancel':
            return {
              updateOne: {
                filter: { _id: new Types.ObjectId(step.id), workspaceId: wsId, status: 'scheduled' },
                update: { $set: { status: 'cancelled', cancelledAt: at, cancelledById: actorId, cancelReason: COMMISSION_RECOMPUTED } },
              },
            };
        }
      }),
      { ordered: false },
    );
    const createdIds = Object.values(result.upsertedIds ?? {}) as Types.ObjectId[];
    const created = createdIds.length ? await this.payments.find({ _id: { $in: createdIds }, workspaceId: wsId }).sort({ dueAt: 1 }).lean<Payment[]>() : [];
    const adjusted = steps.flatMap(({ step }) => (step.kind === 'adjust' ? [{ id: step.id, from: step.from, to: step.to, dueOn: step.dueOn }] : []));
    const cancelled = steps.filter(({ step }) => step.kind === 'cancel');
    this.forgetWorkspaceRate(workspace.id);
    const history = [
      ...created.map((payment) => ({ entityId: payment._id, action: 'schedule', fields: [{ field: 'scheduleKey', from: null, to: payment.scheduleKey }] })),
      ...adjusted.map((a) => ({ entityId: new Types.ObjectId(a.id), action: 'commission', fields: [{ field: 'amountMinor', from: a.from, to: a.to }, { field: 'dueOn', from: null, to: a.dueOn }] })),
      ...cancelled.map(({ step }) => ({
        entityId: new Types.ObjectId((step as { id: string }).id),
        action: 'cancel',
        fields: [
          { field: 'status', from: 'scheduled', to: 'cancelled' },
          { field: 'cancelReason', from: null, to: COMMISSION_RECOMPUTED },
        ],
      })),
    ];
    await this.audit.recordMany(history.map((h) => ({ workspaceId: wsId, entity: 'payment', actorId, at, ...h })));
    return { created, adjusted, cancelled: cancelled.length };
  }

  /**
   * Creates the planned payments that do not exist yet, whatever the number of collaborations, in
   * three round trips: one bulk upsert by `scheduleKey` with `$setOnInsert` only (so edits, payments
   * and cancellations are never touched and nothing is created twice), one read of what it
   * created, and one insert of their change records. Created payments come back by due day.
   */
  private async createPlanned(
    workspace: PaymentWorkspace,
    plans: ReadonlyArray<{ collaboration: CollaborationDoc; planned: readonly PlannedPayment[] }>,
    actorId: string,
  ): Promise<Payment[]> {
    const wsId = new Types.ObjectId(workspace.id);
    const operations = plans.flatMap(({ collaboration, planned }) =>
      planned.map((plan) => ({
        updateOne: {
          // Equality on exactly the unique index's fields: MongoDB retries a racing upsert itself instead of failing.
          filter: { workspaceId: wsId, scheduleKey: plan.scheduleKey },
          update: {
            $setOnInsert: {
              workspaceId: wsId,
              scheduleKey: plan.scheduleKey,
              collaborationId: collaboration._id,
              influencerId: collaboration.influencerId,
              ownerId: collaboration.ownerId,
              amountMinor: plan.amountMinor,
              currency: plan.currency,
              dueAt: startOfLocalDay(plan.dueOn, workspace.timezone),
              label: plan.label,
              status: 'scheduled',
              source: 'schedule',
              createdById: actorId,
            },
          },
          upsert: true,
        },
      })),
    );
    if (operations.length === 0) return [];
    const result = await this.payments.bulkWrite(operations, { ordered: false });
    const createdIds = Object.values(result.upsertedIds ?? {}) as Types.ObjectId[];
    if (createdIds.length === 0) return [];
    const created = await this.payments.find({ _id: { $in: createdIds }, workspaceId: wsId }).sort({ dueAt: 1 }).lean<Payment[]>();
    const at = this.clock();
    this.forgetWorkspaceRate(workspace.id);
    await this.audit.recordMany(
      created.map((payment) => ({
        workspaceId: payment.workspaceId,
        entity: 'payment',
        entityId: payment._id,
        action: 'schedule',
        actorId,
        at,
        fields: [{ field: 'scheduleKey', from: null, to: payment.scheduleKey }],
      })),
    );
    return created;
  }

  /**
   * `due`: every unpaid payment, late ones first; `late`: unpaid past the due day; `all`: also paid
   * and cancelled ones, newest due first. `owed` totals the unpaid ones matching, one per currency.
   */
  async list(
    workspace: PaymentWorkspace,
    options: { filter: PaymentFilter; influencerId?: string; limit: number },
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
        { $limit: options.limit },
        ...this.nameStages(),
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
   * Discord's autocomplete for a payment: open ones (paid and cancelled ones for `reopen`), of these
   * collaborations when given, soonest due first (latest first for reopen), with their names.
   * One index read of at most `limit` payments.
   */
  async suggest(workspaceId: string, options: { reopen: boolean; collaborationIds?: Types.ObjectId[]; limit: number }): Promise<PaymentView[]> {
    return this.payments.aggregate<PaymentView>([
      {
        $match: {
          workspaceId: new Types.ObjectId(workspaceId),
          status: options.reopen ? { $in: ['paid', 'cancelled'] } : 'scheduled',
          ...(options.collaborationIds ? { collaborationId: { $in: options.collaborationIds } } : {}),
        },
      },
      { $sort: options.reopen ? { dueAt: -1, _id: -1 } : { dueAt: 1, _id: 1 } },
      { $limit: options.limit },
      ...this.nameStages(),
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
    const firstOf = (match: object): PipelineStage.FacetPipelineStage[] => [{ $match: match }, { $sort: { dueAt: 1, _id: 1 } }, { $limit: limit }, ...this.nameStages()];
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
    const kept = this.workspaceRates.get(workspace.id);
    const known = kept && kept.day === day && kept.until > now.getTime() ? kept.rate : undefined;
    const writesBefore = this.paymentWrites.get(workspace.id) ?? 0;
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
    if (!known && (this.paymentWrites.get(workspace.id) ?? 0) === writesBefore) {
      this.workspaceRates.set(workspace.id, { rate: whole, day, until: now.getTime() + WORKSPACE_RATE_TTL_MS });
    }
    return { creator: rate(totals?.creatorOnTime ?? 0, totals?.creatorCounted ?? 0), workspace: whole };
  }

  /**
   * After a timezone change: every due day (and every day paid given as a date, stored at local
   * noon) stays on its calendar day, stored at that day's start in the new zone. Idempotent (see
   * `rebaseDay`), and each write is conditional on the value read, so a concurrent edit wins.
   */
  async rebaseTimezone(workspaceId: string, from: string, to: string): Promise<number> {
    // The rate is counted in the workspace's timezone, which changed: forgotten whatever moves.
    this.forgetWorkspaceRate(workspaceId);
    const wsId = new Types.ObjectId(workspaceId);
    // A bounded batch at a time (BATCH_SIZE, through a cursor): memory stays flat however many payments.
    const cursor = this.payments
      .find({ workspaceId: wsId }, { dueAt: 1, paidAt: 1 })
      .sort({ _id: 1 })
      .lean<Array<Pick<Payment, '_id' | 'dueAt' | 'paidAt'>>>()
      .cursor({ batchSize: BATCH_SIZE });
    let moved = 0;
    for await (const batch of inBatches<Pick<Payment, '_id' | 'dueAt' | 'paidAt'>>(cursor)) {
      const moves = rebaseWrites(batch, [{ name: 'dueAt', time: '00:00' }, { name: 'paidAt', time: '12:00' }], { workspaceId: wsId, from, to });
      if (moves.length === 0) continue;
      await this.payments.bulkWrite(moves, { ordered: false });
      moved += moves.length;
    }
    if (moved > 0) this.forgetWorkspaceRate(workspaceId);
    return moved;
  }

  /** Where the collaboration service looks up a collaboration's payments (for its cost basis). */
  get collectionName(): string {
    return this.payments.collection.collectionName;
  }

  /** Adds `influencerName` and `collaborationTitle` to each payment in the pipeline (and nothing else of theirs). */
  private nameStages(): PipelineStage.FacetPipelineStage[] {
    const first = (path: string, otherwise: string) => ({ $ifNull: [{ $arrayElemAt: [path, 0] }, otherwise] });
    return [
      ...lookupInWorkspace(this.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
      ...lookupInWorkspace(this.collaborations.collection.collectionName, 'collaborationId', '_id', 'collab'),
      { $addFields: { influencerName: first('$creator.name', 'unknown creator'), collaborationTitle: first('$collab.title', 'unknown collaboration') } },
      { $project: { creator: 0, collab: 0 } },
    ];
  }

  private async withNames(workspaceId: Types.ObjectId, payments: Payment[]): Promise<PaymentView[]> {
    if (payments.length === 0) return [];
    const [creators, collabs] = await Promise.all([
      this.influencers.find({ workspaceId, _id: { $in: [...new Set(payments.map((p) => String(p.influencerId)))].map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean(),
      this.collaborations.find({ workspaceId, _id: { $in: [...new Set(payments.map((p) => String(p.collaborationId)))].map((id) => new Types.ObjectId(id)) } }, { title: 1 }).lean(),
    ]);
    const names = new Map(creators.map((c) => [String(c._id), c.name]));
    const titles = new Map(collabs.map((c) => [String(c._id), c.title]));
    return payments.map((p) => ({
      ...p,
      influencerName: names.get(String(p.influencerId)) ?? 'unknown creator',
      collaborationTitle: titles.get(String(p.collaborationId)) ?? 'unknown collaboration',
    }));
  }

  private async notScheduled(payment: Payment, action: DomainErrors['payment.not-scheduled']['action']) {
    const now = await this.payments.findOne({ _id: payment._id, workspaceId: payment.workspaceId }, { status: 1 }).lean();
    const status = now?.status ?? payment.status;
    return refuse('payment.not-scheduled', { status, action });
  }

  private async record(payment: Payment, action: string, actorId: string, fields: Array<{ field: string; from: unknown; to: unknown }>) {
    this.forgetWorkspaceRate(String(payment.workspaceId));
    await this.audit.record({ workspaceId: payment.workspaceId, entity: 'payment', entityId: payment._id, action, actorId, fields });
  }
}

/** What the collaboration's terms call for (the pure planning rules), given its published content. */
function planFor(
  workspace: PaymentWorkspace,
  collaboration: CollaborationDoc,
  published: ReadonlyArray<{ _id: unknown; publishedAt?: Date | null }>,
  now: Date,
  horizonMonths?: number,
): { planned: PlannedPayment[]; missing: string[] } {
  const terms = collaboration.compensation ?? {};
  const closedEnd = collaboration.status !== 'active' ? (collaboration.closedAt ?? undefined) : undefined;
  return planPayments({
    collaborationId: String(collaboration._id),
    start: collaboration.start,
    end: collaboration.end ?? closedEnd,
    reportingDay: collaboration.reportingDay,
    compensation: { ...terms, schedule: terms.schedule ?? undefined },
    published: published.map((item) => ({ id: String(item._id), publishedAt: item.publishedAt! })),
    now,
    timezone: workspace.timezone,
    ...(horizonMonths ? { horizonMonths } : {}),
  });
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

/** How long a workspace's on-time rate is reused (see PaymentService.workspaceRates). */
const WORKSPACE_RATE_TTL_MS = 5 * 60_000;

const rate = (onTime: number, counted: number): OnTimeRate => (counted === 0 ? { onTime, counted } : { onTime, counted, rate: onTime / counted });
