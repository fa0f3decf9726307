import { beforeEach, describe, expect, it } from 'vitest';
import latePayments from '../../jobs/late-payments.job';
import paymentSchedules from '../../jobs/payment-schedules.job';
import { atLocalTime, toPlainText, type Actor } from '../../src/core';
import { localDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { buildScheduler, freshWorkspace, recordingPoster, useSchedulingApp } from '../helpers/scheduler';
import { paymentFor } from '../../commands/payment-label';

/**
 * Commission is planned as payments from the revenue recorded (10% of a month's revenue, due the
 * next reporting day plus the net days), kept in step with later revenue without touching a paid
 * one, and warned about by the late-payments job like any payment. Through the command router and
 * the real scheduler and ledger, with a fake clock in Paris; payments read back from the database.
 */

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2026-11-23T15:00:00Z');
const TZ = 'Europe/Paris';
const TEAM = 'T0COMMISSION';
const admin: Caller = { platform: 'slack', workspaceExternalId: TEAM, actor: { id: 'U0ADMIN', isAdmin: async () => true } satisfies Actor };
const URL = 'https://shop.example.com/p/summer-1';

const say = async (line: string) => (await sayAs(app, admin, line)).text;

/** The commission payments as the database holds them: key (without the collaboration id), local due day, amount, status. */
async function commission() {
  const payments = await app.models.payments.find({ scheduleKey: /:commission:/ }).sort({ scheduleKey: 1 }).lean();
  return payments.map((p) => [p.scheduleKey.split(':').slice(1).join(':'), localDay(p.dueAt, TZ), p.amountMinor, p.status, paymentFor(p)]);
}

const nineAm = (day: string) => atLocalTime(day, '09:00', TZ);

beforeEach(async () => {
  await freshWorkspace(app, TEAM, TZ, { channels: { payments: 'C0PAY' } });
  await say('influencer add "Ana Souza" @ana.souza network:instagram');
  await say('collab new @ana.souza "Summer code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR net:15 reporting-day:5');
  await say(`content log "Summer code" ${URL} post`);
});

describe('commission planned as payments', () => {
  it('GIVEN revenue recorded, raised, paid and raised again THEN the unpaid payment follows it and a paid one is never touched; the late-payments job warns about it', async () => {
    // November's revenue: 10% of €2,000, due Dec 5 (the next reporting day) + 15 days.
    expect(await say(`content metrics ${URL} revenue:2000`)).toContain('Commission planned: €200.00 (Commission November 2026) due 2026-12-20');
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-20', 20_000, 'scheduled', 'Commission November 2026']]);

    const raised = await say(`content metrics ${URL} revenue:2500`);
    expect(raised).toMatch(/Commission payment [a-f0-9]{24} is now €250\.00 \(was €200\.00\)\./);
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-20', 25_000, 'scheduled', 'Commission November 2026']]);

    const [first] = await app.models.payments.find({ scheduleKey: /:commission:/ }).lean();
    expect(await say(`payment paid ${String(first!._id)}`)).toContain('Marked €250.00 paid');
    expect(await say(`content metrics ${URL} revenue:3000`)).toContain('Commission planned: €50.00 (Commission November 2026) due 2026-12-20');
    // The same revenue again: in step already, nothing changes.
    expect(await say(`content metrics ${URL} revenue:3000`)).not.toContain('Commission');
    expect(await commission()).toEqual([
      ['commission:2026-11', '2026-12-20', 25_000, 'paid', 'Commission November 2026'],
      ['commission:2026-11:2', '2026-12-20', 5_000, 'scheduled', 'Commission November 2026'],
    ]);
    expect(await say('collab show "Summer code"')).toContain('Committed so far: €300.00 · paid so far: €250.00');

    // Dec 21, 09:00 in Paris: the €50 is one day late and the payments channel hears of it once.
    const slack = recordingPoster(app.clock);
    const scheduler = await buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [latePayments] });
    for (const day of ['2026-12-20', '2026-12-21']) {
      app.clock.set(nineAm(day));
      await scheduler.tick(app.clock());
      await scheduler.tick(app.clock());
    }
    const posts = slack.posts.map((p) => [p.channelId, p.at.toISOString(), toPlainText(p.reply)]);
    expect(posts.map(([channel, at]) => [channel, at])).toEqual([
      ['C0PAY', '2026-12-20T08:00:00.000Z'],
      ['C0PAY', '2026-12-21T08:00:00.000Z'],
    ]);
    expect(posts[0]![2]).toContain('Ana Souza · Summer code · €50.00 · due today (Dec 20)');
    expect(posts[1]![2]).toContain('Ana Souza · Summer code · €50.00 · due Dec 20 · 1 day late');
  });

  it('GIVEN an unpaid commission payment WHEN the terms are edited THEN it follows the new rate and is never cancelled as "no longer in the terms"', async () => {
    await say(`content metrics ${URL} revenue:2000`);
    expect(await say('collab edit "Summer code" commission:12')).not.toContain('refused');
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-20', 24_000, 'scheduled', 'Commission November 2026']]);
    // A new reporting day moves its due day: Dec 10 + 15 days.
    await say('collab edit "Summer code" reporting-day:10');
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-25', 24_000, 'scheduled', 'Commission November 2026']]);
    await say('collab edit "Summer code" commission:0');
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-25', 24_000, 'cancelled', 'Commission November 2026']]);
    const dropped = (await app.models.payments.findOne({ scheduleKey: /:commission:/ }).lean())!;
    expect([dropped.cancelCode, dropped.cancelReason]).toEqual(['commission-dropped', undefined]);
  });

  it('GIVEN the revenue is cleared THEN the open commission payment is cancelled saying so, and revenue recorded again plans the month again', async () => {
    await say(`content metrics ${URL} revenue:2000`);
    expect(await say(`content metrics ${URL} revenue:0`)).toContain(
      '1 unpaid commission payment was cancelled: no revenue is recorded for its month any more, so no commission is owed.',
    );
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-20', 20_000, 'cancelled', 'Commission November 2026']]);
    const [cleared] = await app.models.payments.find({ scheduleKey: /:commission:/ }).lean();
    expect([cleared!.cancelCode, cleared!.cancelReason]).toEqual(['commission-revenue-cleared', undefined]);
    expect(await say('payment list all')).toContain('cancelled: commission recomputed: no revenue is recorded for the month any more, nothing to pay');

    expect(await say(`content metrics ${URL} revenue:1500`)).toContain('Commission planned: €150.00 (Commission November 2026) due 2026-12-20');
    expect(await commission()).toEqual([
      ['commission:2026-11', '2026-12-20', 20_000, 'cancelled', 'Commission November 2026'],
      ['commission:2026-11:2', '2026-12-20', 15_000, 'scheduled', 'Commission November 2026'],
    ]);
  });

  it('GIVEN a commission payment edited by hand THEN its amount and due day are kept and later revenue adds or removes only its difference, also once it is paid', async () => {
    await say(`content metrics ${URL} revenue:2000`);
    const [planned] = await app.models.payments.find({ scheduleKey: /:commission:/ }).lean();
    const id = String(planned!._id);
    expect(await say(`payment edit ${id} amount:180 due:2026-12-28`)).not.toContain('Sorry');
    // Its currency stays the revenue's: a hand correction is read in it.
    expect(await say(`payment edit ${id} amount:200 currency:USD currency-mismatch:yes`)).toContain(
      'A commission payment stays in EUR: it is a share of the revenue recorded in EUR. Change its amount, or cancel it and add a payment in another currency with `/payment add`.',
    );

    // The same revenue, recorded again, and the monthly run: nothing changes.
    await say(`content metrics ${URL} revenue:2000`);
    await app.services.paymentPlanning.extendSchedules({ id: String(planned!.workspaceId), timezone: TZ }, 'scheduler');
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-28', 18_000, 'scheduled', 'Commission November 2026']]);

    // €500 more revenue: €50 more commission on the €180 agreed by hand.
    expect(await say(`content metrics ${URL} revenue:2500`)).toContain(`Commission payment ${id} is now €230.00 (was €180.00).`);
    expect(await commission()).toEqual([['commission:2026-11', '2026-12-28', 23_000, 'scheduled', 'Commission November 2026']]);
    const history = await app.models.changes.find({ entityId: planned!._id }).sort({ at: 1, _id: 1 }).lean();
    expect(history.map((h) => [h.action, h.fields.filter((f) => f.field === 'amountMinor').map((f) => [f.from, f.to])])).toEqual([
      ['schedule', []],
      ['edit', [[20_000, 18_000]]],
      ['commission', [[18_000, 23_000]]],
    ]);

    // Paid at €230, then €1,000 more revenue: a new payment of €100, the correction still kept.
    expect(await say(`payment paid ${id}`)).toContain('Marked €230.00 paid');
    expect(await say(`content metrics ${URL} revenue:3500`)).toContain('Commission planned: €100.00 (Commission November 2026) due 2026-12-20');
    expect(await commission()).toEqual([
      ['commission:2026-11', '2026-12-28', 23_000, 'paid', 'Commission November 2026'],
      ['commission:2026-11:2', '2026-12-20', 10_000, 'scheduled', 'Commission November 2026'],
    ]);
  });

  it('GIVEN revenue the command did not plan WHEN the month starts THEN the payment-schedules job plans its commission once, even on two replicas', async () => {
    const item = await app.services.content.resolve((await app.services.workspaces.ensure('slack', TEAM)).id, URL);
    await app.services.content.recordMetrics(item, { revenue: 120_000 }, 'import');
    expect(await commission()).toEqual([]);

    const slack = recordingPoster(app.clock);
    const [a, b] = await Promise.all([
      buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [paymentSchedules], instanceId: 'a' }),
      buildScheduler(connection, app, { posters: { slack: slack.poster }, jobs: [paymentSchedules], instanceId: 'b' }),
    ]);
    app.clock.set(nineAm('2026-12-01'));
    await Promise.all([a.runDue(app.clock()), b.runDue(app.clock())]);
    await Promise.all([a.runDue(app.clock()), b.runDue(app.clock())]);

    expect(await commission()).toEqual([['commission:2026-11', '2026-12-20', 12_000, 'scheduled', 'Commission November 2026']]);
    expect(slack.posts).toHaveLength(1);
    expect(toPlainText(slack.posts[0]!.reply)).toContain('• Ana Souza · Summer code (Commission November 2026) · €120.00 · due Dec 20, 2026');
  });
});
