import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type Callback, type DiscordApp } from '../helpers/discord-app';
import {
  GUILD_A,
  OptionType,
  buttonClick,
  autocomplete,
  modalSubmit,
  slashCommand,
  type RawOption,
} from '../helpers/discord-interactions';

/**
 * `/collab new` -> brief -> "Brief sent" -> "Edit brief" modal -> `/content log` -> `/content metrics`
 * -> `/collab show` on Discord: raw interaction payloads into the real discord.js client.
 */

const NUMBER = 10;

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  // Generous, so every answer here is the first response (no deferral).
  platform = await startDiscordApp(app.router, { deferAfterMs: 2500 });
});

afterAll(async () => {
  await platform?.stop();
});

const send = (d: Record<string, any>) => platform.send(d);

const opt = (name: string, value: string | number, type: number = OptionType.String): RawOption => ({ name, type, value });
/** Everything a person reads in the message: content, embed title, description, fields and footer. */
const textOf = (callback: Callback): string => {
  const embed = callback.data?.embeds?.[0] ?? {};
  return [
    callback.data?.content,
    embed.title,
    embed.description,
    ...(embed.fields ?? []).map((f: { name: string; value: string }) => `${f.name}: ${f.value}`),
    embed.footer?.text,
  ]
    .filter(Boolean)
    .join('\n');
};
const buttonsOf = (callback: Callback): Array<{ label: string; custom_id: string }> =>
  (callback.data?.components ?? []).flatMap((row: { components: unknown[] }) => row.components);

describe('a collaboration on Discord, end to end', () => {
  let collabId = '';

  it('GIVEN /collab new with typed options THEN it starts, moves the creator to active and answers with the brief', async () => {
    await send(slashCommand('add', [opt('name', 'Zoë Tran'), opt('handle', '@zoe.creates'), opt('network', 'instagram'), opt('stage', 'negotiating')]));
    const created = await send(
      slashCommand(
        'new',
        [
          opt('who', '@zoe.creates'),
          opt('title', 'Spring launch'),
          opt('type', 'sponsored-post'),
          opt('goal', 'awareness'),
          opt('expect', 'post 2, story 4'),
          opt('fee', 1500, NUMBER),
          opt('currency', 'EUR'),
          opt('schedule', 'monthly'),
          // The start day: the first monthly fee is called for at once.
          opt('reporting-day', 23, OptionType.Integer),
          opt('code', 'ZOE15'),
        ],
        {},
        'collab',
      ),
    );
    expect(created.type).toBe(4);
    expect(created.data.flags).toBe(64);
    const collab = await app.models.collaborations.findOne({ title: 'Spring launch' }).lean();
    collabId = String(collab!._id);
    const text = textOf(created);
    expect(text).toContain('Started **Spring launch** with **Zoë Tran**: awareness, sponsored-post. Zoë Tran moved from negotiating to active.');
    expect(text).toContain('**Checklist for November 2026:** 2 posts (due Nov 26, Nov 30) · 4 stories (due Nov 24, Nov 26, Nov 28, Nov 30)');
    expect(text).toContain('Onboarding brief for Zoë Tran');
    expect(text).toContain('**Payment:** €1,500.00 per month, paid within 30 days of each reporting day');
    expect(text).toContain('**The creative approach is yours:**');
    expect(buttonsOf(created).map((b) => [b.label, b.custom_id])).toEqual([
      ['Brief sent', `run:collab brief ${collabId} sent`],
      ['Edit brief', `run:collab brief ${collabId} edit`],
      ['Show collaboration', `run:collab show ${collabId}`],
    ]);
    expect(collab).toMatchObject({ compensation: { feeMinor: 150000, currency: 'EUR', schedule: 'monthly' }, reportingDay: 23, discountCode: 'ZOE15' });
    expect(await app.models.contents.countDocuments({ collaborationId: collab!._id, status: 'planned' })).toBe(6);
    expect((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())?.stage).toBe('active');
  });

  it('GIVEN "Brief sent" is clicked THEN a briefing touchpoint is logged', async () => {
    const clicked = await send(buttonClick(`run:collab brief ${collabId} sent`));
    expect(textOf(clicked)).toContain('Logged a briefing with **Zoë Tran**: Sent the onboarding brief for Spring launch.');
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect(zoe?.lastContact?.kind).toBe('briefing');
  });

  it('GIVEN "Edit brief" is clicked THEN the five brief fields open as a modal and its submission is saved', async () => {
    const opened = await send(buttonClick(`run:collab brief ${collabId} edit`));
    expect(opened.type).toBe(9);
    expect(opened.data.custom_id).toBe(`form:collab brief collab:${collabId}`);
    expect(opened.data.components.map((row: any) => row.components[0].custom_id)).toEqual(['guidelines', 'key-messages', 'cta', 'must-mention', 'must-avoid']);
    const saved = await send(
      modalSubmit(opened.data.custom_id, { guidelines: 'https://brand.example/guidelines', 'key-messages': '', cta: 'Shop the launch', 'must-mention': '#ad', 'must-avoid': '' }),
    );
    expect(textOf(saved)).toContain('Saved the brief for **Spring launch**: Guidelines: (none) → https://brand.example/guidelines; Call to action: (none) → Shop the launch; Must mention: (none) → \\#ad.');
    // Typed text is escaped for Discord: `\#` shows as # and never starts a heading.
    expect((await app.models.collaborations.findById(collabId).lean())?.brief).toEqual({
      guidelines: 'https://brand.example/guidelines',
      callToAction: 'Shop the launch',
      mustMention: '#ad',
    });
  });

  it('GIVEN content logged and measured with typed options THEN /collab show has the figures exactly', async () => {
    const logged = await send(slashCommand('log', [opt('collab', 'Spring launch'), opt('url', 'https://www.instagram.com/p/AAA/')], {}, 'content'));
    expect(textOf(logged)).toContain('It ticks off the post due Nov 26.');
    await send(slashCommand('log', [opt('collab', '@zoe.creates'), opt('url', 'https://www.instagram.com/stories/zoe.creates/1'), opt('type', 'story')], {}, 'content'));
    const refused = await send(slashCommand('log', [opt('collab', 'Spring launch'), opt('url', 'https://instagram.com/p/AAA')], {}, 'content'));
    expect(textOf(refused)).toContain('That link is already logged for Spring launch');
    const measured = await send(
      slashCommand(
        'metrics',
        [opt('content', 'https://www.instagram.com/p/AAA/'), opt('reach', 10000, OptionType.Integer), opt('impressions', 25000, OptionType.Integer)],
        {},
        'content',
      ),
    );
    expect(textOf(measured)).toContain('Cost per thousand impressions (on committed cost):** €60.00');
    await send(
      slashCommand('metrics', [opt('content', 'https://www.instagram.com/stories/zoe.creates/1'), opt('impressions', 5000, OptionType.Integer)], {}, 'content'),
    );
    const negative = await send(slashCommand('metrics', [opt('content', 'https://www.instagram.com/p/AAA/'), opt('likes', -3, OptionType.Integer)], {}, 'content'));
    expect(textOf(negative)).toBe('likes cannot be negative');

    const shown = await send(slashCommand('show', [opt('collab', 'Spring launch')], {}, 'collab'));
    const text = textOf(shown);
    expect(shown.data.embeds[0].title).toBe('Spring launch');
    expect(text).toContain('**This month (November 2026):** posts 1/2 · stories 1/4');
    expect(text).toContain('**Results so far (awareness):** reach 10,000 · impressions 30,000 · views 0 · 2 published');
    expect(text).toContain('**Committed so far:** €1,500.00 · **paid so far:** nothing yet');
    expect(text).toContain('**Cost per thousand impressions (on committed cost):** €50.00');
    expect(text).toContain('Call to action: Shop the launch');

    const card = await send(slashCommand('show', [opt('who', '@zoe.creates')]));
    expect(textOf(card)).toContain('Active collaborations: Spring launch (awareness): posts 1/2 · stories 1/4');
    const guildA = await app.services.workspaces.ensure('discord', GUILD_A);
    expect(await app.models.collaborations.countDocuments({ workspaceId: guildA.id })).toBe(1);
  });
});

