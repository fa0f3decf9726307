import mongoose from 'mongoose';

/**
 * Connection options, each chosen for how the bot must behave when the database goes away:
 *
 * - `serverSelectionTimeoutMS: 5000`: an operation waits at most 5 s for a usable server, then the
 *   person is told the database is unreachable and nothing changed (Slack and Discord have been
 *   acknowledged by then). Longer only makes them wait for the same answer; a replica-set election
 *   (~10 s) shows as that answer too, and the next try works.
 * - `connectTimeoutMS: 5000`: opening a connection to a reachable server takes milliseconds; in poll
 *   mode the monitor's check also gives up after this, so a server that vanished without closing its
 *   sockets is seen as down within 5 s, not 30 s.
 * - `heartbeatFrequencyMS: 5000`: the monitor checks the server every 5 s, so a replica answers
 *   again at most ~5 s after the database is back (well inside the 30 s we promise).
 * - `serverMonitoringMode: 'poll'`: one hello per check with the timeout above, instead of the
 *   streaming protocol, whose awaited hello on a connection dropped mid-way was seen to never return
 *   (the replica then never reconnected).
 * - `socketTimeoutMS: 60000`: a write in flight on a connection that silently died fails after a
 *   minute instead of waiting forever; our longest single operation (a month-start bulk upsert at
 *   50,000 creators) takes seconds.
 * - `bufferCommands: false`: mongoose would otherwise queue operations for 10 s while disconnected,
 *   past the platforms' limits, before failing; the driver's server selection is the one wait.
 * - Collections and indexes are built once, explicitly, by syncIndexes at start. Mongoose's
 *   background autoCreate/autoIndex would race it (the stand-in's H2 backend then fails with
 *   "already existed" instead of NamespaceExists).
 */
export const CONNECTION_OPTIONS = {
  serverSelectionTimeoutMS: 5000,
  connectTimeoutMS: 5000,
  heartbeatFrequencyMS: 5000,
  serverMonitoringMode: 'poll',
  socketTimeoutMS: 60_000,
  bufferCommands: false,
  autoCreate: false,
  autoIndex: false,
} as const;

/** How long a health ping may take before the database counts as unreachable. */
export const PING_TIMEOUT_MS = 2000;

/** The database could not be reached at start: one line naming the variable, its host and what to check. */
export class DatabaseUnreachableError extends Error {
  constructor(source: string, uri: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0]!.slice(0, 200) : String(cause);
    super(
      `Could not connect to the database in ${source} (host ${hostsOf(uri)}): ${reason}. ` +
        'Check that the server is running and reachable from here (host, port, firewall or Atlas IP access list), and the user name and password in the URI.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

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

/** True when the server answers a ping within PING_TIMEOUT_MS. */
export async function pingDatabase(connection: mongoose.Connection, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      db.command({ ping: 1 }, { timeoutMS: timeoutMs }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs))),
    ]);
    return answer.ok === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** `host:port` list of a MongoDB URI, without credentials or options. */
export function hostsOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  return match?.[1] ?? 'unknown';
}
