import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { buildPerPieceApp } from '../helpers/per-piece';

/**
 * A per-deliverable payment that followed its piece's new publication day was moved by the bot,
 * not by a person: a later change of the terms' net days still moves it, while a due day a payment
 * manager typed with `/payment edit` stays. Workspace in UTC, today Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildPerPieceApp(connection);
});

const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);

async function logged(url: string, title = 'Per piece') {
  await as('fin', `content log "${title}" ${url}`);
  const item = (await app.models.contents.findOne({ url }).lean())!;
  const scheduleKey = `${String(item.collaborationId)}:content:${String(item._id)}`;
  const payment = (await app.models.payments.findOne({ scheduleKey }).lean())!;
  const dueOn = async () => (await app.models.payments.findById(payment._id).lean())!.dueAt.toISOString().slice(0, 10);
  return { id: String(item._id), paymentId: String(payment._id), dueOn };
}

describe('a per-deliverable payment moved with its piece', () => {
  it('GIVEN a payment manager moved the piece (and so its payment) WHEN the net days change THEN the payment follows the new terms; a due day typed by hand stays', async () => {
    const moved = await logged('https://www.instagram.com/p/MOVED/');
    const typed = await logged('https://www.instagram.com/p/TYPED/');
    expect(await moved.dueOn()).toBe('2026-12-23');

    expect(await as('fin', `content edit ${moved.id} published:2026-11-10`)).toContain('Its payment of €500.00 is now due 2026-12-10 (was 2026-12-23).');
    expect(await moved.dueOn()).toBe('2026-12-10');
    await as('fin', `payment edit ${typed.paymentId} due:2027-01-05`);

    await as('fin', 'collab edit "Per piece" net:15');
    expect(await moved.dueOn()).toBe('2026-11-25');
    expect(await typed.dueOn()).toBe('2027-01-05');

    const history = await as('fin', `payment show ${moved.paymentId}`);
    expect(history).toContain('moved it with its piece');
  });
});

describe('a due day typed by hand when its piece moves', () => {
  it('GIVEN a payment manager typed the due day WHEN the publication day is edited THEN the payment stays due that day and the reply says so', async () => {
    await as('fin', 'collab new @zoe.creates "Hand day" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const typed = await logged('https://www.instagram.com/p/HANDDAY/', 'Hand day');
    expect(await typed.dueOn()).toBe('2026-12-23');
    await as('fin', `payment edit ${typed.paymentId} due:2026-12-01`);

    const out = await as('fin', `content edit ${typed.id} published:2026-11-22`);
    expect(out).toContain('Saved the post of Hand day: Published: 2026-11-23 → 2026-11-22.');
    expect(out).toContain(`Its payment of €500.00 stays due 2026-12-01, the day set by hand; by the terms it would be due 2026-12-22: \`/payment edit ${typed.paymentId} due:2026-12-22\` moves it.`);
    expect(await typed.dueOn()).toBe('2026-12-01');
    expect((await app.models.contents.findById(typed.id).lean())!.publishedAt!.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });
});
