import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { ALREADY_SUBMITTED, CommandRouter, DATABASE_DOWN } from '../../../src/platforms/command-router';
import { commands, explain } from '../../../commands';
import { createDiscordAdapter, nonceFor, type DiscordAdapter } from '../../../src/platforms/discord/discord.adapter';
import type { Caller, Invocation } from '../../../src/platforms/command-router';
import { header, para, reply } from '../../../src/core';
import { buildApp, silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import {
  ADMIN_PERMISSIONS,
  APPLICATION_ID,
  GUILD_A,
  GUILD_B,
  OptionType,
  USER_MARIA,
  USER_SAM,
  autocomplete,
  buttonClick,
  callbackPath,
  dispatch,
  modalSubmit,
  slashCommand,
  webhookPath,
  type RawOption,
} from '../../helpers/discord-interactions';
import { answerWebhooks, DISCORD_TOKEN as TOKEN } from '../../helpers/discord-app';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';

const GUILD_C = '1100000000000000003';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let adapter: DiscordAdapter;
const extraAdapters: DiscordAdapter[] = [];

function newAdapter(overrides: Partial<Parameters<typeof createDiscordAdapter>[0]> = {}): DiscordAdapter {
  const created = createDiscordAdapter({
    router: app.router,
    token: TOKEN,
    clientId: APPLICATION_ID,
    apiUrl: `${api.url}/api`,
    logger: silentLogger,
    ...overrides,
  });
  created.client.rest.setToken(TOKEN);
  return created;
}

beforeAll(async () => {
  app = await buildApp(connection);
  api = await startRecordingApi();
  answerWebhooks(api);
  adapter = newAdapter();
});

afterAll(async () => {
  for (const other of [adapter, ...extraAdapters]) await other.stop();
  await api.close();
});

interface Callback {
  type: number;
  data?: any;
}

/** Sends the interaction the way the gateway does and resolves with Discord's view of our first response. */
async function send(d: Record<string, any>, on: DiscordAdapter = adapter): Promise<Callback> {
  dispatch(on.client, d);
  const request = await api.waitFor(callbackPath(d));
  expect(request.method).toBe('POST');
  expect(request.path).toContain('/api/v10/');
  return request.body as Callback;
}

const opt = (name: string, value: string | number, type: number = OptionType.String): RawOption => ({ name, type, value });
const contentOf = (callback: Callback) => String(callback.data?.content ?? '');
const embedOf = (callback: Callback) => callback.data?.embeds?.[0] ?? {};
const buttonsOf = (callback: Callback): Array<{ label: string; custom_id: string }> =>
  (callback.data?.components ?? []).flatMap((row: { components: unknown[] }) => row.components);

async function workspaceId(guildId: string) {
  return new Types.ObjectId((await app.services.workspaces.ensure('discord', guildId)).id);
}

async function findInGuild(guildId: string, name: string) {
  return app.models.influencers.findOne({ workspaceId: await workspaceId(guildId), name }).lean();
}

describe('/influencer on Discord, end to end through discord.js', () => {
  let zoeId = '';

  it('GIVEN add with typed options WHEN run THEN the creator is stored and the card comes back privately', async () => {
    const callback = await send(
      slashCommand('add', [
        opt('name', 'Zoë Tran'),
        opt('handle', '@Zoe.Creates'),
        opt('network', 'instagram'),
        opt('followers', 12500, OptionType.Integer),
        opt('email', 'Zoe@Example.com'),
        opt('birthday', '07-14'),
        opt('tags', 'beauty, skincare'),
        opt('owner', USER_SAM, OptionType.User),
      ]),
    );
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.allowed_mentions).toEqual({ parse: [] });
    expect(contentOf(callback)).toBe('Added **Zoë Tran**.');
    expect(embedOf(callback).title).toBe('Zoë Tran');
    expect(embedOf(callback).fields).toEqual(
      expect.arrayContaining([
        { name: 'Owner', value: `<@${USER_SAM}>`, inline: true },
        { name: 'Handles', value: 'instagram @zoe.creates · 12.5k', inline: true },
        { name: 'Email', value: 'zoe@example.com', inline: true },
      ]),
    );

    const stored = await findInGuild(GUILD_A, 'Zoë Tran');
    expect(stored).toMatchObject({
      handles: [{ network: 'instagram', handle: 'zoe.creates', followers: 12500 }],
      email: 'zoe@example.com',
      birthday: { month: 7, day: 14 },
      tags: ['beauty', 'skincare'],
      ownerId: USER_SAM,
      stage: 'prospect',
    });
    zoeId = String(stored!._id);
  });

  it('GIVEN find without accents WHEN run THEN the accented creator is listed', async () => {
    const callback = await send(slashCommand('find', [opt('query', 'zoe')]));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(contentOf(callback)).toContain('1 creator matches "zoe"');
    expect(contentOf(callback)).toContain(`**Zoë Tran** · @zoe.creates · prospect · <@${USER_SAM}> · id ${zoeId}`);
  });

  it('GIVEN show by handle WHEN run THEN the private card with personal data and its buttons', async () => {
    const callback = await send(slashCommand('show', [opt('who', '@zoe.creates')]));
    expect(callback.data.flags).toBe(64);
    expect(embedOf(callback).title).toBe('Zoë Tran');
    expect(embedOf(callback).fields.map((f: { name: string }) => f.name)).toContain('Email');
    expect(embedOf(callback).footer).toEqual({ text: `id ${zoeId}` });
    expect(buttonsOf(callback).map((b) => [b.label, b.custom_id])).toEqual([
      ['Log touchpoint', `run:influencer log ${zoeId}`],
      ['Edit', `run:influencer edit ${zoeId}`],
      ['Change stage', `run:influencer stage ${zoeId}`],
      ['Timeline', `run:influencer show ${zoeId} touchpoints`],
      ['Archive', `run:influencer archive ${zoeId}`],
      ['Share in channel', `run:influencer show ${zoeId} share:yes`],
    ]);
  });

  it('GIVEN show share:yes WHEN run THEN a public card without personal data or buttons', async () => {
    const callback = await send(slashCommand('show', [opt('who', 'Zoë Tran'), opt('share', 'yes')]));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(0);
    expect(callback.data.allowed_mentions).toEqual({ parse: [] });
    const names = embedOf(callback).fields.map((f: { name: string }) => f.name);
    expect(names).not.toContain('Email');
    expect(JSON.stringify(callback.data)).not.toContain('zoe@example.com');
    expect(buttonsOf(callback)).toEqual([]);
  });

  it('GIVEN edit with options WHEN run THEN the change is stored and shown', async () => {
    const callback = await send(slashCommand('edit', [opt('who', zoeId), opt('email', 'zoe@newmail.com'), opt('tags', 'beauty, vegan')]));
    expect(contentOf(callback)).toBe('Saved **Zoë Tran**: Email: zoe@example.com → zoe@newmail.com; Tags: beauty, skincare → beauty, vegan.');
    const stored = await findInGuild(GUILD_A, 'Zoë Tran');
    expect(stored).toMatchObject({ email: 'zoe@newmail.com', tags: ['beauty', 'vegan'] });
  });

  it('GIVEN show history WHEN run THEN the recorded changes', async () => {
    const callback = await send(slashCommand('show', [opt('who', zoeId), opt('view', 'history')]));
    expect(embedOf(callback).title).toBe('Zoë Tran: changes');
    expect(embedOf(callback).description).toContain('edited · Email: zoe@example.com → zoe@newmail.com; Tags: beauty, skincare → beauty, vegan');
  });

  it('GIVEN edit with only who WHEN run THEN the prefilled modal opens; submitted THEN stored', async () => {
    const opened = await send(slashCommand('edit', [opt('who', '@zoe.creates')]));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe(`form:influencer edit who:${zoeId}`);
    expect(opened.data.components).toHaveLength(5);
    expect(opened.data.components[0].components[0]).toMatchObject({ custom_id: 'name', value: 'Zoë Tran', required: true });
    expect(opened.data.components[2].components[0]).toMatchObject({ custom_id: 'email', value: 'zoe@newmail.com' });

    const saved = await send(
      modalSubmit(opened.data.custom_id, {
        name: 'Zoë Tran',
        handles: 'instagram @zoe.creates 13000',
        email: 'zoe@example.com',
        birthday: '1998-07-14',
        tags: 'beauty, vegan',
      }),
    );
    expect(saved.type).toBe(4);
    expect(saved.data.flags).toBe(64);
    expect(contentOf(saved)).toBe(
      'Saved **Zoë Tran**: Handles: instagram @zoe.creates · 12.5k → instagram @zoe.creates · 13k; Email: zoe@newmail.com → zoe@example.com; Birthday: 07-14 → 1998-07-14.',
    );
    // Five inputs were all the modal could hold: the rest are named as edit options.
    expect(embedOf(saved).footer.text).toContain('are options of /influencer edit');
    expect(embedOf(saved).footer.text).toContain('phone');
    const stored = await findInGuild(GUILD_A, 'Zoë Tran');
    expect(stored).toMatchObject({ email: 'zoe@example.com', birthday: { year: 1998, month: 7, day: 14 }, handles: [{ handle: 'zoe.creates', followers: 13000 }] });
  });

  it('GIVEN log with who, kind and summary WHEN run THEN the touchpoint is stored and last contact moves', async () => {
    const callback = await send(slashCommand('log', [opt('who', '@zoe.creates'), opt('kind', 'gift'), opt('summary', 'Sent the autumn box')]));
    expect(contentOf(callback)).toBe('Logged gift with **Zoë Tran**: Sent the autumn box');
    expect(buttonsOf(callback)).toEqual([expect.objectContaining({ label: 'Show card', custom_id: `run:influencer show ${zoeId}` })]);
    const touchpoints = await app.models.touchpoints.find({ influencerId: new Types.ObjectId(zoeId) }).lean();
    expect(touchpoints).toEqual([expect.objectContaining({ kind: 'gift', summary: 'Sent the autumn box' })]);
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.lastContact).toMatchObject({ kind: 'gift', byId: USER_MARIA });
  });

  it('GIVEN stage WHEN run THEN the stage is stored', async () => {
    const callback = await send(slashCommand('stage', [opt('who', zoeId), opt('stage', 'negotiating')]));
    expect(contentOf(callback)).toBe('Moved **Zoë Tran** from prospect to negotiating.');
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.stage).toBe('negotiating');
  });

  it('GIVEN archive then restore as commands WHEN run THEN archived (with an Undo button) and back', async () => {
    const archived = await send(slashCommand('archive', [opt('who', 'Zoë Tran')]));
    expect(contentOf(archived)).toBe('Archived **Zoë Tran**. Nothing was deleted.');
    expect(buttonsOf(archived)).toEqual([expect.objectContaining({ label: 'Undo', custom_id: `run:influencer restore ${zoeId}` })]);
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.archivedAt).toBeInstanceOf(Date);

    const restored = await send(slashCommand('restore', [opt('who', zoeId)]));
    expect(contentOf(restored)).toBe('Restored **Zoë Tran**.');
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.archivedAt ?? null).toBeNull();
  });

  it('GIVEN the card buttons WHEN clicked THEN each runs its line: archive, then Undo restores', async () => {
    const archived = await send(buttonClick(`run:influencer archive ${zoeId}`));
    expect(archived.type).toBe(4);
    expect(archived.data.flags).toBe(64);
    expect(contentOf(archived)).toBe('Archived **Zoë Tran**. Nothing was deleted.');
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.archivedAt).toBeInstanceOf(Date);

    const undo = buttonsOf(archived)[0]!.custom_id;
    const restored = await send(buttonClick(undo));
    expect(contentOf(restored)).toBe('Restored **Zoë Tran**.');
    expect((await findInGuild(GUILD_A, 'Zoë Tran'))?.archivedAt ?? null).toBeNull();
  });

  it('GIVEN the Edit button WHEN clicked THEN the modal opens from the click', async () => {
    const opened = await send(buttonClick(`run:influencer edit ${zoeId}`));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe(`form:influencer edit who:${zoeId}`);
  });

  it('GIVEN Share in channel WHEN clicked THEN a public message', async () => {
    const shared = await send(buttonClick(`run:influencer show ${zoeId} share:yes`));
    expect(shared.data.flags).toBe(0);
    expect(embedOf(shared).title).toBe('Zoë Tran');
  });

  it('GIVEN a button that is not ours WHEN clicked THEN a private note, not a silent failure', async () => {
    const answer = await send(buttonClick('legacy:something'));
    expect(answer).toMatchObject({ type: 4, data: { content: 'This button is out of date. Run the command again.', flags: 64 } });
  });

  it('GIVEN list with a stage choice and a user option WHEN run THEN the matching creators', async () => {
    const all = await send(slashCommand('list'));
    expect(embedOf(all).description).toContain('1 creator · page 1 of 1');
    expect(embedOf(all).description).toContain('**Zoë Tran**');

    const filtered = await send(slashCommand('list', [opt('stage', 'negotiating'), opt('owner', USER_SAM, OptionType.User)]));
    expect(embedOf(filtered).description).toContain(`1 negotiating creator owned by <@${USER_SAM}>`);

    const none = await send(slashCommand('list', [opt('stage', 'ambassador')]));
    expect(contentOf(none)).toContain('No ambassador creators yet');
  });

  it('GIVEN help WHEN run THEN every subcommand with an example', async () => {
    const callback = await send(slashCommand('help'));
    expect(callback.data.flags).toBe(64);
    expect(embedOf(callback).title).toBe('/influencer');
    for (const sub of ['add', 'find', 'show', 'edit', 'log', 'stage', 'archive', 'restore', 'list']) {
      expect(embedOf(callback).description).toContain(`**${sub}**`);
    }
  });
});

