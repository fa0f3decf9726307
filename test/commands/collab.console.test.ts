import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * `/collab new` -> the brief -> the stored checklist -> `/content log` -> `/content metrics` ->
 * `/collab show`, end to end through the console surface, once per goal, with exact figures.
 * The workspace is in Europe/Paris; today is Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
});

const collabNamed = (title: string) => app.models.collaborations.findOne({ title }).lean();
const checklistOf = async (title: string) => {
  const collab = await collabNamed(title);
  return app.models.contents.find({ collaborationId: collab!._id }).sort({ dueAt: 1, type: 1 }).lean();
};

describe('awareness: cost per thousand impressions', () => {
  it('GIVEN a negotiating creator WHEN a collaboration starts with its brief THEN the brief, the checklist and the stage follow', async () => {
    const out = await runConsole(app.router, [
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
      'collab new @zoe.creates "Spring launch" type:"sponsored post" goal:awareness expect:"post 2, story 4" fee:1500 currency:EUR schedule:monthly net:30 reporting-day:5 guidelines:https://brand.example/guidelines key-messages:"Clean formulas, refillable jars" cta:"Shop the launch" must-mention:"#ad" must-avoid:"competitor brands" code:ZOE15 link:https://shop.example.com/?ref=zoe',
    ]);
    const collab = await collabNamed('Spring launch');
    const id = String(collab!._id);
    expect(out).toContain('Started Spring launch with Zoë Tran: awareness, sponsored-post. Zoë Tran moved from negotiating to active.');
    expect(out).toContain('Checklist for November 2026: 2 posts (due Nov 26, Nov 30) · 4 stories (due Nov 24, Nov 26, Nov 28, Nov 30)');
    // The brief the owner sends to the creator.
    expect(out).toContain(
      [
        '== Onboarding brief for Zoë Tran ==',
        'Send this to the creator, then press "Brief sent".',
        'Hi Zoë, welcome to Spring launch! Here is everything for our collaboration.',
        'Our goal: awareness - help as many people as possible discover us; together we will look at reach, impressions and views.',
        'Content per month: 2 posts, 4 stories',
        'Dates: from November 23, 2026, ongoing',
        'Guidelines: https://brand.example/guidelines',
        'Key messages: Clean formulas, refillable jars',
        'Call to action: Shop the launch',
        'Please mention: #ad',
        'Please avoid: competitor brands',
        'Your discount code: ZOE15',
        'Your tracking link: https://shop.example.com/?ref=zoe',
        'Payment: €1,500.00 per month, paid within 30 days of each reporting day',
        'Reporting: we will go through the results together on the 5th of each month.',
        'The creative approach is yours: you know your audience best, so tell it in your own voice and style.',
        `[Brief sent: collab brief ${id} sent]  [Edit brief: collab brief ${id} edit]  [Show collaboration: collab show ${id}]`,
      ].join('\n'),
    );
    expect(collab).toMatchObject({
      goal: 'awareness',
      type: 'sponsored-post',
      ownerId: 'maria',
      start: new Date('2026-11-22T23:00:00Z'),
      expectedPerMonth: [{ type: 'post', count: 2 }, { type: 'story', count: 4 }],
      compensation: { feeMinor: 150000, currency: 'EUR', schedule: 'monthly', netDays: 30, productOnly: false },
      reportingDay: 5,
      discountCode: 'ZOE15',
      trackingLink: 'https://shop.example.com/?ref=zoe',
      brief: { guidelines: 'https://brand.example/guidelines', callToAction: 'Shop the launch', mustMention: '#ad', mustAvoid: 'competitor brands' },
      status: 'active',
    });
    expect(collab?.end).toBeUndefined();
    // The checklist: spread over Nov 23-30, each due at the end of its Paris day.
    const items = await checklistOf('Spring launch');
    expect(items.map((i) => [i.type, i.month, i.status, i.planned, i.dueAt?.toISOString()])).toEqual([
      ['story', '2026-11', 'planned', true, '2026-11-24T22:59:59.999Z'],
      ['post', '2026-11', 'planned', true, '2026-11-26T22:59:59.999Z'],
      ['story', '2026-11', 'planned', true, '2026-11-26T22:59:59.999Z'],
      ['story', '2026-11', 'planned', true, '2026-11-28T22:59:59.999Z'],
      ['post', '2026-11', 'planned', true, '2026-11-30T22:59:59.999Z'],
      ['story', '2026-11', 'planned', true, '2026-11-30T22:59:59.999Z'],
    ]);
    // The stage change is recorded like any other.
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect(zoe?.stage).toBe('active');
    const stageChange = await app.models.changes.findOne({ entityId: zoe!._id, action: 'stage' }).lean();
    expect(stageChange).toMatchObject({ actorId: 'maria', fields: [{ field: 'stage', from: 'negotiating', to: 'active' }] });
    expect(await app.models.changes.countDocuments({ entity: 'collaboration', entityId: collab!._id, action: 'create' })).toBe(1);
  });

  it('GIVEN the brief was sent WHEN "Brief sent" is pressed THEN a briefing touchpoint is logged', async () => {
    const collab = await collabNamed('Spring launch');
    const out = await runConsole(app.router, [`collab brief ${String(collab!._id)} sent`]);
    expect(out).toContain('Logged a briefing with Zoë Tran: Sent the onboarding brief for Spring launch.');
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect(zoe?.lastContact).toMatchObject({ kind: 'briefing', byId: 'maria' });
    expect(await app.models.touchpoints.find({ influencerId: zoe!._id }).lean()).toMatchObject([
      { kind: 'briefing', summary: 'Sent the onboarding brief for Spring launch', byId: 'maria' },
    ]);
    expect((await collabNamed('Spring launch'))?.briefSentAt).toEqual(new Date('2026-11-23T10:00:00Z'));
  });

  it('GIVEN content logged with metrics THEN show has delivered vs expected, results and the CPM exactly', async () => {
    const out = await runConsole(app.router, [
      'content log "Spring launch" https://www.instagram.com/p/AAA/',
      'content log @zoe.creates https://www.instagram.com/stories/zoe.creates/1 published:2026-11-22',
      'content log zoe https://www.instagram.com/stories/zoe.creates/2 story',
      'content metrics https://instagram.com/p/AAA reach:10000 impressions:25000 views:0',
      'content metrics https://www.instagram.com/stories/zoe.creates/1 reach:3000 impressions:5000 views:4000',
      'collab show spring launch',
    ]);
    expect(out).toContain('Logged a post for Spring launch (Zoë Tran), published Nov 23: https://www.instagram.com/p/AAA/\nIt ticks off the post due Nov 26.\nNovember 2026: posts 1/2 · stories 0/4');
    expect(out).toContain('Logged a story for Spring launch (Zoë Tran), published Nov 22: https://www.instagram.com/stories/zoe.creates/1\nIt ticks off the story due Nov 24.');
    expect(out).toContain('November 2026: posts 1/2 · stories 2/4');
    expect(out).toContain('Recorded for the post of Spring launch: reach 10,000 · impressions 25,000 · views 0.');
    // Monthly from Nov 23 with reporting day 5: the first fee is called for on Dec 5, so nothing is committed yet.
    expect(out).toContain('Spring launch so far (awareness): reach 10,000 · impressions 25,000 · views 0\nCost per thousand impressions (on committed cost): -');
    expect(out).toContain(
      [
        '== Spring launch ==',
        'Creator: Zoë Tran (@zoe.creates)',
        'Status: active',
        'Type: sponsored-post',
        'Goal: awareness',
        'Dates: from 2026-11-23, ongoing',
        'Owner: @maria',
        'Content per month: 2 posts, 4 stories',
        'Compensation: €1,500.00 per month, paid within 30 days of each reporting day',
        'Discount code: ZOE15',
        'Tracking link: https://shop.example.com/?ref=zoe',
        'Reporting: on the 5th of each month',
        'Brief sent: Nov 23',
        'This month (November 2026): posts 1/2 · stories 2/4',
        'Results so far (awareness): reach 13,000 · impressions 30,000 · views 4,000 · 3 published',
        'Committed so far: nothing yet · paid so far: nothing yet',
        'Cost per thousand impressions (on committed cost): -',
      ].join('\n'),
    );
    const items = await checklistOf('Spring launch');
    expect(items.filter((i) => i.status === 'published').map((i) => [i.type, i.network, i.publishedAt?.toISOString()])).toEqual([
      ['story', 'instagram', '2026-11-21T23:00:00.000Z'],
      ['post', 'instagram', '2026-11-23T10:00:00.000Z'],
      ['story', 'instagram', '2026-11-23T10:00:00.000Z'],
    ]);
    const story = items.find((i) => i.url === 'https://www.instagram.com/stories/zoe.creates/1')!;
    expect(story.metrics).toEqual({ reach: 3000, impressions: 5000, views: 4000 });
    expect(story.metricHistory.map((h) => [h.metric, h.value, h.at?.toISOString(), h.byId])).toEqual([
      ['reach', 3000, '2026-11-23T10:00:00.000Z', 'maria'],
      ['impressions', 5000, '2026-11-23T10:00:00.000Z', 'maria'],
      ['views', 4000, '2026-11-23T10:00:00.000Z', 'maria'],
    ]);
  });

  it('GIVEN a metric recorded again later THEN the latest value counts and both are kept with when', async () => {
    app.clock.set('2026-11-25T09:00:00Z');
    const out = await runConsole(app.router, ['content metrics https://instagram.com/p/AAA impressions:45000']);
    expect(out).toContain('impressions 45,000');
    // Dec 5, the first reporting day, calls for the first fee: 150000 * 1000 / (45000 + 5000) = 3000 cents.
    app.clock.set('2026-12-06T09:00:00Z');
    const shown = await runConsole(app.router, ['collab show "Spring launch"']);
    expect(shown).toContain('Committed so far: €1,500.00 · paid so far: nothing yet\nCost per thousand impressions (on committed cost): €30.00');
    const post = (await checklistOf('Spring launch')).find((i) => i.url === 'https://www.instagram.com/p/AAA/')!;
    expect(post.metrics).toMatchObject({ impressions: 45000, reach: 10000 });
    expect(post.metricHistory.filter((h) => h.metric === 'impressions').map((h) => [h.value, h.at?.toISOString()])).toEqual([
      [25000, '2026-11-23T10:00:00.000Z'],
      [45000, '2026-11-25T09:00:00.000Z'],
    ]);
    app.clock.set('2026-11-23T10:00:00Z');
  });

  it('GIVEN the creator has an active collaboration THEN their card shows it with this month\'s progress', async () => {
    const out = await runConsole(app.router, ['influencer show @zoe.creates']);
    expect(out).toContain('Active collaborations: Spring launch (awareness): posts 1/2 · stories 2/4');
  });
});

