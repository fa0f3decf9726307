import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../../src/domain/services';
import { buildApp } from '../../helpers/app';
import { runConsole } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/database';

/**
 * A creator's reach-out day stays right when the write after a stage change, an own cadence or an
 * import fails: the first write marks it stale, and a retyped command, the next touchpoint or the
 * next start repairs it. The failure is one forced error of the reach-out write (the database
 * refusing once). Workspace in UTC, today 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');
const reachOut = async (name: string) => {
  const c = (await app.models.influencers.findOne({ name }).lean())!;
  return { stage: c.stage, day: c.reachOut?.day ?? null, since: c.reachOut?.since ?? null };
};
/** The next reach-out write (a bulk write of the creators' days) fails once. */
const failNextReachOutWrite = () => vi.spyOn(app.models.influencers, 'bulkWrite').mockRejectedValueOnce(new Error('connection reset'));

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(
    'influencer add "Ana Lima" @ana network:instagram stage:contacted owner:@alice',
    'influencer log @ana call Hello date:2026-10-01',
    'influencer add "Noah Kim" @noah network:tiktok stage:active owner:@alice',
    'influencer log @noah call Hello date:2026-11-20',
    'influencer add "Mia Rossi" @mia network:instagram owner:@alice',
    'influencer log @mia call Hello date:2026-10-01',
  );
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('GIVEN a stage change whose reach-out write fails', () => {
  it('THEN the command apologises, and retyping it writes her day from the new stage and App Home lists her', async () => {
    failNextReachOutWrite();
    expect(await say('influencer stage @ana active')).toContain('Sorry');
    expect(await reachOut('Ana Lima')).toEqual({ stage: 'active', day: '2026-10-11', since: '2026-10-01' });

    expect(await say('influencer stage @ana active')).toContain('already active');
    // Active: ideal 21 days from 1 October.
    expect(await reachOut('Ana Lima')).toEqual({ stage: 'active', day: '2026-10-22', since: '2026-10-01' });
    expect(await say('irm home')).toContain('Ana Lima');
  });
});

describe("GIVEN an own cadence whose reach-out write fails", () => {
  it('THEN the next touchpoint writes the day from the new cadence, not the stale one', async () => {
    failNextReachOutWrite();
    expect(await say('influencer edit @noah cadence:2/60')).toContain('Sorry');
    // Still the active stage's 21 days from 20 November.
    expect(await reachOut('Noah Kim')).toEqual({ stage: 'active', day: '2026-12-11', since: '2026-11-20' });

    await say('influencer log @noah call Rates date:2026-11-21');
    expect(await reachOut('Noah Kim')).toEqual({ stage: 'active', day: '2026-11-23', since: '2026-11-21' });
  });
});

describe('GIVEN a stage change whose reach-out write fails, and nobody retypes it', () => {
  it("THEN the next start's upgrade writes the day, and a second run changes nothing", async () => {
    failNextReachOutWrite();
    expect(await say('influencer stage @mia active')).toContain('Sorry');
    expect(await reachOut('Mia Rossi')).toEqual({ stage: 'active', day: null, since: '2026-10-01' });
    expect(await say('irm home')).not.toContain('Mia Rossi');

    expect(await migrate(app.services)).toMatchObject({ reachOut: 1 });
    expect(await reachOut('Mia Rossi')).toEqual({ stage: 'active', day: '2026-10-22', since: '2026-10-01' });
    expect(await say('irm home')).toContain('Mia Rossi');
    expect(await migrate(app.services)).toMatchObject({ reachOut: 0 });
  });
});
