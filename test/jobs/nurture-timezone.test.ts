import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { seedCollaboration } from '../helpers/scheduler';

/**
 * A snooze or "done" put on an item holds when the workspace's timezone changes, in every list:
 * the daily digest, the owner's nudge, the team's nudge in the nudges channel and App Home. A
 * relationship's reminder is keyed by the local day of its last touchpoint, which a new zone can
 * move (Kiritimati is 14 hours ahead of UTC); it is still the same reminder until a new touchpoint.
 * Through the console: the item's own button line, then `/irm settings timezone:`, then the previews.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');
/** The line a button of `name`'s item runs, from printed output (`[Snooze 7 days: influencer snooze item:...]`). */
const buttonLine = (printed: string, name: string, label: string) => {
  const line = printed.split('\n').find((l) => l.includes(name) && l.includes(`[${label}: `));
  return /\[[^\]:]+: ([^\]]+)\]/.exec(line!.slice(line!.indexOf(`[${label}: `)))![1]!;
};
const lists = async () => ({
  digest: await say('irm digest now daily-digest'),
  nudges: await say('irm digest now nudges'),
  home: await say('irm home'),
});
const named = (printed: string) => ['Noah Kim', 'Mia Rossi', 'Ask for the draft', 'Winter box'].filter((name) => printed.includes(name));

beforeAll(async () => {
  // Monday 23 November 2026, 10:00 UTC: already Tuesday 24 November, 00:00, in Kiritimati.
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(
    'irm settings nudges:#nudges',
    'influencer add "Noah Kim" @noah network:tiktok stage:active',
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:active',
    'influencer add "Mia Rossi" @mia network:instagram birthday:11-25',
    // 20:00 UTC on 20 September: 21 September in Kiritimati. Past the maximum interval (45 days) either way.
    'influencer log @noah call Hello at:2026-09-20T20:00:00Z',
    'influencer log @zoe.creates call Hello at:2026-09-20T20:00:00Z',
    'influencer remind @mia 2026-11-23 Ask for the draft',
  );
  const ws = await app.services.workspaces.ensure('console', 'console');
  const { collaboration } = await seedCollaboration(app, { id: ws.id, timezone: 'UTC' }, { name: 'Lea Park', title: 'Winter box', ownerId: 'alice' });
  await app.services.content.addPlanned(collaboration, 'reel', '2026-11-25', 'UTC');
});

describe('GIVEN items snoozed or done by their buttons, then a new workspace timezone', () => {
  it('THEN before: every item is in the digest, the nudges (team and own) and App Home', async () => {
    const before = await lists();
    expect(named(before.digest)).toEqual(['Noah Kim', 'Mia Rossi', 'Ask for the draft', 'Winter box']);
    expect(named(before.nudges)).toEqual(['Noah Kim', 'Mia Rossi', 'Ask for the draft']);
    expect(named(before.home)).toEqual(['Noah Kim', 'Mia Rossi', 'Ask for the draft', 'Winter box']);
    // Snooze the relationship and the follow-up, done the birthday and the deliverable, each by its item's button.
    const nudges = before.nudges;
    expect(await say(buttonLine(nudges, 'Noah Kim', 'Snooze 7 days'))).toContain('Snoozed until Nov 30');
    expect(await say(buttonLine(nudges, 'Ask for the draft', 'Snooze 7 days'))).toContain('Snoozed until Nov 30');
    expect(await say(buttonLine(nudges, 'Mia Rossi', 'Done'))).toContain('Done: it leaves');
    expect(await say(buttonLine(before.digest, 'Winter box', 'Done'))).toContain('Done: it leaves');
    const after = await lists();
    expect([named(after.digest), named(after.nudges), named(after.home)]).toEqual([[], [], []]);
    expect(after.nudges).toContain('Zoë Tran');
  });

  it('THEN after the change: still hidden in the digest, both nudges and App Home', async () => {
    expect(await say('irm settings timezone:Pacific/Kiritimati')).toContain('Pacific/Kiritimati');
    const after = await lists();
    expect([named(after.digest), named(after.nudges), named(after.home)]).toEqual([[], [], []]);
    // The same lists otherwise: Zoë, never snoozed, is in them.
    expect([after.digest, after.nudges, after.home].map((p) => p.includes('Zoë Tran'))).toEqual([true, true, true]);
  });

  it('THEN a new touchpoint starts a new interval: Noah is back in every list once it is past again', async () => {
    await say('influencer log @noah call Quick hello date:2026-10-01');
    const after = await lists();
    expect([named(after.digest), named(after.nudges), named(after.home)]).toEqual([['Noah Kim'], ['Noah Kim'], ['Noah Kim']]);
  });
});
