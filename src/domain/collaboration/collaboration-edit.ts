import type { PaymentPlanning, TermsFollowed, TermsPlan } from '../payment/payment-planning';
import type { ChecklistFollowed, ContentService } from '../content/content.service';
import type { WorkspaceRef, Collaboration, CollaborationService } from './collaboration.service';
import { refuse } from '../errors';
import { CHECKLIST_FIELDS, MONEY_FIELDS, PAYMENT_FIELDS, planEdit, type CollaborationPatch, type EditChange } from './collaboration-edit-rules';

export interface CollaborationEdited {
  collaboration: Collaboration;
  /** Empty: every value given was already on the record; `checklist` and `payments` then say what following the stored terms fixed, if anything. */
  changes: EditChange[];
  /** Set when the checklist was brought in line with the new terms. */
  checklist?: ChecklistFollowed;
  /** Set when the planned payments were brought in line with the new terms. */
  payments?: TermsFollowed;
}

export interface EditGuard {
  /**
   * Called before anything is written when the edit changes the compensation terms or would
   * change, cancel or plan a payment; throws to refuse (only payment managers move money).
   */
  money(): Promise<void>;
}

/**
 * `/collab edit` as one use-case across the services that own the collaboration, its checklist
 * and its payments. Everything is checked (values, then who may move money, against the payment
 * changes computed beforehand) before the first write; then the collaboration is written and
 * recorded, then its content items follow a new owner, and an active collaboration's open
 * checklist and unpaid planned payments follow the new terms. Without transactions a crash can
 * cut it short after the first write: each follow-up is idempotent and conditional (a payment
 * paid meanwhile stays paid), and retyping the edit (nothing left to change) follows the stored
 * owner and terms again, which finishes it.
 */
export class CollaborationEdit {
  constructor(
    private readonly collaborations: CollaborationService,
    private readonly content: ContentService,
    private readonly payments: PaymentPlanning,
  ) {}

  async edit(workspace: WorkspaceRef, collaboration: Collaboration, patch: CollaborationPatch, actorId: string, guard: EditGuard): Promise<CollaborationEdited> {
    const planned = planEdit(collaboration, patch, workspace.timezone);
    const active = collaboration.status === 'active';
    if (planned.changes.length === 0) return active ? this.finish(workspace, collaboration, actorId, guard) : { collaboration, changes: [] };
    const currency = planned.changes.find((change) => change.field === 'currency');
    if (currency && (await this.content.hasRevenue(collaboration))) {
      throw refuse('collaboration.currency-with-revenue', { title: collaboration.title, from: String(currency.from ?? currency.to), to: String(currency.to) });
    }
    const touches = (fields: readonly string[]) => planned.changes.some((change) => fields.includes(change.field));
    const paymentPlan: TermsPlan | undefined = active && touches(PAYMENT_FIELDS) ? await this.payments.termsPlan(workspace, planned.next) : undefined;
    if (touches(MONEY_FIELDS) || movesMoney(paymentPlan)) await guard.money();

    const after = await this.collaborations.applyEdit(collaboration, planned, actorId);
    // Its items carry its owner (App Home reads one person's deliverables by it).
    if (touches(['ownerId'])) await this.content.followOwner(after);
    const checklist = active && touches(CHECKLIST_FIELDS) ? await this.content.followTerms(after, workspace.timezone) : undefined;
    const payments = paymentPlan ? await this.payments.followTerms(workspace, after, paymentPlan, actorId) : undefined;
    return { collaboration: after, changes: planned.changes, ...(checklist ? { checklist } : {}), ...(payments ? { payments } : {}) };
  }

  /**
   * An edit that changes nothing on an active collaboration: its checklist and planned payments
   * still follow the stored terms, which finishes an edit cut short after the terms were written
   * (both follow-ups are idempotent, so in step they write nothing). Moving money still needs a
   * payment manager.
   */
  private async finish(workspace: WorkspaceRef, collaboration: Collaboration, actorId: string, guard: EditGuard): Promise<CollaborationEdited> {
    const paymentPlan = await this.payments.termsPlan(workspace, collaboration);
    const owed = paymentPlan.changed.length > 0 || paymentPlan.dropped.length > 0 || paymentPlan.added.length > 0;
    if (movesMoney(paymentPlan)) await guard.money();
    await this.content.followOwner(collaboration);
    const checklist = await this.content.followTerms(collaboration, workspace.timezone);
    const payments = owed ? await this.payments.followTerms(workspace, collaboration, paymentPlan, actorId) : undefined;
    return { collaboration, changes: [], checklist, ...(payments ? { payments } : {}) };
  }
}

/** Whether following the terms changes a payment's amount, currency or due day, cancels one or plans one (its owner or the bot's name for it, `autoLabel`, alone is no money). */
function movesMoney(plan: TermsPlan | undefined): boolean {
  return (
    plan !== undefined &&
    (plan.dropped.length > 0 || plan.added.length > 0 || plan.changed.some(({ set }) => Object.keys(set).some((field) => field !== 'ownerId' && field !== 'autoLabel')))
  );
}