describe('image: cost per engagement', () => {
  it('GIVEN a one-off fee in USD THEN engagement is likes + comments + saves + shares and the CPE is exact', async () => {
    const out = await runConsole(app.router, [
      'influencer add "Ana Lima" @ana.lima network:tiktok stage:contacted',
      'collab new @ana.lima "Autumn glow" type:review goal:image expect:"1 reel" fee:800 currency:USD',
      'content log "Autumn glow" https://www.instagram.com/reel/R1/',
      'content metrics https://www.instagram.com/reel/R1/ likes:700 comments:200 saves:60 shares:40 new_followers:50 reach:9000',
      'collab show "Autumn glow"',
    ]);
    expect(out).toContain('Started Autumn glow with Ana Lima: image, review. Ana Lima moved from contacted to active.');
    expect(out).toContain('Our goal: brand image - spark real conversation around us; together we will look at likes, comments, saves, shares and new followers.');
    expect(out).toContain('Payment: $800.00 once, paid within 30 days of the start');
    expect(out).toContain('Checklist for November 2026: 1 reel (due Nov 30)');
    expect(out).toContain('It ticks off the reel due Nov 30.');
    expect(out).toContain('This month (November 2026): reels 1/1');
    expect(out).toContain('Results so far (image): likes 700 · comments 200 · saves 60 · shares 40 · new followers 50 · 1 published');
    expect(out).toContain('Committed so far: $800.00 · paid so far: nothing yet');
    // 80000 cents / (700 + 200 + 60 + 40) engagements = 80 cents.
    expect(out).toContain('Cost per engagement (on committed cost): $0.80');
  });
});

