import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * The checklist item a piece ticked off, opened again by `/content edit` and `/content remove`:
 * on the day the collaboration's terms give it now (after `/collab edit content:once|monthly`), and
 * never lost when the database fails part way (a write made to fail once, as a dropped connection
 * would), the retyped command finishing the work. Typed on the console; the checklist read back.
 * Workspace in UTC, today Monday 2026-11-23; collaborations start today.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say('influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating');
});

afterEach(() => {
  vi.restoreAllMocks();
});

const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');

/** A collaboration's checklist as a person reads it: type, due day, status, link. */
async function checklist(title: string) {
  const collab = await app.models.collaborations.findOne({ title }).lean();
  const items = await app.models.contents.find({ collaborationId: collab!._id }).sort({ dueAt: 1, type: 1, publishedAt: 1 }).lean();
  return items.map((item) => [item.type, item.dueAt?.toISOString().slice(0, 10) ?? null, item.status, item.url ?? null]);
}

const idOf = async (url: string) => String((await app.models.contents.findOne({ url }).lean())!._id);

describe('an item opened again after the content cadence changed', () => {
  it('GIVEN a fresh one-off collaboration THEN its 2 posts are due Dec 7 and Dec 22 (the days the once rule gives)', async () => {
    await say('collab new @zoe.creates "Fresh once" type:review goal:awareness expect:"post 2" content:once');
    expect(await checklist('Fresh once')).toEqual([
      ['post', '2026-12-07', 'planned', null],
      ['post', '2026-12-22', 'planned', null],
    ]);
  });

  it('GIVEN a post ticked off under monthly WHEN the collaboration becomes once and the post is removed THEN its item opens on Dec 7, as a fresh once-collaboration plans it', async () => {
    const url = 'https://www.instagram.com/p/MONTHLY/';
    await say('collab new @zoe.creates "Monthly then once" type:review goal:awareness expect:"post 2"', `content log "Monthly then once" ${url}`);
    expect(await checklist('Monthly then once')).toEqual([
      ['post', '2026-11-26', 'published', url],
      ['post', '2026-11-30', 'planned', null],
    ]);
    expect(await say('collab edit "Monthly then once" content:once')).toContain('Checklist: post due 2026-11-30 → 2026-12-22.');
    expect(await say(`content remove ${await idOf(url)} Wrong campaign`)).toContain('The post due Dec 7 is open again on the checklist.');
    expect(await checklist('Monthly then once')).toEqual(await checklist('Fresh once'));
  });

  it('GIVEN a post ticked off under once WHEN the collaboration becomes monthly and the post is removed THEN its item opens on Nov 26, as a fresh monthly one plans it', async () => {
    const url = 'https://www.instagram.com/p/ONCE/';
    await say('collab new @zoe.creates "Once then monthly" type:review goal:awareness expect:"post 2" content:once', `content log "Once then monthly" ${url}`);
    expect(await checklist('Once then monthly')).toEqual([
      ['post', '2026-12-07', 'published', url],
      ['post', '2026-12-22', 'planned', null],
    ]);
    await say('collab edit "Once then monthly" content:monthly');
    expect(await say(`content remove ${await idOf(url)} Wrong campaign`)).toContain('The post due Nov 26 is open again on the checklist.');
    await say('collab new @zoe.creates "Fresh monthly" type:review goal:awareness expect:"post 2"');
    expect(await checklist('Once then monthly')).toEqual(await checklist('Fresh monthly'));
    expect(await checklist('Fresh monthly')).toEqual([
      ['post', '2026-11-26', 'planned', null],
      ['post', '2026-11-30', 'planned', null],
    ]);
  });

  it('GIVEN a post ticked off under monthly and the cadence changed to once WHEN its type changes THEN the item it frees opens on the once day too', async () => {
    const url = 'https://www.instagram.com/p/RETYPE/';
    await say('collab new @zoe.creates "Retyped" type:review goal:awareness expect:"post 2"', `content log "Retyped" ${url}`, 'collab edit "Retyped" content:once');
    expect(await say(`content edit ${await idOf(url)} type:reel`)).toContain('The post due Dec 7 is open again. Beyond plan: no reel was open on the checklist for November 2026 or before.');
    expect(await checklist('Retyped')).toEqual([
      ['reel', null, 'published', url],
      ['post', '2026-12-07', 'planned', null],
      ['post', '2026-12-22', 'planned', null],
    ]);
  });

  it('GIVEN a post whose item the terms no longer plan (2 posts a month became 1) WHEN it is removed THEN no item opens and the reply says why', async () => {
    const first = 'https://www.instagram.com/p/FIRST/';
    const second = 'https://www.instagram.com/p/SECOND/';
    await say('collab new @zoe.creates "Fewer" type:review goal:awareness expect:"post 2"', `content log "Fewer" ${first}`, `content log "Fewer" ${second}`, 'collab edit "Fewer" expect:"post 1"');
    expect(await say(`content remove ${await idOf(second)} Duplicate`)).toContain("The post of November 2026 it ticked off is not open again: the collaboration's terms no longer plan it.");
    expect(await checklist('Fewer')).toEqual([['post', '2026-11-26', 'published', first]]);
  });

  it('GIVEN a post whose item the terms no longer plan WHEN its type changes THEN no item opens and the reply says why', async () => {
    const first = 'https://www.instagram.com/p/FIRST2/';
    const second = 'https://www.instagram.com/p/SECOND2/';
    await say('collab new @zoe.creates "Fewer two" type:review goal:awareness expect:"post 2"', `content log "Fewer two" ${first}`, `content log "Fewer two" ${second}`, 'collab edit "Fewer two" expect:"post 1"');
    expect(await say(`content edit ${await idOf(second)} type:reel`)).toContain(
      'The post of November 2026 it ticked off is not open again: the terms no longer plan it. Beyond plan: no reel was open on the checklist for November 2026 or before.',
    );
    expect(await checklist('Fewer two')).toEqual([
      ['reel', null, 'published', second],
      ['post', '2026-11-26', 'published', first],
    ]);
  });
});

