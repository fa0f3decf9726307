import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import { addMonths, localDay, startOfLocalDay } from '../../core/calendar';
import type { AuditTrail } from '../audit/audit-trail';
import type { CollaborationDoc, CollaborationModel } from '../collaboration/collaboration.model';
import type { ContentModel } from '../content/content.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import { BATCH_SIZE, inBatches } from '../batches';
import { groupBy } from '../group-by';
import type { PaymentModel } from './payment.model';
import type { WorkspaceModel } from '../workspace/workspace.model';
import { autoLabelUpdates } from './payment-label.migration';
import {
  DEFAULT_HORIZON_MONTHS,
  commissionSteps,
  isCommissionKey,
  planCommission,
  planPayments,
  reportingDate,
  sameAutoLabel,
  type AutoLabel,
  type MissingTerm,
  type PlannedPayment,
} from './payment-rules';
import type { CommissionApplied, PaymentStates } from './payment-states';
import { byDueDay, withNames, type Payment, type PaymentView, type PaymentWorkspace } from './payment-views';

/** Unpaid planned payments after a `/collab edit` of the terms. */
export interface TermsPlan {
  changed: Array<{ payment: Payment; set: Partial<Pick<Payment, 'amountMinor' | 'currency' | 'dueAt' | 'ownerId'> & { autoLabel: AutoLabel }> }>;
  /** No longer called for by the terms: cancelled. */
  dropped: Payment[];
  added: PlannedPayment[];
}

export interface TermsFollowed {
  changed: Array<{ before: Payment; after: Payment }>;
  cancelled: Payment[];
  created: Payment[];
}

/**
 * What a collaboration's terms and recorded revenue call for: planned when it starts or a piece is
 * published (generateSchedule), kept in step with edited terms (termsPlan, followTerms) and with
 * revenue (planCommission), extended month by month (extendSchedules, the payment-schedules job).
 * It reads and decides; PaymentStates, the one writer of payments, writes what it decided (upserts
 * by schedule key, changes conditional on the payment still being unpaid), so planning twice plans
 * nothing twice and never touches a paid payment.
 */
export class PaymentPlanning {
  constructor(
    private readonly payments: PaymentModel,
    private readonly collaborations: CollaborationModel,
    private readonly contents: ContentModel,
    private readonly influencers: InfluencerModel,
    private readonly audit: AuditTrail,
    private readonly states: PaymentStates,
    private readonly clock: Clock,
    private readonly workspaces: WorkspaceModel,
  ) {}

  /**
   * Start-up migration: the bot's names for planned payments stored as English text in `label`
   * become `autoLabel` (decided in payment-label.migration.ts, written by PaymentStates); a typed
   * label stays. Idempotent. Returns how many payments it upgraded.
   */
  async upgradeLabels(): Promise<number> {
    return this.states.upgradeLabels(autoLabelUpdates({ payments: this.payments, contents: this.contents, workspaces: this.workspaces, audit: this.audit }));
  }

  /** The payment planned for a published piece under per-deliverable terms (any status), if there is one. */
  async plannedFor(item: { workspaceId: Types.ObjectId; collaborationId: Types.ObjectId; _id: Types.ObjectId }): Promise<Payment | undefined> {
    const found = await this.payments
      .findOne({ workspaceId: item.workspaceId, scheduleKey: `${String(item.collaborationId)}:content:${String(item._id)}` })
      .lean<Payment>();
    return found ?? undefined;
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
  ): Promise<{ created: Payment[]; existing: number; planned: PlannedPayment[]; missing: MissingTerm[] }> {
    const wsId = new Types.ObjectId(workspace.id);
    const published =
      collaboration.compensation?.schedule === 'per-deliverable'
        ? await this.contents
            .find({ workspaceId: wsId, collaborationId: collaboration._id, status: 'published', publishedAt: { $ne: null } }, { _id: 1, publishedAt: 1 })
            .lean()
        : [];
    const { planned, missing } = planFor(workspace, collaboration, published, now);
    const created = await this.states.createPlanned(workspace, [{ collaboration, planned }], actorId);
    const commission = (collaboration.compensation?.commissionPct ?? 0) > 0 ? (await this.planCommission(workspace, [collaboration], actorId)).created : [];
    return { created: [...created, ...commission].sort(byDueDay), existing: planned.length - created.length, planned, missing };
  }

