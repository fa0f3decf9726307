import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { buildPerPieceApp } from '../helpers/per-piece';
import { paymentFor } from '../../commands/payment-label';

/**
 * `/content edit` and `/content remove` on per-deliverable terms, typed on the console by a payment
 * manager (`fin`) and by someone else (`alice`): only a payment manager moves or cancels the
 * piece's payment; anyone else is told who can, and the payment read back is unchanged. A paid
 * payment stays paid. Workspace in UTC, today Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildPerPieceApp(connection);
});

const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);

async function logged(url: string, title = 'Per piece') {
  await as('alice', `content log "${title}" ${url}`);
  const item = (await app.models.contents.findOne({ url }).lean())!;
  const scheduleKey = `${String(item.collaborationId)}:content:${String(item._id)}`;
  const payment = async () => {
    const found = (await app.models.payments.findOne({ scheduleKey }).lean())!;
    return [found.status, found.dueAt.toISOString().slice(0, 10), found.cancelReason ?? null];
  };
  return { id: String(item._id), payment, paymentId: String((await app.models.payments.findOne({ scheduleKey }).lean())!._id) };
}

describe('the per-deliverable payment of an edited or removed piece', () => {
  it('GIVEN someone who is not a payment manager WHEN they move the publication day THEN the piece moves, the payment stays and the reply says who can move it', async () => {
    const { id, payment, paymentId } = await logged('https://www.instagram.com/p/ONE/');
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);
    const out = await as('alice', `content edit ${id} published:2026-11-20`);
    expect(out).toContain('Saved the post of Per piece: Published: 2026-11-23 → 2026-11-20.');
    expect(out).toContain(`Its payment of €500.00 is still due 2026-12-23; a payment manager can move it to 2026-12-20: \`/payment edit ${paymentId} due:2026-12-20\`.`);
    expect((await app.models.contents.findById(id).lean())!.publishedAt!.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);

    expect(await as('fin', `content edit ${id} published:2026-11-19`)).toContain('Its payment of €500.00 is now due 2026-12-19 (was 2026-12-23).');
    expect(await payment()).toEqual(['scheduled', '2026-12-19', null]);
  });

  it('GIVEN someone who is not a payment manager WHEN they remove the piece THEN it is removed, its payment stays scheduled and the reply says who can cancel it', async () => {
    const { id, payment, paymentId } = await logged('https://www.instagram.com/p/TWO/');
    const out = await as('alice', `content remove ${id} Wrong campaign`);
    expect(out).toContain(`Its payment of €500.00 due 2026-12-23 is still scheduled; a payment manager can cancel it: \`/payment cancel ${paymentId} Wrong campaign\`.`);
    expect(await app.models.contents.findById(id).lean()).toBeNull();
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);
  });

  it('GIVEN a paid payment WHEN a payment manager removes its piece THEN it stays paid', async () => {
    const { id, payment, paymentId } = await logged('https://www.instagram.com/p/THREE/');
    await as('fin', `payment paid ${paymentId} 2026-11-23`);
    expect(await as('fin', `content remove ${id} Creator took it down`)).toContain('Its payment of €500.00 was paid on 2026-11-23 and stays paid.');
    expect(await payment()).toEqual(['paid', '2026-12-23', null]);
  });
});

describe('an edit or removal cut short (a database write fails once, as a dropped connection would) and retyped', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const connectionLost = () => {
    throw new Error('connection lost');
  };
  /** The piece's history: action and the fields recorded. */
  const history = async (id: string) =>
    (await app.models.changes.find({ entityId: id }).sort({ at: 1, _id: 1 }).lean()).map((change) => [
      change.action,
      change.actorId,
      change.fields.map((field) => [field.field, field.from instanceof Date ? field.from.toISOString().slice(0, 10) : field.from, field.to instanceof Date ? field.to.toISOString().slice(0, 10) : field.to]),
    ]);

  it('GIVEN an edit of the publication day cut short after the piece was written WHEN a payment manager retypes it THEN it is finished: its payment follows the day, the edit is in the history once', async () => {
    await as('fin', 'collab new @zoe.creates "Cut edit" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const { id, payment } = await logged('https://www.instagram.com/p/CUTEDIT/', 'Cut edit');
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);

    // The piece moves to October and its November item is planned again (one write); the piece's last
    // write, which drops the work recorded on it, fails: the edit is recorded, its payment not moved yet.
    vi.spyOn(app.models.contents, 'updateOne').mockImplementationOnce(connectionLost);
    expect(await as('fin', `content edit ${id} published:2026-10-20`)).toContain('Sorry');
    vi.restoreAllMocks();

    const out = await as('fin', `content edit ${id} published:2026-10-20`);
    expect(out).toContain('Finished the edit of the post of Cut edit that was cut short: Published: 2026-11-23 → 2026-10-20.');
    expect(out).toContain('Its payment of €500.00 is now due 2026-11-19 (was 2026-12-23).');
    expect(await payment()).toEqual(['scheduled', '2026-11-19', null]);
    const piece = (await app.models.contents.findById(id).lean())!;
    expect([piece.publishedAt!.toISOString(), piece.pending ?? null]).toEqual(['2026-10-20T00:00:00.000Z', null]);
    expect(await history(id)).toEqual([
      ['content-edit', 'fin', [['piece', 'post https://www.instagram.com/p/CUTEDIT/', 'post https://www.instagram.com/p/CUTEDIT/'], ['publishedAt', '2026-11-23', '2026-10-20']]],
    ]);
  });

  it('GIVEN a removal cut short when it is recorded WHEN it is retyped THEN the piece is still there to finish it: its payment cancelled, the removal in the history once, the piece gone', async () => {
    await as('fin', 'collab new @zoe.creates "Cut removal" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const { id, payment, paymentId } = await logged('https://www.instagram.com/p/CUTREMOVE/', 'Cut removal');

    // Recording the removal fails (whichever write records it).
    vi.spyOn(app.models.changes, 'updateOne').mockImplementationOnce(connectionLost);
    vi.spyOn(app.models.changes, 'create').mockImplementationOnce(connectionLost);
    expect(await as('fin', `content remove ${id} Wrong campaign`)).toContain('Sorry');
    vi.restoreAllMocks();
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);
    // Half removed, it is not edited: the reply says how to finish.
    expect(await as('alice', `content edit ${id} type:reel`)).toContain(`That post is being removed (its removal was cut short), so it is not changed: \`/content remove ${id} <reason>\` finishes the removal.`);

    const out = await as('fin', `content remove ${id} Typed again`);
    expect(out).toContain('Finished removing (it was cut short) the post of Cut removal published Nov 23 (https://www.instagram.com/p/CUTREMOVE/). Reason: Wrong campaign');
    expect(out).toContain('The post due Nov 30 is open again on the checklist.');
    expect(out).toContain('Its payment of €500.00 due 2026-12-23 is cancelled.');
    expect(await payment()).toEqual(['cancelled', '2026-12-23', 'Wrong campaign']);
    expect((await app.models.payments.findById(paymentId).lean())!.cancelCode).toBe('content-removed');
    expect(await app.models.contents.findById(id).lean()).toBeNull();
    expect(await history(id)).toEqual([
      ['content-remove', 'fin', [['piece', 'post https://www.instagram.com/p/CUTREMOVE/', null], ['publishedAt', '2026-11-23', null], ['reason', null, 'Wrong campaign']]],
    ]);
  });

  /** The collaboration's checklist read back: type, due day, status, link. */
  const checklistOf = async (title: string) => {
    const collab = (await app.models.collaborations.findOne({ title }).lean())!;
    const items = await app.models.contents.find({ collaborationId: collab._id }).sort({ dueAt: 1, type: 1, status: 1 }).lean();
    return items.map((item) => [item.type, item.dueAt?.toISOString().slice(0, 10) ?? null, item.status, item.url ?? null]);
  };

  it('GIVEN a removal cut short when its payment is cancelled, and its item (added by hand) then ticked off by another piece\'s edit WHEN the removal is retyped THEN the item is not planned a second time', async () => {
    await as('fin', 'collab new @zoe.creates "Retry hand" type:review goal:awareness expect:"story 1" fee:500 currency:EUR schedule:per-deliverable net:30', 'collab deliverable "Retry hand" add post due:2026-11-27');
    const { id, payment } = await logged('https://www.instagram.com/p/RETRYHAND/', 'Retry hand');
    vi.spyOn(app.models.payments, 'findOneAndUpdate').mockImplementationOnce(connectionLost);
    expect(await as('fin', `content remove ${id} Wrong campaign`)).toContain('Sorry');
    vi.restoreAllMocks();
    expect(await checklistOf('Retry hand')).toEqual([
      ['post', '2026-11-27', 'planned', null],
      ['post', '2026-11-27', 'published', 'https://www.instagram.com/p/RETRYHAND/'],
      ['story', '2026-11-30', 'planned', null],
    ]);

    // Another piece, beyond plan, becomes a post: it ticks off the post planned again.
    await as('alice', 'content log "Retry hand" https://www.instagram.com/p/RETRYOTHER/ type:reel');
    expect(await as('alice', 'content edit https://www.instagram.com/p/RETRYOTHER/ type:post')).toContain('It ticks off the post due Nov 27.');

    const out = await as('fin', `content remove ${id} Typed again`);
    expect(out).toContain('Finished removing (it was cut short) the post of Retry hand');
    expect(await payment()).toEqual(['cancelled', '2026-12-23', 'Wrong campaign']);
    expect(await checklistOf('Retry hand')).toEqual([
      ['post', '2026-11-27', 'published', 'https://www.instagram.com/p/RETRYOTHER/'],
      ['story', '2026-11-30', 'planned', null],
    ]);
  });

  it('GIVEN a removal cut short when its payment is cancelled, and its planned slot then dropped by /collab edit WHEN the removal is retyped THEN the slot is not planned again', async () => {
    await as('fin', 'collab new @zoe.creates "Retry slot" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const { id, payment } = await logged('https://www.instagram.com/p/RETRYSLOT/', 'Retry slot');
    vi.spyOn(app.models.payments, 'findOneAndUpdate').mockImplementationOnce(connectionLost);
    expect(await as('fin', `content remove ${id} Wrong campaign`)).toContain('Sorry');
    vi.restoreAllMocks();
    expect(await checklistOf('Retry slot')).toEqual([
      ['post', '2026-11-30', 'planned', null],
      ['post', '2026-11-30', 'published', 'https://www.instagram.com/p/RETRYSLOT/'],
    ]);

    expect(await as('fin', 'collab edit "Retry slot" expect:"story 1"')).toContain('Saved Retry slot');
    expect(await checklistOf('Retry slot')).toEqual([
      ['post', '2026-11-30', 'published', 'https://www.instagram.com/p/RETRYSLOT/'],
      ['story', '2026-11-30', 'planned', null],
    ]);

    expect(await as('fin', `content remove ${id} Typed again`)).toContain('Finished removing (it was cut short) the post of Retry slot');
    expect(await payment()).toEqual(['cancelled', '2026-12-23', 'Wrong campaign']);
    expect(await checklistOf('Retry slot')).toEqual([['story', '2026-11-30', 'planned', null]]);
  });

  it('GIVEN metrics recorded on the piece while it is being removed THEN the removal still finishes: the piece is gone and its item open once', async () => {
    await as('fin', 'collab new @zoe.creates "Busy removal" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const { id } = await logged('https://www.instagram.com/p/BUSY/', 'Busy removal');
    const deleteOne = app.models.contents.deleteOne.bind(app.models.contents);
    // Bob records reach after the piece was marked and its item opened again, before it goes.
    vi.spyOn(app.models.contents, 'deleteOne').mockImplementationOnce((async (...args: Parameters<typeof deleteOne>) => {
      await as('bob', `content metrics ${id} reach:1200`);
      return deleteOne(...args);
    }) as never);
    const out = await as('fin', `content remove ${id} Wrong campaign`);
    expect(out).toContain('Removed the post of Busy removal published Nov 23 (https://www.instagram.com/p/BUSY/). Reason: Wrong campaign');
    expect(out).toContain('The post due Nov 30 is open again on the checklist.');
    expect(await app.models.contents.findById(id).lean()).toBeNull();
    const collab = (await app.models.collaborations.findOne({ title: 'Busy removal' }).lean())!;
    const items = await app.models.contents.find({ collaborationId: collab._id }).lean();
    expect(items.map((item) => [item.type, item.status, item.planned, item.dueAt?.toISOString().slice(0, 10)])).toEqual([['post', 'planned', true, '2026-11-30']]);
  });
});

