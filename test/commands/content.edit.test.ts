import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { OptionType, modalSubmit, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/content edit` and `/content remove`: the document read back after each, the checklist compared
 * exactly before and after, the history entries, the per-deliverable payment, and nasty input.
 * Workspace in UTC, today Monday 2026-11-23; "Spring launch" plans 2 posts and 4 stories in November.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
});

const say = (...lines: string[]) => runConsole(app.router, lines, 'alice');

async function workspaceId(platform: 'console' | 'slack' | 'discord', externalId: string) {
  return (await app.services.workspaces.ensure(platform, externalId)).id;
}

/** The checklist of a collaboration as a person reads it: type, due day, status, link, network. */
async function checklist(title: string, platform: 'console' | 'slack' | 'discord' = 'console', externalId = 'console') {
  const collab = await app.models.collaborations.findOne({ title, workspaceId: await workspaceId(platform, externalId) }).lean();
  const items = await app.models.contents.find({ collaborationId: collab!._id }).sort({ dueAt: 1, type: 1, publishedAt: 1 }).lean();
  return items.map((item) => [item.type, item.dueAt?.toISOString().slice(0, 10) ?? null, item.status, item.url ?? null, item.network ?? null]);
}

const PLANNED = [
  ['story', '2026-11-24', 'planned', null, null],
  ['post', '2026-11-26', 'planned', null, null],
  ['story', '2026-11-26', 'planned', null, null],
  ['story', '2026-11-28', 'planned', null, null],
  ['post', '2026-11-30', 'planned', null, null],
  ['story', '2026-11-30', 'planned', null, null],
];

const POST = 'https://www.instagram.com/p/AAA/';

describe('on the console', () => {
  let pieceId = '';
  const piece = () => app.models.contents.findById(pieceId).lean();
  const history = async () => (await say('influencer show @zoe.creates history')).split('\n').filter((line) => line.includes('content'));

  beforeAll(async () => {
    await say(
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
      'collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4"',
      `content log "Spring launch" ${POST}`,
      `content metrics ${POST} reach:1200`,
    );
    pieceId = String((await app.models.contents.findOne({ url: POST }).lean())!._id);
  });

  it('GIVEN a post WHEN its type becomes story THEN the post it ticked is open again, the earliest story is ticked, the piece keeps its id and metrics, and the history says so', async () => {
    expect(await checklist('Spring launch')).toEqual([PLANNED[0], ['post', '2026-11-26', 'published', POST, 'instagram'], ...PLANNED.slice(2)]);
    const out = await say(`content edit ${pieceId} type:story`);
    expect(out).toContain('Saved the story of Spring launch: Type: post → story.');
    expect(out).toContain('The post due Nov 26 is open again. It ticks off the story due Nov 24.');
    expect(await checklist('Spring launch')).toEqual([['story', '2026-11-24', 'published', POST, 'instagram'], ...PLANNED.slice(1)]);
    const after = await piece();
    expect([after!.type, after!.planned, after!.month, after!.metrics]).toEqual(['story', true, '2026-11', { reach: 1200 }]);
    expect(await history()).toEqual([`• 2026-11-23 10:00 · @alice edited content · post ${POST} · Type: post → story`]);
  });

  it('GIVEN the same values again THEN "Nothing changed" and nothing is written or recorded', async () => {
    const before = JSON.stringify(await piece());
    const changes = await app.models.changes.countDocuments();
    const out = await say(`content edit ${pieceId} type:story published:2026-11-23 url:${POST}`);
    expect(out).toContain('Nothing changed for the story of Spring launch: every value given is already on it.');
    expect(JSON.stringify(await piece())).toBe(before);
    expect(await app.models.changes.countDocuments()).toBe(changes);
  });

  it('GIVEN a new link THEN the network follows the link; a link that does not say it clears the network; network: sets it', async () => {
    const tiktok = 'https://www.tiktok.com/@zoe.creates/video/42';
    expect(await say(`content edit ${pieceId} url:${tiktok}`)).toContain(`Saved the story of Spring launch: Link: ${POST} → ${tiktok}; Network: instagram → tiktok.`);
    const own = 'https://zoë.example/štory/1';
    expect(await say(`content edit ${pieceId} url:${own}`)).toContain(`Link: ${tiktok} → ${own}; Network: tiktok → (none).`);
    expect(await say(`content edit ${pieceId} url:${POST} network:instagram`)).toContain(`Link: ${own} → ${POST}; Network: (none) → instagram.`);
    const after = await piece();
    expect([after!.url, after!.urlKey, after!.network]).toEqual([POST, 'instagram.com/p/AAA', 'instagram']);
    expect(await checklist('Spring launch')).toEqual([['story', '2026-11-24', 'published', POST, 'instagram'], ...PLANNED.slice(1)]);
  });

  it('GIVEN a publication day through the one date parser THEN stored as that local day; future, ambiguous and blank are refused by field', async () => {
    expect(await say(`content edit ${pieceId} published:"Nov 20"`)).toContain('Saved the story of Spring launch: Published: 2026-11-23 → 2026-11-20.');
    expect((await piece())!.publishedAt!.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    const before = JSON.stringify(await piece());
    expect(await say(`content edit ${pieceId} published:2026-12-01`)).toContain('published 2026-12-01 is in the future; a piece is published on or before today (2026-11-23).');
    expect(await say(`content edit ${pieceId} published:10/11/2026`)).toContain('published: "10/11/2026" could be');
    expect(await say(`content edit ${pieceId} type:`)).toContain('type is required: it cannot be cleared');
    expect(await say(`content edit ${pieceId} type:tweet`)).toContain('type must be one of: post, story, reel, video, short, blog, stream');
    expect(JSON.stringify(await piece())).toBe(before);
  });

  it('GIVEN nasty references THEN nothing matches: an operator object, another workspace\'s id, a huge one', async () => {
    const other = consoleLine('team-b');
    await other('influencer add "Noah Kim" @noah network:instagram');
    await other('collab new @noah "Winter box" type:review goal:awareness expect:"post 1"');
    await other('content log "Winter box" https://www.instagram.com/p/BBB/');
    const theirs = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/p/BBB/' }).lean())!._id);
    expect(await say(`content edit ${theirs} type:reel`)).toContain(`No content matches "${theirs}".`);
    expect(await say(`content remove ${theirs} not ours`)).toContain(`No content matches "${theirs}".`);
    expect(await say('content edit \'{"$gt": ""}\' type:reel')).toContain('No content matches "{"$gt": ""}".');
    expect(await say(`content edit ${'x'.repeat(3000)} type:reel`)).toContain('content is at most 2000 characters');
    expect((await app.models.contents.findById(theirs).lean())!.type).toBe('post');
  });

  it('GIVEN a remove without a reason or with a huge one THEN refused naming the field, nothing removed', async () => {
    expect(await say(`content remove ${pieceId}`)).toContain('reason is required');
    expect(await say(`content remove ${pieceId} ${'long '.repeat(120)}`)).toContain('reason is at most 500 characters');
    expect(await piece()).not.toBeNull();
  });

  it('GIVEN a remove with a reason THEN the piece and its metrics are gone, the story it ticked is open again, and the history keeps what it was and why', async () => {
    const out = await say(`content remove ${pieceId} Logged on the wrong campaign — désolée`);
    expect(out).toContain(`Removed the story of Spring launch published Nov 20 (${POST}). Reason: Logged on the wrong campaign — désolée`);
    expect(out).toContain('The story due Nov 24 is open again on the checklist.');
    expect(await piece()).toBeNull();
    expect(await checklist('Spring launch')).toEqual(PLANNED);
    const entries = await history();
    expect(entries[0]).toBe(`• 2026-11-23 10:00 · @alice removed content · story ${POST}, published 2026-11-20 · Reason: Logged on the wrong campaign — désolée`);
    expect(await say(`content metrics ${pieceId} reach:5`)).toContain(`No content matches "${pieceId}".`);
    expect(await say(`content remove ${pieceId} again`)).toContain(`No content matches "${pieceId}".`);
  });

  it('GIVEN a piece beyond plan WHEN removed THEN the checklist is exactly as before', async () => {
    await say('content log "Spring launch" https://www.instagram.com/reel/RRR/');
    const reel = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/reel/RRR/' }).lean())!._id);
    expect(await say(`content remove ${reel} test piece`)).toContain('It was beyond plan, so no checklist item changes.');
    expect(await checklist('Spring launch')).toEqual(PLANNED);
  });

  it('GIVEN a beyond-plan reel WHEN its type becomes post THEN it ticks off the earliest open post; back to reel reopens it', async () => {
    await say('content log "Spring launch" https://www.instagram.com/reel/SSS/');
    const reel = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/reel/SSS/' }).lean())!._id);
    expect(await say(`content edit ${reel} type:post`)).toContain('It ticks off the post due Nov 26.');
    expect(await checklist('Spring launch')).toEqual([PLANNED[0], ['post', '2026-11-26', 'published', 'https://www.instagram.com/reel/SSS/', 'instagram'], ...PLANNED.slice(2)]);
    expect(await say(`content edit ${reel} type:reel`)).toContain('The post due Nov 26 is open again. Beyond plan: no reel was open on the checklist for November 2026 or before.');
    const rows = await checklist('Spring launch');
    expect(rows.filter((row) => row[2] === 'planned')).toEqual(PLANNED);
    expect(rows.filter((row) => row[2] === 'published')).toEqual([['reel', null, 'published', 'https://www.instagram.com/reel/SSS/', 'instagram']]);
    expect(await app.models.contents.countDocuments({ planSlot: { $exists: true }, collaborationId: (await app.models.collaborations.findOne({ title: 'Spring launch' }).lean())!._id })).toBe(6);
  });

  it('GIVEN per-deliverable terms THEN a new publication day moves the unpaid payment, and removing the piece cancels it with the reason', async () => {
    await say(
      'collab new @zoe.creates "Per piece" type:review goal:awareness expect:"post 1" fee:500 currency:EUR schedule:per-deliverable net:30',
      'content log "Per piece" https://www.instagram.com/p/PAY/',
    );
    const item = (await app.models.contents.findOne({ url: 'https://www.instagram.com/p/PAY/' }).lean())!;
    const scheduleKey = `${String(item.collaborationId)}:content:${String(item._id)}`;
    expect((await app.models.payments.findOne({ scheduleKey }).lean())!.dueAt.toISOString().slice(0, 10)).toBe('2026-12-23');
    expect(await say(`content edit ${String(item._id)} published:2026-11-20`)).toContain('Its payment of €500.00 is now due 2026-12-20 (was 2026-12-23).');
    expect((await app.models.payments.findOne({ scheduleKey }).lean())!.dueAt.toISOString().slice(0, 10)).toBe('2026-12-20');
    expect(await say(`content remove ${String(item._id)} Creator deleted the post`)).toContain('Its payment of €500.00 due 2026-12-20 is cancelled.');
    const payment = (await app.models.payments.findOne({ scheduleKey }).lean())!;
    expect([payment.status, payment.cancelCode, payment.cancelReason]).toEqual(['cancelled', 'content-removed', 'Creator deleted the post']);
  });
});

describe('on the console, the edit form', () => {
  it('GIVEN content edit <id> alone THEN a prompt per field, each showing its value: Enter keeps it, a new type saves, cancel leaves it', async () => {
    await say('collab new @zoe.creates "Prompted" type:review goal:awareness expect:"post 1"', 'content log "Prompted" https://www.instagram.com/p/PROMPT/');
    const id = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/p/PROMPT/' }).lean())!._id);
    const left = await say(`content edit ${id}`, 'cancel');
    expect(left).toContain('Form cancelled: nothing was saved.');
    expect((await app.models.contents.findById(id).lean())!.type).toBe('post');
    const out = await say(`content edit ${id}`, '', 'reel', '', '');
    expect(out).toContain('[https://www.instagram.com/p/PROMPT/]');
    expect(out).toContain('[2026-11-23]');
    expect(out).toContain('Saved the reel of Prompted: Type: post → reel.');
    expect(out).toContain('The post due Nov 30 is open again. Beyond plan: no reel was open on the checklist for November 2026 or before.');
    expect((await app.models.contents.findById(id).lean())!.type).toBe('reel');
  });
});

/** Lines typed into another console workspace. */
function consoleLine(workspace: string) {
  return async (line: string) => {
    const space = line.indexOf(' ');
    return app.router.handle({ platform: 'console', workspaceExternalId: workspace, actor: { id: 'bob', isAdmin: async () => true } }, app.router.parseText(line.slice(0, space), line.slice(space + 1)));
  };
}

describe('on Slack', () => {
  let platform: SlackApp;
  let api: RecordingApi;
  let as: SlackRequests;

  beforeAll(async () => {
    platform = await startSlackApp(app.router, connection);
    ({ api, as } = platform);
    for (const [command, line] of [
      ['/influencer', 'add "Zoë Tran" @zoe.creates network:instagram stage:negotiating'],
      ['/collab', 'new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4"'],
      ['/content', `log "Spring launch" <${POST}>`],
    ] as const) {
      const sent = await as.command(command, line);
      await api.waitFor(new URL(sent.responseUrl).pathname);
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('GIVEN /content edit <id> THEN the modal opens prefilled; saving a new type moves the checklist exactly', async () => {
    const item = (await app.models.contents.findOne({ url: POST, workspaceId: await workspaceId('slack', 'T0TEAM') }).lean())!;
    const sent = await as.command('/content', `edit ${String(item._id)}`);
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const view = opened.body.view;
    expect(view.blocks.map((b: any) => [b.block_id, b.element.initial_value ?? b.element.initial_option?.value ?? b.element.initial_date ?? null])).toEqual([
      ['url', POST],
      ['type', 'post'],
      ['published', '2026-11-23'],
      ['network', 'instagram'],
    ]);
    const cleared = await as.submit(view, { type: '' });
    expect(cleared.response.json).toEqual({ response_action: 'errors', errors: { type: 'type is required: it cannot be cleared' } });

    const saved = await as.submit(view, { type: 'reel' });
    expect(saved.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = (await api.waitFor(new URL(sent.responseUrl).pathname)).body;
    expect(answer.text).toContain('Saved the reel of Spring launch: Type: post → reel.');
    // Beyond plan (no reel planned): it has no due day, so it sorts first.
    expect(await checklist('Spring launch', 'slack', 'T0TEAM')).toEqual([['reel', null, 'published', POST, 'instagram'], ...PLANNED]);
  });
});

describe('on Discord', () => {
  let discord: DiscordApp;
  const opt = (name: string, value: string) => ({ name, type: OptionType.String, value });
  const send = (d: Record<string, any>) => discord.send(d);

  beforeAll(async () => {
    discord = await startDiscordApp(app.router, { deferAfterMs: 2500 });
    await send(slashCommand('add', [opt('name', 'Zoë Tran'), opt('handle', '@zoe.creates'), opt('network', 'instagram'), opt('stage', 'negotiating')], {}, 'influencer'));
    await send(slashCommand('new', [opt('who', '@zoe.creates'), opt('title', 'Spring launch'), opt('type', 'review'), opt('goal', 'awareness'), opt('expect', 'post 2, story 4')], {}, 'collab'));
    await send(slashCommand('log', [opt('collab', 'Spring launch'), opt('url', POST)], {}, 'content'));
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it('GIVEN /content edit content:<id> THEN a prefilled modal; its submission saves the new day; remove needs its reason option', async () => {
    const item = (await app.models.contents.findOne({ url: POST, workspaceId: await workspaceId('discord', '1100000000000000001') }).lean())!;
    const callback = await send(slashCommand('edit', [opt('content', String(item._id))], {}, 'content'));
    expect(callback.type).toBe(9);
    const inputs = callback.data.components.map((row: any) => row.components[0]);
    expect(inputs.map((i: any) => [i.custom_id, i.value ?? null])).toEqual([
      ['url', POST],
      ['type', 'post'],
      ['published', '2026-11-23'],
      ['network', 'instagram'],
    ]);
    const submitted = await send(modalSubmit(callback.data.custom_id, { url: POST, type: 'post', published: '2026-11-21', network: 'instagram' }));
    expect(JSON.stringify(submitted.data)).toContain('Saved the post of **Spring launch**: Published: 2026-11-23 → 2026-11-21.');
    expect((await app.models.contents.findById(item._id).lean())!.publishedAt!.toISOString()).toBe('2026-11-21T00:00:00.000Z');

    const removed = await send(slashCommand('remove', [opt('content', String(item._id)), opt('reason', 'Posted by mistake')], {}, 'content'));
    expect(JSON.stringify(removed.data)).toContain('The post due Nov 26 is open again on the checklist.');
    expect(await checklist('Spring launch', 'discord', '1100000000000000001')).toEqual(PLANNED);
  });
});
