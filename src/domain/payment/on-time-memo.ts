import type { OnTimeRate } from './payment-rules';

/** How long a workspace's on-time rate is reused. */
export const WORKSPACE_RATE_TTL_MS = 5 * 60_000;

/**
 * Each workspace's on-time rate, kept for WORKSPACE_RATE_TTL_MS (and the local day it was counted
 * on): counting it reads every payment of the workspace, and a card shows it only as context
 * beside the creator's own rate. Shared by the payment services (one per process, wired in
 * services.ts): every payment write made here forgets it (`written`); another replica's writes
 * reach it when it expires.
 */
export class OnTimeMemo {
  private readonly rates = new Map<string, { rate: OnTimeRate; day: string; until: number }>();
  /** Bumped by every payment write, so a count that was running meanwhile is not kept. */
  private readonly writes = new Map<string, number>();

  /** A payment of the workspace was written: its rate is counted afresh. */
  written(workspaceId: string): void {
    this.rates.delete(workspaceId);
    this.writes.set(workspaceId, (this.writes.get(workspaceId) ?? 0) + 1);
  }

  /** The rate counted on `day` and not expired at `now`, if any. */
  recall(workspaceId: string, day: string, now: Date): OnTimeRate | undefined {
    const kept = this.rates.get(workspaceId);
    return kept && kept.day === day && kept.until > now.getTime() ? kept.rate : undefined;
  }

  /** How many writes this process made to the workspace's payments: read before counting, passed to `keep`. */
  writesOf(workspaceId: string): number {
    return this.writes.get(workspaceId) ?? 0;
  }

  /** Keeps a rate counted from `now`, unless a write was made since `writesBefore` was read. */
  keep(workspaceId: string, rate: OnTimeRate, day: string, now: Date, writesBefore: number): void {
    if (this.writesOf(workspaceId) !== writesBefore) return;
    this.rates.set(workspaceId, { rate, day, until: now.getTime() + WORKSPACE_RATE_TTL_MS });
  }
}
