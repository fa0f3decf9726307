import type { Actor } from '../../core/command';
import { addDays, localDay, type CalendarDate } from '../../core/calendar';
import type { Collaboration, ContentItem } from '../collaboration/collaboration.service';
import type { PaymentPlanning } from '../payment/payment-planning';
import type { PaymentStates } from '../payment/payment-states';
import type { Payment, PaymentWorkspace } from '../payment/payment-views';
import { CONTENT_REMOVED, DEFAULT_NET_DAYS, deliverableLabel, sameAutoLabel } from '../payment/payment-rules';
import { totalMetrics } from '../metrics/metrics-rules';
import type { PaymentManagers } from '../workspace/payment-managers';
import type { ContentPatch, ContentService, Edited, MetricValues, Removed } from './content.service';

type CommissionPlanned = Awaited<ReturnType<PaymentPlanning['planCommission']>>;

/**
 * What recorded (or removed, or moved) revenue did to the collaboration's commission payments:
 * `failed` when they could not be brought in step (the content change is stored all the same, and
 * the monthly payment run catches up: planCommission is idempotent).
 */
export type CommissionFollowed = CommissionPlanned | { failed: true; error: unknown };

/**
 * What a new publication day did to the piece's per-deliverable payment (due net days after it):
 * moved by a payment manager, or left for one (`managers` may move it) when someone else edited;
 * `kept` when a payment manager typed its due day (`/payment edit due:`): that day stays.
 */
export type PaymentOnNewDay =
  | { kind: 'moved'; payment: Payment; from: CalendarDate; to: CalendarDate }
  | { kind: 'needs-manager'; payment: Payment; from: CalendarDate; to: CalendarDate }
  | { kind: 'kept'; payment: Payment; from: CalendarDate; to: CalendarDate };

/**
 * What removing a piece did to its per-deliverable payment: a paid one stays paid; an unpaid one
 * is cancelled by a payment manager, or left for one when someone else removed the piece.
 */
export type PaymentOnRemoval = { kind: 'stays-paid'; payment: Payment } | { kind: 'cancelled'; payment: Payment } | { kind: 'needs-manager'; payment: Payment };

export interface MetricsRecorded {
  item: ContentItem;
  /** Set when revenue was recorded on a collaboration with a commission. */
  commission?: CommissionFollowed;
}

export interface EditedWithMoney extends Edited {
  /** Set when the publication day moved the due day of the piece's unpaid per-deliverable payment. */
  payment?: PaymentOnNewDay;
  /** Set when the publication day moved and the collaboration has a commission. */
  commission?: CommissionFollowed;
}

export interface RemovedWithMoney extends Removed {
  payment?: PaymentOnRemoval;
  /** Set when the collaboration has a commission: the piece's revenue went with it. */
  commission?: CommissionFollowed;
}

/**
 * `/content metrics`, `/content edit` and `/content remove` as use-cases across the services that
 * own content and payments: the content change is written first (ContentService), then the money
 * that follows it. Revenue decides the commission of its month of publication, the publication
 * day the due day of a per-deliverable payment. Only payment managers move or cancel a payment;
 * for anyone else the result says which payment is left for them. A commission that could not be
 * planned is returned as `failed`, not thrown: the content change is stored already.
 */
export class ContentChanges {
  constructor(
    private readonly content: ContentService,
    private readonly paymentStates: PaymentStates,
    private readonly paymentPlanning: PaymentPlanning,
    private readonly managers: PaymentManagers,
  ) {}

  async recordMetrics(workspace: PaymentWorkspace, item: ContentItem, collaboration: Collaboration, values: MetricValues, actorId: string): Promise<MetricsRecorded> {
    const recorded = await this.content.recordMetrics(item, values, actorId);
    const commission = values.revenue !== undefined ? await this.followCommission(workspace, collaboration, actorId) : undefined;
    return { item: recorded, ...(commission ? { commission } : {}) };
  }

  /**
   * `open`: the collaboration's open checklist items as read with the piece (`resolveToChange`).
   * The money follows only what it depends on: the payment a day given (moved now, or retyped
   * after an edit cut short before its payment moved) on per-deliverable terms, the commission a
   * piece with revenue.
   */
  async edit(workspace: PaymentWorkspace, item: ContentItem, collaboration: Collaboration, patch: ContentPatch, actor: Actor, open?: readonly ContentItem[]): Promise<EditedWithMoney> {
    const edited = await this.content.edit(item, collaboration, patch, workspace.timezone, actor.id, open);
    // A publication day given is followed even when the piece has it already: an edit cut short
    // after the piece was written, before its payment moved, is finished by retyping it (both steps do nothing when in step).
    const dayMoved = [...edited.changes, ...(edited.finished?.changes ?? [])].some((change) => change.field === 'publishedAt');
    if (patch.published === undefined && !dayMoved) return edited;
    const followed = paysPerPiece(collaboration) ? await this.followPublishedDay(workspace, collaboration, edited.item, actor) : undefined;
    // A day set by hand is said only when the publication day moved now (the form sends the day back on every save).
    const payment = followed?.kind === 'kept' && !dayMoved ? undefined : followed;
    // Commission is per month of publication: a piece with revenue moved to another month moves its share.
    const commission = hasRevenue(edited.item) ? await this.followCommission(workspace, collaboration, actor.id) : undefined;
    return { ...edited, ...(payment ? { payment } : {}), ...(commission ? { commission } : {}) };
  }

