/** The part of a MongoClient this needs (mongoose ships its own copy of the driver's types). */
interface MonitoredClient {
  on(event: 'commandStarted', listener: (event: { commandName: string; databaseName: string; command: Record<string, unknown>; requestId: number }) => void): unknown;
  on(event: 'commandSucceeded', listener: (event: { commandName: string; reply: unknown; requestId: number; duration: number }) => void): unknown;
}

export interface Counted {
  total: number;
  /** Per driver command name (`find`, `aggregate`, `getMore`...). */
  byName: Record<string, number>;
  /** Documents the driver returned (see documentsIn). */
  documents: number;
  /** The commands sent, when counting was started with `keep` (to explain them). */
  commands: SentCommand[];
  /** Each command's time and documents, when counting was started with `trace`. */
  traced: TracedCommand[];
}

/** One command as the driver saw it: where it went, what it asked, how long it took, what it returned. */
export interface TracedCommand {
  /** `find influencers {workspaceId, ownerId, reachOut.day: {$lt}} sort {reachOut.day, nameKey, _id} limit`: the filter's shape, no values. */
  shape: string;
  ms: number;
  documents: number;
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
  private trace = false;
  private traced: TracedCommand[] = [];
  private shapes = new Map<number, string>();

  constructor(client: MonitoredClient) {
    client.on('commandStarted', (event) => {
      if (!this.counting) return;
      this.total += 1;
      this.byName[event.commandName] = (this.byName[event.commandName] ?? 0) + 1;
      if (this.keep) this.commands.push({ databaseName: event.databaseName, command: event.command });
      if (this.trace) this.shapes.set(event.requestId, shapeOf(event.commandName, event.command));
    });
    client.on('commandSucceeded', (event) => {
      if (!this.counting) return;
      const documents = documentsIn(event.commandName, event.reply);
      this.documents += documents;
      const shape = this.shapes.get(event.requestId);
      if (shape === undefined) return;
      this.shapes.delete(event.requestId);
      this.traced.push({ shape, ms: event.duration, documents });
    });
  }

  start(options: { keep?: boolean; trace?: boolean } = {}): void {
    this.total = 0;
    this.byName = {};
    this.documents = 0;
    this.keep = options.keep ?? false;
    this.commands = [];
    this.trace = options.trace ?? false;
    this.traced = [];
    this.shapes.clear();
    this.counting = true;
  }

  stop(): Counted {
    this.counting = false;
    return { total: this.total, byName: { ...this.byName }, documents: this.documents, commands: this.commands, traced: this.traced };
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

/**
 * A command's shape without its values: the collection, the filter's keys (with the operators on
 * them), the sort, and whether it is limited; an aggregation's stages. Commands of the same shape
 * are the same query of the code, whatever it asked for.
 */
export function shapeOf(commandName: string, command: Record<string, unknown>): string {
  const keys = (given: unknown, depth = 0): string => {
    // The driver hands a sort over as a Map.
    const value = given instanceof Map ? Object.fromEntries(given) : given;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 2 || '_bsontype' in value || value instanceof Date) return '';
    const parts = Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
      if (key === '$or' || key === '$and') return `${key}[${Array.isArray(inner) ? inner.length : ''}]`;
      const operators = inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !('_bsontype' in inner) && !(inner instanceof Date) ? Object.keys(inner).filter((k) => k.startsWith('$')) : [];
      return operators.length ? `${key}: {${operators.join(', ')}}` : key;
    });
    return `{${parts.join(', ')}}`;
  };
  const target = String(command[commandName] ?? '');
  if (commandName === 'find') {
    return [`find ${target} ${keys(command.filter)}`, command.sort ? `sort ${keys(command.sort)}` : '', command.limit ? 'limit' : ''].filter(Boolean).join(' ');
  }
  if (commandName === 'count') return `count ${target} ${keys(command.query)}`;
  if (commandName === 'aggregate' && Array.isArray(command.pipeline)) {
    const stages = (command.pipeline as Array<Record<string, unknown>>).map((stage) => {
      const [name, body] = Object.entries(stage)[0] ?? ['?', undefined];
      if (name === '$match') return `$match ${keys(body)}`;
      if (name === '$lookup') return `$lookup ${String((body as { from?: unknown })?.from ?? '')}`;
      return name;
    });
    return `aggregate ${target} [${stages.join(' | ')}]`;
  }
  return `${commandName} ${target}`;
}
