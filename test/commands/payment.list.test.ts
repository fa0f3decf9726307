import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { GUILD_A, USER_MARIA, buttonClick, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';
import { seedCollaboration } from '../helpers/scheduler';

/**
 * `/payment list` opens each payment: every line has a Show button that runs `/payment show <id>`,
 * ten lines a page with Previous / Next, within each surface's limits (Slack: a button beside each
 * line, 50 blocks a message; Discord: at most five rows of five buttons, and a page of lines in
 * one message whatever was typed; console: the line and the command it runs). Today 2026-11-23.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const ADMIN = { teamId: 'T0TEAM', userId: 'U0ALICE', userName: 'alice' };

/** Twelve unpaid payments due 2026-12-01 .. 12-12 in the workspace, amounts 101 .. 112 EUR; their ids by due day. */
async function twelvePayments(workspace: { id: string; timezone: string }, names: { name?: string; title?: string } = {}, ownerId = 'U0ALICE'): Promise<string[]> {
  const { collaboration } = await seedCollaboration(app, workspace, { ...names, ownerId, compensation: { currency: 'EUR' } });
  const ids: string[] = [];
  for (let n = 1; n <= 12; n += 1) {
    const payment = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 10_000 + n * 100, currency: 'EUR', dueOn: `2026-12-${String(n).padStart(2, '0')}` }, 'U0ALICE');
    ids.push(String(payment._id));
  }
  return ids;
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
});

describe('on the console', () => {
  it('GIVEN twelve unpaid payments THEN page 1 lists ten, each line with the command that shows it, and Next; page 2 the last two with Previous; the command runs', async () => {
    const console = await app.services.workspaces.ensure('console', 'console');
    const ids = await twelvePayments(console, { name: 'Ana Lima', title: 'Winter box' });
    const say = (line: string) => runConsole(app.router, [line], 'maria');

    const first = (await say('payment list')).trimEnd().split('\n').slice(1);
    expect(first[0]).toBe('12 unpaid payments · page 1 of 2:');
    expect(first[1]).toBe(`• Ana Lima · Winter box · €101.00 · due 2026-12-01 · due in 8 days · owner @U0ALICE · id ${ids[0]}  [Show: payment show ${ids[0]}]`);
    expect(first.slice(1, 11).map((line) => line.slice(line.lastIndexOf('  ['))).join('\n')).toBe(ids.slice(0, 10).map((id) => `  [Show: payment show ${id}]`).join('\n'));
    expect(first.slice(11)).toEqual(['Owed: €1,278.00', '[Next: payment list due page:2]']);

    const second = (await say('payment list due page:2')).trimEnd().split('\n').slice(1);
    expect([second[0], ...second.slice(1, 3).map((line) => line.slice(line.lastIndexOf('  [') + 2)), ...second.slice(3)]).toEqual([
      '12 unpaid payments · page 2 of 2:',
      `[Show: payment show ${ids[10]}]`,
      `[Show: payment show ${ids[11]}]`,
      'Owed: €1,278.00',
      '[Previous: payment list due page:1]',
    ]);
    expect((await say(`payment show ${ids[11]}`)).split('\n')[1]).toBe('== €112.00 to Ana Lima ==');
    expect(await say('payment list page:0')).toContain('page starts at 1');
  });
});

