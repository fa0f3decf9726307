import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, consoleCaller } from '../../helpers/app';
import { explain } from '../../../commands/domain-errors';
import { isDomainError, type DomainError } from '../../../src/core';
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

describe('create refuses terms that cannot be stored with codes, every problem at once', () => {
  it('GIVEN an end before the start, a negative count, fee and net, a commission over 100 and a 31st reporting day THEN each is a problem on its field, the words name each and what is accepted, and nothing is stored', async () => {
    const one = await app.services.workspaces.ensure('console', 'one');
    const zoe = (await app.services.influencers.resolve(one.id, '@zoe'))!;
    const before = await app.models.collaborations.countDocuments();
    const input = {
      title: 'Broken',
      type: 'review' as const,
      goal: 'sales' as const,
      ownerId: 'maria',
      start: new Date('2026-11-30T15:00:00Z'),
      end: new Date('2026-11-29T15:00:00Z'),
      brief: {},
      expectedPerMonth: [{ type: 'post' as const, count: -1 }],
      compensation: { feeMinor: -5, currency: 'EUR', netDays: -1, commissionPct: 120 },
      reportingDay: 31,
    };
    const refused = await app.services.collaborations.create(one, zoe, input, 'maria').catch((error: unknown) => error);
    expect(isDomainError(refused) && refused.code).toBe('collaboration.invalid');
    expect((refused as DomainError).params).toEqual({
      problems: [
        { code: 'end-before-start', field: 'end', start: '2026-12-01', end: '2026-11-30' },
        { code: 'negative-count', field: 'expect' },
        { code: 'negative-fee', field: 'fee' },
        { code: 'commission-range', field: 'commission' },
        { code: 'negative-net', field: 'net' },
        { code: 'reporting-day-range', field: 'reporting-day' },
      ],
    });
    const words = explain(refused as DomainError);
    expect(words.message).toBe(
      [
        'end (2026-11-30) is before start (2026-12-01)',
        'expected content counts cannot be negative',
        'fee cannot be negative',
        'commission is a percentage from 0 to 100',
        'net cannot be negative',
        'reporting-day is a day of the month from 1 to 28',
      ].join('\n'),
    );
    expect(Object.keys(words.fieldErrors)).toEqual(['end', 'expect', 'fee', 'commission', 'net', 'reporting-day']);
    expect(await app.models.collaborations.countDocuments()).toBe(before);
  });
});
