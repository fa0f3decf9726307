import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/** Bad input, checklist upkeep, closing, listing and workspace isolation for /collab and /content. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

const teamA = consoleCaller('team-a', 'alice');
const teamB = consoleCaller('team-b', 'bob');

const say = (caller: Caller, line: string) => sayAs(app, caller, line);

/** Everything stored, to show a refused command changed nothing. */
async function snapshot() {
  const [collaborations, contents, influencers, changes, touchpoints] = await Promise.all([
    app.models.collaborations.find().sort({ _id: 1 }).lean(),
    app.models.contents.find().sort({ _id: 1 }).lean(),
    app.models.influencers.find().sort({ _id: 1 }).lean(),
    app.models.changes.countDocuments(),
    app.models.touchpoints.countDocuments(),
  ]);
  return JSON.stringify({ collaborations, contents, influencers, changes, touchpoints });
}

let springId = '';
let postId = '';

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(teamA, 'influencer add "Zoë Tran" @zoe.creates network:instagram stage:contacted');
  await say(teamA, 'collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4" fee:1500 currency:EUR');
  springId = String((await app.models.collaborations.findOne({ title: 'Spring launch' }).lean())!._id);
  await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/AAA/');
  postId = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/p/AAA/' }).lean())!._id);
});

describe('bad input is answered clearly and nothing is half-written', () => {
  let before = '';
  beforeEach(async () => {
    app.clock.set('2026-11-23T10:00:00Z');
    before = await snapshot();
  });
  const unchanged = async () => expect(await snapshot()).toBe(before);

  it.each([
    ['an unknown goal', 'goal:fame', 'goal must be one of: awareness, image, sales'],
    ['an unknown type', 'type:tweet goal:sales', 'type must be one of: sponsored-post, review, takeover, guest-blog, ambassador, affiliate, gifting'],
    ['an unknown content type', 'goal:sales expect:"post 2, tweets 3"', 'expect: "tweets" is not a content type; use post, story, reel, video, short, blog, stream'],
    ['a negative count', 'goal:sales expect:"post -2"', 'expect: content counts cannot be negative'],
    ['a count without a type', 'goal:sales expect:"post 2, 3"', 'expect should read like "post 2, story 4": a content type and a number for each'],
    ['a negative fee', 'goal:sales fee:-5', 'fee cannot be negative'],
    ['a fee that is not an amount', 'goal:sales fee:lots', 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR'],
    ['a fee in exponent notation', 'goal:sales fee:1e3', 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR'],
    ['a fee in hexadecimal', 'goal:sales fee:0x10', 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR'],
    ['a fee with misplaced grouping', 'goal:sales fee:1,50,0', 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR'],
    ['net days in hexadecimal', 'goal:sales net:0x10', 'net must be a whole number of days, like 30'],
    ['net days in exponent notation', 'goal:sales net:1e1', 'net must be a whole number of days, like 30'],
    ['net days with decimals', 'goal:sales net:30.5', 'net must be a whole number of days, like 30'],
    ['a reporting day in exponent notation', 'goal:sales reporting-day:1e1', 'reporting-day is a day of the month from 1 to 28'],
    ['a negative commission', 'goal:sales commission:-1', 'commission cannot be negative'],
    ['a commission over 100%', 'goal:sales commission:120', 'commission is a percentage from 0 to 100'],
    ['negative net days', 'goal:sales net:-10', 'net cannot be negative'],
    ['a reporting day past the 28th', 'goal:sales reporting-day:31', 'reporting-day is a day of the month from 1 to 28'],
    ['an unknown currency', 'goal:sales fee:10 currency:EURO', 'currency must be an ISO code like EUR, USD or GBP'],
    ['a tracking link that is not http(s)', 'goal:sales link:javascript:alert(1)', 'link must be a web link starting with http:// or https://'],
    ['a tracking link without a scheme', 'goal:sales link:shop.example.com', 'link must be a web link starting with http:// or https://'],
    ['an end before the start', 'goal:sales start:2026-12-01 end:2026-11-30', 'end (2026-11-30) is before start (2026-12-01)'],
    ['an end before today, start left out', 'goal:sales end:2026-11-01', 'end (2026-11-01) is before start (2026-11-23)'],
    ['a date that does not exist', 'goal:sales start:2026-02-30', 'start: "2026-02-30" is not a day on the calendar'],
    ['a monthly schedule without a fee', 'goal:sales schedule:monthly', 'fee is needed with schedule:monthly, like fee:1500 currency:EUR'],
    ['a fee with product only', 'goal:sales fee:100 product-only:yes', 'fee and product-only:yes do not go together: a product-only collaboration has no fee'],
    ['cents on a currency without them', 'goal:sales fee:1500.50 currency:JPY', 'fee: JPY has no decimals, like 1500'],
    ['a symbol that contradicts the currency', 'goal:sales fee:$1500 currency:EUR', 'fee: "$" is not EUR. Give the amount in EUR, or change the currency'],
    ['an amount with two readings in a three-decimal currency', 'goal:sales fee:1,500 currency:KWD', 'fee: "1,500" could be KWD\u00a01,500.000 or KWD\u00a01.500 - type 1500 or 1.5'],
    ['product-only that is not yes or no', 'goal:sales product-only:maybe', 'product-only must be yes or no'],
  ])('GIVEN /collab new with %s THEN it says so and stores nothing', async (_what, args, message) => {
    const { text } = await say(teamA, `collab new @zoe.creates "Bad one" type:review ${args}`);
    expect(text).toContain(message);
    await unchanged();
  });

  it('GIVEN several bad fields at once THEN each is named', async () => {
    const outcome = await say(teamA, 'collab new @zoe.creates "" type:tweet goal:fame fee:-1');
    expect(outcome.fieldErrors).toEqual({
      title: 'title is required',
      type: 'type must be one of: sponsored-post, review, takeover, guest-blog, ambassador, affiliate, gifting',
      goal: 'goal must be one of: awareness, image, sales',
      fee: 'fee cannot be negative',
    });
    await unchanged();
  });

  it('GIVEN many creators whose handles start alike THEN the exact handle still picks its collaboration', async () => {
    const crowd = consoleCaller('team-crowd', 'cara');
    // The exact one last: a query that limits partial matches first would never see it.
    for (const n of [...Array.from({ length: 12 }, (_, i) => `4${i}`), '4']) {
      await say(crowd, `influencer add "Creator ${n}" @creator${n} network:instagram`);
      await say(crowd, `collab new @creator${n} "Launch ${n}" type:review goal:awareness`);
    }
    expect((await say(crowd, 'collab show @creator4')).text).toContain('Launch 4');
    expect((await say(crowd, 'collab show @creator4')).text).not.toContain('Several');
  });

  it('GIVEN an unknown creator THEN nothing is started and the hint is to search', async () => {
    expect((await say(teamA, 'collab new nobody "X" type:review goal:sales')).text).toContain('No creator matches "nobody"');
    await unchanged();
  });

  it.each([
    ['ftp://example.com/video.mp4', 'url must be a web link starting with http:// or https://'],
    ['url:javascript:alert(1)', 'url must be a web link starting with http:// or https://'],
    ['www.instagram.com/p/X', 'url must be a web link starting with http:// or https://'],
  ])('GIVEN /content log with %s THEN the link is refused', async (url, message) => {
    expect((await say(teamA, `content log "Spring launch" ${url}`)).text).toBe(message);
    await unchanged();
  });

  it.each(['https://www.instagram.com/p/AAA/', 'http://instagram.com/p/AAA', 'https://INSTAGRAM.com/p/AAA#c'])(
    'GIVEN the same link again (%s) THEN it is refused and names the piece it is',
    async (url) => {
      expect((await say(teamA, `content log "Spring launch" ${url}`)).text).toBe(
        `That link is already logged for Spring launch: the post, published Nov 23 (content id ${postId}).`,
      );
      await unchanged();
    },
  );

  it('GIVEN an unknown content type, a future date or a bad date THEN each is named', async () => {
    expect((await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/B tweet')).text).toBe(
      'type must be one of: post, story, reel, video, short, blog, stream',
    );
    expect((await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/B published:2026-11-24')).text).toBe(
      'published 2026-11-24 is in the future; log content once it is out.',
    );
    expect((await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/B published:24/11/2026')).text).toBe(
      'published 2026-11-24 is in the future; log content once it is out.',
    );
    expect((await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/B published:10/11/2026')).text).toBe(
      'published: "10/11/2026" could be November 10, 2026 or October 11, 2026: type 2026-11-10 or 2026-10-11',
    );
    expect((await say(teamA, 'content log "Spring launch" https://www.instagram.com/p/B published:someday')).text).toBe(
      'published must be a date like 2026-11-28, Nov 28, 28 November 2026, today or in 3 days',
    );
    await unchanged();
  });

  it('GIVEN unknown metric keys THEN they are named with what is accepted', async () => {
    const { text, fieldErrors } = await say(teamA, `content metrics ${postId} reach:10 tweets:4 hearts:2`);
    expect(text).toBe(
      'Unknown arguments tweets, hearts. /content metrics accepts: content, reach, impressions, views, likes, comments, shares, saves, clicks, new_followers, redemptions, purchases, revenue.',
    );
    expect(fieldErrors).toEqual({ tweets: 'not accepted here', hearts: 'not accepted here' });
    await unchanged();
  });

  it('GIVEN a negative metric among good ones THEN none of them is recorded', async () => {
    const { text } = await say(teamA, `content metrics ${postId} reach:1000 likes:-5 revenue:-1`);
    expect(text).toBe('likes cannot be negative\nrevenue cannot be negative');
    expect((await say(teamA, `content metrics ${postId} reach:12.5`)).text).toBe('reach must be a whole number: 12.5 is not (like 15000, 15,000, 18k or 1.2M)');
    expect((await say(teamA, `content metrics ${postId} reach:1e3`)).text).toBe('reach must be a count like 15000, 15,000, 18k or 1.2M');
    expect((await say(teamA, `content metrics ${postId} likes:0x10`)).text).toBe('likes must be a count like 15000, 15,000, 18k or 1.2M');
    expect((await say(teamA, `content metrics ${postId} reach:1.200`)).text).toBe('reach: "1.200" could be 1.2 or 1,200: type 1,200 or 1.2k');
    expect((await say(teamA, `content metrics ${postId} revenue:1e3`)).text).toBe('revenue must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR');
    expect((await say(teamA, `content metrics ${postId}`)).text).toBe('FORM Metrics: post');
    expect((await say(teamA, `content metrics ${postId} reach:`)).text).toBe(
      'Give at least one metric, like reach:12000 likes:800. Metrics: reach, impressions, views, likes, comments, shares, saves, clicks, new_followers, redemptions, purchases, revenue.',
    );
    expect((await say(teamA, `content metrics ${postId} revenue:10.9999`)).text).toBe('revenue: EUR has 2 decimals at most, like 1500.00');
    expect((await say(teamA, `content metrics ${postId} revenue:$10`)).text).toBe('revenue: "$" is not EUR. Give the amount in EUR, or change the currency');
    await unchanged();
  });

  it('GIVEN metrics for a planned item or an unknown piece THEN they are refused', async () => {
    const planned = await app.models.contents.findOne({ status: 'planned' }).lean();
    expect((await say(teamA, `content metrics ${String(planned!._id)} reach:1`)).text).toBe(
      'That story is planned, not published: log it first with `/content log <collab> <url>`.',
    );
    expect((await say(teamA, 'content metrics https://example.com/nope reach:1')).text).toContain('No content matches "https://example.com/nope"');
    await unchanged();
  });

  it('GIVEN bad deliverable changes THEN they are refused', async () => {
    expect((await say(teamA, 'collab deliverable "Spring launch" add tweet')).text).toBe(
      'item must be the content type to add: post, story, reel, video, short, blog, stream',
    );
    expect((await say(teamA, 'collab deliverable "Spring launch" cancel')).text).toContain('item is needed');
    expect((await say(teamA, `collab deliverable "Spring launch" cancel ${postId}`)).text).toBe('That post is published; only planned items can be cancelled.');
    expect((await say(teamA, 'collab deliverable "Spring launch" add story due:2026-10-01')).text).toBe('due 2026-10-01 is before the collaboration starts (2026-11-23).');
    expect((await say(teamA, 'collab deliverable "Spring launch" frobnicate')).text).toBe('action must be one of: list, add, cancel');
    await unchanged();
  });

  it('GIVEN /collab list with a word that is no status THEN the accepted ones are listed', async () => {
    expect((await say(teamA, 'collab list zoe')).text).toBe(
      'status must be one of: active, all, completed, cancelled. To list one creator\'s: /collab list all "Zoë Tran"',
    );
  });
});

describe('the checklist over the months', () => {
  it('GIVEN deliverables added and cancelled by hand THEN delivered vs expected follows', async () => {
    const added = await say(teamA, 'collab deliverable "Spring launch" add reel due:2026-11-29');
    expect(added.text).toContain('Added a reel to the checklist of Spring launch, due Nov 29.');
    const cancelled = await say(teamA, 'collab deliverable @zoe.creates cancel stories');
    expect(cancelled.text).toContain('Cancelled the story due Nov 30 of Spring launch. It no longer counts as expected.');
    const list = await say(teamA, 'collab deliverable zoe');
    expect(list.text).toContain('== Spring launch: November 2026 ==\nDelivered vs expected: posts 1/2 · stories 0/3 · reels 0/1');
    expect(list.text).toMatch(/✓ post · due Nov 26 · published Nov 23 · https:\/\/www\.instagram\.com\/p\/AAA\/ · id [a-f0-9]{24}/);
    expect(list.text).toMatch(/✗ story · due Nov 30 · cancelled · id /);
  });

  it('GIVEN planMonth is called at a month start, twice and concurrently THEN each item is planned once and cancelled ones stay cancelled', async () => {
    const workspace = await app.services.workspaces.ensure('console', 'team-a');
    app.clock.set('2026-12-01T00:05:00Z');
    const [first, second] = await Promise.all([
      app.services.collaborations.planMonth(workspace),
      app.services.collaborations.planMonth(workspace, '2026-12'),
    ]);
    expect(first.planned + second.planned).toBe(6);
    expect(await app.services.collaborations.planMonth(workspace, '2026-12')).toEqual({ collaborations: 1, planned: 0 });
    expect(await app.models.contents.countDocuments({ collaborationId: springId, month: '2026-12' })).toBe(6);
    // November again: the cancelled story is not planned anew.
    expect(await app.services.collaborations.planMonth(workspace, '2026-11')).toEqual({ collaborations: 1, planned: 0 });
    const show = await say(teamA, `collab show ${springId}`);
    expect(show.text).toContain('This month (December 2026): posts 0/2 · stories 0/4');
    const overdue = await say(teamA, 'collab deliverable "Spring launch"');
    expect(overdue.text).toContain('Still open from earlier months:');
    expect(overdue.text).toMatch(/○ post · due Nov 30 · id /);
    app.clock.set('2026-11-23T10:00:00Z');
  });

  it('GIVEN a November story published after the month rolled over THEN it ticks off the open November story first', async () => {
    app.clock.set('2026-12-02T12:00:00Z');
    const { text } = await say(teamA, 'content log "Spring launch" https://www.instagram.com/stories/zoe/9');
    expect(text).toContain('It ticks off the story due Nov 24.');
    expect(text).toContain('December 2026: posts 0/2 · stories 0/4');
    app.clock.set('2026-11-23T10:00:00Z');
  });
});

describe('month rollover in a non-UTC workspace timezone', () => {
  it('GIVEN a Tokyo workspace THEN the new month is planned when it begins in Tokyo, not in UTC', async () => {
    const tokyo = consoleCaller('tokyo', 'kenji');
    await app.models.workspaces.create({ platform: 'console', externalId: 'tokyo', timezone: 'Asia/Tokyo', currency: 'JPY' });
    app.clock.set('2026-11-20T03:00:00Z');
    await say(tokyo, 'influencer add "Yui Sato" @yui network:instagram');
    const created = await say(tokyo, 'collab new @yui "Tokyo pop-up" type:sponsored-post goal:image expect:"post 1, story 2" fee:150000');
    expect(created.text).toContain('Checklist for November 2026: 1 post (due Nov 30) · 2 stories (due Nov 25, Nov 30)');
    expect(created.text).toContain('Payment: ¥150,000 once, paid within 30 days of the start');
    const workspace = await app.services.workspaces.ensure('console', 'tokyo');
    const collab = await app.models.collaborations.findOne({ title: 'Tokyo pop-up' }).lean();
    expect(collab?.start).toEqual(new Date('2026-11-19T15:00:00Z'));

    // 2026-11-30T15:30Z is 00:30 on December 1 in Tokyo (still November 30 in UTC).
    app.clock.set('2026-11-30T15:30:00Z');
    expect(await app.services.collaborations.planMonth(workspace)).toEqual({ collaborations: 1, planned: 3 });
    const december = await app.models.contents.find({ collaborationId: collab!._id, month: '2026-12' }).sort({ dueAt: 1, type: 1 }).lean();
    expect(december.map((i) => [i.type, i.dueAt?.toISOString()])).toEqual([
      ['story', '2026-12-16T14:59:59.999Z'],
      ['post', '2026-12-31T14:59:59.999Z'],
      ['story', '2026-12-31T14:59:59.999Z'],
    ]);
    expect((await say(tokyo, 'collab show "Tokyo pop-up"')).text).toContain('This month (December 2026): posts 0/1 · stories 0/2');
    expect((await say(tokyo, 'influencer show @yui')).text).toContain('Active collaborations: Tokyo pop-up (image): posts 0/1 · stories 0/2');
    app.clock.set('2026-11-23T10:00:00Z');
  });

  it('GIVEN a Los Angeles workspace at 05:00 UTC on December 1 THEN it is still November there and nothing new is planned', async () => {
    const la = consoleCaller('la', 'lee');
    await app.models.workspaces.create({ platform: 'console', externalId: 'la', timezone: 'America/Los_Angeles', currency: 'USD' });
    app.clock.set('2026-11-30T20:00:00Z');
    await say(la, 'influencer add "Max Holt" @maxholt network:youtube');
    await say(la, 'collab new @maxholt "LA launch" type:review goal:sales expect:"video 1"');
    const workspace = await app.services.workspaces.ensure('console', 'la');
    app.clock.set('2026-12-01T05:00:00Z');
    expect(await app.services.collaborations.planMonth(workspace)).toEqual({ collaborations: 1, planned: 0 });
    // A video published at 21:00 on Nov 30 in LA belongs to November.
    const logged = await say(la, 'content log "LA launch" https://youtu.be/xyz');
    expect(logged.text).toContain('published Nov 30');
    expect(logged.text).toContain('It ticks off the video due Nov 30.');
    app.clock.set('2026-12-01T08:30:00Z');
    expect(await app.services.collaborations.planMonth(workspace)).toEqual({ collaborations: 1, planned: 1 });
    expect((await say(la, 'collab show "LA launch"')).text).toContain('This month (December 2026): videos 0/1');
    app.clock.set('2026-11-23T10:00:00Z');
  });
});

describe('resolving, listing and closing', () => {
  it('GIVEN a creator with two active collaborations THEN the candidates are listed', async () => {
    await say(teamA, 'collab new @zoe.creates "Summer glow" type:review goal:image');
    const { text } = await say(teamA, 'collab show @zoe.creates');
    expect(text).toContain('Zoë Tran has 2 active collaborations. Say which one:');
    expect(text).toContain(`• Spring launch with Zoë Tran · id ${springId}`);
    expect(text).toMatch(/• Summer glow with Zoë Tran · id [a-f0-9]{24}/);
    expect((await say(teamA, 'collab show "summer GLOW"')).text).toContain('== Summer glow ==');
  });

  it('GIVEN a collaboration closed as cancelled THEN its open items are cancelled and it leaves the active list', async () => {
    const { text } = await say(teamA, 'collab close "Summer glow" cancelled Budget moved to spring');
    expect(text).toContain('Closed Summer glow as cancelled (Budget moved to spring).');
    expect((await say(teamA, 'collab close "Summer glow"')).text).toBe('Summer glow is already cancelled.');
    const closed = await app.models.collaborations.findOne({ title: 'Summer glow' }).lean();
    expect(closed).toMatchObject({ status: 'cancelled', closeReason: 'Budget moved to spring', closedAt: new Date('2026-11-23T10:00:00Z') });
    const active = await say(teamA, 'collab list');
    expect(active.text).toContain('1 active collaboration · November 2026');
    // The November story logged on December 2 counts for November.
    expect(active.text).toContain('• Spring launch · Zoë Tran · awareness · posts 1/2 · stories 1/3 · reels 0/1');
    const all = await say(teamA, 'collab list all Zoë Tran');
    expect(all.text).toContain('2 collaborations with Zoë Tran');
    expect(all.text).toContain('• Summer glow · Zoë Tran · image · cancelled');
  });

  it('GIVEN a collaboration completed THEN its open checklist items are cancelled and published ones stay', async () => {
    const before = await app.models.contents.countDocuments({ collaborationId: springId, status: 'planned' });
    const { text } = await say(teamA, 'collab close "Spring launch"');
    expect(text).toContain(`Closed Spring launch as completed. ${before} open checklist items were cancelled.`);
    expect(await app.models.contents.countDocuments({ collaborationId: springId, status: 'planned' })).toBe(0);
    expect(await app.models.contents.countDocuments({ collaborationId: springId, status: 'published' })).toBe(2);
    expect((await say(teamA, 'collab show zoe')).text).toContain('Zoë Tran has no active collaboration.');
    expect((await say(teamA, 'influencer show zoe')).text).not.toContain('Active collaborations');
    const workspace = await app.services.workspaces.ensure('console', 'team-a');
    expect(await app.services.collaborations.planMonth(workspace, '2027-01')).toEqual({ collaborations: 0, planned: 0 });
  });
});

describe('workspace isolation for collaborations and content', () => {
  it("GIVEN workspace B names A's collaboration, creator or content THEN it finds nothing and A's records are untouched", async () => {
    const before = await snapshot();
    await say(teamB, 'influencer add "Someone Else" @else network:x');
    const afterAdd = await snapshot();
    const refs = ['"Spring launch"', springId, '@zoe.creates', '"Zoë Tran"'];
    for (const ref of refs) {
      for (const line of [
        `collab show ${ref}`,
        `collab brief ${ref}`,
        `collab brief ${ref} sent`,
        `collab brief ${ref} cta:mine`,
        `collab deliverable ${ref}`,
        `collab deliverable ${ref} add post`,
        `collab close ${ref}`,
        `content log ${ref} https://www.instagram.com/p/BBB/`,
      ]) {
        const { text } = await say(teamB, line);
        expect(text, line).toMatch(/^No collaboration matches|^No creator matches/);
      }
    }
    for (const line of [`content metrics ${postId} reach:1`, 'content metrics https://www.instagram.com/p/AAA/ reach:1', `content list ${springId}`, 'content list "Spring launch"', 'content list @zoe.creates']) {
      expect((await say(teamB, line)).text, line).toMatch(/^No content matches|^No creator or collaboration|^No creator matches/);
    }
    expect((await say(teamB, 'collab new @zoe.creates "Stolen" type:review goal:sales')).text).toContain('No creator matches "@zoe.creates"');
    expect((await say(teamB, `collab new ${String((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!._id)} "Stolen" type:review goal:sales`)).text).toContain(
      'No creator matches',
    );
    expect((await say(teamB, 'collab list all')).text).toBe('No collaborations. Start one with `/collab new <who>`.');
    const workspaceB = await app.services.workspaces.ensure('console', 'team-b');
    expect(await app.services.collaborations.planMonth(workspaceB, '2026-12')).toEqual({ collaborations: 0, planned: 0 });
    expect(await snapshot()).toBe(afterAdd);
    expect(afterAdd).not.toBe(before);
  });

  it("GIVEN both workspaces log the same link THEN each keeps its own, and metrics stay apart", async () => {
    await say(teamB, 'collab new @else "B campaign" type:review goal:awareness');
    expect((await say(teamB, 'content log "B campaign" https://www.instagram.com/p/AAA/')).text).toContain('Logged a post for B campaign');
    expect((await say(teamB, 'content metrics https://www.instagram.com/p/AAA/ impressions:7')).text).toContain('Recorded for the post of B campaign');
    const a = await app.models.contents.findById(postId).lean();
    expect(a?.metrics).toEqual({});
    expect((await say(teamA, 'content list "Spring launch"')).text).toContain('https://www.instagram.com/p/AAA/ · no metrics yet');
  });

  it('GIVEN a collaboration titled like a handle and a creator whose handle only starts the same THEN /content list @title lists the collaboration; an exact @handle lists the creator', async () => {
    const team = consoleCaller('team-at-title', 'tara');
    await say(team, 'influencer add "Spring Field" @springfield network:instagram');
    await say(team, 'influencer add "Ada Lee" @ada.lee network:tiktok');
    await say(team, 'collab new @ada.lee "@spring" type:review goal:awareness');
    await say(team, 'content log "@spring" https://www.tiktok.com/@ada.lee/video/1');
    expect((await say(team, 'content list @spring')).text).toContain('1 published piece for @spring:');
    expect((await say(team, 'content list @ada.lee')).text).toContain('1 published piece for Ada Lee:');
  });
});

describe('what a collaboration expects, month by month', () => {
  const team = consoleCaller('team-months', 'mo');
  const itemsOf = async (title: string) => {
    const collaboration = (await app.models.collaborations.findOne({ title }).lean())!;
    return (await app.models.contents.find({ collaborationId: collaboration._id, planned: true }).lean()).map((item) => `${item.month} ${item.type}`).sort();
  };

  beforeAll(async () => {
    await say(team, 'influencer add "Mo Rivera" @mo.rivera network:youtube');
  });

  it('GIVEN a collaboration that starts next month THEN this month expects nothing, and next month expects its content', async () => {
    await say(team, 'collab new @mo.rivera "December drop" type:sponsored-post goal:awareness expect:"post 2" start:2026-12-01');
    expect((await say(team, 'collab show "December drop"')).text).toContain('This month (November 2026): nothing expected');
    expect((await say(team, 'collab list')).text).toContain('December drop · Mo Rivera · awareness · nothing expected');
    expect((await say(team, 'collab deliverable "December drop" month:2026-12')).text).toContain('Delivered vs expected: posts 0/2');
    expect(await itemsOf('December drop')).toEqual(['2026-12 post', '2026-12 post']);
  });
});