describe('hostile and unusual input', () => {
  it('GIVEN a query-looking name, emoji and a 5,000-character note WHEN added THEN stored and shown as text, within Discord limits', async () => {
    const notes = 'n'.repeat(5000);
    const added = await send(slashCommand('add', [opt('name', '{"$gt": ""} 🌸 Ünïcødé'), opt('notes', notes)]));
    expect(contentOf(added)).toBe('Added **{"$gt": ""} 🌸 Ünïcødé**.');
    expect(embedOf(added).title).toBe('{"$gt": ""} 🌸 Ünïcødé');
    const notesField = embedOf(added).fields.find((f: { name: string }) => f.name === 'Notes');
    expect(notesField.value).toHaveLength(1024);
    const stored = await findInGuild(GUILD_A, '{"$gt": ""} 🌸 Ünïcødé');
    expect(stored?.notes).toBe(notes);

    const found = await send(slashCommand('show', [opt('who', '{"$gt": ""}')]));
    expect(embedOf(found).title).toBe('{"$gt": ""} 🌸 Ünïcødé');
    const archived = await send(slashCommand('archive', [opt('who', String(stored!._id))]));
    expect(contentOf(archived)).toContain('Archived');
  });
});

describe('forms on Discord', () => {
  it('GIVEN add with no options WHEN run THEN a modal; submitted THEN stored and answered privately', async () => {
    const opened = await send(slashCommand('add'));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe('form:influencer add');
    expect(opened.data.title).toBe('Add a creator');
    expect(opened.data.components.map((row: any) => row.components[0].custom_id)).toEqual(['name', 'handles', 'email', 'birthday', 'tags']);

    const saved = await send(
      modalSubmit('form:influencer add', {
        name: 'Sam Okafor',
        handles: 'tiktok @sam.makes 3000\nyoutube @SamMakes',
        email: 'sam@example.com',
        birthday: '02-03',
        tags: '#food, travel',
      }),
    );
    expect(saved.type).toBe(4);
    expect(saved.data.flags).toBe(64);
    expect(contentOf(saved)).toBe('Added **Sam Okafor**.');
    const stored = await findInGuild(GUILD_A, 'Sam Okafor');
    expect(stored).toMatchObject({
      handles: [
        { network: 'tiktok', handle: 'sam.makes', followers: 3000 },
        { network: 'youtube', handle: 'sammakes' },
      ],
      email: 'sam@example.com',
      birthday: { month: 2, day: 3 },
      tags: ['food', 'travel'],
      ownerId: USER_MARIA,
      stage: 'prospect',
    });
  });

  it('GIVEN the same modal submission delivered twice (a gateway replay) THEN it is stored once and the second is told so', async () => {
    const d = modalSubmit('form:influencer add', { name: 'Rui Costa', handles: 'instagram @rui.costa', email: '', birthday: '', tags: '' });
    dispatch(adapter.client, d);
    dispatch(adapter.client, d);
    await api.waitFor(callbackPath(d), (r) => contentOf(r.body) === ALREADY_SUBMITTED);
    await api.waitFor(callbackPath(d), (r) => contentOf(r.body) === 'Added **Rui Costa**.');
    expect(await app.models.influencers.countDocuments({ name: 'Rui Costa' })).toBe(1);
  });

  const invalid: Array<[string, Record<string, string>, string]> = [
    ['a bad email', { name: 'Bad Email', email: 'not-an-address' }, 'email must be an address like name@example.com'],
    ['a bad date', { name: 'Bad Date', birthday: '02-30' }, 'birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998'],
    ['a missing name', { name: '', email: 'someone@example.com' }, 'name is required'],
  ];
  it.each(invalid)('GIVEN the add modal with %s WHEN submitted THEN a private error naming the field and nothing stored', async (_case, values, message) => {
    const before = await app.models.influencers.countDocuments();
    const answer = await send(modalSubmit('form:influencer add', { handles: '', birthday: '', tags: '', email: '', ...values }));
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(64);
    expect(contentOf(answer)).toBe(message);
    expect(await app.models.influencers.countDocuments()).toBe(before);
  });

  it('GIVEN log with only who WHEN run THEN a modal whose kind lists the accepted values; a bad date THEN an error and no touchpoint', async () => {
    const record = await app.services.influencers.add(
      (await app.services.workspaces.ensure('discord', GUILD_A)).id,
      { name: 'Lea Park', handles: [{ network: 'instagram', handle: 'lea.park' }], tags: [], ownerId: USER_MARIA, stage: 'active' },
      USER_MARIA,
    );
    const opened = await send(slashCommand('log', [opt('who', '@lea.park')]));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe(`form:influencer log who:${String(record._id)}`);
    expect(opened.data.components[0].components[0]).toMatchObject({
      custom_id: 'kind',
      required: true,
      placeholder: 'outreach/reply/call/meeting/gift/event-invite/engagement/birthday-wish/briefing/feedback/note',
    });

    const rejected = await send(modalSubmit(opened.data.custom_id, { kind: 'call', summary: 'Planned spring', date: '2026-13-01' }));
    expect(contentOf(rejected)).toBe('date: "2026-13-01" is not a day on the calendar');
    expect(rejected.data.flags).toBe(64);
    expect(await app.models.touchpoints.countDocuments({ influencerId: record._id })).toBe(0);

    const logged = await send(modalSubmit(opened.data.custom_id, { kind: 'Call', summary: 'Planned spring', date: '2026-11-20' }));
    expect(contentOf(logged)).toBe('Logged call with **Lea Park** on 2026-11-20: Planned spring');
    expect(await app.models.touchpoints.countDocuments({ influencerId: record._id })).toBe(1);
  });

  it('GIVEN a modal id that is not ours WHEN submitted THEN a private note and nothing run', async () => {
    const answer = await send(modalSubmit('something-else', { name: 'Nobody' }));
    expect(contentOf(answer)).toBe('This form is out of date. Run the command again.');
    expect(await findInGuild(GUILD_A, 'Nobody')).toBeNull();
  });
});

