import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { OptionType, autocomplete, modalSubmit, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/content log` with a link that does not say what the piece is: refused on the console with the
 * accepted types and networks, asked in a form on Slack and Discord, never guessed from the plan.
 * And content references: `/content list` shows them, Discord suggests them as they are typed.
 * Workspace in UTC, today Monday 2026-11-23; "Spring launch" plans 2 posts and 4 stories in November.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

const TYPES = 'post, story, reel, video, short, blog, stream';
const NETWORKS = 'instagram, tiktok, youtube, x, twitch, linkedin, pinterest, blog, other';

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
});

/** A creator and an active collaboration planning 2 posts and 4 stories this month, on `surface`. */
async function seedOn(lines: (line: string) => Promise<unknown>) {
  await lines('influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating');
  await lines('collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4"');
}

/** The checklist as a person reads it: type, due day, status, link. */
async function checklist(platform: 'slack' | 'console', workspaceExternalId: string) {
  const workspace = await app.services.workspaces.ensure(platform, workspaceExternalId);
  const items = await app.models.contents.find({ workspaceId: workspace.id }).sort({ dueAt: 1, type: 1, _id: 1 }).lean();
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

describe('on the console', () => {
  beforeAll(async () => {
    await runConsole(app.router, [
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
      'collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 2, story 4"',
    ]);
  });

  it('GIVEN a link whose network cannot be told and no type THEN refused listing the types and networks, and the checklist is untouched', async () => {
    const out = await runConsole(app.router, ['content log "Spring launch" https://zoe.example/2026/spring-haul']);
    expect(out).toContain(
      `type is needed: the link does not say which network zoe.example is. Types: ${TYPES}; network (optional): ${NETWORKS}`,
    );
    expect(await checklist('console', 'console')).toEqual(PLANNED);
  });

  it('GIVEN an instagram link that names no post, reel or story THEN refused naming the three, never the next planned type', async () => {
    const out = await runConsole(app.router, ['content log "Spring launch" https://www.instagram.com/zoe.creates/']);
    expect(out).toContain('type is needed: that instagram link does not say whether it is a post, story or reel (type:post, type:story or type:reel)');
    expect(await checklist('console', 'console')).toEqual(PLANNED);
  });

  it('GIVEN a network with several types typed for an unknown host THEN refused naming them; with one type THEN that type', async () => {
    const several = await runConsole(app.router, ['content log "Spring launch" https://clips.example/zoe/1 network:youtube']);
    expect(several).toContain('type is needed: that youtube link does not say whether it is a video, short or stream (type:video, type:short or type:stream)');
    const one = await runConsole(app.router, ['content log "Spring launch" https://nitter.example/zoe/status/1 network:x']);
    expect(one).toContain('Logged a post for *Spring launch* (Zoë Tran), published Nov 23: https://nitter.example/zoe/status/1'.replace(/\*/g, ''));
    expect(one).toContain('It ticks off the post due Nov 26.');
    expect(await checklist('console', 'console')).toEqual([
      PLANNED[0],
      ['post', '2026-11-26', 'published', 'https://nitter.example/zoe/status/1', 'x'],
      ...PLANNED.slice(2),
    ]);
  });

  it('GIVEN an unknown link with type: THEN it is logged as that type, network left unset', async () => {
    const out = await runConsole(app.router, ['content log "Spring launch" https://zoe.example/2026/spring-haul type:story']);
    expect(out).toContain('It ticks off the story due Nov 24.');
    const story = await app.models.contents.findOne({ url: 'https://zoe.example/2026/spring-haul' }).lean();
    expect([story!.type, story!.status, story!.network ?? null, story!.planned]).toEqual(['story', 'published', null, true]);
  });

  it.each([
    ['an operator object as the link', 'content log "Spring launch" \'{"$gt": ""}\'', 'url must be a web link starting with http:// or https://'],
    ['an unknown type', 'content log "Spring launch" https://zoe.example/x type:tweet', 'type must be one of: post, story, reel, video, short, blog, stream'],
    ['an unknown network', 'content log "Spring launch" https://zoe.example/x network:myspace', `network must be one of: ${NETWORKS}`],
  ])('GIVEN %s THEN refused by its field and nothing is stored', async (_name, line, message) => {
    const before = await checklist('console', 'console');
    const out = await runConsole(app.router, [line]);
    expect(out).toContain(message);
    expect(await checklist('console', 'console')).toEqual(before);
  });

  it('GIVEN logged pieces THEN /content list shows each one with the id that names it, and that id is what metrics takes', async () => {
    const story = await app.models.contents.findOne({ url: 'https://zoe.example/2026/spring-haul' }).lean();
    const out = await runConsole(app.router, ['content list "Spring launch"', `content metrics ${String(story!._id)} reach:1200`]);
    expect(out).toContain(`• story · Nov 23 · https://zoe.example/2026/spring-haul · no metrics yet · id ${String(story!._id)}`);
    expect(out).toContain('Recorded for the story of Spring launch: reach 1,200.');
  });
});

