import { localMonth, minDate, monthsFrom } from '../../core/calendar';
import type { Stage } from '../../core/vocabulary';
import type { ContentService } from '../content/content.service';
import type { Influencer, InfluencerService } from '../influencer/influencer.service';
import type { PaymentPlanning } from '../payment/payment-planning';
import type { Payment } from '../payment/payment-views';
import type { Collaboration, CollaborationInput, CollaborationService, ContentItem, WorkspaceRef } from './collaboration.service';

/** Stages a first collaboration moves forward to `active`. */
const MOVES_TO_ACTIVE: readonly Stage[] = ['prospect', 'contacted', 'negotiating'];
/** A start far in the past never plans more than this many months at once. */
const MAX_BACKFILL_MONTHS = 24;

export interface Created {
  collaboration: Collaboration;
  /** The checklist of the first month (and of every month up to this one, for a start in the past). */
  planned: ContentItem[];
  /** Set when the creator moved to `active`. */
  stage?: { from: Stage; to: Stage };
}

/** The payments planned as a collaboration starts; `failed` when they could not be (the collaboration is stored all the same). */
export type PaymentsOnStart = { created: Payment[] } | { failed: true; error: unknown };

export interface Started extends Created {
  /** Unset when the terms call for no payment now (no fee, product only, or per-deliverable). */
  payments?: PaymentsOnStart;
}

/**
 * `/collab new` as one use-case across the services that own the collaboration, its checklist,
 * the creator's stage and its payments, in this order: the collaboration is stored and recorded
 * (CollaborationService.create checks everything before that first write), its checklist planned
 * for the first month (and every month since a start in the past, up to MAX_BACKFILL_MONTHS), the
 * creator moved from prospect/contacted/negotiating to `active` (audited), then the payments its
 * terms call for now are planned: `once` and `monthly` now, `per-deliverable` as each piece is
 * logged. A failure planning payments is returned, not thrown: retrying would start the
 * collaboration twice, and `/payment schedule` or the monthly payment run plan what is missing
 * (generateSchedule is idempotent).
 */
export class CollaborationStart {
  constructor(
    private readonly collaborations: CollaborationService,
    private readonly content: ContentService,
    private readonly influencers: InfluencerService,
    private readonly payments: PaymentPlanning,
  ) {}

  async start(workspace: WorkspaceRef, influencer: Influencer, input: CollaborationInput, actorId: string, now: Date): Promise<Started> {
    const collaboration = await this.collaborations.create(workspace, influencer, input, actorId);

    const first = localMonth(input.start, workspace.timezone);
    const current = localMonth(now, workspace.timezone);
    const last = input.end ? minDate(current, localMonth(input.end, workspace.timezone)) : current;
    const months = monthsFrom(first, last > first ? last : first).slice(-MAX_BACKFILL_MONTHS);
    for (const month of months) await this.content.planChecklist(workspace.id, [collaboration], month, workspace.timezone);
    const planned = await this.content.plannedOf(collaboration);

    let stage: Created['stage'];
    if (MOVES_TO_ACTIVE.includes(influencer.stage as Stage)) {
      await this.influencers.setStage(influencer, 'active', actorId);
      stage = { from: influencer.stage as Stage, to: 'active' };
    }
    const created: Created = { collaboration, planned, ...(stage ? { stage } : {}) };

    const terms = collaboration.compensation ?? {};
    if (terms.productOnly || !terms.feeMinor || !terms.schedule) return created;
    try {
      const { created: scheduled } = await this.payments.generateSchedule(workspace, collaboration, actorId, now);
      return { ...created, payments: { created: scheduled } };
    } catch (error) {
      return { ...created, payments: { failed: true, error } };
    }
  }
}
