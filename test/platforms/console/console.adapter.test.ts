import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { runConsole } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/database';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
});

const stored = (name: string) => app.models.influencers.findOne({ name }).lean();

describe('the console surface', () => {
  it('GIVEN a typed add THEN the record is stored with a folded handle and the card prints', async () => {
    const out = await runConsole(app.router, [
      '/influencer add "Zoë Tran" @Zoe.Creates network:instagram followers:12500 email:zoe@example.com birthday:07-14 tags:beauty,skincare',
    ]);
    expect(out).toContain('Added Zoë Tran');
    expect(out).toContain('instagram @zoe.creates · 12.5k');
    const zoe = await stored('Zoë Tran');
    expect(zoe).toMatchObject({
      handles: [{ network: 'instagram', handle: 'zoe.creates', followers: 12500 }],
      email: 'zoe@example.com',
      birthday: { month: 7, day: 14 },
      tags: ['beauty', 'skincare'],
      ownerId: 'maria',
      stage: 'prospect',
    });
  });

  it('GIVEN add with no arguments THEN it asks field by field and stores the answers', async () => {
    const answers = ['Ana Lima', 'tiktok @ana.lima 3000 | youtube @analima', 'ana@example.com', '1995-02-28', 'food, travel'];
    const rest = ['', '', '', 'vegan, size M', '', 'contacted', 'met at VidCon', ''];
    const out = await runConsole(app.router, ['influencer add', ...answers, ...rest]);
    expect(out).toContain('Add a creator');
    expect(out).toContain('Added Ana Lima');
    expect(await stored('Ana Lima')).toMatchObject({
      handles: [
        { network: 'tiktok', handle: 'ana.lima', followers: 3000 },
        { network: 'youtube', handle: 'analima' },
      ],
      birthday: { year: 1995, month: 2, day: 28 },
      preferences: 'vegan, size M',
      stage: 'contacted',
      source: 'met at VidCon',
    });
  });

  it('GIVEN a form answer that is refused THEN only that field is asked again and the rest is kept', async () => {
    const out = await runConsole(app.router, [
      'influencer add',
      'Bo Park', '', 'not-an-email', '13-45', '', '', '', '', '', '', '', '', '',
      'bo@example.com', '12-01',
    ]);
    expect(out).toContain('email must be an address like name@example.com');
    expect(out).toContain('birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998');
    expect(out).toContain('Added Bo Park');
    expect(await stored('Bo Park')).toMatchObject({ email: 'bo@example.com', birthday: { month: 12, day: 1 } });
  });

  it('GIVEN a refused email WHEN the form asks again THEN the refused value is not offered as the default, so Enter skips the field', async () => {
    const out = await runConsole(app.router, ['influencer add', 'Lu Wei', '', 'not-an-email', '', '', '', '', '', '', '', '', '', '', '']);
    expect(out).toContain('email must be an address like name@example.com\nEmail: \nAdded Lu Wei.');
    expect((await stored('Lu Wei'))?.email ?? null).toEqual(null);
  });

  it('GIVEN find, show, log, stage, edit, archive, restore, list, help THEN each answers as a user expects', async () => {
    const out = await runConsole(app.router, [
      'influencer find zoe',
      'influencer show @zoe.creates',
      'influencer log @zoe.creates gift Sent the autumn box',
      'influencer stage "Zoë Tran" negotiating',
      'influencer edit @zoe.creates phone:"+33 6 12 34 56 78" notes:"prefers DMs"',
      'influencer show zoe history',
      'influencer archive @zoe.creates',
      'influencer find zoe',
      'influencer restore @zoe.creates',
      'influencer list negotiating',
      'influencer help',
    ]);
    expect(out).toContain('1 creator matches "zoe"');
    expect(out).toContain('Next birthday: in 233 days (Jul 14)');
    expect(out).toContain('Logged gift with Zoë Tran: Sent the autumn box');
    expect(out).toContain('Moved Zoë Tran from prospect to negotiating.');
    expect(out).toContain('Saved Zoë Tran: Phone: (none) → +33 6 12 34 56 78; Notes: (none) → prefers DMs.');
    // Paris time (the test clock is 10:00 UTC), the card's labels.
    expect(out).toContain('• 2026-11-23 11:00 · @maria edited · Phone: (none) → +33 6 12 34 56 78; Notes: (none) → prefers DMs');
    expect(out).toContain('Archived Zoë Tran. Nothing was deleted.');
    expect(out).toContain('No creator matches "zoe".');
    expect(out).toContain('Restored Zoë Tran.');
    expect(out).toContain('1 negotiating creator · page 1 of 1');
    expect(out).toContain('/influencer add "Zoë Tran" @zoe.creates');
    const zoe = await stored('Zoë Tran');
    expect(zoe).toMatchObject({ stage: 'negotiating', phone: '+33 6 12 34 56 78', lastContact: { kind: 'gift', byId: 'maria' } });
    expect(zoe?.archivedAt).toBeUndefined();
    const history = await app.models.changes.find({ entityId: zoe!._id }).sort({ at: 1, _id: 1 }).lean();
    expect(history.map((c) => c.action)).toEqual(['create', 'stage', 'edit', 'archive', 'restore']);
  });

  it('GIVEN an unknown command or subcommand THEN it says what exists', async () => {
    const out = await runConsole(app.router, ['nope', 'influencer frobnicate']);
    expect(out).toContain('Unknown command "nope"');
    expect(out).toContain('/influencer has no subcommand "frobnicate". Try one of: add, find, show, edit, log, stage, archive, restore, forget, remind, snooze, done, list, help.');
  });
});

describe('console forms: cancel, required fields, Ctrl-C', () => {
  it('GIVEN `cancel` typed in a form THEN the form is left, nothing is stored and the next line runs', async () => {
    const out = await runConsole(app.router, ['influencer add', 'Cy Rose', 'Cancel', 'influencer find cy rose']);
    expect(out).toContain('Form cancelled: nothing was saved.\n');
    expect(out).toContain('No creator matches "cy rose".');
    expect(await stored('Cy Rose')).toBeNull();
    expect(await stored('Cancel')).toBeNull();
  });

  it('GIVEN a blank required field THEN it is asked again at once', async () => {
    const out = await runConsole(app.router, ['influencer add', '', '-', 'Di Moss', '', '', '', '', '', '', '', '', '', '', '', '']);
    expect(out).toContain('Name*: \nName is required.\nName*: -\nName is required: it cannot be cleared.\nName*: Di Moss\nHandles (one per line)');
    expect(out).toContain('Added Di Moss.');
  });

  it('GIVEN Ctrl-C inside a form on a terminal THEN only the form is cancelled and the prompt comes back', async () => {
    const { PassThrough } = await import('node:stream');
    const { createConsoleAdapter } = await import('../../../src/platforms/console/console.adapter');
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (printed.includes(text) ? resolve() : output.once('data', check));
        check();
      });
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const shell = createConsoleAdapter({ router: app.router, input, output, user: 'maria', interactive: true });
    const done = shell.run();
    input.write('influencer add\r');
    await seen('Name*');
    input.write('Eve Hart\r');
    await seen('Handles');
    input.write('\x03');
    await seen('Form cancelled: nothing was saved.');
    input.write('influencer find zzz\r');
    await seen('No creator matches "zzz"');
    input.write('exit\r');
    expect(await done).toEqual({ refused: 0 });
    expect(await stored('Eve Hart')).toBeNull();
  });
});