describe('autocomplete on <who>', () => {
  beforeAll(async () => {
    const workspace = await app.services.workspaces.ensure('discord', GUILD_C);
    for (let i = 1; i <= 30; i++) {
      await app.services.influencers.add(
        workspace.id,
        { name: `Creator ${String(i).padStart(2, '0')}`, handles: [{ network: 'tiktok', handle: `creator${i}` }], tags: [], ownerId: USER_MARIA, stage: 'prospect' },
        USER_MARIA,
      );
    }
  });

  it('GIVEN 30 creators and nothing typed WHEN suggesting THEN at most 25 choices, name and handle, valued by id', async () => {
    const callback = await send(autocomplete('show', 'who', '', { guildId: GUILD_C }));
    expect(callback.type).toBe(8);
    const choices = callback.data.choices as Array<{ name: string; value: string }>;
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: 'Creator 01 (@creator1)', value: expect.stringMatching(/^[a-f0-9]{24}$/) });
    const ids = new Set((await app.models.influencers.find({ workspaceId: await workspaceId(GUILD_C) }).lean()).map((r) => String(r._id)));
    expect(choices.every((c) => ids.has(c.value))).toBe(true);
  });

  it('GIVEN a typed prefix WHEN suggesting THEN only matches, never another server\'s creators', async () => {
    const callback = await send(autocomplete('edit', 'who', 'creator 1', { guildId: GUILD_C }));
    const names = (callback.data.choices as Array<{ name: string }>).map((c) => c.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(25);
    expect(names.every((n) => n.startsWith('Creator 1'))).toBe(true);

    const elsewhere = await send(autocomplete('show', 'who', 'zoe', { guildId: GUILD_C }));
    expect(elsewhere.data.choices).toEqual([]);
  });

  it('GIVEN accents and ranks WHEN suggesting THEN through the search index: exact handle, then name prefix, then word prefix', async () => {
    const workspace = await app.services.workspaces.ensure('discord', GUILD_C);
    const add = (name: string, handle: string) =>
      app.services.influencers.add(workspace.id, { name, handles: [{ network: 'x', handle }], tags: [], ownerId: USER_MARIA, stage: 'prospect' }, USER_MARIA);
    await add('Lou Zoë', 'lou');
    await add('Zoë Tran', 'zoe.creates');
    await add('Quinn', 'zoë');
    const callback = await send(autocomplete('show', 'who', 'ZOE', { guildId: GUILD_C }));
    expect((callback.data.choices as Array<{ name: string }>).map((c) => c.name)).toEqual(['Quinn (@zoë)', 'Zoë Tran (@zoe.creates)', 'Lou Zoë (@lou)']);
  });

  it('GIVEN an option that does not autocomplete or a DM WHEN asked THEN no choices', async () => {
    expect((await send(autocomplete('find', 'query', 'zo'))).data.choices).toEqual([]);
    expect((await send(autocomplete('show', 'who', 'zo', { guildId: null }))).data.choices).toEqual([]);
  });
});

