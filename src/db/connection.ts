import mongoose from 'mongoose';

/**
 * Collections and indexes are built once, explicitly, by syncIndexes at start. Mongoose's
 * background autoCreate/autoIndex would race it (the stand-in's H2 backend then fails with
 * "already existed" instead of NamespaceExists).
 */
export const CONNECTION_OPTIONS = { serverSelectionTimeoutMS: 5000, autoCreate: false, autoIndex: false } as const;

/** Opens a dedicated connection (never the global mongoose one); resolves once it is usable. */
export async function connectDatabase(uri: string, dbName?: string): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, ...(dbName ? { dbName } : {}) });
  try {
    return await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
}

/** True when the server answers a ping (within serverSelectionTimeoutMS). */
export async function pingDatabase(connection: mongoose.Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db) return false;
    const answer = await db.command({ ping: 1 });
    return answer.ok === 1;
  } catch {
    return false;
  }
}
