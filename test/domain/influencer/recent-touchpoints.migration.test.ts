import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/domain/services';
import { buildApp } from '../../helpers/app';
import { runConsole } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/database';

/**
 * The start-up migration that gives creators contacted before the card kept its last touchpoints
 * their "Recent touchpoints": written by the current version's commands, then with the field
 * taken away as an older version left it. Workspace in UTC, today 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');
const everyCreator = () => app.models.influencers.find().sort({ _id: 1 }).lean();

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say(
    'influencer add "Zoë Tran" @zoe.creates network:instagram',
    'influencer add "Noah Kim" @noah network:tiktok',
    'influencer add "Ana Lima" @ana network:instagram',
    'influencer log @zoe.creates outreach First DM date:2026-11-01',
    'influencer log @zoe.creates reply She is interested date:2026-11-03',
    'influencer log @zoe.creates call Rates and dates date:2026-11-10',
    'influencer log @zoe.creates gift Sent the autumn box date:2026-11-15',
    'influencer log @zoe.creates note Loved the box — merci ✨ date:2026-11-20',
    'influencer log @noah outreach Hello date:2026-11-02',
  );
});

describe('GIVEN creators written by the current version', () => {
  it('THEN the migration changes nothing, however often it runs', async () => {
    const before = await everyCreator();
    expect(await migrate(app.services)).toMatchObject({ recentTouchpoints: 0 });
    expect(await migrate(app.services)).toMatchObject({ recentTouchpoints: 0 });
    expect(await everyCreator()).toEqual(before);
  });
});

describe('GIVEN creators contacted before the card kept its last touchpoints', () => {
  beforeAll(async () => {
    // As an older version left them: touchpoints and last contact, no copy on the record.
    await app.models.influencers.collection.updateMany({}, { $unset: { recentTouchpoints: '' } });
  });

  it('THEN the card shows no Recent until migrated, then the last three, newest first, and a second run changes nothing', async () => {
    expect(await say('influencer show @zoe.creates')).not.toContain('Recent touchpoints');
    expect(await migrate(app.services)).toMatchObject({ recentTouchpoints: 2 });
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect(zoe!.recentTouchpoints!.map((t) => [t.at!.toISOString().slice(0, 10), t.kind, t.byId, t.summary])).toEqual([
      ['2026-11-20', 'note', 'alice', 'Loved the box — merci ✨'],
      ['2026-11-15', 'gift', 'alice', 'Sent the autumn box'],
      ['2026-11-10', 'call', 'alice', 'Rates and dates'],
    ]);
    const card = await say('influencer show @zoe.creates');
    expect(card).toContain('Recent touchpoints');
    expect(card).toContain('2026-11-20 · note · @alice · Loved the box — merci ✨');
    expect(card).toContain('2026-11-10 · call · @alice · Rates and dates');
    expect(card).not.toContain('She is interested');
    // Never contacted: nothing to show, nothing written.
    expect((await app.models.influencers.findOne({ name: 'Ana Lima' }).lean())!.recentTouchpoints).toBeUndefined();

    const after = await everyCreator();
    expect(await migrate(app.services)).toMatchObject({ recentTouchpoints: 0 });
    expect(await everyCreator()).toEqual(after);
  });

  it('THEN a touchpoint logged after the migration joins the three as before', async () => {
    await say('influencer log @noah reply Yes please');
    const noah = await app.models.influencers.findOne({ name: 'Noah Kim' }).lean();
    expect(noah!.recentTouchpoints!.map((t) => t.summary)).toEqual(['Yes please', 'Hello']);
  });
});
