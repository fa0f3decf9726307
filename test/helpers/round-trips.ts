import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { CONNECTION_OPTIONS } from '../../src/db/connection';
import { documentsIn } from '../../bench/round-trips';

/**
 * A database of the test file's own whose round trips can be counted as the bench counts them:
 * driver command monitoring, one `commandStarted` per round trip.
 */
export function useCountedDatabase(options: { bufferCommands?: boolean } = {}) {
  const connection = mongoose.createConnection(inject('mongoUri'), {
    ...CONNECTION_OPTIONS,
    ...options,
    dbName: `t_${randomBytes(6).toString('hex')}`,
    monitorCommands: true,
  });
  let seen: string[] | undefined;
  let documents = 0;

  beforeAll(async () => {
    await connection.asPromise();
    connection.getClient().on('commandStarted', (event: { commandName: string }) => seen?.push(event.commandName));
    // Documents read, as the bench counts them: the batches of the cursors the replies carry.
    connection.getClient().on('commandSucceeded', (event: { commandName: string; reply?: unknown }) => {
      if (seen) documents += documentsIn(event.commandName, event.reply);
    });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** What `work` returns, the commands the driver sent meanwhile (in the order sent) and the documents their cursors returned. */
  async function counted<T>(work: () => Promise<T>): Promise<{ value: T; commands: string[]; documents: number }> {
    seen = [];
    documents = 0;
    try {
      const value = await work();
      return { value, commands: [...seen], documents };
    } finally {
      seen = undefined;
    }
  }

  return { connection, counted };
}
