import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { answerWebhooks, startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { GUILD_A, OptionType, slashCommand } from '../helpers/discord-interactions';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * Hostile text end to end: typed into the real discord.js client (a raw interaction), the real
 * Bolt app (a signed slash command) and the console shell, stored, then shown back. What goes out
 * is read off the local API server: no mass mention can fire, every text fits its platform's
 * limits, and the stored document holds exactly what was typed.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let discord: DiscordApp;
let slack: SlackApp;

/** Mass mentions as typed text, every markup mark of Discord and Slack, a query operator, emoji, Arabic, zero-width and bidi controls. */
const HOSTILE = '@everyone @here *bold* _it_ ~strike~ `code` ||spoiler|| > quote # head [link](https://evil.example) & < > {"$gt": ""} Zoë 👩🏽‍💻 مرحبا \u200b\u200d\u202eevil\u202c';
/** 4,000 characters: past Discord's 2,000 for content and 1,024 for a field. */
const NOTES = `${HOSTILE}\n${'n'.repeat(4000 - HOSTILE.length - 1)}`;
/** A touchpoint's summary at its 2,000-character limit. */
const SUMMARY = `${HOSTILE}\n${'s'.repeat(2000 - HOSTILE.length - 1)}`;

const creator = (workspaceExternalId: string) =>
  connection
    .collection('workspaces')
    .findOne({ externalId: workspaceExternalId })
    .then((ws) => connection.collection('influencers').findOne({ workspaceId: ws!._id }));
const touchpoint = (influencerId: unknown) => connection.collection('touchpoints').findOne({ influencerId });

beforeAll(async () => {
  app = await buildApp(connection);
  discord = await startDiscordApp(app.router);
  answerWebhooks(discord.api);
  slack = await startSlackApp(app.router, connection);
});

afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
});

// ------------------------------------------------------------------ Discord

type Message = { content?: string; embeds?: Array<Record<string, any>>; allowed_mentions?: unknown };

/** Every message body the client sent: interaction callbacks and the webhook edits and follow-ups. */
const discordMessages = (from: number): Message[] =>
  discord.api.requests.slice(from).flatMap((r) => {
    if (r.path.includes('/callback')) return r.body?.data && (r.body.type === 4 || r.body.type === 7) ? [r.body.data as Message] : [];
    return r.path.includes('/webhooks/') && r.method !== 'GET' ? [r.body as Message] : [];
  });

/** Discord's limits for one message (developer docs, "Message" and "Embed"). */
function discordLimits(message: Message) {
  const embeds = message.embeds ?? [];
  const texts = embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f: { name: string; value: string }) => [f.name, f.value])]);
  return {
    content: (message.content ?? '').length <= 2000,
    embeds: embeds.length <= 10,
    title: embeds.every((e) => (e.title ?? '').length <= 256),
    description: embeds.every((e) => (e.description ?? '').length <= 4096),
    fields: embeds.every((e) => (e.fields ?? []).length <= 25 && (e.fields ?? []).every((f: { name: string; value: string }) => f.name.length <= 256 && f.value.length <= 1024)),
    footer: embeds.every((e) => (e.footer?.text ?? '').length <= 2048),
    total: texts.join('').length <= 6000,
  };
}
const WITHIN_DISCORD = { content: true, embeds: true, title: true, description: true, fields: true, footer: true, total: true };

/** Text on screen that Discord would turn into a mass ping or a live mention, were mentions parsed. */
const discordVisible = (message: Message) =>
  [message.content ?? '', ...(message.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f: { name: string; value: string }) => [f.name, f.value])])].join('\n');
const liveMassMention = (text: string) => /@(everyone|here)|<@&|<#|<!/.test(text);