describe('workspace isolation between servers', () => {
  let irisId = '';
  beforeAll(async () => {
    const record = await app.services.influencers.add(
      (await app.services.workspaces.ensure('discord', GUILD_A)).id,
      { name: 'Iris Vale', handles: [{ network: 'instagram', handle: 'iris.vale' }], email: 'iris@example.com', tags: ['travel'], ownerId: USER_MARIA, stage: 'active' },
      USER_MARIA,
    );
    irisId = String(record._id);
  });

  const inB = { guildId: GUILD_B, permissions: ADMIN_PERMISSIONS };

  it.each([['name', 'Iris Vale'], ['handle', '@iris.vale'], ['id', '__id__']])(
    'GIVEN server B WHEN it shows A\'s creator by %s THEN not found, nothing of A shown',
    async (_by, who) => {
      const callback = await send(slashCommand('show', [opt('who', who === '__id__' ? irisId : who)], inB));
      expect(contentOf(callback)).toMatch(/^No creator matches/);
      expect(JSON.stringify(callback.data)).not.toContain('iris@example.com');
    },
  );

  it('GIVEN server B WHEN it finds, edits, logs to or archives A\'s creator by name, handle or id THEN nothing changes in A', async () => {
    const before = await app.models.influencers.findById(irisId).lean();
    expect(contentOf(await send(slashCommand('find', [opt('query', 'iris')], inB)))).toBe('No creator matches "iris".');
    for (const who of [irisId, '@iris.vale', 'Iris Vale']) {
      expect(contentOf(await send(slashCommand('edit', [opt('who', who), opt('email', 'stolen@example.com')], inB)))).toMatch(/^No creator matches/);
      expect(contentOf(await send(slashCommand('archive', [opt('who', who)], inB)))).toMatch(/^No creator matches/);
      expect(contentOf(await send(slashCommand('log', [opt('who', who), opt('kind', 'note'), opt('summary', 'x')], inB)))).toMatch(/^No creator matches/);
      expect(contentOf(await send(slashCommand('stage', [opt('who', who), opt('stage', 'ended')], inB)))).toMatch(/^No creator matches/);
    }
    expect(contentOf(await send(buttonClick(`run:influencer archive ${irisId}`, inB)))).toMatch(/^No creator matches/);
    expect(contentOf(await send(slashCommand('edit', [opt('who', irisId)], inB)))).toMatch(/^No creator matches/);

    expect(await app.models.influencers.findById(irisId).lean()).toEqual(before);
    expect(await app.models.touchpoints.countDocuments({ influencerId: new Types.ObjectId(irisId) })).toBe(0);
  });

  it('GIVEN server B WHEN it submits a forged edit form for A\'s id THEN nothing changes in A', async () => {
    const before = await app.models.influencers.findById(irisId).lean();
    const answer = await send(modalSubmit(`form:influencer edit who:${irisId}`, { name: 'Hijacked', email: 'stolen@example.com' }, inB));
    expect(contentOf(answer)).toMatch(/^No creator matches/);
    expect(await app.models.influencers.findById(irisId).lean()).toEqual(before);
  });
});

