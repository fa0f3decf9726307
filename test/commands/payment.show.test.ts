import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { ADMIN_PERMISSIONS, USER_MARIA, OptionType, autocomplete, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/payment show <payment>`: a payment's details and its history (added or planned, edited,
 * paid, reopened, cancelled, moved by new terms), newest first, ten a page, on the console, Slack
 * and Discord; anyone who may list payments may read it, privately; other workspaces' ids and
 * operator objects are refused like every payment command refuses them.
 */

const ADMIN = { teamId: 'T0TEAM', userId: 'U0ALICE', userName: 'alice' };
const MEMBER = { teamId: 'T0TEAM', userId: 'U0BOB', userName: 'bob' };
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

const HOUR = 3_600_000;
const say = async (...lines: string[]) => runConsole(app.router, lines, 'maria');
/** What the console printed for one line, without the line itself. */
const shown = async (line: string) => (await say(line)).split('\n').slice(1).join('\n').trimEnd();
const paymentOf = async (amountMinor: number) => String((await app.models.payments.findOne({ amountMinor }).lean())!._id);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  await say(
    'influencer add "Ana Lima" @ana.lima network:tiktok',
    'collab new @ana.lima "Summer code" type:review goal:awareness expect:"post 1" start:2026-11-01 currency:EUR',
  );
});

describe('on the console', () => {
  it('GIVEN a payment added, edited, moved to another currency, paid and reopened THEN show gives its details and every change newest first, each amount in its currency then', async () => {
    await say('payment add "Summer code" 1,500 EUR 2026-12-10 label:"Extra story"');
    const id = await paymentOf(150_000);
    app.clock.advance(HOUR);
    await say(`payment edit ${id} amount:1600 due:2026-12-15`);
    app.clock.advance(HOUR);
    await say(`payment edit ${id} amount:1800 currency:USD currency-mismatch:yes`);
    app.clock.advance(HOUR);
    await say(`payment paid ${id} 2026-11-20 INV-881`);
    app.clock.advance(HOUR);
    await say(`payment reopen ${id} Wrong instalment`);
    const collabId = String((await app.models.collaborations.findOne({ title: 'Summer code' }).lean())!._id);

    expect(await shown(`payment show ${id}`)).toBe(
      [
        '== $1,800.00 to Ana Lima ==',
        'Collaboration: Summer code',
        'Creator: Ana Lima',
        'For: Extra story',
        'Amount: $1,800.00',
        'Due: 2026-12-15',
        'Status: due in 22 days (reopened: Wrong instalment)',
        'Reopened: 2026-11-23 15:00 by @maria: Wrong instalment',
        'Owner: @maria',
        'Added: 2026-11-23 11:00 by @maria',
        'History',
        '• 2026-11-23 15:00 · @maria reopened it · Paid on: 2026-11-20 → (none); Reference: INV-881 → (none); Reason: Wrong instalment',
        '• 2026-11-23 14:00 · @maria marked it paid · Paid on: 2026-11-20; Reference: INV-881',
        '• 2026-11-23 13:00 · @maria edited · Amount: €1,600.00 → $1,800.00; Currency: EUR → USD',
        '• 2026-11-23 12:00 · @maria edited · Amount: €1,500.00 → €1,600.00; Due: 2026-12-10 → 2026-12-15',
        '• 2026-11-23 11:00 · @maria added it · Amount: €1,500.00; Due: 2026-12-10',
        `5 changes · page 1 of 1 · newest first · times in Europe/Paris · id ${id}`,
        `[Mark paid: payment paid ${id}]  [Show collaboration: collab show ${collabId}]`,
      ].join('\n'),
    );
  });

  it('GIVEN twelve changes THEN page 1 holds the ten newest with Next, page 2 the two oldest with Previous, and a page past the end says so', async () => {
    await say('payment add "Summer code" 90 EUR 2026-12-20');
    const id = await paymentOf(9_000);
    for (let n = 1; n <= 11; n += 1) {
      app.clock.advance(60_000);
      await say(`payment edit ${id} label:"Take ${n}"`);
    }
    const history = (text: string) => text.split('\n').filter((line) => line.startsWith('• '));
    const first = await shown(`payment show ${id}`);
    expect(history(first).map((line) => line.split(' · ').slice(2).join(' · '))).toEqual([
      'For: Take 10 → Take 11',
      'For: Take 9 → Take 10',
      'For: Take 8 → Take 9',
      'For: Take 7 → Take 8',
      'For: Take 6 → Take 7',
      'For: Take 5 → Take 6',
      'For: Take 4 → Take 5',
      'For: Take 3 → Take 4',
      'For: Take 2 → Take 3',
      'For: Take 1 → Take 2',
    ]);
    expect(first).toContain(`12 changes · page 1 of 2 · newest first · times in Europe/Paris · id ${id}\n[Next: payment show ${id} page:2]`);
    const second = await shown(`payment show ${id} page:2`);
    expect(history(second).map((line) => line.split(' · ').slice(1).join(' · '))).toEqual([
      '@maria edited · For: Take 1',
      '@maria added it · Amount: €90.00; Due: 2026-12-20',
    ]);
    expect(second).toContain(`12 changes · page 2 of 2 · newest first · times in Europe/Paris · id ${id}\n[Previous: payment show ${id} page:1]  [Mark paid:`);
    const past = await shown(`payment show ${id} page:7`);
    expect(past).toContain('History\nNo changes on this page.\n12 changes · page 2 of 2');
    expect(past).toContain(`[Previous: payment show ${id} page:2]`);
  });

  it('GIVEN a payment planned from the terms, moved by a new fee, then cancelled THEN show says who did each and why, the reason as typed', async () => {
    app.clock.set('2026-11-23T14:00:00Z');
    await say('collab new @ana.lima "Winter box" type:review goal:awareness expect:"post 1" start:2026-11-01 fee:800 currency:EUR schedule:once net:14');
    const id = await paymentOf(80_000);
    app.clock.advance(HOUR);
    await say('collab edit "Winter box" fee:900');
    app.clock.advance(HOUR);
    await say(`payment cancel ${id} Deal called off — désolée`);
    expect((await app.models.payments.findById(id).lean())).toMatchObject({ status: 'cancelled', amountMinor: 90_000, cancelReason: 'Deal called off — désolée' });
    const text = await shown(`payment show ${id}`);
    expect(text.split('\n').slice(0, 13)).toEqual([
      '== €900.00 to Ana Lima ==',
      'Collaboration: Winter box',
      'Creator: Ana Lima',
      'For: Fee',
      'Amount: €900.00',
      'Due: 2026-11-15',
      'Status: cancelled: Deal called off — désolée',
      'Cancelled: 2026-11-23 17:00 by @maria: Deal called off — désolée',
      'Owner: @maria',
      'Planned: 2026-11-23 15:00 by @maria from the terms',
      'History',
      '• 2026-11-23 17:00 · @maria cancelled it · Reason: Deal called off — désolée',
      '• 2026-11-23 16:00 · @maria moved it to the new terms · Amount: €800.00 → €900.00',
    ]);
    expect(text.split('\n')[13]).toBe('• 2026-11-23 15:00 · @maria planned it from the terms');
    // Cancelled: nothing left to mark paid.
    expect(text).not.toContain('[Mark paid:');
  });

  it('GIVEN another workspace\'s payment id, an operator object, a huge id or page 0 THEN each is refused and nothing is shown', async () => {
    const theirs = await app.services.workspaces.ensure('console', 'team-b');
    const { collaboration } = await import('../helpers/scheduler').then(({ seedCollaboration }) => seedCollaboration(app, theirs, { title: 'Their launch', ownerId: 'bob' }));
    const payment = await app.services.paymentStates.add(theirs, { collaboration, amountMinor: 4_200, currency: 'USD', dueOn: '2026-12-01' }, 'bob');
    const id = String(payment._id);
    expect(await shown(`payment show ${id}`)).toBe(`No payment with id "${id}" here. \`/payment list\` shows each payment's id.`);
    expect(await shown('payment show \'{"$gt": ""}\'')).toBe('No payment with id "{"$gt": ""}" here. `/payment list` shows each payment\'s id.');
    expect(await shown(`payment show ${'x'.repeat(3000)}`)).toContain('payment is at most 40 characters');
    expect(await shown(`payment show ${id} page:0`)).toContain('page starts at 1');
    expect(await shown('payment show')).toContain('payment is required');
  });
});

