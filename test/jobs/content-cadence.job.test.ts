import { beforeEach, describe, expect, it } from 'vitest';
import monthlyChecklist from '../../jobs/monthly-checklist.job';
import { atLocalTime, type Actor } from '../../src/core';
import { localDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { buildScheduler, freshWorkspace, recordingPoster, useSchedulingApp } from '../helpers/scheduler';

/**
 * A one-off collaboration plans its content once; an ongoing one every month. `content:once|monthly`
 * on /collab new, defaulting to once when the fee is typed as paid once (schedule:once), else monthly. Through the command router and the monthly-checklist job on the real scheduler, with
 * a fake clock in Paris; checklists read back from the database.
 */

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2026-11-23T15:00:00Z');
const TZ = 'Europe/Paris';
const TEAM = 'T0CADENCE';
const admin: Caller = { platform: 'slack', workspaceExternalId: TEAM, actor: { id: 'U0ADMIN', isAdmin: async () => true } satisfies Actor };

const say = async (line: string) => (await sayAs(app, admin, line)).text;

/** A collaboration's checklist as the database holds it: month, type, local due day, status. */
async function checklist(title: string) {
  const collab = (await app.models.collaborations.findOne({ title }).lean())!;
  const items = await app.models.contents.find({ collaborationId: collab._id }).sort({ dueAt: 1 }).lean();
  return items.map((i) => [i.month, i.type, i.dueAt ? localDay(i.dueAt, TZ) : null, i.status]);
}

beforeEach(async () => {
  await freshWorkspace(app, TEAM, TZ);
  await say('influencer add "Ana Souza" @ana.souza network:instagram');
});

describe('content due once or every month', () => {
  it('GIVEN a one-off review, an ambassador and a review set to monthly WHEN the monthly-checklist job runs on Dec 1 and Jan 1 THEN the review is planned once, the others every month', async () => {
    // A fee typed as paid once: a one-off piece of work, so its content is due once too.
    const review = await say('collab new @ana.souza "Autumn review" type:review goal:image expect:"reel 1" fee:800 currency:EUR schedule:once');
    // Due over a month from the start: Nov 23 to Dec 22.
    expect(review).toContain('Checklist for November 2026: 1 reel (due Dec 22)');
    expect(review).toContain('Content: 1 reel, once');
    await say('collab new @ana.souza "Ambassador" type:ambassador goal:image expect:"post 1" fee:2000 currency:EUR schedule:monthly');
    await say('collab new @ana.souza "Monthly review" type:review goal:image expect:"story 1" fee:300 schedule:once content:monthly');
    // A fee given without a schedule is paid once; its content stays per month unless content:once is said.
    await say('collab new @ana.souza "Fee alone" type:review goal:image expect:"post 1" fee:300');
    expect((await app.models.collaborations.find({}).sort({ title: 1 }).lean()).map((c) => [c.title, c.contentCadence])).toEqual([
      ['Ambassador', 'monthly'],
      ['Autumn review', 'once'],
      ['Fee alone', 'monthly'],
      ['Monthly review', 'monthly'],
    ]);

    const scheduler = await buildScheduler(connection, app, { posters: { slack: recordingPoster(app.clock).poster }, jobs: [monthlyChecklist] });
    for (const day of ['2026-12-01', '2027-01-01']) {
      app.clock.set(atLocalTime(day, '09:00', TZ));
      await scheduler.tick(app.clock());
      await scheduler.tick(app.clock());
    }
    expect(await connection.collection('job_runs').countDocuments({ job: 'monthly-checklist' })).toBe(2);

    expect(await checklist('Autumn review')).toEqual([['2026-11', 'reel', '2026-12-22', 'planned']]);
    expect(await checklist('Ambassador')).toEqual([
      ['2026-11', 'post', '2026-11-30', 'planned'],
      ['2026-12', 'post', '2026-12-31', 'planned'],
      ['2027-01', 'post', '2027-01-31', 'planned'],
    ]);
    expect((await checklist('Monthly review')).map(([month]) => month)).toEqual(['2026-11', '2026-12', '2027-01']);
    // January expects nothing of the one-off review.
    expect(await say('collab show "Autumn review"')).toContain('This month (January 2027): nothing expected');
    // Lists tell the one-off from the monthly ones, and expect nothing of it in January either.
    const lines = (await say('collab list')).split('\n').filter((line) => line.startsWith('• '));
    expect(lines.map((line) => line.replace(/ · id [a-f0-9]{24}$/, '')).sort()).toEqual([
      '• Ambassador · Ana Souza · image · posts 0/1',
      '• Autumn review · Ana Souza · image · nothing expected (content due once)',
      '• Fee alone · Ana Souza · image · posts 0/1',
      '• Monthly review · Ana Souza · image · stories 0/1',
    ]);
    expect(await say('influencer show @ana.souza')).toContain('Active collaborations: Autumn review (image): nothing expected (content due once)');
  });

  it('GIVEN a monthly collaboration WHEN /collab edit content:once THEN later months are no longer planned, this month stays, and the history says so', async () => {
    await say('collab new @ana.souza "Retainer" type:ambassador goal:image expect:"post 1" fee:2000 currency:EUR schedule:monthly');
    expect(await checklist('Retainer')).toEqual([['2026-11', 'post', '2026-11-30', 'planned']]);
    const edited = await say('collab edit Retainer content:once');
    expect(edited).toContain('Content due: monthly → once');
    // Once is due over a month from the start (Nov 23 to Dec 22): the open item moves there.
    expect(await checklist('Retainer')).toEqual([['2026-11', 'post', '2026-12-22', 'planned']]);
    expect(await say('collab edit Retainer content:once')).toContain('Nothing changed');
    const scheduler = await buildScheduler(connection, app, { posters: { slack: recordingPoster(app.clock).poster }, jobs: [monthlyChecklist] });
    app.clock.set(atLocalTime('2026-12-01', '09:00', TZ));
    await scheduler.tick(app.clock());
    await scheduler.tick(app.clock());
    expect(await checklist('Retainer')).toEqual([['2026-11', 'post', '2026-12-22', 'planned']]);
    expect((await app.models.collaborations.findOne({ title: 'Retainer' }).lean())!.contentCadence).toBe('once');
    expect(await say('collab show Retainer history')).toContain('Content due: monthly → once');
    // Bad input names the field and what is accepted.
    expect(await say('collab edit Retainer content:weekly')).toContain('content');
  });
});
