import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/** Help flags, case, "did you mean" and unquoted names, typed into the console surface. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  await runConsole(app.router, [
    'influencer add "Ana Lima" @ana.lima network:tiktok',
    'influencer add "Ana Costa" @ana.costa network:instagram',
    'influencer add "Zoë Tran" @zoe.creates network:instagram',
  ]);
});

const count = () => app.models.influencers.countDocuments();

describe('help anywhere stores nothing', () => {
  it.each(['influencer add --help', 'influencer add -h', 'influencer add help', 'influencer add "Bo" --help', 'INFLUENCER ADD -H'])(
    'GIVEN `%s` THEN the add help prints and no creator is added',
    async (line) => {
      const before = await count();
      const out = await runConsole(app.router, [line]);
      expect(out).toContain('== /influencer add ==');
      expect(out).toContain('Usage: `/influencer add <name> <handle> [network:...]');
      expect(await count()).toBe(before);
    },
  );

  it('GIVEN `influencer log <who> note --help` THEN the log help prints and no touchpoint is stored', async () => {
    const out = await runConsole(app.router, ['influencer log @zoe.creates note --help']);
    expect(out).toContain('== /influencer log ==');
    expect(await app.models.touchpoints.countDocuments()).toBe(0);
  });

  it('GIVEN `help influencer` and `influencer help stage` THEN each names its topic', async () => {
    const out = await runConsole(app.router, ['help influencer', 'influencer help stage', 'help']);
    expect(out).toContain('== /influencer ==\nKeep every creator we work with');
    expect(out).toContain('== /influencer stage ==');
    expect(out).toContain('Commands (type "<command> help" or "help <command>" for examples):');
  });
});

describe('help states how amounts and dates are read', () => {
  it('GIVEN payment help and payment add --help THEN both state the amount rule (1.500 EUR) and the date rule', async () => {
    const out = await runConsole(app.router, ['payment help', 'payment add --help']);
    expect(out.split('1.500 EUR is 1,500 euros').length - 1).toBe(2);
    expect(out.split('A day and month without a year is the nearest such day').length - 1).toBe(2);
  });

  it('GIVEN influencer help THEN the date rule is stated, and no amount rule where no amount is asked', async () => {
    const out = await runConsole(app.router, ['influencer help']);
    expect(out).toContain('10/11/2026 reads two ways and is refused with both');
    expect(out).not.toContain('1.500 EUR');
  });

  it('GIVEN birthday:12-03, which reads two ways THEN it is December 3, the reply says so, and influencer help and the refusal state that the month comes first', async () => {
    const out = await runConsole(app.router, ['influencer add "Bea Ortiz" @bea.o network:instagram birthday:12-03', 'influencer help', 'influencer add Kim birthday:31-12']);
    expect((await app.models.influencers.findOne({ name: 'Bea Ortiz' }))?.birthday).toMatchObject({ month: 12, day: 3 });
    expect(out).toContain('Next birthday: in 10 days (Dec 3)');
    expect(out).toContain('Birthdays: month first with a dash, so 12-03 is December 3 (1998-12-03 with the year), or in words: Dec 3, 3 December 1998.');
    expect(out).toContain('birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998');
  });
});

describe('names in any case, and did you mean', () => {
  it('GIVEN `Influencer Find zoe` THEN it searches', async () => {
    expect(await runConsole(app.router, ['Influencer Find zoe'])).toContain('1 creator matches "zoe":\n• Zoë Tran · @zoe.creates');
  });

  it.each([
    ['influencr list', 'Unknown command "influencr". Did you mean "influencer"?'],
    ['influencer lsit', '/influencer has no subcommand "lsit". Did you mean "list"? Try one of:'],
    ['influencer stage @zoe.creates negociating', 'stage must be one of: prospect, contacted, negotiating, active, ambassador, paused, ended. Did you mean "negotiating"?'],
    ['influencer log @zoe.creates gfit Sent a box', 'kind must be one of: outreach, reply, call, meeting, gift, event-invite, engagement, birthday-wish, briefing, feedback, note. Did you mean "gift"?'],
    ['influencer add Bo @bo network:instagarm', 'network must be one of: instagram, tiktok, youtube, x, twitch, linkedin, pinterest, blog, other. Did you mean "instagram"?'],
    ['collab new @zoe.creates Spring type:sponsored goal:awarenes', 'goal must be one of: awareness, image, sales. Did you mean "awareness"?'],
  ])('GIVEN `%s` THEN it suggests', async (line, expected) => {
    const before = await count();
    expect(await runConsole(app.router, [line])).toContain(expected);
    expect(await count()).toBe(before);
  });

  it('GIVEN a word far from every stage THEN no guess is offered', async () => {
    const out = await runConsole(app.router, ['influencer stage @zoe.creates zzzzzzz']);
    expect(out).toContain('stage must be one of: prospect, contacted, negotiating, active, ambassador, paused, ended\n');
  });
});

describe('unquoted names of several words', () => {
  it('GIVEN `influencer show ana lima` THEN the one creator called that is shown', async () => {
    expect(await runConsole(app.router, ['influencer show ana lima'])).toContain('== Ana Lima ==');
  });

  it('GIVEN `influencer stage ana lima contacted` THEN the stage changes', async () => {
    expect(await runConsole(app.router, ['influencer stage ana lima contacted'])).toContain('Moved Ana Lima from prospect to contacted.');
    expect((await app.models.influencers.findOne({ name: 'Ana Lima' }).lean())?.stage).toBe('contacted');
  });

  it('GIVEN `influencer log zoë tran note Called about the launch` THEN the touchpoint is on Zoë', async () => {
    expect(await runConsole(app.router, ['influencer log zoë tran note Called about the launch'])).toContain('Logged note with Zoë Tran: Called about the launch');
  });

  it('GIVEN words naming nobody THEN the error says to use quotes', async () => {
    const out = await runConsole(app.router, ['influencer edit ana maria notes:x']);
    expect(out).toContain('Unexpected words: "maria". "ana" names no single record: put a name of several words in "quotes", like /influencer edit "ana maria".');
  });

  it('GIVEN `influencer add Ana Lima` THEN it says to quote the name, adding nobody', async () => {
    const before = await count();
    const out = await runConsole(app.router, ['influencer add Bea Lind']);
    expect(out).toContain('"Lind" is read as a handle: a name of several words goes in "quotes", like /influencer add "Bea Lind"');
    expect(await count()).toBe(before);
  });
});

describe('piped console exit status', () => {
  it('GIVEN a refused line THEN the session reports it; GIVEN only good lines THEN none', async () => {
    const { PassThrough } = await import('node:stream');
    const { createConsoleAdapter } = await import('../../src/platforms/console/console.adapter');
    const run = async (lines: string[]) => {
      const input = new PassThrough();
      const shell = createConsoleAdapter({ router: app.router, input, output: new PassThrough(), user: 'maria', interactive: false });
      const done = shell.run();
      input.end(lines.map((l) => `${l}\n`).join(''));
      return done;
    };
    expect(await run(['influencer find zoe', 'influencer list'])).toEqual({ refused: 0 });
    expect(await run(['influencer find zoe', 'influencer stage @zoe.creates nope', 'nosuch'])).toEqual({ refused: 2 });
  });
});

describe('router, as Discord delivers typed options', () => {
  it('GIVEN an option value --help THEN the help is the answer and nothing is stored', async () => {
    const before = await count();
    const outcome = await app.router.handle(
      { platform: 'discord', workspaceExternalId: 'g1', actor: { id: 'u1', isAdmin: async () => true } },
      { command: 'influencer', subcommand: 'add', args: { name: '--help' } },
    );
    expect(toPlainText(outcome.answer as Reply).split('\n')[0]).toBe('== /influencer add ==');
    expect(await count()).toBe(before);
  });
});

describe("a new collaboration's owner", () => {
  it("GIVEN no owner: THEN it is the creator's owner, not whoever typed; GIVEN owner: THEN that one", async () => {
    const asSam = (line: string) =>
      app.router.handle({ platform: 'console', workspaceExternalId: 'console', actor: { id: 'sam', isAdmin: async () => true } }, app.router.parseText('collab', line));
    await runConsole(app.router, ['influencer add "Owen Page" @owen.page network:youtube'], 'maria');
    await asSam('new @owen.page "Owned launch" type:review goal:image');
    await asSam('new @owen.page "Sam launch" type:review goal:image owner:@lee');
    const owners = await app.models.collaborations.find({ title: { $in: ['Owned launch', 'Sam launch'] } }).sort({ title: 1 }).lean();
    expect(owners.map((c) => [c.title, c.ownerId])).toEqual([
      ['Owned launch', 'maria'],
      ['Sam launch', 'lee'],
    ]);
  });
});
