import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands';
import { buildDiscordCommands } from '../../../src/platforms/discord/discord-options';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { startDiscordApp, type DiscordApp } from '../../helpers/discord-app';
import {
  ADMIN_PERMISSIONS,
  GUILD_A,
  USER_MARIA,
  USER_SAM,
  autocomplete,
  buttonClick,
  modalSubmit,
  slashCommand,
} from '../../helpers/discord-interactions';
import { seedCollaboration } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  platform = await startDiscordApp(app.router);
});

afterAll(async () => {
  await platform.stop();
});

const send = (d: Record<string, any>) => platform.send(d);

const formSubcommands = commands.flatMap((command) =>
  Object.entries(command.subcommands)
    .filter(([, sub]) => sub.form)
    .map(([name]) => [command.name, name] as const),
);

describe('GIVEN every subcommand that has a form', () => {
  it('THEN its registration asks for no option, so Discord can send it bare', () => {
    const json = buildDiscordCommands(commands);
    const required = formSubcommands.flatMap(([command, name]) => {
      const sub = (json.find((c) => c.name === command)!.options as any[]).find((o) => o.name === name);
      return (sub.options ?? []).filter((o: { required?: boolean }) => o.required).map((o: { name: string }) => `${command} ${name} ${o.name}`);
    });
    expect(formSubcommands.length).toBeGreaterThanOrEqual(5);
    expect(required).toEqual([]);
  });

  it.each([
    ['influencer', 'add', 'Add a creator'],
    ['influencer', 'log', 'Log a touchpoint'],
    ['collab', 'new', 'New collaboration'],
    ['payment', 'add', 'Add a payment'],
  ])('WHEN /%s %s is sent bare THEN its form opens', async (command, subcommand, title) => {
    const callback = await send(slashCommand(subcommand, [], {}, command));
    expect(callback.type).toBe(9);
    expect(callback.data.title).toBe(title);
  });

  it('WHEN /influencer edit is sent bare THEN the answer names the field it needs, privately', async () => {
    const callback = await send(slashCommand('edit', [], {}, 'influencer'));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.content).toMatch(/^who/);
  });
});

describe('GIVEN /irm settings on Discord', () => {
  it('THEN the channels are channel pickers of text and announcement channels', () => {
    const irm = buildDiscordCommands(commands).find((c) => c.name === 'irm')!;
    const settings = (irm.options as any[]).find((o) => o.name === 'settings');
    const channels = settings.options.filter((o: { name: string }) => ['digest', 'payments', 'nudges'].includes(o.name));
    expect(channels.map((o: { name: string; type: number; channel_types: number[] }) => [o.name, o.type, o.channel_types])).toEqual([
      ['digest', 7, [0, 5]],
      ['payments', 7, [0, 5]],
      ['nudges', 7, [0, 5]],
    ]);
  });
});

describe('GIVEN a payments and a nudges channel picked on Discord', () => {
  const admin = { permissions: ADMIN_PERMISSIONS };
  it('WHEN an admin sends clear:payments THEN that channel is unset in the database and the other stays', async () => {
    const set = await send(slashCommand('settings', [{ name: 'payments', type: 7, value: '1200000000000000321' }, { name: 'nudges', type: 7, value: '1200000000000000322' }], admin, 'irm'));
    expect(JSON.stringify(set.data)).toContain('Saved: payments, nudges.');
    const workspace = await app.services.workspaces.ensure('discord', GUILD_A);
    expect((await app.services.workspaces.settings(workspace.id)).settings.channels).toEqual({ payments: '1200000000000000321', nudges: '1200000000000000322' });

    const cleared = await send(slashCommand('settings', [{ name: 'clear', type: 3, value: 'payments' }], admin, 'irm'));
    expect(JSON.stringify(cleared.data)).toContain('Saved: clear.');
    expect((await app.services.workspaces.settings(workspace.id)).settings.channels).toEqual({ nudges: '1200000000000000322' });
  });

  it('WHEN a channel is both picked and cleared, or clear names no channel THEN it is refused naming why, and nothing changes', async () => {
    const admin2 = { permissions: ADMIN_PERMISSIONS };
    const both = await send(slashCommand('settings', [{ name: 'nudges', type: 7, value: '1200000000000000999' }, { name: 'clear', type: 3, value: 'nudges' }], admin2, 'irm'));
    expect(both.data.content).toBe('nudges is both set and cleared: give nudges:<channel> or clear:nudges, not both. Nothing was changed.');
    const wrong = await send(slashCommand('settings', [{ name: 'clear', type: 3, value: 'general' }], admin2, 'irm'));
    expect(wrong.data.content).toContain('clear takes the channels to unset: digest, payments, nudges ("general" is not one)');
    const workspace = await app.services.workspaces.ensure('discord', GUILD_A);
    expect((await app.services.workspaces.settings(workspace.id)).settings.channels).toEqual({ nudges: '1200000000000000322' });
  });
});