  /**
   * What the collaboration's terms (as they will read after an edit) call for, against its unpaid
   * planned payments: those whose amount, currency, due day, name (`autoLabel`) or owner change,
   * those the terms no longer call for, and those to plan. Reads only; `followTerms` writes it.
   * Paid and cancelled payments and payments added by hand are never in it. A field a manager
   * changed by hand (`/payment edit`, read from the payment's history) stays as edited: the amount
   * and currency together (one money value), the due day. A typed label is its own field, never
   * planned: the bot's name under it follows the terms. Every other field takes the
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
        autoLabel: plan.autoLabel,
        ownerId: collaboration.ownerId,
      };
      const byHand = edited.get(String(payment._id)) ?? new Set<string>();
      const money = byHand.has('amountMinor') || byHand.has('currency');
      const fields = (Object.keys(set) as Array<keyof typeof set>).filter((field) => {
        if (field === 'amountMinor' || field === 'currency' ? money : byHand.has(field)) return false;
        if (field === 'autoLabel') return !sameAutoLabel(payment.autoLabel, set.autoLabel);
        const before = payment[field];
        const after = set[field];
        return before instanceof Date ? before.getTime() !== (after as Date).getTime() : before !== after;
      });
      if (fields.length > 0) changed.push({ payment, set: Object.fromEntries(fields.map((f) => [f, set[f]])) as Partial<typeof set> });
    }
    return { changed, dropped, added: planned.filter((plan) => !keys.has(plan.scheduleKey)) };
  }

  /**
   * The fields `/payment edit` has set on the payment (its history's `edit` records: `dueAt`,
   * `label`, ...): what a manager typed stays when its piece moves. Every other value of a planned
   * payment is the bot's, so the bot may move it. One read.
   */
  async setByHand(payment: Pick<Payment, '_id' | 'workspaceId'>): Promise<ReadonlySet<string>> {
    const touched = await this.audit.fieldsTouched(payment.workspaceId, 'payment', 'edit', [payment._id]);
    return touched.get(String(payment._id)) ?? new Set<string>();
  }

  /** Per payment id, the fields `/payment edit` has set on it (its history's `edit` records). */
  private async editedByHand(wsId: Types.ObjectId, payments: readonly Payment[]): Promise<Map<string, Set<string>>> {
    return this.audit.fieldsTouched(wsId, 'payment', 'edit', payments.map((p) => p._id));
  }


  /**
   * Follows a `termsPlan` (written by PaymentStates.applyTerms: changed payments get the new
   * values, dropped ones are cancelled), plans the new ones and brings the commission in step.
   * Each write is conditional on the payment still being unpaid: one paid meanwhile stays as it is.
   */
  async followTerms(workspace: PaymentWorkspace, collaboration: CollaborationDoc, plan: TermsPlan, actorId: string): Promise<TermsFollowed> {
    const { changed, cancelled } = await this.states.applyTerms(workspace, plan, actorId);
    const created = await this.states.createPlanned(workspace, [{ collaboration, planned: plan.added }], actorId);
    // A new commission rate applies to the unpaid commission payments (none left at 0%).
    const commission = await this.planCommission(workspace, [collaboration], actorId);
    return { changed, cancelled, created: [...created, ...commission.created].sort(byDueDay) };
  }