describe('on Slack and Discord', () => {
  let api: RecordingApi;
  let slackApp: SlackApp;
  let discord: DiscordApp;
  let as: SlackRequests;

  beforeAll(async () => {
    slackApp = await startSlackApp(app.router, connection, { user: ADMIN });
    ({ api, as } = slackApp);
    api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: true, is_owner: false } } } : undefined));
    discord = await startDiscordApp(app.router, { api, deferAfterMs: 2500 });
  });

  afterAll(async () => {
    await discord?.stop();
    await slackApp?.stop();
  });

  const slackAnswer = async (sent: { responseUrl: string }) => (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { text: string; blocks: any[] };

  it('GIVEN twelve payments on Slack THEN each line of a page is a section with a Show button beside it, and clicking one shows that payment', async () => {
    const workspace = await app.services.workspaces.ensure('slack', 'T0TEAM');
    const ids = await twelvePayments(workspace, { name: 'Zoë Tran', title: 'Spring launch' });

    const page = await slackAnswer(await as.command('/payment', 'list'));
    expect(page.blocks).toHaveLength(13);
    const lines = page.blocks.slice(1, 11);
    expect(lines.map((block) => [block.type, block.accessory.text.text, block.accessory.value])).toEqual(ids.slice(0, 10).map((id) => ['section', 'Show', `payment show ${id}`]));
    expect(lines[0].text.text).toBe(`• *Zoë Tran* · Spring launch · €101.00 · due 2026-12-01 · due in 8 days · owner <@U0ALICE> · id ${ids[0]}`);
    expect(page.blocks[12].elements.map((b: any) => [b.text.text, b.value])).toEqual([['Next', 'payment list due page:2']]);

    const clicked = await as.click(lines[3].accessory);
    const shown = (await api.waitFor(new URL(clicked.responseUrl).pathname)).body as { blocks: any[] };
    expect(shown.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '€104.00 to Zoë Tran', emoji: true } });
  });

  it('GIVEN a page of ten payments with the longest names, titles, labels and reasons anyone can type, on Discord THEN every line fits one message, each has its labelled Show button within five rows, and pressing one shows it', async () => {
    const guild = await app.services.workspaces.ensure('discord', GUILD_A);
    // Two UTF-16 units a character in the name: cut on whole characters, counted as Discord counts.
    const ids = await twelvePayments(guild, { name: `Zoë ${'🎉'.repeat(95)}`, title: `Launch ${'é'.repeat(190)}` }, USER_MARIA);
    for (const id of ids.slice(0, 10)) {
      await app.services.paymentStates.edit(guild, await app.services.paymentStates.get(guild.id, id), { label: `Label ${'x'.repeat(190)}` }, USER_MARIA);
      await app.services.paymentStates.markPaid(guild, await app.services.paymentStates.get(guild.id, id), { paidAt: app.clock(), reference: 'r'.repeat(200) }, USER_MARIA);
      await app.services.paymentStates.reopen(guild, await app.services.paymentStates.get(guild.id, id), 'w'.repeat(500), USER_MARIA);
    }

    const answer = await discord.send(slashCommand('list', [], {}, 'payment'));
    const text: string = answer.data.content ?? answer.data.embeds[0].description;
    const lines = text.split('\n');
    expect(lines[0]).toBe('12 unpaid payments · page 1 of 2:');
    expect(lines.slice(1, 11).map((line) => line.slice(line.lastIndexOf(' · id ') + 6))).toEqual(ids.slice(0, 10));
    expect(lines[2]).toBe(
      `• **Zoë ${'🎉'.repeat(17)}…** · Launch ${'é'.repeat(32)}… (Label ${'x'.repeat(33)}…) · €102.00 · due 2026-12-02 · due in 9 days (reopened: ${'w'.repeat(89)}…) · owner <@${USER_MARIA}> · id ${ids[1]}`,
    );
    // Nothing cut at the end: the page and its footer are whole.
    expect(lines.slice(11)).toEqual(['Owed: €1,278.00']);
    expect(answer.data.components).toHaveLength(3);
    const buttons = answer.data.components.flatMap((row: any) => row.components);
    // Previous / Next first (the actions rows), then the items' buttons, five a row.
    expect(buttons.map((b: any) => b.custom_id)).toEqual(['run:payment list due page:2', ...ids.slice(0, 10).map((id) => `run:payment show ${id}`)]);
    expect(buttons[1].label.startsWith(`Show: Zoë 🎉🎉`)).toBe(true);

    const shown = await discord.send(buttonClick(buttons[5].custom_id));
    expect(shown.data.embeds[0].title).toBe(`€105.00 to Zoë ${'🎉'.repeat(95)}`);
  });
});
