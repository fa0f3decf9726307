import type { Collaboration } from '../collaboration/collaboration.service';
import type { PaymentPlanning } from '../payment/payment-planning';
import type { Payment, PaymentWorkspace } from '../payment/payment-views';
import type { ContentService, Logged, LogInput } from './content.service';

/** The payment planned for a piece as it is logged; `failed` when it could not be (the piece is stored all the same). */
export type PaymentOnLog = { planned: Payment } | { failed: true; error: unknown };

export interface LoggedWithPayment extends Logged {
  /** Unset when the terms pay per deliverable no fee, or not per deliverable at all. */
  payment?: PaymentOnLog;
}

/**
 * `/content log` as one use-case across the services that own content and payments: the piece is
 * stored (ticking off its planned item), then, on per-deliverable terms, its payment is planned
 * (published day + net days). A failure planning the payment is returned, not thrown: the piece is
 * stored already, and the monthly payment run and `/payment schedule` plan it later, once
 * (generateSchedule is idempotent: one payment per piece, by its schedule key).
 */
export class ContentLogging {
  constructor(
    private readonly content: ContentService,
    private readonly payments: PaymentPlanning,
  ) {}

  async log(workspace: PaymentWorkspace, collaboration: Collaboration, input: LogInput, actorId: string, now: Date): Promise<LoggedWithPayment> {
    const logged = await this.content.log(collaboration, input, workspace.timezone);
    const terms = collaboration.compensation ?? {};
    if (terms.schedule !== 'per-deliverable' || !terms.feeMinor || terms.productOnly) return logged;
    try {
      const { created } = await this.payments.generateSchedule(workspace, collaboration, actorId, now);
      const key = `${String(collaboration._id)}:content:${String(logged.item._id)}`;
      const planned = created.find((p) => p.scheduleKey === key);
      return planned ? { ...logged, payment: { planned } } : logged;
    } catch (error) {
      return { ...logged, payment: { failed: true, error } };
    }
  }
}
