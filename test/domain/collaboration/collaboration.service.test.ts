import { beforeAll, describe, expect, it } from 'vitest';
import { CollaborationService, type Collaboration } from '../../../src/domain/collaboration/collaboration.service';
import { buildApp, consoleCaller } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';

/** The service seams other parts build on: planMonth for the scheduler, the cost source for payments. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

async function run(workspace: string, line: string) {
  const space = line.indexOf(' ');
  return app.router.handle(consoleCaller(workspace, 'maria'), app.router.parseText(line.slice(0, space), line.slice(space + 1)));
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Asia/Tokyo' });
  for (const ws of ['one', 'two']) {
    await run(ws, 'influencer add "Zoë Tran" @zoe network:instagram');
    await run(ws, `collab new @zoe "Launch ${ws}" type:review goal:sales expect:"post 2" fee:1000 currency:EUR`);
  }
  await run('one', 'collab new @zoe "Ended early" type:review goal:sales expect:"post 1" end:2026-11-30');
  await run('one', 'collab new @zoe "Starts later" type:review goal:sales expect:"post 1" start:2027-02-01');
});

describe('planMonth(workspace, month), for the scheduler at each month start', () => {
  it('GIVEN two workspaces THEN planning one plans only its own collaborations that run that month', async () => {
    const one = await app.services.workspaces.ensure('console', 'one');
    expect(await app.services.collaborations.planMonth(one, '2026-12')).toEqual({ collaborations: 1, planned: 2 });
    // "Starts later" had its first month planned when it was created: only Launch one's two posts are new.
    expect(await app.services.collaborations.planMonth(one, '2027-02')).toEqual({ collaborations: 2, planned: 2 });
    const two = await app.models.collaborations.findOne({ title: 'Launch two' }).lean();
    expect(await app.models.contents.countDocuments({ collaborationId: two!._id, month: { $ne: '2026-11' } })).toBe(0);
  });

  it('GIVEN many concurrent calls THEN every slot exists exactly once', async () => {
    const two = await app.services.workspaces.ensure('console', 'two');
    const results = await Promise.all(Array.from({ length: 5 }, () => app.services.collaborations.planMonth(two, '2027-01')));
    expect(results.reduce((sum, r) => sum + r.planned, 0)).toBe(2);
    const collab = await app.models.collaborations.findOne({ title: 'Launch two' }).lean();
    const january = await app.models.contents.find({ collaborationId: collab!._id, month: '2027-01' }).lean();
    expect(january.map((i) => i.planSlot).sort()).toEqual([`${String(collab!._id)}:2027-01:post:1`, `${String(collab!._id)}:2027-01:post:2`]);
  });

  it('GIVEN a month that is not YYYY-MM THEN it is refused before any work', async () => {
    const one = await app.services.workspaces.ensure('console', 'one');
    await expect(app.services.collaborations.planMonth(one, '2026-13')).rejects.toThrow('planMonth: month must be YYYY-MM, got 2026-13');
  });
});

describe('forCard, for the influencer card', () => {
  it("GIVEN a creator THEN only their workspace's active collaborations come back, with this month's progress", async () => {
    await run('one', 'content log "Launch one" https://shop.example.com/p/1 type:post');
    const zoe = await app.models.influencers.findOne({ workspaceId: (await app.services.workspaces.ensure('console', 'one')).id, name: 'Zoë Tran' }).lean();
    const { active: rows } = await app.services.collaborations.forCard(zoe!, 'Asia/Tokyo');
    expect(rows.map((r) => [r.collaboration.title, r.progress])).toEqual([
      ['Launch one', [{ type: 'post', delivered: 1, expected: 2 }]],
      ['Ended early', [{ type: 'post', delivered: 0, expected: 1 }]],
      // It starts next month: it expects nothing this month.
      ['Starts later', []],
    ]);
  });
});
