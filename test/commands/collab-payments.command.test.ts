import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import { localDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/**
 * Payments follow a collaboration's terms without anyone running `/payment schedule`: planned on
 * `/collab new`, on `/content log` for per-deliverable terms; and content is logged only on an
 * active collaboration. Through the router, on a Paris workspace, with a fake clock.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TZ = 'Europe/Paris';
const team = consoleCaller('auto-pay', 'maria');

async function say(caller: Caller, line: string) {
  const space = line.indexOf(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(line.slice(0, space), line.slice(space + 1)));
  return { ...outcome, text: outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}` };
}

const collabId = async (title: string) => (await app.models.collaborations.findOne({ title }).lean())!._id;
const paymentsOf = async (title: string) =>
  (await app.models.payments.find({ collaborationId: await collabId(title) }).sort({ dueAt: 1 }).lean()).map((p) => ({
    key: p.scheduleKey.replace(/^[a-f0-9]{24}:/, ''),
    due: localDay(p.dueAt, TZ),
    amountMinor: p.amountMinor,
    currency: p.currency,
    status: p.status,
    source: p.source,
    ownerId: p.ownerId,
  }));

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z', timezone: TZ }); // Monday Nov 23, 16:00 in Paris
  for (const line of [
    'influencer add "Zoë Tran" @zoe.creates network:instagram',
    'influencer add "Ana Souza" @ana.souza network:instagram',
    'influencer add "Li Wei" @li.wei network:tiktok',
    'influencer add "Sam Gift" @sam.gift network:instagram',
    'influencer add "Old Partner" @old.partner network:instagram',
  ]) {
    await say(team, line);
  }
});

describe('/collab new plans the payments its terms call for', () => {
  it('GIVEN a fee with no schedule (once) and net 14 THEN one payment is planned, due start + 14 days, and the reply says so', async () => {
    const { text } = await say(team, 'collab new @zoe.creates "Spring launch" type:sponsored-post goal:awareness fee:1,500 currency:EUR net:14');
    expect(text).toContain('Payments planned from the terms (1):\n• Fee · €1,500.00 · due 2026-12-07');
    expect(await paymentsOf('Spring launch')).toEqual([
      { key: 'once', due: '2026-12-07', amountMinor: 150_000, currency: 'EUR', status: 'scheduled', source: 'schedule', ownerId: 'maria' },
    ]);
    // Regenerating by hand finds it there already.
    expect((await say(team, 'payment schedule "Spring launch"')).text).toContain('Nothing new for Spring launch: its 1 planned payment exists already');
  });

  it('GIVEN monthly terms, ongoing THEN the reporting days of the next three months are planned and the reply says later months follow', async () => {
    const { text } = await say(team, 'collab new @ana.souza "Ambassador" type:ambassador goal:image fee:2000 currency:EUR schedule:monthly reporting-day:5');
    const ids = (await app.models.payments.find({ collaborationId: await collabId('Ambassador') }).sort({ dueAt: 1 }).lean()).map((p) => String(p._id));
    expect(text).toContain(
      [
        'Payments planned from the terms (3):',
        `• Reporting December 2026 · €2,000.00 · due 2027-01-04 · id ${ids[0]}`,
        `• Reporting January 2027 · €2,000.00 · due 2027-02-04 · id ${ids[1]}`,
        `• Reporting February 2027 · €2,000.00 · due 2027-03-07 · id ${ids[2]}`,
      ].join('\n'),
    );
    expect(text).toContain('Later months are planned month by month while it runs.');
    expect((await paymentsOf('Ambassador')).map((p) => [p.key, p.due])).toEqual([
      ['monthly:2026-12', '2027-01-04'],
      ['monthly:2027-01', '2027-02-04'],
      ['monthly:2027-02', '2027-03-07'],
    ]);
  });

  it('GIVEN a start in the past THEN payments already past due are planned and the reply says which to mark paid or cancel', async () => {
    const { text } = await say(team, 'collab new @sam.gift "Back catalogue" type:review goal:image fee:300 currency:EUR start:2026-09-01 net:30');
    expect(text).toContain('Payments planned from the terms (1):\n• Fee · €300.00 · due 2026-10-01');
    expect(text).toContain('1 of them is already past its due date: mark it paid (`/payment paid <id>`) or cancel it (`/payment cancel <id> <reason>`).');
  });

  it('GIVEN monthly terms over two years THEN every reporting day is planned and the reply lists the first twelve', async () => {
    await say(team, 'influencer add "Kai Long" @kai.long network:youtube');
    const { text } = await say(team, 'collab new @kai.long "Two years" type:ambassador goal:sales fee:100 currency:EUR schedule:monthly start:2026-12-01 end:2028-11-30');
    expect(await app.models.payments.countDocuments({ collaborationId: await collabId('Two years') })).toBe(24);
    expect(text).toContain('Payments planned from the terms (24):\n• Reporting December 2026 · €100.00 · due 2026-12-31');
    expect(text).toContain('• Reporting November 2027 · €100.00 · due 2027-12-01');
    expect(text).not.toContain('Reporting December 2027');
    expect(text).toContain('…and 12 more, in `/payment list`.');
    expect(text).not.toContain('Later months are planned');
  });

  it('GIVEN per-deliverable terms THEN nothing is planned yet and the reply says each piece gets its payment when logged', async () => {
    const { text } = await say(
      team,
      'collab new @li.wei "Reels" type:sponsored-post goal:awareness expect:"reel 2" fee:500 currency:EUR schedule:per-deliverable net:30',
    );
    expect(text).toContain('Payments: €500.00 per published piece, due 30 days after it is published; each is planned when the piece is logged with `/content log`.');
    expect(await paymentsOf('Reels')).toEqual([]);
  });

  it('GIVEN no fee THEN nothing is planned and the reply does not talk about payments', async () => {
    const { text } = await say(team, 'collab new @old.partner "Gift box" type:gifting goal:image product-only:yes');
    expect(text).not.toContain('Payments');
    expect(await paymentsOf('Gift box')).toEqual([]);
  });
});

describe('/content log plans the payment of a published piece under per-deliverable terms', () => {
  it('GIVEN a reel logged as published on Nov 20 THEN its payment is due Dec 20, once, keyed by the piece', async () => {
    const first = await say(team, 'content log Reels https://www.instagram.com/reel/R1/ published:2026-11-20');
    const reel = (await app.models.contents.findOne({ url: 'https://www.instagram.com/reel/R1/' }).lean())!;
    expect(first.text).toContain('Payment planned: €500.00 due 2026-12-20 (30 days after publication)');
    expect(await paymentsOf('Reels')).toEqual([
      { key: `content:${String(reel._id)}`, due: '2026-12-20', amountMinor: 50_000, currency: 'EUR', status: 'scheduled', source: 'schedule', ownerId: 'maria' },
    ]);

    const second = await say(team, 'content log Reels https://www.instagram.com/reel/R2/');
    expect(second.text).toContain('Payment planned: €500.00 due 2026-12-23 (30 days after publication)');
    expect((await paymentsOf('Reels')).map((p) => p.due)).toEqual(['2026-12-20', '2026-12-23']);
    expect((await say(team, 'payment schedule Reels')).text).toContain('Nothing new for Reels: its 2 planned payments exist already');
    expect(await app.models.payments.countDocuments({ collaborationId: await collabId('Reels') })).toBe(2);
  });

  it('GIVEN an edited payment of a piece WHEN another piece is logged THEN the edit is kept and only the new piece is added', async () => {
    const [firstPayment] = await app.models.payments.find({ collaborationId: await collabId('Reels') }).sort({ dueAt: 1 }).lean();
    await app.services.paymentStates.edit({ id: String(firstPayment!.workspaceId), timezone: TZ }, firstPayment!, { amountMinor: 65_000 }, 'maria');
    await say(team, 'content log Reels https://www.instagram.com/reel/R3/ published:2026-11-22');
    expect((await paymentsOf('Reels')).map((p) => [p.due, p.amountMinor])).toEqual([
      ['2026-12-20', 65_000],
      ['2026-12-22', 50_000],
      ['2026-12-23', 50_000],
    ]);
  });

  it('GIVEN a collaboration paid once THEN logging its content plans no payment', async () => {
    const { text } = await say(team, 'content log "Spring launch" https://www.instagram.com/p/S1/');
    expect(text).not.toContain('Payment planned');
    expect(await app.models.payments.countDocuments({ collaborationId: await collabId('Spring launch') })).toBe(1);
  });
});

describe('/content log on a closed collaboration', () => {
  it.each([
    ['completed', 'Finished campaign'],
    ['cancelled', 'Dropped campaign'],
  ])('GIVEN a collaboration closed as %s THEN content is refused with its status and what to do instead, and nothing is stored', async (status, title) => {
    await say(team, `collab new @old.partner "${title}" type:review goal:image`);
    await say(team, `collab close "${title}" ${status}`);
    const id = String(await collabId(title));
    const before = await app.models.contents.countDocuments({ collaborationId: await collabId(title) });

    for (const ref of [`"${title}"`, id]) {
      const { text, answer } = await say(team, `content log ${ref} https://www.instagram.com/p/LATE${status}/`);
      expect(text).toBe(
        `${title} is ${status} (closed Nov 23), so no content can be logged on it. Pick an active one (\`/collab list active @old.partner\`) or start a new one (\`/collab new @old.partner\`).`,
      );
      expect(answer.kind === 'reply' && answer.visibility).toBe('private');
    }
    expect(await app.models.contents.countDocuments({ collaborationId: await collabId(title) })).toBe(before);
    expect(await app.models.contents.countDocuments({ url: { $regex: 'LATE' } })).toBe(0);
  });

  it('GIVEN a closed collaboration WHEN the log form is asked for THEN it is refused before any field is typed', async () => {
    const { text } = await say(team, 'content log "Finished campaign"');
    expect(text).toContain('Finished campaign is completed (closed Nov 23), so no content can be logged on it.');
  });
});

describe('/collab show: committed and paid side by side, on one basis', () => {
  it('GIVEN a collaboration whose fee is planned as a payment WHEN it is paid THEN committed stays the same and paid shows it', async () => {
    await say(team, 'collab new @sam.gift "Cost basis" type:sponsored-post goal:awareness fee:900 currency:EUR net:30');
    expect((await say(team, 'collab show "Cost basis"')).text).toContain('Committed so far: €900.00 · paid so far: nothing yet');
    const [payment] = await app.models.payments.find({ collaborationId: await collabId('Cost basis') }).lean();
    expect((await say(team, `payment paid ${String(payment!._id)}`)).text).toContain("Marked €900.00 paid");
    const card = (await say(team, 'collab show "Cost basis"')).text;
    expect(card).toContain('Committed so far: €900.00 · paid so far: €900.00');
    expect(card).toContain('Sam Gift');
  });
});
