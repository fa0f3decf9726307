import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * A per-deliverable payment's name, the bot's (`autoLabel`, stored as data, shown as "Deliverable
 * published 2026-11-23"), names its piece's publication day. When the bot moves the payment with
 * its piece (`/content edit published:`), that name moves with it (also when a due day typed by
 * hand keeps the payment where it is); a label a payment manager typed (`/payment edit label:`) is
 * another field, never overwritten, and shown instead; `label:-` clears it and the bot's name shows again. Workspace in UTC, today Monday 2026-11-23, typed on the console.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await as(
    'fin',
    'irm settings managers:fin',
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
    'collab new @zoe.creates "Per piece" type:review goal:awareness expect:"post 3" fee:500 currency:EUR schedule:per-deliverable net:30',
  );
});

async function logged(url: string) {
  await as('fin', `content log "Per piece" ${url}`);
  const item = (await app.models.contents.findOne({ url }).lean())!;
  const payment = (await app.models.payments.findOne({ scheduleKey: `${String(item.collaborationId)}:content:${String(item._id)}` }).lean())!;
  const stored = async () => (await app.models.payments.findById(payment._id).lean())!;
  return { id: String(item._id), paymentId: String(payment._id), stored };
}

/** `/payment show`'s "For:" line and its newest history line, without time and actor. */
async function shown(paymentId: string) {
  const lines = (await as('fin', `payment show ${paymentId}`)).split('\n');
  return { for: lines.find((line) => line.startsWith('For: ')), newest: lines.find((line) => line.startsWith('• '))?.split(' · ').slice(1).join(' · ') };
}

describe('the label of a per-deliverable payment when its piece moves', () => {
  it('GIVEN the label the bot wrote WHEN a payment manager moves the piece THEN the label names the new day, and the history says so', async () => {
    const piece = await logged('https://www.instagram.com/p/BOTLABEL/');
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-23' } });
    expect((await piece.stored()).label).toBeUndefined();

    expect(await as('fin', `content edit ${piece.id} published:2026-11-10`)).toContain('Its payment of €500.00 is now due 2026-12-10 (was 2026-12-23).');
    expect((await piece.stored()).autoLabel).toEqual({ kind: 'deliverable', on: '2026-11-10' });
    expect(await shown(piece.paymentId)).toEqual({
      for: 'For: Deliverable published 2026-11-10',
      newest: '@fin moved it with its piece · Due: 2026-12-23 → 2026-12-10; For: Deliverable published 2026-11-23 → Deliverable published 2026-11-10',
    });

    // Moved again, it follows again; and the terms' net days, followed later, agree with it.
    await as('fin', `content edit ${piece.id} published:2026-11-12`);
    await as('fin', 'collab edit "Per piece" net:20');
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-12' }, dueAt: new Date('2026-12-02T00:00:00Z') });
  });

  it('GIVEN a label a payment manager typed WHEN the piece moves THEN the payment moves and the typed label stays', async () => {
    const piece = await logged('https://www.instagram.com/p/TYPEDLABEL/');
    await as('fin', `payment edit ${piece.paymentId} label:"Launch reel, invoice 88"`);

    expect(await as('fin', `content edit ${piece.id} published:2026-11-15`)).toContain('Its payment of €500.00 is now due 2026-12-05 (was 2026-12-13).');
    // The bot's name under it follows the piece, unseen while the typed label is shown.
    expect(await piece.stored()).toMatchObject({ label: 'Launch reel, invoice 88', autoLabel: { kind: 'deliverable', on: '2026-11-15' }, dueAt: new Date('2026-12-05T00:00:00Z') });
    expect(await shown(piece.paymentId)).toEqual({ for: 'For: Launch reel, invoice 88', newest: '@fin moved it with its piece · Due: 2026-12-13 → 2026-12-05' });
  });

  it('GIVEN a due day a payment manager typed WHEN the piece moves THEN that day stays, and the label the bot wrote names the new day once a payment manager moved it', async () => {
    const piece = await logged('https://www.instagram.com/p/TYPEDDAY/');
    await as('fin', `payment edit ${piece.paymentId} due:2026-12-01`);

    // Not a payment manager: the payment is not touched.
    await as('ana', `content edit ${piece.id} published:2026-11-20`);
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-23' }, dueAt: new Date('2026-12-01T00:00:00Z') });

    expect(await as('fin', `content edit ${piece.id} published:2026-11-18`)).toContain('Its payment of €500.00 stays due 2026-12-01, the day set by hand;');
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-18' }, dueAt: new Date('2026-12-01T00:00:00Z') });
    expect(await shown(piece.paymentId)).toEqual({ for: 'For: Deliverable published 2026-11-18', newest: '@fin moved it with its piece · For: Deliverable published 2026-11-23 → Deliverable published 2026-11-18' });
  });

  it('GIVEN a due day a payment manager typed WHEN the piece moves to the day whose terms give that very due day THEN the label the bot wrote names the new day', async () => {
    const piece = await logged('https://www.instagram.com/p/TYPEDSAME/');
    await as('fin', `payment edit ${piece.paymentId} due:2026-12-01`);
    // Net 20 since the first test: published Nov 11, due Dec 1, the day typed.
    expect(await as('fin', `content edit ${piece.id} published:2026-11-11`)).not.toContain('Its payment');
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-11' }, dueAt: new Date('2026-12-01T00:00:00Z') });
  });

  it('GIVEN both the due day and the label typed by a payment manager WHEN the piece moves THEN neither changes', async () => {
    const piece = await logged('https://www.instagram.com/p/TYPEDBOTH/');
    await as('fin', `payment edit ${piece.paymentId} due:2026-12-01 label:"Invoice 91"`);
    expect(await as('fin', `content edit ${piece.id} published:2026-11-18`)).toContain('Its payment of €500.00 stays due 2026-12-01, the day set by hand;');
    expect(await piece.stored()).toMatchObject({ label: 'Invoice 91', dueAt: new Date('2026-12-01T00:00:00Z') });
    expect(await shown(piece.paymentId)).toMatchObject({ for: 'For: Invoice 91' });
  });

  it('GIVEN someone who may not manage payments edits the day THEN neither the due day nor the label moves', async () => {
    const piece = await logged('https://www.instagram.com/p/NOTMANAGER/');
    await as('ana', `content edit ${piece.id} published:2026-11-16`);
    expect(await piece.stored()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-23' } });
  });
});
