import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import { localDay, startOfLocalDay } from '../../core/calendar';
import { refuse, type DomainErrors } from '../errors';
import type { AuditTrail } from '../audit/audit-trail';
import type { CollaborationDoc } from '../collaboration/collaboration.model';
import type { OnTimeMemo } from './on-time-memo';
import type { PaymentModel } from './payment.model';
import type { autoLabelUpdates } from './payment-label.migration';
import { BATCH_SIZE, inBatches } from '../batches';
import { rebaseWrites } from '../rebase';
import {
  COMMISSION_REVENUE_CLEARED,
  CONTENT_REMOVED,
  LEGACY_CANCEL_REASONS,
  LEGACY_CONTENT_REMOVED_PREFIX,
  TERMS_CHANGED,
  deliverableLabel,
  isCommissionKey,
  sameAutoLabel,
  type AutoLabel,
  type CancelCode,
  type CommissionStep,
  type PlannedPayment,
} from './payment-rules';
import type { TermsPlan } from './payment-planning';
import type { Payment, PaymentWorkspace } from './payment-views';

export interface NewPayment {
  collaboration: CollaborationDoc;
  amountMinor: number;
  currency: string;
  /** Local due day, `YYYY-MM-DD`. */
  dueOn: string;
  label?: string;
}

/** What bringing commission payments in step with the revenue wrote. */
export interface CommissionApplied {
  created: Payment[];
  adjusted: Array<{ id: string; from: number; to: number; dueOn: string }>;
  cancelled: number;
  /** Of those cancelled, how many because their month has no revenue any more (COMMISSION_REVENUE_CLEARED). */
  cleared: number;
}

export interface PaymentPatch {
  amountMinor?: number;
  currency?: string;
  dueOn?: string;
  /** What a person typed; null clears it, so the bot's name (`autoLabel`) shows again. */
  label?: string | null;
}

/**
 * The one writer of payments: their states and the history of each change. By hand (the
 * `/payment` command): added, edited, paid, reopened, cancelled, each one write conditional on the
 * status it starts from, so two people (or a retry) never move a payment twice. Planned
 * (PaymentPlanning decides, this writes): created by schedule key, changed to follow edited
 * terms, commission adjusted or cancelled, each conditional on the payment still being unpaid.
 * And every day kept on its calendar day across a timezone change. Every write forgets the
 * workspace's memoised on-time rate. What is read back is PaymentReports'.
 */
export class PaymentStates {
  constructor(
    private readonly payments: PaymentModel,
    private readonly audit: AuditTrail,
    private readonly memo: OnTimeMemo,
    private readonly clock: Clock,
  ) {}

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