  /**
   * Monthly terms gain the reporting days that came within the horizon, per-deliverable terms any
   * published piece still without its payment, commission any revenue recorded: run month by month
   * by the payment-schedules job, so an ongoing schedule never runs out. Idempotent like
   * `generateSchedule`: edits, payments and cancellations stay as they are.
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
    return { collaborations, count, created: await withNames({ influencers: this.influencers, collaborations: this.collaborations }, wsId, earliest) };
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
    const publishedBy = groupBy(published, (item) => String(item.collaborationId));
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
    const created = await this.states.createPlanned(workspace, missing, actorId);
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
  ): Promise<CommissionApplied> {
    const none = { created: [], adjusted: [], cancelled: 0, cleared: 0 };
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
        .find({ workspaceId: wsId, collaborationId: { $in: ids }, scheduleKey: { $regex: ':commission:' } }, { collaborationId: 1, scheduleKey: 1, status: 1, amountMinor: 1, dueAt: 1, cancelCode: 1 })
        .lean<Array<Pick<Payment, '_id' | 'collaborationId' | 'scheduleKey' | 'status' | 'amountMinor' | 'dueAt' | 'cancelCode'>>>(),
    ]);
    const byHand = await this.amountsEditedByHand(wsId, existing.filter((p) => p.status !== 'cancelled'));
    const revenueOf = groupBy(revenue, (r) => String(r._id.c));
    const existingOf = groupBy(existing, (p) => String(p.collaborationId));
    const steps = collaborations.flatMap((collaboration) => {
      const id = String(collaboration._id);
      const plans = planCommission({
        collaborationId: id,
        reportingDay: collaboration.reportingDay,
        compensation: collaboration.compensation ?? {},
        revenue: (revenueOf.get(id) ?? []).map((r) => ({ month: r._id.m, revenueMinor: r.revenueMinor })),
      });
      const payments = (existingOf.get(id) ?? []).map((p) => ({
          id: String(p._id),
          scheduleKey: p.scheduleKey,
          status: p.status,
          amountMinor: p.amountMinor,
          dueOn: localDay(p.dueAt, workspace.timezone),
          cancelCode: p.cancelCode ?? null,
          ...byHand.get(String(p._id)),
        }));
      return commissionSteps(plans, payments, (collaboration.compensation?.commissionPct ?? 0) > 0).map((step) => ({ collaboration, step }));
    });
    if (steps.length === 0) return none;
    return this.states.applyCommission(workspace, steps, actorId);
  }

  /**
   * What `/payment edit` changed on these payments, from their history: the amount's changes
   * summed (a correction commissionSteps keeps) and whether the due day was set by hand. One read
   * of which fields were edited; the amounts only for the few edited ones.
   */
  private async amountsEditedByHand(wsId: Types.ObjectId, payments: ReadonlyArray<Pick<Payment, '_id'>>): Promise<Map<string, { handCorrection?: number; dueOnByHand?: boolean }>> {
    const found = new Map<string, { handCorrection?: number; dueOnByHand?: boolean }>();
    const touched = await this.audit.fieldsTouched(wsId, 'payment', 'edit', payments.map((p) => p._id));
    for (const [id, fields] of touched) {
      let handCorrection: number | undefined;
      if (fields.has('amountMinor')) {
        const history = await this.audit.of(wsId, new Types.ObjectId(id), { entity: 'payment', limit: EDITS_READ });
        handCorrection = history
          .filter((change) => change.action === 'edit')
          .flatMap((change) => change.fields.filter((f) => f.field === 'amountMinor'))
          .reduce((sum, f) => sum + Number(f.to ?? 0) - Number(f.from ?? 0), 0);
      }
      found.set(id, { ...(handCorrection !== undefined ? { handCorrection } : {}), ...(fields.has('dueAt') ? { dueOnByHand: true } : {}) });
    }
    return found;
  }
}

/** A payment's history read for its hand edits: far more changes than a payment ever has. */
const EDITS_READ = 500;

/** What the collaboration's terms call for (the pure planning rules), given its published content. */
function planFor(
  workspace: PaymentWorkspace,
  collaboration: CollaborationDoc,
  published: ReadonlyArray<{ _id: unknown; publishedAt?: Date | null }>,
  now: Date,
  horizonMonths?: number,
): { planned: PlannedPayment[]; missing: MissingTerm[] } {
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
