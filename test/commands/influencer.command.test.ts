import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

const teamA = consoleCaller('team-a', 'alice');
const teamB = consoleCaller('team-b', 'bob');

async function say(caller: Caller, line: string) {
  const [command, ...rest] = line.split(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')));
  return { ...outcome, text: outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}` };
}

let zoeId = '';

beforeAll(async () => {
  app = await buildApp(connection);
  await say(teamA, 'influencer add "Zoë Tran" @zoe.creates network:instagram email:zoe@example.com');
  zoeId = String((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!._id);
});

describe('/influencer across workspaces', () => {
  it.each(['Zoë Tran', '@zoe.creates', 'zoe'])('GIVEN workspace B asks for %s THEN it finds nothing of A', async (who) => {
    for (const line of [`influencer show ${JSON.stringify(who)}`, `influencer edit ${JSON.stringify(who)} notes:mine`, `influencer log ${JSON.stringify(who)} note hi`, `influencer archive ${JSON.stringify(who)}`]) {
      const { text } = await say(teamB, line);
      expect(text).toContain(`No creator matches "${who}"`);
    }
    expect((await say(teamB, `influencer find ${who}`)).text).toContain('No creator matches');
  });

  it("GIVEN workspace B uses A's record id THEN it is refused and A's record is untouched", async () => {
    for (const line of [`influencer show ${zoeId}`, `influencer edit ${zoeId} notes:mine`, `influencer log ${zoeId} note hi`, `influencer archive ${zoeId}`, `influencer stage ${zoeId} ended`]) {
      expect((await say(teamB, line)).text).toContain(`No creator matches "${zoeId}"`);
    }
    const zoe = await app.models.influencers.findById(zoeId).lean();
    expect(zoe).toMatchObject({ stage: 'prospect' });
    expect(zoe?.notes).toBeUndefined();
    expect(zoe?.archivedAt).toBeUndefined();
    expect(await app.models.touchpoints.countDocuments({ influencerId: zoe!._id })).toBe(0);
  });

  it('GIVEN workspace B adds the same handle THEN that is allowed: handles are unique per workspace', async () => {
    expect((await say(teamB, 'influencer add "Other Zoe" @zoe.creates network:instagram')).text).toContain('Added Other Zoe');
  });
});

describe('/influencer with hostile or unusual input', () => {
  it('GIVEN a query object as text THEN it is stored and shown as text, never run as a query', async () => {
    const { text } = await say(teamA, 'influencer add {"$gt":""} @gt network:x notes:{"$ne":null}');
    expect(text).toContain('Added {"$gt":""}');
    const stored = await app.models.influencers.findOne({ name: '{"$gt":""}' }).lean();
    expect(stored?.notes).toBe('{"$ne":null}');
    expect((await say(teamA, 'influencer show {"$gt":""}')).text).toContain('== {"$gt":""} ==');
    expect((await say(teamA, 'influencer find {"$regex":".*"}')).text).toContain('No creator matches');
  });

  it('GIVEN typed non-string values from a platform THEN zod names the field', async () => {
    const outcome = await app.router.handle(teamA, { command: 'influencer', subcommand: 'find', args: { query: { $gt: '' } } });
    expect(outcome.fieldErrors).toEqual({ query: 'query must be text' });
  });

  it('GIVEN 5,000 characters of notes THEN they are kept whole; 5,001 are refused with the limit', async () => {
    const long = 'é'.repeat(5000);
    expect((await say(teamA, `influencer edit @zoe.creates notes:"${long}"`)).text).toContain('Saved Zoë Tran');
    expect((await app.models.influencers.findById(zoeId).lean())?.notes).toBe(long);
    const tooLong = await say(teamA, `influencer edit @zoe.creates notes:"${long}x"`);
    expect(tooLong.text).toBe('notes is at most 5000 characters');
    expect((await app.models.influencers.findById(zoeId).lean())?.notes).toBe(long);
  });

  it('GIVEN emoji and accents THEN find is case- and accent-insensitive and names survive', async () => {
    await say(teamA, 'influencer add "Ålesund 🌊 Öberg" @fjord network:tiktok tags:Travel,#Nordic');
    const { text } = await say(teamA, 'influencer find ALESUND');
    expect(text).toContain('Ålesund 🌊 Öberg');
    expect((await say(teamA, 'influencer find nordic')).text).toContain('Ålesund 🌊 Öberg');
  });

  it('GIVEN the same handle twice in one workspace THEN it is refused naming the existing record', async () => {
    const { text, fieldErrors } = await say(teamA, 'influencer add "Zoe Copy" @ZOE.creates network:instagram');
    expect(text).toBe(`instagram @zoe.creates already belongs to Zoë Tran (@zoe.creates) · id ${zoeId}.`);
    expect(fieldErrors).toEqual({ handle: 'already taken' });
    expect(await app.models.influencers.countDocuments({ name: 'Zoe Copy' })).toBe(0);
  });

  it('GIVEN many handles that start alike, the exact one added last THEN the exact handle still wins', async () => {
    const crowd = consoleCaller('team-crowd', 'cara');
    for (const n of [...Array.from({ length: 12 }, (_, i) => `4${i}`), '4']) await say(crowd, `influencer add "Sim ${n}" @sim${n} network:x`);
    const { text } = await say(crowd, 'influencer show @sim4');
    expect(text).toContain('== Sim 4 ==');
  });

  it('GIVEN one handle on two networks, and an archived creator THEN @handle lists both, and finds the archived one only where archived ones count', async () => {
    const team = consoleCaller('team-handles', 'hana');
    await say(team, 'influencer add "Kai North" @kai network:instagram');
    await say(team, 'influencer add "Kai South" @kai network:tiktok');
    const { text } = await say(team, 'influencer show @kai');
    expect(text).toContain('Several creators match "@kai". Say which one:');
    expect(text).toContain('Kai North (@kai)');
    expect(text).toContain('Kai South (@kai)');

    await say(team, 'influencer add "Old Friend" @old.friend network:youtube');
    await say(team, 'influencer archive @old.friend');
    const id = String((await app.models.influencers.findOne({ name: 'Old Friend' }).lean())!._id);
    expect((await say(team, 'influencer log @old.friend note hello')).text).toBe(
      `"@old.friend" is archived:\n• Old Friend (@old.friend) (archived) · id ${id}\n\`/influencer restore ${id}\` brings them back; \`/influencer show ${id}\` shows the card.`,
    );
    expect((await say(team, 'influencer show @old.friend')).text).toContain('Stage: prospect (archived)');
    expect((await say(team, 'influencer restore @OLD.FRIEND')).text).toContain('Old Friend');
  });

  it('GIVEN a name several creators share THEN the candidates are listed to pick from', async () => {
    await say(teamA, 'influencer add "Sam Lee" @sam.one network:instagram');
    await say(teamA, 'influencer add "Sam Lee" @sam.two network:tiktok');
    const { text } = await say(teamA, 'influencer show "sam lee"');
    expect(text).toContain('Several creators match "sam lee". Say which one:');
    expect(text).toContain('Sam Lee (@sam.one)');
    expect(text).toContain('Sam Lee (@sam.two)');
    expect((await say(teamA, 'influencer show @sam.two')).text).toContain('tiktok @sam.two');
  });

  it('GIVEN bad values THEN each message names the field and what is accepted, and nothing is stored', async () => {
    const cases: Array<[string, string]> = [
      ['influencer add', 'FORM Add a creator'],
      ['influencer add "" email:a@b.co', 'name is required'],
      ['influencer add Kim @kim', 'network is needed with a handle: one of instagram, tiktok, youtube, x, twitch, linkedin, pinterest, blog, other'],
      ['influencer add Kim @kim network:myspace', 'network must be one of: instagram, tiktok, youtube, x, twitch, linkedin, pinterest, blog, other'],
      ['influencer add Kim @kim network:x followers:-5', 'followers cannot be negative'],
      ['influencer add Kim @kim network:x followers:1e3', 'followers must be a count like 15000, 15,000, 18k or 1.2M'],
      ['influencer add Kim @kim network:x followers:0x10', 'followers must be a count like 15000, 15,000, 18k or 1.2M'],
      ['influencer add Kim @kim network:x followers:1.200', 'followers: "1.200" could be 1.2 or 1,200: type 1,200 or 1.2k'],
      ['influencer add Kim birthday:02-30', 'birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998'],
      ['influencer add Kim birthday:"Feb 30"', 'birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998'],
      ['influencer add Kim email:kim-at-example', 'email must be an address like name@example.com'],
      ['influencer add Kim timezone:Mars/Base', 'timezone must be an IANA name like Europe/Paris or America/New_York'],
      ['influencer add Kim colour:blue', 'Unknown argument colour. /influencer add accepts: name, handle, network, followers, handles'],
      ['influencer stage @zoe.creates famous', 'stage must be one of: prospect, contacted, negotiating, active, ambassador, paused, ended'],
      ['influencer log @zoe.creates party hello', 'kind must be one of: outreach, reply, call, meeting, gift'],
      ['influencer list page:0', 'page starts at 1'],
    ];
    for (const [line, expected] of cases) expect((await say(teamA, line)).text).toContain(expected);
    expect(await app.models.influencers.countDocuments({ name: { $in: ['Kim', ''] } })).toBe(0);
  });

  it('GIVEN at: with a moment (what the message menus set) THEN the touchpoint is at that moment; with date: too, or in the future, or not a moment THEN refused naming the field', async () => {
    expect((await say(teamA, 'influencer log @zoe.creates reply Loves the brief at:2026-11-20T10:30:00+01:00')).text).toContain('Logged reply with Zoë Tran on 2026-11-20: Loves the brief');
    expect((await app.models.touchpoints.findOne({ summary: 'Loves the brief' }).lean())?.at).toEqual(new Date('2026-11-20T09:30:00Z'));
    const cases: Array<[string, string]> = [
      ['influencer log @zoe.creates reply x at:2026-11-20T09:30:00Z date:2026-11-20', 'Give either date (a day) or at (a moment), not both.'],
      ['influencer log @zoe.creates reply x at:2026-11-24T09:30:00Z', 'at 2026-11-24T09:30:00.000Z is in the future: log touchpoints that have happened.'],
      ['influencer log @zoe.creates reply x at:yesterday', 'at must be a moment like 2026-11-20T09:30:00Z or 2026-11-20T10:30:00+01:00'],
      ['influencer log @zoe.creates reply x at:2026-11-20T09:30:00', 'at must be a moment like 2026-11-20T09:30:00Z or 2026-11-20T10:30:00+01:00'],
    ];
    for (const [line, expected] of cases) expect((await say(teamA, line)).text).toBe(expected);
    expect(await app.models.touchpoints.countDocuments({ summary: 'x' })).toBe(0);
  });

  it('GIVEN free text with "word:" in it THEN it stays part of the summary', async () => {
    expect((await say(teamA, 'influencer log @zoe.creates note Follow-up: sent samples, Ref: 42')).text).toContain(
      'Logged note with Zoë Tran: Follow-up: sent samples, Ref: 42',
    );
    const touchpoint = await app.models.touchpoints.findOne({ summary: /^Follow-up/ }).lean();
    expect(touchpoint?.summary).toBe('Follow-up: sent samples, Ref: 42');
    // Where no free text is expected, an unknown key is still named.
    expect((await say(teamA, 'influencer stage @zoe.creates active colour:blue')).text).toContain('Unknown argument colour');
  });

  it('GIVEN mention syntax in a name or a note THEN it is refused, so a channel post can never ping anyone', async () => {
    for (const line of ['influencer add "<@U0BOSS> Ping"', 'influencer add Ping notes:"<!here> look"', 'influencer edit @zoe.creates source:"<!subteam^S1>"']) {
      expect((await say(teamA, line)).text).toMatch(/cannot contain mentions or @here\/@channel codes: write names as plain text/);
    }
    expect(await app.models.influencers.countDocuments({ name: /Ping/ })).toBe(0);
  });

  it('GIVEN a touchpoint date THEN it must not be in the future and stays on that local day', async () => {
    const { text } = await say(teamA, 'influencer log @zoe.creates gift Future box date:2030-01-01');
    expect(text).toBe('date 2030-01-01 is in the future: log touchpoints on or before today (2026-11-23).');
    expect(await app.models.touchpoints.countDocuments({ summary: 'Future box' })).toBe(0);
    const kiritimati = consoleCaller('team-kiritimati', 'kim');
    await app.router.handle(kiritimati, app.router.parseText('irm', 'settings timezone:Pacific/Kiritimati'));
    await say(kiritimati, 'influencer add "Island Creator" @island network:x');
    await say(kiritimati, 'influencer log @island call Planning call date:2026-11-20');
    const touchpoint = await app.models.touchpoints.findOne({ summary: 'Planning call' }).lean();
    expect(touchpoint!.at.toLocaleDateString('en-CA', { timeZone: 'Pacific/Kiritimati' })).toBe('2026-11-20');
  });

  it('GIVEN a page past the end THEN it says so instead of pretending to be page 1', async () => {
    const { text } = await say(teamA, 'influencer list page:99');
    expect(text).toMatch(/creators · 1 page\nPage 99 is past the last one: the last is page 1\./);
    expect((await say(teamA, 'influencer list ended owner:@nobody')).text).toBe('No ended creators owned by @nobody yet. Add one with `/influencer add`.');
  });

  it('GIVEN followers typed with thousands separators THEN they are read as the number', async () => {
    await say(teamA, 'influencer add "Big Reach" @big.reach network:youtube followers:1,250,000');
    expect((await app.models.influencers.findOne({ name: 'Big Reach' }).lean())?.handles[0]?.followers).toBe(1_250_000);
  });

  it('GIVEN Feb 29 without a year THEN it is a valid birthday', async () => {
    expect((await say(teamA, 'influencer add "Leap Day" birthday:02-29')).text).toContain('Added Leap Day');
  });

  it('GIVEN several creators without handles, or handles removed THEN none of them clash', async () => {
    expect((await say(teamA, 'influencer add "No Handle One"')).text).toContain('Added No Handle One');
    expect((await say(teamA, 'influencer add "No Handle Two"')).text).toContain('Added No Handle Two');
    expect((await say(teamA, 'influencer edit @sam.one handles:')).text).toContain('Saved Sam Lee');
    expect((await say(teamA, 'influencer edit @sam.two handles:')).text).toContain('Saved Sam Lee');
    expect((await say(teamA, 'influencer add "Sam Again" @sam.one network:instagram')).text).toContain('Added Sam Again');
  });
});