describe('autocomplete on <collab> and <payment>, through the title and creator indexes', () => {
  const choicesOf = async (command: string, subcommand: string, option: string, typed: string) =>
    ((await send(autocomplete(subcommand, option, typed, {}, command))).data.choices as Array<{ name: string; value: string }>).map((c) => c.name);

  beforeAll(async () => {
    await send(slashCommand('add', [opt('name', 'Bo Lind'), opt('handle', '@bo.lind'), opt('network', 'tiktok'), opt('stage', 'negotiating')]));
    for (const title of ['Summer box', 'Winter launch']) {
      await send(
        slashCommand('new', [opt('who', '@bo.lind'), opt('title', title), opt('type', 'review'), opt('goal', 'image'), opt('fee', 400, NUMBER), opt('currency', 'EUR')], {}, 'collab'),
      );
    }
  });

  it('GIVEN the start of a title word, of several, or of a creator THEN the matching collaborations, with their creator', async () => {
    expect(await choicesOf('collab', 'show', 'collab', 'LAUN')).toEqual(['Winter launch · Bo Lind', 'Spring launch · Zoë Tran']);
    expect(await choicesOf('collab', 'show', 'collab', 'win lau')).toEqual(['Winter launch · Bo Lind']);
    expect(await choicesOf('collab', 'show', 'collab', 'bo')).toEqual(['Summer box · Bo Lind', 'Winter launch · Bo Lind']);
    expect(await choicesOf('collab', 'show', 'collab', 'aunch')).toEqual([]);
  });

  it('GIVEN a title or a creator typed for a payment THEN only that collaboration\'s open payments', async () => {
    const summer = await choicesOf('payment', 'paid', 'payment', 'summer');
    expect(summer.length).toBeGreaterThan(0);
    expect(summer.every((name) => name.startsWith('Bo Lind · Summer box · €400.00 · due '))).toBe(true);
    const zoe = await choicesOf('payment', 'paid', 'payment', 'zoe');
    expect(zoe.length).toBeGreaterThan(0);
    expect(zoe.every((name) => name.startsWith('Zoë Tran · Spring launch · €1,500.00 · due '))).toBe(true);
    expect(await choicesOf('payment', 'paid', 'payment', 'nobody')).toEqual([]);
  });
});
