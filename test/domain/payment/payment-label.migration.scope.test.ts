import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { migrate } from '../../../src/domain/services';
import { runConsole } from '../../helpers/console';
import { buildPerPieceApp } from '../../helpers/per-piece';
import { useCountedDatabase } from '../../helpers/round-trips';

/**
 * The start-up migration of the bot's payment names reads a per-piece payment's piece in the
 * payment's own workspace only: every read of pieces it sends names the workspace, and a piece of
 * another workspace (a key naming a foreign id) names nothing. Per-piece world on the console.
 */

const { connection } = useCountedDatabase();
let app: Awaited<ReturnType<typeof buildPerPieceApp>>;
const contentReads: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  app = await buildPerPieceApp(connection);
  connection.getClient().on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    if (event.commandName === 'find' && event.command.find === 'contents') contentReads.push(event.command.filter as Record<string, unknown>);
  });
});

describe('the payment names migration reads pieces within their workspace', () => {
  it('GIVEN old payments keeping typed labels, one of whose piece now sits in another workspace WHEN the app starts THEN each read of pieces is scoped to a workspace, its own piece names the one, the foreign piece names nothing (that payment is left as it was)', async () => {
    const as = (...lines: string[]) => runConsole(app.router, lines, 'fin');
    await as('content log "Per piece" https://www.instagram.com/p/SCOPE1/ published:2026-11-20', 'content log "Per piece" https://www.instagram.com/p/SCOPE2/ published:2026-11-21');
    const pieces = await app.models.contents.find({ url: { $regex: 'SCOPE' } }).sort({ url: 1 }).lean();
    const payments = await Promise.all(pieces.map(async (piece) => (await app.models.payments.findOne({ scheduleKey: { $regex: `:content:${String(piece._id)}$` } }).lean())!));
    await as(...payments.map((p, i) => `payment edit ${String(p._id)} label:"Invoice ${i + 1}"`));
    // As the older version left them: no `autoLabel`; the second piece moved to another workspace.
    await app.models.payments.collection.updateMany({ _id: { $in: payments.map((p) => p._id) } }, { $unset: { autoLabel: '' } });
    const other = await app.services.workspaces.ensure('discord', '1100000000000000077');
    await app.models.contents.collection.updateOne({ _id: pieces[1]!._id }, { $set: { workspaceId: new Types.ObjectId(other.id) } });

    contentReads.length = 0;
    expect(await migrate(app.services)).toMatchObject({ autoLabels: 1 });
    // The reads of these pieces by id (other start-up steps read every workspace's pieces on purpose).
    const byId = contentReads.filter((filter) => pieces.some((piece) => JSON.stringify(filter).includes(String(piece._id))));
    expect(byId.length).toBe(1);
    for (const filter of byId) {
      const branches = (filter.$or as Array<Record<string, unknown>> | undefined) ?? [filter];
      expect(branches.every((branch) => branch.workspaceId !== undefined)).toBe(true);
    }
    const after = await app.models.payments.find({ _id: { $in: payments.map((p) => p._id) } }).sort({ label: 1 }).lean();
    expect(after.map((p) => [p.label, p.autoLabel ?? null])).toEqual([
      ['Invoice 1', { kind: 'deliverable', on: '2026-11-20' }],
      ['Invoice 2', null],
    ]);
  });
});
