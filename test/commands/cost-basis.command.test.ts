import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/**
 * One cost basis, shown whole: `/collab show` puts what a collaboration committed (its terms'
 * payments as edited, every other payment not cancelled, commission on recorded revenue) beside
 * what was paid, per currency, and its efficiency on committed cost. Through the console router,
 * with a fake clock; payments read back from the database.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const team = consoleCaller('cost-basis', 'maria');

const say = (caller: Caller, line: string) => sayAs(app, caller, line);

const costLines = async (title: string) =>
  (await say(team, `collab show "${title}"`)).text.split('\n').filter((line) => /^(Committed so far|Cost per|Return)/.test(line));
const paymentsOf = async (title: string) => {
  const collab = await app.models.collaborations.findOne({ title }).lean();
  return app.models.payments.find({ collaborationId: collab!._id }).sort({ amountMinor: -1 }).lean();
};

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z', timezone: 'Europe/Paris' });
  for (const line of [
    'influencer add "Zoë Tran" @zoe.creates network:instagram',
    'influencer add "Ana Lima" @ana.lima network:instagram',
    'influencer add "Bo Park" @bopark network:youtube',
  ]) {
    expect((await say(team, line)).refused).toBeFalsy();
  }
});

describe('a USD collaboration with a bonus and shipping in EUR', () => {
  it('GIVEN the fee, a $1,500 bonus paid and EUR 100 shipping owed THEN committed and paid stand side by side, per currency, never summed', async () => {
    await say(team, 'collab new @zoe.creates "Glow serum" type:review goal:image fee:3000 currency:USD net:30');
    expect((await say(team, 'payment add "Glow serum" 1500 USD 2026-12-15 label:Bonus')).refused).toBeFalsy();
    expect((await say(team, 'payment add "Glow serum" 100 EUR 2026-12-01 currency-mismatch:yes')).refused).toBeFalsy();
    const [fee, bonus, shipping] = await paymentsOf('Glow serum');
    expect([fee, bonus, shipping].map((p) => [p!.amountMinor, p!.currency, p!.source, p!.status])).toEqual([
      [300_000, 'USD', 'schedule', 'scheduled'],
      [150_000, 'USD', 'manual', 'scheduled'],
      [10_000, 'EUR', 'manual', 'scheduled'],
    ]);
    expect((await say(team, `payment paid ${String(bonus!._id)}`)).text).toContain('Marked $1,500.00 paid');
    await say(team, 'content log "Glow serum" https://www.instagram.com/reel/G1/');
    await say(team, 'content metrics https://www.instagram.com/reel/G1/ likes:800 comments:150 saves:30 shares:20');

    // $3,000 fee + $1,500 bonus = $4,500; €100 apart. 1,000 engagements: $4.50 and €0.10 each.
    expect(await costLines('Glow serum')).toEqual([
      'Committed so far: €100.00 · $4,500.00 · paid so far: $1,500.00',
      'Cost per engagement (on committed cost): €0.10 · $4.50',
    ]);

    // The fee's payment edited down: it counts as edited, never beside the terms' $3,000.
    expect((await say(team, `payment edit ${String(fee!._id)} amount:2500`)).refused).toBeFalsy();
    // The shipping cancelled: no longer committed.
    expect((await say(team, `payment cancel ${String(shipping!._id)} sent with the samples`)).refused).toBeFalsy();
    expect(await costLines('Glow serum')).toEqual(['Committed so far: $4,000.00 · paid so far: $1,500.00', 'Cost per engagement (on committed cost): $4.00']);
  });
});

describe('a product-only collaboration with a payment owed', () => {
  it('GIVEN EUR 150 owed and nothing paid THEN the cost per engagement is on €150, not €0.00', async () => {
    await say(team, 'collab new @ana.lima "Gift box" type:gifting goal:image product-only:yes currency:EUR');
    await say(team, 'content log "Gift box" https://www.instagram.com/p/GB1/');
    await say(team, 'content metrics https://www.instagram.com/p/GB1/ likes:100 comments:50');
    expect(await costLines('Gift box')).toEqual(['Committed so far: nothing yet · paid so far: nothing yet', 'Cost per engagement (on committed cost): -']);
    expect((await say(team, 'payment add "Gift box" 150 EUR 2026-12-10 label:"Studio fee"')).refused).toBeFalsy();
    expect(await costLines('Gift box')).toEqual(['Committed so far: €150.00 · paid so far: nothing yet', 'Cost per engagement (on committed cost): €1.00']);
  });
});

describe('a commission', () => {
  it('GIVEN 10% commission and €2,000 revenue recorded THEN €200 is committed and the return is on it', async () => {
    await say(team, 'collab new @bopark "Holiday code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR');
    await say(team, 'content log "Holiday code" https://www.youtube.com/watch?v=h1');
    await say(team, 'content metrics https://www.youtube.com/watch?v=h1 purchases:40 revenue:2000');
    expect(await costLines('Holiday code')).toEqual(['Committed so far: €200.00 · paid so far: nothing yet', 'Return (revenue / committed cost): 10.00×']);
  });

  it('GIVEN a fee and a commission WHEN the commission payment is corrected by hand THEN the corrected amount is committed, not the revenue share', async () => {
    await say(team, 'collab new @bopark "Fee and code" type:affiliate goal:sales fee:100 commission:10 currency:EUR');
    await say(team, 'content log "Fee and code" https://www.youtube.com/watch?v=fc1');
    await say(team, 'content metrics https://www.youtube.com/watch?v=fc1 revenue:2000');
    expect(await costLines('Fee and code')).toEqual(['Committed so far: €300.00 · paid so far: nothing yet', 'Return (revenue / committed cost): 6.67×']);
    const commission = (await paymentsOf('Fee and code')).find((p) => p.scheduleKey.includes(':commission:'))!;
    expect(commission.amountMinor).toBe(20000);

    expect((await say(team, `payment edit ${String(commission._id)} amount:150`)).refused).toBeFalsy();
    expect((await app.models.payments.findById(commission._id).lean())!.amountMinor).toBe(15000);
    expect(await costLines('Fee and code')).toEqual(['Committed so far: €250.00 · paid so far: nothing yet', 'Return (revenue / committed cost): 8.00×']);
  });

  it('GIVEN a piece with revenue WHEN its day moves to another month or it is removed THEN the unpaid commission follows', async () => {
    await say(team, 'collab new @ana.lima "Winter code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR start:2026-10-01');
    await say(team, 'content log "Winter code" https://www.youtube.com/watch?v=w1 published:2026-11-20');
    await say(team, 'content metrics https://www.youtube.com/watch?v=w1 revenue:1000');
    const open = async () =>
      (await paymentsOf('Winter code')).filter((p) => p.status !== 'cancelled').map((p) => ({ amountMinor: p.amountMinor, currency: p.currency, autoLabel: p.autoLabel }));
    const before = await open();
    expect(before).toHaveLength(1);
    expect(before[0]!.amountMinor).toBe(10000);

    const moved = await say(team, 'content edit https://www.youtube.com/watch?v=w1 published:2026-10-20');
    expect(moved.refused).toBeFalsy();
    const after = await open();
    expect(after).toHaveLength(1);
    expect(after[0]!.amountMinor).toBe(10000);
    expect([before[0]!.autoLabel, after[0]!.autoLabel]).toEqual([{ kind: 'commission', on: '2026-11' }, { kind: 'commission', on: '2026-10' }]);

    const removed = await say(team, 'content remove https://www.youtube.com/watch?v=w1 Logged on the wrong code');
    expect(removed.refused).toBeFalsy();
    expect(await open()).toEqual([]);
    expect(await costLines('Winter code')).toEqual(['Committed so far: nothing yet · paid so far: nothing yet', 'Return (revenue / committed cost): -']);
  });
});
