import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../../src/core';
import { migrate } from '../../../src/domain/services';
import { buildApp } from '../../helpers/app';
import { runConsole } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/database';

/**
 * Creators' reach-out days (the day their ideal interval runs out, which App Home lists them by):
 * the start-up migration for creators written by the version before the field existed (written by
 * the current commands, then with the field taken away), and the timezone change that moves the
 * local day of every last touchpoint. Workspace in UTC, today 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');
const everyCreator = () => app.models.influencers.find().sort({ _id: 1 }).lean();
const reachOuts = async () => Object.fromEntries((await everyCreator()).map((c) => [c.name, c.reachOut ? { day: c.reachOut.day, since: c.reachOut.since, hiddenUntil: c.reachOut.hiddenUntil ?? null } : null]));

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:active',
    'influencer add "Noah Kim" @noah network:tiktok stage:active',
    'influencer add "Ana Lima" @ana network:instagram stage:contacted',
    'influencer add "Mia Rossi" @mia network:instagram',
    'influencer log @zoe.creates call Rates and dates date:2026-10-20',
    'influencer log @noah call Hello date:2026-10-25',
    'influencer log @ana reply Interested date:2026-11-05',
  );
  const noah = await app.models.influencers.findOne({ name: 'Noah Kim' }).lean();
  await say(`influencer snooze item:cadence:${String(noah!._id)}:2026-10-25`);
});

const expected = async () => ({
  // Active, ideal 21 days: 13 days past it today.
  'Zoë Tran': { day: '2026-11-10', since: '2026-10-20', hiddenUntil: null },
  // Snoozed for 7 days from its reminder.
  'Noah Kim': { day: '2026-11-15', since: '2026-10-25', hiddenUntil: '2026-11-30' },
  // Contacted, ideal 10 days: 8 days past it.
  'Ana Lima': { day: '2026-11-15', since: '2026-11-05', hiddenUntil: null },
  // A prospect has no cadence; never contacted, its clock runs from when it was stored.
  'Mia Rossi': { day: null, since: localDay((await app.models.influencers.findOne({ name: 'Mia Rossi' }).lean())!.createdAt, 'UTC'), hiddenUntil: null },
});

describe('GIVEN creators written by the current version', () => {
  it('THEN each has its reach-out day, and the migration changes nothing however often it runs', async () => {
    expect(await reachOuts()).toEqual(await expected());
    const before = await everyCreator();
    expect(await migrate(app.services)).toMatchObject({ reachOut: 0 });
    expect(await migrate(app.services)).toMatchObject({ reachOut: 0 });
    expect(await everyCreator()).toEqual(before);
  });
});

describe('GIVEN creators written before the reach-out day existed', () => {
  beforeAll(async () => {
    // As the version before left them: everything but the field.
    await app.models.influencers.collection.updateMany({}, { $unset: { reachOut: '' } });
  });

  it('THEN App Home lists nobody until migrated; then the same days, the snooze kept, and a second run changes nothing', async () => {
    expect(await say('irm home')).not.toContain('Time to reach out');
    expect(await migrate(app.services)).toMatchObject({ reachOut: 4 });
    expect(await reachOuts()).toEqual(await expected());
    const home = await say('irm home');
    expect(home).toContain('Time to reach out (2)');
    expect(home.indexOf('Zoë Tran')).toBeLessThan(home.indexOf('Ana Lima'));
    expect(home).not.toContain('Noah Kim');

    const after = await everyCreator();
    expect(await migrate(app.services)).toMatchObject({ reachOut: 0 });
    expect(await everyCreator()).toEqual(after);
  });
});

describe("GIVEN the workspace's timezone changes", () => {
  it('THEN every reach-out day is that of the last touchpoint in the new zone', async () => {
    await say('irm settings timezone:Pacific/Kiritimati');
    const creators = await everyCreator();
    for (const c of creators) {
      const since = localDay(c.lastContact?.at ?? c.createdAt, 'Pacific/Kiritimati');
      expect([c.name, c.reachOut?.since]).toEqual([c.name, since]);
    }
    const zoe = creators.find((c) => c.name === 'Zoë Tran')!;
    expect(zoe.reachOut!.day).toEqual(addDays(zoe.reachOut!.since!, 21));
    // Kiritimati is 14 hours ahead: the touchpoints logged for a UTC day moved to the next one.
    expect(zoe.reachOut!.since).toEqual('2026-10-21');
    // The same last touchpoint: Noah's snooze of that interval's reminder stays, and App Home leaves him out.
    expect(creators.find((c) => c.name === 'Noah Kim')!.reachOut!.hiddenUntil).toEqual('2026-11-30');
    expect(await say('irm home')).not.toContain('Noah Kim');
  });
});