describe('who is calling', () => {
  it('GIVEN Manage Server or not WHEN a command runs THEN the actor is the user and isAdmin follows the permission', async () => {
    const seen: Caller[] = [];
    const spy = newAdapter({
      router: {
        command: (name) => app.router.command(name),
        parseText: (command, line) => app.router.parseText(command, line),
        suggest: (...args) => app.router.suggest(...args),
        messageInvocation: (...args) => app.router.messageInvocation(...args),
        handle: async (caller, invocation) => {
          seen.push(caller);
          return app.router.handle(caller, invocation);
        },
      },
    });
    extraAdapters.push(spy);
    await send(slashCommand('help', [], { permissions: ADMIN_PERMISSIONS, userId: USER_SAM }), spy);
    await send(slashCommand('help', [], { userId: USER_MARIA }), spy);
    expect(seen.map((c) => [c.platform, c.workspaceExternalId, c.actor.id])).toEqual([
      ['discord', GUILD_A, USER_SAM],
      ['discord', GUILD_A, USER_MARIA],
    ]);
    expect(await seen[0]!.actor.isAdmin()).toBe(true);
    expect(await seen[1]!.actor.isAdmin()).toBe(false);
  });

  it('GIVEN payment managers set to a role WHEN members mark a payment paid THEN the role decides', async () => {
    const FINANCE = '1700000000000000001';
    const guild = '1100000000000000009';
    const admin: Caller = { platform: 'discord', workspaceExternalId: guild, actor: { id: USER_MARIA, isAdmin: async () => true } };
    const say = (command: string, line: string) => app.router.handle(admin, app.router.parseText(command, line));
    await say('influencer', 'add "Role Test" @role.test network:instagram');
    await say('collab', 'new @role.test "Role launch" type:review goal:awareness');
    await say('payment', 'add "Role launch" 300 USD 2026-12-01');
    await say('irm', `settings managers:<@&${FINANCE}>`);
    const workspace = await app.services.workspaces.ensure('discord', guild);
    const payment = await app.models.payments.findOne({ workspaceId: workspace.id }).lean();
    expect(payment).toMatchObject({ status: 'scheduled' });

    const refused = await send(slashCommand('paid', [opt('payment', String(payment!._id))], { guildId: guild, userId: USER_SAM }, 'payment'));
    expect(JSON.stringify(refused.data)).toContain('payment managers');
    expect(await app.models.payments.findById(payment!._id).lean()).toMatchObject({ status: 'scheduled' });

    const accepted = await send(slashCommand('paid', [opt('payment', String(payment!._id))], { guildId: guild, userId: USER_SAM, roles: [FINANCE] }, 'payment'));
    expect(JSON.stringify(accepted.data)).toMatch(/paid/i);
    expect(await app.models.payments.findById(payment!._id).lean()).toMatchObject({ status: 'paid' });
  });

  it('GIVEN a DM WHEN a command runs THEN a polite private refusal and no workspace', async () => {
    const callback = await send(slashCommand('list', [], { guildId: null }));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(contentOf(callback)).toContain('only work inside a server');
  });
});

