import { beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { paymentFor } from '../../commands/payment-label';

/**
 * `/collab edit` typed as key:value on the console: what it saves, what the history says, and how
 * the open checklist and the unpaid planned payments follow the new terms while published content
 * and paid payments never change. A Paris workspace, a fake clock (Tuesday Nov 10, 2026).
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TZ = 'Europe/Paris';
const team = consoleCaller('console', 'maria');

const say = (line: string, caller: Caller = team) => sayAs(app, caller, line);

const collabNamed = (title: string) => app.models.collaborations.findOne({ title }).lean();
const idOf = async (title: string) => (await collabNamed(title))!._id;
const historyOf = async (title: string) => app.models.changes.find({ entityId: await idOf(title) }).sort({ at: 1, _id: 1 }).lean();

/** The checklist as read back from the database: every item, in due order. */
const checklistOf = async (title: string) =>
  (await app.models.contents.find({ collaborationId: await idOf(title) }).sort({ dueAt: 1, _id: 1 }).lean()).map((c) => ({
    type: c.type,
    month: c.month,
    due: c.dueAt ? localDay(c.dueAt, TZ) : null,
    status: c.status,
    slot: c.planSlot ? c.planSlot.replace(/^[a-f0-9]{24}:/, '') : null,
  }));

/** The payments as read back from the database, in due order. */
const paymentsOf = async (title: string) =>
  (await app.models.payments.find({ collaborationId: await idOf(title) }).sort({ dueAt: 1, _id: 1 }).lean()).map((p) => ({
    label: paymentFor(p),
    key: p.scheduleKey.replace(/^[a-f0-9]{24}:/, '').replace(/^replaced:[a-f0-9]{24}$/, 'replaced'),
    amountMinor: p.amountMinor,
    currency: p.currency,
    due: localDay(p.dueAt, TZ),
    status: p.status,
    ...(p.cancelCode ? { cancelCode: p.cancelCode } : {}),
    ...(p.cancelReason ? { cancelReason: p.cancelReason } : {}),
  }))
  // Same due day: the cancelled one first (ids made by the server and the driver do not sort together).
  .sort((a, b) => a.due.localeCompare(b.due) || a.status.localeCompare(b.status));

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-10T10:00:00Z', timezone: TZ });
  await say('irm settings timezone:Europe/Paris');
  await say('influencer add "Zoë Tran" @zoe.creates network:instagram');
});

