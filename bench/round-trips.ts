/** The part of a MongoClient this needs (mongoose ships its own copy of the driver's types). */
interface MonitoredClient {
  on(event: 'commandStarted', listener: (event: { commandName: string }) => void): unknown;
}

export interface Counted {
  total: number;
  /** Per driver command name (`find`, `aggregate`, `getMore`...). */
  byName: Record<string, number>;
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

  constructor(client: MonitoredClient) {
    client.on('commandStarted', (event) => {
      if (!this.counting) return;
      this.total += 1;
      this.byName[event.commandName] = (this.byName[event.commandName] ?? 0) + 1;
    });
  }

  start(): void {
    this.total = 0;
    this.byName = {};
    this.counting = true;
  }

  stop(): Counted {
    this.counting = false;
    return { total: this.total, byName: { ...this.byName } };
  }
}

/** `find 2, aggregate 1` (per `per` operations, one decimal when not whole). */
export function describeOps(counted: Counted, per = 1): string {
  return Object.entries(counted.byName)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name} ${formatCount(count / per)}`)
    .join(', ');
}

export const formatCount = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