describe('the commission on recorded revenue', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('GIVEN revenue recorded THEN the reply names the commission planned; GIVEN planning fails THEN the revenue is kept and the reply says the monthly run plans it', async () => {
    const url = 'https://www.youtube.com/watch?v=code1';
    await as('alice', 'collab new @zoe.creates "Code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR', `content log "Code" ${url}`);
    const planned = await as('alice', `content metrics ${url} revenue:1000`);
    const payment = (await app.models.payments.findOne({ scheduleKey: { $regex: ':commission:' } }).lean())!;
    expect([payment.amountMinor, payment.currency, payment.status]).toEqual([10000, 'EUR', 'scheduled']);
    expect(planned).toContain(`Commission planned: €100.00 (${paymentFor(payment)}) due ${payment.dueAt.toISOString().slice(0, 10)} · id ${String(payment._id)}`);

    vi.spyOn(app.services.paymentPlanning, 'planCommission').mockRejectedValueOnce(new Error('connection lost'));
    const failed = await as('alice', `content metrics ${url} revenue:1500`);
    expect(failed).toContain('Its commission could not be planned just now; the monthly payment run plans it.');
    expect((await app.models.contents.findOne({ url }).lean())!.metrics).toEqual({ revenue: 150000 });
    expect((await app.models.payments.findById(payment._id).lean())!.amountMinor).toBe(10000);

    expect(await as('alice', `content metrics ${url} revenue:1500`)).toContain(`Commission payment ${String(payment._id)} is now €150.00 (was €100.00).`);
  });
});

