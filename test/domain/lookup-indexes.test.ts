import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import latePayments from '../../jobs/late-payments.job';
import type { JobWorkspace } from '../../src/core';
import { CONNECTION_OPTIONS } from '../../src/db/connection';
import { buildApp, consoleCaller, silentLogger } from '../helpers/app';

/**
 * A $lookup reads the foreign collection by `foreignField` alone, once per document, so that
 * field must lead an index or every lookup scans the collection (compound indexes that start
 * with workspaceId do not help). Every $lookup the commands and jobs send is checked against the
 * indexes their models declare.
 */

const connection = mongoose.createConnection(inject('mongoUri'), { ...CONNECTION_OPTIONS, bufferCommands: true, dbName: `t_${randomBytes(6).toString('hex')}`, monitorCommands: true });
const lookups = new Set<string>();
let app: Awaited<ReturnType<typeof buildApp>>;
const team = consoleCaller('lookups', 'maria');
const say = (line: string) => {
  const space = line.indexOf(' ');
  return app.router.handle(team, app.router.parseText(line.slice(0, space), line.slice(space + 1)));
};

beforeAll(async () => {
  await connection.asPromise();
  connection.getClient().on('commandStarted', (event: { commandName: string; command: { pipeline?: Array<Record<string, { from?: string; foreignField?: string; pipeline?: unknown[] }>> } }) => {
    if (event.commandName !== 'aggregate') return;
    const visit = (stages: unknown[] = []) => {
      for (const stage of stages as Array<Record<string, Record<string, unknown>>>) {
        if (stage.$lookup) lookups.add(`${String(stage.$lookup.from)}.${String(stage.$lookup.foreignField)}`);
        for (const inner of Object.values(stage.$facet ?? {})) visit(inner as unknown[]);
      }
    };
    visit(event.command.pipeline);
  });
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('$lookup foreign fields', () => {
  it('GIVEN the commands and jobs that join THEN each foreign field leads an index of its collection', async () => {
    await say('influencer add "Zoë Tran" @zoe.creates network:instagram');
    await say('collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2" fee:1500 currency:EUR net:0');
    await say('content log "Spring launch" https://www.instagram.com/p/abc123/ type:post');
    for (const line of ['influencer show @zoe.creates', 'collab show "Spring launch"', 'collab list', 'content list @zoe.creates', 'payment list all', 'irm home']) await say(line);
    const info = await app.services.workspaces.ensure('console', 'lookups');
    app.clock.set('2027-02-01T10:00:00Z');
    await latePayments.run({ ...info, settings: { warnBeforeDueDays: 3 } } as unknown as JobWorkspace, {} as never, { services: app.services, now: app.clock(), logger: silentLogger });

    const leading = new Map(
      Object.values(app.models).map((model) => [model.collection.collectionName, new Set(['_id', ...model.schema.indexes().map(([fields]) => Object.keys(fields)[0]!)])]),
    );
    expect([...lookups].sort()).toEqual(expect.arrayContaining(['contents.collaborationId', 'payments.collaborationId', 'influencers._id', 'collaborations._id']));
    const unindexed = [...lookups].filter((lookup) => {
      const [collection, field] = lookup.split('.') as [string, string];
      return !leading.get(collection)?.has(field);
    });
    expect(unindexed).toEqual([]);
  });
});
