import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/** A page asked past the last one says so and names the last, on the console. Today Monday 2026-11-23, UTC. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const say = (...lines: string[]) => runConsole(app.router, lines);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await say('influencer add "Zoë Tran" @zoe network:instagram', 'influencer log @zoe note Sent the brief', 'collab new @zoe "Winter" type:review goal:awareness');
});

describe('GIVEN one page of history and touchpoints', () => {
  it('WHEN page:9 is asked THEN the answer says it is past the last page and names page 1, and the footer counts the pages', async () => {
    const history = await say('influencer show @zoe history page:9');
    expect(history).toContain('Page 9 is past the last one: the last is page 1.\n');
    expect(history).toMatch(/\d+ changes? · 1 page · newest first/);
    const touchpoints = await say('influencer show @zoe touchpoints page:9');
    expect(touchpoints).toContain('Page 9 is past the last one: the last is page 1.\n1 touchpoint · 1 page · newest first');
    const collab = await say('collab show "Winter" history page:9');
    expect(collab).toContain('Page 9 is past the last one: the last is page 1.\n');
    expect(collab).not.toContain('No changes on this page');
    expect(await say('influencer list page:9')).toContain('Page 9 is past the last one: the last is page 1.');
  });
});