describe('an edit cut short just before its payment moves', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('GIVEN the piece was written but moving its payment failed WHEN a payment manager retypes the same day THEN the payment follows it and the reply says so', async () => {
    await as('fin', 'collab new @zoe.creates "Cut money" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30');
    const { id, payment } = await logged('https://www.instagram.com/p/CUTMONEY/', 'Cut money');
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);

    vi.spyOn(app.models.payments, 'findOneAndUpdate').mockImplementationOnce(() => {
      throw new Error('connection lost');
    });
    expect(await as('fin', `content edit ${id} published:2026-11-10`)).toContain('Sorry');
    vi.restoreAllMocks();
    expect((await app.models.contents.findById(id).lean())!.publishedAt!.toISOString()).toBe('2026-11-10T00:00:00.000Z');
    expect(await payment()).toEqual(['scheduled', '2026-12-23', null]);

    const out = await as('fin', `content edit ${id} published:2026-11-10`);
    expect(out).toContain('The post of Cut money already has every value given.');
    expect(out).toContain('Its payment of €500.00 is now due 2026-12-10 (was 2026-12-23).');
    expect(await payment()).toEqual(['scheduled', '2026-12-10', null]);

    expect(await as('fin', `content edit ${id} published:2026-11-10`)).toContain('Nothing changed for the post of Cut money: every value given is already on it.');
  });
});
