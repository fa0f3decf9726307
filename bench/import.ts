import mongoose from 'mongoose';
import type pino from 'pino';
import { commands, explain } from '../commands';
import { toPlainText, type Reply } from '../src/core';
import { CONNECTION_OPTIONS } from '../src/db/connection';
import { createModels, createServices } from '../src/domain/services';
import { CommandRouter, type Caller } from '../src/platforms/command-router';
import { RoundTrips, describeOps } from './round-trips';

export interface ImportStep {
  ms: number;
  roundTrips: number;
  ops: string;
  /** The summary line the person sees (`big.csv: 10000 rows · 10000 added · ...`). */
  summary: string;
}

export interface ImportBench {
  rows: number;
  preview: ImportStep;
  apply: ImportStep;
  /** The same file again: every row matches, nothing is written. */
  again: ImportStep;
}

/**
 * `/irm import` of a creators file with `rows` rows into an empty workspace, through the router
 * (the file handed over as a platform would), on a connection of its own so its round trips are
 * counted alone: the preview, the Import button, and a second preview of the same file.
 */
export async function measureImport(setup: { uri: string; dbName: string; timezone: string; logger: pino.Logger; clock: () => Date }, rows: number): Promise<ImportBench> {
  const connection = await mongoose.createConnection(setup.uri, { ...CONNECTION_OPTIONS, dbName: setup.dbName, monitorCommands: true }).asPromise();
  try {
    const roundTrips = new RoundTrips(connection.getClient());
    const services = createServices(createModels(connection), { clock: setup.clock, defaultTimezone: setup.timezone });
    const router = new CommandRouter(commands, { explain, services, clock: setup.clock, logger: setup.logger });
    const caller: Caller = { platform: 'console', workspaceExternalId: 'bench-import', actor: { id: 'bench', isAdmin: async () => true } };
    await services.workspaces.ensure('console', 'bench-import');
    const lines = Array.from({ length: rows }, (_, i) => `Imported Creator ${i},imported.${i},${1000 + i},imported${i}@example.com,"beauty, bench",prospect`);
    const file = { name: 'creators.csv', bytes: new TextEncoder().encode(['name,instagram,instagram followers,email,tags,stage', ...lines].join('\n')) };
    const step = async (args: Record<string, unknown>): Promise<ImportStep & { text: string }> => {
      roundTrips.start();
      const t0 = performance.now();
      const { answer } = await router.handle(caller, { command: 'irm', subcommand: 'import', args });
      const ms = performance.now() - t0;
      const counted = roundTrips.stop();
      const text = answer.kind === 'reply' ? toPlainText(answer as Reply) : '';
      return { ms, roundTrips: counted.total, ops: describeOps(counted), summary: text.split('\n').find((l) => l.includes(' rows · ')) ?? text.slice(0, 80), text };
    };
    const preview = await step({ file });
    const id = /apply:([a-f0-9]{24})/.exec(preview.text)?.[1];
    if (!id) throw new Error(`the import preview offered no Import button: ${preview.text.slice(0, 200)}`);
    const apply = await step({ apply: id });
    const again = await step({ file });
    const strip = ({ text: _text, ...rest }: ImportStep & { text: string }): ImportStep => rest;
    return { rows, preview: strip(preview), apply: strip(apply), again: strip(again) };
  } finally {
    await connection.close(true).catch(() => {});
  }
}