describe('birthdays and follower counts as typed', () => {
  it('GIVEN a 29 February birthday WHEN the card is shown in a year without one THEN it is celebrated on 28 February and the card says so', async () => {
    const leap = consoleCaller('team-leap', 'lea');
    await say(leap, 'influencer add "Leap Li" @leap.li network:tiktok followers:1.2M birthday:"29 February 2000"');
    const card = (await say(leap, 'influencer show @leap.li')).text;
    // The clock is 2026-11-23: the next birthday is 2027-02-28, 97 days away.
    expect(card).toContain('Next birthday: in 97 days (Feb 28: born on Feb 29, celebrated on Feb 28 in years without one)');
    expect(card).toContain('tiktok @leap.li · 1.2M');
    expect((await app.models.influencers.findOne({ name: 'Leap Li' }).lean())!.birthday).toMatchObject({ month: 2, day: 29, year: 2000 });
  });

  it.each([
    ['birthday:"Jul 14"', { month: 7, day: 14 }],
    ['birthday:"14 July 1998"', { month: 7, day: 14, year: 1998 }],
    ['birthday:02-29', { month: 2, day: 29 }],
    ['birthday:"Feb 29"', { month: 2, day: 29 }],
  ])('GIVEN %s THEN the birthday is stored as %j', async (arg, birthday) => {
    const team = consoleCaller(`team-bday-${arg.length}-${arg.charCodeAt(11)}`, 'bo');
    expect((await say(team, `influencer add "Bday Person" ${arg}`)).text).toContain('Bday Person');
    const stored = await app.models.influencers.findOne({ name: 'Bday Person' }).sort({ _id: -1 }).lean();
    expect({ month: stored!.birthday!.month, day: stored!.birthday!.day, ...(stored!.birthday!.year ? { year: stored!.birthday!.year } : {}) }).toEqual(birthday);
  });
});
