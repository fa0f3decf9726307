import { beforeAll, describe, expect, it } from 'vitest';
import monthlyDigest from '../../jobs/monthly-digest.job';
import { periodFor, toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { digestChart, digestReply } from '../../commands/report.view';
import { buildMonthlyReport, type ReportCollaborationInput } from '../../src/domain/report/report-rules';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/** Results by month through the console surface: `/collab show <collab> month:YYYY-MM` and `/irm report`. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const team = consoleCaller('team-report', 'maria');

const say = (caller: Caller, line: string) => sayAs(app, caller, line);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-12-01T08:00:00Z', timezone: 'Europe/Paris' });
  await say(team, 'influencer add "Zoë Tran" @zoe.creates network:instagram email:zoe@example.com phone:+33612345678');
  await say(team, 'collab new @zoe.creates "Barrier Repair launch" type:sponsored-post goal:awareness expect:"post 2" fee:1000 currency:EUR schedule:monthly start:2026-10-01');
  await say(team, 'content log "Barrier Repair launch" https://www.instagram.com/p/OCT/ published:2026-10-15');
  await say(team, 'content log "Barrier Repair launch" https://www.instagram.com/p/NOV/ published:2026-11-30');
  await say(team, 'content metrics https://www.instagram.com/p/OCT/ reach:500 impressions:1000');
  await say(team, 'content metrics https://www.instagram.com/p/NOV/ reach:1000 impressions:4000');
});

describe('results by month', () => {
  it('GIVEN pieces published in October and November WHEN November is shown THEN only the November piece counts, against that month\'s checklist and fee', async () => {
    const { text } = await say(team, 'collab show "Barrier Repair launch" month:2026-11');
    // The November piece ticked off an October item (the earliest open); it was still delivered in November.
    expect(text.split('\n').filter((line) => /November|Cost per|Results count/.test(line))).toEqual([
      'November 2026: posts 1/2',
      'Results in November 2026 (awareness): reach 1,000 · impressions 4,000 · views 0 · 1 published',
      'Committed in November 2026: €1,000.00 · paid in it: nothing',
      'Cost per thousand impressions (on committed cost): €250.00',
      'Results count in the month each piece was published, in the workspace timezone. Committed in the month: the fee payments whose day falls in it, payments added by hand due in it, and the commission on its revenue.',
    ]);
  });

  it('GIVEN a month that is not YYYY-MM THEN the field is named and nothing is shown', async () => {
    const { text } = await say(team, 'collab show "Barrier Repair launch" month:11/2026');
    expect(text).toContain('month must be like 2026-11');
  });
});

describe('/irm report', () => {
  it('GIVEN November WHEN reported privately THEN it is the digest, for the asker only, with the chart as a PNG file', async () => {
    const outcome = await say(team, 'irm report 2026-11');
    const answer = outcome.answer as Reply;
    expect(answer.visibility).toBe('private');
    expect(outcome.text.split('\n')[0]).toBe('== Performance digest · November 2026 ==');
    expect(outcome.text).toContain('1. Zoë Tran · Barrier Repair launch · posts 1/2 · reach 1,000 (+100% on Oct) · cost per thousand impressions €250.00');
    expect(answer.files?.map((f) => [f.name, f.mimeType, f.bytes.length > 1000])).toEqual([['performance-2026-11.png', 'image/png', true]]);
  });

  it('GIVEN a creator WHEN their briefing pack is asked THEN it reads to them, and "Briefing held" logs a briefing touchpoint', async () => {
    const outcome = await say(team, 'irm report 2026-11 @zoe.creates');
    expect(outcome.text.split('\n')).toEqual([
      '== Briefing pack · Zoë Tran · November 2026 ==',
      'Private to you. Send it to the creator as it is, or adapt it; press "Briefing held" after the call.',
      'Hi Zoë, here is your November 2026 with us.',
      'Barrier Repair launch (our goal: awareness)',
      'What you delivered: 1 of 2 posts.',
      'Results: reach 1,000, impressions 4,000, reach up 100% on October 2026.',
      'Thank you - your reach grew compared with last month.',
      'Next month (December 2026): 2 posts, as agreed.',
      'Our reporting day: on the 1st of each month, when we go through the results together.',
      expect.stringMatching(/^\[Briefing held: influencer log [a-f0-9]{24} briefing Monthly briefing: November 2026\]$/),
    ]);
    const line = (outcome.answer as Reply).blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []))[0]!.line;
    await say(team, line);
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    const touchpoints = await app.models.touchpoints.find({ influencerId: zoe!._id }).lean();
    expect(touchpoints.map((t) => [t.kind, t.summary])).toEqual([['briefing', 'Monthly briefing: November 2026']]);
  });

  it('GIVEN csv THEN every piece of the month comes as a file, privately, with formula cells neutralised', async () => {
    await say(team, 'influencer add "=HYPERLINK(evil)" @evil network:instagram');
    await say(team, 'collab new @evil "+SUM(A1)" type:review goal:sales expect:"post 1" start:2026-11-01');
    await say(team, 'content log "+SUM(A1)" https://www.instagram.com/p/EVIL/ published:2026-11-05');
    await say(team, 'content metrics https://www.instagram.com/p/EVIL/ purchases:3 revenue:120.50');
    const outcome = await say(team, 'irm report 2026-11 csv');
    const answer = outcome.answer as Reply;
    expect(answer.visibility).toBe('private');
    expect(answer.files?.map((f) => [f.name, f.mimeType])).toEqual([['content-2026-11.csv', 'text/csv']]);
    const csv = new TextDecoder().decode(answer.files![0]!.bytes).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv.slice(0, 3)).toEqual([
      'published,creator,collaboration,goal,type,network,url,reach,impressions,views,likes,comments,shares,saves,clicks,new_followers,redemptions,purchases,revenue,currency',
      "2026-11-05,'=HYPERLINK(evil),'+SUM(A1),sales,post,instagram,https://www.instagram.com/p/EVIL/,,,,,,,,,,,3,120.50,USD",
      '2026-11-30,Zoë Tran,Barrier Repair launch,awareness,post,instagram,https://www.instagram.com/p/NOV/,1000,4000,,,,,,,,,,,EUR',
    ]);
  });

  it('GIVEN a month not started, a month that is not one, or nobody by that name THEN the answer says which', async () => {
    expect((await say(team, 'irm report 2027-01')).text).toBe('month 2027-01 has not started yet; the latest is 2026-12 (December 2026 so far).');
    expect((await say(team, 'irm report november')).text).toContain('month must be like 2026-11');
    expect((await say(team, 'irm report 2026-11 Nobody Here')).text).toContain('Nobody Here');
    expect((await say(team, 'irm report 2026-11 {"$gt": ""}')).text).not.toContain('Briefing pack');
  });

  it('GIVEN a one-off collaboration (content:once) WHEN its November briefing pack is asked THEN next month promises no new content, naming what is still open', async () => {
    const once = consoleCaller('team-once', 'maria');
    await say(once, 'influencer add "Ana Ruiz" @ana.ruiz network:instagram');
    await say(once, 'collab new @ana.ruiz "Serum review" type:review goal:image expect:"video 1, story 2" content:once start:2026-11-10');
    await say(once, 'content log "Serum review" https://www.instagram.com/stories/ana.ruiz/1/ type:story published:2026-11-20');
    const { text } = await say(once, 'irm report 2026-11 @ana.ruiz');
    expect(text.split('\n').filter((line) => line.startsWith('What you delivered') || line.startsWith('Next month'))).toEqual([
      'What you delivered: 1 of 2 stories, 0 of 1 videos.',
      'Next month (December 2026): no new content is planned: the content was agreed once (2 stories, 1 video); 1 story, 1 video of it still to come.',
    ]);
  });

  it('GIVEN another workspace THEN its report knows nothing of this one', async () => {
    const other = consoleCaller('team-other', 'sam');
    const { text } = await say(other, 'irm report 2026-11');
    expect(text).toContain('Nothing to report for November 2026');
    expect(text).not.toContain('Zoë');
  });
});

/** November with one awareness collaboration since August, one post published (reach 10), nothing expected or paid. */
const oneCollaborationReport = (title: string, influencer: ReportCollaborationInput['influencer']) =>
  buildMonthlyReport({
    month: '2026-11',
    timezone: 'Europe/Paris',
    asOf: new Date('2026-11-30T22:59:59Z'),
    cadences: {},
    collaborations: [
      { id: 'c1', title, goal: 'awareness', status: 'active', currency: 'EUR', start: new Date('2026-08-01T00:00:00Z'), expectedPerMonth: [], compensation: {}, influencer },
    ],
    results: [{ collaborationId: 'c1', month: '2026-11', type: 'post', published: 1, metrics: { reach: 10 } }],
    plan: [],
    payments: [],
  });

describe('a creator removed since', () => {
  it('GIVEN a collaboration whose creator no longer exists THEN the digest names them "A removed creator", in the list and the chart', () => {
    const report = oneCollaborationReport('Orphan', { id: '', name: '', stage: 'ended', archived: true });
    expect(toPlainText(digestReply(report, { visibility: 'channel' }))).toContain('1. A removed creator · Orphan · posts 1/0 · reach 10 (none in Oct) · cost per thousand impressions -');
    expect(digestChart(report).panels.map((p) => p.bars)).toEqual([[{ label: 'A removed creator', value: 10 }]]);
  });
});

describe('ambassador candidates', () => {
  it('GIVEN a candidate WHEN "Promote to ambassador" is pressed THEN the stage changes through the audited path', async () => {
    const zoe = (await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!;
    const report = oneCollaborationReport('Barrier Repair launch', { id: String(zoe._id), name: 'Zoë Tran', stage: 'active', archived: false });
    const digest = digestReply(report, { visibility: 'channel' });
    const promote = digest.blocks.flatMap((b) => (b.type === 'item' ? b.buttons : []));
    expect(promote.map((b) => b.label)).toEqual(['Promote to ambassador']);
    await say(team, promote[0]!.line);
    const after = await app.models.influencers.findById(zoe._id).lean();
    expect(after!.stage).toBe('ambassador');
    const change = await app.models.changes.findOne({ entityId: zoe._id, action: 'stage' }).sort({ _id: -1 }).lean();
    expect(change?.fields.find((f) => f.field === 'stage')).toMatchObject({ from: 'active', to: 'ambassador' });
    expect(change?.actorId).toBe('maria');
  });
});

describe('the reporting day', () => {
  it('GIVEN an admin WHEN reporting_day is set THEN the digest is due that day at the posting time; out of range is refused by name', async () => {
    expect((await say(team, 'irm settings reporting_day:29')).text).toContain('reporting_day is a day of the month from 1 to 28');
    expect((await say(team, 'irm settings reporting_day:5')).text).toContain('Performance digest: on day 5 of each month, for the month before');
    const workspace = await app.services.workspaces.settings((await app.services.workspaces.ensure('console', 'team-report')).id);
    const period = periodFor(monthlyDigest.schedule, new Date('2026-12-03T12:00:00Z'), 'Europe/Paris', workspace.settings.postingTime, workspace.settings.reportingDay);
    expect([period.key, period.runAt.toISOString()]).toEqual(['2026-12', '2026-12-05T08:00:00.000Z']);
  });
});
