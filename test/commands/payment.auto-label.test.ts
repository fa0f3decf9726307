import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/csv/csv';
import { migrate } from '../../src/domain/services';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { ADMIN_PERMISSIONS, OptionType, slashCommand } from '../helpers/discord-interactions';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';
import { buildPerPieceApp } from '../helpers/per-piece';

/**
 * The bot's name for a payment it planned is data (`autoLabel`), worded by the views; `label` is
 * only what a person typed, and wins wherever a payment is shown. Typed on the console in the
 * per-piece world (UTC, Monday 2026-11-23, `fin` manages payments), with a one-off fee, a monthly
 * reporting fee, a per-piece payment and one added by hand: the list, the card and the export read
 * as before; clearing a typed label shows the bot's name again; payments stored by the version
 * that kept the bot's name as text are converted at start, typed ones left as typed.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildPerPieceApp>>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'auto-label-'));
const as = (user: string, ...lines: string[]) => runConsole(app.router, lines, user, dataDir);
const payments = () => app.models.payments.find().sort({ dueAt: 1, scheduleKey: 1 }).lean();
/** Each payment's kind of key, typed label and bot's name as stored, by due day. */
const stored = async () =>
  (await payments()).map((p) => [p.scheduleKey.replace(/^[a-f0-9]{24}:/, '').replace(/^(content|manual|replaced):.*/, '$1'), p.label ?? null, p.autoLabel ?? null]);
const byKey = async (suffix: string) => (await app.models.payments.findOne({ scheduleKey: { $regex: `${suffix}$` } }).lean())!;
/** `/payment list all`'s lines, without the ids. */
const listed = async () =>
  (await as('fin', 'payment list all'))
    .split('\n')
    .filter((line) => line.startsWith('• '))
    .map((line) => line.replace(/ · id [a-f0-9]{24}.*$/, ''));
const showFor = async (id: unknown) => (await as('fin', `payment show ${String(id)}`)).split('\n').find((line) => line.startsWith('For: '));

beforeAll(async () => {
  app = await buildPerPieceApp(connection);
  await as(
    'fin',
    'collab new @zoe.creates "One off" type:review goal:awareness fee:300 currency:EUR schedule:once net:14 start:2026-11-20',
    'collab new @zoe.creates "Monthly" type:ambassador goal:awareness fee:1000 currency:EUR schedule:monthly reporting-day:5 net:10 start:2026-11-01 end:2027-01-31',
    'content log "Per piece" https://www.instagram.com/p/AUTO1/ published:2026-11-20',
    'content log "Per piece" https://www.instagram.com/p/AUTO2/ published:2026-11-21',
    'payment add "Monthly" 50 EUR 2026-12-19 label:Fee',
    'collab new @zoe.creates "Code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR start:2026-11-01',
    'content log "Code" https://www.youtube.com/watch?v=auto3 published:2026-11-20',
    'content metrics https://www.youtube.com/watch?v=auto3 revenue:1000',
  );
});

const STORED = [
  ['monthly:2026-11', null, { kind: 'reporting', on: '2026-11' }],
  ['once', null, { kind: 'fee' }],
  ['monthly:2026-12', null, { kind: 'reporting', on: '2026-12' }],
  ['manual', 'Fee', null],
  ['content', null, { kind: 'deliverable', on: '2026-11-20' }],
  ['content', null, { kind: 'deliverable', on: '2026-11-21' }],
  ['commission:2026-11', null, { kind: 'commission', on: '2026-11' }],
  ['monthly:2027-01', null, { kind: 'reporting', on: '2027-01' }],
];

const LISTED = [
  '• Zoë Tran · Monthly (Reporting January 2027) · €1,000.00 · due 2027-01-15 · due in 53 days · owner @fin',
  '• Zoë Tran · Code (Commission November 2026) · €100.00 · due 2026-12-31 · due in 38 days · owner @fin',
  '• Zoë Tran · Per piece (Deliverable published 2026-11-21) · €500.00 · due 2026-12-21 · due in 28 days · owner @fin',
  '• Zoë Tran · Per piece (Deliverable published 2026-11-20) · €500.00 · due 2026-12-20 · due in 27 days · owner @fin',
  '• Zoë Tran · Monthly (Fee) · €50.00 · due 2026-12-19 · due in 26 days · owner @fin',
  '• Zoë Tran · Monthly (Reporting December 2026) · €1,000.00 · due 2026-12-15 · due in 22 days · owner @fin',
  '• Zoë Tran · One off (Fee) · €300.00 · due 2026-12-04 · due in 11 days · owner @fin',
  '• Zoë Tran · Monthly (Reporting November 2026) · €1,000.00 · due 2026-11-15 · 8 days late · owner @fin',
];

