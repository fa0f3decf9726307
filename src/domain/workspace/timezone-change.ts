import type { CollaborationService } from '../collaboration/collaboration.service';
import type { ContentService } from '../content/content.service';
import type { PaymentStates } from '../payment/payment-states';
import type { WorkspaceService } from './workspace.service';

export interface TimezoneChanged {
  from: string;
  to: string;
  /** Records moved to stay on their calendar day, by collection. */
  moved: { payments: number; content: number; collaborations: number };
}

/**
 * Changing a workspace's timezone, as one use-case across the services that own calendar days
 * stored as instants. The new zone and a "change pending" mark are written together first, so
 * every replica's next decision uses the new zone (nothing caches it); then each owning service
 * moves its records so every due day, checklist day, start and end stays on its calendar day;
 * then the mark is cleared. Without transactions a crash can cut it short: each move is
 * idempotent, and the mark makes the next start (or the next change) finish it.
 */
export class TimezoneChange {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly payments: PaymentStates,
    private readonly content: ContentService,
    private readonly collaborations: CollaborationService,
  ) {}

  /** Undefined when the workspace is already in `to` (and nothing is pending). */
  async change(workspaceId: string, to: string): Promise<TimezoneChanged | undefined> {
    let change = await this.workspaces.beginTimezoneChange(workspaceId, to);
    if (!change) return undefined;
    if (change.to !== to) {
      // An earlier change was cut short: finish it, then make this one.
      await this.finish(workspaceId, change.from, change.to);
      change = await this.workspaces.beginTimezoneChange(workspaceId, to);
      if (!change) return undefined;
    }
    return this.finish(workspaceId, change.from, change.to);
  }

  /** Finishes changes cut short (run at start); returns how many. */
  async finishPending(): Promise<number> {
    const pending = await this.workspaces.pendingTimezoneChanges();
    for (const change of pending) await this.finish(change.workspaceId, change.from, change.to);
    return pending.length;
  }

  private async finish(workspaceId: string, from: string, to: string): Promise<TimezoneChanged> {
    const [payments, content, collaborations] = await Promise.all([
      this.payments.rebaseTimezone(workspaceId, from, to),
      this.content.rebaseTimezone(workspaceId, from, to),
      this.collaborations.rebaseTimezone(workspaceId, from, to),
    ]);
    await this.workspaces.endTimezoneChange(workspaceId);
    return { from, to, moved: { payments, content, collaborations } };
  }
}
