import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { buildDiscordCommands } from '../../src/platforms/discord/discord-options';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * A payment's paid reference is free text at the end of the line, as its reasons are (reopen, cancel):
 * stored exactly as typed on Slack and the console, quotes and punctuation included.
 * Workspace in UTC, today Monday 2026-11-23; alice (an admin) manages payments, on Slack.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;
/** Each line as a signed Slack slash command from alice, answered before the next. */
async function slash(...lines: string[]) {
  for (const line of lines) {
    const [command, ...rest] = line.split(' ');
    const sent = await slack.as.command(`/${command}`, rest.join(' '));
    await slack.api.waitFor(new URL(sent.responseUrl).pathname);
  }
}
const paymentOf = async (amountMinor: number) => String((await app.models.payments.findOne({ amountMinor }).lean())!._id);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  slack = await startSlackApp(app.router, connection);
  slack.api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: r.body.user === 'U0ALICE' } } } : undefined));
  await slash(
    'irm settings managers:<@U0ALICE|alice>',
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
    'collab new @zoe.creates "Winter" type:review goal:awareness expect:"post 1" start:2026-11-01 fee:300 currency:EUR',
    'payment add "Winter" 46 EUR 2026-12-01',
  );
});

afterAll(async () => {
  await slack?.stop();
});

describe('GIVEN a paid reference with quotes in it', () => {
  it('WHEN marked paid with a reference that has quotes after a date THEN the reference is stored as typed', async () => {
    const id = await paymentOf(4_600);
    await slash(`payment paid ${id} 20/11/2026 wire "4411" (late)`);
    const paid = (await app.models.payments.findById(id).lean())!;
    expect([paid.paidAt?.toISOString().slice(0, 10), paid.reference]).toEqual(['2026-11-20', 'wire "4411" (late)']);
  });
});

describe('GIVEN /payment paid on Discord', () => {
  it('WHEN its options are generated THEN the date says which days it accepts', () => {
    const payment = buildDiscordCommands(commands).find((c) => c.name === 'payment')!;
    const paid = (payment.options as unknown as Array<{ name: string; options: Array<Record<string, unknown>> }>).find((o) => o.name === 'paid')!;
    expect(paid.options.slice(1).map((o) => [o.name, o.description])).toEqual([
      ['date', 'Day paid, not in the future: today, yesterday, Nov 28, 2026-11-28 or 28/11/2026 (default today)'],
      ['reference', 'Transfer or invoice reference, like INV-2026-118'],
    ]);
  });
});