describe('sales: return = revenue / cost', () => {
  it('GIVEN a fee per deliverable and a commission THEN the cost and the return are exact', async () => {
    const out = await runConsole(app.router, [
      'influencer add "Bo Park" @bopark network:youtube stage:prospect',
      'collab new @bopark "Holiday code" type:affiliate goal:sales expect:"video 1, short 2" fee:500 currency:EUR schedule:per-deliverable net:15 commission:10 code:BO10 link:https://shop.example.com/?ref=bo',
      'content log "Holiday code" https://www.youtube.com/watch?v=abc',
      'content log "Holiday code" https://www.youtube.com/shorts/s1',
      'collab show "Holiday code"',
      'content metrics https://youtube.com/watch?v=abc clicks:900 redemptions:30 purchases:25 revenue:1500',
      'content metrics https://www.youtube.com/shorts/s1 clicks:300 redemptions:10 purchases:9 revenue:900',
      'collab show "Holiday code"',
    ]);
    expect(out).toContain('Payment: €500.00 per published piece, paid within 15 days of publication; plus 10% commission on sales');
    expect(out).toContain('Our goal: sales - turn your audience into customers; together we will look at clicks, discount-code redemptions, purchases and revenue.');
    expect(out).toContain('Your discount code: BO10');
    // Before any revenue: 2 x €500 spent, nothing earned.
    expect(out).toContain('Committed so far: €1,000.00 · paid so far: nothing yet\nReturn (revenue / committed cost): 0.00×');
    expect(out).toContain('This month (November 2026): videos 1/1 · shorts 1/2');
    expect(out).toContain('Results so far (sales): clicks 1,200 · redemptions 40 · purchases 34 · revenue €2,400.00 · 2 published');
    // Cost: 2 x €500 + 10% of €2,400 = €1,240; return 2400 / 1240 = 1.935...
    expect(out).toContain('Committed so far: €1,240.00 · paid so far: nothing yet\nReturn (revenue / committed cost): 1.94×');
    const bo = await app.models.influencers.findOne({ name: 'Bo Park' }).lean();
    expect(bo?.stage).toBe('active');
  });

  it('GIVEN product only with no commission THEN there is no cost and the return is "-"', async () => {
    const out = await runConsole(app.router, [
      'influencer add "Cy Rose" @cyrose network:instagram stage:ambassador',
      'collab new @cyrose "Gift box" type:gifting goal:sales product-only:yes',
      'content log "Gift box" https://www.instagram.com/p/G1/',
      'content metrics https://www.instagram.com/p/G1/ revenue:300',
      'collab show "Gift box"',
    ]);
    expect(out).toContain('Started Gift box with Cy Rose: sales, gifting.\n');
    expect(out).toContain('No content per month agreed, so no checklist.');
    expect(out).toContain('Payment: product only, no fee');
    expect(out).toContain('Beyond plan: no post was open on the checklist for November 2026 or before.');
    expect(out).toContain('This month (November 2026): posts 1/0');
    expect(out).toContain('Committed so far: nothing yet · paid so far: nothing yet\nReturn (revenue / committed cost): -');
    // An ambassador stays an ambassador.
    expect((await app.models.influencers.findOne({ name: 'Cy Rose' }).lean())?.stage).toBe('ambassador');
  });
});