  async remove(workspace: PaymentWorkspace, item: ContentItem, collaboration: Collaboration, reason: string, actor: Actor): Promise<RemovedWithMoney> {
    const marked = await this.content.markForRemoval(item, collaboration, reason, workspace.timezone, actor.id);
    // Once it is marked (its item open again), side by side: its removal recorded, its payment read.
    const [{ piece, ...removed }, planned] = await Promise.all([this.content.finishRemoval(marked), this.paymentPlanning.plannedFor(marked.piece)]);
    // Before the piece goes: a removal cut short here is retyped, finds the piece and handles its payment.
    const payment = await this.paymentOfRemoved(workspace, planned, removed.reason, actor);
    await this.content.deleteRemoved(piece);
    // Its revenue goes with it: the unpaid commission on that revenue follows (a paid one stays paid;
    // planned once the piece is gone, which counts its revenue until then; failing, the monthly run catches up).
    const commission = hasRevenue(piece) ? await this.followCommission(workspace, collaboration, actor.id) : undefined;
    return { ...removed, ...(payment ? { payment } : {}), ...(commission ? { commission } : {}) };
  }

  /**
   * A per-deliverable payment is due net days after its piece was published; never a paid one
   * moves, nor one whose due day a payment manager typed (as a change of the terms keeps it): then
   * only the bot's name for it (`autoLabel`) follows the piece's day. A label a manager typed is
   * another field, never changed: it stays shown.
   */
  private async followPublishedDay(workspace: PaymentWorkspace, collaboration: Collaboration, item: ContentItem, actor: Actor): Promise<PaymentOnNewDay | undefined> {
    const payment = await this.paymentPlanning.plannedFor(item);
    if (!payment || payment.status !== 'scheduled') return undefined;
    const from = localDay(payment.dueAt, workspace.timezone);
    const publishedOn = localDay(item.publishedAt!, workspace.timezone);
    const to = addDays(publishedOn, collaboration.compensation?.netDays ?? DEFAULT_NET_DAYS);
    const named = sameAutoLabel(payment.autoLabel, deliverableLabel(publishedOn));
    // In step: due on the terms' day and named for the piece's day.
    if (to === from && named) return undefined;
    const byHand = await this.paymentPlanning.setByHand(payment);
    if (byHand.has('dueAt') || to === from) {
      // The day stays (typed, or the terms' already); the bot's name still follows the piece's day (a payment manager's move, as below).
      if (!named && (await this.managers.access(workspace.id, actor)).allowed) {
        await this.paymentStates.followContent(workspace, payment, { publishedOn }, actor.id);
      }
      return to === from ? undefined : { kind: 'kept', payment, from, to };
    }
    if (!(await this.managers.access(workspace.id, actor)).allowed) return { kind: 'needs-manager', payment, from, to };
    await this.paymentStates.followContent(workspace, payment, { dueOn: to, publishedOn }, actor.id);
    return { kind: 'moved', payment, from, to };
  }

  /** The payment planned for a removed piece: cancelled with the reason by a payment manager. A paid one stays paid. */
  private async paymentOfRemoved(workspace: PaymentWorkspace, payment: Payment | undefined, reason: string, actor: Actor): Promise<PaymentOnRemoval | undefined> {
    if (!payment || payment.status === 'cancelled') return undefined;
    if (payment.status === 'paid') return { kind: 'stays-paid', payment };
    if (!(await this.managers.access(workspace.id, actor)).allowed) return { kind: 'needs-manager', payment };
    await this.paymentStates.cancel(payment, reason, actor.id, CONTENT_REMOVED);
    return { kind: 'cancelled', payment };
  }

  /**
   * A collaboration with a commission: that month's commission payment is planned, or its unpaid
   * one brought in step with the revenue recorded (never a paid one).
   */
  private async followCommission(workspace: PaymentWorkspace, collaboration: Collaboration, actorId: string): Promise<CommissionFollowed | undefined> {
    if (!(collaboration.compensation?.commissionPct && collaboration.compensation.commissionPct > 0)) return undefined;
    try {
      return await this.paymentPlanning.planCommission(workspace, [collaboration], actorId);
    } catch (error) {
      return { failed: true, error };
    }
  }
}

/**
 * Whether the terms pay per piece: only then is a piece's payment planned (ContentLogging), and a
 * change of the terms away from it cancels the unpaid ones (PaymentPlanning.termsPlan).
 */
const paysPerPiece = (collaboration: Collaboration): boolean => collaboration.compensation?.schedule === 'per-deliverable';

/** Revenue recorded on the piece: only then does moving or removing it change a month's commission. */
const hasRevenue = (item: ContentItem): boolean => (totalMetrics([item]).revenue ?? 0) > 0;
