import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/domain/services';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * Why the bot cancelled a payment is stored as a code (`cancelCode`), never as English text: the
 * view says it in words. A reason a person typed stays as typed. Payments cancelled by an older
 * version (the bot's sentence in `cancelReason`) are rewritten as codes by the start-up migration,
 * and read the same before and after. Workspace in UTC, today Monday 2026-11-23, on the console.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'fin');
const stored = async (id: string) => {
  const p = (await app.models.payments.findById(id).lean())!;
  return { status: p.status, cancelCode: p.cancelCode ?? null, cancelReason: p.cancelReason ?? null };
};
const paymentOf = async (amountMinor: number) => String((await app.models.payments.findOne({ amountMinor }).lean())!._id);
/** `/payment show`'s status line and newest history line (without time and actor). */
async function shown(id: string) {
  const lines = (await say(`payment show ${id}`)).split('\n');
  return [lines.find((line) => line.startsWith('Status: ')), lines.find((line) => line.startsWith('• '))?.split(' · ').slice(2).join(' · ')];
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(
    'irm settings managers:fin',
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
    'collab new @zoe.creates "Monthly" type:review goal:awareness expect:"post 1" start:2026-11-01 end:2027-01-31 fee:300 currency:EUR schedule:monthly net:10',
  );
});

describe('cancelled by the bot', () => {
  it('GIVEN monthly terms WHEN /collab edit ends them earlier THEN the dropped payment stores the code alone, and show and list say why in words', async () => {
    const january = String((await app.models.payments.findOne({ scheduleKey: /:monthly:2027-01$/ }).lean())!._id);
    await say('collab edit "Monthly" end:2026-12-31');

    expect(await stored(january)).toEqual({ status: 'cancelled', cancelCode: 'terms-changed', cancelReason: null });
    expect(await shown(january)).toEqual(['Status: cancelled: no longer in the terms after /collab edit', 'Why: no longer in the terms after /collab edit']);
    expect(await say('payment list all')).toContain(`€300.00 · due 2027-01-11 · cancelled: no longer in the terms after /collab edit · owner @fin · id ${january}`);
  });

  it('GIVEN a payment a person cancels THEN the reason is stored as typed, with no code', async () => {
    await say('payment add "Monthly" 45 EUR 2026-12-01');
    const id = await paymentOf(4_500);
    await say(`payment cancel ${id} commission recomputed: by hand`);
    expect(await stored(id)).toEqual({ status: 'cancelled', cancelCode: null, cancelReason: 'commission recomputed: by hand' });
    expect(await shown(id)).toEqual(['Status: cancelled: commission recomputed: by hand', 'Reason: commission recomputed: by hand']);
  });
});

describe('cancelled by an older version (the start-up migration)', () => {
  it("GIVEN the bot's sentences stored as reasons, a removed piece's reason, and reasons people typed THEN the migration writes codes for the bot's only, once, and every list reads the same", async () => {
    const legacy: Array<[amount: number, reason: string]> = [
      [1_100, 'no longer in the terms after /collab edit'],
      [1_200, 'commission recomputed: the revenue went down, nothing left to pay'],
      [1_300, 'commission recomputed: no revenue is recorded for the month any more, nothing to pay'],
      [1_400, 'commission recomputed: the terms no longer pay a commission'],
      [1_500, 'Content removed: Wrong campaign — désolée'],
      [1_600, 'Deal called off'],
      [1_700, 'no longer in the terms after /collab edit, and late'],
    ];
    const ids: string[] = [];
    for (const [amount, reason] of legacy) {
      await say(`payment add "Monthly" ${amount / 100} EUR 2026-12-05`);
      const id = await paymentOf(amount);
      await say(`payment cancel ${id} placeholder`);
      // As an older version left it: the words in cancelReason, no code.
      await app.models.payments.updateOne({ _id: id }, { $set: { cancelReason: reason }, $unset: { cancelCode: 1 } });
      ids.push(id);
    }
    const listed = async () => (await say('payment list all')).split('\n').filter((line) => ids.some((id) => line.includes(id)));
    const before = await listed();

    expect(await migrate(app.services)).toMatchObject({ cancelCodes: 5 });
    expect(await Promise.all(ids.map(stored))).toEqual([
      { status: 'cancelled', cancelCode: 'terms-changed', cancelReason: null },
      { status: 'cancelled', cancelCode: 'commission-recomputed', cancelReason: null },
      { status: 'cancelled', cancelCode: 'commission-revenue-cleared', cancelReason: null },
      { status: 'cancelled', cancelCode: 'commission-dropped', cancelReason: null },
      { status: 'cancelled', cancelCode: 'content-removed', cancelReason: 'Wrong campaign — désolée' },
      { status: 'cancelled', cancelCode: null, cancelReason: 'Deal called off' },
      { status: 'cancelled', cancelCode: null, cancelReason: 'no longer in the terms after /collab edit, and late' },
    ]);
    expect(await listed()).toEqual(before);
    expect(before.find((line) => line.includes(ids[4]!))).toContain('cancelled: Content removed: Wrong campaign — désolée');
    expect(await migrate(app.services)).toMatchObject({ cancelCodes: 0 });
  });
});
