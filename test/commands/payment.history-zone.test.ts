import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * A due day and a paid day in a payment's history are calendar days: after the workspace's timezone changes,
 * `/payment show` still says the day that was typed (Asia/Tokyo to America/New_York here, where
 * Tokyo's midnight is the day before in New York). Today Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'maria');

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Asia/Tokyo' });
  await say('influencer add "Ana Lima" @ana.lima network:tiktok', 'collab new @ana.lima "Tokyo code" type:review goal:awareness expect:"post 1" start:2026-11-01 currency:EUR');
});

describe('a due day edited, then the timezone changed', () => {
  it('GIVEN a due day typed in Tokyo WHEN the workspace moves to New York THEN the history still says the day typed', async () => {
    await say('payment add "Tokyo code" 1,500 EUR 2026-12-05 label:"Extra story"');
    const id = String((await app.models.payments.findOne({ amountMinor: 150_000 }).lean())!._id);
    await say(`payment edit ${id} due:2026-12-10`);
    expect((await say('irm settings timezone:America/New_York')).includes('Sorry')).toBe(false);

    const history = await say(`payment show ${id}`);
    expect(history).toContain('Due: 2026-12-10');
    expect(history).toContain('2026-12-05 → 2026-12-10');
    expect(history).not.toContain('2026-12-09');
    const edit = (await app.models.changes.findOne({ entityId: id, action: 'edit' }).lean())!;
    expect(edit.fields).toEqual([{ field: 'dueAt', from: '2026-12-05', to: '2026-12-10' }]);
  });
});

describe('a paid day recorded, then the timezone changed', () => {
  it('GIVEN a payment marked paid on a typed day in Tokyo, then reopened WHEN the workspace moves to New York THEN its history still says the day it was paid', async () => {
    await say('irm settings timezone:Asia/Tokyo');
    await say('payment add "Tokyo code" 700 EUR 2026-11-30 label:"Gift box"');
    const id = String((await app.models.payments.findOne({ amountMinor: 70_000 }).lean())!._id);
    await say(`payment paid ${id} 2026-11-20 INV-7`);
    await say(`payment reopen ${id} Paid the wrong box`);
    await say(`payment paid ${id} 2026-11-21`);
    expect((await say('irm settings timezone:America/New_York')).includes('Sorry')).toBe(false);

    const history = (await say(`payment show ${id}`)).split('\n').filter((line) => line.startsWith('• ')).map((line) => line.split(' · ').slice(2).join(' · '));
    expect(history).toEqual([
      'Paid on: 2026-11-21',
      'Paid on: 2026-11-20 → (none); Reference: INV-7 → (none); Reason: Paid the wrong box',
      'Paid on: 2026-11-20; Reference: INV-7',
      'Amount: €700.00; Due: 2026-11-30',
    ]);
    const records = await app.models.changes.find({ entityId: id, action: { $in: ['paid', 'reopen'] } }).sort({ _id: 1 }).lean();
    expect(records.map((r) => r.fields.find((f) => f.field === 'paidAt'))).toEqual([
      { field: 'paidAt', from: null, to: '2026-11-20' },
      { field: 'paidAt', from: '2026-11-20', to: null },
      { field: 'paidAt', from: null, to: '2026-11-21' },
    ]);
  });

  it('GIVEN a paid record written before paid days were calendar days (a Date) THEN it still reads as the day in the current timezone', async () => {
    const [record] = await app.models.changes.find({ action: 'paid' }).sort({ _id: 1 }).limit(1).lean();
    await app.models.changes.updateOne({ _id: record!._id }, { $set: { 'fields.1.to': new Date('2026-11-20T17:00:00Z') } });
    const id = String(record!.entityId);
    const lines = (await say(`payment show ${id}`)).split('\n');
    expect(lines.filter((line) => line.includes('marked it paid')).map((line) => line.split(' · ').slice(2).join(' · '))).toContain('Paid on: 2026-11-20; Reference: INV-7');
  });
});