describe('collab edit with key:value on the console', () => {
  beforeAll(async () => {
    await say('collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2" start:2026-11-01');
  });

  it('GIVEN a new title, goal, code and link THEN they are saved, the reply says what changed and the history records it with the card\'s labels', async () => {
    app.clock.set('2026-11-10T20:30:00Z');
    const out = await runConsole(app.router, ['collab edit "Spring launch" title:"Spring launch 2027" goal:image code:ZOE15 link:https://shop.example.com/?ref=zoe']);
    expect(out).toContain(
      'Saved Spring launch 2027: Title: Spring launch → Spring launch 2027; Goal: awareness → image; Discount code: (none) → ZOE15; Tracking link: (none) → https://shop.example.com/?ref=zoe.',
    );
    const saved = await collabNamed('Spring launch 2027');
    expect(saved).toMatchObject({ title: 'Spring launch 2027', titleKey: 'spring launch 2027', goal: 'image', discountCode: 'ZOE15', trackingLink: 'https://shop.example.com/?ref=zoe' });
    // The title's word keys follow the edit: a word of the new title finds it.
    const workspace = await app.models.collaborations.findById(saved!._id).select({ workspaceId: 1 }).lean();
    expect((await app.services.collaborations.suggest(String(workspace!.workspaceId), '2027', 25)).map((c) => c.title)).toEqual(['Spring launch 2027']);
    const last = (await historyOf('Spring launch 2027')).at(-1);
    expect(last).toMatchObject({
      action: 'edit',
      actorId: 'maria',
      at: new Date('2026-11-10T20:30:00Z'),
      fields: [
        { field: 'title', from: 'Spring launch', to: 'Spring launch 2027' },
        { field: 'goal', from: 'awareness', to: 'image' },
        { field: 'discountCode', from: null, to: 'ZOE15' },
        { field: 'trackingLink', from: null, to: 'https://shop.example.com/?ref=zoe' },
      ],
    });
    app.clock.set('2026-11-10T10:00:00Z');
  });

  it('GIVEN the values already stored THEN it says nothing changed and records nothing', async () => {
    const before = await historyOf('Spring launch 2027');
    const out = await runConsole(app.router, ['collab edit "Spring launch 2027" goal:image code:ZOE15']);
    expect(out).toContain('Nothing changed for Spring launch 2027: every value given is already on the collaboration.');
    expect(await historyOf('Spring launch 2027')).toHaveLength(before.length);
  });

  it('GIVEN code:- and a blank link THEN both are cleared', async () => {
    const out = await runConsole(app.router, ['collab edit "Spring launch 2027" code:- link:""']);
    expect(out).toContain('Saved Spring launch 2027: Discount code: ZOE15 → (none); Tracking link: https://shop.example.com/?ref=zoe → (none).');
    const saved = await collabNamed('Spring launch 2027');
    expect(saved?.discountCode).toBeUndefined();
    expect(saved?.trackingLink).toBeUndefined();
  });

  it('GIVEN `collab show <collab> history`, unquoted THEN the changes read like the card, newest first, in Paris time', async () => {
    const out = await runConsole(app.router, ['collab show Spring launch 2027 history']);
    expect(out).toContain('Spring launch 2027: changes');
    expect(out).toContain(
      '• 2026-11-10 21:30 · @maria edited · Title: Spring launch → Spring launch 2027; Goal: awareness → image; Discount code: (none) → ZOE15; Tracking link: (none) → https://shop.example.com/?ref=zoe',
    );
    expect(out).toContain('• 2026-11-10 11:00 · @maria edited · Discount code: ZOE15 → (none); Tracking link: https://shop.example.com/?ref=zoe → (none)');
    expect(out).toContain('• 2026-11-10 11:00 · @maria started it · Title: Spring launch; Goal: awareness');
    expect(out).toContain('3 changes · page 1 of 1 · newest first · times in Europe/Paris');
    expect(out.indexOf('21:30 · @maria edited')).toBeLessThan(out.indexOf('@maria started it'));
  });

  it('GIVEN the brief given the values it already has THEN it says nothing changed instead of Saved', async () => {
    await say('collab brief "Spring launch 2027" cta:"Shop with ZOE15"');
    const { text } = await say('collab brief "Spring launch 2027" cta:"Shop with ZOE15"');
    expect(text).toContain('Nothing changed in the brief for Spring launch 2027: every value given is already in it.');
    expect(text).not.toContain('Saved');
  });
});

