import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/**
 * Every recorded change stays readable: `collab show <collab> history` and `influencer show <who>
 * history` page ten at a time, newest first, with Previous/Next, down to the creation. Typed on the
 * console; a UTC workspace, today Monday 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const as = (...lines: string[]) => runConsole(app.router, lines, 'maria');

/** The history lines (`• …`) of a console reply. */
const lines = (out: string) => out.split('\n').filter((line) => line.startsWith('• '));

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await as(
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
    'collab new @zoe.creates "Launch" type:review goal:awareness expect:"post 1"',
    // Eleven edits after the start: twelve changes of the collaboration.
    ...Array.from({ length: 11 }, (_, i) => `collab edit "Launch" code:CODE${i + 1}`),
    // Eleven edits after the creation: twelve of the creator's own (the collaboration's start moved its stage: one more).
    ...Array.from({ length: 11 }, (_, i) => `influencer edit @zoe.creates notes:"note ${i + 1}"`),
  );
});

describe('a history longer than a page', () => {
  it('GIVEN twelve changes of a collaboration THEN page 1 has the newest ten and Next; page 2 the oldest two down to its start and Previous; past the end says so', async () => {
    const id = String((await app.models.collaborations.findOne({ title: 'Launch' }).lean())!._id);
    const first = await as('collab show "Launch" history');
    expect(lines(first)).toHaveLength(10);
    expect(lines(first)[0]).toContain('@maria edited · Discount code: CODE10 → CODE11');
    expect(first).toContain(`12 changes · page 1 of 2 · newest first · times in UTC · id ${id}`);
    expect(first).toContain(`[Next: collab show ${id} history page:2]`);
    expect(first).not.toContain('[Previous:');

    const second = await as(`collab show ${id} history page:2`);
    expect(lines(second).map((line) => line.split(' · ').slice(1).join(' · '))).toEqual([
      '@maria edited · Discount code: (none) → CODE1',
      '@maria started it · Title: Launch; Goal: awareness',
    ]);
    expect(second).toContain('12 changes · page 2 of 2');
    expect(second).toContain(`[Previous: collab show ${id} history page:1]`);
    expect(second).not.toContain('[Next:');

    const past = await as(`collab show ${id} history page:5`);
    expect(past).toContain('Page 5 is past the last one: the last is page 2.\n12 changes · 2 pages · newest first');
    expect(past).toContain(`[Previous: collab show ${id} history page:2]`);
  });

  it('GIVEN thirteen changes of a creator THEN the pages together list each once, newest first, down to when they were added', async () => {
    const id = String((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!._id);
    const first = await as('influencer show @zoe.creates history');
    expect(lines(first)).toHaveLength(10);
    expect(first).toContain('13 changes · page 1 of 2 · newest first · times in UTC');
    expect(first).toContain(`[Next: influencer show ${id} history page:2]`);
    const second = await as(`influencer show ${id} history page:2`);
    expect(lines(second)).toHaveLength(3);
    expect(lines(second).at(-1)).toContain('@maria added · Name: Zoë Tran');
    const notes = [...lines(first), ...lines(second)].flatMap((line) => line.match(/Notes: (?:\(none\)|note \d+) → note (\d+)/)?.[1] ?? []);
    expect(notes).toEqual(['11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1']);
  });

  it('GIVEN page:0 THEN it is refused naming the field', async () => {
    expect(await as('collab show "Launch" history page:0')).toContain('page starts at 1');
  });
});
