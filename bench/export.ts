import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import pino from 'pino';
import { commands, explain } from '../commands';
import { CONNECTION_OPTIONS } from '../src/db/connection';
import { startLocalDatabase, type LocalDatabase } from '../src/db/local-database';
import { createModels, createServices, syncIndexes } from '../src/domain/services';
import { CommandRouter, type Caller } from '../src/platforms/command-router';
import { seedWorkspace } from './seed';

/**
 * `/irm export` of a big workspace: peak memory and time of one export, creators and payments,
 * through the router as a platform calls it, up to the bytes the platforms upload (Slack's
 * external upload and Discord's attachment both take the whole file with its length).
 *
 * Each export runs in a child process of its own, so its peak RSS (getrusage maxrss) belongs to
 * it alone: the figure is the peak minus the RSS of the same child, connected and warmed up,
 * just before the export.
 *
 *   npm run bench:export -- [--n 100000]        (MONGODB_URI, else the local database in memory)
 */

interface ChildResult {
  kind: string;
  rows: number;
  bytes: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function child(uri: string, dbName: string, kind: string): Promise<ChildResult> {
  const connection = await mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, dbName }).asPromise();
  const clock = () => new Date('2026-11-30T10:00:00Z');
  const services = createServices(createModels(connection), { clock, defaultTimezone: 'UTC' });
  const logger = pino({ level: 'silent' });
  const router = new CommandRouter(commands, { explain, services, clock, logger });
  const caller: Caller = { platform: 'console', workspaceExternalId: 'bench-export', actor: { id: 'bench', isAdmin: async () => true } };
  // Warm up with the same export of a small workspace, so the code and the connection are loaded before the baseline.
  await router.handle({ ...caller, workspaceExternalId: 'bench-export-warm-up' }, { command: 'irm', subcommand: 'export', args: { what: kind } });
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const { answer } = await router.handle(caller, { command: 'irm', subcommand: 'export', args: { what: kind } });
  const ms = performance.now() - t0;
  const files = answer.kind === 'reply' ? (answer.files ?? []) : [];
  if (files.length !== 1) throw new Error(`the export answered no file: ${JSON.stringify(answer).slice(0, 300)}`);
  const bytes = files[0]!.bytes;
  const rows = new TextDecoder().decode(bytes).split('\r\n').filter(Boolean).length - 1;
  await connection.close();
  return { kind, rows, bytes: bytes.byteLength, ms: Math.round(ms), rssBeforeMb: mb(rssBefore), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function main() {
  const { values } = parseArgs({ options: { n: { type: 'string' }, child: { type: 'string' }, uri: { type: 'string' }, db: { type: 'string' } } });
  if (values.child) {
    process.send!(await child(values.uri!, values.db!, values.child));
    return;
  }
  const n = Number(values.n ?? 100_000);
  let local: LocalDatabase | undefined;
  const uri = process.env.MONGODB_URI || (local = await startLocalDatabase()).uri;
  const dbName = `irm_bench_export_${randomBytes(4).toString('hex')}`;
  const connection = await mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, dbName }).asPromise();
  try {
    const models = createModels(connection);
    await syncIndexes(models);
    const services = createServices(models, { clock: () => new Date(), defaultTimezone: 'UTC' });
    const workspace = await services.workspaces.ensure('console', 'bench-export');
    const warmUp = await services.workspaces.ensure('console', 'bench-export-warm-up');
    await seedWorkspace(models, { workspaceId: warmUp.id, timezone: 'UTC', now: new Date('2026-11-30T10:00:00Z'), from: n, to: n + 50 });
    const t = performance.now();
    const seeded = await seedWorkspace(models, { workspaceId: workspace.id, timezone: 'UTC', now: new Date('2026-11-30T10:00:00Z'), from: 0, to: n });
    console.log(`seeded ${seeded.influencers} creators, ${seeded.payments} payments in ${Math.round((performance.now() - t) / 1000)} s (${local ? `${local.kind}, in memory` : 'MONGODB_URI'}); load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const kind of ['creators', 'payments']) {
      const result = await new Promise<ChildResult>((resolve, reject) => {
        const proc = fork(new URL(import.meta.url).pathname, ['--child', kind, '--uri', uri, '--db', dbName], { execArgv: ['--import', 'tsx', '--expose-gc'] });
        proc.once('message', (m) => resolve(m as ChildResult));
        proc.once('exit', (code) => (code ? reject(new Error(`the ${kind} export exited with ${code}`)) : undefined));
      });
      console.log(
        `export ${result.kind}: ${result.rows} rows, ${(result.bytes / 1024 / 1024).toFixed(1)} MB file, ${result.ms} ms, RSS ${result.rssBeforeMb} MB before -> peak ${result.peakRssMb} MB (+${result.peakRssMb - result.rssBeforeMb} MB)`,
      );
    }
  } finally {
    await connection.dropDatabase().catch(() => {});
    await connection.close();
    await local?.stop();
  }
}

await main();
