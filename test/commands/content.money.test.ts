import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * `/content edit` and `/content remove` on per-deliverable terms, typed on the console by a payment
 * manager (`fin`) and by someone else (`alice`): only a payment manager moves or cancels the
 * piece's payment; anyone else is told who can, and the payment read back is unchanged. A paid
 * payment stays paid. Workspace in UTC, today Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await runConsole(
    app.router,
    [
      'irm settings managers:fin',
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
      'collab new @zoe.creates "Per piece" type:review goal:awareness expect:"post 3" fee:500 currency:EUR schedule:per-deliverable net:30',
    ],
    'fin',
  );
});

const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);

async function logged(url: string) {
  await as('alice', `content log "Per piece" ${url}`);
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
    expect(planned).toContain(`Commission planned: €100.00 (${payment.label}) due ${payment.dueAt.toISOString().slice(0, 10)} · id ${String(payment._id)}`);

    vi.spyOn(app.services.paymentPlanning, 'planCommission').mockRejectedValueOnce(new Error('connection lost'));
    const failed = await as('alice', `content metrics ${url} revenue:1500`);
    expect(failed).toContain('Its commission could not be planned just now; the monthly payment run plans it.');
    expect((await app.models.contents.findOne({ url }).lean())!.metrics).toEqual({ revenue: 150000 });
    expect((await app.models.payments.findById(payment._id).lean())!.amountMinor).toBe(10000);

    expect(await as('alice', `content metrics ${url} revenue:1500`)).toContain(`Commission payment ${String(payment._id)} is now €150.00 (was €100.00).`);
  });
});