describe('the names of planned payments', () => {
  it('GIVEN payments planned from the terms THEN each stores the bot\'s name as data and no label, and the list and card word it as before', async () => {
    expect(await stored()).toEqual(STORED);
    expect(await listed()).toEqual(LISTED);
    expect(await showFor((await byKey(':monthly:2026-12'))._id)).toBe('For: Reporting December 2026');
    // Planning again rewrites and duplicates nothing (the upsert stamps `updatedAt`, as it always did).
    const unstamped = async () => (await payments()).map(({ updatedAt: _stamp, ...p }) => p);
    const before = await unstamped();
    expect(await as('fin', 'payment schedule "Monthly"', 'payment schedule "Per piece"', 'payment schedule "One off"')).toContain('Nothing new for Monthly: its 3 planned payments exist already');
    expect(await unstamped()).toEqual(before);
    expect(await migrate(app.services)).toMatchObject({ autoLabels: 0 });
  });

  it('GIVEN a typed label on a per-piece payment WHEN the piece moves THEN the typed label stays shown; WHEN it is cleared THEN the bot\'s name for the new day shows, and the history says so', async () => {
    const piece = (await app.models.contents.findOne({ url: 'https://www.instagram.com/p/AUTO2/' }).lean())!;
    const payment = await byKey(`:content:${String(piece._id)}`);
    const id = String(payment._id);
    expect(await as('fin', `payment edit ${id} label:"Zoë's reel 🎉"`)).toContain("Saved: €500.00 due 2026-12-21 (Zoë's reel 🎉).");
    expect(await as('fin', `content edit ${String(piece._id)} published:2026-11-22`)).toContain('Its payment of €500.00 is now due 2026-12-22 (was 2026-12-21).');
    expect(await showFor(id)).toBe("For: Zoë's reel 🎉");
    expect((await listed()).filter((line) => line.includes('Per piece'))[0]).toBe("• Zoë Tran · Per piece (Zoë's reel 🎉) · €500.00 · due 2026-12-22 · due in 29 days · owner @fin");
    expect(await app.models.payments.findById(id).lean()).toMatchObject({ label: "Zoë's reel 🎉", autoLabel: { kind: 'deliverable', on: '2026-11-22' } });

    expect(await as('fin', `payment edit ${id} label:-`)).toContain('Saved: €500.00 due 2026-12-22 (Deliverable published 2026-11-22).');
    expect(await showFor(id)).toBe('For: Deliverable published 2026-11-22');
    expect((await app.models.payments.findById(id).lean())!.label).toBeUndefined();
    const history = (await as('fin', `payment show ${id}`)).split('\n').filter((line) => line.startsWith('• ')).map((line) => line.split(' · ').slice(1).join(' · '));
    expect(history.slice(0, 3)).toEqual([
      "@fin edited · For: Zoë's reel 🎉 → Deliverable published 2026-11-22",
      '@fin moved it with its piece · Due: 2026-12-21 → 2026-12-22',
      "@fin edited · For: Zoë's reel 🎉",
    ]);
  });

  it('GIVEN a typed label on a payment added by hand WHEN it is cleared THEN nothing names it but its collaboration', async () => {
    const added = await as('fin', 'payment add "One off" 20 EUR 2026-12-24 label:Courier');
    const id = /id ([a-f0-9]{24})/.exec(added)![1]!;
    expect(await as('fin', `payment edit ${id} label:-`)).toContain('Saved: €20.00 due 2026-12-24.');
    expect(await showFor(id)).toBe('For: (none)');
    expect((await as('fin', `payment show ${id}`)).split('\n').filter((line) => line.startsWith('• '))[0]!.split(' · ').slice(1).join(' · ')).toBe('@fin edited · For: Courier → (none)');
    expect((await listed()).find((line) => line.includes('€20.00'))).toBe('• Zoë Tran · One off · €20.00 · due 2026-12-24 · due in 31 days · owner @fin');
    await as('fin', `payment cancel ${id} Not needed`);
  });

  it('GIVEN payments stored by the version that kept the bot\'s names as text WHEN the app starts THEN those become its names as data, typed ones stay typed, every list reads the same, and a second start changes nothing', async () => {
    const pieceId = async (url: string) => String((await app.models.contents.findOne({ url }).lean())!._id);
    const [first, fourth] = [await pieceId('https://www.instagram.com/p/AUTO1/'), await pieceId('https://www.instagram.com/p/AUTO4/').catch(() => '')];
    expect(fourth).toBe('');
    await as('fin', 'content log "Per piece" https://www.instagram.com/p/AUTO4/ published:2026-11-18');
    const stale = await pieceId('https://www.instagram.com/p/AUTO4/');
    // A label typed equal to the bot's text is still typed (its history says so); another typed one;
    // new terms free January's key; a piece moved (the older version's name kept its first day).
    await as(
      'fin',
      `payment edit ${String((await byKey(':once'))._id)} label:Fee`,
      `payment edit ${String((await byKey(`:content:${first}`))._id)} label:"Invoice 9"`,
      'collab edit "Monthly" end:2026-12-31',
      `content edit ${stale} published:2026-11-17`,
    );

    // As the older version left them: the bot's name as English text in `label`, no `autoLabel`.
    const OLD_TEXT: Record<string, string> = {
      'reporting 2026-11': 'Reporting November 2026',
      'reporting 2026-12': 'Reporting December 2026',
      'reporting 2027-01': 'Reporting January 2027',
      'commission 2026-11': 'Commission November 2026',
      'deliverable 2026-11-22': 'Deliverable published 2026-11-22',
      'deliverable 2026-11-17': 'Deliverable published 2026-11-18',
    };
    for (const p of await payments()) {
      if (!p.autoLabel) continue;
      const text = p.label ?? OLD_TEXT[`${p.autoLabel.kind} ${p.autoLabel.on}`];
      await app.models.payments.collection.updateOne({ _id: p._id }, { $set: { label: text! }, $unset: { autoLabel: '' } });
    }
    const asBefore = await listed();
    expect(asBefore.filter((line) => line.includes('Per piece'))).toEqual([
      '• Zoë Tran · Per piece (Deliverable published 2026-11-22) · €500.00 · due 2026-12-22 · due in 29 days · owner @fin',
      '• Zoë Tran · Per piece (Invoice 9) · €500.00 · due 2026-12-20 · due in 27 days · owner @fin',
      '• Zoë Tran · Per piece (Deliverable published 2026-11-18) · €500.00 · due 2026-12-17 · due in 24 days · owner @fin',
    ]);

    expect(await migrate(app.services)).toMatchObject({ autoLabels: 8 });
    expect(await stored()).toEqual([
      ['monthly:2026-11', null, { kind: 'reporting', on: '2026-11' }],
      // Typed: `/payment edit label:Fee`. Its name as the bot's is given under it.
      ['once', 'Fee', { kind: 'fee' }],
      ['monthly:2026-12', null, { kind: 'reporting', on: '2026-12' }],
      // The bot's, naming the day it named.
      ['content', null, { kind: 'deliverable', on: '2026-11-18' }],
      // Added by hand: never the bot's, whatever it says.
      ['manual', 'Fee', null],
      ['content', 'Invoice 9', { kind: 'deliverable', on: '2026-11-20' }],
      // Its label was set by /payment edit (in the test above): typed, whatever it says; the bot's name from its piece's day.
      ['content', 'Deliverable published 2026-11-22', { kind: 'deliverable', on: '2026-11-22' }],
      ['manual', null, null],
      ['commission:2026-11', null, { kind: 'commission', on: '2026-11' }],
      ['replaced', null, { kind: 'reporting', on: '2027-01' }],
    ]);
    expect(await listed()).toEqual(asBefore);

    const migrated = await payments();
    expect(await migrate(app.services)).toMatchObject({ autoLabels: 0 });
    expect(await payments()).toEqual(migrated);

    // The bot's again, the moved piece's name follows it; the typed one stays.
    expect(await as('fin', `content edit ${stale} published:2026-11-16`)).toContain('Its payment of €500.00 is now due 2026-12-16 (was 2026-12-17).');
    expect(await showFor((await byKey(`:content:${stale}`))._id)).toBe('For: Deliverable published 2026-11-16');
    expect(await as('fin', `content edit ${first} published:2026-11-19`)).toContain('Its payment of €500.00 is now due 2026-12-19 (was 2026-12-20).');
    expect(await showFor((await byKey(`:content:${first}`))._id)).toBe('For: Invoice 9');
  });

  it('GIVEN the payments export THEN `label` reads as every list shows it, and `typed label` and `auto label` read back, through the CSV reader /irm import uses, to exactly what is stored', async () => {
    await as('fin', `payment edit ${String((await byKey(':monthly:2026-12'))._id)} label:'=SUM(A1), "bonus" Zoë'`);
    const printed = await as('fin', 'irm export payments');
    const file = /File: (.+)$/m.exec(printed)![1]!;
    // A typed label a spreadsheet would run as a formula is written as text (a leading apostrophe), and read back without it.
    expect(readFileSync(file, 'utf8')).toContain(`"'=SUM(A1), ""bonus"" Zoë"`);
    const parsed = parseCsv(readFileSync(file));
    if (!parsed.ok) throw new Error('unreadable export');
    const column = (row: { cells: string[] }, name: string) => row.cells[parsed.table.header.indexOf(name)]!;
    const read = parsed.table.rows.map((row) => {
      const [kind, on] = column(row, 'auto label').split(' ');
      return { id: column(row, 'id'), label: column(row, 'label'), stored: { label: column(row, 'typed label') || null, autoLabel: kind ? { kind, ...(on ? { on } : {}) } : null } };
    });
    const inDatabase = await payments();
    expect(read.map((row) => [row.id, row.stored]).sort()).toEqual(inDatabase.map((p) => [String(p._id), { label: p.label ?? null, autoLabel: p.autoLabel ?? null }]).sort());
    expect(read.map((row) => row.label).sort()).toEqual(
      [
        'Fee',
        'Fee',
        'Invoice 9',
        '=SUM(A1), "bonus" Zoë',
        'Reporting November 2026',
        'Reporting January 2027',
        'Deliverable published 2026-11-22',
        'Deliverable published 2026-11-16',
        'Commission November 2026',
        // The payment added by hand whose typed label was cleared.
        '',
      ].sort(),
    );
  });
});

