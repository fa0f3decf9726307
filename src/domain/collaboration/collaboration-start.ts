import type { Influencer } from '../influencer/influencer.service';
import type { PaymentPlanning } from '../payment/payment-planning';
import type { Payment } from '../payment/payment-views';
import type { CollaborationInput, CollaborationService, Created, WorkspaceRef } from './collaboration.service';

/** The payments planned as a collaboration starts; `failed` when they could not be (the collaboration is stored all the same). */
export type PaymentsOnStart = { created: Payment[] } | { failed: true; error: unknown };

export interface Started extends Created {
  /** Unset when the terms call for no payment now (no fee, product only, or per-deliverable). */
  payments?: PaymentsOnStart;
}

/**
 * `/collab new` as one use-case across the services that own the collaboration, its checklist,
 * the creator's stage and its payments: the collaboration is stored and recorded, its checklist
 * planned and the creator moved to `active` (CollaborationService.create), then the payments its
 * terms call for now are planned: `once` and `monthly` now, `per-deliverable` as each piece is
 * logged. A failure planning payments is returned, not thrown: retrying would start the
 * collaboration twice, and `/payment schedule` or the monthly payment run plan what is missing
 * (generateSchedule is idempotent).
 */
export class CollaborationStart {
  constructor(
    private readonly collaborations: CollaborationService,
    private readonly payments: PaymentPlanning,
  ) {}

  async start(workspace: WorkspaceRef, influencer: Influencer, input: CollaborationInput, actorId: string, now: Date): Promise<Started> {
    const created = await this.collaborations.create(workspace, influencer, input, actorId);
    const terms = created.collaboration.compensation ?? {};
    if (terms.productOnly || !terms.feeMinor || !terms.schedule) return created;
    try {
      const { created: planned } = await this.payments.generateSchedule(workspace, created.collaboration, actorId, now);
      return { ...created, payments: { created: planned } };
    } catch (error) {
      return { ...created, payments: { failed: true, error } };
    }
  }
}