describe('on Slack and Discord', () => {
  let api: RecordingApi;
  let slackApp: SlackApp;
  let discord: DiscordApp;
  let as: SlackRequests;
  let slackPayment = '';

  beforeAll(async () => {
    slackApp = await startSlackApp(app.router, connection, { user: ADMIN });
    ({ api, as } = slackApp);
    api.respond((r) =>
      r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: r.body.user === 'U0ALICE', is_owner: false } } } : undefined,
    );
    discord = await startDiscordApp(app.router, { api, deferAfterMs: 2500 });
  });

  afterAll(async () => {
    await discord?.stop();
    await slackApp?.stop();
  });

  const slackAnswer = async (sent: { responseUrl: string }) =>
    (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { text: string; response_type: string; blocks: Array<{ type: string }> };

  const send = (d: Record<string, any>) => discord.send(d);

  it('GIVEN a payment a manager marked paid on Slack THEN a member (who may list payments) reads it and its history, privately', async () => {
    app.clock.set('2026-11-24T08:00:00Z');
    await slackAnswer(await as.command('/influencer', 'add "Zoë Tran" @zoe.creates network:instagram'));
    await slackAnswer(await as.command('/collab', 'new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 1" start:2026-11-01 currency:USD'));
    await slackAnswer(await as.command('/payment', 'add "Spring launch" 2,500 USD 2026-11-30'));
    slackPayment = await paymentOf(250_000);
    app.clock.advance(HOUR);
    await slackAnswer(await as.command('/payment', `paid ${slackPayment} yesterday wire 4411`));
    expect(await app.models.payments.findById(slackPayment).lean()).toMatchObject({ status: 'paid', reference: 'wire 4411', paidById: 'U0ALICE' });

    const answer = await slackAnswer(await as.command('/payment', `show ${slackPayment}`, { user: MEMBER }));
    expect(answer.response_type).toBe('ephemeral');
    const collabId = String((await app.models.collaborations.findOne({ title: 'Spring launch' }).lean())!._id);
    expect(answer.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '$2,500.00 to Zoë Tran', emoji: true } },
      {
        type: 'section',
        fields: [
          '*Collaboration*\nSpring launch',
          '*Creator*\nZoë Tran',
          '*For*\n(none)',
          '*Amount*\n$2,500.00',
          '*Due*\n2026-11-30',
          '*Status*\npaid 2026-11-23 (on time) · ref wire 4411',
          '*Paid*\n2026-11-23 by <@U0ALICE> · ref wire 4411',
          '*Owner*\n<@U0ALICE>',
          '*Added*\n2026-11-24 09:00 by <@U0ALICE>',
        ].map((text) => ({ type: 'mrkdwn', text })),
      },
      { type: 'section', text: { type: 'mrkdwn', text: '*History*' } },
      { type: 'section', text: { type: 'mrkdwn', text: '• 2026-11-24 10:00 · <@U0ALICE> marked it paid · Paid on: 2026-11-23; Reference: wire 4411' } },
      { type: 'section', text: { type: 'mrkdwn', text: '• 2026-11-24 09:00 · <@U0ALICE> added it · Amount: $2,500.00; Due: 2026-11-30' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `2 changes · page 1 of 1 · newest first · times in Europe/Paris · id ${slackPayment}` }] },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'irm:run:0', text: { type: 'plain_text', text: 'Show collaboration', emoji: true }, value: `collab show ${collabId}` }],
      },
    ]);
  });

  it('GIVEN a console workspace\'s payment id or an operator object on Slack THEN it is not found here', async () => {
    const consoles = await paymentOf(180_000);
    expect((await slackAnswer(await as.command('/payment', `show ${consoles}`, { user: MEMBER }))).text).toBe(
      `No payment with id "${consoles}" here. \`/payment list\` shows each payment's id.`,
    );
    expect((await slackAnswer(await as.command('/payment', 'show \'{"$gt": ""}\'', { user: MEMBER }))).text).toBe(
      'No payment with id "{"$gt": ""}" here. `/payment list` shows each payment\'s id.',
    );
  });

  it('GIVEN /payment show on Discord THEN a paid payment is suggested as its id is typed, and the answer is ephemeral with its history', async () => {
    const guild = await app.services.workspaces.ensure('discord', '1100000000000000001');
    await send(slashCommand('add', [
      { name: 'name', type: OptionType.String, value: 'Bo Park' },
      { name: 'handle', type: OptionType.String, value: '@bo.park' },
      { name: 'network', type: OptionType.String, value: 'youtube' },
    ]));
    await send(slashCommand('new', [
      { name: 'who', type: OptionType.String, value: '@bo.park' },
      { name: 'title', type: OptionType.String, value: 'Tech week' },
      { name: 'type', type: OptionType.String, value: 'review' },
      { name: 'goal', type: OptionType.String, value: 'awareness' },
      { name: 'expect', type: OptionType.String, value: 'video 1' },
      { name: 'currency', type: OptionType.String, value: 'USD' },
    ], { permissions: ADMIN_PERMISSIONS }, 'collab'));
    const collaboration = (await app.models.collaborations.findOne({ title: 'Tech week', workspaceId: guild.id }).lean())!;
    const payment = await app.services.paymentStates.add(guild, { collaboration, amountMinor: 30_000, currency: 'USD', dueOn: '2026-11-20' }, 'U1');
    const id = String(payment._id);
    await app.services.paymentStates.markPaid(guild, payment, { paidAt: new Date('2026-11-21T12:00:00Z') }, 'U1');

    const suggested = await send(autocomplete('show', 'payment', 'tech', {}, 'payment'));
    expect(suggested.data.choices).toEqual([{ name: 'Bo Park · Tech week · $300.00 · due 2026-11-20 (paid)', value: id }]);
    const openOnly = await send(autocomplete('paid', 'payment', 'tech', {}, 'payment'));
    expect(openOnly.data.choices).toEqual([]);

    const shownOnDiscord = await send(slashCommand('show', [{ name: 'payment', type: OptionType.String, value: id }], {}, 'payment'));
    expect(shownOnDiscord.data.flags).toBe(64);
    const [embed] = shownOnDiscord.data.embeds;
    expect(embed.title).toBe('$300.00 to Bo Park');
    expect(embed.fields.map((f: { name: string; value: string }) => `${f.name}: ${f.value}`)).toEqual([
      'Collaboration: Tech week',
      'Creator: Bo Park',
      'For: (none)',
      'Amount: $300.00',
      'Due: 2026-11-20',
      'Status: paid 2026-11-21 (late)',
      'Paid: 2026-11-21 by <@U1>',
      `Owner: <@${USER_MARIA}>`,
      'Added: 2026-11-24 10:00 by <@U1>',
      '\u200b: **History**',
      '\u200b: • 2026-11-24 10:00 · <@U1> marked it paid · Paid on: 2026-11-21',
      '\u200b: • 2026-11-24 10:00 · <@U1> added it · Amount: $300.00; Due: 2026-11-20',
    ]);
    expect(embed.footer.text).toBe(`2 changes · page 1 of 1 · newest first · times in Europe/Paris · id ${id}`);
  });
});
