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
 * Clearing and correcting a creator on every surface: blank or `-` clears an optional field, a
 * required one is refused by name, "Saved" says what changed, and the history reads like the card.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slackApp: SlackApp;
let discord: DiscordApp;
let as: SlackRequests;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  slackApp = await startSlackApp(app.router, connection);
  ({ api, as } = slackApp);
  discord = await startDiscordApp(app.router, { api, deferAfterMs: 2500 });
});

afterAll(async () => {
  await discord?.stop();
  await slackApp?.stop();
});

const on = (name: string) => app.models.influencers.findOne({ name }).lean();
const historyOf = async (name: string) => {
  const record = await on(name);
  return app.models.changes.find({ entityId: record!._id }).sort({ at: 1, _id: 1 }).lean();
};

describe('edits typed on the console', () => {
  beforeAll(async () => {
    await runConsole(app.router, ['influencer add "Zoë Tran" @zoe.creates network:instagram tags:beauty,skincare notes:"likes oat milk" source:TikTok']);
  });

  it('GIVEN `tags:` with nothing THEN the tags are cleared and the reply says so', async () => {
    const out = await runConsole(app.router, ['influencer edit @zoe.creates tags:']);
    expect(out).toContain('Saved Zoë Tran: Tags: beauty, skincare → (none).');
    expect((await on('Zoë Tran'))?.tags).toEqual([]);
  });

  it('GIVEN `notes:-` and `source:""` THEN both are cleared', async () => {
    const out = await runConsole(app.router, ['influencer edit @zoe.creates notes:- source:""']);
    expect(out).toContain('Saved Zoë Tran: Source: TikTok → (none); Notes: likes oat milk → (none).');
    const zoe = await on('Zoë Tran');
    expect(zoe?.notes).toBeUndefined();
    expect(zoe?.source).toBeUndefined();
  });

  it.each([
    ['name:', 'name is required: it cannot be cleared'],
    ['name:-', 'name is required: it cannot be cleared'],
    ['owner:-', 'owner is required: it cannot be cleared'],
    ['stage:""', 'stage is required: it cannot be cleared'],
  ])('GIVEN `%s` THEN it is refused naming the field and nothing changes', async (arg, message) => {
    const before = await historyOf('Zoë Tran');
    const out = await runConsole(app.router, [`influencer edit @zoe.creates ${arg}`]);
    expect(out).toContain(message);
    expect(await on('Zoë Tran')).toMatchObject({ name: 'Zoë Tran', ownerId: 'maria', stage: 'prospect' });
    expect(await historyOf('Zoë Tran')).toHaveLength(before.length);
  });

  it('GIVEN the values already on record THEN it says nothing changed and records nothing', async () => {
    const before = await historyOf('Zoë Tran');
    const out = await runConsole(app.router, ['influencer edit @zoe.creates name:"Zoë Tran" stage:prospect']);
    expect(out).toContain('Nothing changed for Zoë Tran: every value given is already on the record.');
    expect(await historyOf('Zoë Tran')).toHaveLength(before.length);
  });

  it('GIVEN a birthday, a new owner and a rename THEN the history reads like the card, in Paris time', async () => {
    app.clock.set('2026-11-23T21:30:00Z');
    const out = await runConsole(app.router, ['influencer edit @zoe.creates birthday:1994-07-14 owner:@U0SAM name:"Zoë T."', 'influencer show @zoe.creates history']);
    expect(out).toContain('Saved Zoë T.: Name: Zoë Tran → Zoë T.; Birthday: (none) → 1994-07-14; Owner: @maria → @U0SAM.');
    expect(out).toContain('• 2026-11-23 22:30 · @maria edited · Name: Zoë Tran → Zoë T.; Birthday: (none) → 1994-07-14; Owner: @maria → @U0SAM');
    expect(out).toContain('· @maria edited · Tags: beauty, skincare → (none)');
    expect(out).toContain('· @maria added · Name: Zoë Tran; Handles: instagram @zoe.creates; Tags: beauty, skincare; Owner: @maria; Stage: prospect; Source: TikTok; Notes: likes oat milk');
    expect(out).toContain('newest first · times in Europe/Paris');
    const last = (await historyOf('Zoë T.')).at(-1);
    expect(last).toMatchObject({
      action: 'edit',
      actorId: 'maria',
      fields: [
        { field: 'name', from: 'Zoë Tran', to: 'Zoë T.' },
        { field: 'birthday', from: null, to: { month: 7, day: 14, year: 1994 } },
        { field: 'ownerId', from: 'maria', to: 'U0SAM' },
      ],
    });
    app.clock.set('2026-11-23T10:00:00Z');
  });

  it('GIVEN the console form with "-" for tags THEN the prefilled tags are cleared', async () => {
    await runConsole(app.router, ['influencer edit @zoe.creates tags:vegan,food']);
    // Name, handles, email, birthday kept with Enter; tags cleared with "-"; the rest kept.
    const out = await runConsole(app.router, ['influencer edit @zoe.creates', '', '', '', '', '-', '', '', '', '', '', '', '', '']);
    expect(out).toContain('Tags [vegan, food]: -');
    expect(out).toContain('Saved Zoë T.: Tags: vegan, food → (none).');
    expect((await on('Zoë T.'))?.tags).toEqual([]);
  });
});