describe('first response within 3 seconds', () => {
  function gated() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const router: Pick<CommandRouter, 'command' | 'parseText' | 'handle' | 'suggest' | 'messageInvocation'> = {
      command: (name) => app.router.command(name),
      parseText: (command, line) => app.router.parseText(command, line),
      suggest: (...args) => app.router.suggest(...args),
      messageInvocation: (...args) => app.router.messageInvocation(...args),
      handle: async (caller: Caller, invocation: Invocation) => {
        await gate;
        return app.router.handle(caller, invocation);
      },
    };
    const slow = newAdapter({ router, deferAfterMs: 5 });
    extraAdapters.push(slow);
    return { slow, release };
  }

  it('GIVEN slow work WHEN a command runs THEN an ephemeral deferral first, then the answer as an edit', async () => {
    const { slow, release } = gated();
    const d = slashCommand('help');
    const first = await send(d, slow);
    expect(first).toEqual({ type: 5, data: { flags: 64 } });
    release();
    const edit = await api.waitFor(`${webhookPath(d)}/messages/%40original`);
    expect(edit.method).toBe('PATCH');
    expect(edit.body.embeds[0].title).toBe('/influencer');
    expect(edit.body.flags).toBeUndefined();
  });

  it('GIVEN slow work that ends in a form WHEN deferred THEN an Open form button whose click opens the modal', async () => {
    const { slow, release } = gated();
    const d = slashCommand('add');
    expect((await send(d, slow)).type).toBe(5);
    release();
    const edit = await api.waitFor(`${webhookPath(d)}/messages/%40original`);
    expect(edit.body.components).toEqual([
      { type: 1, components: [{ type: 2, style: 1, label: 'Open form', custom_id: 'run:influencer add' }] },
    ]);
    const opened = await send(buttonClick('run:influencer add'));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe('form:influencer add');
  });

  it('GIVEN slow work with a channel answer WHEN deferred THEN the private note is edited and the answer follows publicly', async () => {
    const record = await findInGuild(GUILD_A, 'Zoë Tran');
    const { slow, release } = gated();
    const d = slashCommand('show', [opt('who', String(record!._id)), opt('share', 'yes')]);
    expect((await send(d, slow)).type).toBe(5);
    release();
    const edit = await api.waitFor(`${webhookPath(d)}/messages/%40original`);
    expect(edit.body.content).toBe('Posted in the channel.');
    const followUp = await api.waitFor(webhookPath(d), (r) => r.method === 'POST');
    expect(followUp.body.flags).toBe(0);
    expect(followUp.body.embeds[0].title).toBe('Zoë Tran');
  });
});

