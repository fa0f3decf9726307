import mongoose from 'mongoose';
import type { Logger } from '../core';
import { CONNECTION_OPTIONS, pingDatabase } from './connection';

export interface DatabaseWatchOptions {
  connection: mongoose.Connection;
  uri: string;
  logger: Logger;
  clock?: () => number;
  /** How often the connection is pinged. */
  everyMs?: number;
  /**
   * Down this long while a brand-new connection to the same URI works: this process's driver did
   * not recover (seen once: a monitor stuck after a connection dropped mid-write). Then `onStuck`.
   */
  stuckAfterMs?: number;
  onStuck: () => void;
  /** Whether a fresh connection reaches the database; default opens one and pings it. */
  probe?: (uri: string) => Promise<boolean>;
}

/**
 * Knows whether the database answers, so commands and forms can say "unreachable, nothing changed"
 * at once instead of waiting for the driver's server selection, and notices a driver that never
 * recovers. A ping every 5 s; any failed operation reported by the router marks it down at once.
 */
export class DatabaseWatch {
  private up = true;
  private downSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: DatabaseWatchOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.options.everyMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  isUp(): boolean {
    return this.up;
  }

  /** An operation failed as if the database were unreachable: believe it until the next ping says otherwise. */
  reportUnreachable(): void {
    this.markDown();
    void this.check();
  }

  /** One ping; concurrent calls share it. */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (await pingDatabase(this.options.connection)) {
      if (!this.up) this.options.logger.warn({ downForMs: this.clock() - (this.downSince ?? this.clock()) }, 'database reachable again');
      this.up = true;
      this.downSince = undefined;
      return;
    }
    this.markDown();
    const downFor = this.clock() - this.downSince!;
    if (downFor < (this.options.stuckAfterMs ?? 30_000)) return;
    if (await (this.options.probe ?? freshConnectionAnswers)(this.options.uri)) {
      this.options.logger.error(
        { downForMs: downFor },
        'the database answers a new connection, but this process\'s connection has not recovered: exiting so the supervisor restarts it',
      );
      this.options.onStuck();
    }
  }

  private markDown(): void {
    if (this.up) this.options.logger.error({}, 'database unreachable: commands answer "nothing changed" until it is back');
    this.up = false;
    this.downSince ??= this.clock();
  }
}

async function freshConnectionAnswers(uri: string): Promise<boolean> {
  const probe = mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, serverSelectionTimeoutMS: 2000 });
  try {
    await probe.asPromise();
    return await pingDatabase(probe);
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
}
