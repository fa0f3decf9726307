import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * A payment's cancel and reopen reasons are free text at the end of the line: stored as typed on
 * Slack and the console, quotes included (as Discord stores its option), and read back as typed by
 * `/payment show`. Today 2026-11-23, UTC.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  slack = await startSlackApp(app.router, connection, { user: { teamId: 'T0QUOTES', userId: 'U0ALICE', userName: 'alice' } });
  slack.api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: true, is_owner: false } } } : undefined));
});

afterAll(async () => {
  await slack?.stop();
});

const payment = (amountMinor: number) => app.models.payments.findOne({ amountMinor }).lean();

describe('GIVEN a reason with quotes inside it', () => {
  it('WHEN a payment is cancelled on Slack THEN the reason keeps its quotes', async () => {
    const say = async (command: string, line: string) => (await slack.api.waitFor(new URL((await slack.as.command(command, line)).responseUrl).pathname)).body as { text: string };
    await say('/influencer', 'add "Zoë Tran" @zoe network:instagram');
    await say('/collab', 'new @zoe "Spring" type:review goal:awareness currency:EUR');
    await say('/payment', 'add "Spring" 120 EUR 2026-12-01');
    const id = String((await payment(12_000))!._id);
    expect((await say('/payment', `cancel ${id} She said "not this season"`)).text).toContain('Cancelled €120.00 due 2026-12-01: She said "not this season"');
    expect((await payment(12_000))!.cancelReason).toBe('She said "not this season"');
  });

  it('WHEN a payment is reopened on the console THEN the reason keeps its quotes, and show reads it back', async () => {
    const out = await runConsole(
      app.router,
      ['influencer add "Ana Lima" @ana network:tiktok', 'collab new @ana "Winter" type:review goal:awareness currency:EUR', 'payment add "Winter" 80 EUR 2026-11-20'],
      'maria',
    );
    expect(out).toContain('Added €80.00');
    const id = String((await payment(8_000))!._id);
    const done = await runConsole(app.router, [`payment paid ${id}`, `payment reopen ${id} Paid the "old" invoice by mistake`, `payment show ${id}`], 'maria');
    expect((await payment(8_000))!.reopenReason).toBe('Paid the "old" invoice by mistake');
    expect(done).toContain('Reopened: 2026-11-23 10:00 by @maria: Paid the "old" invoice by mistake');
  });
});