describe('on Slack', () => {
  let platform: SlackApp;
  let api: RecordingApi;
  let as: SlackRequests;

  beforeAll(async () => {
    platform = await startSlackApp(app.router, connection);
    ({ api, as } = platform);
    await seedOn(async (line) => {
      const [command, ...rest] = line.split(' ');
      const sent = await as.command(`/${command}`, rest.join(' '));
      await api.waitFor(new URL(sent.responseUrl).pathname);
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('GIVEN a link that does not say what it is THEN a form asks for the type with the link filled in; a blank type is refused under its field; then it is logged', async () => {
    const sent = await as.command('/content', 'log "Spring launch" <https://zoe.example/2026/unboxing>');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const view = opened.body.view;
    expect(view.title.text).toBe('What is this link?');
    expect(view.blocks.map((b: any) => b.block_id)).toEqual(['url', 'type', 'network', 'published']);
    expect(view.blocks[0].element.initial_value).toBe('https://zoe.example/2026/unboxing');
    const collab = await app.models.collaborations.findOne({ title: 'Spring launch', workspaceId: (await app.services.workspaces.ensure('slack', 'T0TEAM')).id }).lean();
    expect(JSON.parse(view.private_metadata).submit).toEqual({ command: 'content', subcommand: 'log', args: { collab: String(collab!._id) } });

    const blank = await as.submit(view, { type: '' });
    expect(blank.response.json).toEqual({
      response_action: 'errors',
      errors: { type: `type is needed: the link does not say which network zoe.example is. Types: ${TYPES}; network (optional): ${NETWORKS}` },
    });
    expect(await checklist('slack', 'T0TEAM')).toEqual(PLANNED);

    const done = await as.submit(view, { type: 'story' });
    expect(done.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = (await api.waitFor(new URL(sent.responseUrl).pathname)).body;
    expect(answer.text).toContain('It ticks off the story due Nov 24.');
    expect(await checklist('slack', 'T0TEAM')).toEqual([['story', '2026-11-24', 'published', 'https://zoe.example/2026/unboxing', null], ...PLANNED.slice(1)]);
  });
});

describe('on Discord', () => {
  let discord: DiscordApp;
  let collabId = '';
  let reelId = '';

  const send = (d: Record<string, any>) => discord.send(d);
  const opt = (name: string, value: string) => ({ name, type: OptionType.String, value });

  beforeAll(async () => {
    discord = await startDiscordApp(app.router, { deferAfterMs: 2500 });
    await send(slashCommand('add', [opt('name', 'Zoë Tran'), opt('handle', '@zoe.creates'), opt('network', 'instagram'), opt('stage', 'negotiating')], {}, 'influencer'));
    await send(slashCommand('new', [opt('who', '@zoe.creates'), opt('title', 'Spring launch'), opt('type', 'review'), opt('goal', 'awareness'), opt('expect', 'post 2, story 4')], {}, 'collab'));
    collabId = String((await app.models.collaborations.findOne({ title: 'Spring launch', workspaceId: (await app.services.workspaces.ensure('discord', '1100000000000000001')).id }).lean())!._id);
    await send(slashCommand('log', [opt('collab', collabId), opt('url', 'https://www.instagram.com/reel/R33L/')], {}, 'content'));
    reelId = String((await app.models.contents.findOne({ url: 'https://www.instagram.com/reel/R33L/' }).lean())!._id);
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it('WHEN a content reference is typed THEN published pieces are suggested by type, day, collaboration and link, valued by id', async () => {
    const callback = await send(autocomplete('metrics', 'content', 'spring', {}, 'content'));
    expect(callback.type).toBe(8);
    expect(callback.data.choices).toEqual([{ name: 'reel · 2026-11-23 · Spring launch · instagram.com/reel/R33L', value: reelId }]);
    const byLink = await send(autocomplete('metrics', 'content', 'R33L', {}, 'content'));
    expect(byLink.data.choices.map((c: { value: string }) => c.value)).toEqual([reelId]);
    const none = await send(autocomplete('metrics', 'content', 'winter', {}, 'content'));
    expect(none.data.choices).toEqual([]);
  });

  it('WHEN a link that does not say what it is is logged THEN a modal asks, and its submission logs the type chosen', async () => {
    const callback = await send(slashCommand('log', [opt('collab', collabId), opt('url', 'https://zoe.example/live/1')], {}, 'content'));
    expect(callback.type).toBe(9);
    expect(callback.data.title).toBe('What is this link?');
    const inputs = callback.data.components.map((row: any) => row.components[0]);
    expect(inputs.map((i: any) => [i.custom_id, i.value ?? null])).toEqual([
      ['url', 'https://zoe.example/live/1'],
      ['type', null],
      ['network', null],
      ['published', null],
    ]);
    const submitted = await send(modalSubmit(callback.data.custom_id, { url: 'https://zoe.example/live/1', type: 'post', network: '', published: '' }));
    expect(submitted.data.content ?? JSON.stringify(submitted.data.embeds)).toContain('It ticks off the post due Nov 26.');
  });
});
