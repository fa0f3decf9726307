import type { Platform, WorkspaceInfo } from '../../core';
import type { WorkspaceModel } from './workspace.model';

export class WorkspaceService {
  /** Workspaces change rarely and every command needs one: remember them per instance. */
  private readonly known = new Map<string, WorkspaceInfo>();

  constructor(
    private readonly workspaces: WorkspaceModel,
    private readonly defaultTimezone: string,
  ) {}

  /** The workspace for a Slack team, a Discord guild or the console, created on first use. */
  async ensure(platform: Platform, externalId: string): Promise<WorkspaceInfo> {
    const key = `${platform}:${externalId}`;
    const cached = this.known.get(key);
    if (cached) return cached;
    const doc = await this.workspaces
      .findOneAndUpdate(
        { platform, externalId },
        { $setOnInsert: { platform, externalId, timezone: this.defaultTimezone, currency: 'USD' } },
        { upsert: true, new: true, lean: true },
      )
      .orFail();
    const info: WorkspaceInfo = {
      id: String(doc._id),
      platform,
      externalId,
      timezone: doc.timezone,
      currency: doc.currency,
    };
    this.known.set(key, info);
    return info;
  }

  /** Drop the remembered copy after settings change. */
  forget(platform: Platform, externalId: string): void {
    this.known.delete(`${platform}:${externalId}`);
  }
}
