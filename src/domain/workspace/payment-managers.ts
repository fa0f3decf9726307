import type { Actor, Platform } from '../../core/command';
import { refuse } from '../errors';
import type { WorkspaceService } from './workspace.service';

/** A Slack user group or Discord role in the payment managers' list is stored as `group:<id>`. */
export const GROUP_PREFIX = 'group:';

/** What a refused actor wanted to do with money. */
export type MoneyAction = 'pay' | 'reopen' | 'cancel' | 'edit' | 'terms';

export interface PaymentAccess {
  allowed: boolean;
  /** Who may: the listed users and groups, or empty for the workspace admins. */
  managers: string[];
}

/**
 * Who may mark payments paid, reopen, cancel or change them, and change compensation terms: the
 * users and groups listed in the workspace's settings or, while the list is empty, its admins.
 * Read fresh on every call: access follows a settings change at once, on every replica.
 */
export class PaymentManagers {
  constructor(private readonly workspaces: WorkspaceService) {}

  async access(workspaceId: string, actor: Actor): Promise<PaymentAccess> {
    const { settings } = await this.workspaces.settings(workspaceId);
    const managers = settings.paymentManagers;
    if (managers.length === 0) return { allowed: await actor.isAdmin(), managers };
    if (managers.includes(actor.id)) return { allowed: true, managers };
    for (const entry of managers) {
      if (entry.startsWith(GROUP_PREFIX) && (await actor.memberOf?.(entry.slice(GROUP_PREFIX.length)))) return { allowed: true, managers };
    }
    return { allowed: false, managers };
  }

  /** Refuses (`payment.not-a-manager`, naming who can) unless the actor may manage payments. */
  async require(workspace: { id: string; platform: Platform }, actor: Actor, action: MoneyAction): Promise<void> {
    const { allowed, managers } = await this.access(workspace.id, actor);
    if (!allowed) throw refuse('payment.not-a-manager', { action, managers, platform: workspace.platform });
  }
}