async function onDiscord(subcommand: string, options: Array<[string, string]>) {
  const from = discord.api.requests.length;
  const d = slashCommand(subcommand, options.map(([name, value]) => ({ name, type: OptionType.String, value })));
  const callback = await discord.send(d);
  // Deferred (over the 3 s budget): the answer is the edit of the original response.
  if (callback.type === 5) await discord.api.waitFor(`/webhooks/${d.application_id}/${d.token}/messages/@original`, (r) => r.method === 'PATCH');
  return discordMessages(from);
}

describe('GIVEN hostile text typed on Discord (a raw interaction into the discord.js client)', () => {
  let id = '';

  it('WHEN a creator is added with it as name and a 4,000-character note THEN stored exactly, shown escaped, no mention allowed, within limits', async () => {
    const sent = await onDiscord('add', [
      ['name', HOSTILE],
      ['notes', NOTES],
    ]);
    const stored = await creator(GUILD_A);
    id = String(stored!._id);
    expect({ name: stored!.name, notes: stored!.notes }).toEqual({ name: HOSTILE, notes: NOTES });
    expect(sent.map((m) => [m.allowed_mentions, discordLimits(m), liveMassMention(discordVisible(m))])).toEqual(sent.map(() => [{ parse: [] }, WITHIN_DISCORD, false]));
    expect(sent[0]!.content).toBe(
      'Added **@\u200beveryone @\u200bhere \\*bold\\* \\_it\\_ \\~strike\\~ \\`code\\` \\|\\|spoiler\\|\\| \\> quote \\# head \\[link\\]\\(https://evil.example\\) & \\< \\> {"$gt": ""} Zoë 👩🏽‍💻 مرحبا \u200b\u200d\u202eevil\u202c**.',
    );
  });

  it('WHEN it is logged as a 2,000-character touchpoint and the card and its touchpoints are shown THEN the same holds for every message', async () => {
    const sent = [
      ...(await onDiscord('log', [
        ['who', id],
        ['kind', 'note'],
        ['summary', SUMMARY],
      ])),
      ...(await onDiscord('show', [['who', id]])),
      ...(await onDiscord('show', [
        ['who', id],
        ['view', 'touchpoints'],
      ])),
      ...(await onDiscord('find', [['query', '{"$gt": ""}']])),
    ];
    expect((await touchpoint((await creator(GUILD_A))!._id))?.summary).toBe(SUMMARY);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.map((m) => [m.allowed_mentions, discordLimits(m), liveMassMention(discordVisible(m))])).toEqual(sent.map(() => [{ parse: [] }, WITHIN_DISCORD, false]));
    // The card shows the name escaped as its title; the long note is cut on screen only.
    expect(sent.some((m) => (m.embeds ?? []).some((e) => String(e.title ?? '').includes('@\u200beveryone @\u200bhere \\*bold\\*')))).toBe(true);
  });

  it('WHEN a name carries mention codes (<@everyone>, <!channel>, a role) THEN it is refused naming the field, and nothing is stored', async () => {
    const before = await connection.collection('influencers').countDocuments();
    const answers = [];
    for (const name of ['<@everyone> Zoe', '<!channel> Zoe', '<@&1100000000000000001> Zoe']) answers.push((await onDiscord('add', [['name', name]]))[0]!.content);
    expect(answers).toEqual(answers.map(() => 'name cannot contain mentions or @here/@channel codes: write names as plain text'));
    expect(await connection.collection('influencers').countDocuments()).toBe(before);
  });
});

// ------------------------------------------------------------------ Slack

/** What Slack sends for typed text: it escapes &, < and > itself (docs: "Formatting text for app surfaces"). */
const slackTyped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** All text of a Slack message payload, mrkdwn and plain. */
/** The mrkdwn of a Slack message payload: its `text` and every mrkdwn element of its blocks (plain_text parses neither markup nor mentions). */
const slackMrkdwn = (payload: Record<string, any>): string[] => {
  const texts: string[] = [String(payload.text ?? '')];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (element.type === 'mrkdwn' && typeof element.text === 'string') texts.push(element.text);
      Object.values(element).forEach(walk);
    }
  };
  walk(payload.blocks);
  return texts;
};
/** A mass ping, or a typed <, > or & left unescaped (the bot's own `<@U…>` of the owner is allowed: an ephemeral answer pings nobody). */
const slackUnsafe = (text: string) => /<!|<#|<@(?!U[A-Z0-9]+>)|&(?!amp;|lt;|gt;)/.test(text) || /(^|[^<@])>/.test(text.replace(/<@U[A-Z0-9]+>/g, ''));