describe('the checklist and planned payments follow the new terms; published content and paid payments never change', () => {
  let published: unknown;
  let paid: unknown;

  beforeAll(async () => {
    await say('collab new @zoe.creates "Winter" type:ambassador goal:sales expect:"post 2" fee:1000 currency:EUR schedule:monthly reporting-day:5 net:30 start:2026-10-01 end:2027-01-31');
    await say('content log Winter https://www.instagram.com/p/W1');
    const october = await app.models.payments.findOne({ collaborationId: await idOf('Winter'), scheduleKey: /monthly:2026-10$/ }).lean();
    expect((await say(`payment paid ${String(october!._id)}`)).text).toContain('Marked');
    published = await app.models.contents.findOne({ collaborationId: await idOf('Winter'), status: 'published' }).lean();
    paid = await app.models.payments.findOne({ _id: october!._id }).lean();
  });

  const unchangedRecords = async () => {
    expect(await app.models.contents.findOne({ _id: (published as { _id: unknown })._id }).lean()).toEqual(published);
    expect(await app.models.payments.findOne({ _id: (paid as { _id: unknown })._id }).lean()).toEqual(paid);
  };

  it('GIVEN the terms as created THEN the checklist and payments are the ones planned', async () => {
    expect(await checklistOf('Winter')).toEqual([
      { type: 'post', month: '2026-10', due: '2026-10-16', status: 'published', slot: '2026-10:post:1' },
      { type: 'post', month: '2026-10', due: '2026-10-31', status: 'planned', slot: '2026-10:post:2' },
      { type: 'post', month: '2026-11', due: '2026-11-15', status: 'planned', slot: '2026-11:post:1' },
      { type: 'post', month: '2026-11', due: '2026-11-30', status: 'planned', slot: '2026-11:post:2' },
    ]);
    expect(await paymentsOf('Winter')).toEqual([
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', key: 'monthly:2026-11', amountMinor: 100000, currency: 'EUR', due: '2026-12-05', status: 'scheduled' },
      { label: 'Reporting December 2026', key: 'monthly:2026-12', amountMinor: 100000, currency: 'EUR', due: '2027-01-04', status: 'scheduled' },
      { label: 'Reporting January 2027', key: 'monthly:2027-01', amountMinor: 100000, currency: 'EUR', due: '2027-02-04', status: 'scheduled' },
    ]);
  });

  it('GIVEN a new fee THEN every unpaid planned payment has it and the paid one keeps the old', async () => {
    const checklist = await checklistOf('Winter');
    const out = await runConsole(app.router, ['collab edit Winter fee:1200']);
    expect(out).toContain('Saved Winter: Fee: €1,000.00 → €1,200.00.');
    expect(out).toContain('Planned payments (3):');
    expect(out).toMatch(/• Reporting November 2026: €1,000.00 → €1,200.00 · due 2026-12-05 · id [a-f0-9]{24}/);
    expect(await paymentsOf('Winter')).toEqual([
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', key: 'monthly:2026-11', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', status: 'scheduled' },
      { label: 'Reporting December 2026', key: 'monthly:2026-12', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', status: 'scheduled' },
      { label: 'Reporting January 2027', key: 'monthly:2027-01', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', status: 'scheduled' },
    ]);
    expect(await checklistOf('Winter')).toEqual(checklist);
    await unchangedRecords();
    const last = (await historyOf('Winter')).at(-1);
    expect(last).toMatchObject({ action: 'edit', fields: [{ field: 'fee', from: { amountMinor: 100000, currency: 'EUR' }, to: { amountMinor: 120000, currency: 'EUR' } }] });
    const paymentHistory = await app.models.changes.find({ entity: 'payment', action: 'terms' }).lean();
    expect(paymentHistory.map((c) => c.fields)).toEqual([
      [{ field: 'amountMinor', from: 100000, to: 120000 }],
      [{ field: 'amountMinor', from: 100000, to: 120000 }],
      [{ field: 'amountMinor', from: 100000, to: 120000 }],
    ]);
  });

  it('GIVEN the schedule changed to once and back to monthly THEN the monthly payments are cancelled, the fee planned once, then the reverse', async () => {
    await say('collab edit Winter schedule:once');
    expect(await paymentsOf('Winter')).toEqual([
      { label: 'Fee', key: 'once', amountMinor: 120000, currency: 'EUR', due: '2026-10-31', status: 'scheduled' },
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting December 2026', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting January 2027', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', status: 'cancelled', cancelCode: 'terms-changed' },
    ]);
    const { text } = await say('collab edit Winter schedule:monthly');
    expect(text).toContain('Saved Winter: Fee schedule: once → monthly.');
    expect(await paymentsOf('Winter')).toEqual([
      { label: 'Fee', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2026-10-31', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting November 2026', key: 'monthly:2026-11', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', status: 'scheduled' },
      { label: 'Reporting December 2026', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting December 2026', key: 'monthly:2026-12', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', status: 'scheduled' },
      { label: 'Reporting January 2027', key: 'replaced', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', status: 'cancelled', cancelCode: 'terms-changed' },
      { label: 'Reporting January 2027', key: 'monthly:2027-01', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', status: 'scheduled' },
    ]);
    await unchangedRecords();
  });

  it('GIVEN the end shortened into this month THEN the payments after it are cancelled and this month\'s open posts move into the shorter month', async () => {
    const out = await runConsole(app.router, ['collab edit Winter end:2026-11-20']);
    expect(out).toContain('Saved Winter: End: 2027-01-31 → 2026-11-20.');
    expect(out).toContain('Checklist: post due 2026-11-15 → 2026-11-10; post due 2026-11-30 → 2026-11-20.');
    expect(await checklistOf('Winter')).toEqual([
      { type: 'post', month: '2026-10', due: '2026-10-16', status: 'published', slot: '2026-10:post:1' },
      { type: 'post', month: '2026-10', due: '2026-10-31', status: 'planned', slot: '2026-10:post:2' },
      { type: 'post', month: '2026-11', due: '2026-11-10', status: 'planned', slot: '2026-11:post:1' },
      { type: 'post', month: '2026-11', due: '2026-11-20', status: 'planned', slot: '2026-11:post:2' },
    ]);
    const dropped = { key: 'replaced', status: 'cancelled', cancelCode: 'terms-changed' };
    expect(await paymentsOf('Winter')).toEqual([
      { label: 'Fee', amountMinor: 120000, currency: 'EUR', due: '2026-10-31', ...dropped },
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', ...dropped },
      { label: 'Reporting November 2026', key: 'monthly:2026-11', amountMinor: 120000, currency: 'EUR', due: '2026-12-05', status: 'scheduled' },
      // December and January: cancelled once by `schedule:once`, and once more by the shorter end.
      { label: 'Reporting December 2026', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', ...dropped },
      { label: 'Reporting December 2026', amountMinor: 120000, currency: 'EUR', due: '2027-01-04', ...dropped },
      { label: 'Reporting January 2027', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', ...dropped },
      { label: 'Reporting January 2027', amountMinor: 120000, currency: 'EUR', due: '2027-02-04', ...dropped },
    ]);
    await unchangedRecords();
  });

  it('GIVEN a new currency without the fee THEN it is refused naming the fee and nothing changes', async () => {
    const before = JSON.stringify([await collabNamed('Winter'), await paymentsOf('Winter'), await historyOf('Winter')]);
    const { text, fieldErrors } = await say('collab edit Winter currency:USD');
    expect(text).toBe('fee is needed in USD when the currency changes from EUR: give fee: with currency:USD. Amounts are never converted between currencies');
    expect(Object.keys(fieldErrors ?? {})).toEqual(['fee']);
    expect(JSON.stringify([await collabNamed('Winter'), await paymentsOf('Winter'), await historyOf('Winter')])).toBe(before);
  });

  it('GIVEN a new currency with its fee THEN the unpaid payment is in it and the paid one stays in euros', async () => {
    const { text } = await say('collab edit Winter currency:USD fee:1300');
    expect(text).toContain('Saved Winter: Fee: €1,200.00 → $1,300.00; Currency: EUR → USD.');
    expect((await paymentsOf('Winter')).filter((p) => p.status !== 'cancelled')).toEqual([
      { label: 'Reporting October 2026', key: 'monthly:2026-10', amountMinor: 100000, currency: 'EUR', due: '2026-11-04', status: 'paid' },
      { label: 'Reporting November 2026', key: 'monthly:2026-11', amountMinor: 130000, currency: 'USD', due: '2026-12-05', status: 'scheduled' },
    ]);
    expect((await collabNamed('Winter'))?.compensation).toMatchObject({ feeMinor: 130000, currency: 'USD', schedule: 'monthly' });
    await unchangedRecords();
    const brief = await say('collab brief Winter');
    expect(brief.text).toContain('Payment: $1,300.00 per month, paid within 30 days of each reporting day');
    expect(brief.text).toContain('Dates: October 1, 2026 to November 20, 2026');
  });
});

describe('the console form, prefilled', () => {
  it('GIVEN `collab edit <collab>` THEN every field is asked with its value shown; Enter keeps, a new fee and "-" for the code save exactly that', async () => {
    await say('collab new @zoe.creates "Form test" type:review goal:awareness expect:"story 3" fee:400 currency:GBP code:FORM10 start:2026-11-01');
    // title, expect, fee, currency, end, schedule, net, start, type, goal, commission, product-only, code, link, reporting-day, owner, content
    const answers = ['', '', '450', '', '', '', '', '', '', '', '', '', '-', '', '', '', ''];
    const out = await runConsole(app.router, ['collab edit "Form test"', ...answers]);
    expect(out).toContain('Fee (blank if none) [400]: 450');
    expect(out).toContain('Discount code [FORM10]: -');
    expect(out).toContain('Saved Form test: Fee: £400.00 → £450.00; Discount code: FORM10 → (none).');
    const saved = await collabNamed('Form test');
    expect(saved?.compensation).toMatchObject({ feeMinor: 45000, currency: 'GBP', schedule: 'once' });
    expect(saved?.discountCode).toBeUndefined();
    expect(saved?.expectedPerMonth).toEqual([{ type: 'story', count: 3 }]);
  });
});

describe('nasty input is refused naming the field, and nothing is half-written', () => {
  const other = consoleCaller('other-team', 'eve');
  let otherId = '';
  let snapshot = '';
  const everything = async () =>
    JSON.stringify(
      await Promise.all([
        app.models.collaborations.find().sort({ _id: 1 }).lean(),
        app.models.contents.find().sort({ _id: 1 }).lean(),
        app.models.payments.find().sort({ _id: 1 }).lean(),
        app.models.changes.countDocuments(),
      ]),
    );

  beforeAll(async () => {
    await say('influencer add "Eve Noir" @eve.noir network:instagram', other);
    await say('collab new @eve.noir "Secret deal" type:review goal:sales fee:5000 currency:EUR', other);
    otherId = String((await collabNamed('Secret deal'))!._id);
    await say('collab new @zoe.creates "Nasty" type:review goal:sales fee:100 currency:EUR');
    snapshot = await everything();
  });

  it.each([
    ['a query object as the collaboration', 'collab edit {"$gt":""} title:x', 'No collaboration matches "{"$gt":""}"'],
    ['a query object as the fee', 'collab edit Nasty fee:{"$gt":""}', 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR'],
    ['a query object as the owner', 'collab edit Nasty owner:{"$gt":""}', 'owner must be a user mention like @maria'],
    ['a huge title', `collab edit Nasty title:${'x'.repeat(5000)}`, 'title is at most 200 characters'],
    ['a huge fee', 'collab edit Nasty fee:99999999999999999', 'fee is too large'],
    ['a mention in the title', 'collab edit Nasty title:"<!channel> sale"', 'title cannot contain mentions or @here/@channel codes: write names as plain text'],
    ['a blank title', 'collab edit Nasty title:-', 'title is required: it cannot be cleared'],
    ['a blank currency', 'collab edit Nasty currency:""', 'currency is required: it cannot be cleared'],
    ['an unknown schedule', 'collab edit Nasty schedule:weekly', 'schedule must be one of: once, monthly, per-deliverable'],
    ['an ambiguous day', 'collab edit Nasty end:10/11/2027', 'end: "10/11/2027" could be'],
    ['an end before the start', 'collab edit Nasty end:2026-10-01', 'end (2026-10-01) is before start (2026-11-10)'],
    ['a monthly schedule after the fee is cleared', 'collab edit Nasty fee:- schedule:monthly', 'fee is needed with schedule:monthly, like fee:1500'],
    ['a fee on product-only terms', 'collab edit Nasty product-only:yes', 'product-only:yes leaves no fee: clear the fee too (fee:-)'],
    ['a javascript link', 'collab edit Nasty link:javascript:alert(1)', 'link must be a web link starting with http:// or https://'],
    ['another workspace\'s collaboration by id', () => `collab edit ${otherId} title:Mine fee:1`, 'No collaboration matches'],
  ])('GIVEN %s THEN it is refused and nothing changes', async (_what, line, message) => {
    const { text, refused } = await say(typeof line === 'function' ? line() : line);
    expect(text).toContain(message);
    expect(refused).toBe(true);
    expect(await everything()).toBe(snapshot);
  });

  it('GIVEN three problems in one edit THEN each is named on its own field, all at once, and nothing changes', async () => {
    const { text, fieldErrors, refused } = await say('collab edit Nasty currency:USD product-only:yes end:2026-10-01');
    expect(refused).toBe(true);
    expect(text).toBe(
      [
        'fee is needed in USD when the currency changes from EUR: give fee: with currency:USD. Amounts are never converted between currencies',
        'product-only:yes leaves no fee: clear the fee too (fee:-)',
        'end (2026-10-01) is before start (2026-11-10)',
      ].join('\n'),
    );
    expect(fieldErrors).toEqual({
      fee: 'fee is needed in USD when the currency changes from EUR: give fee: with currency:USD. Amounts are never converted between currencies',
      'product-only': 'product-only:yes leaves no fee: clear the fee too (fee:-)',
      end: 'end (2026-10-01) is before start (2026-11-10)',
    });
    expect(await everything()).toBe(snapshot);
  });

  it('GIVEN a unicode title THEN it is saved as typed and found again without its accents', async () => {
    const { text } = await say('collab edit Nasty title:"Été 🌸 Zoë"');
    expect(text).toContain('Saved Été 🌸 Zoë: Title: Nasty → Été 🌸 Zoë.');
    expect(await collabNamed('Été 🌸 Zoë')).toMatchObject({ titleKey: 'ete 🌸 zoe' });
    expect((await say('collab edit "ete 🌸 zoe" code:ÉTÉ15')).text).toContain('Saved Été 🌸 Zoë: Discount code: (none) → ÉTÉ15.');
    expect((await app.models.collaborations.findById(otherId).lean())?.title).toBe('Secret deal');
  });
});

describe('planned payments keep what a manager changed by hand; an owner change moves only owners; a cut-short edit is finished by retyping it', () => {
  const li = { platform: 'console', workspaceExternalId: 'console', actor: { id: 'li', isAdmin: async () => false } } as Caller;
  const owned = async () =>
    (await app.models.payments.find({ collaborationId: await idOf('Ski season') }).sort({ dueAt: 1, _id: 1 }).lean()).map((p) => ({
      key: p.scheduleKey.replace(/^[a-f0-9]{24}:/, ''),
      amountMinor: p.amountMinor,
      due: localDay(p.dueAt, TZ),
      ownerId: p.ownerId,
      status: p.status,
    }));

  beforeAll(async () => {
    await say('collab new @zoe.creates "Ski season" type:ambassador goal:sales fee:1000 currency:EUR schedule:monthly reporting-day:5 start:2026-11-01 end:2027-01-31');
    const december = await app.models.payments.findOne({ collaborationId: await idOf('Ski season'), scheduleKey: /monthly:2026-12$/ }).lean();
    expect((await say(`payment edit ${String(december!._id)} amount:1250 due:2027-01-20`)).refused).toBeUndefined();
  });

  it('GIVEN December edited by hand to €1,250 due 2027-01-20 WHEN the owner changes THEN December keeps its amount and due day and every unpaid payment has the new owner', async () => {
    const { text, refused } = await say('collab edit "Ski season" owner:@li');
    expect(refused).toBeUndefined();
    expect(text).toContain('Saved Ski season: Owner: @maria → @li.');
    expect(await owned()).toEqual([
      { key: 'monthly:2026-11', amountMinor: 100000, due: '2026-12-05', ownerId: 'li', status: 'scheduled' },
      { key: 'monthly:2026-12', amountMinor: 125000, due: '2027-01-20', ownerId: 'li', status: 'scheduled' },
      { key: 'monthly:2027-01', amountMinor: 100000, due: '2027-02-04', ownerId: 'li', status: 'scheduled' },
    ]);
  });

  it('GIVEN someone who is not a payment manager WHEN they change only the owner THEN it is saved and the unpaid payments follow the owner', async () => {
    const { text, refused } = await say('collab edit "Ski season" owner:@maria', li);
    expect(refused).toBeUndefined();
    expect(text).toContain('Saved Ski season: Owner: @li → @maria.');
    expect((await owned()).map((p) => [p.amountMinor, p.due, p.ownerId])).toEqual([
      [100000, '2026-12-05', 'maria'],
      [125000, '2027-01-20', 'maria'],
      [100000, '2027-02-04', 'maria'],
    ]);
    // A fee is still theirs to refuse.
    expect((await say('collab edit "Ski season" fee:1100', li)).refused).toBe(true);
  });

  it('GIVEN a new fee and net days THEN the payments not edited by hand take them and December keeps its hand-edited amount and due day', async () => {
    const { text } = await say('collab edit "Ski season" fee:1100 net:45');
    expect(text).toContain('Planned payments (2):');
    expect(await owned()).toEqual([
      { key: 'monthly:2026-11', amountMinor: 110000, due: '2026-12-20', ownerId: 'maria', status: 'scheduled' },
      { key: 'monthly:2026-12', amountMinor: 125000, due: '2027-01-20', ownerId: 'maria', status: 'scheduled' },
      { key: 'monthly:2027-01', amountMinor: 110000, due: '2027-02-19', ownerId: 'maria', status: 'scheduled' },
    ]);
  });

  it('GIVEN an edit cut short after its terms were written WHEN it is typed again THEN the payments follow the terms, and a third time nothing changed', async () => {
    // The terms written, the payments not: what a crash between the two writes leaves.
    await app.models.collaborations.updateOne({ _id: await idOf('Ski season') }, { $set: { 'compensation.feeMinor': 120000 } });
    const { text } = await say('collab edit "Ski season" fee:1200');
    expect(text).toContain('Every value given is already on Ski season; its checklist and planned payments were behind its terms and now follow them.');
    expect(text).toContain('Planned payments (2):');
    expect(await owned()).toEqual([
      { key: 'monthly:2026-11', amountMinor: 120000, due: '2026-12-20', ownerId: 'maria', status: 'scheduled' },
      { key: 'monthly:2026-12', amountMinor: 125000, due: '2027-01-20', ownerId: 'maria', status: 'scheduled' },
      { key: 'monthly:2027-01', amountMinor: 120000, due: '2027-02-19', ownerId: 'maria', status: 'scheduled' },
    ]);
    expect((await say('collab edit "Ski season" fee:1200')).text).toContain('Nothing changed for Ski season: every value given is already on the collaboration.');
  });
});

describe('a currency change once revenue is recorded', () => {
  it('GIVEN revenue recorded in USD WHEN the currency is changed THEN it is refused naming both currencies, and nothing changes', async () => {
    await say('collab new @zoe.creates "Comm code" type:affiliate goal:sales product-only:yes commission:10 currency:USD start:2026-11-01');
    await say('content log "Comm code" https://www.youtube.com/watch?v=cc1 published:2026-11-05');
    expect((await say('content metrics https://www.youtube.com/watch?v=cc1 revenue:1000')).refused).toBeFalsy();
    const before = { collab: await collabNamed('Comm code'), payments: await paymentsOf('Comm code') };
    expect(before.payments.map((p) => [p.amountMinor, p.currency])).toEqual([[10000, 'USD']]);

    const refused = await say('collab edit "Comm code" currency:JPY');
    expect(refused.refused).toBe(true);
    expect(refused.text).toContain('currency stays USD: revenue is already recorded on Comm code in USD, and amounts are never converted (it would read as JPY).');
    expect(await collabNamed('Comm code')).toEqual(before.collab);
    expect(await paymentsOf('Comm code')).toEqual(before.payments);
  });
});
