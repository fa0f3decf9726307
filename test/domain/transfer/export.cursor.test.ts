import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { CommandSucceededEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { CONNECTION_OPTIONS } from '../../../src/db/connection';
import { csvFile } from '../../../src/domain/csv/csv';
import { createModels } from '../../../src/domain/services';
import { ExportService } from '../../../src/domain/transfer/export.service';
import { autoLabelWords } from '../../../commands/payment-label';

/** An export that fails part way leaves no cursor open on the server (it would hold its batch until the server's timeout). */

// A connection of its own, with command monitoring: the test learns the id of the cursor the export opened.
const connection = mongoose.createConnection(inject('mongoUri'), { ...CONNECTION_OPTIONS, dbName: `t_${randomBytes(6).toString('hex')}`, monitorCommands: true });
const finds: CommandSucceededEvent[] = [];

beforeAll(async () => {
  await connection.asPromise();
  connection.getClient().on('commandSucceeded', (event) => {
    if (event.commandName === 'find') finds.push(event);
  });
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('/irm export reading a cursor', () => {
  it('GIVEN a creator document the export cannot map, with more creators after it than one batch THEN the export fails and its cursor is closed on the server', async () => {
    const models = createModels(connection);
    const workspaceId = new Types.ObjectId();
    const creator = (i: number) => ({ workspaceId, name: `Creator ${i}`, nameKey: `creator ${String(i).padStart(4, '0')}`, handles: [], tags: [], stage: 'active', ownerId: 'U1' });
    // First in the export's order, and without its handles (written by hand, or by a bug): its row cannot be built.
    await models.influencers.collection.insertMany([{ workspaceId, name: 'Aaron', nameKey: 'aaron', tags: [], stage: 'active', ownerId: 'U1' }, ...Array.from({ length: 1200 }, (_, i) => creator(i))]);
    const table = await new ExportService(models).table({ id: String(workspaceId), timezone: 'UTC' }, 'creators', { autoLabel: autoLabelWords });

    const failure = await csvFile(table.header, table.rows).then(
      () => 'written',
      (error: unknown) => (error instanceof TypeError ? 'TypeError' : String(error)),
    );
    const cursorId = (finds.at(-1)!.reply as { cursor: { id: unknown } }).cursor.id;
    // The server still had the cursor (more than one batch of creators): a getMore on it now says whether it was closed.
    const afterwards = await connection.db!.command({ getMore: cursorId, collection: models.influencers.collection.collectionName, batchSize: 1 }).then(
      () => 'still open',
      (error: { codeName?: string; message?: string }) => error.codeName ?? error.message,
    );
    expect([failure, String(cursorId) !== '0', afterwards]).toEqual(['TypeError', true, 'CursorNotFound']);
  });
});