describe('GIVEN collaborations and payments in a server', () => {
  let paymentId = '';
  let collabId = '';
  beforeAll(async () => {
    const workspace = await app.services.workspaces.ensure('discord', GUILD_A);
    const { collaboration } = await seedCollaboration(app, workspace, { name: 'Zoë Tran', title: 'Spring launch', ownerId: USER_MARIA });
    await seedCollaboration(app, workspace, { name: 'Noah Kim', title: 'Winter box', ownerId: USER_MARIA });
    collabId = String(collaboration._id);
    const payment = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 150_000, currency: 'USD', dueOn: '2026-11-30', label: 'Kickoff' }, USER_MARIA);
    paymentId = String(payment._id);
  });

  it('WHEN typing a collaboration THEN matching ones are suggested by title and creator, valued by id', async () => {
    const callback = await send(autocomplete('show', 'collab', 'spring', {}, 'collab'));
    expect(callback.type).toBe(8);
    expect(callback.data.choices).toEqual([{ name: 'Spring launch · Zoë Tran', value: collabId }]);
    const byCreator = await send(autocomplete('show', 'collab', 'NOAH', {}, 'collab'));
    expect(byCreator.data.choices.map((c: { name: string }) => c.name)).toEqual(['Winter box · Noah Kim']);
  });

  it('WHEN typing a payment THEN open payments are suggested saying whose, what, how much and when', async () => {
    const callback = await send(autocomplete('paid', 'payment', 'zoe', {}, 'payment'));
    expect(callback.data.choices).toEqual([{ name: 'Zoë Tran · Spring launch · $1,500.00 · due 2026-11-30', value: paymentId }]);
  });
});

describe('GIVEN a form submitted with a refused answer', () => {
  it('THEN the error comes back with a button that reopens the form with everything typed, for that person only', async () => {
    const typed = { name: 'Zoë Tran', email: 'not-an-email', tags: 'beauty, skincare', birthday: '07-14' };
    const submitted = await send(modalSubmit('form:influencer add', typed));
    expect(submitted.type).toBe(4);
    expect(submitted.data.flags).toBe(64);
    expect(submitted.data.content).toContain('email');
    const buttons = submitted.data.components.flatMap((row: { components: unknown[] }) => row.components);
    const fix = buttons.find((b: { label: string }) => b.label === 'Fix the form');
    expect(fix.custom_id).toMatch(/^reopen:[0-9a-f]{16}$/);
    expect(await app.models.influencers.countDocuments({ name: 'Zoë Tran', email: 'not-an-email' })).toBe(0);

    const other = await send(buttonClick(fix.custom_id, { userId: USER_SAM }));
    expect(other.data.content).toBe('This form has expired. Run the command again.');

    const reopened = await send(buttonClick(fix.custom_id));
    expect(reopened.type).toBe(9);
    const values = Object.fromEntries(
      reopened.data.components.map((row: { components: Array<{ custom_id: string; value?: string }> }) => [row.components[0]!.custom_id, row.components[0]!.value]),
    );
    expect(values).toEqual({ name: 'Zoë Tran', handles: undefined, email: 'not-an-email', birthday: '07-14', tags: 'beauty, skincare' });
  });
});