describe('an item of an earlier month, kept when the terms changed', () => {
  it('GIVEN an October post `/collab edit` kept open after 2 posts a month became 1 WHEN the piece that ticked it off is removed THEN it is open again on its day', async () => {
    const first = 'https://www.instagram.com/p/OCTONE/';
    const second = 'https://www.instagram.com/p/OCTTWO/';
    await say('collab new @zoe.creates "Past month" type:review goal:awareness expect:"post 2" start:2026-10-01', `content log "Past month" ${first} published:2026-10-10`);
    await say('collab edit "Past month" expect:"post 1"');
    const kept = await checklist('Past month');
    expect(kept.filter((row) => row[1]!.startsWith('2026-10'))).toEqual([
      ['post', '2026-10-16', 'published', first],
      ['post', '2026-10-31', 'planned', null],
    ]);
    await say(`content log "Past month" ${second} published:2026-10-20`);
    expect(await say(`content remove ${await idOf(second)} Duplicate`)).toContain('The post due Oct 31 is open again on the checklist.');
    expect(await checklist('Past month')).toEqual(kept);
  });
});

describe('a failure part way never loses a checklist item', () => {
  const connectionLost = () => {
    throw new Error('connection lost');
  };
  const PLAN = [
    ['story', '2026-11-24', 'planned', null],
    ['post', '2026-11-26', 'planned', null],
    ['story', '2026-11-26', 'planned', null],
    ['story', '2026-11-28', 'planned', null],
    ['post', '2026-11-30', 'planned', null],
    ['story', '2026-11-30', 'planned', null],
  ];

  it('GIVEN the piece cannot be written WHEN its type changes THEN the item it would tick off is still open; retyping the edit saves it', async () => {
    const url = 'https://www.instagram.com/p/CRASH1/';
    await say('collab new @zoe.creates "Crash one" type:review goal:awareness expect:"post 2, story 4"', `content log "Crash one" ${url}`);
    const id = await idOf(url);
    const ticked = [PLAN[0], ['post', '2026-11-26', 'published', url], ...PLAN.slice(2)];
    expect(await checklist('Crash one')).toEqual(ticked);

    // The piece's write (with the freed item's, in one ordered write) fails.
    vi.spyOn(app.models.contents, 'bulkWrite').mockImplementationOnce(connectionLost);
    expect(await say(`content edit ${id} type:story`)).toContain('Sorry');
    expect(await checklist('Crash one')).toEqual(ticked);

    expect(await say(`content edit ${id} type:story`)).toContain('The post due Nov 26 is open again. It ticks off the story due Nov 24.');
    expect(await checklist('Crash one')).toEqual([['story', '2026-11-24', 'published', url], ...PLAN.slice(1)]);
  });

  it('GIVEN the piece is written but the item it takes cannot be consumed WHEN the same edit is retyped THEN it finishes: one item reopened, the taken one gone', async () => {
    const url = 'https://www.instagram.com/p/CRASH2/';
    await say('collab new @zoe.creates "Crash two" type:review goal:awareness expect:"post 2, story 4"', `content log "Crash two" ${url}`);
    const id = await idOf(url);

    vi.spyOn(app.models.contents, 'deleteOne').mockImplementationOnce(connectionLost);
    expect(await say(`content edit ${id} type:story`)).toContain('Sorry');
    // Cut short: the freed post is open again and the story it takes still open; nothing is missing.
    const rows = await checklist('Crash two');
    expect(rows.filter((row) => row[2] === 'planned')).toEqual(PLAN);

    expect(await say(`content edit ${id} type:story`)).toContain(
      'Finished the edit of the story of Crash two that was cut short: Type: post → story.\nThe post due Nov 26 is open again. It ticks off the story due Nov 24.',
    );
    expect(await checklist('Crash two')).toEqual([['story', '2026-11-24', 'published', url], ...PLAN.slice(1)]);
    const piece = (await app.models.contents.findById(id).lean())!;
    expect([piece.planSlot?.endsWith(':2026-11:story:1'), piece.pending ?? null]).toEqual([true, null]);
  });

  it('GIVEN the story an edit takes is ticked off by a log at the same moment THEN the piece ticks off the next open story instead', async () => {
    const url = 'https://www.instagram.com/p/RACE/';
    const story = 'https://www.instagram.com/stories/zoe.creates/1/';
    await say('collab new @zoe.creates "Race" type:review goal:awareness expect:"post 2, story 4"', `content log "Race" ${url}`);
    const id = await idOf(url);
    const deleteOne = app.models.contents.deleteOne.bind(app.models.contents);
    // The log lands after the edit read the story due Nov 24 and before it consumes it.
    vi.spyOn(app.models.contents, 'deleteOne').mockImplementationOnce((async (...args: Parameters<typeof deleteOne>) => {
      await say(`content log "Race" ${story} type:story`);
      return deleteOne(...args);
    }) as never);
    expect(await say(`content edit ${id} type:story`)).toContain('The post due Nov 26 is open again. It ticks off the story due Nov 26.');
    expect(await checklist('Race')).toEqual([
      ['story', '2026-11-24', 'published', story],
      ['post', '2026-11-26', 'planned', null],
      ['story', '2026-11-26', 'published', url],
      ...PLAN.slice(3),
    ]);
    const piece = (await app.models.contents.findById(id).lean())!;
    expect([piece.planSlot?.endsWith(':2026-11:story:2'), piece.pending ?? null]).toEqual([true, null]);
  });

  it('GIVEN two people edit the same piece at once THEN the later write is refused and the item the first one took stays taken', async () => {
    const url = 'https://www.instagram.com/p/TWICE/';
    await say('collab new @zoe.creates "Twice" type:review goal:awareness expect:"post 2, story 4"', `content log "Twice" ${url}`);
    const id = await idOf(url);
    const bulkWrite = app.models.contents.bulkWrite.bind(app.models.contents);
    // Bob's edit lands after Alice's read the piece and before she writes it.
    vi.spyOn(app.models.contents, 'bulkWrite').mockImplementationOnce((async (...args: Parameters<typeof bulkWrite>) => {
      await runConsole(app.router, [`content edit ${id} type:story`], 'bob');
      return bulkWrite(...args);
    }) as never);
    expect(await say(`content edit ${id} type:reel`)).toContain('That post was changed by someone else just now, so nothing was changed');
    expect(await checklist('Twice')).toEqual([['story', '2026-11-24', 'published', url], ...PLAN.slice(1)]);
    expect(await say(`content remove ${id} Wrong campaign`)).toContain('The story due Nov 24 is open again on the checklist.');
    expect(await checklist('Twice')).toEqual(PLAN);
  });

  it('GIVEN the item cannot be planned again WHEN a piece is removed THEN the piece stays until retyping the removal finishes it, with one item reopened', async () => {
    const url = 'https://www.instagram.com/p/CRASH3/';
    await say('collab new @zoe.creates "Crash three" type:review goal:awareness expect:"post 2, story 4"', `content log "Crash three" ${url}`);
    const id = await idOf(url);

    // Planning the item again is the write right after the piece is marked (the same ordered write): the piece is marked, then the connection is lost.
    const bulkWrite = app.models.contents.bulkWrite.bind(app.models.contents);
    vi.spyOn(app.models.contents, 'bulkWrite').mockImplementationOnce((async (...args: Parameters<typeof bulkWrite>) => {
      await bulkWrite(args[0].slice(0, 1), args[1]);
      connectionLost();
    }) as never);
    expect(await say(`content remove ${id} Wrong campaign`)).toContain('Sorry');
    expect(await app.models.contents.findById(id).lean()).not.toBeNull();
    vi.restoreAllMocks();

    expect(await say(`content remove ${id} Wrong campaign`)).toContain('The post due Nov 26 is open again on the checklist.');
    expect(await checklist('Crash three')).toEqual(PLAN);
    expect(await app.models.contents.findById(id).lean()).toBeNull();
  });

  it('GIVEN a removal cut short of a post whose item the terms no longer plan WHEN it is retyped THEN the reply still says why no item opens', async () => {
    const first = 'https://www.instagram.com/p/FIRST3/';
    const second = 'https://www.instagram.com/p/SECOND3/';
    await say('collab new @zoe.creates "Fewer three" type:review goal:awareness expect:"post 2"', `content log "Fewer three" ${first}`, `content log "Fewer three" ${second}`, 'collab edit "Fewer three" expect:"post 1"');
    const id = await idOf(second);
    // Recording the removal fails (whichever write records it).
    vi.spyOn(app.models.changes, 'updateOne').mockImplementationOnce(connectionLost);
    vi.spyOn(app.models.changes, 'create').mockImplementationOnce(connectionLost);
    expect(await say(`content remove ${id} Duplicate`)).toContain('Sorry');
    vi.restoreAllMocks();
    expect(await say(`content remove ${id} Duplicate`)).toContain("The post of November 2026 it ticked off is not open again: the collaboration's terms no longer plan it.");
    expect(await checklist('Fewer three')).toEqual([['post', '2026-11-26', 'published', first]]);
  });
});
