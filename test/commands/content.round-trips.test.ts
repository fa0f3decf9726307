import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, consoleCaller, say } from '../helpers/app';
import { useCountedDatabase } from '../helpers/round-trips';

/**
 * The database round trips of `/content edit` and `/content remove`, command by command (driver
 * command monitoring, as the bench counts them), with the checklist and the history read back:
 * fewer round trips never cost an item, a record or a payment. Workspace in UTC, today Monday
 * 2026-11-23; "Spring launch" plans 2 posts and 4 stories in November.
 */

const { connection } = useCountedDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let sent: string[] | undefined;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  connection.getClient().on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    sent?.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  });
  for (const line of [
    'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
    'collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4" fee:300 currency:EUR',
    'collab new @zoe.creates "Code" type:affiliate goal:sales product-only:yes commission:10 currency:EUR',
  ]) {
    expect((await as(line)).refused, line).toBeFalsy();
  }
});

const as = (line: string) => say(app, consoleCaller('console', 'alice'), line);

/** What `line` answered and the round trips it took (`<command> <collection>`, sorted: some run side by side). */
async function counted(line: string) {
  await as('content list @zoe.creates'); // the workspace is read once a minute, not by the command measured
  sent = [];
  try {
    const { text } = await as(line);
    return { text, trips: [...sent].sort() };
  } finally {
    sent = undefined;
  }
}

async function checklist(title: string) {
  const collab = (await app.models.collaborations.findOne({ title }).lean())!;
  const items = await app.models.contents.find({ collaborationId: collab._id }).sort({ dueAt: 1, type: 1 }).lean();
  return items.map((item) => [item.type, item.dueAt?.toISOString().slice(0, 10) ?? null, item.status, item.url ?? null, item.pending ?? null]);
}

const history = async (url: string) =>
  (await app.models.changes.find({ entity: 'content', 'fields.from': { $regex: url.replace(/[/.?]/g, '\\$&') } }).lean()).map((change) => change.action);

describe('/content edit and /content remove round trips', () => {
  it('GIVEN a post WHEN its type becomes story THEN 5 round trips: the piece with its collaboration, the piece with its freed post, the record beside the story it takes, the piece settled', async () => {
    const url = 'https://www.instagram.com/p/TRIPS1/';
    await as(`content log "Spring launch" ${url}`);
    const { text, trips } = await counted(`content edit ${url} type:story`);
    expect(text).toContain('The post due Nov 26 is open again. It ticks off the story due Nov 24.');
    expect(trips).toEqual(['aggregate contents', 'delete contents', 'update changes', 'update contents', 'update contents']);
    expect((await checklist('Spring launch')).filter((row) => row[0] === 'post' || row[1] === '2026-11-24')).toEqual([
      ['story', '2026-11-24', 'published', url, null],
      ['post', '2026-11-26', 'planned', null, null],
      ['post', '2026-11-30', 'planned', null, null],
    ]);
    expect(await history(url)).toEqual(['content-edit']);
  });

  it('GIVEN a piece WHEN only its link changes THEN 4 round trips: the piece read, written, recorded, settled', async () => {
    const url = 'https://www.instagram.com/p/TRIPS2/';
    await as(`content log "Spring launch" ${url}`);
    const { text, trips } = await counted(`content edit ${url} url:https://www.instagram.com/p/TRIPS2b/`);
    expect(text).toContain('Saved the post of Spring launch: Link: https://www.instagram.com/p/TRIPS2/ → https://www.instagram.com/p/TRIPS2b/.');
    expect(trips).toEqual(['aggregate contents', 'findAndModify contents', 'update changes', 'update contents']);
  });

  it('GIVEN a piece on monthly terms WHEN it is removed THEN 5 round trips: the piece read, marked with its item open again, the record beside its payment read, the piece deleted', async () => {
    const url = 'https://www.instagram.com/p/TRIPS3/';
    await as(`content log "Spring launch" ${url}`);
    const before = await checklist('Spring launch');
    const { text, trips } = await counted(`content remove ${url} Wrong campaign`);
    expect(text).toContain('The post due Nov 30 is open again on the checklist.');
    expect(trips).toEqual(['aggregate contents', 'delete contents', 'find payments', 'update changes', 'update contents']);
    const after = await checklist('Spring launch');
    expect(after.filter((row) => row[3] === url)).toEqual([]);
    expect(after.filter((row) => row[2] === 'planned')).toHaveLength(before.filter((row) => row[2] === 'planned').length + 1);
    expect(await history(url)).toEqual(['content-remove']);
  });

  it('GIVEN a commission collaboration and a piece without revenue WHEN its day moves THEN neither its payment nor the commission is read: only the piece and its record', async () => {
    const url = 'https://www.youtube.com/watch?v=trips4';
    await as(`content log "Code" ${url}`);
    const { text, trips } = await counted(`content edit ${url} published:2026-11-20`);
    expect(text).toContain('Saved the video of Code: Published: 2026-11-23 → 2026-11-20.');
    // The day decides: the workspace (its timezone) is read fresh.
    expect(trips).toEqual(['aggregate contents', 'findAndModify contents', 'findAndModify workspaces', 'update changes', 'update contents']);
    expect(await app.models.payments.countDocuments({ scheduleKey: { $regex: ':commission:' } })).toBe(0);
  });

  it('GIVEN two pieces WHEN one gets the other\'s link (with a new type, so its item would open again) THEN the piece\'s write refuses it, names the piece logged, and nothing is written or recorded', async () => {
    const first = 'https://www.instagram.com/p/TRIPS5/';
    const second = 'https://www.instagram.com/p/TRIPS6/';
    await as(`content log "Spring launch" ${first}`);
    await as(`content log "Spring launch" ${second} type:story`);
    const firstId = String((await app.models.contents.findOne({ url: first }).lean())!._id);
    const before = await checklist('Spring launch');
    const { text, trips } = await counted(`content edit ${second} url:${first}#top type:post`);
    expect(text).toBe(`That link is already logged for Spring launch: the post, published Nov 23 (content id ${firstId}).`);
    expect(trips).toEqual(['aggregate contents', 'find contents', 'update contents']);
    expect(await checklist('Spring launch')).toEqual(before);
    expect(await history(second)).toEqual([]);
  });
});
