/** What {@link WorkPool.run} resolves to for a task that was dropped before it started. */
export const DROPPED = Symbol('dropped');

/**
 * Runs tasks with at most `limit` under way at once, first come first served, whoever submits them
 * (overlapping ticks share the one limit). A task that throws frees its place like any other.
 */
export class WorkPool {
  private running = 0;
  private readonly waiting: Array<(go: boolean) => void> = [];
  private closed = false;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a work pool needs a limit of at least 1, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T | typeof DROPPED> {
    if (this.closed) return DROPPED;
    if (this.running < this.limit) this.running += 1;
    // A finishing task hands its place straight to the next waiting one (the count stays).
    else if (!(await new Promise<boolean>((resolve) => this.waiting.push(resolve)))) return DROPPED;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(true);
      else this.running -= 1;
    }
  }

  /**
   * Tasks waiting for a place are never started, and neither is any task submitted from now on:
   * each resolves to {@link DROPPED}. Tasks under way finish. Returns how many were waiting.
   */
  close(): number {
    this.closed = true;
    const dropped = this.waiting.splice(0);
    for (const resolve of dropped) resolve(false);
    return dropped.length;
  }

  /** Tasks under way, and waiting for a place. */
  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