describe('on Discord and Slack', () => {
  let slackApp: SlackApp;
  let discord: DiscordApp;
  const GUILD = '1100000000000000001';

  beforeAll(async () => {
    slackApp = await startSlackApp(app.router, connection, { user: { teamId: 'T0LABELS', userId: 'U0ALICE', userName: 'alice' } });
    slackApp.api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: true, is_owner: false } } } : undefined));
    discord = await startDiscordApp(app.router, { api: slackApp.api, deferAfterMs: 2500 });
  });

  afterAll(async () => {
    await discord?.stop();
    await slackApp?.stop();
  });

  const send = (d: Record<string, any>) => discord.send(d);
  const option = (name: string, value: string) => ({ name, type: OptionType.String, value });
  const asAdmin = { permissions: ADMIN_PERMISSIONS };

  it('GIVEN a planned fee on Discord WHEN a manager types a label and then clears it with `-` THEN the reply and the card name it by the label, then by the bot\'s name again', async () => {
    await send(slashCommand('add', [option('name', 'Bo Park'), option('handle', '@bo.park'), option('network', 'youtube')], asAdmin));
    await send(
      slashCommand(
        'new',
        [option('who', '@bo.park'), option('title', 'Tech week'), option('type', 'review'), option('goal', 'awareness'), option('fee', '300'), option('currency', 'USD'), option('schedule', 'once')],
        asAdmin,
        'collab',
      ),
    );
    const guild = await app.services.workspaces.ensure('discord', GUILD);
    const id = String((await app.models.payments.findOne({ workspaceId: guild.id, scheduleKey: { $regex: ':once$' } }).lean())!._id);
    const edit = (label: string) => send(slashCommand('edit', [option('payment', id), option('label', label)], asAdmin, 'payment'));
    expect(JSON.stringify((await edit('Invoice 12')).data)).toContain('(Invoice 12).');
    expect(JSON.stringify((await edit('-')).data)).toContain('(Fee).');
    const card = await send(slashCommand('show', [option('payment', id)], {}, 'payment'));
    expect(card.data.embeds[0].fields.find((f: { name: string }) => f.name === 'For')).toEqual({ name: 'For', value: 'Fee', inline: expect.any(Boolean) });
  });

  it('GIVEN a planned fee on Slack THEN its /payment list line names it as the bot does', async () => {
    const { as, api } = slackApp;
    const answer = async (sent: { responseUrl: string }) => (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { text: string; blocks: any[] };
    await answer(await as.command('/influencer', 'add "Ana Lima" @ana.lima network:instagram'));
    await answer(await as.command('/collab', 'new @ana.lima "Spring" type:review goal:awareness fee:800 currency:EUR schedule:once net:14 start:2026-11-20'));
    const list = await answer(await as.command('/payment', 'list'));
    expect(list.blocks[1].text.text).toMatch(/^• \*Ana Lima\* · Spring \(Fee\) · €800\.00 · due 2026-12-04 · due in 11 days · owner <@U0ALICE> · id [a-f0-9]{24}$/);
  });
});
