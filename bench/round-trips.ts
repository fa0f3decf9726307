/** The part of a MongoClient this needs (mongoose ships its own copy of the driver's types). */
interface MonitoredClient {
  on(event: 'commandStarted', listener: (event: { commandName: string; databaseName: string; command: Record<string, unknown> }) => void): unknown;
  on(event: 'commandSucceeded', listener: (event: { commandName: string; reply: unknown }) => void): unknown;
}

export interface Counted {
  total: number;
  /** Per driver command name (`find`, `aggregate`, `getMore`...). */
  byName: Record<string, number>;
  /** Documents the driver returned (see documentsIn). */
  documents: number;
  /** The commands sent, when counting was started with `keep` (to explain them). */
  commands: SentCommand[];
}

export interface SentCommand {
  databaseName: string;
  command: Record<string, unknown>;
}

/**
 * Database round trips through driver command monitoring (`monitorCommands: true`): every
 * `commandStarted` while counting is one round trip. Attribution is by time: the bench counts
 * while only the work it measures runs (one request at a time in the calibration pass, one job).
 */
export class RoundTrips {
  private counting = false;
  private total = 0;
  private byName: Record<string, number> = {};
  private documents = 0;
  private keep = false;
  private commands: SentCommand[] = [];

  constructor(client: MonitoredClient) {
    client.on('commandStarted', (event) => {
      if (!this.counting) return;
      this.total += 1;
      this.byName[event.commandName] = (this.byName[event.commandName] ?? 0) + 1;
      if (this.keep) this.commands.push({ databaseName: event.databaseName, command: event.command });
    });
    client.on('commandSucceeded', (event) => {
      if (this.counting) this.documents += documentsIn(event.commandName, event.reply);
    });
  }

  start(options: { keep?: boolean } = {}): void {
    this.total = 0;
    this.byName = {};
    this.documents = 0;
    this.keep = options.keep ?? false;
    this.commands = [];
    this.counting = true;
  }

  stop(): Counted {
    this.counting = false;
    return { total: this.total, byName: { ...this.byName }, documents: this.documents, commands: this.commands };
  }
}

/**
 * Documents in a reply: a cursor batch's documents (find, aggregate, getMore), and for an
 * aggregation also those joined into them (the elements of each top-level array of documents, or
 * of arrays of them: `$lookup` results). A count or a write returns none.
 */
export function documentsIn(commandName: string, reply: unknown): number {
  const cursor = (reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } } | undefined)?.cursor;
  const batch = cursor?.firstBatch ?? cursor?.nextBatch;
  if (!Array.isArray(batch)) return 0;
  if (commandName !== 'aggregate' && commandName !== 'getMore') return batch.length;
  const isDocument = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && !('_bsontype' in value) && !(value instanceof Date);
  let count = 0;
  for (const document of batch) {
    count += 1;
    for (const value of Object.values(document as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      for (const element of value) {
        if (isDocument(element)) count += 1;
        else if (Array.isArray(element)) count += element.filter(isDocument).length;
      }
    }
  }
  return count;
}

/** `find 2, aggregate 1` (per `per` operations, one decimal when not whole). */
export function describeOps(counted: Counted, per = 1): string {
  return Object.entries(counted.byName)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name} ${formatCount(count / per)}`)
    .join(', ');
}

export const formatCount = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
