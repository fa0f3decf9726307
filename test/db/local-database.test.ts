import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Schema } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase, pingDatabase } from '../../src/db/connection';
import { startLocalDatabase } from '../../src/db/local-database';
import { useTestDatabase } from '../helpers/database';

// What the app needs from whichever database the harness provides (the stand-in on machines
// without a mongod). Everything here must also hold on real MongoDB.
describe('database features the app relies on', () => {
  const { connection } = useTestDatabase();

  const Deal = connection.model(
    'Deal',
    new Schema({
      workspaceId: { type: String, required: true },
      handle: { type: String, required: true },
      amount: { type: Number, required: true },
      stage: { type: String, required: true },
      signedAt: { type: Date, required: true },
    }).index({ workspaceId: 1, handle: 1 }, { unique: true }),
  );

  it('answers a ping', async () => {
    expect(await pingDatabase(connection)).toBe(true);
  });

  it('builds a unique compound index and rejects duplicates with E11000', async () => {
    await Deal.syncIndexes();
    const indexes = await Deal.collection.indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { workspaceId: 1, handle: 1 }, unique: true }));

    await Deal.create({ workspaceId: 'w1', handle: 'ana', amount: 100, stage: 'active', signedAt: new Date('2024-01-15T10:00:00Z') });
    // Same handle in another workspace is fine.
    await Deal.create({ workspaceId: 'w2', handle: 'ana', amount: 1, stage: 'active', signedAt: new Date('2024-01-15T10:00:00Z') });

    const duplicate = await Deal.create({
      workspaceId: 'w1',
      handle: 'ana',
      amount: 5,
      stage: 'prospect',
      signedAt: new Date(),
    }).catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: 11000 });
    expect(String((duplicate as Error).message)).toContain('E11000');
  });

  it('upserts with findOneAndUpdate', async () => {
    const filter = { workspaceId: 'w1', handle: 'ben' };
    const update = { $set: { stage: 'contacted' }, $setOnInsert: { amount: 250, signedAt: new Date('2024-01-31T23:30:00Z') } };

    const inserted = await Deal.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after' });
    expect(inserted).toMatchObject({ handle: 'ben', stage: 'contacted', amount: 250 });

    const updated = await Deal.findOneAndUpdate(filter, { $set: { stage: 'active' } }, { upsert: true, returnDocument: 'after' });
    expect(updated).toMatchObject({ handle: 'ben', stage: 'active', amount: 250 });
    expect(updated?._id).toEqual(inserted?._id);
    expect(await Deal.countDocuments(filter)).toBe(1);
  });

  // The stand-in leaves out findOneAndUpdate's lastErrorObject when an upsert inserts, so
  // "was it created?" comes from updateOne's upsertedCount.
  it('tells an upsert insert from an update with updateOne', async () => {
    const filter = { workspaceId: 'w3', handle: 'cleo' };
    const update = { $set: { stage: 'prospect' }, $setOnInsert: { amount: 0, signedAt: new Date('2024-05-01T00:00:00Z') } };
    expect(await Deal.updateOne(filter, update, { upsert: true })).toMatchObject({ upsertedCount: 1, matchedCount: 0 });
    expect(await Deal.updateOne(filter, update, { upsert: true })).toMatchObject({ upsertedCount: 0, matchedCount: 1 });
  });

  it('counts documents with a filter', async () => {
    expect(await Deal.countDocuments({ workspaceId: 'w1' })).toBe(2);
    expect(await Deal.countDocuments({ workspaceId: 'w1', stage: 'active' })).toBe(2);
    expect(await Deal.countDocuments({ workspaceId: 'nobody' })).toBe(0);
  });

  it('groups with $sum', async () => {
    const totals = await Deal.aggregate<{ _id: string; total: number; deals: number }>([
      { $group: { _id: '$workspaceId', total: { $sum: '$amount' }, deals: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(totals).toEqual([
      { _id: 'w1', total: 350, deals: 2 },
      { _id: 'w2', total: 1, deals: 1 },
      { _id: 'w3', total: 0, deals: 1 },
    ]);
  });

  it('groups months with $dateToString in the workspace timezone', async () => {
    // ben signed 2024-01-31T23:30Z, which is already February in Paris.
    const months = await Deal.aggregate<{ _id: string; total: number }>([
      { $match: { workspaceId: 'w1' } },
      { $group: { _id: { $dateToString: { date: '$signedAt', format: '%Y-%m', timezone: 'Europe/Paris' } }, total: { $sum: '$amount' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(months).toEqual([
      { _id: '2024-01', total: 100 },
      { _id: '2024-02', total: 250 },
    ]);
  });
});

describe('startLocalDatabase with a dataDir', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  // On machines without a mongod this is the stand-in's H2 file backend.
  it('keeps data across a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'irm-db-'));
    dirs.push(dataDir);

    const first = await startLocalDatabase({ dataDir });
    try {
      const connection = await connectDatabase(first.uri, 'persist');
      await connection.collection('notes').insertOne({ text: 'still here' });
      await connection.close();
    } finally {
      await first.stop();
    }
    if (first.kind === 'stand-in') expect((await stat(path.join(dataDir, 'stand-in.h2'))).size).toBeGreaterThan(0);

    const second = await startLocalDatabase({ dataDir });
    try {
      const connection = await connectDatabase(second.uri, 'persist');
      expect(await connection.collection('notes').findOne({}, { projection: { _id: 0 } })).toEqual({ text: 'still here' });
      await connection.close();
    } finally {
      await second.stop();
    }
  });
});
