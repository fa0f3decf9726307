import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { CONNECTION_OPTIONS } from '../../src/db/connection';

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

  beforeAll(async () => {
    await connection.asPromise();
    connection.getClient().on('commandStarted', (event: { commandName: string }) => seen?.push(event.commandName));
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** What `work` returns and the commands the driver sent meanwhile, in the order sent. */
  async function counted<T>(work: () => Promise<T>): Promise<{ value: T; commands: string[] }> {
    seen = [];
    try {
      const value = await work();
      return { value, commands: [...seen] };
    } finally {
      seen = undefined;
    }
  }

  return { connection, counted };
}