describe('the edit form on Slack, prefilled', () => {
  it('GIVEN /influencer edit <who> THEN the modal is prefilled; clearing email and tags and renaming saves exactly that', async () => {
    const add = await as.command('/influencer', 'add "Ana Lima" @ana.lima network:tiktok email:ana@example.com tags:food,travel phone:"+33 1 23"');
    expect((await api.waitFor(new URL(add.responseUrl).pathname)).body.text).toContain('Added Ana Lima.');
    const sent = await as.command('/influencer', 'edit @ana.lima');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const initial = Object.fromEntries(
      opened.body.view.blocks
        .filter((b: any) => b.type === 'input')
        .map((b: any) => [b.block_id, b.element.initial_value ?? b.element.initial_option?.value ?? b.element.initial_user ?? null]),
    );
    expect(initial).toMatchObject({ name: 'Ana Lima', handles: 'tiktok @ana.lima', email: 'ana@example.com', tags: 'food, travel', phone: '+33 1 23', stage: 'prospect' });

    const submitted = await as.submit(opened.body.view, { email: '', tags: '', name: 'Ana L. Lima' });
    expect(submitted.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = (await api.waitFor(new URL(sent.responseUrl).pathname)).body;
    expect(answer.text).toContain('Saved Ana L. Lima: Name: Ana Lima → Ana L. Lima; Email: ana@example.com → (none); Tags: food, travel → (none).');
    const ana = await on('Ana L. Lima');
    expect(ana).toMatchObject({ tags: [], phone: '+33 1 23', handles: [{ network: 'tiktok', handle: 'ana.lima' }] });
    expect(ana?.email).toBeUndefined();
  });

  it('GIVEN the name cleared in the modal THEN the name field shows the error and nothing is saved', async () => {
    const sent = await as.command('/influencer', 'edit @ana.lima');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const submitted = await as.submit(opened.body.view, { name: '', phone: '' });
    expect(submitted.response.json).toEqual({ response_action: 'errors', errors: { name: 'name is required: it cannot be cleared' } });
    expect((await on('Ana L. Lima'))?.phone).toBe('+33 1 23');
  });
});

describe('the edit form on Discord, prefilled', () => {
  const send = (d: Record<string, any>) => discord.send(d);

  it('GIVEN /influencer edit who:<id> THEN the modal is prefilled; emptying tags and email saves exactly that', async () => {
    await runConsole(app.router, ['influencer add "Bo Park" @bo.park network:youtube email:bo@example.com tags:tech']);
    const bo = await on('Bo Park');
    // A Discord guild is a workspace of its own: the record is added there.
    const added = await send(slashCommand('add', [
      { name: 'name', type: OptionType.String, value: 'Bo Park' },
      { name: 'handle', type: OptionType.String, value: '@bo.park' },
      { name: 'network', type: OptionType.String, value: 'youtube' },
      { name: 'email', type: OptionType.String, value: 'bo@example.com' },
      { name: 'tags', type: OptionType.String, value: 'tech' },
    ]));
    expect(added.data.embeds[0].title).toBe('Bo Park');
    const record = await app.models.influencers.findOne({ name: 'Bo Park', _id: { $ne: bo!._id } }).lean();
    const modal = await send(slashCommand('edit', [{ name: 'who', type: OptionType.String, value: String(record!._id) }]));
    expect(modal.type).toBe(9);
    const inputs = Object.fromEntries(modal.data.components.map((row: any) => [row.components?.[0]?.custom_id ?? row.component?.custom_id, row.components?.[0]?.value ?? row.component?.value]));
    expect(inputs).toEqual({ name: 'Bo Park', handles: 'youtube @bo.park', email: 'bo@example.com', birthday: undefined, tags: 'tech' });

    const saved = await send(modalSubmit(modal.data.custom_id, { name: 'Bo Park', handles: 'youtube @bo.park', email: '', birthday: '', tags: '' }));
    expect(saved.data.content).toBe('Saved **Bo Park**: Email: bo@example.com → (none); Tags: tech → (none).');
    const after = await app.models.influencers.findById(record!._id).lean();
    expect(after?.tags).toEqual([]);
    expect(after?.email).toBeUndefined();
  });

  it('GIVEN the option notes:- THEN notes are cleared (Discord cannot send an empty option)', async () => {
    const record = await app.models.influencers.findOne({ name: 'Bo Park', workspaceId: { $ne: (await on('Bo Park'))!.workspaceId } }).lean();
    await app.models.influencers.updateOne({ _id: record!._id }, { $set: { notes: 'old note' } });
    const saved = await send(slashCommand('edit', [
      { name: 'who', type: OptionType.String, value: String(record!._id) },
      { name: 'notes', type: OptionType.String, value: '-' },
    ]));
    expect(saved.data.content).toBe('Saved **Bo Park**: Notes: old note → (none).');
    expect((await app.models.influencers.findById(record!._id).lean())?.notes).toBeUndefined();
  });
});