describe('forms on the console', () => {
  it('GIVEN `collab new <who>` alone THEN it asks field by field in order of importance and starts the collaboration', async () => {
    await runConsole(app.router, ['influencer add "Dee Ray" @deeray network:instagram']);
    // Content due: left blank, so once (the fee is paid once): the post is due by the end day.
    const answers = ['Winter drop', 'sponsored post', 'awareness', 'post 1', '250', 'gbp', 'once', '', '14', '2026-12-01', '2027-01-31'];
    const brief = ['https://brand.example/winter', 'Warm and cosy', 'Tap the link', '', ''];
    const rest = ['DEE5', 'https://shop.example.com/?ref=dee', '10', '', ''];
    const out = await runConsole(app.router, ['collab new @deeray', ...answers, ...brief, ...rest]);
    expect(out).toContain('Collaboration: Dee Ray - Enter keeps [the value shown] or skips, "-" clears, "cancel" leaves the form.');
    expect(out).toContain('Title or campaign*: ');
    expect(out).toContain('Started Winter drop with Dee Ray: awareness, sponsored-post. Dee Ray moved from prospect to active.');
    expect(out).toContain('Checklist for December 2026: 1 post (due Jan 31)');
    expect(out).toContain('Content: 1 post, once');
    expect(out).toContain('Payment: £250.00 once, paid within 14 days of the start');
    expect(out).toContain('Dates: December 1, 2026 to January 31, 2027');
    expect(out).toContain('Reporting: we will go through the results together on the 10th of each month.');
    expect(await collabNamed('Winter drop')).toMatchObject({
      start: new Date('2026-11-30T23:00:00Z'),
      end: new Date('2027-01-30T23:00:00Z'),
      compensation: { feeMinor: 25000, currency: 'GBP', schedule: 'once', netDays: 14 },
      brief: { guidelines: 'https://brand.example/winter', keyMessages: 'Warm and cosy', callToAction: 'Tap the link' },
    });
  });

  it('GIVEN `collab brief <collab> edit` THEN the five brief fields are asked, prefilled, and saved', async () => {
    const out = await runConsole(app.router, ['collab brief "Winter drop" edit', '', '-', '', 'Made with wool', 'fast fashion']);
    expect(out).toContain('Guidelines (link or text) (use | between lines) [https://brand.example/winter]: ');
    expect(out).toContain('Saved the brief for Winter drop: Key messages: Warm and cosy → (none); Must mention: (none) → Made with wool; Must avoid: (none) → fast fashion.');
    expect(out).not.toContain('Key messages: Warm and cosy\n');
    const saved = await collabNamed('Winter drop');
    expect(saved?.brief).toEqual({ guidelines: 'https://brand.example/winter', callToAction: 'Tap the link', mustMention: 'Made with wool', mustAvoid: 'fast fashion' });
    const change = await app.models.changes.findOne({ entityId: saved!._id, action: 'brief' }).lean();
    expect(change?.fields.map((f) => f.field)).toEqual(['brief.keyMessages', 'brief.mustMention', 'brief.mustAvoid']);
  });

  it('GIVEN `content log <collab>` without a link THEN a form asks for it', async () => {
    app.clock.set('2026-12-02T10:00:00Z');
    const out = await runConsole(app.router, ['content log "Winter drop"', 'https://www.instagram.com/p/W1', '', '', '']);
    expect(out).toContain('Link to the published piece*: ');
    expect(out).toContain('Logged a post for Winter drop (Dee Ray), published Dec 2: https://www.instagram.com/p/W1\nIt ticks off the post due Jan 31.');
    app.clock.set('2026-11-23T10:00:00Z');
  });
});
