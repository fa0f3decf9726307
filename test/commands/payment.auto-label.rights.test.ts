import { beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { buildPerPieceApp } from '../helpers/per-piece';

/**
 * The bot's name for a planned payment (`autoLabel`) is no money: following it is never a reason
 * to ask for a payment manager. Typed on the console in the per-piece world (UTC, Monday
 * 2026-11-23; `fin` manages payments, `ana` does not).
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildPerPieceApp>>;
const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);

beforeAll(async () => {
  app = await buildPerPieceApp(connection);
});

describe('the bot\'s name for a payment is no money', () => {
  it('GIVEN a per-piece payment whose due day a manager typed, and its piece moved by a non-manager (so its name still names the old day) WHEN that non-manager hands the collaboration over THEN it is saved, the payment keeps its money and due day, and its name follows the piece', async () => {
    await as('fin', 'content log "Per piece" https://www.instagram.com/p/REV1/ published:2026-11-20');
    const piece = (await app.models.contents.findOne({ url: 'https://www.instagram.com/p/REV1/' }).lean())!;
    const payment = (await app.models.payments.findOne({ scheduleKey: { $regex: `:content:${String(piece._id)}$` } }).lean())!;
    await as('fin', `payment edit ${String(payment._id)} due:2026-12-24`);
    expect(await as('ana', `content edit ${String(piece._id)} published:2026-11-21`)).toContain('Its payment of €500.00 stays due 2026-12-24');
    expect(await app.models.payments.findById(payment._id).lean()).toMatchObject({ autoLabel: { kind: 'deliverable', on: '2026-11-20' } });

    const reply = await as('ana', 'collab edit "Per piece" owner:@ana');
    expect(reply.split('\n').slice(1, 6)).toEqual([
      '== Per piece ==',
      'Saved Per piece: Owner: @fin → @ana.',
      'Planned payments (1):',
      `• Deliverable published 2026-11-21: €500.00 · due 2026-12-24 · owner @ana · id ${String(payment._id)}`,
      'Published content and paid, cancelled or hand-added payments stay as they were.',
    ]);
    expect(await app.models.payments.findById(payment._id).lean()).toMatchObject({
      amountMinor: 50000,
      currency: 'EUR',
      dueAt: new Date('2026-12-24T00:00:00Z'),
      ownerId: 'ana',
      autoLabel: { kind: 'deliverable', on: '2026-11-21' },
    });
    expect((await as('fin', `payment show ${String(payment._id)}`)).split('\n').find((line) => line.startsWith('For: '))).toBe('For: Deliverable published 2026-11-21');
  });
});
