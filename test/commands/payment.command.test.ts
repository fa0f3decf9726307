import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Actor, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { localDay } from '../../src/core';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { seedCollaboration } from '../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TEAM = 'T0PAY';

const slackUser = (id: string, options: { admin?: boolean; groups?: string[] } = {}): Caller => {
  const actor: Actor = { id, isAdmin: async () => options.admin ?? false, memberOf: async (group) => (options.groups ?? []).includes(group) };
  return { platform: 'slack', workspaceExternalId: TEAM, actor };
};
const admin = slackUser('U0ADMIN', { admin: true });
const member = slackUser('U0MEMBER');
const financeLead = slackUser('U0FIN');
const inFinanceGroup = slackUser('U0GROUPIE', { groups: ['S0FINANCE'] });

async function say(caller: Caller, line: string) {
  const [command, ...rest] = line.split(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')));
  return { ...outcome, text: outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}` };
}

let workspace: Awaited<ReturnType<typeof app.services.workspaces.settings>>;
const payment = (amountMinor: number) => app.models.payments.findOne({ amountMinor }).lean();

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
  const info = await app.services.workspaces.ensure('slack', TEAM);
  workspace = await app.services.workspaces.updateSettings(info.id, { timezone: 'America/New_York' });
  app.services.workspaces.forget('slack', TEAM);
  await seedCollaboration(app, workspace, { title: 'Spring launch', ownerId: 'U0MARIA' });
  await seedCollaboration(app, workspace, { name: 'Li Wei', title: 'Winter box', ownerId: 'U0LI', compensation: { currency: 'EUR' } });
});

describe('/payment add', () => {
  it('GIVEN a collaboration, an amount, a currency and a due date THEN the payment is stored in minor units', async () => {
    const { text } = await say(member, 'payment add "Spring launch" 1,500 usd 2026-11-20');
    expect(text).toContain('Added $1,500.00 for Spring launch, due 2026-11-20.');
    const stored = await payment(150_000);
    expect(stored).toMatchObject({ currency: 'USD', status: 'scheduled', ownerId: 'U0MARIA', source: 'manual', createdById: 'U0MEMBER' });
    expect(localDay(stored!.dueAt, 'America/New_York')).toBe('2026-11-20');
    expect(text).toContain(`[Mark paid: payment paid ${String(stored!._id)}]`);
  });

  it('GIVEN no arguments THEN a form asks for them, the currency prefilled', async () => {
    const { answer } = await say(member, 'payment add');
    expect(answer).toMatchObject({ kind: 'form', title: 'Add a payment', submit: { command: 'payment', subcommand: 'add', args: {} } });
    expect(answer.kind === 'form' && answer.fields.map((f) => [f.name, f.required ?? false, f.initial])).toEqual([
      ['collab', true, undefined],
      ['amount', true, undefined],
      ['currency', true, 'USD'],
      ['due', true, undefined],
      ['label', false, undefined],
    ]);
  });

  it('GIVEN a creator instead of a title THEN their one active collaboration is used', async () => {
    expect((await say(member, 'payment add "Li Wei" 800 EUR 2026-11-25')).text).toContain('Added €800.00 for Winter box');
  });

  it.each([
    ['payment add "Spring launch" 1500.555 USD 2026-12-01', 'amount: USD has 2 decimals at most, like 1500.00'],
    ['payment add "Spring launch" 1500.5 JPY 2026-12-01', 'amount: JPY has no decimals, like 1500'],
    ['payment add "Spring launch" 0 USD 2026-12-01', 'amount must be more than zero'],
    ['payment add "Spring launch" -5 USD 2026-12-01', 'amount cannot be negative'],
    ['payment add "Spring launch" 1,500 KWD 2026-12-01', 'amount: "1,500" could be KWD\u00a01,500.000 or KWD\u00a01.500 - type 1500 or 1.5'],
    ['payment add "Spring launch" €1500 USD 2026-12-01', 'amount: "€" is not USD. Give the amount in USD, or change the currency'],
    ['payment add "Spring launch" 1500 DOLLARS 2026-12-01', 'currency must be an ISO code like EUR, USD or GBP'],
    ['payment add "Spring launch" 1500 USD 2026-02-30', 'due: "2026-02-30" is not a day on the calendar'],
    ['payment add "Spring launch" 1500 USD 10/11/2026', 'due: "10/11/2026" could be November 10, 2026 or October 11, 2026: type 2026-11-10 or 2026-10-11'],
    ['payment add "Nobody" 1500 USD 2026-12-01', 'No collaboration matches "Nobody"'],
  ])('GIVEN %s THEN it is refused: %s', async (line, message) => {
    const before = await app.models.payments.countDocuments();
    expect((await say(member, line)).text).toContain(message);
    expect(await app.models.payments.countDocuments()).toBe(before);
  });
});

describe('/payment paid: payment managers only', () => {
  it('GIVEN no payment managers named WHEN a member marks it paid THEN a polite refusal and nothing changes; an admin may', async () => {
    const { _id } = (await payment(150_000))!;
    const refused = await say(member, `payment paid ${String(_id)}`);
    expect(refused.text).toContain('Sorry, only workspace admins (no payment managers are named yet) can mark payments paid. Nothing was changed.');
    expect((await payment(150_000))!.status).toBe('scheduled');

    const done = await say(admin, `payment paid ${String(_id)} INV-2026-118`);
    expect(done.text).toContain('Marked $1,500.00 paid on 2026-11-23, after its due date 2026-11-20. Reference: INV-2026-118.');
    expect(await payment(150_000)).toMatchObject({ status: 'paid', paidById: 'U0ADMIN', reference: 'INV-2026-118' });
    expect((await say(admin, `payment paid ${String(_id)}`)).text).toContain('This payment is paid, so I cannot mark it paid.');
  });

  it('GIVEN named managers and a user group WHEN others press Mark paid THEN they are refused, even admins; the listed user and group members may', async () => {
    await say(admin, 'irm settings managers:<@U0FIN>,<!subteam^S0FINANCE|@finance>');
    await say(member, 'payment add "Winter box" 10 EUR 2026-11-23');
    await say(member, 'payment add "Winter box" 20 EUR 2026-11-23');
    const ten = (await payment(1000))!;
    const twenty = (await payment(2000))!;

    for (const caller of [member, admin]) {
      const { text } = await say(caller, `payment paid ${String(ten._id)}`);
      expect(text).toContain('Sorry, only the payment managers: @U0FIN, <!subteam^S0FINANCE> can mark payments paid.');
    }
    expect((await say(financeLead, `payment paid ${String(ten._id)} 2026-11-22 wire 4411`)).text).toContain(
      'Marked €10.00 paid on 2026-11-22, on time. Reference: wire 4411.',
    );
    expect((await say(inFinanceGroup, `payment paid ${String(twenty._id)}`)).text).toContain('Marked €20.00 paid on 2026-11-23, on time.');
    await say(admin, 'irm settings managers:admins');
  });

  it('GIVEN a date in the future or not a date THEN it is refused', async () => {
    await say(member, 'payment add "Winter box" 30 EUR 2026-11-30');
    const { _id } = (await payment(3000))!;
    expect((await say(admin, `payment paid ${String(_id)} 2026-11-24`)).text).toContain('date cannot be in the future');
    expect((await say(admin, `payment paid ${String(_id)} 2026-13-01`)).text).toContain('date: "2026-13-01" is not a day on the calendar');
    expect((await say(admin, `payment paid ${String(_id)} 10/11/2026 INV-1`)).text).toContain(
      'date: "10/11/2026" could be November 10, 2026 or October 11, 2026: type 2026-11-10 or 2026-10-11',
    );
    expect((await say(admin, `payment paid ${String(_id)} INV-881 20/11/2026`)).text).toContain(
      '"20/11/2026" looks like a date, so it is not kept as a reference. Give the date first',
    );
    expect(await payment(3000)).toMatchObject({ status: 'scheduled' });
    expect((await say(admin, `payment paid 65f0c0ffee0000000000abcd`)).text).toContain('No payment with id "65f0c0ffee0000000000abcd" here.');
  });
});

describe('/payment list, cancel, edit and schedule', () => {
  it('GIVEN unpaid payments in two currencies THEN the list shows each with its status and totals owed per currency, never summed', async () => {
    const { text } = await say(member, 'payment list');
    expect(text).toContain('unpaid payments');
    expect(text).toMatch(/Li Wei · Winter box · €800\.00 · due 2026-11-25 · due in 2 days · owner @U0LI · id [0-9a-f]{24}/);
    expect(text).toContain('Owed: €830.00');
    expect(text).not.toContain('$'); // the USD one is paid

    await say(member, 'payment add "Spring launch" 99.99 USD 2026-11-21');
    const late = await say(member, 'payment list late');
    expect(late.text).toContain('1 late payment:');
    expect(late.text).toContain('$99.99 · due 2026-11-21 · 2 days late');
    expect((await say(member, 'payment list')).text).toContain('Owed: €830.00 · $99.99 (each currency on its own, never added together)');
  });

  it('GIVEN a creator THEN list all shows only theirs, paid and cancelled included', async () => {
    const { text } = await say(member, 'payment list all "Zoë Tran"');
    expect(text).toContain('for Zoë Tran');
    expect(text).toContain('$1,500.00 · due 2026-11-20 · paid 2026-11-23 (late) · ref INV-2026-118');
    expect(text).not.toContain('Li Wei');
  });

  it('GIVEN a manager THEN cancel needs a reason and a cancelled payment cannot be paid; a member cannot cancel', async () => {
    const { _id } = (await payment(9999))!;
    expect((await say(member, `payment cancel ${String(_id)} Duplicate`)).text).toContain('Sorry, only workspace admins');
    expect((await say(admin, `payment cancel ${String(_id)}`)).text).toContain('reason is required');
    expect((await say(admin, `payment cancel ${String(_id)} Duplicate of the November fee`)).text).toContain('Cancelled $99.99 due 2026-11-21: Duplicate of the November fee');
    expect((await say(admin, `payment paid ${String(_id)}`)).text).toContain('This payment is cancelled, so I cannot mark it paid.');
    expect((await say(member, 'payment list late')).text).toContain('No late payments.');
  });

  it('GIVEN a manager THEN edit changes the amount and due date of an unpaid payment', async () => {
    const { _id } = (await payment(3000))!;
    expect((await say(admin, `payment edit ${String(_id)} amount:45 due:2026-12-05`)).text).toContain('Saved: €45.00 due 2026-12-05.');
    expect((await say(admin, `payment edit ${String(_id)}`)).text).toContain('say what to change');
    expect((await say(member, `payment edit ${String(_id)} amount:1`)).text).toContain('Sorry');
  });

  it('GIVEN a payment in EUR WHEN a manager changes only its currency THEN it is refused naming amount and currency, and the stored amount is not reinterpreted', async () => {
    await say(member, 'payment add "Winter box" 1,500 EUR 2026-12-10 label:"Currency test"');
    const stored = (await app.models.payments.findOne({ label: 'Currency test' }).lean())!;
    const id = String(stored._id);

    const refused = await say(admin, `payment edit ${id} currency:JPY`);
    expect(refused.text).toBe(
      'Changing the currency from EUR to JPY needs the new amount too: give `amount:` in JPY with `currency:JPY`. Amounts are never converted between currencies.',
    );
    expect(refused.fieldErrors).toEqual({ amount: 'needed in JPY when the currency changes', currency: 'changes only together with amount:' });
    expect(await app.models.payments.findById(stored._id).lean()).toMatchObject({ amountMinor: 150_000, currency: 'EUR' });

    expect((await say(admin, `payment edit ${id} currency:eur label:"Currency test"`)).text).toContain('Saved: €1,500.00 due 2026-12-10 (Currency test).');
    expect((await say(admin, `payment edit ${id} currency:JPY amount:240,000`)).text).toContain(
      'Winter box is in EUR, this payment in JPY. Give the amount in EUR, or add currency-mismatch:yes to keep JPY',
    );
    expect((await say(admin, `payment edit ${id} currency:JPY amount:240,000 currency-mismatch:yes`)).text).toContain('Saved: ¥240,000 due 2026-12-10 (Currency test).');
    expect(await app.models.payments.findById(stored._id).lean()).toMatchObject({ amountMinor: 240_000, currency: 'JPY' });
    await say(admin, `payment cancel ${id} Test payment`);
  });

  it('GIVEN monthly terms WHEN schedule runs twice THEN payments are created once', async () => {
    await seedCollaboration(app, workspace, {
      name: 'Ana Souza',
      title: 'Ambassador 2027',
      start: '2026-11-01',
      end: '2027-01-31',
      reportingDay: 28,
      compensation: { feeMinor: 300_000, currency: 'BRL', schedule: 'monthly', netDays: 30 },
    });
    const first = await say(member, 'payment schedule "Ambassador 2027"');
    expect(first.text).toContain('Planned 3 payments for Ambassador 2027:');
    expect(first.text).toMatch(/Reporting November 2026 · R\$\s?3,000\.00 · due 2026-12-28/);
    expect((await say(member, 'payment schedule "Ana Souza"')).text).toContain('Nothing new for Ambassador 2027: its 3 planned payments exist already');
    expect(await app.models.payments.countDocuments({ currency: 'BRL' })).toBe(3);
  });

  it('GIVEN terms without a fee THEN schedule says what is missing', async () => {
    await seedCollaboration(app, workspace, { name: 'Gift Only', title: 'Gifting', compensation: { currency: 'USD' } });
    expect((await say(member, 'payment schedule Gifting')).text).toContain('I cannot plan payments for Gifting: its terms need a payment schedule (once, monthly or per-deliverable), a fee.');
  });
});

describe('the influencer card', () => {
  it('GIVEN paid and late payments THEN the card shows the on-time rate for the creator and for the workspace', async () => {
    expect((await say(member, 'influencer show "Zoë Tran"')).text).toContain('Payments on time: 0% (0 of 1) · workspace: 67% (2 of 3)');
    expect((await say(member, 'influencer show "Li Wei"')).text).toContain('Payments on time: 100% (2 of 2) · workspace: 67% (2 of 3)');
    expect((await say(member, 'influencer show "Ana Souza"')).text).toContain('Payments on time: no payment due yet · workspace: 67% (2 of 3)');
  });
});

describe('/payment on the console, end to end', () => {
  it('GIVEN the console THEN add, list, paid and list again work as typed', async () => {
    const console = await app.services.workspaces.ensure('console', 'console');
    await seedCollaboration(app, { id: console.id, timezone: console.timezone }, { name: 'Console Creator', title: 'Console collab', ownerId: 'maria', compensation: { currency: 'GBP' } });
    const first = await runConsole(app.router, ['payment add "Console collab" 250 GBP 2026-11-30', 'payment list']);
    expect(first).toContain('Added £250.00 for Console collab, due 2026-11-30.');
    expect(first).toContain('1 unpaid payment:');
    expect(first).toContain('Owed: £250.00');
    const { _id } = (await app.models.payments.findOne({ currency: 'GBP' }).lean())!;
    const second = await runConsole(app.router, [`payment paid ${String(_id)} REF-9`, 'payment list', 'payment list all']);
    expect(second).toContain('Marked £250.00 paid on 2026-11-23, on time. Reference: REF-9.');
    expect(second).toContain('No unpaid payments.');
    expect(second).toContain('paid 2026-11-23 (on time) · ref REF-9');
  });
});

describe('/payment add and paid: every amount and date form', () => {
  beforeAll(async () => {
    await seedCollaboration(app, workspace, { name: 'Ada Forms', title: 'Forms lab', ownerId: 'U0ADA', compensation: { currency: 'EUR' } });
  });

  it.each([
    ['1500', 'EUR', '€1,500.00'],
    ['1.500', 'EUR', '€1,500.00'],
    ['"1 500"', 'EUR', '€1,500.00'],
    ['1.500,50', 'EUR', '€1,500.50'],
    ['1,500.50', 'EUR', '€1,500.50'],
    ['€1,500', 'EUR', '€1,500.00'],
    ['"$1,500.00"', 'USD', '$1,500.00'],
    ['150000', 'JPY', '¥150,000'],
    ['1,500.250', 'KWD', 'KWD\u00a01,500.250'],
  ])('GIVEN payment add with %s %s THEN it is stored and shown as %s', async (amount, currency, shown) => {
    const { text } = await say(member, `payment add "Forms lab" ${amount} ${currency} 2026-12-10${currency === 'EUR' ? '' : ' currency-mismatch:yes'}`);
    expect(text).toContain(`Added ${shown} for Forms lab, due 2026-12-10.`);
  });

  it.each([
    ['tomorrow', '2026-11-24'],
    ['in 3 days', '2026-11-26'],
    ['Dec 10', '2026-12-10'],
    ['"28 Feb"', '2027-02-28'],
    ['"28 February 2027"', '2027-02-28'],
    ['30/11/2026', '2026-11-30'],
  ])('GIVEN a due date typed as %s THEN it is due %s', async (due, day) => {
    const { text } = await say(member, `payment add "Forms lab" 7 EUR ${due} label:due-${day}`);
    expect(text).toContain(`due ${day}.`);
  });

  it.each([
    ['20/11/2026 INV-881', '2026-11-20', 'INV-881'],
    ['"Nov 20" wire 4411', '2026-11-20', 'wire 4411'],
    ['Nov 20 wire 4411', '2026-11-20', 'wire 4411'],
    ['yesterday', '2026-11-22', undefined],
    ['INV-2026-9', '2026-11-23', 'INV-2026-9'],
  ])('GIVEN payment paid <id> %s THEN it is paid on %s with reference %s', async (rest, day, reference) => {
    const added = await say(member, `payment add "Forms lab" 11 EUR 2026-11-20`);
    const id = /id ([a-f0-9]{24})/.exec(added.text)![1]!;
    const { text } = await say(admin, `payment paid ${id} ${rest}`);
    expect(text).toContain(`Marked €11.00 paid on ${day}`);
    const stored = await app.models.payments.findById(id).lean();
    expect([localDay(stored!.paidAt!, 'America/New_York'), stored!.reference]).toEqual([day, reference]);
  });
});

describe('/payment add in another currency, and /payment reopen', () => {
  beforeAll(async () => {
    await seedCollaboration(app, workspace, { name: 'Rae Undo', title: 'Undo lab', ownerId: 'U0RAE', compensation: { currency: 'USD' } });
  });

  it('GIVEN a USD collaboration WHEN a payment in EUR is added THEN it is refused unless confirmed with currency-mismatch:yes', async () => {
    const before = await app.models.payments.countDocuments();
    const refused = await say(member, 'payment add "Undo lab" 100 EUR 2026-12-01');
    expect(refused.text).toBe(
      'Undo lab is in USD, this payment in EUR. Give the amount in USD, or add currency-mismatch:yes to keep EUR (its totals stay apart from USD, never converted).',
    );
    expect(refused.fieldErrors).toEqual({ currency: "differs from the collaboration's USD; add currency-mismatch:yes to keep it" });
    expect(await app.models.payments.countDocuments()).toBe(before);
    expect((await say(member, 'payment add "Undo lab" 100 EUR 2026-12-01 currency-mismatch:yes')).text).toContain('Added €100.00 for Undo lab, due 2026-12-01.');
  });

  it('GIVEN a payment marked paid by mistake WHEN a manager reopens it with a reason THEN it is scheduled again, the reason is shown and kept in its history; others are refused', async () => {
    const added = await say(member, 'payment add "Undo lab" 444 USD 2026-11-20');
    const id = /id ([a-f0-9]{24})/.exec(added.text)![1]!;
    await say(admin, `payment paid ${id} 2026-11-21 INV-9`);
    const refused = await say(member, `payment reopen ${id} wrong instalment`);
    expect(refused.text).toContain('Sorry, only workspace admins (no payment managers are named yet) can reopen payments. Nothing was changed.');
    expect(await app.models.payments.findById(id).lean()).toMatchObject({ status: 'paid', reference: 'INV-9' });

    const reopened = await say(admin, `payment reopen ${id} Marked paid on the wrong instalment`);
    expect(reopened.text).toContain('Reopened $444.00 due 2026-11-20: scheduled again, 3 days late. Reason: Marked paid on the wrong instalment');
    expect(reopened.text).toContain('was paid 2026-11-21 (ref INV-9) · reopened by @U0ADMIN');
    const stored = await app.models.payments.findById(id).lean();
    expect([stored!.status, stored!.paidAt, stored!.reference, stored!.reopenReason, stored!.reopenedById]).toEqual([
      'scheduled', undefined, undefined, 'Marked paid on the wrong instalment', 'U0ADMIN',
    ]);
    const history = await app.models.changes.find({ entityId: stored!._id }).sort({ at: 1, _id: 1 }).lean();
    expect(history.map((change) => change.action)).toEqual(['create', 'paid', 'reopen']);
    expect(history[2]!.fields.map((f) => [f.field, f.to])).toEqual([
      ['status', 'scheduled'],
      ['paidAt', null],
      ['reference', null],
      ['reopenReason', 'Marked paid on the wrong instalment'],
    ]);
    expect((await say(admin, 'payment list late Rae Undo')).text).toContain('$444.00 · due 2026-11-20 · 3 days late (reopened: Marked paid on the wrong instalment)');
    expect((await say(admin, `payment reopen ${id} again`)).text).toBe('This payment is scheduled, not paid, so there is nothing to reopen.');
    expect((await say(admin, `payment paid ${id}`)).text).toContain('Marked $444.00 paid on 2026-11-23');
  });

  it('GIVEN the console THEN reopen works as typed, and without a reason it asks for one', async () => {
    await runConsole(app.router, ['payment add "Console collab" 555 GBP 2026-11-20']);
    const id = String((await payment(55_500))!._id);
    const out = await runConsole(app.router, [`payment paid ${id}`, `payment reopen ${id}`, `payment reopen ${id} paid twice`]);
    expect(out).toContain('reason is required');
    expect(out).toContain('Reopened £555.00 due 2026-11-20: scheduled again, 3 days late. Reason: paid twice');
    expect(await payment(55_500)).toMatchObject({ status: 'scheduled', reopenReason: 'paid twice' });
  });
});
