import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { CONNECTION_OPTIONS } from '../../src/db/connection';

export interface TestDatabase {
  /** Connected to a database of its own (`t_<random>`), dropped after the test file. */
  connection: mongoose.Connection;
}

/**
 * Call once at the top of a test file. The connection object exists right away (mongoose
 * buffers operations until it is open), so `const { connection } = useTestDatabase()` works.
 */
export function useTestDatabase(): TestDatabase {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  // Buffering on: test files use the connection before it is open (the app itself never does).
  const connection = mongoose.createConnection(inject('mongoUri'), { ...CONNECTION_OPTIONS, bufferCommands: true, dbName });

  beforeAll(async () => {
    await connection.asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  return { connection };
}