describe('failures', () => {
  it('GIVEN a command that throws WHEN run THEN a private apology with a reference, the error logged', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const broken = newAdapter({
      logger,
      router: {
        command: (name) => app.router.command(name),
        parseText: (command, line) => app.router.parseText(command, line),
        suggest: (...args) => app.router.suggest(...args),
        messageInvocation: (...args) => app.router.messageInvocation(...args),
        handle: async () => {
          throw new Error('database on fire');
        },
      },
    });
    extraAdapters.push(broken);
    const callback = await send(slashCommand('list'), broken);
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(contentOf(callback)).toMatch(/^Sorry, something went wrong on our side\. Reference: [0-9a-f]{8}$/);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ ref: contentOf(callback).slice(-8) }), 'discord interaction failed');
  });

  it('GIVEN a command that throws after the deferral WHEN run THEN the deferred "thinking…" message becomes the apology', async () => {
    let fail!: () => void;
    const gate = new Promise<void>((_resolve, reject) => {
      fail = () => reject(new Error('late failure'));
    });
    const broken = newAdapter({
      deferAfterMs: 5,
      router: {
        command: (name) => app.router.command(name),
        parseText: (command, line) => app.router.parseText(command, line),
        suggest: (...args) => app.router.suggest(...args),
        messageInvocation: (...args) => app.router.messageInvocation(...args),
        handle: async () => {
          await gate;
          throw new Error('unreachable');
        },
      },
    });
    extraAdapters.push(broken);
    const d = slashCommand('list');
    expect((await send(d, broken)).type).toBe(5);
    fail();
    const edit = await api.waitFor(`${webhookPath(d)}/messages/%40original`, (r) => r.method === 'PATCH');
    expect(edit.body).toMatchObject({ content: expect.stringMatching(/^Sorry, something went wrong on our side\. Reference: [0-9a-f]{8}$/), embeds: [], components: [] });
    expect(api.to(webhookPath(d)).filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('postMessage', () => {
  it('GIVEN a digest that names a user WHEN posted to a channel THEN a channel message that pings nobody it does not notify', async () => {
    api.respond((req) => (req.path.endsWith('/channels/1200000000000000777/messages') ? { body: { id: '1600000000000000777' } } : undefined));
    const sent = await adapter.postMessage('1200000000000000777', reply([header('This week'), para(`Zoë's birthday is in 3 days, <@${USER_MARIA}>.`)]));
    // The scheduler's ledger records this id, so a post is never repeated.
    expect(sent).toEqual({ id: '1600000000000000777' });
    const posted = await api.waitFor('/channels/1200000000000000777/messages');
    expect(posted.method).toBe('POST');
    expect(posted.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(posted.body).toEqual({
      embeds: [{ title: 'This week', description: `Zoë's birthday is in 3 days, <@${USER_MARIA}>.` }],
      components: [],
      allowed_mentions: { parse: [] },
    });
  });
});

describe('scheduled posts: never twice', () => {
  const mark = { run: 'late-payments:6561f0c1a2b3c4d5e6f70809:2026-11-23', index: 0 };

  it('GIVEN a scheduled post WHEN posted THEN it carries a nonce of at most 25 characters from its run and index, with enforce_nonce', async () => {
    api.respond((req) => (req.path.endsWith('/channels/1200000000000000881/messages') ? { body: { id: '1600000000000000881' } } : undefined));
    expect(await adapter.postMessage('1200000000000000881', reply([para('Payments due')]), mark)).toEqual({ id: '1600000000000000881' });
    const posted = await api.waitFor('/channels/1200000000000000881/messages');
    expect([posted.body.nonce, posted.body.enforce_nonce]).toEqual([nonceFor(mark), true]);
    expect(nonceFor(mark)).toMatch(/^[A-Za-z0-9_-]{25}$/);
    expect(nonceFor({ ...mark, index: 1 })).not.toBe(nonceFor(mark));
  });

  it('GIVEN Discord answers a post with 500 THEN the client does not retry it (the scheduler decides, after looking)', async () => {
    api.respond((req) => (req.path.endsWith('/channels/1200000000000000882/messages') ? { status: 500, body: { message: 'Internal Server Error', code: 0 } } : undefined));
    await expect(adapter.postMessage('1200000000000000882', reply([para('Payments due')]), mark)).rejects.toThrow();
    expect(api.to('/channels/1200000000000000882/messages')).toHaveLength(1);
  });

  it('GIVEN an earlier attempt older than the nonce window WHEN looking for its post THEN the bot\'s own message from that moment is found, and answers to interactions or other authors are not', async () => {
    const since = new Date(Date.now() - 10 * 60_000);
    const at = (ms: number) => new Date(since.getTime() + ms).toISOString();
    api.respond((req) =>
      req.method === 'GET' && req.path.includes('/channels/1200000000000000883/messages')
        ? {
            body: [
              { id: '1600000000000000903', author: { id: APPLICATION_ID }, timestamp: at(600_000) },
              { id: '1600000000000000902', author: { id: APPLICATION_ID }, timestamp: at(1_000) },
              { id: '1600000000000000901', author: { id: APPLICATION_ID }, timestamp: at(500), interaction_metadata: { id: '1' } },
              { id: '1600000000000000900', author: { id: '1100000000000000002' }, timestamp: at(200) },
            ],
          }
        : undefined,
    );
    expect(await adapter.findPost('1200000000000000883', mark, since)).toEqual({ id: '1600000000000000902' });
    const [lookup] = api.to('/channels/1200000000000000883/messages');
    expect(lookup!.path).toMatch(/\?after=\d+&limit=100$/);
    // Within the window no lookup is made: posting again with the same nonce returns the earlier message.
    expect(await adapter.findPost('1200000000000000883', mark, new Date())).toBeUndefined();
    expect(api.to('/channels/1200000000000000883/messages')).toHaveLength(1);
  });
});

describe('forms while the database is unreachable', () => {
  it('GIVEN the database is down WHEN a modal is submitted THEN "nothing was changed" with a button that, once it is back, reopens the form with what was typed', async () => {
    let up = false;
    const router = new CommandRouter(commands, { explain, services: app.services, clock: app.clock, logger: silentLogger, database: { isUp: () => up, reportUnreachable: () => (up = false) } });
    const down = newAdapter({ router });
    extraAdapters.push(down);

    const submitted = await send(modalSubmit('form:influencer add', { name: 'Ivo Petrov', handles: 'tiktok @ivo.p', email: 'ivo@example.com', birthday: '', tags: '' }), down);
    expect([submitted.type, submitted.data.flags, contentOf(submitted)]).toEqual([4, 64, DATABASE_DOWN]);
    const fix = buttonsOf(submitted).find((b) => b.label === 'Fix the form')!;
    expect(await app.models.influencers.countDocuments({ name: 'Ivo Petrov' })).toBe(0);

    up = true;
    const reopened = await send(buttonClick(fix.custom_id), down);
    expect(reopened.type).toBe(9);
    const values = Object.fromEntries(reopened.data.components.map((row: { components: Array<{ custom_id: string; value?: string }> }) => [row.components[0]!.custom_id, row.components[0]!.value]));
    expect([values.name, values.handles, values.email]).toEqual(['Ivo Petrov', 'tiktok @ivo.p', 'ivo@example.com']);
  });
});
