import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../core';
import type { RunLockModel } from './scheduler.models';

export const isDuplicateKey = (error: unknown): boolean => (error as { code?: number } | null)?.code === 11000;

/**
 * Elects one replica per fire: the first to insert `{ _id: key }` runs it; a duplicate-key error
 * means another replica has it. Shaped like node-cron's `RunCoordinator`, so it also plugs into
 * `cron.schedule(..., { distributed: true, runCoordinator })`.
 */
export class MongoRunCoordinator implements RunCoordinator {
  constructor(
    private readonly locks: RunLockModel,
    private readonly clock: Clock,
    private readonly owner: string,
  ) {}

  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      await this.locks.create({ _id: key, owner: this.owner, expiresAt });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // The stand-in never runs the TTL monitor (and real MongoDB runs it only once a minute):
    // an expired lock is free, and taking it over is one atomic conditional update.
    const taken = await this.locks
      .findOneAndUpdate({ _id: key, expiresAt: { $lte: now } }, { $set: { owner: this.owner, expiresAt } }, { returnDocument: 'after' })
      .lean();
    return taken !== null;
  }

  /** Deletes locks that expired before `olderThan` (what the TTL index does where it runs). */
  async sweep(olderThan: Date): Promise<number> {
    const { deletedCount } = await this.locks.deleteMany({ expiresAt: { $lt: olderThan } });
    return deletedCount;
  }
}
