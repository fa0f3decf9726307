/**
 * On a real MongoDB (`MONGODB_URI` set), how the server ran one request of a command: each command
 * the driver sent for it, re-run as `explain` with `executionStats`, summed. The stand-in has no
 * explain, so the bench skips this there.
 */

export interface Explained {
  /** Index keys and documents the server examined for the request, all its commands together. */
  keys: number;
  docs: number;
  /** Plan stages seen, e.g. `IXSCAN`, `COLLSCAN` (a `$lookup` that scanned counts as `COLLSCAN`). */
  stages: string[];
}

/** What a `commandStarted` event's command becomes to be explained: the driver's session and cluster fields dropped. */
export function explainable(command: Record<string, unknown>): Record<string, unknown> | undefined {
  const name = Object.keys(command)[0];
  if (name !== 'find' && name !== 'aggregate' && name !== 'count') return undefined;
  return Object.fromEntries(Object.entries(command).filter(([key]) => !key.startsWith('$') && !['lsid', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern'].includes(key)));
}

/**
 * Sums an explain answer: every `totalKeysExamined` / `totalDocsExamined` (the query's, and each
 * `$lookup` stage's, which MongoDB 5+ reports beside its `collectionScans`), and the plan stages.
 */
export function summarizeExplain(explain: unknown): Explained {
  const found: Explained = { keys: 0, docs: 0, stages: [] };
  const stages = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      // Plans the server tried and dropped are not how it ran the command.
      if (key === 'rejectedPlans' || key === 'allPlansExecution') continue;
      if (key === 'totalKeysExamined' && typeof inner === 'number') found.keys += inner;
      else if (key === 'totalDocsExamined' && typeof inner === 'number') found.docs += inner;
      else if (key === 'stage' && typeof inner === 'string') stages.add(inner);
      else if (key === 'collectionScans' && typeof inner === 'number' && inner > 0) stages.add('COLLSCAN');
      else walk(inner);
    }
  };
  walk(explain);
  found.stages = [...stages].filter((stage) => /SCAN$/.test(stage)).sort();
  return found;
}

/** The part of a MongoClient this needs. */
interface CommandClient {
  db(name: string): { command(command: Record<string, unknown>): Promise<unknown> };
}

/**
 * Explains the commands sent for `requests` requests (find, aggregate and count; writes are left
 * alone) and gives what the server examined per request.
 */
export async function explainRequests(client: CommandClient, sent: ReadonlyArray<{ databaseName: string; command: Record<string, unknown> }>, requests: number): Promise<Explained> {
  const total: Explained = { keys: 0, docs: 0, stages: [] };
  const stages = new Set<string>();
  for (const { databaseName, command } of sent) {
    const cleaned = explainable(command);
    if (!cleaned) continue;
    const found = summarizeExplain(await client.db(databaseName).command({ explain: cleaned, verbosity: 'executionStats' }));
    total.keys += found.keys;
    total.docs += found.docs;
    found.stages.forEach((stage) => stages.add(stage));
  }
  return { keys: total.keys / requests, docs: total.docs / requests, stages: [...stages].sort() };
}
