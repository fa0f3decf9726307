import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * A due day in a payment's history is a calendar day: after the workspace's timezone changes,
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