describe('GIVEN hostile text typed in Slack (a signed slash command into the Bolt app)', () => {
  it('WHEN a creator is added with it and shown THEN stored exactly, and every < > & it carries goes out escaped', async () => {
    const responses: Array<Record<string, any>> = [];
    for (const line of [`add “${slackTyped(HOSTILE)}” notes:“${slackTyped(NOTES)}”`, `show “${slackTyped(HOSTILE.slice(0, 40))}”`]) {
      const sent = await slack.as.command('/influencer', line);
      responses.push((await slack.api.waitFor(new URL(sent.responseUrl).pathname)).body);
    }
    const stored = await creator('T0TEAM');
    expect({ name: stored!.name, notes: stored!.notes }).toEqual({ name: HOSTILE, notes: NOTES });
    const texts = responses.flatMap(slackMrkdwn);
    expect(texts.filter(slackUnsafe)).toEqual([]);
    expect(texts.some((t) => t.includes('@everyone @here') && t.includes('&amp; &lt; &gt;'))).toBe(true);
    // Section text at most 3,000 characters, header 150, message text 40,000 (Block Kit limits).
    expect(responses.flatMap((r) => r.blocks ?? []).filter((b) => (b.text?.text ?? '').length > (b.type === 'header' ? 150 : 3000))).toEqual([]);
  });
});

// ------------------------------------------------------------------ console

describe('GIVEN hostile text typed into the console shell', () => {
  it('WHEN a creator is added with it, logged and shown THEN stored exactly and printed as typed', async () => {
    // A console line is one line: the long texts without their line break.
    const [notes, summary] = [NOTES.replace('\n', ' '), SUMMARY.replace('\n', ' ')];
    const printed = await runConsole(app.router, [`influencer add “${HOSTILE}” notes:“${notes}”`]);
    const stored = await connection.collection('influencers').findOne({ name: HOSTILE, notes, ownerId: 'maria' });
    expect(stored).not.toBeNull();
    const shown = await runConsole(app.router, [`influencer log ${String(stored!._id)} note “${summary}”`, `influencer show ${String(stored!._id)} touchpoints`]);
    expect((await touchpoint(stored!._id))?.summary).toBe(summary);
    expect([printed.includes(`Added ${HOSTILE}.`), shown.includes(HOSTILE)]).toEqual([true, true]);
  });

  it('WHEN a name carries terminal control codes (clear screen, window title, bell, backspaces, a C1 CSI) THEN stored exactly, and printed as visible symbols that the terminal does not run', async () => {
    const name = 'Kai \u001b[2J\u001b]0;pwned\u0007 Tran \b\bx \u009b31m';
    const printed = await runConsole(app.router, [`influencer add “${name}”`, 'influencer find Kai']);
    expect((await connection.collection('influencers').findOne({ name }))?.name).toBe(name);
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(printed)).toBe(false);
    expect(printed.split('\n').filter((line) => line.includes('Kai'))).toEqual([
      'influencer add “Kai ␛[2J␛]0;pwned␇ Tran ␈␈x \ufffd31m”',
      'Added Kai ␛[2J␛]0;pwned␇ Tran ␈␈x \ufffd31m.',
      '== Kai ␛[2J␛]0;pwned␇ Tran ␈␈x \ufffd31m ==',
      'influencer find Kai',
      '1 creator matches "Kai":',
      expect.stringMatching(/^• Kai ␛\[2J␛\]0;pwned␇ Tran ␈␈x \ufffd31m · prospect · @maria · id [0-9a-f]{24}$/),
    ]);
  });
});