  /**
   * The paid day goes into the history as the calendar day in the workspace's timezone when it is
   * marked (`2026-11-20`), as due days are: a later timezone change moves the payment's `paidAt`
   * onto the same day in the new zone, never what its history says.
   */
  async markPaid(workspace: PaymentWorkspace, payment: Payment, input: { paidAt: Date; reference?: string }, actorId: string): Promise<Payment> {
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
      { field: 'paidAt', from: null, to: localDay(input.paidAt, workspace.timezone) },
      ...(input.reference ? [{ field: 'reference', from: null, to: input.reference }] : []),
    ]);
    return updated;
  }

  /**
   * A payment marked paid by mistake back to scheduled: the paid day, who and the reference are
   * cleared on the payment and kept, with the reason, in its history (the paid day as its calendar
   * day in the workspace's timezone, where a timezone change keeps `paidAt`). Only a paid payment reopens.
   */
  async reopen(workspace: PaymentWorkspace, payment: Payment, reason: string, actorId: string): Promise<Payment> {
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
      { field: 'paidAt', from: payment.paidAt ? localDay(payment.paidAt, workspace.timezone) : null, to: null },
      ...(payment.reference ? [{ field: 'reference', from: payment.reference, to: null }] : []),
      { field: 'reopenReason', from: null, to: reason },
    ]);
    return updated;
  }

  /** Cancelled with the reason a person typed; `code` when the bot says why too (CONTENT_REMOVED: the piece's removal reason). */
  async cancel(payment: Payment, reason: string, actorId: string, code?: CancelCode): Promise<Payment> {
    const updated = await this.payments
      .findOneAndUpdate(
        { _id: payment._id, workspaceId: payment.workspaceId, status: 'scheduled' },
        { $set: { status: 'cancelled', cancelledAt: this.clock(), cancelledById: actorId, cancelReason: reason, ...(code ? { cancelCode: code } : {}) } },
        { returnDocument: 'after' },
      )
      .lean<Payment>();
    if (!updated) throw await this.notScheduled(payment, 'cancel');
    await this.record(updated, 'cancel', actorId, [
      { field: 'status', from: 'scheduled', to: 'cancelled' },
      ...(code ? [{ field: 'cancelCode', from: null, to: code }] : []),
      { field: 'cancelReason', from: null, to: reason },
    ]);
    return updated;
  }

  /** Amount, currency, due day or label (typed, or cleared) of an unpaid payment; generated ones stay edited when the schedule is regenerated. */
  async edit(workspace: PaymentWorkspace, payment: Payment, patch: PaymentPatch, actorId: string): Promise<Payment> {
    return this.change(workspace, payment, patch, actorId, 'edit');
  }

  /**
   * A per-deliverable payment following its piece's new publication day: due `dueOn` (unset: a due
   * day a manager typed stays), and the bot's name for it (`autoLabel`) naming the new day. A label
   * a manager typed is another field, never touched: it keeps being shown instead. Recorded as
   * `content`, not `edit`: the bot moved it, so a later change of the terms' net days moves it again
   * (planning keeps only what a person typed with `/payment edit`).
   */
  async followContent(workspace: PaymentWorkspace, payment: Payment, piece: { dueOn?: string; publishedOn: string }, actorId: string): Promise<Payment> {
    const autoLabel = deliverableLabel(piece.publishedOn);
    return this.change(
      workspace,
      payment,
      { ...(piece.dueOn !== undefined ? { dueOn: piece.dueOn } : {}), ...(sameAutoLabel(autoLabel, payment.autoLabel) ? {} : { autoLabel }) },
      actorId,
      'content',
    );
  }

  private async change(
    workspace: PaymentWorkspace,
    payment: Payment,
    patch: PaymentPatch & { autoLabel?: AutoLabel },
    actorId: string,
    action: 'edit' | 'content',
  ): Promise<Payment> {
    const currency = patch.currency?.toUpperCase();
    if (currency !== undefined && currency !== payment.currency && patch.amountMinor === undefined) {
      // The stored amount is minor units of the old currency: read in another it would mean something else (€1,500.00 -> ¥150,000).
      throw refuse('payment.currency-without-amount', { from: payment.currency, to: currency });
    }
    if (currency !== undefined && currency !== payment.currency && isCommissionKey(payment.scheduleKey)) {
      // Its recompute reads its amount in the terms' currency (a hand correction of it, too).
      throw refuse('payment.commission-currency', { currency: payment.currency });
    }
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    if (patch.amountMinor !== undefined) $set.amountMinor = patch.amountMinor;
    if (patch.currency !== undefined) $set.currency = patch.currency.toUpperCase();
    if (patch.dueOn !== undefined) $set.dueAt = startOfLocalDay(patch.dueOn, workspace.timezone);
    if (patch.label === null) {
      if (payment.label != null) $unset.label = 1;
    } else if (patch.label !== undefined) $set.label = patch.label;
    if (patch.autoLabel !== undefined) $set.autoLabel = patch.autoLabel;
    if (Object.keys($set).length === 0 && Object.keys($unset).length === 0) return payment;
    const updated = await this.payments
      .findOneAndUpdate(
        { _id: payment._id, workspaceId: payment.workspaceId, status: 'scheduled' },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
        { returnDocument: 'after' },
      )
      .lean<Payment>();
    if (!updated) throw await this.notScheduled(payment, 'edit');
    // A due day is recorded as the calendar day (`2026-12-10`), as creation records it: a later
    // timezone change moves the payment, never what its history says was typed. Field name kept:
    // planning reads `dueAt` in the history as a due day set by hand. The bot's name is recorded
    // only while it is the one shown (no typed label hides it); a typed label cleared records, as its
    // new value, the name shown from then on: the bot's (worded by the view), or none.
    const recorded = (value: unknown) => (value instanceof Date ? localDay(value, workspace.timezone) : value);
    const after = (field: string) =>
      field === 'dueAt' ? patch.dueOn : field === 'label' && updated.label == null ? updated.autoLabel : (updated as unknown as Record<string, unknown>)[field];
    const fields = [...Object.keys($set), ...Object.keys($unset)]
      .filter((field) => field !== 'autoLabel' || updated.label == null)
      .map((field) => ({
        field,
        from: (field === 'dueAt' ? recorded(payment.dueAt) : (payment as unknown as Record<string, unknown>)[field]) ?? null,
        to: after(field) ?? null,
      }));
    if (fields.length > 0) await this.record(updated, action, actorId, fields);
    else this.memo.written(String(updated.workspaceId));
    return updated;
  }

  /**
   * Creates the planned payments that do not exist yet, whatever the number of collaborations, in
   * three round trips: one bulk upsert by `scheduleKey` with `$setOnInsert` only (so edits, payments
   * and cancellations are never touched and nothing is created twice), one read of what it
   * created, and one insert of their change records. Created payments come back by due day.
   */
  async createPlanned(
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
              autoLabel: plan.autoLabel,
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
    this.memo.written(workspace.id);
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
   * Writes what a `termsPlan` changes on unpaid planned payments: changed ones get the new values,
   * dropped ones are cancelled (TERMS_CHANGED; their schedule key freed, so the terms may plan
   * that slot again later). Each write is conditional on the payment still being unpaid: one paid
   * meanwhile stays as it is. Returns what was written, each in the payment's history.
   */
  async applyTerms(
    workspace: PaymentWorkspace,
    plan: Pick<TermsPlan, 'changed' | 'dropped'>,
    actorId: string,
  ): Promise<{ changed: Array<{ before: Payment; after: Payment }>; cancelled: Payment[] }> {
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
              cancelCode: TERMS_CHANGED,
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
    // What a person sees changed: the bot's name only while no typed label hides it (a change of it alone is written, not said).
    const changed = plan.changed
      .map(({ payment, set }) => ({ before: payment, after: after.get(String(payment._id))!, fields: Object.keys(set) }))
      .filter(({ before, after: p }) => p && p.status === 'scheduled' && p.updatedAt.getTime() !== before.updatedAt.getTime())
      .map((c) => ({ ...c, fields: c.fields.filter((field) => field !== 'autoLabel' || c.after.label == null) }))
      .filter((c) => c.fields.length > 0);
    const cancelled = plan.dropped.map((p) => after.get(String(p._id))!).filter((p) => p && p.status === 'cancelled' && p.cancelCode === TERMS_CHANGED && p.cancelledAt?.getTime() === at.getTime());
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
          { field: 'cancelCode', from: null, to: TERMS_CHANGED },
        ],
      })),
    ];
    if (records.length > 0) {
      this.memo.written(workspace.id);
      await this.audit.recordMany(records);
    }
    return { changed: changed.map(({ before, after: p }) => ({ before, after: p })), cancelled };
  }

  /**
   * Writes the commission steps PaymentPlanning.planCommission decided, in one bulk write: a new
   * payment is an upsert by its schedule key, an adjustment is conditional on the amount read, a
   * cancellation on the payment still being unpaid, so two replicas (or a retry) never apply one
   * twice. Then one read of what it created and one insert of the history.
   */
  async applyCommission(
    workspace: PaymentWorkspace,
    steps: ReadonlyArray<{ collaboration: CollaborationDoc; step: CommissionStep }>,
    actorId: string,
  ): Promise<CommissionApplied> {
    const wsId = new Types.ObjectId(workspace.id);
    const at = this.clock();
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
                    autoLabel: step.plan.autoLabel,
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
                update: { $set: { status: 'cancelled', cancelledAt: at, cancelledById: actorId, cancelCode: step.reason } },
              },
            };
        }
      }),
      { ordered: false },
    );
    const createdIds = Object.values(result.upsertedIds ?? {}) as Types.ObjectId[];
    const created = createdIds.length ? await this.payments.find({ _id: { $in: createdIds }, workspaceId: wsId }).sort({ dueAt: 1 }).lean<Payment[]>() : [];
    const adjusted = steps.flatMap(({ step }) => (step.kind === 'adjust' ? [{ id: step.id, from: step.from, to: step.to, dueOn: step.dueOn }] : []));
    const cancelled = steps.flatMap(({ step }) => (step.kind === 'cancel' ? [step] : []));
    this.memo.written(workspace.id);
    const history = [
      ...created.map((payment) => ({ entityId: payment._id, action: 'schedule', fields: [{ field: 'scheduleKey', from: null, to: payment.scheduleKey }] })),
      ...adjusted.map((a) => ({ entityId: new Types.ObjectId(a.id), action: 'commission', fields: [{ field: 'amountMinor', from: a.from, to: a.to }, { field: 'dueOn', from: null, to: a.dueOn }] })),
      ...cancelled.map((step) => ({
        entityId: new Types.ObjectId(step.id),
        action: 'cancel',
        fields: [
          { field: 'status', from: 'scheduled', to: 'cancelled' },
          { field: 'cancelCode', from: null, to: step.reason },
        ],
      })),
    ];
    await this.audit.recordMany(history.map((h) => ({ workspaceId: wsId, entity: 'payment', actorId, at, ...h })));
    return { created, adjusted, cancelled: cancelled.length, cleared: cancelled.filter((step) => step.reason === COMMISSION_REVENUE_CLEARED).length };
  }

  /**
   * After a timezone change: every due day (and every day paid given as a date, stored at local
   * noon) stays on its calendar day, stored at that day's start in the new zone. Idempotent (see
   * `rebaseDay`), and each write is conditional on the value read, so a concurrent edit wins.
   */
  async rebaseTimezone(workspaceId: string, from: string, to: string): Promise<number> {
    // The rate is counted in the workspace's timezone, which changed: forgotten whatever moves.
    this.memo.written(workspaceId);
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
    if (moved > 0) this.memo.written(workspaceId);
    return moved;
  }

  /**
   * Start-up migration: cancellations stored before cancel codes kept the bot's reason as English
   * text in `cancelReason`. Those become their code (`cancelCode`, the text unset); `Content
   * removed: <typed>` becomes CONTENT_REMOVED with the typed reason kept. A reason a person typed
   * is never touched: only the bot's exact sentences match. Every workspace, in bounded batches
   * (one indexed read of matching payments each, one bulk write); idempotent, so replicas starting
   * together, or a restart halfway, write nothing twice. Returns how many payments it upgraded.
   */
  async upgradeCancelReasons(): Promise<number> {
    const byText = new Map<string, CancelCode>(LEGACY_CANCEL_REASONS);
    const legacy = {
      status: 'cancelled' as const,
      cancelCode: null,
      $or: [{ cancelReason: { $in: [...byText.keys()] } }, { cancelReason: { $regex: `^${LEGACY_CONTENT_REMOVED_PREFIX}` } }],
    };
    const cursor = this.payments.find(legacy, { workspaceId: 1, cancelReason: 1 }).sort({ _id: 1 }).lean<Array<Pick<Payment, '_id' | 'workspaceId' | 'cancelReason'>>>().cursor({ batchSize: BATCH_SIZE });
    let upgraded = 0;
    for await (const batch of inBatches<Pick<Payment, '_id' | 'workspaceId' | 'cancelReason'>>(cursor)) {
      const writes = batch.map((p) => {
        const text = p.cancelReason ?? '';
        const code = byText.get(text);
        const update = code
          ? { $set: { cancelCode: code }, $unset: { cancelReason: 1 } }
          : { $set: { cancelCode: CONTENT_REMOVED, cancelReason: text.slice(LEGACY_CONTENT_REMOVED_PREFIX.length) } };
        // Conditional on the text read: a concurrent upgrade (another replica) finds nothing left to do.
        return { updateOne: { filter: { _id: p._id, workspaceId: p.workspaceId, cancelCode: null, cancelReason: text }, update } };
      });
      const result = await this.payments.bulkWrite(writes, { ordered: false });
      upgraded += result.modifiedCount;
    }
    return upgraded;
  }

  /**
   * Start-up migration: writes the pages of `autoLabelUpdates` (payment-label.migration.ts), each
   * before the next is read (the bot's labels stored as text become `autoLabel`). Each update is
   * conditional on what was read. Returns how many payments it upgraded.
   */
  async upgradeLabels(pages: ReturnType<typeof autoLabelUpdates>): Promise<number> {
    let upgraded = 0;
    for await (const writes of pages) upgraded += (await this.payments.bulkWrite(writes, { ordered: false })).modifiedCount;
    return upgraded;
  }

  private async notScheduled(payment: Payment, action: DomainErrors['payment.not-scheduled']['action']) {
    const now = await this.payments.findOne({ _id: payment._id, workspaceId: payment.workspaceId }, { status: 1 }).lean();
    const status = now?.status ?? payment.status;
    return refuse('payment.not-scheduled', { status, action });
  }

  private async record(payment: Payment, action: string, actorId: string, fields: Array<{ field: string; from: unknown; to: unknown }>) {
    this.memo.written(String(payment.workspaceId));
    await this.audit.record({ workspaceId: payment.workspaceId, entity: 'payment', entityId: payment._id, action, actorId, fields });
  }
}
